// Proves refused, at the seam of the restaurant's money and the kiosk's security: a cashier locking the manager out of their own sign-in by typing wrong PINs at the approval prompt (now the prompt locks, per cashier and manager); a cash sale that takes a shift with a float near the largest amount past what a close can sign (its X report broke); a cashier giving more off an order than their discount limit by stacking discounts under it, or more in a day than their day limit by staying under the order limit on many orders; pay-ins that make the shift's figures too large to sign (the shift, then the day, could never be closed); a bill paid in more parts than it may be split in (the board and the open order broke the contract); and, held as before, the refund limit against refunds by item, refund + void and tips, tips and parts out of range, a split part paid twice, a pay-out above the drawer, the new calls without a sign-in or a paired screen, and their free text with a lone surrogate. Also that a cashier reprints a receipt (refused as SCREEN_NOT_PAIRED after the merge); a cashier closing another cashier's shift without a manager; and an unsigned caller reading from the open order (currentOrder, getOrder, the order pushes to a screen not signed in as staff) which member of staff approved a discount and why, which staff screens still see. Through the real transport (HTTP on loopback) and the real ledger file, checked unchanged after each refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ApiResult, Order, PaymentEntry } from '../../electron/contract/api.js';
import { AMOUNT_MINOR_MAX, SPLIT_SHARES_MAX } from '../../electron/contract/api.js';
import { WsClient } from '../helpers/kiosk-client.js';
import { call, codeOf, openHostKiosk, pairScreen, rowCount, type HostKiosk } from './kiosk-host.js';

const REFUND_LIMIT_MINOR = 2_000; // limits.refund_cashier_max_minor's default
const DISCOUNT_LIMIT_MINOR = 500; // limits.discount_cashier_max_minor's default

async function shop(t: Parameters<typeof openHostKiosk>[0]) {
  const host = await openHostKiosk(t);
  assert.equal(host.config.limits.refund_cashier_max_minor, REFUND_LIMIT_MINOR);
  assert.equal(host.config.limits.discount_cashier_max_minor, DISCOUNT_LIMIT_MINOR);
  await host.kiosk.staff.add({ staff_id: 'ana', display_name: 'Ana', role: 'manager' }, '739154');
  const manager = await host.kiosk.staff.signIn('ana', '739154');
  await host.kiosk.staff.add({ staff_id: 'bo', display_name: 'Bo', role: 'cashier' }, '4826', manager);
  await host.kiosk.staff.add({ staff_id: 'cy', display_name: 'Cy', role: 'cashier' }, '6194', manager);
  const token = async (staff_id: string, pin: string): Promise<string> => {
    const r = await call<{ token: string }>(host.url, 'staffSignIn', { staff_id, pin });
    assert.ok(r.ok, JSON.stringify(r));
    return r.value.token;
  };
  return { ...host, ana: await token('ana', '739154'), bo: await token('bo', '4826'), cy: await token('cy', '6194') };
}
type Shop = Awaited<ReturnType<typeof shop>>;

const entries = (h: HostKiosk): number => rowCount(join(h.dir, 'ledger.db'), 'entries');

/** The call's refusal code, and that the ledger is unchanged by it. */
async function refusal(h: HostKiosk, r: () => Promise<ApiResult<unknown>>): Promise<string> {
  const before = entries(h);
  const answer = await r();
  assert.equal(entries(h), before, `nothing recorded for ${JSON.stringify(answer).slice(0, 300)}`);
  return codeOf(answer);
}

async function ok<T>(r: Promise<ApiResult<T>>): Promise<T> {
  const a = await r;
  assert.ok(a.ok, JSON.stringify(a));
  return a.value;
}

const order = (h: Shop, lines: { item_id: string; quantity: number }[]): Promise<Order> =>
  ok(call<Order>(h.url, 'sendOrder', { token: h.bo, lines }));

const pay = (h: Shop, o: Order, extra: Record<string, unknown> = {}) =>
  call<{ order: Order; entry: PaymentEntry }>(h.url, 'payOrder', {
    token: h.bo,
    order_id: o.order_id,
    method: 'cash',
    ...extra,
  });

