// The manager's Reports panel: one business day read and verified (a busy day is about 2,000
// entries), filtered, with its totals per currency, per settlement status, per local hour and
// per menu item, and the days that have entries (electron/host/manager/day-report.ts).
import { z } from 'zod';
import {
  DAY_TOTALS_MAX,
  ENTRY_KINDS,
  ID_LENGTH_MAX,
  PAYMENT_METHODS,
  REPORT_DAYS_MAX,
  REPORT_ENTRIES_LISTED_MAX,
  REPORT_ITEMS_MAX,
  SETTLEMENT_STATUSES,
} from '../constants.js';
import { DayTotal, ReportEntry } from '../entries.js';
import {
  businessDay,
  call,
  count,
  currency,
  entryKind,
  freeText,
  id,
  Localised,
  minor,
  paymentMethod,
  seq,
  settlementStatus,
  signedMinor,
  staffToken,
  timeMs,
} from '../shapes.js';
import { DayRateTotal } from './day.js';

/** What a report keeps; every filter given must hold (an entry without an amount, a method or a
 * customer fails a filter on it). Times are absolute; the panel offers the day's local hours. */
export const ReportFilters = z.object({
  kinds: z.array(entryKind).min(1).max(ENTRY_KINDS.length).optional(),
  settlement: z.array(settlementStatus).min(1).max(SETTLEMENT_STATUSES.length).optional(),
  /** Payments by their method; refunds and voids by the method of the payment they reverse. */
  method: z.array(paymentMethod).min(1).max(PAYMENT_METHODS.length).optional(),
  /** A customer id, their initials ("A.K." or "ak") or part of their id or name. */
  customer: freeText(ID_LENGTH_MAX, { trim: true, minChars: 1 }).optional(),
  amount_min_minor: minor.optional(),
  amount_max_minor: minor.optional(),
  /** created_at_ms from (inclusive) and to (exclusive). */
  from_ms: timeMs.optional(),
  to_ms: timeMs.optional(),
});
export type ReportFilters = z.infer<typeof ReportFilters>;

/** DayTotal with the number of money entries (payments, refunds, voids) it sums. */
export const ReportTotal = DayTotal.extend({ entry_count: count });
export type ReportTotal = z.infer<typeof ReportTotal>;

export const DayReport = z.object({
  business_day: businessDay,
  timezone: z.string().max(64),
  /** Closed: the entries its day_close covers; open: the entries after the last close dated that day. */
  closed: z.boolean(),
  day_close_seq: seq.nullable(),
  /** The local day's bounds (the panel's time range picks hours inside them). */
  day_start_ms: timeMs,
  day_end_ms: timeMs,
  /** Entries of the day before any filter. */
  day_entry_count: count,
  matched_count: count,
  entries: z.array(ReportEntry).max(REPORT_ENTRIES_LISTED_MAX),
  truncated: z.boolean(),
  totals: z.array(ReportTotal).max(DAY_TOTALS_MAX),
  by_settlement: z
    .array(ReportTotal.extend({ settlement: settlementStatus }))
    .max(DAY_TOTALS_MAX * SETTLEMENT_STATUSES.length),
  /** Always 24 hours; start_ms is null for an hour the day skips (a DST change). */
  by_hour: z
    .array(
      z.object({
        hour: z.number().int().min(0).max(23),
        start_ms: timeMs.nullable(),
        end_ms: timeMs.nullable(),
        totals: z.array(ReportTotal).max(DAY_TOTALS_MAX),
      }),
    )
    .length(24),
  /** Takings per rate of the matched payments, refunds and voids (net, tax, gross; signed). */
  by_rate: z.array(DayRateTotal).max(DAY_TOTALS_MAX * 8),
  /** Tips of the matched entries per currency (payments' less tips given back). */
  tips: z.array(z.object({ currency, tips_minor: signedMinor })).max(DAY_TOTALS_MAX),
  /** From the signed sales (v2), else the orders the kiosk still holds (a v1 payment names only its order). */
  by_item: z
    .array(z.object({ item_id: id, name: Localised, currency, quantity: count, gross_minor: minor }))
    .max(REPORT_ITEMS_MAX),
  /** Matched payments whose order lines the kiosk no longer holds (older than the orders kept). */
  items_unknown: z.array(z.object({ currency, payment_count: count, gross_minor: minor })).max(DAY_TOTALS_MAX),
  /** Business days with entries, newest first, for the day picker. */
  days: z.array(z.object({ business_day: businessDay, closed: z.boolean(), entry_count: count })).max(REPORT_DAYS_MAX),
  days_truncated: z.boolean(),
});
export type DayReport = z.infer<typeof DayReport>;

export const reportCalls = {
  /** Manager only: one business day (default today, in the store's time zone), filtered, with totals. */
  dayReport: call({
    channel: 'day:report',
    timeout_ms: 10_000,
    request: z.object({ token: staffToken, business_day: businessDay.optional(), filters: ReportFilters.optional() }),
    response: DayReport,
  }),
} as const;
