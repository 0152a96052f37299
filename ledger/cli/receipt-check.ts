// `ledger receipt-check '<code>' --key <hex> [--ledger DB]`: checks a receipt code, DSFinV-K's
// QR ("V0;...") or the RKSV code ("_ED1-AT0_..."), against the signing unit's public key. With
// the ledger beside it, each field is also compared with the signed entry it names, so a
// changed amount or time is named by its field before the signature is. Exit 0: valid; 1: a
// fault, naming the field; 2: not a receipt code at all (ReceiptCodeFormatError).

import type { Entry, PaymentMethod } from '../protocol/entry.js';
import { fromHex } from '../protocol/hex.js';
import { LedgerReader } from '../store/reader.js';
import { parseQrCode, qrFault, type CodeFault, type QrCode } from '../fiscal/qr-code.js';
import { parseRksvCode, rksvFault, type RksvCode } from '../fiscal/rksv-code.js';
import { decimal, isReceiptEntry, processData, receiptData, rksvSlots } from '../fiscal/receipt-data.js';
import { unitSerialOf } from '../fiscal/signing-unit.js';

export interface CheckResult {
  ok: boolean;
  kind: 'dsfinvk' | 'rksv';
  transaction: string;
  fault: CodeFault | null;
}

export function receiptCheck(code: string, publicKey: Uint8Array, ledgerPath?: string): CheckResult {
  if (code.startsWith('V0;')) {
    const q = parseQrCode(code);
    const fault =
      (ledgerPath ? withLedger(ledgerPath, Number(q.transaction_number), (e, m) => qrAgainst(q, e, m)) : null) ??
      qrFault(q, publicKey);
    return { ok: fault === null, kind: 'dsfinvk', transaction: q.transaction_number, fault };
  }
  const r = parseRksvCode(code);
  const fault =
    (ledgerPath ? withLedger(ledgerPath, Number(r.receipt_number), (e, m) => rksvAgainst(r, e, m)) : null) ??
    rksvFault(r, publicKey, unitSerialOf(publicKey));
  return { ok: fault === null, kind: 'rksv', transaction: r.receipt_number, fault };
}

export function parseKey(hex: string): Uint8Array {
  return fromHex(hex, 32);
}

function withLedger(
  path: string,
  seq: number,
  compare: (
    e: Extract<Entry, { kind: 'payment' | 'refund' | 'void' }>,
    methodOf: (s: number) => PaymentMethod | undefined,
  ) => CodeFault | null,
): CodeFault | null {
  if (!Number.isSafeInteger(seq) || seq < 1) return { field: 'transaction_number', message: 'expected an entry seq' };
  const reader = new LedgerReader(path);
  try {
    const [read] = [...reader.range(seq, seq)];
    if (!read || !isReceiptEntry(read.entry))
      return { field: 'transaction_number', message: `the ledger has no payment, refund or void at seq ${seq}` };
    const methodOf = (s: number): PaymentMethod | undefined => {
      const [p] = [...reader.range(s, s)];
      return p?.entry.kind === 'payment' ? p.entry.body.method : undefined;
    };
    if (read.entry.kiosk_id !== reader.kioskId) return { field: 'kassen_serial', message: 'another till' };
    return compare(read.entry, methodOf);
  } finally {
    reader.close();
  }
}

function qrAgainst(
  q: QrCode,
  e: Entry & { kind: 'payment' | 'refund' | 'void' },
  methodOf: (s: number) => PaymentMethod | undefined,
): CodeFault | null {
  if (q.kassen_serial !== e.kiosk_id) return { field: 'kassen_serial', message: `the ledger's till is ${e.kiosk_id}` };
  const pd = processData(receiptData(e, methodOf));
  if (q.process_data !== pd) return { field: 'process_data', message: `the signed entry ${e.seq} says ${pd}` };
  if (q.start_time !== new Date(e.created_at_ms).toISOString())
    return {
      field: 'start_time',
      message: `the signed entry ${e.seq} was made at ${new Date(e.created_at_ms).toISOString()}`,
    };
  return null;
}

const RKSV_AMOUNTS = [
  'amount_normal',
  'amount_reduced_1',
  'amount_reduced_2',
  'amount_zero',
  'amount_special',
] as const;

function rksvAgainst(
  r: RksvCode,
  e: Entry & { kind: 'payment' | 'refund' | 'void' },
  methodOf: (s: number) => PaymentMethod | undefined,
): CodeFault | null {
  if (r.kassen_id !== e.kiosk_id) return { field: 'kassen_id', message: `the ledger's till is ${e.kiosk_id}` };
  const slots = rksvSlots(receiptData(e, methodOf));
  for (const [i, f] of RKSV_AMOUNTS.entries())
    if (r[f] !== decimal(slots[i]!, ','))
      return { field: f, message: `the signed entry ${e.seq} says ${decimal(slots[i]!, ',')}` };
  return null;
}
