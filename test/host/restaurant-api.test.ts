// Proves a restaurant's money through the kiosk's real HTTP + WebSocket transport, with a real
// ledger and the embedded demo settlement server: orders are priced with VAT per rate (German
// rates, eat-in; a take-away order takes the category's other rate), a discount above the
// cashier's limit needs the manager, a bill split in two is paid half in card with a tip and half
// in cash and is partly paid in between, a refund of one item takes back its price and tax per
// rate, a shift opens with a float, pays out, gives an X report and closes with a count and a
// variance, the day closes only once the shift is closed and its Z report's per-rate totals are
// the sums of the listed entries; every bad input is refused with its code and writes nothing;
// a tax rate change applies to orders placed after it; and `ledger verify` passes at the end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../electron/config.js';
import { createLogger } from '../../electron/log.js';
import { openDemoKiosk, type DemoKiosk } from '../../scripts/demo-store.js';
import type { ApiResult, RequestOf } from '../../electron/contract/api.js';
import { LedgerReader } from '../../ledger/store/reader.js';
import { verifyLedger } from '../../ledger/verify/verify.js';
import { WsClient } from '../helpers/kiosk-client.js';

let dir: string;
let kiosk: DemoKiosk;
let client: WsClient;
let bo: string;
let ana: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smile-restaurant-'));
  const config = loadConfig({
    env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0', SMILE_TIMEZONE: 'Europe/Berlin' },
  });
  assert.equal(config.limits.discount_cashier_max_minor, 500, 'the default limit this test is written against');
  kiosk = await openDemoKiosk({
    config,
    log: createLogger({ level: process.env.SMILE_TEST_LOG ?? 'silent' }),
    demoPeople: [],
    syncPollMs: 100,
  });
  client = await WsClient.connect(kiosk.http!.url);
  const s = kiosk.demoStaff!;
  bo = (await client.ok('staffSignIn', { staff_id: s.cashier.staff_id, pin: s.cashier.pin })).token;
  ana = (await client.ok('staffSignIn', { staff_id: s.manager.staff_id, pin: s.manager.pin })).token;
});

after(async () => {
  client?.close();
  await kiosk?.close();
  rmSync(dir, { recursive: true, force: true });
});

const code = <T>(r: ApiResult<T>): string => (r.ok ? 'ok' : r.error.code);
const entries = (): number => kiosk.services.day.dayEntries({ token: ana }).entries.length;

/** The call's refusal code, and that it wrote nothing to the ledger. */
async function refused(call: () => Promise<ApiResult<unknown>>): Promise<string> {
  const before = entries();
  const c = code(await call());
  assert.equal(entries(), before, `${c}: nothing written`);
  return c;
}

let orderId = '';
let cardSeq = 0;
let cashSeq = 0;

test('an eat-in order is priced per rate; take-away takes the category’s own rate; the manager approves a discount', async () => {
  const tea = await client.ok('sendOrder', {
    token: bo,
    lines: [{ item_id: 'tea', quantity: 1 }],
    service: 'take_away',
  });
  assert.deepEqual(
    tea.by_rate.map((r) => [r.rate_id, r.rate_bp]),
    [['A', 1_900]],
  );
  const o = await client.ok('sendOrder', {
    token: bo,
    lines: [
      { item_id: 'ramen', quantity: 2, options: ['egg'] },
      { item_id: 'tea', quantity: 2 },
    ],
  });
  assert.equal(o.service, 'eat_in');
  assert.equal(o.total_minor, 2 * 1_440 + 2 * 290);
  // Germany (2026): food 7 %, drinks 19 %, prices include VAT, rounded once per rate.
  assert.deepEqual(o.by_rate, [
    { rate_id: 'A', rate_bp: 1_900, net_minor: 487, tax_minor: 93, gross_minor: 580 },
    { rate_id: 'B', rate_bp: 700, net_minor: 2_692, tax_minor: 188, gross_minor: 2_880 },
  ]);
  // 20 % off is 6.92: above the cashier's 5.00, the cashier is refused and the manager approves it.
  const d = { order_id: o.order_id, line: null, kind: 'percent' as const, value: 2_000, reason: 'regulars' };
  assert.equal(code(await client.call('addDiscount', { token: bo, ...d })), 'STAFF_NEEDS_MANAGER');
  assert.equal(kiosk.orders.get(o.order_id).discounts.length, 0, 'a refused discount changes nothing');
  const discounted = await client.ok('addDiscount', { token: ana, ...d });
  assert.equal(discounted.total_minor, 3_460 - 692);
  assert.equal(discounted.discounts[0]!.approved_by, 'manager:ana');
  assert.equal(
    discounted.by_rate.reduce((s, r) => s + r.gross_minor, 0),
    discounted.total_minor,
  );
  orderId = o.order_id;
});

