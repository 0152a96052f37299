// The per-row half of `verify`: re-derive each row of a seq range from its bytes (canonical
// form, signature, hash, derived columns), with no knowledge of the rows outside the range.
// Runs on the main thread for small ledgers and in worker threads for large ones; the
// sequential half (chain, seq, money, day closes) is in verify.ts.

import Database from 'better-sqlite3';
import type { Entry } from '../protocol/entry.js';
import { LedgerError } from '../protocol/errors.js';
import { fromHex } from '../protocol/hex.js';
import { checkRow, ENTRY_ROW_COLUMNS, type EntryRow } from '../store/rows.js';

export interface KeySpanHex {
  from_seq: number;
  public_key: string;
}

export interface RangeFault {
  seq: number;
  code: string;
  message: string;
}

export interface RangeResult {
  /** Entries in seq order, up to (not including) the first fault. */
  entries: Entry[];
  /** entry_hash of each entry above, 32 bytes each, concatenated. */
  hashes: Uint8Array;
  /** The first row (by seq) that failed its own checks, if any. */
  fault: RangeFault | null;
  /** The seq of the first row that was read, for gap checks across ranges. */
  rows_read: number;
}

export function keyForSeq(keys: readonly { from_seq: number; public_key: Uint8Array }[], seq: number): Uint8Array {
  let key = keys[0]!.public_key;
  for (const span of keys) if (span.from_seq <= seq) key = span.public_key;
  return key;
}

/** Checks the rows with rowid first..last of the ledger at `path`. */
export function verifyRange(path: string, first: number, last: number, keysHex: readonly KeySpanHex[]): RangeResult {
  const keys = keysHex.map((k) => ({ from_seq: k.from_seq, public_key: fromHex(k.public_key, 32) }));
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(`SELECT ${ENTRY_ROW_COLUMNS} FROM entries WHERE seq BETWEEN ? AND ? ORDER BY seq`)
      .iterate(first, last) as Iterable<EntryRow>;
    const entries: Entry[] = [];
    const hashes = new Uint8Array((last - first + 1) * 32);
    let fault: RangeFault | null = null;
    let rowsRead = 0;
    for (const row of rows) {
      rowsRead++;
      try {
        entries.push(checkRow(row, keyForSeq(keys, row.seq)));
        hashes.set(row.entry_hash, (entries.length - 1) * 32);
      } catch (err) {
        fault = asFault(err, row.seq);
        break;
      }
    }
    return { entries, hashes: hashes.subarray(0, entries.length * 32), fault, rows_read: rowsRead };
  } finally {
    db.close();
  }
}

export function asFault(err: unknown, seq: number): RangeFault {
  if (err instanceof LedgerError) return { seq: err.seq ?? seq, code: err.code, message: err.message };
  return { seq, code: 'LEDGER_ENTRY_INVALID', message: `entry ${seq}: ${(err as Error).message}` };
}
