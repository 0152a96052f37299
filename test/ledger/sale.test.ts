// Proves the pricing of what was sold (ledger/protocol/sale.ts, portion.ts): for any order, under
// tax-inclusive and tax-exclusive pricing and rounding per line and per receipt, the per-rate
// totals equal the sums of the lines and the receipt's total; the parts of a split bill always
// sum exactly to the sale, per rate, and the refunds and void of a payment exactly to what it
// paid; a refund by item never takes back more units than were sold; and known answers for a
// German order with two rates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  inputOf,
  priceSale,
  SaleError,
  taxOf,
  type LineInput,
  type Pricing,
  type Rounding,
  type Sale,
  type SaleLine,
  type SaleInput,
} from '../../ledger/protocol/sale.js';
import { lineGrosses, itemsGross, type ItemTake } from '../../ledger/protocol/portion.js';
import { SaleState } from '../../ledger/protocol/rules-sale.js';
import { salePaymentBody, saleRefundBody, saleVoidBody } from '../../ledger/protocol/sale-bodies.js';
import type { Entry, PaymentBody, ReversalBody } from '../../ledger/protocol/entry.js';

const RATES = [
  { rate_id: 'A', rate_bp: 1900 },
  { rate_id: 'B', rate_bp: 700 },
  { rate_id: 'C', rate_bp: 0 },
  { rate_id: 'D', rate_bp: 550 },
];

const lineArb = fc.record({
  item: fc.integer({ min: 0, max: 9 }),
  quantity: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 99 })),
  unit: fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 1, max: 10_000_000 })),
  rate: fc.integer({ min: 0, max: RATES.length - 1 }),
});
const discountArb = fc.record({
  line: fc.option(fc.integer({ min: 0, max: 7 }), { nil: undefined }),
  percent: fc.boolean(),
  value: fc.integer({ min: 1, max: 10_000 }),
});
const saleArb = fc.record({
  pricing: fc.constantFrom<Pricing>('inclusive', 'exclusive'),
  rounding: fc.constantFrom<Rounding>('line', 'receipt'),
  lines: fc.array(lineArb, { minLength: 1, maxLength: 8 }),
  discounts: fc.array(discountArb, { maxLength: 3 }),
});

type SaleSample = typeof saleArb extends fc.Arbitrary<infer T> ? T : never;

function inputFrom(s: SaleSample): SaleInput {
  const lines: LineInput[] = s.lines.map((l) => ({
    item_id: `item-${l.item}`,
    name: `Item ${l.item}`,
    quantity: l.quantity,
    unit_minor: l.unit,
    options: [],
    tax_category: 'food',
    ...RATES[l.rate]!,
  }));
  return {
    pricing: s.pricing,
    rounding: s.rounding,
    service: 'eat_in',
    lines,
    discounts: s.discounts
      .filter((d) => d.line === undefined || d.line < lines.length)
      .map((d) => ({
        ...(d.line === undefined ? {} : { line: d.line }),
        kind: d.percent ? 'percent' : 'amount',
        value: d.percent ? d.value : d.value * 10,
        reason: 'regular',
        approved_by: 'cashier:bo',
      })),
  };
}

/** Prices the input, or undefined when it is refused for a reason the input really has. */
function priced(input: SaleInput): Sale | undefined {
  try {
    return priceSale(input);
  } catch (err) {
    assert.ok(err instanceof SaleError, String(err));
    assert.match(err.code, /^SALE_DISCOUNT_(EXCEEDS_LINE|EXCEEDS_ORDER|INVALID)$/, err.message);
    return undefined;
  }
}

const sumBy = <T>(xs: readonly T[], f: (x: T) => number): number => xs.reduce((s, x) => s + f(x), 0);

