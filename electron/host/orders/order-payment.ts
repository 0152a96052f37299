// A payment of an order, as the kiosk signs it: all that is due, the next equal share, an amount
// the cashier typed, or some of its items (a bill split by items), with a tip on top. The first
// payment of an order carries its sale (what the order book priced); a later part names it and
// is checked against what the ledger says is left (SaleState), so two screens paying parts of
// one bill at once cannot pay more than it. An order placed before the kiosk priced tax is paid
// whole, without a sale (a v1 payment).
import type { PaymentBody } from '../../../ledger/protocol/entry.js';
import type { ItemTake } from '../../../ledger/protocol/portion.js';
import { SaleState } from '../../../ledger/protocol/rules-sale.js';
import { salePaymentBody, type Payer } from '../../../ledger/protocol/sale-bodies.js';
import { divRound, SaleError } from '../../../ledger/protocol/sale.js';
import type { LedgerStore, StoredEntry } from '../../../ledger/store/store.js';
import { SPLIT_SHARES_MAX, type Order } from '../../contract/api.js';
import { ApiFault } from '../fault.js';
import type { OrderBook } from './orders.js';
import { saleOf } from './pricing.js';
import { markPayment, trainingModeOf } from '../manager/training.js';

/** A tip is at most the part it is given on (100 %): more is a slip of the finger, refused. */
export const TIP_BP_MAX = 10_000;

/** What a payment pays of its order, and the tip on it (an amount, or basis points of the part). */
export interface PartChoice {
  share_minor?: number;
  items?: ItemTake[];
  tip_minor?: number;
  tip_bp?: number;
}

/** The tip on a part of `shareMinor`: refused when negative or above the part. */
export function tipOf(shareMinor: number, c: Pick<PartChoice, 'tip_minor' | 'tip_bp'>): number {
  if (c.tip_minor !== undefined && c.tip_bp !== undefined)
    throw new ApiFault('TIP_INVALID', 'a tip is an amount or a percentage, not both');
  const tip =
    c.tip_bp !== undefined
      ? c.tip_bp < 0
        ? -1
        : Number(divRound(BigInt(shareMinor) * BigInt(c.tip_bp), 10_000n))
      : (c.tip_minor ?? 0);
  if (!Number.isSafeInteger(tip) || tip < 0)
    throw new ApiFault('TIP_INVALID', `a tip must be 0 or more, got ${c.tip_minor ?? `${c.tip_bp} bp`}`);
  const max = Number(divRound(BigInt(shareMinor) * BigInt(TIP_BP_MAX), 10_000n));
  if (tip > max) throw new ApiFault('TIP_INVALID', `a tip of ${tip} is more than the ${shareMinor} it is given on`);
  return tip;
}

/** The sale's state in the ledger for an order some of which is paid. */
function stateOf(store: LedgerStore, o: Order): SaleState | null {
  if (o.sale_seq === null) return null;
  const state = SaleState.fold(store.saleEntries(o.sale_seq));
  if (state === undefined)
    throw new Error(`assertion failed: order ${o.order_id} names sale ${o.sale_seq}, which the ledger does not hold`);
  return state;
}

/** The body of a payment of `o` by `payer`, and what it pays (share and tip). Refusals: a part
 * above what is left (SPLIT_EXCEEDS_DUE), a tip that is not one (TIP_INVALID). */
export function paymentBodyFor(
  store: LedgerStore,
  orders: OrderBook,
  o: Order,
  paymentId: string,
  payer: Payer,
  choice: PartChoice,
): { body: PaymentBody; share_minor: number; tip_minor: number } {
  const due = o.total_minor - o.paid_minor;
  const training = trainingModeOf(store);
  if (o.pricing === null) {
    if (training)
      throw new ApiFault(
        'SPLIT_INVALID',
        `order ${o.order_id} was placed before training mode could mark it: pay it outside training`,
      );
    if ((choice.share_minor ?? due) !== due || choice.items || (choice.tip_minor ?? 0) || (choice.tip_bp ?? 0))
      throw new ApiFault('SPLIT_INVALID', `order ${o.order_id} was placed before split bills and tips: pay it whole`);
    const body: PaymentBody = {
      payment_id: paymentId,
      order_id: o.order_id,
      amount_minor: due,
      currency: o.currency,
      ...payer,
    };
    return { body, share_minor: due, tip_minor: 0 };
  }
  const state = stateOf(store, o);
  const sale = state?.sale ?? saleOf(o, orders.pricing().language);
  const left = sale.total_minor - (state?.paidMinor ?? 0);
  const share = choice.items ? undefined : (choice.share_minor ?? Math.min(o.next_part_minor, left));
  if (share !== undefined && (share < 1 || share > left))
    throw new ApiFault(
      'SPLIT_EXCEEDS_DUE',
      `a part of ${share} is more than the ${left} left of order ${o.order_id}, or nothing`,
    );
  let body: PaymentBody;
  try {
    body = salePaymentBody({ payment_id: paymentId, order_id: o.order_id, currency: o.currency }, payer, sale, state, {
      ...(choice.items ? { items: choice.items } : { share_minor: share! }),
      tip_minor: 0,
    });
  } catch (err) {
    if (err instanceof SaleError) throw new ApiFault('SPLIT_EXCEEDS_DUE', `order ${o.order_id}: ${err.message}`);
    throw err;
  }
  const shareMinor = body.amount_minor;
  if (shareMinor < 1) throw new ApiFault('SPLIT_EXCEEDS_DUE', `those items come to nothing of order ${o.order_id}`);
  // An order (its receipts, the board) lists at most SPLIT_SHARES_MAX parts: the last of them pays
  // all that is left. A cashier's 21st part of 0.01 was signed, and then every answer naming
  // the order (the board, the open order, the payment itself) broke the contract.
  const paidParts = state?.payments.size ?? 0;
  if (paidParts >= SPLIT_SHARES_MAX - 1 && shareMinor !== left)
    throw new ApiFault(
      'SPLIT_INVALID',
      `order ${o.order_id} has ${paidParts} parts paid: the last of the ${SPLIT_SHARES_MAX} a bill may have pays all that is left, ${left}`,
    );
  const tip = tipOf(shareMinor, choice);
  return {
    body: markPayment({ ...body, amount_minor: shareMinor + tip, tip_minor: tip }, training),
    share_minor: shareMinor,
    tip_minor: tip,
  };
}

/** Records a signed payment on its order (paid once its parts cover it). */
export function recordPayment(orders: OrderBook, stored: StoredEntry, share: number, tip: number): void {
  const e = stored.entry;
  if (e.kind !== 'payment') throw new Error(`assertion failed: recorded a ${e.kind} as a payment`);
  const o = orders.get(e.body.order_id);
  if (o.pricing === null) return orders.markPaid(o.order_id, e.seq);
  orders.recordPart(
    o.order_id,
    { seq: e.seq, method: e.body.method, share_minor: share, tip_minor: tip, amount_minor: e.body.amount_minor },
    e.body.sale !== undefined ? e.seq : e.body.sale_seq!,
  );
}
