// One stored row of the entries table, and the check that re-derives it from its bytes.
// Shared by the store (verify on read) and `verify` (every row), so that both judge a row
// by the same rules.

import { canonicalize } from '../protocol/canonical.js';
import { ENTRY_BYTES_MAX, parseEntry, type Entry } from '../protocol/entry.js';
import { LedgerError } from '../protocol/errors.js';
import { toHex } from '../protocol/hex.js';
import { equalBytes } from '../protocol/merkle.js';
import { entryHash, verifyEntrySignature } from '../keys/ed25519.js';

export interface EntryRow {
  seq: number;
  kind: string;
  created_at_ms: number;
  canonical: Uint8Array;
  signature: Uint8Array;
  entry_hash: Uint8Array;
  payment_id: string | null;
  payment_seq: number | null;
  amount_minor: number | null;
  currency: string | null;
  customer_id: string | null;
}

export const ENTRY_ROW_COLUMNS =
  'seq, kind, created_at_ms, canonical, signature, entry_hash, payment_id, payment_seq, amount_minor, currency, customer_id';

/** The query columns an entry implies; verify checks that the stored ones agree. */
export function derivedColumns(e: Entry): Omit<EntryRow, 'canonical' | 'signature' | 'entry_hash'> {
  const base = { seq: e.seq, kind: e.kind, created_at_ms: e.created_at_ms };
  switch (e.kind) {
    case 'payment':
      return {
        ...base,
        payment_id: e.body.payment_id,
        // A split bill's later part names its sale's payment, so that the sale's entries are found.
        payment_seq: e.body.sale_seq ?? null,
        amount_minor: e.body.amount_minor,
        currency: e.body.currency,
        customer_id: e.body.customer_id ?? null,
      };
    case 'refund':
    case 'void':
      return {
        ...base,
        payment_id: null,
        payment_seq: e.body.payment_seq,
        amount_minor: e.body.amount_minor,
        currency: e.body.currency,
        customer_id: null,
      };
    default:
      return { ...base, payment_id: null, payment_seq: null, amount_minor: null, currency: null, customer_id: null };
  }
}

/**
 * The first query column that disagrees with the bytes, as [column, stored, expected], or
 * null. The same facts as derivedColumns(), compared without building an object: verify
 * runs this on every row.
 */
function columnMismatch(e: Entry, row: EntryRow): [string, unknown, unknown] | null {
  if (row.seq !== e.seq) return ['seq', row.seq, e.seq];
  if (row.kind !== e.kind) return ['kind', row.kind, e.kind];
  if (row.created_at_ms !== e.created_at_ms) return ['created_at_ms', row.created_at_ms, e.created_at_ms];
  let paymentId: string | null = null;
  let paymentSeq: number | null = null;
  let amount: number | null = null;
  let currency: string | null = null;
  let customer: string | null = null;
  if (e.kind === 'payment') {
    paymentId = e.body.payment_id;
    paymentSeq = e.body.sale_seq ?? null;
    amount = e.body.amount_minor;
    currency = e.body.currency;
    customer = e.body.customer_id ?? null;
  } else if (e.kind === 'refund' || e.kind === 'void') {
    paymentSeq = e.body.payment_seq;
    amount = e.body.amount_minor;
    currency = e.body.currency;
  }
  if (row.payment_id !== paymentId) return ['payment_id', row.payment_id, paymentId];
  if (row.payment_seq !== paymentSeq) return ['payment_seq', row.payment_seq, paymentSeq];
  if (row.amount_minor !== amount) return ['amount_minor', row.amount_minor, amount];
  if (row.currency !== currency) return ['currency', row.currency, currency];
  if (row.customer_id !== customer) return ['customer_id', row.customer_id, customer];
  return null;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes canonical bytes into an entry, refusing anything that is not exactly canonical. */
export function decodeEntry(canonical: Uint8Array, seqHint: number): Entry {
  if (canonical.length > ENTRY_BYTES_MAX) {
    throw new LedgerError(
      'LEDGER_ENTRY_TOO_LARGE',
      `entry ${seqHint}: ${canonical.length} bytes, more than ${ENTRY_BYTES_MAX}`,
      seqHint,
    );
  }
  let text: string;
  let value: unknown;
  try {
    text = decoder.decode(canonical);
    value = JSON.parse(text);
  } catch {
    throw new LedgerError('LEDGER_NOT_CANONICAL', `entry ${seqHint}: stored bytes are not UTF-8 JSON`, seqHint);
  }
  const entry = parseEntry(value);
  if (canonicalize(entry) !== text) {
    throw new LedgerError(
      'LEDGER_NOT_CANONICAL',
      `entry ${seqHint}: stored bytes are not the RFC 8785 form of the entry`,
      seqHint,
    );
  }
  return entry;
}

/**
 * Re-derives one row from its bytes: the entry, its signature under `publicKey`, its hash,
 * and every derived column. Returns the entry, or throws the LedgerError naming the fault.
 */
export function checkRow(row: EntryRow, publicKey: Uint8Array): Entry {
  const seq = row.seq;
  const entry = decodeEntry(row.canonical, seq);
  if (entry.seq !== seq) {
    throw new LedgerError(
      'LEDGER_ROW_MISMATCH',
      `entry ${seq}: the row at seq ${seq} holds the bytes of entry ${entry.seq}`,
      seq,
    );
  }
  if (!verifyEntrySignature(publicKey, row.canonical, row.signature)) {
    throw new LedgerError(
      'LEDGER_BAD_SIGNATURE',
      `entry ${seq}: the signature does not verify under key ${toHex(publicKey).slice(0, 16)}…`,
      seq,
    );
  }
  const hash = entryHash(row.canonical, row.signature);
  if (!equalBytes(hash, row.entry_hash)) {
    throw new LedgerError(
      'LEDGER_ROW_MISMATCH',
      `entry ${seq}: stored entry_hash is not the SHA-256 of its bytes and signature`,
      seq,
    );
  }
  const mismatch = columnMismatch(entry, row);
  if (mismatch !== null) {
    const [column, stored, value] = mismatch;
    throw new LedgerError(
      'LEDGER_ROW_MISMATCH',
      `entry ${seq}: column ${column} holds ${JSON.stringify(stored)}, the bytes say ${JSON.stringify(value)}`,
      seq,
    );
  }
  return entry;
}