test('for any order, in both pricings and both roundings, the rates sum the lines and make the total', () => {
  let checked = 0;
  fc.assert(
    fc.property(saleArb, (s) => {
      const sale = priced(inputFrom(s));
      if (sale === undefined) return;
      checked++;
      assert.deepEqual(priceSale(inputOf(sale)), sale, 'pricing a signed sale again gives the same sale');
      assert.equal(
        sumBy(sale.by_rate, (r) => r.gross_minor),
        sale.total_minor,
        'the rates make the total',
      );
      assert.equal(
        sumBy(lineGrosses(sale), (g) => g),
        sale.total_minor,
        "the lines' gross make the total",
      );
      assert.deepEqual(
        sale.by_rate.map((r) => r.rate_id),
        [...new Set(sale.lines.map((l) => l.rate_id))].sort(),
        'one total per rate of the lines, sorted',
      );
      const discounts = sumBy(sale.discounts, (d) => d.amount_minor);
      assert.equal(
        sumBy(sale.lines, (l) => l.discount_minor),
        discounts,
        'every discount lands on the lines',
      );
      for (const r of sale.by_rate) {
        const lines: SaleLine[] = sale.lines.filter((l) => l.rate_id === r.rate_id);
        const base: number = sumBy(lines, (l) => l.amount_minor - l.discount_minor);
        assert.ok(
          lines.every((l) => l.discount_minor <= l.amount_minor),
          'no line is discounted below zero',
        );
        assert.equal(r.net_minor + r.tax_minor, r.gross_minor, 'net + tax = gross');
        assert.equal(s.pricing === 'inclusive' ? r.gross_minor : r.net_minor, base, 'the rate sums its lines');
        if (s.rounding === 'line')
          assert.equal(
            r.tax_minor,
            sumBy(lines, (l) => l.tax_minor!),
            "the lines' tax",
          );
        else assert.equal(r.tax_minor, taxOf(base, r.rate_bp, s.pricing), 'one rounding per rate');
      }
    }),
    { numRuns: 2_000 },
  );
  assert.ok(checked > 1_000, `most orders price (${checked})`);
});

/** Applies a payment or reversal body to the sale's state, as the ledger would after appending it. */
let seqCounter = 100;
function applied(state: SaleState, kind: 'payment' | 'refund' | 'void', body: PaymentBody | ReversalBody): number {
  const seq = ++seqCounter;
  state.apply({ v: 2, kiosk_id: 'k', seq, prev_hash: '', kind, created_at_ms: 0, body } as Entry);
  return seq;
}

const plansArb = fc.array(fc.record({ byItems: fc.boolean(), fraction: fc.integer({ min: 1, max: 100 }) }), {
  minLength: 1,
  maxLength: 6,
});

test('the parts of a split bill (by amount or by items) sum exactly to the sale, per rate, whatever the rounding', () => {
  fc.assert(
    fc.property(saleArb, plansArb, (s, plans) => {
      const sale = priced(inputFrom(s));
      if (sale === undefined) return;
      const first = salePaymentBody(
        { payment_id: 'p0', order_id: 'o1', currency: 'EUR' },
        { method: 'cash', taken_by: 'cashier:bo' },
        sale,
        null,
        { share_minor: Math.max(1, Math.floor((sale.total_minor * plans[0]!.fraction) / 200)), tip_minor: 0 },
      );
      const state = new SaleState(sale, ++seqCounter, 'o1', 'EUR');
      state.apply({
        v: 2,
        kiosk_id: 'k',
        seq: state.saleSeq,
        prev_hash: '',
        kind: 'payment',
        created_at_ms: 0,
        body: first,
      } as Entry);
      const parts: PaymentBody[] = [first];
      for (const plan of plans.slice(1)) {
        const left = sale.total_minor - state.paidMinor;
        if (left === 0) break;
        let items: ItemTake[] | undefined;
        if (plan.byItems) {
          items = sale.lines.flatMap((l, i) => {
            const free = l.quantity - state.paidQty[i]!;
            const k = Math.min(free, Math.ceil((free * plan.fraction) / 100));
            return k > 0 ? [{ line: i, quantity: k }] : [];
          });
          const gross = items.length ? itemsGross(sale, state.grosses, state.paidQty, items) : new Map();
          const fits = [...gross.entries()].every(
            ([id, g]) => g <= sale.by_rate.find((r) => r.rate_id === id)!.gross_minor - (state.paid.get(id) ?? 0),
          );
          if (items.length === 0 || !fits || sumBy([...gross.values()], (g) => g) === 0) items = undefined;
        }
        const share = items ? undefined : Math.max(1, Math.floor((left * plan.fraction) / 100));
        const body = salePaymentBody(
          { payment_id: `p${parts.length}`, order_id: 'o1', currency: 'EUR' },
          { method: 'card', taken_by: 'cashier:bo' },
          sale,
          state,
          { ...(items ? { items } : { share_minor: share }), tip_minor: 0 },
        );
        if (body.amount_minor === 0) continue;
        applied(state, 'payment', body);
        parts.push(body);
      }
      const left = sale.total_minor - state.paidMinor;
      if (left > 0) {
        const last = salePaymentBody(
          { payment_id: 'last', order_id: 'o1', currency: 'EUR' },
          { method: 'cash', taken_by: 'x' },
          sale,
          state,
          { tip_minor: 0 },
        );
        applied(state, 'payment', last);
        parts.push(last);
      }
      for (const r of sale.by_rate) {
        const of = (k: 'net_minor' | 'tax_minor' | 'gross_minor'): number =>
          sumBy(parts, (p) => p.by_rate!.find((x) => x.rate_id === r.rate_id)?.[k] ?? 0);
        assert.deepEqual(
          [of('net_minor'), of('tax_minor'), of('gross_minor')],
          [r.net_minor, r.tax_minor, r.gross_minor],
        );
      }
      assert.equal(
        sumBy(parts, (p) => p.amount_minor),
        sale.total_minor,
      );
    }),
    { numRuns: 1_000 },
  );
});

