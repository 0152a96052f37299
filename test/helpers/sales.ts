// Builders of v2 entries for the ledger tests: a German eat-in sale with two rates, and a whole
// trading day of them (a shift with its float, a payment split half by face and half in cash
// with a tip, a refund of one item, a pay-out, a card sale voided, the shift counted and closed).
import type { LedgerStore, StoredEntry } from '../../ledger/store/store.js';
import type { CashCount } from '../../ledger/protocol/entry.js';
import { priceSale, type Sale, type SaleInput } from '../../ledger/protocol/sale.js';
import { SaleState } from '../../ledger/protocol/rules-sale.js';
import { salePaymentBody, saleRefundBody, saleVoidBody, type Payer } from '../../ledger/protocol/sale-bodies.js';
import { countTotal } from '../../ledger/protocol/cash.js';
import { shiftFigures } from '../../ledger/protocol/rules-shift.js';

/** Two ramen with egg (food, 7 %) and two jasmine teas (drinks, 19 %), prices including VAT. */
export function germanSaleInput(over: Partial<SaleInput> = {}): SaleInput {
  return {
    pricing: 'inclusive',
    rounding: 'receipt',
    service: 'eat_in',
    lines: [
      {
        item_id: 'ramen',
        name: 'Tonkotsu-Ramen',
        quantity: 2,
        unit_minor: 1_440,
        options: [{ option_id: 'egg', price_minor: 150 }],
        tax_category: 'food',
        rate_id: 'B',
        rate_bp: 700,
      },
      {
        item_id: 'tea',
        name: 'Jasmintee',
        quantity: 2,
        unit_minor: 290,
        options: [],
        tax_category: 'drinks',
        rate_id: 'A',
        rate_bp: 1900,
      },
    ],
    discounts: [],
    ...over,
  };
}

export const germanSale = (over: Partial<SaleInput> = {}): Sale => priceSale(germanSaleInput(over));

let paymentCounter = 0;
const ids = (orderId: string) => ({ payment_id: `pay-v2-${++paymentCounter}`, order_id: orderId, currency: 'EUR' });

export function saleState(store: LedgerStore, saleSeq: number): SaleState {
  const s = SaleState.fold(store.saleEntries(saleSeq));
  if (!s) throw new Error(`no sale at ${saleSeq}`);
  return s;
}

/** Pays `sale` (the first payment) or a further part of the sale at `saleSeq`. */
export function paySale(
  store: LedgerStore,
  orderId: string,
  payer: Payer,
  sale: Sale,
  part: { share_minor?: number; tip_minor?: number; saleSeq?: number } = {},
): StoredEntry {
  const state = part.saleSeq === undefined ? null : saleState(store, part.saleSeq);
  return store.append(
    'payment',
    salePaymentBody(ids(orderId), payer, sale, state, {
      tip_minor: part.tip_minor ?? 0,
      ...(part.share_minor === undefined ? {} : { share_minor: part.share_minor }),
    }),
  );
}

export function refundItems(
  store: LedgerStore,
  saleSeq: number,
  paymentSeq: number,
  line: number,
  quantity: number,
): StoredEntry {
  return store.append(
    'refund',
    saleRefundBody(saleState(store, saleSeq), paymentSeq, { items: [{ line, quantity }] }, 'returned', 'cashier:bo'),
  );
}

export function voidSalePayment(store: LedgerStore, saleSeq: number, paymentSeq: number): StoredEntry {
  return store.append('void', saleVoidBody(saleState(store, saleSeq), paymentSeq, 'wrong card', 'manager:ana'));
}

/** Closes the open shift with `counted`, its figures re-derived from the ledger as the rules do. */
export function closeShift(store: LedgerStore, counted: CashCount[]): StoredEntry {
  const open = store.openShift();
  if (!open) throw new Error('no shift is open');
  const figures = shiftFigures(
    open.body,
    store.entries(open.seq + 1, store.tip().seq),
    (s) => store.payment(s)?.method,
  );
  const total = countTotal(counted);
  return store.append('shift_close', {
    shift_seq: open.seq,
    closed_by: 'cashier:bo',
    ...figures,
    counted,
    counted_minor: total,
    variance_minor: total - figures.expected_minor,
  });
}

/** A trading day of v2 entries; returns the seqs worth naming. */
export function tradingDay(store: LedgerStore): { saleSeq: number; cashPartSeq: number; refundSeq: number } {
  const shift = store.append('shift_open', { opened_by: 'cashier:bo', currency: 'EUR', float_minor: 10_000 });
  const sale = germanSale();
  const half = Math.floor(sale.total_minor / 2);
  const face = paySale(store, 'o-split', { method: 'face', customer_id: 'cust-1' }, sale, {
    share_minor: half,
    tip_minor: Math.round(half / 10),
  });
  const cash = paySale(store, 'o-split', { method: 'cash', taken_by: 'cashier:bo' }, sale, { saleSeq: face.entry.seq });
  const refund = refundItems(store, face.entry.seq, cash.entry.seq, 1, 1);
  store.append('cash_move', {
    shift_seq: shift.entry.seq,
    direction: 'out',
    amount_minor: 1_500,
    currency: 'EUR',
    reason: 'bought ice',
    by: 'cashier:bo',
  });
  const card = paySale(
    store,
    'o-card',
    { method: 'card', taken_by: 'cashier:bo' },
    germanSale({ lines: germanSaleInput().lines.slice(1) }),
  );
  voidSalePayment(store, card.entry.seq, card.entry.seq);
  closeShift(store, [
    { denomination_minor: 5_000, count: 2 },
    { denomination_minor: 200, count: 3 },
    { denomination_minor: 50, count: 1 },
  ]);
  return { saleSeq: face.entry.seq, cashPartSeq: cash.entry.seq, refundSeq: refund.entry.seq };
}
