// Proves refused: a cashier returning more than their limit without a manager by splitting it
// (several small refunds and a void of one payment; refunds spread over several payments in a
// day), and a cashier's limit stated in one currency applied to a payment in another. Through
// the real transport (HTTP on loopback), the real ledger file, checked unchanged after each refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ApiResult, Order, PaymentEntry } from '../../electron/contract/api.js';
import { call, codeOf, openHostKiosk, rowCount, type HostKiosk } from './kiosk-host.js';

const LIMIT_MINOR = 2_000; // the default limits.refund_cashier_max_minor

async function shop(t: Parameters<typeof openHostKiosk>[0], dir?: string, env: Record<string, string> = {}) {
  const host = await openHostKiosk(t, { env, ...(dir ? { dir } : {}) });
  assert.equal(host.config.limits.refund_cashier_max_minor, LIMIT_MINOR);
  if (host.kiosk.staff.count() === 0) {
    await host.kiosk.staff.add({ staff_id: 'ana', display_name: 'Ana', role: 'manager' }, '739154');
    const ana = await host.kiosk.staff.signIn('ana', '739154');
    await host.kiosk.staff.add({ staff_id: 'bo', display_name: 'Bo', role: 'cashier' }, '4826', ana);
    await host.kiosk.staff.add({ staff_id: 'cy', display_name: 'Cy', role: 'cashier' }, '6194', ana);
  }
  const token = async (staff_id: string, pin: string): Promise<string> => {
    const r = await call<{ token: string }>(host.url, 'staffSignIn', { staff_id, pin });
    assert.ok(r.ok, JSON.stringify(r));
    return r.value.token;
  };
  return {
    ...host,
    ana: await token('ana', '739154'),
    bo: await token('bo', '4826'),
    cy: await token('cy', '6194'),
  };
}

/** An order of `ramen` x qty (12.90 each), sent by the cashier and paid in cash. */
async function paidCash(h: HostKiosk, token: string, quantity: number): Promise<PaymentEntry> {
  const order = await call<Order>(h.url, 'sendOrder', { token, lines: [{ item_id: 'ramen', quantity }] });
  assert.ok(order.ok, JSON.stringify(order));
  const paid = await call<{ entry: PaymentEntry }>(h.url, 'payOrder', {
    token,
    order_id: order.value.order_id,
    method: 'cash',
  });
  assert.ok(paid.ok, JSON.stringify(paid));
  return paid.value.entry;
}

const entries = (h: HostKiosk): number => rowCount(join(h.dir, 'ledger.db'), 'entries');

function refused(r: ApiResult<unknown>, code: string): void {
  assert.equal(codeOf(r), code, JSON.stringify(r));
}

test("several small refunds and a void of one payment return at most the cashier's limit without a manager", async (t) => {
  const h = await shop(t);
  const payment = await paidCash(h, h.bo, 3); // 38.70
  const refund = (token: string, amount_minor: number) =>
    call(h.url, 'refund', { token, payment_seq: payment.seq, amount_minor, reason: 'cold soup' });
  assert.equal(codeOf(await refund(h.bo, 1_500)), 'ok');
  assert.equal(codeOf(await refund(h.bo, 500)), 'ok', 'exactly the limit, in two');
  const before = entries(h);
  refused(await refund(h.bo, 1), 'STAFF_NEEDS_MANAGER');
  refused(await refund(h.cy, 1_000), 'STAFF_NEEDS_MANAGER'); // another cashier, the same payment
  refused(
    await call(h.url, 'voidPayment', { token: h.bo, payment_seq: payment.seq, reason: 'all back' }),
    'STAFF_NEEDS_MANAGER',
  );
  assert.equal(entries(h), before, 'nothing recorded for a refusal');
  assert.equal(
    codeOf(await call(h.url, 'voidPayment', { token: h.ana, payment_seq: payment.seq, reason: 'all back' })),
    'ok',
  );
});

test("a cashier's refunds over the day's payments add up to the limit; another cashier has their own", async (t) => {
  const h = await shop(t);
  const first = await paidCash(h, h.bo, 2);
  const second = await paidCash(h, h.bo, 2);
  const third = await paidCash(h, h.bo, 1);
  const refund = (token: string, p: PaymentEntry, amount_minor: number) =>
    call(h.url, 'refund', { token, payment_seq: p.seq, amount_minor, reason: 'sorry' });
  assert.equal(codeOf(await refund(h.bo, first, 1_200)), 'ok');
  const before = entries(h);
  refused(await refund(h.bo, second, 900), 'STAFF_NEEDS_MANAGER'); // 21.00 today
  refused(
    await call(h.url, 'voidPayment', { token: h.bo, payment_seq: third.seq, reason: 'x' }),
    'STAFF_NEEDS_MANAGER',
  );
  assert.equal(entries(h), before);
  assert.equal(codeOf(await refund(h.bo, second, 800)), 'ok', 'up to 20.00 in the day');
  assert.equal(codeOf(await refund(h.cy, second, 900)), 'ok', "Cy's own day");
  assert.equal(codeOf(await refund(h.ana, third, 1_290)), 'ok', 'a manager has no cashier limit');
});

test("the cashier's limit, stated in the store's currency, does not let a cashier refund a payment in another", async (t) => {
  const first = await shop(t);
  const eur = await paidCash(first, first.bo, 1); // 12.90 EUR, under the limit
  await first.kiosk.close();
  // The same kiosk started again with the store's currency now USD: its limit is 20.00 USD.
  const h = await shop(t, first.dir, { SMILE_CURRENCY: 'USD' });
  const before = entries(h);
  refused(
    await call(h.url, 'refund', { token: h.bo, payment_seq: eur.seq, amount_minor: 500, reason: 'sorry' }),
    'STAFF_NEEDS_MANAGER',
  );
  assert.equal(entries(h), before);
  assert.equal(
    codeOf(await call(h.url, 'refund', { token: h.ana, payment_seq: eur.seq, amount_minor: 500, reason: 'sorry' })),
    'ok',
  );
});
