// Proves the manager's day report (electron/host/manager/day-report.ts) against a real ledger: a
// LedgerStore in a temporary folder in Europe/Berlin, entries appended through the store's own
// API on a clock the test moves across three days (the middle one the spring DST change, 23
// hours long), receipts stored through KioskState, orders from a real OrderBook. It proves: a
// closed day is the range its close signs and its totals are the Z report's; open days are split
// by local date; the days list is newest first; every filter keeps exactly the right entries;
// for any filters the totals equal the sums of the listed entries, and the hours, the settlement
// statuses and the items each add up to those totals; bad days and turned-round ranges are
// refused with their codes. Then, through the kiosk's real WebSocket transport, a cashier's
// token is refused with STAFF_FORBIDDEN and a manager's answered within the contract.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DeviceKey } from '../../ledger/keys/device-key.js';
import { LedgerStore } from '../../ledger/store/store.js';
import { KioskState } from '../../ledger/sync/kiosk-state.js';
import { canonicalize } from '../../ledger/protocol/canonical.js';
import type { ReceiptStatus } from '../../ledger/wire/wire.js';
import { DEMO_CATEGORIES, DEMO_MENU, OrderBook } from '../../electron/host/orders/orders.js';
import { OrderStore } from '../../electron/host/orders/order-store.js';
import { dayReport } from '../../electron/host/manager/day-report.js';
import { zoneClock } from '../../ledger/protocol/zone-clock.js';
import { ApiFault } from '../../electron/host/fault.js';
import type { ApiResult, DayReport, ReportEntry, ReportFilters } from '../../electron/contract/api.js';
import { loadConfig } from '../../electron/config.js';
import { createLogger } from '../../electron/log.js';
import { openDemoKiosk, type DemoKiosk } from '../../scripts/demo-store.js';
import { pairWithLink, WsClient } from '../helpers/kiosk-client.js';

const TZ = 'Europe/Berlin';
const NAMES: Record<string, string> = { 'cust-ana': 'Ana Kovač', 'cust-bo': 'Bo Chen' };

/** The sums of listed rows, computed plainly (not with the module's own Totals). */
function sumsOf(entries: readonly ReportEntry[]): Record<
  string,
  {
    entry_count: number;
    payment_count: number;
    gross_minor: number;
    refunds_minor: number;
    voids_minor: number;
    net_minor: number;
  }
> {
  const out: ReturnType<typeof sumsOf> = {};
  for (const e of entries) {
    if (e.amount_minor === null || e.currency === null) continue;
    const s = (out[e.currency] ??= {
      entry_count: 0,
      payment_count: 0,
      gross_minor: 0,
      refunds_minor: 0,
      voids_minor: 0,
      net_minor: 0,
    });
    s.entry_count += 1;
    if (e.kind === 'payment') {
      s.payment_count += 1;
      s.gross_minor += e.amount_minor;
    }
    if (e.kind === 'refund') s.refunds_minor += e.amount_minor;
    if (e.kind === 'void') s.voids_minor += e.amount_minor;
    s.net_minor = s.gross_minor - s.refunds_minor - s.voids_minor;
  }
  return out;
}

const byCurrency = (totals: DayReport['totals']): ReturnType<typeof sumsOf> =>
  Object.fromEntries(totals.map(({ currency, ...t }) => [currency, t]));

function addUp(lists: DayReport['totals'][]): ReturnType<typeof sumsOf> {
  const out: ReturnType<typeof sumsOf> = {};
  for (const list of lists) {
    for (const { currency, ...t } of list) {
      const s = (out[currency] ??= {
        entry_count: 0,
        payment_count: 0,
        gross_minor: 0,
        refunds_minor: 0,
        voids_minor: 0,
        net_minor: 0,
      });
      for (const k of Object.keys(s) as (keyof typeof s)[]) s[k] += t[k];
    }
  }
  return out;
}