const discount = (h: Shop, token: string, o: Order, value: number) =>
  call<Order>(h.url, 'addDiscount', {
    token,
    order_id: o.order_id,
    line: null,
    kind: 'amount',
    value,
    reason: 'regular',
  });

test("wrong manager PINs typed at a cashier's approval prompt lock that prompt, not the manager's own sign-in", async (t) => {
  const h = await shop(t);
  const atPrompt = (pin: string, of = h.bo) =>
    call<{ token: string }>(h.url, 'staffSignIn', { staff_id: 'ana', pin, at_prompt_of: of });
  const codes: string[] = [];
  for (let i = 0; i < 5; i++) codes.push(codeOf(await atPrompt('000001')));
  assert.deepEqual(codes, [...Array(4).fill('STAFF_PIN_WRONG'), 'STAFF_LOCKED'], "Bo's prompt locks after five");
  assert.equal(codeOf(await atPrompt('739154')), 'STAFF_LOCKED', 'even the right PIN, at that prompt, for a while');
  // Red team 2: the five were charged to Ana, who could not sign in for the rest of the shift.
  assert.equal(codeOf(await call(h.url, 'staffSignIn', { staff_id: 'ana', pin: '739154' })), 'ok', 'Ana signs in');
  assert.equal(codeOf(await atPrompt('739154', h.cy)), 'ok', "and approves at Cy's prompt");
  // Signing out and in again buys Bo no tries: the count is the cashier's, not the sign-in's.
  await ok(call(h.url, 'staffSignOut', { token: h.bo }));
  const bo = (await ok(call<{ token: string }>(h.url, 'staffSignIn', { staff_id: 'bo', pin: '4826' }))).token;
  assert.equal(codeOf(await atPrompt('739154', bo)), 'STAFF_LOCKED');
  // A prompt needs a signed-in cashier's screen; a forged token is refused before any PIN is checked.
  assert.equal(codeOf(await atPrompt('739154', 'A'.repeat(43))), 'STAFF_SESSION_INVALID');
  // A sign-in (not at a prompt) still counts against the member, as before.
  for (let i = 0; i < 4; i++) await call(h.url, 'staffSignIn', { staff_id: 'ana', pin: '000001' });
  assert.equal(codeOf(await call(h.url, 'staffSignIn', { staff_id: 'ana', pin: '000001' })), 'STAFF_LOCKED');
});

test("a cashier's discounts on one order add up to their limit: stacking discounts under it needs the manager", async (t) => {
  const h = await shop(t);
  const o = await order(h, [{ item_id: 'ramen', quantity: 5 }]); // 64.50
  assert.equal(codeOf(await discount(h, h.bo, o, 300)), 'ok');
  assert.equal(codeOf(await discount(h, h.bo, o, 200)), 'ok', 'exactly the limit, in two');
  assert.equal(await refusal(h, () => discount(h, h.bo, o, 1)), 'STAFF_NEEDS_MANAGER');
  assert.equal(await refusal(h, () => discount(h, h.cy, o, 500)), 'STAFF_NEEDS_MANAGER', 'another cashier, same order');
  // A percent discount is priced before it is judged: 1 % of the line (0.65) is over what is left.
  const percent = await call<Order>(h.url, 'addDiscount', {
    token: h.bo,
    order_id: o.order_id,
    line: 0,
    kind: 'percent',
    value: 100,
    reason: 'regular',
  });
  assert.equal(codeOf(percent), 'STAFF_NEEDS_MANAGER');
  const withManager = await ok(discount(h, h.ana, o, 2_000));
  assert.equal(withManager.total_minor, 6_450 - 2_500, 'the manager approves more on the spot');
});

