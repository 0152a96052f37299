// The open business day at the counter (cashier or manager): its entries with their totals,
// orders paid by cash or card, refunds and voids (above limits.refund_cashier_max_minor only a
// manager's), and the manager's close of the day (the signed Z report) and exports.
import { z } from 'zod';
import {
  DAY_ENTRIES_LISTED_MAX,
  DAY_TOTALS_MAX,
  EXPORT_CHARS_MAX,
  ORDER_LINES_MAX,
  LINE_QUANTITY_MAX,
} from '../constants.js';
import { DayEntry, DayTotal, PaymentEntry, Reversal } from '../entries.js';
import {
  actor,
  businessDay,
  call,
  count,
  currency,
  hex64,
  id,
  minor,
  reason,
  seq,
  signedMinor,
  staffToken,
  timeMs,
} from '../shapes.js';
import { Order, RateTotal, rateBp, taxId } from './orders.js';
import { Receipt } from './receipts.js';

/** Units of a sold line: a part of a bill split by items, or a refund by item. */
export const ItemTake = z.object({
  line: z
    .number()
    .int()
    .min(0)
    .max(ORDER_LINES_MAX - 1),
  quantity: z.number().int().min(1).max(LINE_QUANTITY_MAX),
});
export const itemTakes = z.array(ItemTake).min(1).max(ORDER_LINES_MAX);

/** A day's takings per rate (payments less refunds and voids): may be negative on a day of refunds. */
export const DayRateTotal = z.object({
  currency,
  rate_id: taxId,
  rate_bp: rateBp,
  net_minor: signedMinor,
  tax_minor: signedMinor,
  gross_minor: signedMinor,
});
export type DayRateTotal = z.infer<typeof DayRateTotal>;

/** A day's cash per currency: the shifts closed in it, and cash taken while no shift was open. */
export const DayCash = z.object({
  currency,
  shifts: count,
  float_minor: signedMinor,
  cash_sales_minor: signedMinor,
  cash_refunds_minor: signedMinor,
  pay_ins_minor: signedMinor,
  pay_outs_minor: signedMinor,
  expected_minor: signedMinor,
  counted_minor: signedMinor,
  variance_minor: signedMinor,
  outside_shifts_minor: signedMinor,
});
export type DayCash = z.infer<typeof DayCash>;

/** The Z report: what the day_close entry signs, with the key that signed it. */
export const ZReport = z.object({
  business_day: businessDay,
  day_close_seq: seq,
  entry_hash: hex64,
  first_seq: seq,
  last_seq: count,
  entry_count: count,
  merkle_root: hex64,
  totals: z.array(DayTotal).max(DAY_TOTALS_MAX),
  /** A v2 close (a day with sales): takings per rate, tips (in totals) and cash; empty otherwise. */
  by_rate: z.array(DayRateTotal).max(DAY_TOTALS_MAX * 8),
  cash: z.array(DayCash).max(DAY_TOTALS_MAX),
  closed_by: actor,
  signer_public_key: hex64,
  closed_at_ms: timeMs,
});
export type ZReport = z.infer<typeof ZReport>;

const exportFormat = z.enum(['csv', 'json']);

export const dayCalls = {
  /** The open day's entries, newest first (cashier or manager). */
  dayEntries: call({
    channel: 'day:entries',
    timeout_ms: 5_000,
    request: z.object({ token: staffToken }),
    response: z.object({
      business_day: businessDay,
      first_seq: seq,
      entries: z.array(DayEntry).max(DAY_ENTRIES_LISTED_MAX),
      truncated: z.boolean(),
      totals: z.array(DayTotal).max(DAY_TOTALS_MAX),
    }),
  }),
  /** An order paid at the counter (cash or card), recorded with who took it: all that is due, the
   * next equal share of a split bill, a part (share_minor) or some of its items, with a tip (an
   * amount, or basis points of the part). Tips and parts are checked by the host (TIP_INVALID,
   * SPLIT_EXCEEDS_DUE name a negative tip and a part above what is left). */
  payOrder: call({
    channel: 'orders:pay-at-counter',
    timeout_ms: 5_000,
    request: z.object({
      token: staffToken,
      order_id: id,
      method: z.enum(['cash', 'card']),
      share_minor: signedMinor.optional(),
      items: itemTakes.optional(),
      tip_minor: signedMinor.optional(),
      tip_bp: z.number().int().optional(),
    }),
    response: z.object({ order: Order, entry: PaymentEntry }),
  }),
  /** Part or all of a payment back: an amount, or items of its sale (their tax recomputed per
   * rate); above limits.refund_cashier_max_minor only a manager. */
  refund: call({
    channel: 'payments:refund',
    timeout_ms: 5_000,
    request: z.object({
      token: staffToken,
      payment_seq: seq,
      amount_minor: minor.min(1).optional(),
      items: itemTakes.optional(),
      reason,
    }),
    response: Reversal,
  }),
  /** What can still be refunded of a payment: its sale's lines (sold, refunded) and what it paid per rate. */
  refundable: call({
    channel: 'payments:refundable',
    timeout_ms: 5_000,
    request: z.object({ token: staffToken, payment_seq: seq }),
    response: z.object({
      payment_seq: seq,
      currency,
      left_minor: minor,
      /** null: the payment was signed without its lines (v1), refunded by amount only. */
      sale_seq: seq.nullable(),
      lines: z
        .array(
          z.object({
            line: z.number().int().min(0),
            item_id: id,
            name: z.string().max(80),
            quantity: count,
            refunded: count,
            /** What all its units cost, after discounts, tax included. */
            gross_minor: minor,
            rate_id: taxId,
            rate_bp: rateBp,
          }),
        )
        .max(ORDER_LINES_MAX),
      /** What the payment paid per rate, and what is left of it. */
      by_rate: z.array(RateTotal).max(8),
      left_by_rate: z.array(RateTotal).max(8),
      tip_left_minor: minor,
    }),
  }),
  /** Cancels what is left of a payment; the same limit as a refund applies to that amount. */
  voidPayment: call({
    channel: 'payments:void',
    timeout_ms: 5_000,
    request: z.object({ token: staffToken, payment_seq: seq, reason }),
    response: Reversal,
  }),
  /** Any payment's receipt for the staff (to print it again): the same receipt the customer saw. */
  staffReceipt: call({
    channel: 'day:receipt',
    timeout_ms: 3_000,
    request: z.object({ token: staffToken, seq }),
    response: Receipt,
  }),
  /** Manager only: signs the day_close over every entry since the last close. */
  closeDay: call({
    channel: 'day:close',
    timeout_ms: 10_000,
    request: z.object({ token: staffToken, business_day: businessDay.optional() }),
    response: ZReport,
  }),
  /** Manager only: one business day as CSV or JSON (ledger export). */
  exportDay: call({
    channel: 'day:export',
    timeout_ms: 10_000,
    request: z.object({ token: staffToken, business_day: businessDay, format: exportFormat }),
    response: z.object({ business_day: businessDay, format: exportFormat, content: z.string().max(EXPORT_CHARS_MAX) }),
  }),
} as const;
