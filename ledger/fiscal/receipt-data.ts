// What a fiscal receipt says about one signed ledger entry: its gross per VAT rate (in the
// slots of DSFinV-K's processData and of RKSV's receipt code), its payment types, and whether
// it reverses a payment. Derived only from the signed entry (and, for a refund or void, the
// method of the payment it reverses), so every amount on a receipt code traces to a signed
// entry. Runs anywhere.

import type { Entry, PaymentMethod } from '../protocol/entry.js';
import type { RateTotal } from '../protocol/sale.js';

/** The ledger kinds that are receipts (Belege): money changing hands. */
export const RECEIPT_KINDS = ['payment', 'refund', 'void'] as const;
export type ReceiptKind = (typeof RECEIPT_KINDS)[number];

/** DSFinV-K's five processData slots: 19 %, 7 %, 10.7 %, 5.5 %, 0 % (by basis points). */
export const DSFINVK_SLOTS_BP = [1900, 700, 1070, 550, 0] as const;
/** RKSV's five slots: Normal 20 %, Ermäßigt-1 10 %, Ermäßigt-2 13 %, Null 0 %, Besonders 19 %. */
export const RKSV_SLOTS_BP = [2000, 1000, 1300, 0, 1900] as const;
/** A rate neither table has goes to this slot: DSFinV-K's general rate, RKSV's "Besonders". */
const DSFINVK_OTHER_SLOT = 0;
const RKSV_OTHER_SLOT = 4;
/** Tips are untaxed: they go to the 0 % slot of each code. */
const DSFINVK_ZERO_SLOT = 4;
const RKSV_ZERO_SLOT = 3;

export interface ReceiptPayment {
  /** Signed: negative for money given back. */
  amount_minor: number;
  /** DSFinV-K's payment type: cash is "Bar", card and face are "Unbar". */
  type: 'Bar' | 'Unbar';
  method: PaymentMethod;
}

export interface ReceiptData {
  seq: number;
  kind: ReceiptKind;
  created_at_ms: number;
  currency: string;
  /** Per rate, signed (negative for a refund or void), as the entry signs them. */
  by_rate: RateTotal[];
  /** The tip (signed), untaxed. */
  tip_minor: number;
  /** Money of an entry signed without rates (v1), signed. */
  unrated_minor: number;
  payments: ReceiptPayment[];
  /** Gross of the whole receipt, signed. */
  total_minor: number;
}

export function isReceiptEntry(e: Entry): e is Extract<Entry, { kind: ReceiptKind }> {
  return (RECEIPT_KINDS as readonly string[]).includes(e.kind);
}

/** The receipt of a payment, refund or void; `methodOf` names the method of a reversed payment. */
export function receiptData(
  e: Extract<Entry, { kind: ReceiptKind }>,
  methodOf: (paymentSeq: number) => PaymentMethod | undefined,
): ReceiptData {
  const sign = e.kind === 'payment' ? 1 : -1;
  const method = e.kind === 'payment' ? e.body.method : (methodOf(e.body.payment_seq) ?? 'cash');
  const byRate = (e.body.by_rate ?? []).map((r) => ({
    ...r,
    net_minor: sign * r.net_minor,
    tax_minor: sign * r.tax_minor,
    gross_minor: sign * r.gross_minor,
  }));
  const tip = sign * (e.body.tip_minor ?? 0);
  const total = sign * e.body.amount_minor;
  const rated = byRate.reduce((s, r) => s + r.gross_minor, 0) + tip;
  return {
    seq: e.seq,
    kind: e.kind,
    created_at_ms: e.created_at_ms,
    currency: e.body.currency,
    by_rate: byRate,
    tip_minor: tip,
    unrated_minor: e.body.by_rate === undefined ? total : total - rated,
    payments: [{ amount_minor: total, type: method === 'cash' ? 'Bar' : 'Unbar', method }],
    total_minor: total,
  };
}

function slots(d: ReceiptData, table: readonly number[], other: number, zero: number): number[] {
  const out = table.map(() => 0);
  for (const r of d.by_rate) {
    const i = table.indexOf(r.rate_bp);
    out[i === -1 ? other : i]! += r.gross_minor;
  }
  out[zero]! += d.tip_minor;
  out[other]! += d.unrated_minor;
  return out;
}

export const dsfinvkSlots = (d: ReceiptData): number[] =>
  slots(d, DSFINVK_SLOTS_BP, DSFINVK_OTHER_SLOT, DSFINVK_ZERO_SLOT);
export const rksvSlots = (d: ReceiptData): number[] => slots(d, RKSV_SLOTS_BP, RKSV_OTHER_SLOT, RKSV_ZERO_SLOT);

/** "12.34", "-0.50" from minor units of a two-decimal currency (EUR: both laws' currency). */
export function decimal(minor: number, separator: '.' | ',' = '.'): string {
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}${separator}${digits.slice(-2)}`;
}

/** Minor units from "12.34" / "-0,50"; null when it is not such a number. */
export function parseDecimal(s: string, separator: '.' | ','): number | null {
  const m = new RegExp(`^(-?)(\\d{1,12})\\${separator}(\\d{2})$`).exec(s);
  if (m === null) return null;
  const v = Number(m[2]) * 100 + Number(m[3]);
  return m[1] === '-' ? -v : v;
}

/** DSFinV-K's processData of a receipt: "Beleg^<gross per slot>^<amount>:<type>[_...]". */
export function processData(d: ReceiptData): string {
  const amounts = dsfinvkSlots(d)
    .map((m) => decimal(m))
    .join('_');
  const cur = d.currency === 'EUR' ? '' : `:${d.currency}`;
  const pays = d.payments.map((p) => `${decimal(p.amount_minor)}:${p.type}${cur}`).join('_');
  return `Beleg^${amounts}^${pays}`;
}

export const PROCESS_TYPE_RECEIPT = 'Kassenbeleg-V1';
