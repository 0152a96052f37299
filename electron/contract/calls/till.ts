// The till: a shift at the cash drawer, opened with a float, pay-ins and pay-outs with a reason,
// an X report at any time (the shift so far: cash expected, payments by method, takings per
// rate, tips per member of staff), and the shift's close with a count by denomination, the cash
// expected and the variance. Each of open, pay-in/out and close is a signed entry; the day's close
// needs every shift closed.
import { z } from 'zod';
import { PAYMENT_METHODS, STAFF_LISTED_MAX } from '../constants.js';
import { actor, call, count, currency, minor, reason, seq, signedMinor, staffToken, text, timeMs } from '../shapes.js';
import { DayRateTotal } from './day.js';

/** Coins and notes of one count, at most (a currency has fewer). */
export const COUNT_DENOMINATIONS_MAX = 32;
/** Pay-ins and pay-outs an X report lists, at most (the newest). */
export const TILL_MOVES_LISTED_MAX = 50;

export const CashCount = z.object({ denomination_minor: z.number().int().min(1), count: z.number().int() });

export const TillShift = z.object({
  seq,
  opened_by: actor,
  opened_at_ms: timeMs,
  currency,
  float_minor: minor,
  cash_sales_minor: minor,
  cash_refunds_minor: minor,
  pay_ins_minor: minor,
  pay_outs_minor: minor,
  tips_minor: minor,
  expected_minor: signedMinor,
  /** Once closed: what was counted, and the variance against what was expected. */
  closed: z
    .object({
      seq,
      closed_by: actor,
      closed_at_ms: timeMs,
      counted: z.array(CashCount).max(COUNT_DENOMINATIONS_MAX),
      counted_minor: minor,
      variance_minor: signedMinor,
    })
    .nullable(),
});
export type TillShift = z.infer<typeof TillShift>;

/** The X report: the open shift (else the day's last closed one), what it took and who was tipped. */
export const TillReport = z.object({
  open: z.boolean(),
  shift: TillShift.nullable(),
  /** The coins and notes of the store's currency, for the count. */
  denominations: z.array(z.number().int().min(1)).max(COUNT_DENOMINATIONS_MAX),
  by_method: z
    .array(z.object({ method: z.enum(PAYMENT_METHODS), payment_count: count, amount_minor: minor }))
    .max(PAYMENT_METHODS.length),
  by_rate: z.array(DayRateTotal).max(8),
  /** Tips by who took the payment (a face payment's: the shift's own cashier). */
  tips_by_staff: z.array(z.object({ staff: actor, tips_minor: minor, payment_count: count })).max(STAFF_LISTED_MAX),
  moves: z
    .array(
      z.object({
        seq,
        direction: z.enum(['in', 'out']),
        amount_minor: minor,
        reason: text,
        by: actor,
        created_at_ms: timeMs,
      }),
    )
    .max(TILL_MOVES_LISTED_MAX),
  generated_at_ms: timeMs,
});
export type TillReport = z.infer<typeof TillReport>;

export const tillCalls = {
  /** Opens a shift with the float in the drawer (0 allowed); SHIFT_ALREADY_OPEN while one is. */
  openShift: call({
    channel: 'till:open',
    timeout_ms: 5_000,
    request: z.object({ token: staffToken, float_minor: minor }),
    response: TillReport,
  }),
  /** Cash into or out of the drawer, with why; a pay-out above the cash expected is refused, and
   * a move that takes the shift's pay-ins, pay-outs or cash expected past AMOUNT_MINOR_MAX. */
  cashMove: call({
    channel: 'till:move',
    timeout_ms: 5_000,
    request: z.object({ token: staffToken, direction: z.enum(['in', 'out']), amount_minor: minor.min(1), reason }),
    response: TillReport,
  }),
  /** The X report: nothing is signed or closed. */
  tillReport: call({
    channel: 'till:report',
    timeout_ms: 5_000,
    request: z.object({ token: staffToken }),
    response: TillReport,
  }),
  /** Closes the shift with the count; an unknown coin or note is CASH_DENOMINATION_UNKNOWN. */
  closeShift: call({
    channel: 'till:close',
    timeout_ms: 5_000,
    request: z.object({ token: staffToken, counted: z.array(CashCount).max(COUNT_DENOMINATIONS_MAX) }),
    response: TillReport,
  }),
} as const;