test("a cashier's discounts in a day add up to their day limit: under the order limit on many orders, the rest needs the manager", async (t) => {
  const h = await shop(t);
  assert.equal(h.config.limits.discount_cashier_day_max_minor, 2_000);
  const orders = await Promise.all([1, 2, 3, 4, 5].map(() => order(h, [{ item_id: 'ramen', quantity: 1 }])));
  // Four orders of 5.00 each (each at the order limit): the day's 20.00, all without a manager.
  for (const o of orders.slice(0, 4)) assert.equal(codeOf(await discount(h, h.bo, o, 500)), 'ok');
  // Red team 2: a fifth, and a fiftieth, went through; now even 0.01 more needs the manager.
  const fifth = orders[4]!;
  assert.equal(await refusal(h, () => discount(h, h.bo, fifth, 1)), 'STAFF_NEEDS_MANAGER');
  assert.equal(h.kiosk.orders.get(fifth.order_id).discounts.length, 0, 'nothing written');
  // Sent at once, one check and write each: of two that each fit alone only one is given.
  await ok(call(h.url, 'removeDiscount', { token: h.bo, order_id: orders[0]!.order_id, index: 0 }));
  const both = await Promise.all([discount(h, h.bo, fifth, 400), discount(h, h.bo, orders[0]!, 400)]);
  assert.deepEqual(
    both.map(codeOf).sort(),
    ['STAFF_NEEDS_MANAGER', 'ok'],
    'a discount taken off frees its amount, once',
  );
  // Another cashier has their own day; the manager approves on the spot.
  assert.equal(codeOf(await discount(h, h.cy, fifth, 100)), 'ok');
  assert.equal(codeOf(await discount(h, h.ana, orders[1]!, 100)), 'ok');
});

test('pay-ins that would make a shift too large to sign are refused: the shift and the day still close', async (t) => {
  const h = await shop(t);
  await ok(call(h.url, 'openShift', { token: h.bo, float_minor: 0 }));
  const payIn = (amount_minor: number) =>
    call(h.url, 'cashMove', { token: h.bo, direction: 'in', amount_minor, reason: 'change from the bank' });
  assert.equal(codeOf(await payIn(AMOUNT_MINOR_MAX)), 'ok', 'the most one move may carry');
  // A second took the pay-ins past what a close can sign: it was appended (answered API_INTERNAL,
  // its X report breaking the contract) and the shift's close failed the ledger's rules for ever.
  assert.equal(await refusal(h, () => payIn(AMOUNT_MINOR_MAX)), 'CASH_MOVE_TOO_LARGE');
  assert.equal(await refusal(h, () => payIn(1)), 'CASH_MOVE_TOO_LARGE', 'not one more');
  assert.equal(codeOf(await call(h.url, 'tillReport', { token: h.bo })), 'ok', 'the X report still answers');
  assert.equal(codeOf(await call(h.url, 'closeShift', { token: h.bo, counted: [] })), 'ok', 'the shift closes');
  assert.equal(codeOf(await call(h.url, 'closeDay', { token: h.ana })), 'ok', 'and the day');
});

test('a float near the largest amount, then a cash sale, is refused: the X report answers, the shift and the day close', async (t) => {
  const h = await shop(t);
  await ok(call(h.url, 'openShift', { token: h.bo, float_minor: AMOUNT_MINOR_MAX - 1_000 }));
  const o = await order(h, [{ item_id: 'ramen', quantity: 1 }]); // 12.90
  // Red team 2: the sale was signed, and the X report's cash expected (past AMOUNT_MINOR_MAX)
  // broke its contract (API_INTERNAL), and the shift's close could never be signed.
  assert.equal(await refusal(h, () => pay(h, o)), 'CASH_MOVE_TOO_LARGE');
  assert.equal(await refusal(h, () => pay(h, o, { share_minor: 1_001 })), 'CASH_MOVE_TOO_LARGE', 'one more than fits');
  assert.equal(codeOf(await pay(h, o, { share_minor: 1_000 })), 'ok', 'exactly what fits');
  assert.equal(codeOf(await pay(h, o, { method: 'card' })), 'ok', 'a card pays the rest: no cash in the drawer');
  const x = await ok(call<{ shift: { expected_minor: number } }>(h.url, 'tillReport', { token: h.bo }));
  assert.equal(x.shift.expected_minor, AMOUNT_MINOR_MAX, 'the X report answers, at the bound');
  assert.equal(codeOf(await call(h.url, 'closeShift', { token: h.bo, counted: [] })), 'ok', 'the shift closes');
  assert.equal(codeOf(await call(h.url, 'closeDay', { token: h.ana })), 'ok', 'and the day');
});

