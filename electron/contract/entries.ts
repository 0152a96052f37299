// Ledger entries as the staff screens show them (the day's list, the manager's report), and the
// per-currency totals of the money among them. Shared by day.ts and reports.ts.
//
// An entry row is a union by kind: every row has the same fields, so that a table can show any
// of them, but each kind says which of its fields hold a value and which are always null (a
// payment always has its amount, currency, method and order; a day's close never has an
// amount). A screen that has narrowed a row by its kind needs no fallback for a missing value.
import { z } from 'zod';
import {
  actor,
  currency,
  freeText,
  id,
  minor,
  paymentMethod,
  seq,
  settlementStatus,
  signedMinor,
  text,
  timeMs,
} from './shapes.js';

/** The fields a kind leaves empty. */
const none = {
  amount_minor: z.null(),
  currency: z.null(),
  method: z.null(),
  order_id: z.null(),
  payment_seq: z.null(),
  refundable_minor: z.null(),
  settlement: z.null(),
  tip_minor: z.null(),
  sale_seq: z.null(),
  direction: z.null(),
  variance_minor: z.null(),
};

export const PaymentEntry = z.object({
  ...none,
  kind: z.literal('payment'),
  seq,
  created_at_ms: timeMs,
  amount_minor: minor,
  currency,
  method: paymentMethod,
  order_id: id,
  /** What is left to refund or void. */
  refundable_minor: minor,
  /** The tip inside amount_minor (0 for none; null for a payment signed before tips, v1). */
  tip_minor: minor.nullable(),
  /** The payment that carries its sale (its own seq, or a split bill's first part); null for a
   * payment signed without its lines (v1), which can be refunded by amount only. */
  sale_seq: seq.nullable(),
  /** Who took it at the counter ("cashier:bo"); null for a face payment. */
  actor: actor.nullable(),
  reason: z.null(),
  /** The settlement server's receipt (settled or declined for a face payment; recorded for cash
   * and card, which move no wallet money), or pending until it has receipted it. */
  settlement: settlementStatus,
});
export type PaymentEntry = z.infer<typeof PaymentEntry>;

/** A refund or a void: the payment it reverses, who approved it and why. The reversed payment's
 * method and order and the reversal's own settlement are the report's (the day's list leaves
 * them null). */
const reversal = <K extends 'refund' | 'void'>(kind: K) =>
  z.object({
    ...none,
    kind: z.literal(kind),
    seq,
    created_at_ms: timeMs,
    amount_minor: minor,
    currency,
    method: paymentMethod.nullable(),
    order_id: id.nullable(),
    payment_seq: seq,
    actor,
    reason: text,
    settlement: settlementStatus.nullable(),
  });
export const RefundEntry = reversal('refund');
export const VoidEntry = reversal('void');
export type ReversalEntry = z.infer<typeof RefundEntry> | z.infer<typeof VoidEntry>;

/** A day's close: who closed it; the reason says which day. */
export const DayCloseEntry = z.object({
  ...none,
  kind: z.literal('day_close'),
  seq,
  created_at_ms: timeMs,
  actor,
  reason: text,
});
/** A setting changed (or kiosk mode left): who changed it; the reason says key = value. */
export const ConfigEntry = z.object({
  ...none,
  kind: z.literal('config'),
  seq,
  created_at_ms: timeMs,
  actor,
  reason: text,
});
/** The device key rotated: why. */
export const KeyRotationEntry = z.object({
  ...none,
  kind: z.literal('key_rotation'),
  seq,
  created_at_ms: timeMs,
  actor: z.null(),
  reason: text,
});

/** The till: a shift opened with its float, cash paid in or out (why, in the reason), a shift
 * closed with what was counted (amount_minor) and the variance against what was expected. */
export const ShiftOpenEntry = z.object({
  ...none,
  kind: z.literal('shift_open'),
  seq,
  created_at_ms: timeMs,
  amount_minor: minor,
  currency,
  actor,
  reason: z.null(),
});
export const CashMoveEntry = z.object({
  ...none,
  kind: z.literal('cash_move'),
  seq,
  created_at_ms: timeMs,
  amount_minor: minor,
  currency,
  direction: z.enum(['in', 'out']),
  actor,
  reason: text,
});
export const ShiftCloseEntry = z.object({
  ...none,
  kind: z.literal('shift_close'),
  seq,
  created_at_ms: timeMs,
  amount_minor: minor,
  currency,
  variance_minor: signedMinor,
  actor,
  reason: z.null(),
});

const ENTRY_ROWS = [
  PaymentEntry,
  RefundEntry,
  VoidEntry,
  DayCloseEntry,
  ConfigEntry,
  KeyRotationEntry,
  ShiftOpenEntry,
  CashMoveEntry,
  ShiftCloseEntry,
] as const;

/** One ledger entry as the staff screens show it. */
export const DayEntry = z.discriminatedUnion('kind', ENTRY_ROWS);
export type DayEntry = z.infer<typeof DayEntry>;

/** What a report adds to each row: the customer (a refund's is its payment's) and the local hour. */
const reportFields = {
  customer_id: id.nullable(),
  customer_initials: freeText(8).nullable(),
  /** The local hour (0..23) of created_at_ms in the store's time zone. */
  hour: z.number().int().min(0).max(23),
};
/** An entry in a report: a DayEntry whose method and order, for refunds and voids, are the
 * reversed payment's, whose settlement is the entry's own receipt, with its customer and hour. */
export const ReportEntry = z.discriminatedUnion('kind', [
  PaymentEntry.extend(reportFields),
  RefundEntry.extend(reportFields),
  VoidEntry.extend(reportFields),
  DayCloseEntry.extend(reportFields),
  ConfigEntry.extend(reportFields),
  KeyRotationEntry.extend(reportFields),
  ShiftOpenEntry.extend(reportFields),
  CashMoveEntry.extend(reportFields),
  ShiftCloseEntry.extend(reportFields),
]);
export type ReportEntry = z.infer<typeof ReportEntry>;

export const DayTotal = z.object({
  currency,
  payment_count: z.number().int().min(0),
  gross_minor: minor,
  refunds_minor: minor,
  voids_minor: minor,
  net_minor: signedMinor,
  /** Days with sales (v2): tips less tips given back, and money of entries without rates (v1). */
  tips_minor: signedMinor.optional(),
  unrated_minor: signedMinor.optional(),
});
export type DayTotal = z.infer<typeof DayTotal>;

/** A refund's or a void's answer: the new entry, and who approved it. */
export const Reversal = z.object({ entry: z.discriminatedUnion('kind', [RefundEntry, VoidEntry]), approved_by: actor });