test('refunds by item and by amount, then a void, give back exactly what the payment paid; never more units than sold', () => {
  fc.assert(
    fc.property(saleArb, fc.integer({ min: 0, max: 500 }), plansArb, (s, tip, plans) => {
      const sale = priced(inputFrom(s));
      if (sale === undefined) return;
      const state = new SaleState(sale, ++seqCounter, 'o1', 'EUR');
      const paid = salePaymentBody(
        { payment_id: 'p', order_id: 'o1', currency: 'EUR' },
        { method: 'cash', taken_by: 'x' },
        sale,
        null,
        { tip_minor: tip },
      );
      state.apply({
        v: 2,
        kiosk_id: 'k',
        seq: state.saleSeq,
        prev_hash: '',
        kind: 'payment',
        created_at_ms: 0,
        body: paid,
      } as Entry);
      const back: ReversalBody[] = [];
      for (const plan of plans) {
        const p = state.payments.get(state.saleSeq)!;
        const left = paid.amount_minor - sumBy(back, (b) => b.amount_minor);
        if (left === 0) break;
        if (plan.byItems) {
          const line = plan.fraction % sale.lines.length;
          const free = sale.lines[line]!.quantity - state.refundedQty[line]!;
          if (free === 0) {
            assert.throws(
              () => saleRefundBody(state, state.saleSeq, { items: [{ line, quantity: 1 }] }, 'r', 'x'),
              SaleError,
              'no more units than sold',
            );
            continue;
          }
          let body: ReversalBody;
          try {
            body = saleRefundBody(state, state.saleSeq, { items: [{ line, quantity: 1 }] }, 'r', 'x');
          } catch (err) {
            // Refunds by amount took that rate already: the item's value is no longer on the payment.
            assert.ok(err instanceof SaleError);
            const rate = sale.lines[line]!.rate_id;
            const r = paid.by_rate!.find((x) => x.rate_id === rate)!;
            assert.ok((p.refunded.get(rate) ?? 0) > r.gross_minor - state.grosses[line]!, err.message);
            continue;
          }
          if (body.amount_minor === 0) continue;
          applied(state, 'refund', body);
          back.push(body);
        } else {
          const amount = Math.max(1, Math.floor((left * plan.fraction) / 100));
          const body = saleRefundBody(state, state.saleSeq, { amount_minor: amount }, 'r', 'x');
          assert.equal(body.amount_minor, amount);
          applied(state, 'refund', body);
          back.push(body);
        }
      }
      const left = paid.amount_minor - sumBy(back, (b) => b.amount_minor);
      if (left > 0) {
        const v = saleVoidBody(state, state.saleSeq, 'void', 'x');
        assert.equal(v.amount_minor, left, 'a void takes all that is left');
        applied(state, 'void', v);
        back.push(v);
      }
      assert.equal(
        sumBy(back, (b) => b.tip_minor!),
        tip,
        'the tip comes back whole',
      );
      for (const r of paid.by_rate!) {
        const of = (k: 'net_minor' | 'tax_minor' | 'gross_minor'): number =>
          sumBy(back, (b) => b.by_rate!.find((x) => x.rate_id === r.rate_id)?.[k] ?? 0);
        assert.deepEqual(
          [of('net_minor'), of('tax_minor'), of('gross_minor')],
          [r.net_minor, r.tax_minor, r.gross_minor],
        );
      }
    }),
    { numRuns: 1_000 },
  );
});

