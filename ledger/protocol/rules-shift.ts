// The rules of the till's cash (v2 entries): one shift open at a time, pay-ins and pay-outs only
// in the open shift, and a shift's close whose expected cash, count and variance are what its
// entries and its count make them; and the v2 day close's totals per rate, tips and cash,
// re-derived from the entries it closes. Runs anywhere.

import { canonicalize } from './canonical.js';
import { countProblem, countTotal } from './cash.js';
import type {
  DayCash,
  DayRateTotal,
  DayTotal,
  Entry,
  EntryOf,
  PaymentMethod,
  ShiftCloseBody,
  ShiftOpenBody,
} from './entry.js';
import { isTrainingEntry } from './entry.js';
import { LedgerError } from './errors.js';
import { RateSums } from './rate-sums.js';

/** The shift that is open: its shift_open entry. */
export interface OpenShift {
  seq: number;
  body: ShiftOpenBody;
}

export interface ShiftContext {
  openShift(): OpenShift | null;
  entries(first: number, last: number): Iterable<Entry>;
  payment(seq: number): { method: PaymentMethod } | undefined;
}

const fail = (
  code: 'LEDGER_SHIFT_OPEN' | 'LEDGER_SHIFT_NOT_OPEN' | 'LEDGER_BAD_SHIFT_CLOSE',
  seq: number,
  why: string,
): never => {
  throw new LedgerError(code, `entry ${seq}: ${why}`, seq);
};

/** A shift's cash figures from its entries (those after its open): what a close must sign. */
export function shiftFigures(
  open: ShiftOpenBody,
  entries: Iterable<Entry>,
  methodOf: (paymentSeq: number) => PaymentMethod | undefined,
): Omit<ShiftCloseBody, 'shift_seq' | 'closed_by' | 'counted' | 'counted_minor' | 'variance_minor'> {
  const c = open.currency;
  const f = { cash_sales_minor: 0, cash_refunds_minor: 0, pay_ins_minor: 0, pay_outs_minor: 0, tips_minor: 0 };
  for (const e of entries) {
    if (isTrainingEntry(e)) continue;
    if (e.kind === 'payment' && e.body.currency === c) {
      if (e.body.method === 'cash') f.cash_sales_minor += e.body.amount_minor;
      f.tips_minor += e.body.tip_minor ?? 0;
    } else if ((e.kind === 'refund' || e.kind === 'void') && e.body.currency === c) {
      if (methodOf(e.body.payment_seq) === 'cash') f.cash_refunds_minor += e.body.amount_minor;
    } else if (e.kind === 'cash_move' && e.body.currency === c) {
      if (e.body.direction === 'in') f.pay_ins_minor += e.body.amount_minor;
      else f.pay_outs_minor += e.body.amount_minor;
    }
  }
  const expected = open.float_minor + f.cash_sales_minor - f.cash_refunds_minor + f.pay_ins_minor - f.pay_outs_minor;
  return { currency: c, float_minor: open.float_minor, ...f, expected_minor: expected };
}

export function checkShiftEntry(
  e: EntryOf<'shift_open'> | EntryOf<'cash_move'> | EntryOf<'shift_close'>,
  ctx: ShiftContext,
): void {
  const open = ctx.openShift();
  if (e.kind === 'shift_open') {
    if (open !== null) fail('LEDGER_SHIFT_OPEN', e.seq, `the shift opened at entry ${open.seq} is still open`);
    return;
  }
  const b = e.body;
  if (open === null || open.seq !== b.shift_seq)
    fail(
      'LEDGER_SHIFT_NOT_OPEN',
      e.seq,
      `entry ${b.shift_seq} is not the open shift (${open ? `entry ${open.seq} is` : 'none is'})`,
    );
  if (b.currency !== open!.body.currency)
    fail('LEDGER_SHIFT_NOT_OPEN', e.seq, `${b.currency} in a shift in ${open!.body.currency}`);
  if (e.kind === 'cash_move') return;
  const close = e.body;
  const problem = countProblem(close.currency, close.counted);
  if (problem !== null) fail('LEDGER_BAD_SHIFT_CLOSE', e.seq, problem);
  const figures = shiftFigures(open!.body, ctx.entries(open!.seq + 1, e.seq - 1), (s) => ctx.payment(s)?.method);
  const counted = countTotal(close.counted);
  const expected = { ...figures, counted_minor: counted, variance_minor: counted - figures.expected_minor };
  const claimed = Object.fromEntries(
    Object.keys(expected).map((k) => [k, (close as unknown as Record<string, unknown>)[k]]),
  );
  if (canonicalize(claimed) !== canonicalize(expected))
    fail('LEDGER_BAD_SHIFT_CLOSE', e.seq, `figures ${canonicalize(claimed)} should be ${canonicalize(expected)}`);
}

