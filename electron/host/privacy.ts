// The manager's privacy panel: find an enrolled customer, see what they consented to, and
// delete their face template on request. A deletion takes effect on this kiosk at once (the
// sealed template is dropped from the ledger file's gallery, the matcher's index rebuilt, the
// customer's name and phone digits removed) and is queued, durably, for the settlement server,
// which deletes its copy and tells every kiosk of the merchant through its signed feed. The
// queue is retried every PRIVACY_FLUSH_MS until the server has it: deletion does not wait for
// the network, and a kiosk offline or restarted still propagates it.
//
// Its own SQLite file (<data_dir>/privacy.db) keeps the consent records (the server holds its
// copy too, but offers no way to read it back) and the deletions with who asked and why. No
// template, descriptor or full phone number is ever stored here.
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { CUSTOMER_RESULTS_MAX, TEXT_LENGTH_MAX, type ConsentView, type CustomerView, type DeletionView, type Language } from '../contract/api.js';
import type { KioskState } from '../../ledger/sync/kiosk-state.js';
import type { SyncWorker } from '../../ledger/sync/worker.js';
import type { StaffDirectory } from '../staff/directory.js';
import { ApiFault } from './fault.js';
import { initialsOf, type CustomerDirectory, type CustomerRecord } from './customers.js';
import type { Gallery } from './gallery.js';
import { requireManager } from './integrity.js';

/** Between attempts to tell the server of queued deletions (the sync worker's poll interval). */
export const PRIVACY_FLUSH_MS = 5_000;
/** Queued deletions sent per attempt (each one request); the rest wait for the next. */
export const PRIVACY_FLUSH_BATCH_MAX = 20;
/** Customers a name or initials search reads from the directory before it stops. */
export const PRIVACY_SCAN_ROWS_MAX = 100_000;

export interface ConsentInput {
  text_version: string;
  language: Language | null;
  purpose: string;
  retention_days: number;
  agreed_at_ms: number;
  source: ConsentView['source'];
}

export interface PrivacyParts {
  log: Logger;
  kioskId: string;
  /** <data_dir>/privacy.db */
  path: string;
  /** <data_dir>/customers.db: read here through a read-only connection (searches). */
  customersPath: string;
  staff: StaffDirectory;
  customers: CustomerDirectory;
  state: KioskState;
  gallery: Gallery;
  worker: SyncWorker | null;
  now?: () => number;
}

interface DeletionRow {
  customer_id: string;
  requested_at_ms: number;
  requested_by: string;
  reason: string;
  status: DeletionView['status'];
  propagated_at_ms: number | null;
  last_error: string | null;
}

const clip = (s: string): string => (s.length > TEXT_LENGTH_MAX ? `${s.slice(0, TEXT_LENGTH_MAX - 1)}…` : s);
/** "D.O.", "do", "D O" -> "DO"; null when the query is not 2-3 initials. */
const initialsQuery = (q: string): string | null => (/^(\p{L}\.?\s?){2,3}$/u.test(q) ? q.replace(/[.\s]/g, '').toUpperCase() : null);

export class PrivacyDesk {
  private readonly db: Database.Database;
  private readonly directory: Database.Database;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | null = null;