test('known answers: a German eat-in order with two rates, inclusive and per receipt, with a line and an order discount', () => {
  const sale = priceSale({
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
    discounts: [
      { line: 1, kind: 'amount', value: 290, reason: 'one tea on the house', approved_by: 'cashier:bo' },
      { kind: 'percent', value: 1_000, reason: 'regular', approved_by: 'manager:ana' },
    ],
  });
  // Subtotal after the tea: 2880 + 290 = 3170; 10 % = 317, spread 2880:290 -> 288 and 29.
  assert.deepEqual(
    sale.lines.map((l) => [l.amount_minor, l.discount_minor]),
    [
      [2_880, 288],
      [580, 319],
    ],
  );
  assert.deepEqual(sale.by_rate, [
    // 261 at 19 % inside: 261 x 1900 / 11900 = 41.67 -> 42.
    { rate_id: 'A', rate_bp: 1900, net_minor: 219, tax_minor: 42, gross_minor: 261 },
    // 2592 at 7 % inside: 2592 x 700 / 10700 = 169.57 -> 170.
    { rate_id: 'B', rate_bp: 700, net_minor: 2_422, tax_minor: 170, gross_minor: 2_592 },
  ]);
  assert.equal(sale.total_minor, 2_853);
  const exclusive = priceSale({ ...inputOf(sale), pricing: 'exclusive', rounding: 'line' });
  // Per line, on top: 2592 x 7 % = 181.44 -> 181; 261 x 19 % = 49.59 -> 50.
  assert.deepEqual(
    exclusive.by_rate.map((r) => [r.rate_id, r.net_minor, r.tax_minor, r.gross_minor]),
    [
      ['A', 261, 50, 311],
      ['B', 2_592, 181, 2_773],
    ],
  );
  assert.equal(exclusive.total_minor, 3_084);
});

test('bad input is refused with its code: a discount above its line or the order, a rate outside 0-100 %', () => {
  const line: LineInput = {
    item_id: 'tea',
    name: 'Tea',
    quantity: 1,
    unit_minor: 290,
    options: [],
    tax_category: 'drinks',
    rate_id: 'A',
    rate_bp: 1900,
  };
  const base = { pricing: 'inclusive' as const, rounding: 'line' as const, service: 'eat_in' as const };
  const code = (input: SaleInput): string => {
    try {
      priceSale(input);
      return 'priced';
    } catch (err) {
      return (err as SaleError).code;
    }
  };
  assert.equal(
    code({
      ...base,
      lines: [line],
      discounts: [{ line: 0, kind: 'amount', value: 291, reason: 'x', approved_by: 'a' }],
    }),
    'SALE_DISCOUNT_EXCEEDS_LINE',
  );
  assert.equal(
    code({ ...base, lines: [line], discounts: [{ kind: 'percent', value: 10_000, reason: 'x', approved_by: 'a' }] }),
    'SALE_DISCOUNT_EXCEEDS_ORDER',
  );
  assert.equal(code({ ...base, lines: [{ ...line, rate_bp: 10_001 }], discounts: [] }), 'SALE_RATE_INVALID');
  assert.equal(code({ ...base, lines: [{ ...line, rate_bp: -1 }], discounts: [] }), 'SALE_RATE_INVALID');
  assert.equal(code({ ...base, lines: [line, { ...line, rate_bp: 700 }], discounts: [] }), 'SALE_RATE_INVALID');
  assert.equal(code({ ...base, lines: [], discounts: [] }), 'SALE_EMPTY');
  // A line given away whole is a comp: the order still owes the rest.
  const comped = priceSale({
    ...base,
    lines: [line, { ...line, item_id: 'ramen' }],
    discounts: [{ line: 0, kind: 'percent', value: 10_000, reason: 'comp', approved_by: 'a' }],
  });
  assert.equal(comped.total_minor, 290);
});
