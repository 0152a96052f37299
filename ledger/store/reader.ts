// Read-only access to a ledger file for the CLIs: its identity, its key schedule, and
// rows verified on the way out (signature, hash, columns). Never writes.

import type Database from 'better-sqlite3';
import { LedgerError } from '../protocol/errors.js';
import type { Entry } from '../protocol/entry.js';
import { fromHex, toHex } from '../protocol/hex.js';
import { LEDGER_SCHEMA_VERSION } from './migrate.js';
import { checkRow, decodeEntry, ENTRY_ROW_COLUMNS, type EntryRow } from './rows.js';
import { openDatabase } from './store.js';
import { keyForSeq, type KeySpanHex } from '../verify/verify-range.js';

export interface ReadEntry {
  entry: Entry;
  entry_hash: string;
  signature: string;
}

export class LedgerReader {
  readonly meta: Map<string, string>;
  readonly keys: KeySpanHex[];
  readonly db: Database.Database;
  private readonly keyBytes: { from_seq: number; public_key: Uint8Array }[];

  constructor(readonly path: string) {
    this.db = openDatabase(path, { create: false, readonly: true });
    try {
      this.meta = readLedgerMeta(this.db, path);
      this.keys = keySchedule(this.db, this.meta.get('genesis_public_key')!);
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.keyBytes = this.keys.map((k) => ({ from_seq: k.from_seq, public_key: fromHex(k.public_key, 32) }));
  }

  get kioskId(): string {
    return this.meta.get('kiosk_id')!;
  }

  get timezone(): string {
    return this.meta.get('timezone') ?? 'UTC';
  }

  /** Rows first..last in order, each re-derived from its bytes; a bad row throws. */
  *range(first: number, last: number): Generator<ReadEntry> {
    const rows = this.db
      .prepare(`SELECT ${ENTRY_ROW_COLUMNS} FROM entries WHERE seq BETWEEN ? AND ? ORDER BY seq`)
      .iterate(first, last) as Iterable<EntryRow>;
    for (const row of rows) {
      const entry = checkRow(row, keyForSeq(this.keyBytes, row.seq));
      yield { entry, entry_hash: toHex(row.entry_hash), signature: toHex(row.signature) };
    }
  }

  close(): void {
    this.db.close();
  }
}

export function readLedgerMeta(db: Database.Database, path: string): Map<string, string> {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > LEDGER_SCHEMA_VERSION) {
    throw new LedgerError(
      'LEDGER_SCHEMA_TOO_NEW',
      `${path} has schema version ${version}, newer than this program's ${LEDGER_SCHEMA_VERSION}`,
    );
  }
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  if (!tables.includes('entries') || !tables.includes('ledger_meta')) {
    throw new LedgerError(
      'LEDGER_FILE_CORRUPT',
      `${path} is an SQLite file, but not a Smile to Pay ledger (no entries table)`,
    );
  }
  const rows = db.prepare('SELECT key, value FROM ledger_meta').all() as { key: string; value: string }[];
  const meta = new Map(rows.map((r) => [r.key, r.value]));
  for (const key of ['kiosk_id', 'genesis_public_key']) {
    if (!meta.has(key)) throw new LedgerError('LEDGER_FILE_CORRUPT', `${path}: the ledger's identity has no ${key}`);
  }
  if (!/^[0-9a-f]{64}$/.test(meta.get('genesis_public_key')!)) {
    throw new LedgerError('LEDGER_FILE_CORRUPT', `${path}: the ledger's first key is not 32 bytes of hex`);
  }
  return meta;
}

/**
 * Which key signs which seqs, from the rows that claim to be key rotations. A claim is
 * only a claim here: the workers check each such row's bytes, kind and signature, and a
 * false claim is a fault at its own seq, before any entry it could mislead.
 */
export function keySchedule(db: Database.Database, genesisKey: string): KeySpanHex[] {
  const keys: KeySpanHex[] = [{ from_seq: 1, public_key: genesisKey }];
  const rows = db.prepare("SELECT seq, canonical FROM entries WHERE kind = 'key_rotation' ORDER BY seq").all() as {
    seq: number;
    canonical: Uint8Array;
  }[];
  for (const row of rows) {
    try {
      const entry = decodeEntry(row.canonical, row.seq);
      if (entry.kind === 'key_rotation') keys.push({ from_seq: row.seq + 1, public_key: entry.body.new_public_key });
    } catch {
      // A broken rotation row is reported by the range check at its seq.
    }
  }
  return keys;
}