describe('the day report over a real ledger', () => {
  let dir: string;
  let store: LedgerStore;
  let state: KioskState;
  let nowMs = 0;
  const at = (iso: string): void => void (nowMs = Date.parse(iso));
  const book = new OrderBook(DEMO_MENU, 'EUR', () => nowMs);
  const seqs: Record<string, number> = {};
  let closeTotals: unknown;

  const report = (day?: string, filters: ReportFilters = {}): DayReport =>
    dayReport({ store, state, orders: (ids) => book.byIds(ids), customerName: (id) => NAMES[id], nowMs }, day, filters);
  const listedSeqs = (r: DayReport): number[] => r.entries.map((e) => e.seq).sort((a, b) => a - b);

  /** A payment of an order built from the menu (so its items are known), or of an order the book never held. */
  function pay(
    name: string,
    method: 'face' | 'cash' | 'card',
    lines: { item_id: string; quantity: number }[] | { amount_minor: number; currency?: string },
    customer?: string,
  ): void {
    let order_id: string;
    let amount_minor: number;
    let currency = 'EUR';
    if (Array.isArray(lines)) {
      const o = book.create(lines);
      order_id = o.order_id;
      amount_minor = o.total_minor;
    } else {
      order_id = `o-gone-${name}`;
      amount_minor = lines.amount_minor;
      currency = lines.currency ?? 'EUR';
    }
    const who = method === 'face' ? { customer_id: customer! } : { taken_by: 'cashier:bo' };
    const s = store.append('payment', { payment_id: `p-${name}`, order_id, amount_minor, currency, method, ...who });
    if (Array.isArray(lines)) book.markPaid(order_id, s.entry.seq);
    seqs[name] = s.entry.seq;
  }

  function receipts(statuses: Record<number, ReceiptStatus>): void {
    const items = Object.entries(statuses).map(([seq, status], i) => ({
      receipt: {
        v: 1 as const,
        kiosk_id: 'kiosk-report',
        seq: Number(seq),
        entry_hash: store.get(Number(seq))!.entry_hash,
        status,
        decided_at_ms: nowMs,
      },
      batch_id: 'b-1',
      leaf_index: i,
    }));
    const head = {
      v: 1 as const,
      type: 'receipt_batch' as const,
      batch_id: 'b-1',
      kiosk_id: 'kiosk-report',
      first_seq: 1,
      tree_size: items.length,
      root: '0'.repeat(64),
      signed_at_ms: nowMs,
    };
    state.storeReceipts(
      items,
      items.map((r) => canonicalize(r.receipt)),
      [{ head, signature: '0'.repeat(128) }],
      nowMs,
    );
  }

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'smile-report-'));
    const path = join(dir, 'ledger.db');
    at('2026-03-28T09:15:00Z');
    store = LedgerStore.open({
      path,
      kioskId: 'kiosk-report',
      key: DeviceKey.generate(),
      timezone: TZ,
      now: () => nowMs,
    });
    state = new KioskState(path);
    // Saturday 28 March (CET, UTC+1), closed at 23:00.
    pay('ana1', 'face', [{ item_id: 'ramen', quantity: 1 }], 'cust-ana'); // 10:15, 12.90
    at('2026-03-28T11:40:00Z');
    pay('cash1', 'cash', [
      { item_id: 'gyoza', quantity: 2 },
      { item_id: 'tea', quantity: 1 },
    ]); // 12:40, 14.70
    at('2026-03-28T11:50:00Z');
    pay('usd1', 'card', { amount_minor: 2_000, currency: 'USD' }); // 12:50, $20.00, its order long gone
    at('2026-03-28T12:05:00Z');
    seqs.refund1 = store.append('refund', {
      payment_seq: seqs.ana1!,
      amount_minor: 300,
      currency: 'EUR',
      reason: 'cold soup',
      approved_by: 'cashier:bo',
    }).entry.seq; // 13:05
    at('2026-03-28T22:00:00Z');
    const close = store.closeDay('2026-03-28', 'manager:ana');
    seqs.close1 = close.entry.seq;
    closeTotals = close.entry.kind === 'day_close' ? close.entry.body.totals : null;
    // Sunday 29 March: clocks go from 02:00 CET to 03:00 CEST (at 01:00 UTC). Not closed.
    at('2026-03-28T23:30:00Z');
    pay('card2', 'card', [{ item_id: 'mochi', quantity: 1 }]); // 00:30 CET, 4.50
    at('2026-03-29T00:30:00Z');
    pay('bo2', 'face', { amount_minor: 2_580 }, 'cust-bo'); // 01:30 CET
    at('2026-03-29T01:10:00Z');
    seqs.void2 = store.append('void', {
      payment_seq: seqs.card2!,
      amount_minor: 450,
      currency: 'EUR',
      reason: 'wrong table',
      approved_by: 'manager:ana',
    }).entry.seq; // 03:10 CEST
    at('2026-03-29T03:00:00Z');
    seqs.config2 = store.append('config', {
      key: 'refund_cashier_max_minor',
      value: 3_000,
      previous: 2_000,
      changed_by: 'manager:ana',
    }).entry.seq; // 05:00
    at('2026-03-29T16:00:00Z');
    pay('cash2', 'cash', [{ item_id: 'edamame', quantity: 1 }]); // 18:00, 3.90
    // Monday 30 March (CEST), today.
    at('2026-03-30T07:00:00Z');
    pay('cash3', 'cash', [{ item_id: 'tea', quantity: 1 }]);
    receipts({
      [seqs.ana1!]: 'settled',
      [seqs.cash1!]: 'recorded',
      [seqs.refund1!]: 'settled',
      [seqs.bo2!]: 'declined',
    });
    at('2026-03-30T10:00:00Z');
  });

  after(() => {
    state?.close();
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the store-time clock: a 23-hour DST day has no 02:00 hour; an ordinary day has 24 hours from local midnight', () => {
    const clock = zoneClock(TZ);
    const dst = clock.bounds('2026-03-29');
    assert.equal(dst.start_ms, Date.UTC(2026, 2, 28, 23));
    assert.equal(dst.end_ms, Date.UTC(2026, 2, 29, 22));
    assert.equal(dst.hours.filter((h) => h.start_ms !== null).length, 23);
    assert.deepEqual(dst.hours[2], { start_ms: null, end_ms: null });
    assert.deepEqual(dst.hours[3], { start_ms: Date.UTC(2026, 2, 29, 1), end_ms: Date.UTC(2026, 2, 29, 2) });
    const plain = clock.bounds('2026-03-30');
    assert.equal(plain.end_ms - plain.start_ms, 24 * 3_600_000);
    assert.equal(plain.hours[9]!.start_ms, Date.UTC(2026, 2, 30, 7));
    assert.equal(clock.day(Date.UTC(2026, 2, 28, 23, 30)), '2026-03-29', '00:30 local is the next day');
    assert.equal(zoneClock('UTC').bounds('2026-03-29').start_ms, Date.UTC(2026, 2, 29));
  });

  test('the days with entries, newest first: today and yesterday open, Saturday closed; today is the default', () => {
    const r = report();
    assert.equal(r.business_day, '2026-03-30');
    assert.deepEqual(r.days, [
      { business_day: '2026-03-30', closed: false, entry_count: 1 },
      { business_day: '2026-03-29', closed: false, entry_count: 5 },
      { business_day: '2026-03-28', closed: true, entry_count: 5 },
    ]);
    assert.equal(r.days_truncated, false);
    assert.deepEqual(listedSeqs(r), [seqs.cash3]);
  });

  test("a closed day is the range its close signs: unfiltered, its totals are the Z report's and equal the listed entries", () => {
    const r = report('2026-03-28');
    assert.equal(r.closed, true);
    assert.equal(r.day_close_seq, seqs.close1);
    assert.deepEqual(listedSeqs(r), [seqs.ana1, seqs.cash1, seqs.usd1, seqs.refund1, seqs.close1]);
    assert.deepEqual(
      r.entries.map((e) => e.seq),
      [...listedSeqs(r)].reverse(),
      'newest first',
    );
    assert.deepEqual(
      r.totals.map(({ entry_count: _, ...t }) => t),
      closeTotals,
    );
    assert.deepEqual(byCurrency(r.totals), sumsOf(r.entries));
    assert.deepEqual(byCurrency(r.totals).EUR, {
      entry_count: 3,
      payment_count: 2,
      gross_minor: 2_760,
      refunds_minor: 300,
      voids_minor: 0,
      net_minor: 2_460,
    });
    const refund = r.entries.find((e) => e.seq === seqs.refund1)!;
    assert.deepEqual(
      [refund.method, refund.customer_id, refund.customer_initials, refund.settlement, refund.hour],
      ['face', 'cust-ana', 'A.K.', 'settled', 13],
    );
  });

  test('the open DST day: its own entries by local date, hours in local time, 23 hours long', () => {
    const r = report('2026-03-29');
    assert.equal(r.closed, false);
    assert.deepEqual(listedSeqs(r), [seqs.card2, seqs.bo2, seqs.void2, seqs.config2, seqs.cash2]);
    assert.equal(r.day_end_ms - r.day_start_ms, 23 * 3_600_000);
    const hours = Object.fromEntries(r.entries.map((e) => [e.seq, e.hour]));
    assert.deepEqual(
      [hours[seqs.card2!], hours[seqs.bo2!], hours[seqs.void2!], hours[seqs.config2!], hours[seqs.cash2!]],
      [0, 1, 3, 5, 18],
    );
    assert.equal(r.by_hour[2]!.start_ms, null);
    assert.deepEqual(r.by_hour[1]!.totals, [
      {
        currency: 'EUR',
        entry_count: 1,
        payment_count: 1,
        gross_minor: 2_580,
        refunds_minor: 0,
        voids_minor: 0,
        net_minor: 2_580,
      },
    ]);
  });

  test('each filter keeps exactly the right entries', () => {
    const seqsOf = (day: string, f: ReportFilters): number[] => listedSeqs(report(day, f));
    const sat = '2026-03-28';
    assert.deepEqual(seqsOf(sat, { kinds: ['payment'] }), [seqs.ana1, seqs.cash1, seqs.usd1]);
    assert.deepEqual(seqsOf(sat, { kinds: ['refund', 'day_close'] }), [seqs.refund1, seqs.close1]);
    assert.deepEqual(seqsOf(sat, { method: ['cash'] }), [seqs.cash1]);
    assert.deepEqual(
      seqsOf(sat, { method: ['face'] }),
      [seqs.ana1, seqs.refund1],
      "a refund goes with its payment's method",
    );
    assert.deepEqual(seqsOf(sat, { settlement: ['settled'] }), [seqs.ana1, seqs.refund1]);
    assert.deepEqual(seqsOf(sat, { settlement: ['pending'] }), [seqs.usd1]);
    assert.deepEqual(seqsOf(sat, { amount_min_minor: 1_000, amount_max_minor: 1_500 }), [seqs.ana1, seqs.cash1]);
    assert.deepEqual(seqsOf(sat, { amount_max_minor: 300 }), [seqs.refund1]);
    for (const q of ['ana', 'A.K.', 'ak', 'cust-an', 'KOV'])
      assert.deepEqual(seqsOf(sat, { customer: q }), [seqs.ana1, seqs.refund1], q);
    assert.deepEqual(seqsOf(sat, { customer: 'zz' }), []);
    assert.deepEqual(seqsOf('2026-03-29', { customer: 'b.c' }), [seqs.bo2]);
    const sun = report('2026-03-29');
    assert.deepEqual(seqsOf('2026-03-29', { from_ms: sun.by_hour[3]!.start_ms!, to_ms: sun.by_hour[6]!.start_ms! }), [
      seqs.void2,
      seqs.config2,
    ]);
    assert.deepEqual(
      seqsOf('2026-03-29', {
        kinds: ['payment'],
        method: ['card', 'cash'],
        from_ms: sun.day_start_ms,
        to_ms: sun.by_hour[12]!.start_ms!,
      }),
      [seqs.card2],
    );
    assert.deepEqual(seqsOf('2026-03-29', { settlement: ['declined'] }), [seqs.bo2]);
  });

  test('by settlement status and by item: the statuses of the receipts; the items of the orders still held, the rest unknown', () => {
    const r = report('2026-03-28');
    assert.deepEqual(
      r.by_settlement.map((s) => [s.settlement, s.currency, s.entry_count, s.net_minor]),
      [
        ['pending', 'USD', 1, 2_000],
        ['recorded', 'EUR', 1, 1_470],
        ['settled', 'EUR', 2, 990],
      ],
    );
    assert.deepEqual(
      r.by_item.map((i) => [i.item_id, i.quantity, i.gross_minor]),
      [
        ['ramen', 1, 1_290],
        ['gyoza', 2, 1_180],
        ['tea', 1, 290],
      ],
    );
    assert.equal(r.by_item[0]!.name.de, 'Tonkotsu-Ramen');
    assert.deepEqual(r.items_unknown, [{ currency: 'USD', payment_count: 1, gross_minor: 2_000 }]);
    const sun = report('2026-03-29', { kinds: ['payment'] });
    assert.deepEqual(
      sun.by_item.map((i) => [i.item_id, i.gross_minor]),
      [
        ['mochi', 450],
        ['edamame', 390],
      ],
    );
    assert.deepEqual(sun.items_unknown, [{ currency: 'EUR', payment_count: 1, gross_minor: 2_580 }]);
  });

  test('for any filters, the totals equal the listed entries, and the hours, the statuses and the items add up to them', () => {
    const filters = fc.record(
      {
        kinds: fc.subarray(['payment', 'refund', 'void', 'day_close', 'config'] as const, { minLength: 1 }),
        method: fc.subarray(['face', 'cash', 'card'] as const, { minLength: 1 }),
        settlement: fc.subarray(['pending', 'settled', 'declined', 'recorded'] as const, { minLength: 1 }),
        amount_min_minor: fc.integer({ min: 0, max: 1_500 }),
        amount_max_minor: fc.integer({ min: 1_500, max: 3_000 }),
        customer: fc.constantFrom('ana', 'cust', 'b', 'x'),
        from_hour: fc.integer({ min: 0, max: 11 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.constantFrom('2026-03-28', '2026-03-29', '2026-03-30'), filters, (day, { from_hour, ...f }) => {
        const hours = report(day).by_hour;
        const from =
          from_hour === undefined
            ? undefined
            : hours.find((h) => h.hour >= from_hour && h.start_ms !== null)!.start_ms!;
        const r = report(day, { ...f, ...(from !== undefined ? { from_ms: from } : {}) });
        assert.equal(r.truncated, false);
        assert.equal(r.matched_count, r.entries.length);
        const listed = sumsOf(r.entries);
        assert.deepEqual(byCurrency(r.totals), listed);
        assert.deepEqual(addUp(r.by_hour.map((h) => h.totals)), listed);
        assert.deepEqual(addUp([r.by_settlement.map(({ settlement: _, ...t }) => t)]), listed);
        for (const t of r.totals) {
          const items = r.by_item.filter((i) => i.currency === t.currency).reduce((s, i) => s + i.gross_minor, 0);
          const unknown = r.items_unknown.find((u) => u.currency === t.currency)?.gross_minor ?? 0;
          assert.equal(items + unknown, t.gross_minor, `items of ${t.currency}`);
        }
      }),
      { numRuns: 120 },
    );
  });

  test('bad days and turned-round ranges are refused with their codes', () => {
    const refused = (code: string, run: () => unknown): void =>
      assert.throws(run, (e: unknown) => e instanceof ApiFault && e.code === code, code);
    refused('DAY_INVALID', () => report('2026-03-31'));
    refused('DAY_INVALID', () => report('2026-02-30'));
    refused('API_BAD_REQUEST', () => report('2026-03-28', { amount_min_minor: 500, amount_max_minor: 100 }));
    refused('API_BAD_REQUEST', () => report('2026-03-28', { from_ms: 10, to_ms: 10 }));
    const empty = report('2025-12-24');
    assert.deepEqual([empty.entries, empty.totals, empty.day_entry_count, empty.closed], [[], [], 0, false]);
    assert.equal(empty.by_hour.length, 24);
  });
});

