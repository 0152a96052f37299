// The rules of what was sold (v2 entries): a sale priced exactly as its lines and discounts
// price, a payment paying no more of its sale than is left (its per-rate amounts re-derived),
// a refund by item never taking back more units than were sold, nor more of a rate than its
// payment paid, and a void taking back exactly what is left. Each check re-derives the amounts
// from the sale's state (SaleState, folded from the entries that name the sale) and refuses an
// entry whose signed amounts differ. Runs anywhere.

import { canonicalize } from './canonical.js';
import type { Entry, EntryOf } from './entry.js';
import { ENTRY_VERSION_SALES } from './entry-constants.js';
import { LedgerError, type LedgerErrorCode } from './errors.js';
import {
  addTaken,
  itemsGross,
  leftByRate,
  lineGrosses,
  rateTotalsOf,
  sumGross,
  takeAmount,
  type ItemTake,
} from './portion.js';
import { inputOf, priceSale, SaleError, type RateTotal, type Sale } from './sale.js';

/** A payment of a sale, as its refunds and void see it. */
export interface SalePayment {
  by_rate: RateTotal[];
  tip_minor: number;
  /** Gross per rate and tip taken back so far. */
  refunded: Map<string, number>;
  tip_refunded_minor: number;
}

/** One sale and everything that names it so far: its parts, and the refunds and voids of them. */
export class SaleState {
  readonly grosses: number[];
  /** Gross per rate paid by its parts so far. */
  readonly paid = new Map<string, number>();
  readonly paidQty: number[];
  readonly refundedQty: number[];
  readonly payments = new Map<number, SalePayment>();

  constructor(
    readonly sale: Sale,
    readonly saleSeq: number,
    readonly orderId: string,
    readonly currency: string,
  ) {
    this.grosses = lineGrosses(sale);
    this.paidQty = sale.lines.map(() => 0);
    this.refundedQty = sale.lines.map(() => 0);
  }

  /** The state after `entries` (the sale's payment first, then in seq order), each checked when it was appended. */
  static fold(entries: Iterable<Entry>): SaleState | undefined {
    let state: SaleState | undefined;
    for (const e of entries) {
      if (state === undefined) {
        if (e.kind !== 'payment' || e.body.sale === undefined) return undefined;
        state = new SaleState(e.body.sale, e.seq, e.body.order_id, e.body.currency);
      }
      state.apply(e);
    }
    return state;
  }

  get paidMinor(): number {
    return [...this.paid.values()].reduce((s, g) => s + g, 0);
  }

  apply(e: Entry): void {
    if (e.kind === 'payment' && e.body.by_rate !== undefined) {
      addTaken(this.paid, e.body.by_rate);
      for (const it of e.body.items ?? []) this.paidQty[it.line]! += it.quantity;
      this.payments.set(e.seq, {
        by_rate: e.body.by_rate,
        tip_minor: e.body.tip_minor ?? 0,
        refunded: new Map(),
        tip_refunded_minor: 0,
      });
    } else if ((e.kind === 'refund' || e.kind === 'void') && e.body.by_rate !== undefined) {
      const p = this.payments.get(e.body.payment_seq);
      if (p === undefined) return;
      addTaken(p.refunded, e.body.by_rate);
      p.tip_refunded_minor += e.body.tip_minor ?? 0;
      if (e.kind === 'refund') for (const it of e.body.items ?? []) this.refundedQty[it.line]! += it.quantity;
    }
  }
}

/** What a new payment of `state`'s sale pays per rate: by items, or `shareMinor` spread over the rates. */
export function partRates(state: SaleState, shareMinor: number, items: readonly ItemTake[] | undefined): RateTotal[] {
  const { sale } = state;
  if (items !== undefined) {
    const gross = itemsGross(sale, state.grosses, state.paidQty, items);
    return rateTotalsOf(sale.by_rate, state.paid, gross);
  }
  const left = sale.total_minor - state.paidMinor;
  if (shareMinor > left)
    throw new SaleError('SALE_LINE_INVALID', `a part of ${shareMinor} is more than the ${left} left of the sale`);
  return takeAmount(sale.by_rate, state.paid, shareMinor);
}

/** What a refund of payment `p` takes back: by items (their gross, from what the sale sold), or an
 * amount (the taxed part first, spread over its rates; the rest from its tip). */
export function refundRates(
  state: SaleState,
  p: SalePayment,
  amountMinor: number,
  items: readonly ItemTake[] | undefined,
): { by_rate: RateTotal[]; tip_minor: number } {
  if (items !== undefined) {
    const gross = itemsGross(state.sale, state.grosses, state.refundedQty, items);
    return { by_rate: rateTotalsOf(p.by_rate, p.refunded, gross), tip_minor: 0 };
  }
  const taxedLeft = sumGross(leftByRate(p.by_rate, p.refunded));
  const taxed = Math.min(amountMinor, taxedLeft);
  return { by_rate: takeAmount(p.by_rate, p.refunded, taxed), tip_minor: amountMinor - taxed };
}

/** What a void of payment `p` takes back: all that is left of each rate and of its tip. */
export function voidRates(p: SalePayment): { by_rate: RateTotal[]; tip_minor: number } {
  const left = leftByRate(p.by_rate, p.refunded);
  return {
    by_rate: rateTotalsOf(p.by_rate, p.refunded, new Map(left.map((r) => [r.rate_id, r.gross_minor]))),
    tip_minor: p.tip_minor - p.tip_refunded_minor,
  };
}

