// Proves the live order board through the kiosk's real HTTP + WebSocket transport (a real
// ledger, staff directory and the embedded demo settlement server): an order the cashier sends
// to the customer screen becomes the current order, and two separately connected WebSocket
// clients both receive every one of its status changes as server pushes, in order (sent ->
// awaiting_payment, paid at the counter, preparing, ready, collected), each within a second;
// a step out of order is refused with ORDER_WRONG_STATUS and a cashier's session is needed;
// and the order book itself records why a face payment was refused and keeps only the last
// ORDERS_KEPT_MAX orders.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../electron/config.js';
import { createLogger } from '../../electron/log.js';
import { openDemoKiosk, type DemoKiosk } from '../../scripts/demo-store.js';
import { DEMO_MENU, OrderBook, ORDERS_KEPT_MAX } from '../../electron/host/orders/orders.js';
import type { OrderEvent, OrderStatus } from '../../electron/contract/api.js';
import { WsClient } from '../helpers/kiosk-client.js';

let dir: string;
let kiosk: DemoKiosk;
let a: WsClient;
let b: WsClient;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smile-board-'));
  const config = loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0' } });
  kiosk = await openDemoKiosk({
    config,
    log: createLogger({ level: process.env.SMILE_TEST_LOG ?? 'silent' }),
    demoPeople: [],
    syncPollMs: 100,
  });
  a = await WsClient.connect(kiosk.http!.url);
  b = await WsClient.connect(kiosk.http!.url);
});

after(async () => {
  a?.close();
  b?.close();
  await kiosk?.close();
  rmSync(dir, { recursive: true, force: true });
});

const PUSH_WITHIN_MS = 1_000;
const is =
  (orderId: string, status: OrderStatus) =>
  (e: OrderEvent): boolean =>
    e.order.order_id === orderId && e.order.status === status;

test('two WebSocket clients both receive every status change of an order, pushed by the host', async () => {
  const s = kiosk.demoStaff!.cashier;
  const { token } = await a.ok('staffSignIn', { staff_id: s.staff_id, pin: s.pin });

  const sent = await a.ok('sendOrder', {
    token,
    lines: [
      { item_id: 'ramen', quantity: 2 },
      { item_id: 'tea', quantity: 1 },
    ],
    note: 'no spring onions',
  });
  assert.equal(sent.status, 'awaiting_payment');
  assert.equal(sent.source, 'counter');
  assert.equal(sent.note, 'no spring onions');
  assert.equal(sent.total_minor, 2 * 1_290 + 290);
  for (const c of [a, b]) {
    const e = await c.nextPush(is(sent.order_id, 'awaiting_payment'), PUSH_WITHIN_MS);
    assert.equal(e.current_order_id, sent.order_id, 'the sent order is the one the customer screen shows');
  }
  assert.equal((await b.ok('currentOrder', {}))?.order_id, sent.order_id);

  // Out of order, and without a session: refused.
  assert.equal((await a.call('advanceOrder', { token, order_id: sent.order_id, status: 'preparing' })).ok, false);
  const wrong = await a.call('advanceOrder', { token, order_id: sent.order_id, status: 'preparing' });
  assert.equal(wrong.ok ? 'ok' : wrong.error.code, 'ORDER_WRONG_STATUS');
  const noSession = await b.call('advanceOrder', {
    token: 'B'.repeat(43),
    order_id: sent.order_id,
    status: 'preparing',
  });
  assert.equal(noSession.ok ? 'ok' : noSession.error.code, 'STAFF_SESSION_INVALID');

  await a.ok('payOrder', { token, order_id: sent.order_id, method: 'cash' });
  for (const c of [a, b]) {
    const e = await c.nextPush(is(sent.order_id, 'paid'), PUSH_WITHIN_MS);
    assert.ok(e.order.paid_seq !== null && e.order.paid_seq >= 1);
  }
  for (const step of ['preparing', 'ready', 'collected'] as const) {
    const moved = await a.ok('advanceOrder', { token, order_id: sent.order_id, status: step });
    assert.equal(moved.status, step);
    await Promise.all([a, b].map((c) => c.nextPush(is(sent.order_id, step), PUSH_WITHIN_MS)));
  }
  // Each client saw the whole life of the order, in order.
  for (const c of [a, b]) {
    const seen = c.pushes.filter((e) => e.order.order_id === sent.order_id).map((e) => e.order.status);
    assert.deepEqual(seen, ['awaiting_payment', 'paid', 'preparing', 'ready', 'collected']);
  }
  const again = await a.call('advanceOrder', { token, order_id: sent.order_id, status: 'collected' });
  assert.equal(again.ok ? 'ok' : again.error.code, 'ORDER_WRONG_STATUS');

  const board = await b.ok('orderBoard', { token });
  assert.equal(board.kept_max, ORDERS_KEPT_MAX);
  assert.equal(board.orders[0]?.order_id, sent.order_id);
  assert.equal(board.orders[0]?.status, 'collected');
});

test('the order book records why a face payment was refused, and keeps only the last ORDERS_KEPT_MAX orders', () => {
  let t = 1_800_000_000_000;
  const book = new OrderBook(DEMO_MENU, 'EUR', () => t++);
  const events: OrderEvent[] = [];
  book.onChange((e) => events.push(e));
  const o = book.create([{ item_id: 'gyoza', quantity: 1 }]);
  assert.equal(o.status, 'new');
  book.awaitPayment(o.order_id);
  book.refused(o.order_id, 'declined', 'FACE_NO_SMILE', 'no smile after the prompt');
  assert.deepEqual(book.get(o.order_id).reason, { code: 'FACE_NO_SMILE', message: 'no smile after the prompt' });
  assert.equal(book.current()?.order_id, o.order_id, 'a declined order can still be paid another way');
  book.markPaid(o.order_id, 7);
  assert.equal(book.get(o.order_id).reason, null);
  book.refused(o.order_id, 'failed', 'KIOSK_OUT_OF_SERVICE', 'late');
  assert.equal(book.get(o.order_id).status, 'paid', 'a paid order is never marked refused');
  assert.deepEqual(
    events.map((e) => e.order.status),
    ['new', 'awaiting_payment', 'declined', 'paid'],
  );

  // Counter orders: the kiosk's own unpaid ones are bounded lower (KIOSK_ORDERS_OPEN_MAX, floods.test.ts).
  for (let i = 0; i < ORDERS_KEPT_MAX + 25; i++) book.create([{ item_id: 'tea', quantity: 1 }], { source: 'counter' });
  assert.equal(book.list().length, ORDERS_KEPT_MAX);
  assert.throws(() => book.get(o.order_id), /no order/);
});