describe("the dayReport call through the kiosk's transport", () => {
  let dir: string;
  let kiosk: DemoKiosk;
  let client: WsClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smile-report-api-'));
    const config = loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0' } });
    kiosk = await openDemoKiosk({
      config,
      log: createLogger({ level: process.env.SMILE_TEST_LOG ?? 'silent' }),
      demoPeople: [],
      syncPollMs: 100,
    });
    client = await WsClient.connect(kiosk.http!.url, { cookie: await pairWithLink(kiosk.pairingLink()) });
  });

  after(async () => {
    client?.close();
    await kiosk?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const code = <T>(r: ApiResult<T>): string => (r.ok ? 'ok' : r.error.code);

  test("a cashier's token is refused with STAFF_FORBIDDEN; a manager gets the day with the counter payment and its items; bad filters are refused", async () => {
    const staff = kiosk.demoStaff!;
    const bo = (await client.ok('staffSignIn', { staff_id: staff.cashier.staff_id, pin: staff.cashier.pin })).token;
    const ana = (await client.ok('staffSignIn', { staff_id: staff.manager.staff_id, pin: staff.manager.pin })).token;
    const order = await client.ok('createOrder', { lines: [{ item_id: 'gyoza', quantity: 2 }] });
    const paid = await client.ok('payOrder', { token: bo, order_id: order.order_id, method: 'cash' });

    const refused = await client.call('dayReport', { token: bo });
    assert.equal(code(refused), 'STAFF_FORBIDDEN');
    assert.equal(code(await client.call('dayReport', { token: 'A'.repeat(43) })), 'STAFF_SESSION_INVALID');

    const r = await client.ok('dayReport', { token: ana, filters: { kinds: ['payment'], method: ['cash'] } });
    assert.deepEqual(
      r.entries.map((e) => [e.seq, e.amount_minor, e.actor]),
      [[paid.entry.seq, 1_180, 'cashier:bo']],
    );
    assert.deepEqual(
      r.by_item.map((i) => [i.item_id, i.quantity, i.gross_minor]),
      [['gyoza', 2, 1_180]],
    );
    assert.equal(r.days[0]!.business_day, r.business_day);
    assert.equal(
      code(await client.call('dayReport', { token: ana, filters: { kinds: ['bogus'] } } as never)),
      'API_BAD_REQUEST',
    );
    assert.equal(code(await client.call('dayReport', { token: ana, business_day: '28.03.2026' })), 'API_BAD_REQUEST');
    assert.equal(
      code(await client.call('dayReport', { token: ana, filters: { amount_min_minor: -1 } })),
      'API_BAD_REQUEST',
    );
  });
});

