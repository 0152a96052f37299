// The sync tables of the kiosk's ledger file (migration 0002): receipts, the feed cursor,
// the gallery, freezes and limits. The sync worker writes them; the payment path reads
// them (offline limits, freezes, the gallery). Its own better-sqlite3 connection to the
// ledger file: WAL lets it work beside the store's.
//
// This module owns the SQL on those tables: the host (the integrity and privacy panels, the
// payment path) asks by name, so that a migration here breaks at compile time, not on a
// manager's screen (test/ledger/table-owners.test.ts refuses SQL on them anywhere else).

import type Database from 'better-sqlite3';
import { openDatabase } from '../store/store.js';
import { LEDGER_MIGRATIONS, migrate } from '../store/migrate.js';
import { canonicalize } from '../protocol/canonical.js';
import { open } from '../wire/sealed-box.js';
import type { FeedItem, ReceiptItem, SealedBox, SignedBatch } from '../wire/wire.js';

export interface PendingEntry {
  seq: number;
  canonical: Uint8Array;
  signature: Uint8Array;
  entry_hash: string;
}

export interface KioskLimits {
  payment_minor_max: number;
  customer_day_minor_max: number;
  unsynced_age_ms_max: number;
}

/** sync_state keys: when a freeze was first seen (per target), and the fork alarm. */
const FREEZE_SEEN_PREFIX = 'freeze_seen_at:';
const FORK_ALARM_KEY = 'alarm_fork';
/** A fork alarm keeps the server's message up to this length. */
export const FORK_MESSAGE_CHARS_MAX = 500;

export interface ForkAlarm {
  first_at_ms: number;
  last_at_ms: number;
  count: number;
  message: string;
}

/** Receipts matched to the entries they name (a receipt matches when it names the hash of the
 * entry this ledger holds under its seq), and the entries the server has not receipted yet. */
export interface ReceiptsMatched {
  settled: number;
  recorded: number;
  declined: number;
  /** Entries without a receipt. */
  pending: number;
  /** Receipts that name an entry hash this ledger does not hold (or a seq it does not have). */
  mismatched: number;
}

/** A payment or refund the server declined after the kiosk took it: the manager's follow-up. */
export interface DeclinedEntry {
  seq: number;
  kind: 'payment' | 'refund';
  amount_minor: number;
  currency: string;
  customer_id: string | null;
  payment_seq: number | null;
  /** The entry's stored bytes, unchecked (the panel lists a row that verify would refuse). */
  canonical: Buffer;
  created_at_ms: number;
  reason: string | null;
  received_at_ms: number;
}

