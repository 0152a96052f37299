// Orders survive a restart on a real SQLite file: the board comes back with every status, the
// lines behind a payment can be read for any kept day (also orders the memory has dropped),
// old orders are dropped after the retention, and a damaged row or a newer schema is named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DeviceKey } from '../../ledger/keys/device-key.js';
import { LedgerStore } from '../../ledger/store/store.js';
import { ORDERS_KEPT_MAX } from '../../electron/contract/api.js';
import { DEMO_CATEGORIES, DEMO_MENU, ledgerPaymentsSince, OrderBook } from '../../electron/host/orders/orders.js';
import { ORDERS_RETAINED_DAYS, OrderStore } from '../../electron/host/orders/order-store.js';

const DAY_MS = 86_400_000;

function withDir(run: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'orders-'));
  try {
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a restart keeps the board and each order's lines; no order is on the customer screen after it", () => {
  withDir((dir) => {
    const path = join(dir, 'orders.db');
    let t = 1_790_000_000_000;
    const now = (): number => (t += 1_000);
    const store = new OrderStore(path, now);
    const book = new OrderBook(DEMO_MENU, 'EUR', now, DEMO_CATEGORIES, store);
    const paid = book.create([{ item_id: 'ramen', quantity: 2, options: ['egg'], note: 'no onions' }], {
      source: 'counter',
      status: 'awaiting_payment',
    });
    book.markPaid(paid.order_id, 7);
    book.advance(paid.order_id, 'preparing');
    const declined = book.create([{ item_id: 'tea', quantity: 1 }]);
    book.refused(declined.order_id, 'declined', 'FACE_NO_SMILE', 'No smile after the prompt.');
    const open = book.create([{ item_id: 'mochi', quantity: 3 }]);
    store.close();

    const again = new OrderBook(DEMO_MENU, 'EUR', now, DEMO_CATEGORIES, new OrderStore(path, now));
    assert.deepEqual(
      again.list().map((o) => [o.order_id, o.status]),
      [
        [open.order_id, 'new'],
        [declined.order_id, 'declined'],
        [paid.order_id, 'preparing'],
      ],
    );
    const back = again.get(paid.order_id);
    assert.equal(back.paid_seq, 7);
    assert.deepEqual(
      back.lines[0]!.options.map((o) => o.option_id),
      ['egg'],
    );
    assert.equal(back.lines[0]!.note, 'no onions');
    assert.equal(back.total_minor, 2 * (1_290 + 150));
    assert.equal(again.get(declined.order_id).reason?.code, 'FACE_NO_SMILE');
    assert.equal(again.current(), null);
    // It goes on where it stopped: the kitchen's next step.
    assert.equal(again.advance(paid.order_id, 'ready').status, 'ready');
  });
});

test("orders the memory has dropped are still found by id (the lines of a past day's payments)", () => {
  withDir((dir) => {
    let t = 1_790_000_000_000;
    const now = (): number => (t += 10);
    const store = new OrderStore(join(dir, 'orders.db'), now);
    const book = new OrderBook(DEMO_MENU, 'EUR', now, DEMO_CATEGORIES, store);
    const first = book.create([{ item_id: 'gyoza', quantity: 1, options: ['chili-oil'] }]);
    for (let i = 0; i < ORDERS_KEPT_MAX + 5; i++) book.create([{ item_id: 'tea', quantity: 1 }], { source: 'counter' });
    assert.ok(!book.list().some((o) => o.order_id === first.order_id), 'dropped from memory');
    const found = book.byIds([first.order_id, 'o-unknown']);
    assert.equal(found.size, 1);
    assert.equal(found.get(first.order_id)!.lines[0]!.unit_minor, 590 + 50);
    store.close();
  });
});

