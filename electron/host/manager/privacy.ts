// The manager's privacy panel: find an enrolled customer, see what they consented to, and
// delete their face template on request. A deletion takes effect on this kiosk at once (the
// sealed template is dropped from the ledger file's gallery, the matcher's index rebuilt, the
// customer's name and phone digits removed) and is queued, durably, for the settlement server,
// which deletes its copy and tells every kiosk of the merchant through its signed feed. The
// queue is retried every PRIVACY_FLUSH_MS until the server has it: deletion does not wait for
// the network, and a kiosk offline or restarted still propagates it.
//
// Its own SQLite file (<data_dir>/privacy.db) keeps the consent records (the server holds its
// copy too, but offers no way to read it back) and the deletions: every request (who asked and
// why) and every answer of the server, in an append-only history (triggers refuse UPDATE and
// DELETE), and the current state of each deletion (the `deletions` view: the latest request with
// its status). A deletion the server fails on (5xx) waits a bounded backoff and the others go on
// meanwhile. No template, descriptor or full phone number is ever stored here.
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import {
  CONSENT_TEXT_VERSION,
  CUSTOMER_RESULTS_MAX,
  type ConsentView,
  type CustomerView,
  type DeletionView,
  type Language,
  type RequestOf,
  type ResponseOf,
} from '../../contract/api.js';
import type { KioskState } from '../../../ledger/sync/kiosk-state.js';
import type { SyncWorker } from '../../../ledger/sync/worker.js';
import type { StaffDirectory } from '../staff/directory.js';
import { ApiFault } from '../fault.js';
import { initialsOf, type CustomerDirectory, type CustomerRecord } from '../payment/customers.js';
import type { Gallery } from '../payment/gallery.js';
import { clip } from '../clip.js';
import type { DomainService } from '../transport/routes.js';
import { migrate } from '../../../ledger/store/migrate.js';
import * as m0001 from './migrations/0001-consents.js';
import * as m0002 from './migrations/0002-deletion-history.js';

/** Between attempts to tell the server of queued deletions (the sync worker's poll interval). */
export const PRIVACY_FLUSH_MS = 5_000;
/** Queued deletions sent per attempt (each one request); the rest wait for the next. */
export const PRIVACY_FLUSH_BATCH_MAX = 20;
/** Customers a name or initials search reads from the directory before it stops. */
export const PRIVACY_SCAN_ROWS_MAX = 100_000;
/** A deletion the server failed on waits this long before its next attempt, doubled per failure... */
export const PRIVACY_RETRY_BASE_MS = PRIVACY_FLUSH_MS;
/** ...up to this. */
export const PRIVACY_RETRY_CAP_MS = 10 * 60_000;
/** privacy.db's numbered migrations (migrations/), applied at open. */
export const PRIVACY_MIGRATIONS = [m0001, m0002] as const;
/** The schema of privacy.db this code reads and writes (PRAGMA user_version). */
export const PRIVACY_SCHEMA_VERSION = PRIVACY_MIGRATIONS.length;
/** CustomerView's display name bound (a card from another kiosk may carry a longer one). */
const DISPLAY_NAME_MAX = 60;

/** The wait before the next attempt after `failures` failures in a row (1, 2, ...): bounded. */
export function retryDelayMs(failures: number): number {
  return Math.min(PRIVACY_RETRY_CAP_MS, PRIVACY_RETRY_BASE_MS * 2 ** Math.min(Math.max(failures, 1) - 1, 30));
}

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

/** "D.O.", "do", "D O" -> "DO"; null when the query is not 2-3 initials. */
const initialsQuery = (q: string): string | null =>
  /^(\p{L}\.?\s?){2,3}$/u.test(q) ? q.replace(/[.\s]/g, '').toUpperCase() : null;

export class PrivacyService implements DomainService<'privacy'> {
  private readonly db: Database.Database;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | null = null;