test("refunds by item, refund + void and a payment's tip stay within the cashier's cumulative limit", async (t) => {
  const h = await shop(t);
  // 4 x ramen (51.60) paid in cash with a 100 % tip: 103.20 in the payment.
  const o = await order(h, [{ item_id: 'ramen', quantity: 4 }]);
  const paid = (await ok(pay(h, o, { tip_bp: 10_000 }))).entry;
  assert.equal(paid.amount_minor, 2 * 5_160);
  const refund = (token: string, what: Record<string, unknown>) =>
    call(h.url, 'refund', { token, payment_seq: paid.seq, reason: 'cold', ...what });
  assert.equal(codeOf(await refund(h.bo, { items: [{ line: 0, quantity: 1 }] })), 'ok', '12.90');
  assert.equal(await refusal(h, () => refund(h.bo, { items: [{ line: 0, quantity: 1 }] })), 'STAFF_NEEDS_MANAGER');
  assert.equal(await refusal(h, () => refund(h.cy, { items: [{ line: 0, quantity: 1 }] })), 'STAFF_NEEDS_MANAGER');
  assert.equal(await refusal(h, () => refund(h.bo, { amount_minor: 711 })), 'STAFF_NEEDS_MANAGER', 'the tip too');
  assert.equal(codeOf(await refund(h.bo, { amount_minor: 710 })), 'ok', 'up to 20.00 of this payment');
  assert.equal(
    await refusal(h, () => call(h.url, 'voidPayment', { token: h.cy, payment_seq: paid.seq, reason: 'x' })),
    'STAFF_NEEDS_MANAGER',
  );
  // Another payment today: Bo's day is spent, by item too.
  const o2 = await order(h, [{ item_id: 'tea', quantity: 1 }]);
  const paid2 = (await ok(pay(h, o2))).entry;
  assert.equal(
    await refusal(h, () =>
      call(h.url, 'refund', { token: h.bo, payment_seq: paid2.seq, items: [{ line: 0, quantity: 1 }], reason: 'x' }),
    ),
    'STAFF_NEEDS_MANAGER',
  );
  // More items than were sold, even by the manager: at once, or as one line named twice.
  assert.equal(await refusal(h, () => refund(h.ana, { items: [{ line: 0, quantity: 4 }] })), 'REFUND_EXCEEDS_SOLD');
  const twice = [
    { line: 0, quantity: 3 },
    { line: 0, quantity: 3 },
  ];
  assert.match(await refusal(h, () => refund(h.ana, { items: twice })), /^REFUND_EXCEEDS_/);
});

test('tips and parts out of range, and a split part paid twice, are refused', async (t) => {
  const h = await shop(t);
  const o = await order(h, [{ item_id: 'ramen', quantity: 2 }]); // 25.80
  for (const extra of [
    { tip_minor: -1 },
    { tip_bp: -1 },
    { tip_bp: 10_500 },
    { tip_bp: Number.MAX_SAFE_INTEGER },
    { tip_minor: 2_581 },
    { tip_minor: 1, tip_bp: 1 },
    { share_minor: 0 },
    { share_minor: -100 },
    { share_minor: 2_581 },
    { items: [{ line: 0, quantity: 3 }] },
    { items: [{ line: 1, quantity: 1 }] },
  ]) {
    assert.match(
      await refusal(h, () => pay(h, o, extra)),
      /^(TIP_INVALID|SPLIT_EXCEEDS_DUE|API_BAD_REQUEST)$/,
      JSON.stringify(extra),
    );
  }
  await ok(call(h.url, 'splitOrder', { token: h.bo, order_id: o.order_id, shares: 2 }));
  const [a, b] = await Promise.all([
    pay(h, o, { items: [{ line: 0, quantity: 1 }] }),
    pay(h, o, { items: [{ line: 0, quantity: 1 }] }),
  ]);
  assert.deepEqual([codeOf(a), codeOf(b)], ['ok', 'ok'], 'one unit each');
  assert.equal(await refusal(h, () => pay(h, o, { items: [{ line: 0, quantity: 1 }] })), 'ORDER_NOT_OPEN');
  const o2 = await order(h, [{ item_id: 'ramen', quantity: 1 }]);
  await ok(pay(h, o2, { share_minor: 1_000 }));
  assert.equal(await refusal(h, () => pay(h, o2, { share_minor: 291 })), 'SPLIT_EXCEEDS_DUE');
  await ok(pay(h, o2, { share_minor: 290 }));
  assert.equal(await refusal(h, () => pay(h, o2, { share_minor: 1 })), 'ORDER_NOT_OPEN');
});

