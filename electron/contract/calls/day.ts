// The open business day at the counter (cashier or manager): its entries with their totals,
// orders paid by cash or card, refunds and voids (above limits.refund_cashier_max_minor only a
// manager's), and the manager's close of the day (the signed Z report) and exports.
import { z } from 'zod';
import { DAY_ENTRIES_LISTED_MAX, DAY_TOTALS_MAX, EXPORT_CHARS_MAX } from '../constants.js';
import { DayEntry, DayTotal, PaymentEntry, Reversal } from '../entries.js';
import { actor, businessDay, call, count, hex64, id, minor, reason, seq, staffToken, timeMs } from '../shapes.js';
import { Order } from './orders.js';

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
  /** An order paid at the counter (cash or card), recorded with who took it. */
  payOrder: call({
    channel: 'orders:pay-at-counter',
    timeout_ms: 5_000,
    request: z.object({ token: staffToken, order_id: id, method: z.enum(['cash', 'card']) }),
    response: z.object({ order: Order, entry: PaymentEntry }),
  }),
  /** Part or all of a payment back; above limits.refund_cashier_max_minor only a manager. */
  refund: call({
    channel: 'payments:refund',
    timeout_ms: 5_000,
    request: z.object({ token: staffToken, payment_seq: seq, amount_minor: minor.min(1), reason }),
    response: Reversal,
  }),
  /** Cancels what is left of a payment; the same limit as a refund applies to that amount. */
  voidPayment: call({
    channel: 'payments:void',
    timeout_ms: 5_000,
    request: z.object({ token: staffToken, payment_seq: seq, reason }),
    response: Reversal,
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
