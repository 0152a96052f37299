// The kiosk's ledger on SQLite: append-only, hash-chained, signed, durable.
//
// Durability: WAL mode with synchronous = FULL. In WAL mode FULL fsyncs the write-ahead log
// at every commit, so an append is on disk when append() returns, and survives a power cut
// as well as a killed process. (NORMAL would survive a killed process but could lose the
// last commits on power loss: not acceptable for money.) test/ledger/store.test.ts reads
// the setting back, and the crash test kills appenders with SIGKILL.
//
// Every append is one IMMEDIATE transaction that re-reads the tip, checks the entry
// against the rules, verifies its own signature, and inserts one row. The store refuses an
// entry that breaks the chain, the signature, the seq or the money rules.

import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { canonicalBytes } from '../protocol/canonical.js';
import {
  ENTRY_BYTES_MAX,
  ENTRY_VERSION,
  parseEntry,
  type BodyByKind,
  type DayCloseBody,
  type Entry,
  type EntryKind,
} from '../protocol/entry.js';
import { LedgerError, assert } from '../protocol/errors.js';
import { fromHex, toHex } from '../protocol/hex.js';
import {
  checkNext,
  dayTotals,
  genesisTip,
  type ChainContext,
  type ChainTip,
  type OpenDay,
  type PaymentState,
} from '../protocol/rules.js';
import { entryHash, nodeMerkle, verifyEntrySignature } from '../keys/ed25519.js';
import type { DeviceKey } from '../keys/device-key.js';
import { LEDGER_MIGRATIONS, migrate } from './migrate.js';
import { keyForSeq } from '../verify/verify-range.js';
import { checkRow, decodeEntry, derivedColumns, ENTRY_ROW_COLUMNS, type EntryRow } from './rows.js';

/** One transaction holds at most this many appends: the write lock is held for all of them. */
export const APPEND_BATCH_ENTRIES_MAX = 10_000;

export interface StoredEntry {
  entry: Entry;
  entry_hash: string;
  signature: string;
}

export interface OpenOptions {
  path: string;
  kioskId: string;
  key: DeviceKey;
  /** IANA time zone of the store's business day; recorded at creation. */
  timezone?: string;
  /** Clock for created_at_ms; tests pass their own. */
  now?: () => number;
}

/** Key schedule: which key signs which seqs. The first item starts at seq 1. */
interface KeySpan {
  from_seq: number;
  public_key: Uint8Array;
}

export class LedgerStore implements ChainContext {
  readonly path: string;
  readonly kioskId: string;
  readonly timezone: string;
  private readonly db: Database.Database;
  private key: DeviceKey;
  private readonly now: () => number;
  private readonly keys: KeySpan[];
  private readonly stmts;