test('a restart keeps what was sold: the items come from orders.db, not only from memory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'smile-report-orders-'));
  try {
    let nowMs = Date.parse('2026-05-04T10:00:00Z');
    const now = (): number => nowMs;
    const store = LedgerStore.open({
      path: join(dir, 'ledger.db'),
      kioskId: 'kiosk-orders',
      key: DeviceKey.generate(),
      timezone: TZ,
      now,
    });
    const state = new KioskState(join(dir, 'ledger.db'));
    const orders = new OrderStore(join(dir, 'orders.db'), now);
    const book = new OrderBook(DEMO_MENU, 'EUR', now, DEMO_CATEGORIES, orders);
    const o = book.create(
      [
        { item_id: 'ramen', quantity: 2, options: ['egg'] },
        { item_id: 'tea', quantity: 1 },
      ],
      { source: 'counter', status: 'awaiting_payment' },
    );
    const paid = store.append('payment', {
      payment_id: 'p-restart',
      order_id: o.order_id,
      amount_minor: o.total_minor,
      currency: 'EUR',
      method: 'cash',
      taken_by: 'cashier:bo',
    });
    book.markPaid(o.order_id, paid.entry.seq);
    orders.close();
    nowMs += 3_600_000;

    const restarted = new OrderBook(
      DEMO_MENU,
      'EUR',
      now,
      DEMO_CATEGORIES,
      new OrderStore(join(dir, 'orders.db'), now),
    );
    const r = dayReport(
      { store, state, orders: (ids) => restarted.byIds(ids), customerName: () => undefined, nowMs },
      undefined,
      {},
    );
    assert.deepEqual(
      r.by_item.map((i) => [i.item_id, i.quantity, i.gross_minor]),
      [
        ['ramen', 2, 2 * (1_290 + 150)],
        ['tea', 1, 290],
      ],
    );
    assert.deepEqual(r.items_unknown, []);
    // Without orders.db (the kiosk before this change, or a lost file) the same payment is unknown.
    const forgetful = new OrderBook(DEMO_MENU, 'EUR', now);
    const blind = dayReport(
      { store, state, orders: (ids) => forgetful.byIds(ids), customerName: () => undefined, nowMs },
      undefined,
      {},
    );
    assert.deepEqual(blind.items_unknown, [{ currency: 'EUR', payment_count: 1, gross_minor: o.total_minor }]);
    state.close();
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