export class KioskState {
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(path: string) {
    this.db = openDatabase(path, { create: false });
    migrate(this.db, LEDGER_MIGRATIONS, path);
    const db = this.db;
    this.stmts = {
      syncedSeq: db.prepare('SELECT coalesce(max(seq), 0) FROM sync_receipts').pluck(),
      tipSeq: db.prepare('SELECT coalesce(max(seq), 0) FROM entries').pluck(),
      pending: db.prepare(
        'SELECT seq, canonical, signature, entry_hash FROM entries WHERE seq > ? ORDER BY seq LIMIT ?',
      ),
      oldestUnsynced: db.prepare('SELECT min(created_at_ms) FROM entries WHERE seq > ?').pluck(),
      insertBatch: db.prepare('INSERT OR IGNORE INTO sync_batches (batch_id, head, signature) VALUES (?, ?, ?)'),
      insertReceipt: db.prepare(
        'INSERT OR IGNORE INTO sync_receipts (seq, entry_hash, status, reason, receipt, batch_id, leaf_index, proof, received_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      receipt: db.prepare(
        'SELECT seq, entry_hash, status, reason, receipt, batch_id, leaf_index, proof FROM sync_receipts WHERE seq = ?',
      ),
      declined: db.prepare("SELECT seq, reason FROM sync_receipts WHERE status = 'declined' ORDER BY seq"),
      latestReceipt: db.prepare('SELECT seq, entry_hash FROM sync_receipts ORDER BY seq DESC LIMIT 1'),
      matchedByStatus: db.prepare(
        'SELECT r.status AS status, count(*) AS n FROM sync_receipts r JOIN entries e ON e.seq = r.seq WHERE lower(hex(e.entry_hash)) = r.entry_hash GROUP BY r.status',
      ),
      mismatched: db
        .prepare(
          'SELECT count(*) FROM sync_receipts r LEFT JOIN entries e ON e.seq = r.seq WHERE e.seq IS NULL OR lower(hex(e.entry_hash)) <> r.entry_hash',
        )
        .pluck(),
      firstMismatched: db
        .prepare(
          'SELECT r.seq FROM sync_receipts r LEFT JOIN entries e ON e.seq = r.seq WHERE e.seq IS NULL OR lower(hex(e.entry_hash)) <> r.entry_hash ORDER BY r.seq LIMIT 1',
        )
        .pluck(),
      unreceipted: db
        .prepare('SELECT count(*) FROM entries e LEFT JOIN sync_receipts r ON r.seq = e.seq WHERE r.seq IS NULL')
        .pluck(),
      declinedEntriesCount: db
        .prepare(
          `SELECT count(*) FROM sync_receipts r JOIN entries e ON e.seq = r.seq WHERE r.status = 'declined' AND e.kind IN ('payment', 'refund')`,
        )
        .pluck(),
      declinedEntries: db.prepare(
        `SELECT e.seq, e.kind, e.amount_minor, e.currency, e.customer_id, e.payment_seq, e.canonical, e.created_at_ms, r.reason, r.received_at_ms
         FROM sync_receipts r JOIN entries e ON e.seq = r.seq WHERE r.status = 'declined' AND e.kind IN ('payment', 'refund') ORDER BY e.seq DESC LIMIT ?`,
      ),
      getState: db.prepare('SELECT value FROM sync_state WHERE key = ?').pluck(),
      setState: db.prepare(
        'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      dropState: db.prepare('DELETE FROM sync_state WHERE key = ?'),
      freezes: db.prepare('SELECT target_type, target_id, reason FROM sync_freezes ORDER BY cursor DESC LIMIT ?'),
      putGallery: db.prepare(
        'INSERT INTO sync_gallery (customer_id, templates, enrolled_at_ms, cursor) VALUES (?, ?, ?, ?) ON CONFLICT (customer_id) DO UPDATE SET templates = excluded.templates, enrolled_at_ms = excluded.enrolled_at_ms, cursor = excluded.cursor',
      ),
      dropGallery: db.prepare('DELETE FROM sync_gallery WHERE customer_id = ?'),
      gallery: db.prepare('SELECT customer_id, templates FROM sync_gallery ORDER BY customer_id'),
      galleryIds: db.prepare('SELECT customer_id FROM sync_gallery ORDER BY customer_id LIMIT ?').pluck(),
      galleryHas: db.prepare('SELECT 1 FROM sync_gallery WHERE customer_id = ?').pluck(),
      galleryEnrolledAt: db.prepare('SELECT enrolled_at_ms FROM sync_gallery WHERE customer_id = ?').pluck(),
      putFreeze: db.prepare(
        'INSERT INTO sync_freezes (target_type, target_id, reason, cursor) VALUES (?, ?, ?, ?) ON CONFLICT (target_type, target_id) DO UPDATE SET reason = excluded.reason, cursor = excluded.cursor',
      ),
      dropFreeze: db.prepare('DELETE FROM sync_freezes WHERE target_type = ? AND target_id = ?'),
      frozen: db.prepare('SELECT reason FROM sync_freezes WHERE target_type = ? AND target_id = ?').pluck(),
      putLimits: db.prepare(
        'INSERT INTO sync_limits (currency, payment_minor_max, customer_day_minor_max, unsynced_age_ms_max, cursor) VALUES (?, ?, ?, ?, ?) ON CONFLICT (currency) DO UPDATE SET payment_minor_max = excluded.payment_minor_max, customer_day_minor_max = excluded.customer_day_minor_max, unsynced_age_ms_max = excluded.unsynced_age_ms_max, cursor = excluded.cursor',
      ),
      limits: db.prepare(
        'SELECT payment_minor_max, customer_day_minor_max, unsynced_age_ms_max FROM sync_limits WHERE currency = ?',
      ),
      customerDay: db
        .prepare(
          `SELECT coalesce(sum(e.amount_minor), 0) FROM entries e LEFT JOIN sync_receipts r ON r.seq = e.seq
         WHERE e.created_at_ms >= ? AND e.kind = 'payment' AND e.customer_id = ? AND e.currency = ? AND (r.status IS NULL OR r.status <> 'settled')`,
        )
        .pluck(),
    };
  }

  close(): void {
    this.db.close();
  }

  syncedSeq(): number {
    return this.stmts.syncedSeq.get() as number;
  }

  tipSeq(): number {
    return this.stmts.tipSeq.get() as number;
  }

  pending(limit: number): PendingEntry[] {
    const rows = this.stmts.pending.all(this.syncedSeq(), limit) as {
      seq: number;
      canonical: Buffer;
      signature: Buffer;
      entry_hash: Buffer;
    }[];
    return rows.map((r) => ({
      seq: r.seq,
      canonical: r.canonical,
      signature: r.signature,
      entry_hash: r.entry_hash.toString('hex'),
    }));
  }

  /** created_at_ms of the oldest entry the server has not receipted, or null when all are. */
  oldestUnsyncedAtMs(): number | null {
    return (this.stmts.oldestUnsynced.get(this.syncedSeq()) as number | null) ?? null;
  }

  /** Stores verified receipts (with their canonical texts) and their batches, in one transaction. */
  storeReceipts(
    items: readonly ReceiptItem[],
    texts: readonly string[],
    batches: readonly SignedBatch[],
    nowMs: number,
  ): void {
    this.db
      .transaction(() => {
        for (const b of batches) this.stmts.insertBatch.run(b.head.batch_id, canonicalize(b.head), b.signature);
        items.forEach((r, i) => {
          this.stmts.insertReceipt.run(
            r.receipt.seq,
            r.receipt.entry_hash,
            r.receipt.status,
            r.receipt.reason ?? null,
            texts[i],
            r.batch_id,
            r.leaf_index,
            JSON.stringify(r.proof ?? []),
            nowMs,
          );
        });
      })
      .immediate();
  }

  receipt(seq: number):
    | {
        seq: number;
        status: string;
        reason: string | null;
        receipt: string;
        batch_id: string;
        leaf_index: number;
        proof: string;
      }
    | undefined {
    return this.stmts.receipt.get(seq) as ReturnType<KioskState['receipt']>;
  }

  /** Payments and refunds the server declined after the fact: the manager's follow-up list. */
  declined(): { seq: number; reason: string | null }[] {
    return this.stmts.declined.all() as { seq: number; reason: string | null }[];
  }

  /** The newest receipt the server signed for this kiosk: a verification must still reach it. */
  latestReceipt(): { seq: number; entry_hash: string } | undefined {
    return this.stmts.latestReceipt.get() as { seq: number; entry_hash: string } | undefined;
  }

  receiptsMatched(): ReceiptsMatched {
    const byStatus = this.stmts.matchedByStatus.all() as { status: string; n: number }[];
    const n = (status: string): number => byStatus.find((x) => x.status === status)?.n ?? 0;
    return {
      settled: n('settled'),
      recorded: n('recorded'),
      declined: n('declined'),
      pending: this.stmts.unreceipted.get() as number,
      mismatched: this.stmts.mismatched.get() as number,
    };
  }

  /** The lowest seq whose receipt does not match the entry held under it; undefined when all match. */
  firstMismatchedReceiptSeq(): number | undefined {
    return this.stmts.firstMismatched.get() as number | undefined;
  }

  /** Payments and refunds the server declined after sync, newest first (at most `limit`), and how many in all. */
  declinedEntries(limit: number): { entries: DeclinedEntry[]; total: number } {
    return {
      entries: this.stmts.declinedEntries.all(limit) as DeclinedEntry[],
      total: this.stmts.declinedEntriesCount.get() as number,
    };
  }

  state(key: string): string | undefined {
    return this.stmts.getState.get(key) as string | undefined;
  }

  setState(key: string, value: string): void {
    this.stmts.setState.run(key, value);
  }

  feedCursor(): number {
    return Number(this.state('feed_cursor') ?? '0');
  }

  /** Applies one verified feed page, and moves the cursor, in one transaction. `nowMs` is kept as
   * when this kiosk first learnt of each freeze (the feed item carries no time of its own). */
  applyFeed(items: readonly FeedItem[], nextCursor: number, nowMs: number = Date.now()): void {
    this.db
      .transaction(() => {
        for (const item of items) {
          switch (item.type) {
            case 'customer_enrolled':
              this.stmts.putGallery.run(
                item.customer_id,
                canonicalize(item.templates),
                item.enrolled_at_ms,
                item.cursor,
              );
              break;
            case 'customer_deleted':
              this.stmts.dropGallery.run(item.customer_id);
              break;
            case 'freeze': {
              const seenKey = `${FREEZE_SEEN_PREFIX}${item.target_type}:${item.target_id}`;
              if (item.frozen) {
                this.stmts.putFreeze.run(item.target_type, item.target_id, item.reason, item.cursor);
                if (this.state(seenKey) === undefined) this.setState(seenKey, String(nowMs));
              } else {
                this.stmts.dropFreeze.run(item.target_type, item.target_id);
                this.stmts.dropState.run(seenKey);
              }
              break;
            }
            case 'limits':
              this.stmts.putLimits.run(
                item.currency,
                item.payment_minor_max,
                item.customer_day_minor_max,
                item.unsynced_age_ms_max,
                item.cursor,
              );
              break;
          }
        }
        this.setState('feed_cursor', String(nextCursor));
      })
      .immediate();
  }

  /** The gallery, templates opened with the kiosk's box key (for the matcher, in memory only). */
  gallery(boxSecret: Uint8Array): { customer_id: string; templates: Uint8Array }[] {
    const rows = this.stmts.gallery.all() as { customer_id: string; templates: string }[];
    return rows.flatMap((r) => {
      const plain = open(JSON.parse(r.templates) as SealedBox, boxSecret, r.customer_id);
      return plain === null ? [] : [{ customer_id: r.customer_id, templates: plain }];
    });
  }

  /** The customers whose templates this kiosk holds, in id order, at most `limit`. */
  galleryIds(limit: number = Number.MAX_SAFE_INTEGER): string[] {
    return this.stmts.galleryIds.all(limit) as string[];
  }

  galleryHas(customerId: string): boolean {
    return this.stmts.galleryHas.get(customerId) !== undefined;
  }

  /** When the server enrolled the customer whose templates this kiosk holds; undefined when none. */
  galleryEnrolledAtMs(customerId: string): number | undefined {
    return this.stmts.galleryEnrolledAt.get(customerId) as number | undefined;
  }

  /** Drops a customer's templates from this kiosk at once (a deletion asked for here); the
   * server's feed drops them again, everywhere, once it has the deletion. */
  galleryRemove(customerId: string): void {
    this.stmts.dropGallery.run(customerId);
  }

  /** The freezes in force that the server sent (newest first, at most `limit`), with when this
   * kiosk learnt of each (null for one applied before that was recorded). */
  freezes(limit: number): { target_type: string; target_id: string; reason: string; seen_at_ms: number | null }[] {
    const rows = this.stmts.freezes.all(limit) as { target_type: string; target_id: string; reason: string }[];
    return rows.map((r) => {
      const seen = this.state(`${FREEZE_SEEN_PREFIX}${r.target_type}:${r.target_id}`);
      return { ...r, seen_at_ms: seen === undefined ? null : Number(seen) };
    });
  }

  /** Records that the server refused our chain as a fork (first and last time, how often, why):
   * an alarm for the manager that outlives the sync worker's last error. */
  recordFork(message: string, atMs: number): void {
    const was = this.forkAlarm();
    const next: ForkAlarm = {
      first_at_ms: was?.first_at_ms ?? atMs,
      last_at_ms: atMs,
      count: (was?.count ?? 0) + 1,
      message: message.slice(0, FORK_MESSAGE_CHARS_MAX),
    };
    this.setState(FORK_ALARM_KEY, JSON.stringify(next));
  }

  forkAlarm(): ForkAlarm | undefined {
    const raw = this.state(FORK_ALARM_KEY);
    return raw === undefined ? undefined : (JSON.parse(raw) as ForkAlarm);
  }

  frozenReason(targetType: 'account' | 'payment', targetId: string): string | undefined {
    return this.stmts.frozen.get(targetType, targetId) as string | undefined;
  }

  limits(currency: string): KioskLimits | undefined {
    return this.stmts.limits.get(currency) as KioskLimits | undefined;
  }

  /** Today's face payments of a customer that the server has not settled (unsynced or declined). */
  customerUnsettledMinor(customerId: string, currency: string, sinceMs: number): number {
    return this.stmts.customerDay.get(sinceMs, customerId, currency) as number;
  }
}
