// Proves refused: walking the kiosk's receipts seq by seq without signing in (each answered a
// payment's amount, time, order and the customer's initials), and a customer screen reading any
// receipt but its own session's. Through the real transport (HTTP and WebSocket on loopback)
// and the real ledger file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RECEIPT_SESSIONS_MAX } from '../../electron/host/payment/receipts.js';
import type { Receipt } from '../../electron/contract/api.js';
import { WsClient } from '../helpers/kiosk-client.js';
import { call, codeOf, openHostKiosk } from './kiosk-host.js';

async function shopWithPayments(t: Parameters<typeof openHostKiosk>[0], n: number) {
  const h = await openHostKiosk(t);
  await h.kiosk.staff.add({ staff_id: 'ana', display_name: 'Ana', role: 'manager' }, '739154');
  const ana = (await h.kiosk.staff.signIn('ana', '739154')).token;
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

test('a receipt by seq alone, without a session or a sign-in, is refused; a walk with a made-up session learns nothing', async (t) => {
  const h = await shopWithPayments(t, 3);
  const ws = await WsClient.connect(h.url);
  t.after(() => ws.close());
  for (let seq = 1; seq <= h.seqs.at(-1)! + 2; seq++) {
    const byHttp = await call(h.url, 'receipt', { seq });
    assert.equal(codeOf(byHttp), 'API_BAD_REQUEST', `seq ${seq}: ${JSON.stringify(byHttp)}`);
    const byWs = await ws.call('receipt', { seq } as never);
    assert.equal(codeOf(byWs), 'API_BAD_REQUEST');
    // A session id of the right form but not the payment's: the same answer for a payment and for nothing.
    const walked = await call(h.url, 'receipt', { seq, session_id: 's-00000000-0000-4000-8000-000000000000' });
    assert.equal(codeOf(walked), 'RECEIPT_NOT_FOUND');
    assert.ok(
      !walked.ok && !/amount|tea|[A-Z]\.[A-Z]\./.test(walked.error.message),
      walked.ok ? '' : walked.error.message,
    );
  }
});

test("a screen's own session reads its payment's receipt, and only that one; staff read any", async (t) => {
  const h = await shopWithPayments(t, 2);
  const [first, second] = h.seqs as [number, number];
  // What the payment path does when a face payment commits (payment/service.ts: issue).
  h.kiosk.services.receipts.issue('s-paid-first', first);
  const own = await call<Receipt>(h.url, 'receipt', { seq: first, session_id: 's-paid-first' });
  assert.ok(own.ok, JSON.stringify(own));
  assert.equal(own.value.seq, first);
  assert.equal(codeOf(await call(h.url, 'receipt', { seq: second, session_id: 's-paid-first' })), 'RECEIPT_NOT_FOUND');
  assert.equal(codeOf(await call(h.url, 'receipt', { seq: second, token: h.ana })), 'ok');
  assert.equal(codeOf(await call(h.url, 'receipt', { seq: second, token: 'B'.repeat(43) })), 'STAFF_SESSION_INVALID');
  // Sessions are remembered boundedly: the oldest is forgotten first.
  for (let i = 0; i < RECEIPT_SESSIONS_MAX; i++) h.kiosk.services.receipts.issue(`s-later-${i}`, second);
  assert.equal(codeOf(await call(h.url, 'receipt', { seq: first, session_id: 's-paid-first' })), 'RECEIPT_NOT_FOUND');
  assert.equal(codeOf(await call(h.url, 'receipt', { seq: second, session_id: 's-later-0' })), 'ok');
});