test('a pay-out above the drawer is refused; discounts, tills and refunds need a sign-in; new free text refuses a lone surrogate', async (t) => {
  const h = await shop(t);
  await ok(call(h.url, 'openShift', { token: h.bo, float_minor: 1_000 }));
  const out = (amount_minor: number, reason = 'milk') =>
    call(h.url, 'cashMove', { token: h.bo, direction: 'out', amount_minor, reason });
  assert.equal(await refusal(h, () => out(1_001)), 'CASH_PAYOUT_EXCEEDS_DRAWER');
  assert.equal(await refusal(h, () => out(10, 'milk \ud800')), 'API_BAD_REQUEST');
  const o = await order(h, [{ item_id: 'ramen', quantity: 1 }]);
  const paid = (await ok(pay(h, o))).entry;
  const forged = 'A'.repeat(43);
  for (const [name, body] of [
    ['addDiscount', { order_id: o.order_id, line: null, kind: 'amount', value: 1, reason: 'x' }],
    ['removeDiscount', { order_id: o.order_id, index: 0 }],
    ['setService', { order_id: o.order_id, service: 'take_away' }],
    ['splitOrder', { order_id: o.order_id, shares: 2 }],
    ['payOrder', { order_id: o.order_id, method: 'cash' }],
    ['refund', { payment_seq: paid.seq, amount_minor: 1, reason: 'x' }],
    ['refundable', { payment_seq: paid.seq }],
    ['voidPayment', { payment_seq: paid.seq, reason: 'x' }],
    ['openShift', { float_minor: 0 }],
    ['cashMove', { direction: 'out', amount_minor: 1, reason: 'x' }],
    ['tillReport', {}],
    ['closeShift', { counted: [] }],
  ] as const) {
    assert.equal(await refusal(h, () => call(h.url, name, body)), 'API_BAD_REQUEST', `${name} without a token`);
    assert.equal(
      await refusal(h, () => call(h.url, name, { ...body, token: forged })),
      'STAFF_SESSION_INVALID',
      `${name} with a forged token`,
    );
  }
  // The customer screen's face payment (with its tip) needs a paired screen.
  assert.equal(
    await refusal(h, () => call(h.url, 'startPayment', { order_id: o.order_id, tip_bp: 1_000 })),
    'SCREEN_NOT_PAIRED',
  );
  for (const [name, body] of [
    ['refund', { token: h.bo, payment_seq: paid.seq, amount_minor: 1, reason: '\udc00' }],
    ['voidPayment', { token: h.bo, payment_seq: paid.seq, reason: 'x\ud800' }],
    ['addDiscount', { token: h.bo, order_id: o.order_id, line: null, kind: 'amount', value: 1, reason: '\ud83d' }],
    ['sendOrder', { token: h.bo, lines: [{ item_id: 'tea', quantity: 1, note: 'hot \udfff' }] }],
    ['sendOrder', { token: h.bo, lines: [{ item_id: 'tea', quantity: 1 }], note: '\ud800x' }],
  ] as const)
    assert.equal(await refusal(h, () => call(h.url, name, body)), 'API_BAD_REQUEST', `${name} with a lone surrogate`);
});

test("a cashier closes another cashier's shift, with a count of their own, without a manager", async (t) => {
  const h = await shop(t);
  await ok(call(h.url, 'openShift', { token: h.bo, float_minor: 10_000 }));
  assert.equal(
    await refusal(h, () => call(h.url, 'closeShift', { token: h.cy, counted: [] })),
    'STAFF_NEEDS_MANAGER',
    "Cy closes Bo's shift, counting 0 of Bo's 100.00: the variance is signed as Bo's shift's",
  );
  // Bo, who opened it, closes it; and a manager may close anyone's.
  await ok(call(h.url, 'closeShift', { token: h.bo, counted: [{ denomination_minor: 5_000, count: 2 }] }));
  await ok(call(h.url, 'openShift', { token: h.cy, float_minor: 5_000 }));
  await ok(call(h.url, 'closeShift', { token: h.ana, counted: [{ denomination_minor: 5_000, count: 1 }] }));
});

