// Proves refused: walking the kiosk's receipts seq by seq without the payment's id or a staff
// sign-in (each answered a payment's amount, time, order and the customer's initials), from an
// unpaired page and from a paired customer screen, over HTTP and the WebSocket; a payment's id
// read back with another payment's seq; a made-up or signed-out staff token. Signed-in staff
// (a cashier's token) read any receipt. Through the real transport on loopback and the real
// ledger file. (red-team-receipts.test.ts plays the walk against a live face payment.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Receipt } from '../../electron/contract/api.js';
import { WsClient } from '../helpers/kiosk-client.js';
import { call, codeOf, openHostKiosk, pairScreen } from './kiosk-host.js';

const MADE_UP_PAYMENT_ID = 'p-00000000-0000-4000-8000-000000000000';

async function shopWithPayments(t: Parameters<typeof openHostKiosk>[0], n: number) {
  const h = await openHostKiosk(t);
  await h.kiosk.staff.add({ staff_id: 'ana', display_name: 'Ana', role: 'manager' }, '739154');
  const ana = (await h.kiosk.staff.signIn('ana', '739154')).token;
  await h.kiosk.staff.add({ staff_id: 'cy', display_name: 'Cy', role: 'cashier' }, '5083', { token: ana });
  const seqs: number[] = [];
  for (let i = 0; i < n; i++) {
    const order = await call<{ order_id: string }>(h.url, 'sendOrder', {
      token: ana,
      lines: [{ item_id: 'tea', quantity: 1 + i }],
    });
    assert.ok(order.ok);
    const paid = await call<{ entry: { seq: number } }>(h.url, 'payOrder', {
      token: ana,
      order_id: order.value.order_id,
      method: 'card',
    });
    assert.ok(paid.ok);
    seqs.push(paid.value.entry.seq);
  }
  return { ...h, ana, seqs };
}

const leaksNothing = (r: Awaited<ReturnType<typeof call>>): boolean =>
  !r.ok && !/amount|tea|[A-Z]\.[A-Z]\./.test(r.error.message);

test('a receipt by seq alone, without the payment id or a sign-in, is refused; a walk with a made-up payment id learns nothing', async (t) => {
  const h = await shopWithPayments(t, 3);
  const cookie = await pairScreen(h);
  const stranger = await WsClient.connect(h.url);
  const screen = await WsClient.connect(h.url, { cookie });
  t.after(() => {
    stranger.close();
    screen.close();
  });
  for (let seq = 1; seq <= h.seqs.at(-1)! + 2; seq++) {
    for (const o of [{}, { cookie }]) {
      const byHttp = await call(h.url, 'receipt', { seq }, o);
      assert.equal(codeOf(byHttp), 'API_BAD_REQUEST', `seq ${seq}: ${JSON.stringify(byHttp)}`);
    }
    for (const ws of [stranger, screen])
      assert.equal(codeOf(await ws.call('receipt', { seq } as never)), 'API_BAD_REQUEST');
    // A payment id of the right form but not the payment's: the same answer for a payment and for nothing.
    const walked = await call(h.url, 'receipt', { seq, payment_id: MADE_UP_PAYMENT_ID }, { cookie });
    assert.equal(codeOf(walked), 'RECEIPT_NOT_FOUND');
    assert.ok(leaksNothing(walked), JSON.stringify(walked));
    const overWs = await screen.call('receipt', { seq, payment_id: MADE_UP_PAYMENT_ID });
    assert.equal(codeOf(overWs), 'RECEIPT_NOT_FOUND');
    // An unpaired page is no customer screen: it is not even told whether the seq exists.
    const unpaired = await stranger.call('receipt', { seq, payment_id: MADE_UP_PAYMENT_ID });
    assert.equal(codeOf(unpaired), 'SCREEN_NOT_PAIRED');
  }
});

test("a payment's id reads its own receipt only; staff read any; a made-up or signed-out token reads none", async (t) => {
  const h = await shopWithPayments(t, 2);
  const [first, second] = h.seqs as [number, number];
  const cookie = await pairScreen(h);
  const staffRead = await call<Receipt>(h.url, 'receipt', { seq: first, token: h.ana });
  assert.ok(staffRead.ok, JSON.stringify(staffRead));
  assert.equal(staffRead.value.seq, first);
  const firstId = staffRead.value.payment_id;
  const own = await call<Receipt>(h.url, 'receipt', { seq: first, payment_id: firstId }, { cookie });
  assert.ok(own.ok, JSON.stringify(own));
  assert.equal(own.value.entry_hash, staffRead.value.entry_hash);
  // The first payment's id with the second's seq: not found, as for nothing.
  const other = await call(h.url, 'receipt', { seq: second, payment_id: firstId }, { cookie });
  assert.equal(codeOf(other), 'RECEIPT_NOT_FOUND');
  assert.ok(leaksNothing(other), JSON.stringify(other));
  // A cashier's sign-in reads any; a token of the right form that names no sign-in reads none.
  const cy = (await h.kiosk.staff.signIn('cy', '5083')).token;
  assert.equal(codeOf(await call(h.url, 'receipt', { seq: second, token: cy })), 'ok');
  assert.equal(codeOf(await call(h.url, 'receipt', { seq: second, token: 'B'.repeat(43) })), 'STAFF_SESSION_INVALID');
  await call(h.url, 'staffSignOut', { token: cy });
  assert.equal(codeOf(await call(h.url, 'receipt', { seq: second, token: cy })), 'STAFF_SESSION_INVALID');
});
