// What a refund or a void of a payment signs: for a payment that carries (or belongs to) a sale,
// what it takes back per rate, by item (tax recomputed per rate from what the sale sold) or by
// amount (spread over what the payment paid per rate, its tip last); for a payment signed
// without its lines (v1), the amount alone. And what is left to refund of a payment, for the
// refund form. The operating errors are answered here, before anything is appended.
import type { ReversalBody } from '../../../ledger/protocol/entry.js';
import { leftByRate, type ItemTake } from '../../../ledger/protocol/portion.js';
import { SaleState } from '../../../ledger/protocol/rules-sale.js';
import { saleRefundBody, saleVoidBody } from '../../../ledger/protocol/sale-bodies.js';
import { SaleError } from '../../../ledger/protocol/sale.js';
import type { PaymentState } from '../../../ledger/protocol/rules.js';
import type { LedgerStore } from '../../../ledger/store/store.js';
import type { ResponseOf } from '../../contract/api.js';
import { ApiFault } from '../fault.js';
import { lineGrosses } from '../../../ledger/protocol/portion.js';

/** The payment at `seq` with something left of it, or the refusal. */
export function reversible(store: LedgerStore, seq: number): PaymentState {
  const paid = store.payment(seq);
  if (paid === undefined) throw new ApiFault('PAYMENT_NOT_FOUND', `entry ${seq} is not a payment on this kiosk`);
  if (paid.amount_minor - paid.reversed_minor === 0)
    throw new ApiFault(
      'PAYMENT_ALREADY_REVERSED',
      `payment ${seq} of ${paid.amount_minor} was refunded or voided in full already`,
    );
  return paid;
}

function stateOf(store: LedgerStore, paid: PaymentState): SaleState {
  const state = SaleState.fold(store.saleEntries(paid.sale_seq!));
  if (state === undefined) throw new Error(`assertion failed: the ledger holds no sale at ${paid.sale_seq}`);
  return state;
}

/** The body of a refund (amount or items) or void of payment `seq`; refusals name what is wrong. */
export function reversalBody(
  store: LedgerStore,
  kind: 'refund' | 'void',
  seq: number,
  what: { amount_minor?: number; items?: ItemTake[] },
  reason: string,
  approvedBy: string,
): ReversalBody {
  const paid = reversible(store, seq);
  const left = paid.amount_minor - paid.reversed_minor;
  if (kind === 'refund' && (what.amount_minor === undefined) === (what.items === undefined))
    throw new ApiFault('API_BAD_REQUEST', 'a refund names an amount or items, one of them');
  if (what.amount_minor !== undefined && what.amount_minor > left)
    throw new ApiFault(
      'REFUND_EXCEEDS_PAYMENT',
      `a ${kind} of ${what.amount_minor} is more than the ${left} left of payment ${seq} (paid ${paid.amount_minor}, refunded ${paid.reversed_minor})`,
    );
  if (paid.sale_seq === null) {
    if (what.items !== undefined)
      throw new ApiFault('REFUND_NOT_BY_ITEM', `payment ${seq} was signed without its lines: refund an amount`);
    return {
      payment_seq: seq,
      amount_minor: what.amount_minor ?? left,
      currency: paid.currency,
      reason,
      approved_by: approvedBy,
    };
  }
  const state = stateOf(store, paid);
  if (kind === 'void') return saleVoidBody(state, seq, reason, approvedBy);
  if (what.items !== undefined) {
    for (const it of what.items) {
      const line = state.sale.lines[it.line];
      const free = line ? line.quantity - state.refundedQty[it.line]! : 0;
      if (!line || it.quantity > free)
        throw new ApiFault(
          'REFUND_EXCEEDS_SOLD',
          line
            ? `${it.quantity} of ${line.item_id}: ${line.quantity} were sold and ${state.refundedQty[it.line]} refunded already`
            : `the sale has no line ${it.line}`,
        );
    }
  }
  try {
    const body = saleRefundBody(
      state,
      seq,
      what.items ? { items: what.items } : { amount_minor: what.amount_minor! },
      reason,
      approvedBy,
    );
    if (body.amount_minor < 1)
      throw new ApiFault('REFUND_EXCEEDS_SOLD', 'those items were given away: nothing to refund');
    if (body.amount_minor > left)
      throw new ApiFault(
        'REFUND_EXCEEDS_PAYMENT',
        `those items come to ${body.amount_minor}, more than the ${left} left of payment ${seq}`,
      );
    return body;
  } catch (err) {
    if (err instanceof SaleError)
      throw new ApiFault(
        'REFUND_EXCEEDS_PAYMENT',
        `payment ${seq} did not pay that much of those items' tax rate (a split bill): refund them from the other part. ${err.message}`,
      );
    throw err;
  }
}

/** What is left to refund of payment `seq`: its sale's lines, and what it paid per rate. */
export function refundableOf(store: LedgerStore, seq: number): ResponseOf<'refundable'> {
  const paid = store.payment(seq);
  if (paid === undefined) throw new ApiFault('PAYMENT_NOT_FOUND', `entry ${seq} is not a payment on this kiosk`);
  const base = {
    payment_seq: seq,
    currency: paid.currency,
    left_minor: paid.amount_minor - paid.reversed_minor,
    sale_seq: paid.sale_seq,
  };
  if (paid.sale_seq === null) return { ...base, lines: [], by_rate: [], left_by_rate: [], tip_left_minor: 0 };
  const state = stateOf(store, paid);
  const p = state.payments.get(seq)!;
  const grosses = lineGrosses(state.sale);
  return {
    ...base,
    lines: state.sale.lines.map((l, i) => ({
      line: i,
      item_id: l.item_id,
      name: l.name,
      quantity: l.quantity,
      refunded: state.refundedQty[i]!,
      gross_minor: grosses[i]!,
      rate_id: l.rate_id,
      rate_bp: l.rate_bp,
    })),
    by_rate: p.by_rate,
    left_by_rate: leftByRate(p.by_rate, p.refunded),
    tip_left_minor: p.tip_minor - p.tip_refunded_minor,
  };
}
