// The v2 bodies the kiosk signs for what was sold: a payment of all or part of a sale, a refund
// by item or by amount, a void. Built with the same functions the rules check them with
// (rules-sale.ts), so an entry the kiosk builds is one the rules accept. Runs anywhere.

import type { PaymentBody, PaymentMethod, ReversalBody } from './entry.js';
import type { ItemTake } from './portion.js';
import { partRates, refundRates, SaleState, voidRates } from './rules-sale.js';
import type { Sale } from './sale.js';

/** Who paid, as a payment body names them. */
export type Payer =
  | { method: 'face'; customer_id: string; step_up?: boolean }
  | { method: Exclude<PaymentMethod, 'face'>; taken_by: string };

export interface PartRequest {
  /** What this payment pays of the sale besides the tip; default: all that is left. */
  share_minor?: number;
  /** A part by items instead: the lines (and units) it pays for. */
  items?: ItemTake[];
  tip_minor: number;
}

/**
 * The body of a payment of `sale` (the first payment: `state` is null) or of a later part (the
 * sale's state so far, whose seq it names). Throws SaleError when the part is more than is left.
 */
export function salePaymentBody(
  ids: { payment_id: string; order_id: string; currency: string },
  payer: Payer,
  sale: Sale,
  state: SaleState | null,
  part: PartRequest,
): PaymentBody {
  const s = state ?? new SaleState(sale, 0, ids.order_id, ids.currency);
  const share = part.share_minor ?? sale.total_minor - s.paidMinor;
  const byRate = partRates(s, share, part.items);
  const shareMinor = byRate.reduce((sum, r) => sum + r.gross_minor, 0);
  const body: PaymentBody = {
    payment_id: ids.payment_id,
    order_id: ids.order_id,
    amount_minor: shareMinor + part.tip_minor,
    currency: ids.currency,
    ...payer,
    tip_minor: part.tip_minor,
    by_rate: byRate,
  };
  if (state === null) body.sale = sale;
  else body.sale_seq = state.saleSeq;
  if (part.items !== undefined) body.items = part.items;
  return body;
}

/** A refund of payment `paymentSeq` of `state`'s sale: by items, or an amount (taxed part first). */
export function saleRefundBody(
  state: SaleState,
  paymentSeq: number,
  what: { items: ItemTake[] } | { amount_minor: number },
  reason: string,
  approvedBy: string,
): ReversalBody {
  const p = state.payments.get(paymentSeq);
  if (p === undefined)
    throw new Error(`assertion failed: payment ${paymentSeq} is not of the sale at ${state.saleSeq}`);
  const items = 'items' in what ? what.items : undefined;
  const amount = 'amount_minor' in what ? what.amount_minor : 0;
  const r = refundRates(state, p, amount, items);
  const body: ReversalBody = {
    payment_seq: paymentSeq,
    amount_minor: items ? r.by_rate.reduce((s, x) => s + x.gross_minor, 0) : amount,
    currency: state.currency,
    reason,
    approved_by: approvedBy,
    by_rate: r.by_rate,
    tip_minor: r.tip_minor,
  };
  if (items) body.items = items;
  return body;
}

/** A void of payment `paymentSeq` of `state`'s sale: all that is left of it. */
export function saleVoidBody(state: SaleState, paymentSeq: number, reason: string, approvedBy: string): ReversalBody {
  const p = state.payments.get(paymentSeq);
  if (p === undefined)
    throw new Error(`assertion failed: payment ${paymentSeq} is not of the sale at ${state.saleSeq}`);
  const r = voidRates(p);
  return {
    payment_seq: paymentSeq,
    amount_minor: r.by_rate.reduce((s, x) => s + x.gross_minor, 0) + r.tip_minor,
    currency: state.currency,
    reason,
    approved_by: approvedBy,
    by_rate: r.by_rate,
    tip_minor: r.tip_minor,
  };
}