  private constructor(db: Database.Database, options: OpenOptions, meta: Map<string, string>) {
    this.db = db;
    this.path = options.path;
    this.kioskId = meta.get('kiosk_id')!;
    this.timezone = meta.get('timezone')!;
    this.key = options.key;
    this.now = options.now ?? Date.now;
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO entries (${ENTRY_ROW_COLUMNS}) VALUES (@seq, @kind, @created_at_ms, @canonical, @signature, @entry_hash, @payment_id, @payment_seq, @amount_minor, @currency, @customer_id)`,
      ),
      tip: db.prepare('SELECT seq, entry_hash FROM entries ORDER BY seq DESC LIMIT 1'),
      row: db.prepare(`SELECT ${ENTRY_ROW_COLUMNS} FROM entries WHERE seq = ?`),
      range: db.prepare(`SELECT ${ENTRY_ROW_COLUMNS} FROM entries WHERE seq BETWEEN ? AND ? ORDER BY seq`),
      hashes: db.prepare('SELECT entry_hash FROM entries WHERE seq BETWEEN ? AND ? ORDER BY seq').pluck(),
      payment: db.prepare("SELECT amount_minor, currency FROM entries WHERE seq = ? AND kind = 'payment'"),
      reversed: db.prepare(
        "SELECT coalesce(sum(amount_minor), 0) AS reversed, coalesce(max(kind = 'void'), 0) AS voided FROM entries WHERE payment_seq = ?",
      ),
      paymentId: db.prepare('SELECT 1 FROM entries WHERE payment_id = ?').pluck(),
      lastClose: db.prepare("SELECT seq, canonical FROM entries WHERE kind = 'day_close' ORDER BY seq DESC LIMIT 1"),
      rotations: db.prepare(`SELECT ${ENTRY_ROW_COLUMNS} FROM entries WHERE kind = 'key_rotation' ORDER BY seq`),
      count: db.prepare('SELECT count(*) FROM entries').pluck(),
      paymentCount: db.prepare("SELECT count(*) FROM entries WHERE kind = 'payment' AND customer_id = ?").pluck(),
      customerOf: db.prepare('SELECT customer_id FROM entries WHERE seq = ?').pluck(),
      byKind: db.prepare(`SELECT ${ENTRY_ROW_COLUMNS} FROM entries WHERE kind = ? ORDER BY seq`),
      kindSince: db.prepare(
        `SELECT ${ENTRY_ROW_COLUMNS} FROM entries WHERE created_at_ms >= ? AND kind = ? ORDER BY seq`,
      ),
      bySeqForDay: db.prepare("SELECT seq, canonical FROM entries WHERE kind = 'day_close' ORDER BY seq"),
    };
    this.keys = [{ from_seq: 1, public_key: fromHex(meta.get('genesis_public_key')!, 32) }];
    for (const row of this.stmts.rotations.all() as EntryRow[]) {
      const entry = checkRow(row, this.keyFor(row.seq));
      assert(entry.kind === 'key_rotation', 'rotation rows hold rotations');
      this.keys.push({ from_seq: row.seq + 1, public_key: fromHex(entry.body.new_public_key, 32) });
    }
    if (toHex(this.currentKey()) !== this.key.publicKeyHex) {
      throw new LedgerError(
        'LEDGER_WRONG_KEY',
        `ledger ${options.path} expects entries signed by key ${toHex(this.currentKey()).slice(0, 16)}…, but this device key is ${this.key.publicKeyHex.slice(0, 16)}…`,
      );
    }
  }

  /** Opens the ledger at `path`, creating it (and recording its kiosk and key) if it is new. */
  static open(options: OpenOptions): LedgerStore {
    const db = openDatabase(options.path, { create: true });
    try {
      migrate(db, LEDGER_MIGRATIONS, options.path);
      const meta = readMeta(db);
      if (meta.size === 0) {
        const insert = db.prepare('INSERT INTO ledger_meta (key, value) VALUES (?, ?)');
        db.transaction(() => {
          insert.run('kiosk_id', options.kioskId);
          insert.run('genesis_public_key', options.key.publicKeyHex);
          insert.run('timezone', options.timezone ?? 'UTC');
          insert.run('created_at_ms', String((options.now ?? Date.now)()));
        }).immediate();
        return new LedgerStore(db, options, readMeta(db));
      }
      if (meta.get('kiosk_id') !== options.kioskId) {
        throw new LedgerError(
          'LEDGER_KIOSK_MISMATCH',
          `ledger ${options.path} belongs to kiosk ${meta.get('kiosk_id')}, not ${options.kioskId}`,
        );
      }
      return new LedgerStore(db, options, meta);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  close(): void {
    this.db.close();
  }

  // --- writing ---------------------------------------------------------------------------

  /** Appends one signed entry, durably; returns once it is committed. */
  append<K extends EntryKind>(kind: K, body: BodyByKind[K]): StoredEntry {
    return this.db.transaction(() => this.appendInTransaction(kind, body)).immediate();
  }

  /**
   * Appends several entries in one transaction: all or none. For imports and test
   * fixtures; the kiosk itself appends one payment per transaction.
   */
  appendAll(items: readonly { kind: EntryKind; body: BodyByKind[EntryKind] }[]): StoredEntry[] {
    if (items.length > APPEND_BATCH_ENTRIES_MAX) {
      throw new RangeError(`appendAll takes at most ${APPEND_BATCH_ENTRIES_MAX} entries, got ${items.length}`);
    }
    return this.db.transaction(() => items.map((item) => this.appendInTransaction(item.kind, item.body))).immediate();
  }

  private appendInTransaction<K extends EntryKind>(kind: K, body: BodyByKind[K]): StoredEntry {
    const tip = this.tip();
    const draft = {
      v: ENTRY_VERSION,
      kiosk_id: this.kioskId,
      seq: tip.seq + 1,
      prev_hash: tip.entry_hash,
      kind,
      created_at_ms: this.now(),
      body,
    };
    const entry = parseEntry(draft);
    const canonical = canonicalBytes(entry);
    if (canonical.length > ENTRY_BYTES_MAX) {
      throw new LedgerError(
        'LEDGER_ENTRY_TOO_LARGE',
        `entry ${entry.seq}: ${canonical.length} bytes, more than ${ENTRY_BYTES_MAX}`,
        entry.seq,
      );
    }
    checkNext(entry, tip, this, nodeMerkle);
    const signature = this.key.signEntry(canonical);
    if (!verifyEntrySignature(this.key.publicKey, canonical, signature)) {
      throw new Error(`assertion failed: our own signature on entry ${entry.seq} does not verify`);
    }
    const hash = entryHash(canonical, signature);
    this.stmts.insert.run({ ...derivedColumns(entry), canonical, signature, entry_hash: hash });
    return { entry, entry_hash: toHex(hash), signature: toHex(signature) };
  }

  /**
   * Closes the business day: a day_close entry over every entry since the previous close,
   * with their count, per-currency totals and RFC 6962 Merkle root.
   */
  closeDay(businessDay: string, closedBy: string): StoredEntry {
    return this.db
      .transaction(() => {
        const first = this.openDay().first_seq;
        const last = this.tip().seq;
        const body: DayCloseBody = {
          business_day: businessDay,
          first_seq: first,
          last_seq: last,
          entry_count: last - first + 1,
          merkle_root: toHex(nodeMerkle.merkleRoot(this.entryHashes(first, last))),
          totals: dayTotals(this.entries(first, last)),
          closed_by: closedBy,
        };
        return this.appendInTransaction('day_close', body);
      })
      .immediate();
  }

  /**
   * Appends a key_rotation entry signed by the current key that names `next`, then signs
   * with `next`. The caller keeps `next` somewhere it survives a restart before calling.
   */
  rotateKey(next: DeviceKey, reason: string): StoredEntry {
    const stored = this.append('key_rotation', { new_public_key: next.publicKeyHex, reason });
    this.keys.push({ from_seq: stored.entry.seq + 1, public_key: next.publicKey });
    this.key = next;
    return stored;
  }

  // --- reading ---------------------------------------------------------------------------

  tip(): ChainTip {
    const row = this.stmts.tip.get() as { seq: number; entry_hash: Uint8Array } | undefined;
    const base = genesisTip(this.kioskId, toHex(this.currentKey()));
    return row === undefined ? base : { ...base, seq: row.seq, entry_hash: toHex(row.entry_hash) };
  }

  count(): number {
    return this.stmts.count.get() as number;
  }

  /** How many payments this ledger holds for a customer (the step-up asks on their first ones). */
  paymentCountOf(customerId: string): number {
    return this.stmts.paymentCount.get(customerId) as number;
  }

  /** The customer an entry names, read from its column without checking the row (the integrity
   * panel must still name a row that verify would refuse); null when none or no such entry. */
  customerOf(seq: number): string | null {
    return (this.stmts.customerOf.get(seq) as string | null | undefined) ?? null;
  }

  /** The entry at `seq`, verified again on the way out (signature, hash, columns). */
  get(seq: number): StoredEntry | undefined {
    const row = this.stmts.row.get(seq) as EntryRow | undefined;
    if (row === undefined) return undefined;
    return this.storedFrom(row);
  }

  /** Entries first..last, each verified on the way out. */
  *range(first: number, last: number): Generator<StoredEntry> {
    for (const row of this.stmts.range.iterate(first, last) as Iterable<EntryRow>) yield this.storedFrom(row);
  }

  /** Every entry of one kind, in order, each verified on the way out (uses the kind index). */
  *entriesOfKind(kind: EntryKind): Generator<StoredEntry> {
    for (const row of this.stmts.byKind.iterate(kind) as Iterable<EntryRow>) yield this.storedFrom(row);
  }

  /** The entries of one kind created at or after `createdAtMs`, in order, each verified on the
   * way out (uses the created_at index: a recent stretch is read, not the whole ledger). */
  *entriesOfKindSince(kind: EntryKind, createdAtMs: number): Generator<StoredEntry> {
    for (const row of this.stmts.kindSince.iterate(createdAtMs, kind) as Iterable<EntryRow>) yield this.storedFrom(row);
  }

  /** Checks the signatures, hashes and chain links of the last `n` entries. */
  verifyTail(n: number): { checked: number } {
    const tip = this.tip();
    const first = Math.max(1, tip.seq - n + 1);
    let prev: string | undefined =
      first > 1 ? toHex((this.stmts.row.get(first - 1) as EntryRow).entry_hash) : undefined;
    let checked = 0;
    for (const stored of this.range(first, tip.seq)) {
      if (prev !== undefined && stored.entry.prev_hash !== prev) {
        throw new LedgerError(
          'LEDGER_CHAIN_BROKEN',
          `entry ${stored.entry.seq}: prev_hash does not match entry ${stored.entry.seq - 1}`,
          stored.entry.seq,
        );
      }
      prev = stored.entry_hash;
      checked++;
    }
    return { checked };
  }

  /** Inclusion proof of entry `seq` in the Merkle tree of the day close that covers it. */
  inclusionProofFor(seq: number):
    | {
        day_close_seq: number;
        business_day: string;
        leaf_index: number;
        tree_size: number;
        root: string;
        proof: string[];
      }
    | undefined {
    for (const row of this.stmts.bySeqForDay.iterate() as Iterable<{ seq: number; canonical: Uint8Array }>) {
      const close = decodeEntry(row.canonical, row.seq);
      if (close.kind !== 'day_close') continue;
      const b = close.body;
      if (seq < b.first_seq || seq > b.last_seq) continue;
      const leaves = this.entryHashes(b.first_seq, b.last_seq);
      const proof = nodeMerkle.inclusionProof(leaves, seq - b.first_seq).map(toHex);
      return {
        day_close_seq: row.seq,
        business_day: b.business_day,
        leaf_index: seq - b.first_seq,
        tree_size: leaves.length,
        root: b.merkle_root,
        proof,
      };
    }
    return undefined;
  }

  private storedFrom(row: EntryRow): StoredEntry {
    const entry = checkRow(row, this.keyFor(row.seq));
    return { entry, entry_hash: toHex(row.entry_hash), signature: toHex(row.signature) };
  }

  private keyFor(seq: number): Uint8Array {
    return keyForSeq(this.keys, seq);
  }

  private currentKey(): Uint8Array {
    return this.keys[this.keys.length - 1]!.public_key;
  }

  // --- ChainContext: how the rules see earlier entries -------------------------------

  payment(seq: number): PaymentState | undefined {
    const paid = this.stmts.payment.get(seq) as { amount_minor: number; currency: string } | undefined;
    if (paid === undefined) return undefined;
    const r = this.stmts.reversed.get(seq) as { reversed: number; voided: number };
    return {
      amount_minor: paid.amount_minor,
      currency: paid.currency,
      reversed_minor: r.reversed,
      voided: r.voided === 1,
    };
  }

  hasPaymentId(paymentId: string): boolean {
    return this.stmts.paymentId.get(paymentId) !== undefined;
  }

  openDay(): OpenDay {
    const row = this.stmts.lastClose.get() as { seq: number; canonical: Uint8Array } | undefined;
    if (row === undefined) return { first_seq: 1, previous_business_day: null };
    const close = decodeEntry(row.canonical, row.seq);
    assert(close.kind === 'day_close', 'day_close rows hold day closes');
    return { first_seq: row.seq + 1, previous_business_day: close.body.business_day };
  }

  entryHashes(first: number, last: number): Uint8Array[] {
    return (this.stmts.hashes.all(first, last) as Uint8Array[]).map((b) => new Uint8Array(b));
  }

  *entries(first: number, last: number): Generator<Entry> {
    for (const row of this.stmts.range.iterate(first, last) as Iterable<EntryRow>)
      yield decodeEntry(row.canonical, row.seq);
  }

  /** Settings this store runs with, read back from SQLite (for tests and the status screen). */
  pragmas(): { journal_mode: string; synchronous: number } {
    return {
      journal_mode: this.db.pragma('journal_mode', { simple: true }) as string,
      synchronous: this.db.pragma('synchronous', { simple: true }) as number,
    };
  }
}

/** Opens a ledger file with the durability settings above; refuses a file that is not a ledger. */
export function openDatabase(path: string, options: { create: boolean; readonly?: boolean }): Database.Database {
  if (!options.create && !existsSync(path)) {
    throw new LedgerError('LEDGER_FILE_MISSING', `no ledger at ${path}`);
  }
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: !options.create });
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    // Touch the schema so that a file that is not SQLite fails here, with our message.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    throw new LedgerError('LEDGER_FILE_CORRUPT', `${path} is not a readable SQLite ledger: ${(err as Error).message}`);
  }
  return db;
}

function readMeta(db: Database.Database): Map<string, string> {
  const rows = db.prepare('SELECT key, value FROM ledger_meta').all() as { key: string; value: string }[];
  return new Map(rows.map((r) => [r.key, r.value]));
}