// ---- the v2 day close -------------------------------------------------------------------------

export interface DayTotalsV2 {
  totals: DayTotal[];
  by_rate: DayRateTotal[];
  cash: DayCash[];
}

const byCurrency = <T>(m: Map<string, T>): T[] =>
  [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, t]) => t);

/** A v2 day close's totals: per currency (with tips and money without rates), per rate, and cash. */
export function dayTotalsV2(
  entries: Iterable<Entry>,
  methodOf: (paymentSeq: number) => PaymentMethod | undefined,
): DayTotalsV2 {
  const totals = new Map<string, DayTotal>();
  const rates = new RateSums();
  const cash = new Map<string, DayCash>();
  const total = (c: string): DayTotal => {
    let t = totals.get(c);
    if (!t)
      totals.set(
        c,
        (t = {
          currency: c,
          gross_minor: 0,
          net_minor: 0,
          payment_count: 0,
          refunds_minor: 0,
          tips_minor: 0,
          unrated_minor: 0,
          voids_minor: 0,
        }),
      );
    return t;
  };
  const cashOf = (c: string): DayCash => {
    let t = cash.get(c);
    if (!t)
      cash.set(
        c,
        (t = {
          currency: c,
          shifts: 0,
          float_minor: 0,
          cash_sales_minor: 0,
          cash_refunds_minor: 0,
          pay_ins_minor: 0,
          pay_outs_minor: 0,
          expected_minor: 0,
          counted_minor: 0,
          variance_minor: 0,
          outside_shifts_minor: 0,
        }),
      );
    return t;
  };
  let inShift = false;
  for (const e of entries) {
    if (isTrainingEntry(e)) continue;
    if (e.kind === 'payment') {
      const b = e.body;
      const t = total(b.currency);
      t.payment_count += 1;
      t.gross_minor += b.amount_minor;
      if (b.by_rate === undefined) t.unrated_minor! += b.amount_minor;
      else {
        rates.addRates(b.currency, b.by_rate, 1);
        t.tips_minor! += b.tip_minor ?? 0;
      }
      if (b.method === 'cash' && !inShift) cashOf(b.currency).outside_shifts_minor += b.amount_minor;
    } else if (e.kind === 'refund' || e.kind === 'void') {
      const b = e.body;
      const t = total(b.currency);
      if (e.kind === 'refund') t.refunds_minor += b.amount_minor;
      else t.voids_minor += b.amount_minor;
      if (b.by_rate === undefined || (b.by_rate.length === 0 && (b.tip_minor ?? 0) === 0))
        t.unrated_minor! -= b.amount_minor;
      else {
        rates.addRates(b.currency, b.by_rate, -1);
        t.tips_minor! -= b.tip_minor ?? 0;
      }
      if (methodOf(b.payment_seq) === 'cash' && !inShift) cashOf(b.currency).outside_shifts_minor -= b.amount_minor;
    } else if (e.kind === 'shift_open') inShift = true;
    else if (e.kind === 'shift_close') {
      inShift = false;
      const b = e.body;
      const c = cashOf(b.currency);
      c.shifts += 1;
      c.float_minor += b.float_minor;
      c.cash_sales_minor += b.cash_sales_minor;
      c.cash_refunds_minor += b.cash_refunds_minor;
      c.pay_ins_minor += b.pay_ins_minor;
      c.pay_outs_minor += b.pay_outs_minor;
      c.expected_minor += b.expected_minor;
      c.counted_minor += b.counted_minor;
      c.variance_minor += b.variance_minor;
    }
  }
  const list = byCurrency(totals);
  for (const t of list) t.net_minor = t.gross_minor - t.refunds_minor - t.voids_minor;
  return {
    totals: list,
    by_rate: rates.byRate(),
    cash: byCurrency(cash),
  };
}