// ---- the rules --------------------------------------------------------------------------------

/** What the rules ask the chain about sales. */
export interface SaleContext {
  /** The payment at `seq`: sale_seq names the payment carrying its sale (null for one without). */
  payment(seq: number): { sale_seq: number | null } | undefined;
  /** The payment at `saleSeq` and every later entry naming it or its parts, in seq order. */
  saleEntries(saleSeq: number): Iterable<Entry>;
}

const fail = (code: LedgerErrorCode, seq: number, why: string): never => {
  throw new LedgerError(code, `entry ${seq}: ${why}`, seq);
};

/** Runs `f`, turning a SaleError (an amount out of what is left) into the ledger's `code`. */
function asLedger<T>(code: LedgerErrorCode, seq: number, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof SaleError) return fail(code, seq, err.message);
    throw err;
  }
}

const same = (a: unknown, b: unknown): boolean => canonicalize(a) === canonicalize(b);

export function checkPaymentV2(e: EntryOf<'payment'>, ctx: SaleContext): void {
  const b = e.body;
  const seq = e.seq;
  let state: SaleState;
  if (b.sale !== undefined) {
    const priced = asLedger('LEDGER_BAD_AMOUNTS', seq, () => priceSale(inputOf(b.sale!)));
    if (!same(priced, b.sale))
      fail('LEDGER_BAD_AMOUNTS', seq, `the sale's amounts are not what its lines and discounts price to`);
    state = new SaleState(b.sale, seq, b.order_id, b.currency);
  } else {
    const saleSeq = b.sale_seq!;
    const found =
      saleSeq < seq && ctx.payment(saleSeq)?.sale_seq === saleSeq
        ? SaleState.fold(ctx.saleEntries(saleSeq))
        : undefined;
    if (found === undefined)
      return fail(
        'LEDGER_UNKNOWN_PAYMENT',
        seq,
        `a part of the sale at entry ${saleSeq}, which is not an earlier payment with a sale`,
      );
    state = found;
    if (state.orderId !== b.order_id)
      fail('LEDGER_ENTRY_INVALID', seq, `a part of order ${b.order_id} names the sale of order ${state.orderId}`);
    if (state.currency !== b.currency)
      fail('LEDGER_CURRENCY_MISMATCH', seq, `a part in ${b.currency} of a sale in ${state.currency}`);
  }
  const tip = b.tip_minor ?? 0;
  const share = b.amount_minor - tip;
  if (share < 1) fail('LEDGER_BAD_AMOUNTS', seq, `a tip of ${tip} leaves ${share} of ${b.amount_minor} for the sale`);
  const rates = asLedger('LEDGER_PART_EXCEEDS_SALE', seq, () => partRates(state, share, b.items));
  if (sumGross(rates) !== share)
    fail('LEDGER_BAD_AMOUNTS', seq, `its items come to ${sumGross(rates)}, it pays ${share} besides the tip`);
  if (!same(rates, b.by_rate))
    fail('LEDGER_BAD_AMOUNTS', seq, `by_rate ${canonicalize(b.by_rate)} should be ${canonicalize(rates)}`);
}

export function checkReversalV2(
  e: EntryOf<'refund'> | EntryOf<'void'>,
  saleSeq: number | null,
  ctx: SaleContext,
): void {
  const b = e.body;
  const seq = e.seq;
  if (e.v !== ENTRY_VERSION_SALES) {
    if (saleSeq !== null)
      fail('LEDGER_ENTRY_INVALID', seq, `a v1 ${e.kind} of payment ${b.payment_seq}, which carries a sale`);
    return;
  }
  if (saleSeq === null) {
    if (b.by_rate!.length > 0 || (b.tip_minor ?? 0) !== 0 || b.items !== undefined)
      fail('LEDGER_BAD_AMOUNTS', seq, `payment ${b.payment_seq} has no sale: nothing per rate, no tip, no items`);
    return;
  }
  const state = SaleState.fold(ctx.saleEntries(saleSeq));
  const p = state?.payments.get(b.payment_seq);
  if (state === undefined || p === undefined)
    return fail('LEDGER_UNKNOWN_PAYMENT', seq, `payment ${b.payment_seq} is not a payment of the sale at ${saleSeq}`);
  let expected: { by_rate: RateTotal[]; tip_minor: number };
  if (e.kind === 'void') expected = voidRates(p);
  else if (b.items !== undefined) {
    asLedger('LEDGER_REFUND_EXCEEDS_SOLD', seq, () =>
      itemsGross(state.sale, state.grosses, state.refundedQty, b.items!),
    );
    expected = asLedger('LEDGER_REFUND_EXCEEDS_PAYMENT', seq, () => refundRates(state, p, b.amount_minor, b.items));
    if (sumGross(expected.by_rate) !== b.amount_minor)
      fail('LEDGER_BAD_AMOUNTS', seq, `its items come to ${sumGross(expected.by_rate)}, it refunds ${b.amount_minor}`);
  } else
    expected = asLedger('LEDGER_REFUND_EXCEEDS_PAYMENT', seq, () => refundRates(state, p, b.amount_minor, undefined));
  if (!same(expected.by_rate, b.by_rate) || expected.tip_minor !== b.tip_minor)
    fail(
      'LEDGER_BAD_AMOUNTS',
      seq,
      `by_rate ${canonicalize(b.by_rate)} and tip ${b.tip_minor} should be ${canonicalize(expected.by_rate)} and ${expected.tip_minor}`,
    );
}
