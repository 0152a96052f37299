// Ledger entries as the staff screens show them (the day's list, the manager's report), and the
// per-currency totals of the money among them. Shared by day.ts and reports.ts.
import { z } from 'zod';
import { ID_LENGTH_MAX } from './constants.js';
import {
  actor,
  currency,
  entryKind,
  id,
  minor,
  paymentMethod,
  seq,
  settlementStatus,
  signedMinor,
  text,
  timeMs,
} from './shapes.js';

/** One ledger entry as the staff screens show it. */
export const DayEntry = z.object({
  seq,
  kind: entryKind,
  created_at_ms: timeMs,
  amount_minor: minor.nullable(),
  currency: currency.nullable(),
  method: paymentMethod.nullable(),
  order_id: id.nullable(),
  /** Refunds and voids: the payment they reverse. */
  payment_seq: seq.nullable(),
  /** Payments: what is left to refund or void. */
  refundable_minor: minor.nullable(),
  /** Who took, approved or closed it ("cashier:bo"); null for a face payment. */
  actor: z.string().max(ID_LENGTH_MAX).nullable(),
  reason: text.nullable(),
  /** Payments: the settlement server's receipt (settled or declined for a face payment; recorded
   * for cash and card, which move no wallet money), or pending until it has receipted it. */
  settlement: settlementStatus.nullable(),
});
export type DayEntry = z.infer<typeof DayEntry>;

export const DayTotal = z.object({
  currency,
  payment_count: z.number().int().min(0),
  gross_minor: minor,
  refunds_minor: minor,
  voids_minor: minor,
  net_minor: signedMinor,
});
export type DayTotal = z.infer<typeof DayTotal>;

/** A refund's or a void's answer: the new entry, and who approved it. */
export const Reversal = z.object({ entry: DayEntry, approved_by: actor });