test('bad input at the checkout is refused with its code: discounts, splits, tips, unknown tax', async () => {
  const o = orderId;
  const discount = (over: object) =>
    client.call('addDiscount', { token: ana, order_id: o, line: 0, kind: 'amount', value: 100, reason: 'x', ...over });
  assert.equal(await refused(() => discount({ value: 2_881 })), 'DISCOUNT_EXCEEDS_LINE');
  assert.equal(await refused(() => discount({ line: null, value: 3_000 })), 'DISCOUNT_EXCEEDS_ORDER');
  assert.equal(await refused(() => discount({ value: 0 })), 'DISCOUNT_INVALID');
  assert.equal(await refused(() => discount({ kind: 'percent', value: 10_001 })), 'DISCOUNT_INVALID');
  assert.equal(await refused(() => discount({ line: 9 })), 'DISCOUNT_INVALID');
  assert.equal(
    await refused(() => client.call('splitOrder', { token: bo, order_id: o, shares: 1 })),
    'API_BAD_REQUEST',
  );
  const pay = (over: object) => client.call('payOrder', { token: bo, order_id: o, method: 'card', ...over });
  assert.equal(await refused(() => pay({ tip_minor: -1 })), 'TIP_INVALID');
  assert.equal(await refused(() => pay({ tip_minor: 1_000_000 })), 'TIP_INVALID');
  assert.equal(await refused(() => pay({ share_minor: 2_769 })), 'SPLIT_EXCEEDS_DUE');
  assert.equal(await refused(() => pay({ share_minor: 0 })), 'SPLIT_EXCEEDS_DUE');
  assert.equal(await refused(() => pay({ items: [{ line: 0, quantity: 3 }] })), 'SPLIT_EXCEEDS_DUE');
  // Tax: an unknown category, an unknown rate, a rate outside 0-100 %.
  const tax = (change: RequestOf<'setTax'>['change']) => client.call('setTax', { token: ana, change, reason: 'x' });
  assert.equal(
    await refused(() => tax({ kind: 'category', category_id: 'wine', service: 'eat_in', rate_id: 'A' })),
    'TAX_CATEGORY_UNKNOWN',
  );
  assert.equal(
    await refused(() => tax({ kind: 'category', category_id: 'food', service: 'eat_in', rate_id: 'Z' })),
    'TAX_RATE_UNKNOWN',
  );
  assert.equal(await refused(() => tax({ kind: 'rate', rate_id: 'A', rate_bp: 10_001 })), 'TAX_RATE_INVALID');
  assert.equal(await refused(() => tax({ kind: 'rate', rate_id: 'A', rate_bp: -1 })), 'TAX_RATE_INVALID');
  const byCashier = () =>
    client.call('setTax', { token: bo, change: { kind: 'rate', rate_id: 'A', rate_bp: 1_900 }, reason: 'x' });
  assert.equal(await refused(byCashier), 'STAFF_FORBIDDEN');
});

test('the bill split in two: half by card with a 10 % tip, partly paid, the rest in cash', async () => {
  const shift = await client.ok('openShift', { token: bo, float_minor: 10_000 });
  assert.equal(shift.open, true);
  const split = await client.ok('splitOrder', { token: bo, order_id: orderId, shares: 2 });
  assert.equal(split.next_part_minor, 1_384);
  const card = await client.ok('payOrder', { token: bo, order_id: orderId, method: 'card', tip_bp: 1_000 });
  assert.equal(card.entry.amount_minor, 1_384 + 138);
  assert.equal(card.entry.tip_minor, 138);
  assert.equal(card.order.status, 'partly_paid');
  assert.equal(card.order.paid_minor, 1_384);
  assert.equal(
    code(
      await client.call('addDiscount', {
        token: ana,
        order_id: orderId,
        line: null,
        kind: 'amount',
        value: 10,
        reason: 'x',
      }),
    ),
    'ORDER_PARTLY_PAID',
  );
  const cash = await client.ok('payOrder', { token: bo, order_id: orderId, method: 'cash' });
  assert.equal(cash.entry.amount_minor, 2_768 - 1_384);
  assert.equal(cash.order.status, 'paid');
  assert.equal(cash.order.parts.length, 2);
  cardSeq = card.entry.seq;
  cashSeq = cash.entry.seq;
  const receipt = await client.ok('staffReceipt', { token: bo, seq: cashSeq });
  assert.equal(receipt.merchant.vat_id, 'DE123456789');
  assert.equal(receipt.sale?.lines.length, 2);
  assert.deepEqual(
    receipt.payments.map((p) => [p.method, p.tip_minor]),
    [
      ['card', 138],
      ['cash', 0],
    ],
  );
});