  constructor(private readonly p: PrivacyParts) {
    this.now = p.now ?? Date.now;
    this.db = new Database(p.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS consents (
        customer_id    TEXT PRIMARY KEY,
        text_version   TEXT    NOT NULL,
        language       TEXT    CHECK (language IN ('en', 'de', 'zh')),
        purpose        TEXT    NOT NULL,
        retention_days INTEGER NOT NULL CHECK (retention_days >= 0),
        agreed_at_ms   INTEGER NOT NULL,
        kiosk_id       TEXT    NOT NULL,
        source         TEXT    NOT NULL CHECK (source IN ('kiosk', 'demo'))
      ) STRICT;
      CREATE TABLE IF NOT EXISTS deletions (
        customer_id      TEXT PRIMARY KEY,
        requested_at_ms  INTEGER NOT NULL,
        requested_by     TEXT    NOT NULL,
        reason           TEXT    NOT NULL,
        status           TEXT    NOT NULL CHECK (status IN ('pending', 'propagated', 'refused')),
        propagated_at_ms INTEGER,
        last_error       TEXT
      ) STRICT;
      CREATE INDEX IF NOT EXISTS deletions_pending ON deletions (status) WHERE status = 'pending';`);
    // The directory's own connection writes; this one only reads (WAL lets both work).
    this.directory = new Database(p.customersPath, { readonly: true, fileMustExist: true });
  }

  /** Retries queued deletions in the background until close(). */
  start(): void {
    this.timer ??= setInterval(() => void this.flush().catch((err: unknown) => this.p.log.warn({ message: (err as Error).message }, 'deletion flush failed')), PRIVACY_FLUSH_MS);
    this.timer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flushing?.catch(() => undefined);
    this.directory.close();
    this.db.close();
  }

  // ---- consent ---------------------------------------------------------------------------------

  /** Kept at enrolment (the consent screen's text version and language) and for demo customers. */
  recordConsent(customerId: string, c: ConsentInput): void {
    this.db
      .prepare(
        `INSERT INTO consents (customer_id, text_version, language, purpose, retention_days, agreed_at_ms, kiosk_id, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (customer_id) DO NOTHING`,
      )
      .run(customerId, c.text_version, c.language, clip(c.purpose), c.retention_days, c.agreed_at_ms, this.p.kioskId, c.source);
  }

  private consent(customerId: string): ConsentView | null {
    return (this.db.prepare('SELECT text_version, language, purpose, retention_days, agreed_at_ms, kiosk_id, source FROM consents WHERE customer_id = ?').get(customerId) as ConsentView | undefined) ?? null;
  }

  private deletion(customerId: string): DeletionView | null {
    const row = this.db.prepare('SELECT * FROM deletions WHERE customer_id = ?').get(customerId) as DeletionRow | undefined;
    if (!row) return null;
    return { requested_at_ms: row.requested_at_ms, requested_by: row.requested_by, reason: row.reason, status: row.status, propagated_at_ms: row.propagated_at_ms, last_error: row.last_error };
  }

  // ---- the calls -------------------------------------------------------------------------------

  find(token: string, query: string): { customers: CustomerView[]; truncated: boolean; pending_deletions: number } {
    requireManager(this.p.staff, token);
    const q = query.trim();
    const limit = CUSTOMER_RESULTS_MAX + 1;
    const ids = new Set<string>();
    const add = (rows: string[]): void => rows.forEach((id) => ids.add(id));
    if (/^\d{4}$/.test(q)) add(this.directory.prepare('SELECT customer_id FROM customers WHERE phone_last4 = ? ORDER BY display_name LIMIT ?').pluck().all(q, limit) as string[]);
    const like = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    add(this.directory.prepare("SELECT customer_id FROM customers WHERE lower(display_name) LIKE ? ESCAPE '\\' OR customer_id = ? ORDER BY display_name LIMIT ?").pluck().all(like, q, limit) as string[]);
    const initials = initialsQuery(q);
    if (initials !== null && ids.size < limit) {
      const rows = this.directory.prepare('SELECT customer_id, display_name FROM customers ORDER BY display_name LIMIT ?').all(PRIVACY_SCAN_ROWS_MAX) as { customer_id: string; display_name: string }[];
      for (const r of rows) {
        if (ids.size >= limit) break;
        if (initialsOf(r.display_name).replace(/\./g, '') === initials) ids.add(r.customer_id);
      }
    }
    // Enrolled on another kiosk: this one holds the template, not the name; found by id alone.
    if (this.inGallery(q)) ids.add(q);
    const all = [...ids];
    return { customers: all.slice(0, CUSTOMER_RESULTS_MAX).map((id) => this.view(id)), truncated: all.length > CUSTOMER_RESULTS_MAX, pending_deletions: this.pendingCount() };
  }

  consentRecords(token: string, customerId: string): CustomerView {
    requireManager(this.p.staff, token);
    const v = this.view(customerId);
    if (v.display_name === null && !v.template_on_kiosk && v.consent === null && v.deletion === null) throw unknown(customerId);
    return v;
  }

  /** A manager deletes on the customer's request: here at once, everywhere at the next sync. */
  async deleteCustomer(token: string, customerId: string, reason: string): Promise<CustomerView> {
    const by = requireManager(this.p.staff, token);
    const known = this.p.customers.get(customerId) !== undefined || this.inGallery(customerId);
    const done = this.deletion(customerId);
    if (!known && done === null) throw unknown(customerId);
    const view = this.view(customerId);
    if (done === null) {
      this.queue(customerId, by, reason);
      this.p.log.info({ customer: customerId, by }, 'customer deletion queued');
    } else if (done.status === 'refused') {
      // Asked again after the server said no: try once more (the reason is the first one's).
      this.db.prepare("UPDATE deletions SET status = 'pending' WHERE customer_id = ?").run(customerId);
    }
    this.removeLocally(customerId);
    await this.flush().catch((err: unknown) => this.p.log.warn({ message: (err as Error).message }, 'deletion not sent yet'));
    // The name and phone digits are gone now; the answer shows whom it was, once.
    return { ...view, template_on_kiosk: this.inGallery(customerId), deletion: this.deletion(customerId) };
  }

  /** The customer's own deletion at the kiosk (face + phone digits), already done on the server. */
  recordCustomerDeletion(customerId: string, deletedAtMs: number): void {
    this.db
      .prepare("INSERT INTO deletions (customer_id, requested_at_ms, requested_by, reason, status, propagated_at_ms) VALUES (?, ?, 'customer', 'customer request at the kiosk', 'propagated', ?) ON CONFLICT (customer_id) DO NOTHING")
      .run(customerId, deletedAtMs, deletedAtMs);
  }

  // ---- deletion ----------------------------------------------------------------------------------

  private queue(customerId: string, by: string, reason: string): void {
    this.db.prepare("INSERT INTO deletions (customer_id, requested_at_ms, requested_by, reason, status) VALUES (?, ?, ?, ?, 'pending')").run(customerId, this.now(), by, clip(reason));
  }

  /** Drops the template from this kiosk's gallery and the customer from its directory. */
  private removeLocally(customerId: string): void {
    this.p.state.db.prepare('DELETE FROM sync_gallery WHERE customer_id = ?').run(customerId);
    this.p.gallery.invalidate();
    this.p.customers.remove(customerId);
  }

  pendingCount(): number {
    return this.db.prepare("SELECT count(*) FROM deletions WHERE status = 'pending'").pluck().get() as number;
  }

  /** Sends the queued deletions to the server; one attempt at a time. */
  flush(): Promise<void> {
    this.flushing ??= this.flushOnce().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const worker = this.p.worker;
    if (!worker) return;
    const pending = this.db.prepare("SELECT customer_id, reason FROM deletions WHERE status = 'pending' ORDER BY requested_at_ms LIMIT ?").all(PRIVACY_FLUSH_BATCH_MAX) as { customer_id: string; reason: string }[];
    if (pending.length === 0) return;
    let sent = 0;
    for (const d of pending) {
      try {
        const r = await worker.http.deleteCustomer(d.customer_id, d.reason);
        this.db.prepare("UPDATE deletions SET status = 'propagated', propagated_at_ms = ?, last_error = NULL WHERE customer_id = ?").run(r.deleted_at_ms, d.customer_id);
        sent++;
      } catch (err) {
        const e = err as { code?: string; serverCode?: string; message: string };
        // Never enrolled there (a local-only customer): nothing for the server to delete.
        if (e.serverCode === 'SETTLE_NOT_FOUND') {
          this.db.prepare("UPDATE deletions SET status = 'propagated', propagated_at_ms = ?, last_error = ? WHERE customer_id = ?").run(this.now(), 'the settlement server had no such customer', d.customer_id);
          continue;
        }
        const refused = e.code === 'SYNC_SERVER_REFUSED';
        this.db.prepare('UPDATE deletions SET status = ?, last_error = ? WHERE customer_id = ?').run(refused ? 'refused' : 'pending', clip(e.message), d.customer_id);
        if (!refused) break; // the server is away: the rest wait for the next attempt
      }
    }
    if (sent > 0) {
      try {
        await worker.pullFeed(); // the server's deletion comes back through the signed feed
      } catch {
        // the next sync brings it
      }
      for (const d of pending) this.removeLocally(d.customer_id); // in case an old enrolment came back
      this.p.log.info({ sent }, 'customer deletions propagated');
    }
  }

  // ---- views ---------------------------------------------------------------------------------------

  private inGallery(customerId: string): boolean {
    return this.p.state.db.prepare('SELECT 1 FROM sync_gallery WHERE customer_id = ?').pluck().get(customerId) !== undefined;
  }

  private view(customerId: string): CustomerView {
    const c: CustomerRecord | undefined = this.p.customers.get(customerId);
    const enrolledAt = c?.enrolled_at_ms ?? (this.p.state.db.prepare('SELECT enrolled_at_ms FROM sync_gallery WHERE customer_id = ?').pluck().get(customerId) as number | undefined) ?? null;
    return {
      customer_id: customerId,
      display_name: c?.display_name ?? null,
      initials: c ? initialsOf(c.display_name) : null,
      phone_last4: c?.phone_last4 ?? null,
      enrolled_at_ms: enrolledAt,
      template_on_kiosk: this.inGallery(customerId),
      consent: this.consent(customerId),
      deletion: this.deletion(customerId),
    };
  }
}

function unknown(customerId: string): ApiFault {
  return new ApiFault('PRIVACY_CUSTOMER_UNKNOWN', `no customer ${customerId} on this kiosk (nor a record of one)`);
}