test('orders older than the retention are dropped at start; a damaged row and a newer schema are named', () => {
  withDir((dir) => {
    const path = join(dir, 'orders.db');
    const start = 1_790_000_000_000;
    let t = start;
    const store = new OrderStore(path, () => t);
    const book = new OrderBook(DEMO_MENU, 'EUR', () => t, DEMO_CATEGORIES, store);
    const old = book.create([{ item_id: 'tea', quantity: 1 }]);
    t = start + 10 * DAY_MS;
    const recent = book.create([{ item_id: 'tea', quantity: 2 }]);
    store.close();

    const later = new OrderStore(path, () => start + (ORDERS_RETAINED_DAYS + 1) * DAY_MS);
    assert.deepEqual(
      later.latest(10).map((o) => o.order_id),
      [recent.order_id],
    );
    assert.equal(later.byIds([old.order_id]).size, 0);
    later.close();

    const raw = new Database(path);
    raw
      .prepare('UPDATE orders SET body = ? WHERE order_id = ?')
      .run(JSON.stringify({ order_id: recent.order_id, total_minor: -5 }), recent.order_id);
    raw.close();
    const damaged = new OrderStore(path, () => start);
    assert.throws(() => damaged.latest(10), new RegExp(`order ${recent.order_id} is not an order`));
    damaged.close();

    const newer = new Database(path);
    newer.pragma('user_version = 9');
    newer.close();
    assert.throws(
      () => new OrderStore(path),
      (err: Error & { code?: string }) =>
        err.code === 'LEDGER_SCHEMA_TOO_NEW' &&
        err.message.includes(`${path} has schema version 9, newer than this program's 1`),
    );
  });
});

test('an order whose payment reached the ledger but not orders.db comes back paid, so it cannot be paid twice', () => {
  withDir((dir) => {
    let t = 1_790_000_000_000;
    const now = (): number => (t += 1_000);
    const ledger = LedgerStore.open({
      path: join(dir, 'ledger.db'),
      kioskId: 'k-orders',
      key: DeviceKey.generate(),
      now,
    });
    const path = join(dir, 'orders.db');
    const store = new OrderStore(path, now);
    const book = new OrderBook(DEMO_MENU, 'EUR', now, DEMO_CATEGORIES, store);
    const earlier = book.create([{ item_id: 'tea', quantity: 1 }]);
    ledger.append('payment', {
      payment_id: 'p-earlier',
      order_id: earlier.order_id,
      amount_minor: earlier.total_minor,
      currency: 'EUR',
      method: 'cash',
      taken_by: 'cashier:bo',
    });
    book.markPaid(earlier.order_id, 1);
    const lost = book.create([{ item_id: 'ramen', quantity: 1 }], { source: 'counter', status: 'awaiting_payment' });
    const open = book.create([{ item_id: 'mochi', quantity: 1 }]);
    // The signed payment commits; the kiosk stops before the order's own write.
    const paid = ledger.append('payment', {
      payment_id: 'p-lost',
      order_id: lost.order_id,
      amount_minor: lost.total_minor,
      currency: 'EUR',
      method: 'card',
      taken_by: 'cashier:bo',
    });
    store.close();

    const again = new OrderBook(DEMO_MENU, 'EUR', now, DEMO_CATEGORIES, new OrderStore(path, now));
    assert.equal(again.get(lost.order_id).status, 'awaiting_payment', 'orders.db never heard of the payment');
    const fixed = again.reconcile(ledgerPaymentsSince(ledger));
    assert.deepEqual(fixed, [lost.order_id]);
    assert.deepEqual([again.get(lost.order_id).status, again.get(lost.order_id).paid_seq], ['paid', paid.entry.seq]);
    assert.equal(again.get(open.order_id).status, 'new', 'an order with no payment stays payable');
    assert.equal(again.get(earlier.order_id).status, 'paid');
    assert.deepEqual(
      [...ledger.entriesOfKindSince('payment', lost.created_at_ms)].map((e) => e.entry.seq),
      [paid.entry.seq],
      'only the stretch since the oldest open order is read',
    );
    ledger.close();
  });
});

test('orders need no sign-in, so their number on disk is bounded: the oldest go first', () => {
  withDir((dir) => {
    let t = 1_790_000_000_000;
    const now = (): number => (t += 1);
    const store = new OrderStore(join(dir, 'orders.db'), now, 1_500);
    const book = new OrderBook(DEMO_MENU, 'EUR', now, DEMO_CATEGORIES, store);
    const first = book.create([{ item_id: 'tea', quantity: 1 }]);
    for (let i = 0; i < 2_500; i++) book.create([{ item_id: 'tea', quantity: 1 }], { source: 'counter' });
    const kept = new Database(join(dir, 'orders.db')).prepare('SELECT count(*) FROM orders').pluck().get() as number;
    assert.ok(kept <= 1_500 + 1_000, `${kept} orders on disk (pruned every 1,000 saves to 1,500)`);
    store.prune();
    assert.equal(store.latest(10_000).length, 1_500);
    assert.equal(store.byIds([first.order_id]).size, 0, 'the oldest went first');
    store.close();
  });
});