test('a refund of one item takes back its price and its tax per rate; never more items than were sold', async () => {
  const left = await client.ok('refundable', { token: bo, payment_seq: cashSeq });
  assert.equal(left.sale_seq, cardSeq);
  const tea = left.lines.findIndex((l) => l.item_id === 'tea');
  const r = await client.ok('refund', {
    token: bo,
    payment_seq: cashSeq,
    items: [{ line: tea, quantity: 1 }],
    reason: 'spilt',
  });
  // A tea after the 20 % order discount: 2.90 - 0.58.
  assert.equal(r.entry.amount_minor, 232);
  const reader = new LedgerReader(join(dir, 'ledger.db'));
  const e = [...reader.range(r.entry.seq, r.entry.seq)][0]!.entry;
  reader.close();
  assert.ok(e.kind === 'refund');
  assert.deepEqual(
    e.body.by_rate!.map((x) => [x.rate_id, x.gross_minor, x.tax_minor]),
    [['A', 232, 37]],
  );
  assert.equal(
    await refused(() =>
      client.call('refund', { token: bo, payment_seq: cashSeq, items: [{ line: tea, quantity: 2 }], reason: 'x' }),
    ),
    'REFUND_EXCEEDS_SOLD',
  );
});

test('the shift: a pay-out, the X report, a count with an unknown coin refused, the close with its variance; then the day', async () => {
  assert.equal(await refused(() => client.call('openShift', { token: bo, float_minor: 0 })), 'SHIFT_ALREADY_OPEN');
  assert.equal(
    await refused(() => client.call('cashMove', { token: bo, direction: 'out', amount_minor: 1_000_000, reason: 'x' })),
    'CASH_PAYOUT_EXCEEDS_DRAWER',
  );
  await client.ok('cashMove', { token: bo, direction: 'out', amount_minor: 500, reason: 'ice' });
  const x = await client.ok('tillReport', { token: bo });
  assert.equal(x.shift!.expected_minor, 10_000 + 1_384 - 232 - 500);
  assert.deepEqual(x.tips_by_staff, [{ staff: 'cashier:bo', tips_minor: 138, payment_count: 1 }]);
  assert.equal(await refused(() => client.call('closeDay', { token: ana })), 'DAY_SHIFT_OPEN');
  assert.equal(
    await refused(() => client.call('closeShift', { token: bo, counted: [{ denomination_minor: 300, count: 1 }] })),
    'CASH_DENOMINATION_UNKNOWN',
  );
  const closed = await client.ok('closeShift', {
    token: bo,
    counted: [
      { denomination_minor: 5_000, count: 2 },
      { denomination_minor: 500, count: 1 },
      { denomination_minor: 100, count: 1 },
      { denomination_minor: 50, count: 1 },
    ],
  });
  assert.equal(closed.open, false);
  assert.equal(closed.shift!.closed!.counted_minor, 10_650);
  assert.equal(closed.shift!.closed!.variance_minor, 10_650 - x.shift!.expected_minor);
  assert.equal(
    await refused(() => client.call('cashMove', { token: bo, direction: 'in', amount_minor: 1, reason: 'x' })),
    'SHIFT_NOT_OPEN',
  );

  const day = await client.ok('dayEntries', { token: ana });
  const z = await client.ok('closeDay', { token: ana });
  const reader = new LedgerReader(join(dir, 'ledger.db'));
  const listed = [...reader.range(z.first_seq, z.last_seq)].map((r) => r.entry);
  reader.close();
  assert.equal(listed.length, day.entries.length);
  for (const rate of z.by_rate) {
    const sum = listed.reduce((s, e) => {
      if (e.kind !== 'payment' && e.kind !== 'refund' && e.kind !== 'void') return s;
      const r = e.body.by_rate?.find((x) => x.rate_id === rate.rate_id);
      return s + (e.kind === 'payment' ? 1 : -1) * (r?.gross_minor ?? 0);
    }, 0);
    assert.equal(rate.gross_minor, sum, `rate ${rate.rate_id}`);
  }
  assert.equal(z.cash[0]!.variance_minor, closed.shift!.closed!.variance_minor);
  assert.equal(z.totals[0]!.tips_minor, 138);
});

test('a rate change is a signed config entry and applies to orders placed after it; the ledger verifies', async () => {
  const before = await client.ok('sendOrder', { token: bo, lines: [{ item_id: 'tea', quantity: 1 }] });
  await client.ok('setTax', {
    token: ana,
    change: { kind: 'rate', rate_id: 'A', rate_bp: 1_600 },
    reason: 'temporary cut',
  });
  const after = await client.ok('sendOrder', { token: bo, lines: [{ item_id: 'tea', quantity: 1 }] });
  assert.equal(kiosk.orders.get(before.order_id).lines[0]!.rate_bp, 1_900, 'an order keeps the rate it was placed at');
  assert.equal(after.lines[0]!.rate_bp, 1_600);
  const settings = await client.ok('settings', { token: ana });
  assert.equal(settings.tax.rates.find((r) => r.rate_id === 'A')!.rate_bp, 1_600);
  assert.ok(settings.history.some((h) => h.key === 'tax.rate.A' && h.value === 1_600));
  const report = await verifyLedger(join(dir, 'ledger.db'));
  assert.equal(report.ok, true, JSON.stringify(report.fault));
});