  constructor(private readonly p: PrivacyParts) {
    this.now = p.now ?? Date.now;
    this.db = new Database(p.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    migrate(this.db, PRIVACY_MIGRATIONS, p.path);
  }

  /** Retries queued deletions in the background until close(). */
  start(): void {
    this.timer ??= setInterval(
      () =>
        void this.flush().catch((err: unknown) =>
          this.p.log.warn({ message: (err as Error).message }, 'deletion flush failed'),
        ),
      PRIVACY_FLUSH_MS,
    );
    this.timer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flushing?.catch(() => undefined);
    this.db.close();
  }

  // ---- consent ---------------------------------------------------------------------------------

  /** Refuses a consent given to another text than the one the server is sent (CONSENT_TEXT_VERSION):
   * a renderer showing an old or newer consent text. Call before anything of the enrolment is written. */
  requireCurrentConsent(textVersion: string): void {
    if (textVersion !== CONSENT_TEXT_VERSION) {
      throw new ApiFault(
        'API_BAD_REQUEST',
        `the consent was given to text version ${JSON.stringify(textVersion)}, but this kiosk's consent text is ${CONSENT_TEXT_VERSION}: show the consent screen again`,
      );
    }
  }

  /** Kept at enrolment (the consent screen's text version and language) and for demo customers.
   * Refused (API_BAD_REQUEST) for another text version than CONSENT_TEXT_VERSION. */
  recordConsent(customerId: string, c: ConsentInput): void {
    this.requireCurrentConsent(c.text_version);
    this.db
      .prepare(
        `INSERT INTO consents (customer_id, text_version, language, purpose, retention_days, agreed_at_ms, kiosk_id, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (customer_id) DO NOTHING`,
      )
      .run(
        customerId,
        c.text_version,
        c.language,
        clip(c.purpose),
        c.retention_days,
        c.agreed_at_ms,
        this.p.kioskId,
        c.source,
      );
  }

  private consent(customerId: string): ConsentView | null {
    return (
      (this.db
        .prepare(
          'SELECT text_version, language, purpose, retention_days, agreed_at_ms, kiosk_id, source FROM consents WHERE customer_id = ?',
        )
        .get(customerId) as ConsentView | undefined) ?? null
    );
  }

  private deletion(customerId: string): DeletionView | null {
    const row = this.db
      .prepare(
        'SELECT customer_id, requested_at_ms, requested_by, reason, status, propagated_at_ms, last_error FROM deletions WHERE customer_id = ?',
      )
      .get(customerId) as DeletionRow | undefined;
    if (!row) return null;
    return {
      requested_at_ms: row.requested_at_ms,
      requested_by: row.requested_by,
      reason: row.reason,
      status: row.status,
      propagated_at_ms: row.propagated_at_ms,
      last_error: row.last_error,
    };
  }

  // ---- the calls -------------------------------------------------------------------------------

  findCustomers({ token, query }: RequestOf<'findCustomers'>): ResponseOf<'findCustomers'> {
    this.p.staff.approver(token, 'manager');
    const q = query.trim();
    const limit = CUSTOMER_RESULTS_MAX + 1;
    const ids = new Set<string>();
    const add = (rows: string[]): void => rows.forEach((id) => ids.add(id));
    if (/^\d{4}$/.test(q)) add(this.p.customers.findByPhoneDigits(q, limit));
    add(this.p.customers.findByName(q, limit));
    const initials = initialsQuery(q);
    if (initials !== null && ids.size < limit) {
      for (const r of this.p.customers.names(PRIVACY_SCAN_ROWS_MAX)) {
        if (ids.size >= limit) break;
        if (initialsOf(r.display_name).replace(/\./g, '') === initials) ids.add(r.customer_id);
      }
    }
    // Enrolled at another kiosk: not in this kiosk's directory, but the card (name, phone digits)
    // came with the templates. Those whose deletion waits for the server are not offered.
    this.addGalleryMatches(ids, q, initials, limit);
    if (this.inGallery(q)) ids.add(q);
    const all = [...ids];
    return {
      customers: all.slice(0, CUSTOMER_RESULTS_MAX).map((id) => this.view(id)),
      truncated: all.length > CUSTOMER_RESULTS_MAX,
      pending_deletions: this.pendingCount(),
    };
  }

  consentRecords({ token, customer_id: customerId }: RequestOf<'consentRecords'>): CustomerView {
    this.p.staff.approver(token, 'manager');
    const v = this.view(customerId);
    if (v.display_name === null && !v.template_on_kiosk && v.consent === null && v.deletion === null)
      throw unknown(customerId);
    return v;
  }

  /** A manager deletes on the customer's request: here at once, everywhere at the next sync. */
  async deleteCustomer({ token, customer_id: customerId, reason }: RequestOf<'deleteCustomer'>): Promise<CustomerView> {
    const by = this.p.staff.approver(token, 'manager');
    const known = this.p.customers.get(customerId) !== undefined || this.inGallery(customerId);
    const done = this.deletion(customerId);
    if (!known && done === null) throw unknown(customerId);
    const view = this.view(customerId);
    if (done?.status !== 'propagated') {
      // A new request, or one asked again (after the server said no, or while it waits): each is
      // its own row of the history, with its approver and reason, and is tried at once.
      this.queue(customerId, by, reason);
      this.p.log.info({ customer: customerId, by, again: done !== null }, 'customer deletion queued');
    }
    this.removeLocally(customerId);
    await this.flush().catch((err: unknown) =>
      this.p.log.warn({ message: (err as Error).message }, 'deletion not sent yet'),
    );
    // The name and phone digits are gone now; the answer shows whom it was, once.
    return { ...view, template_on_kiosk: this.inGallery(customerId), deletion: this.deletion(customerId) };
  }

  /** The customer's own deletion at the kiosk (face + phone digits), already done on the server. */
  recordCustomerDeletion(customerId: string, deletedAtMs: number): void {
    this.db.transaction(() => {
      this.history(customerId, deletedAtMs, 'requested', 'customer', 'customer request at the kiosk');
      this.history(customerId, deletedAtMs, 'propagated', 'server', '');
      this.db
        .prepare(
          `INSERT INTO deletion_state (customer_id, status, propagated_at_ms) VALUES (?, 'propagated', ?)
           ON CONFLICT (customer_id) DO UPDATE SET status = 'propagated', propagated_at_ms = coalesce(propagated_at_ms, excluded.propagated_at_ms), last_error = NULL`,
        )
        .run(customerId, deletedAtMs);
    })();
  }

  /** Customers whose deletion is pending or was refused by the server: the gallery leaves them out
   * until the server confirms (its feed then drops them everywhere). */
  deletedIds(): ReadonlySet<string> {
    return new Set(
      this.db
        .prepare("SELECT customer_id FROM deletion_state WHERE status IN ('pending', 'refused')")
        .pluck()
        .all() as string[],
    );
  }

  // ---- deletion ----------------------------------------------------------------------------------

  private queue(customerId: string, by: string, reason: string): void {
    this.db.transaction(() => {
      const now = this.now();
      this.history(customerId, now, 'requested', by, clip(reason));
      // Due at once; the queue runs in order of due time, so a new request waits behind none
      // that is due earlier, and one put off (a failure) waits behind those asked meanwhile.
      this.db
        .prepare(
          `INSERT INTO deletion_state (customer_id, status, next_attempt_ms) VALUES (?, 'pending', ?)
           ON CONFLICT (customer_id) DO UPDATE SET status = 'pending', attempts = 0, next_attempt_ms = excluded.next_attempt_ms`,
        )
        .run(customerId, now);
    })();
  }

  private history(
    customerId: string,
    atMs: number,
    event: 'requested' | 'propagated' | 'refused',
    actor: string,
    detail: string,
  ): void {
    this.db
      .prepare('INSERT INTO deletion_history (customer_id, at_ms, event, actor, detail) VALUES (?, ?, ?, ?, ?)')
      .run(customerId, atMs, event, actor, detail);
  }

  /** The server deleted it (or never had it): final. */
  private propagated(customerId: string, atMs: number, note: string | null): void {
    this.db.transaction(() => {
      this.history(customerId, atMs, 'propagated', 'server', note ?? '');
      this.db
        .prepare(
          "UPDATE deletion_state SET status = 'propagated', propagated_at_ms = ?, last_error = ? WHERE customer_id = ?",
        )
        .run(atMs, note, customerId);
    })();
  }

  /** Drops the template from this kiosk's gallery and the customer from its directory. */
  private removeLocally(customerId: string): void {
    this.p.state.galleryRemove(customerId);
    this.p.gallery.invalidate();
    this.p.customers.remove(customerId);
  }

  pendingCount(): number {
    return this.db.prepare("SELECT count(*) FROM deletion_state WHERE status = 'pending'").pluck().get() as number;
  }

  /** Sends the queued deletions to the server; one attempt at a time. */
  flush(): Promise<void> {
    this.flushing ??= this.flushOnce().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  /** One round: the deletions due now (those the server failed on wait their backoff), oldest
   * first. A 5xx for one customer puts that one off and the others go on; a server that does not
   * answer ends the round (the one tried goes to the back of the queue, so that a customer whose
   * request hangs cannot hold the others up either); a refusal (4xx) waits for a manager. */
  private async flushOnce(): Promise<void> {
    const worker = this.p.worker;
    if (!worker) return;
    const pending = this.db
      .prepare(
        "SELECT customer_id, reason, attempts FROM deletions WHERE status = 'pending' AND next_attempt_ms <= ? ORDER BY next_attempt_ms, request_id LIMIT ?",
      )
      .all(this.now(), PRIVACY_FLUSH_BATCH_MAX) as { customer_id: string; reason: string; attempts: number }[];
    if (pending.length === 0) return;
    let sent = 0;
    for (const d of pending) {
      try {
        const r = await worker.http.deleteCustomer(d.customer_id, d.reason);
        this.propagated(d.customer_id, r.deleted_at_ms, null);
        sent++;
      } catch (err) {
        const e = err as { code?: string; serverCode?: string; message: string };
        // Never enrolled there (a local-only customer): nothing for the server to delete.
        if (e.serverCode === 'SETTLE_NOT_FOUND') {
          this.propagated(d.customer_id, this.now(), 'the settlement server had no such customer');
          continue;
        }
        if (e.code === 'SYNC_SERVER_REFUSED') {
          this.db.transaction(() => {
            this.history(d.customer_id, this.now(), 'refused', 'server', clip(e.message));
            this.db
              .prepare("UPDATE deletion_state SET status = 'refused', last_error = ? WHERE customer_id = ?")
              .run(clip(e.message), d.customer_id);
          })();
          continue;
        }
        if (e.code === 'SYNC_SERVER_UNREACHABLE') {
          this.db
            .prepare('UPDATE deletion_state SET last_error = ?, next_attempt_ms = ? WHERE customer_id = ?')
            .run(clip(e.message), this.now(), d.customer_id);
          break; // the server is away: the rest wait for the next round
        }
        // The server failed on this one (5xx, or an answer we cannot use): it waits, the others go on.
        const attempts = d.attempts + 1;
        this.db
          .prepare('UPDATE deletion_state SET last_error = ?, attempts = ?, next_attempt_ms = ? WHERE customer_id = ?')
          .run(clip(e.message), attempts, this.now() + retryDelayMs(attempts), d.customer_id);
        this.p.log.warn(
          { customer: d.customer_id, attempts, message: e.message },
          'customer deletion failed on the server; retried later',
        );
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

  /** Adds the gallery customers whose card matches (the phone's last 4 digits, a part of the name,
   * or the initials) until `ids` holds `limit`, reading at most PRIVACY_SCAN_ROWS_MAX of the gallery. */
  private addGalleryMatches(ids: Set<string>, q: string, initials: string | null, limit: number): void {
    if (ids.size >= limit) return;
    const skip = this.deletedIds();
    if (/^\d{4}$/.test(q)) {
      for (const id of this.p.gallery.withPhoneDigits(q)) if (!skip.has(id) && ids.size < limit) ids.add(id);
      return;
    }
    const part = q.toLowerCase();
    for (const id of this.p.state.galleryIds(PRIVACY_SCAN_ROWS_MAX)) {
      if (ids.size >= limit) break;
      if (skip.has(id) || ids.has(id)) continue;
      const card = this.p.gallery.card(id);
      if (card === undefined) continue;
      const name = card.display_name.slice(0, DISPLAY_NAME_MAX);
      if (name.toLowerCase().includes(part) || (initials !== null && initialsOf(name).replace(/\./g, '') === initials))
        ids.add(id);
    }
  }

  private inGallery(customerId: string): boolean {
    return this.p.state.galleryHas(customerId);
  }

  private view(customerId: string): CustomerView {
    const c: CustomerRecord | undefined = this.p.customers.get(customerId);
    // Enrolled at another kiosk: the name and phone digits come with the templates (the card).
    const card = c ?? this.p.gallery.card(customerId);
    const name = card ? card.display_name.slice(0, DISPLAY_NAME_MAX) : null;
    const enrolledAt = c?.enrolled_at_ms ?? this.p.state.galleryEnrolledAtMs(customerId) ?? null;
    return {
      customer_id: customerId,
      display_name: name,
      initials: name === null ? null : initialsOf(name),
      phone_last4: card?.phone_last4 ?? null,
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