test('an unsigned caller does not learn from the open order who approved its discounts, or why: staff screens do', async (t) => {
  const h = await shop(t);
  const customer = await WsClient.connect(h.url, { cookie: await pairScreen(h) });
  const staff = await WsClient.connect(h.url);
  t.after(() => {
    customer.close();
    staff.close();
  });
  await staff.ok('tillReport', { token: h.bo }); // a call with a signed-in token: a staff screen's socket
  const o = await order(h, [{ item_id: 'ramen', quantity: 5 }]);
  await ok(discount(h, h.ana, o, 1_000));
  const listed = await ok(call<{ staff: { staff_id: string; role: string | null }[] }>(h.url, 'staffList', {}));
  assert.equal(listed.staff.find((m) => m.staff_id === 'ana')?.role, null, 'staffList hides roles without a sign-in');
  const blank = [{ approved_by: '', reason: '', amount_minor: 1_000 }];
  const seen = (x: Order | null | undefined) =>
    x?.discounts.map((d) => ({ approved_by: d.approved_by, reason: d.reason, amount_minor: d.amount_minor }));
  // Read without a sign-in (HTTP, the paired customer screen, a forged or signed-out token): blanked.
  assert.deepEqual(seen(await ok(call<Order | null>(h.url, 'currentOrder', {}))), blank, 'currentOrder');
  assert.deepEqual(seen(await customer.ok('getOrder', { order_id: o.order_id })), blank, 'getOrder');
  assert.deepEqual(seen(await customer.ok('currentOrder', {})), blank, "the customer screen's");
  assert.deepEqual(
    seen(await ok(call<Order | null>(h.url, 'currentOrder', { token: 'A'.repeat(43) }))),
    blank,
    'a forged token is no sign-in',
  );
  const pushed = await customer.nextPush((e) => e.order.order_id === o.order_id && e.order.discounts.length > 0);
  assert.deepEqual(seen(pushed.order), blank, "the order pushed to the customer screen's socket");
  // Staff screens keep them: with a signed-in token, and on a signed-in staff screen's socket.
  const full = [{ approved_by: 'manager:ana', reason: 'regular', amount_minor: 1_000 }];
  assert.deepEqual(seen(await ok(call<Order | null>(h.url, 'currentOrder', { token: h.bo }))), full);
  assert.deepEqual(seen(await customer.ok('getOrder', { order_id: o.order_id, token: h.bo })), full);
  const staffPush = await staff.nextPush((e) => e.order.order_id === o.order_id && e.order.discounts.length > 0);
  assert.deepEqual(seen(staffPush.order), full, "the order pushed to the cashier's socket");
});

test('a bill is paid in at most as many parts as it may be split in, the last paying the rest: the board and receipts still answer', async (t) => {
  const h = await shop(t);
  const o = await order(h, [{ item_id: 'ramen', quantity: 1 }]); // 12.90
  let last: PaymentEntry | undefined;
  for (let i = 0; i < SPLIT_SHARES_MAX - 1; i++) last = (await ok(pay(h, o, { share_minor: 1 }))).entry;
  // The 20th part must pay the rest: a 21st was signed, answered API_INTERNAL, and the order's
  // parts broke the contract, and with them the board (every order on it) and the open order.
  assert.equal(await refusal(h, () => pay(h, o, { share_minor: 1 })), 'SPLIT_INVALID', 'the last part pays the rest');
  assert.equal(codeOf(await call(h.url, 'orderBoard', { token: h.bo })), 'ok', 'the board answers');
  assert.equal(codeOf(await call(h.url, 'staffReceipt', { token: h.bo, seq: last!.seq })), 'ok', 'and the receipt');
  const paid = await ok(pay(h, o));
  assert.equal(paid.order.status, 'paid');
  assert.equal(paid.order.parts.length, SPLIT_SHARES_MAX);
});

test("a cashier reprints any payment's receipt", async (t) => {
  const h = await shop(t);
  const o = await order(h, [{ item_id: 'tea', quantity: 1 }]);
  const paid = (await ok(pay(h, o))).entry;
  const r = await call(h.url, 'staffReceipt', { token: h.bo, seq: paid.seq });
  assert.equal(codeOf(r), 'ok', JSON.stringify(r));
});
