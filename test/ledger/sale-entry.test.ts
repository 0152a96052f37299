// Proves the v2 entries on real SQLite ledgers: a ledger holding v1 entries and then a v2 trading
// day (a shift, a bill split half by face and half in cash with a tip, a refund of one item, a
// pay-out, a voided card sale, the shift counted and closed, the day closed) verifies on both
// verify paths, and its day close's per-rate totals, tips and cash are the sums of the entries
// it closes; the store refuses every v2 entry whose amounts do not add up, each with its code,
// and writes nothing; verify names a v2 entry with bad amounts written past the store; and the
// largest sale a kiosk can build fits in one entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/tmp.js';
import { mixedLedger, openTestStore } from '../helpers/ledger.js';
import { closeShift, germanSale, paySale, refundItems, saleState, tradingDay } from '../helpers/sales.js';
import { verifyLedger } from '../../ledger/verify/verify.js';
import { exportDay } from '../../ledger/cli/export.js';
import { canonicalBytes } from '../../ledger/protocol/canonical.js';
import { ENTRY_BYTES_MAX, ENTRY_VERSION_SALES, type Entry, type PaymentBody } from '../../ledger/protocol/entry.js';
import { LedgerError } from '../../ledger/protocol/errors.js';
import { entryHash } from '../../ledger/keys/ed25519.js';
import { derivedColumns } from '../../ledger/store/rows.js';
import { priceSale, LINE_NAME_LENGTH_MAX, SALE_DISCOUNTS_MAX, SALE_LINES_MAX } from '../../ledger/protocol/sale.js';
import { salePaymentBody, saleRefundBody } from '../../ledger/protocol/sale-bodies.js';
import type { DeviceKey } from '../../ledger/keys/device-key.js';
import type { LedgerStore } from '../../ledger/store/store.js';

const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);

test('v1 entries then a v2 trading day verify; the close sums the per-rate totals, tips and cash of its entries', async (t) => {
  const dir = tempDir(t, 'smile-sale-');
  const { store, path } = mixedLedger(dir, 12);
  const from = store.openDay().first_seq;
  const day = tradingDay(store);
  const close = store.closeDay('2026-11-22', 'manager:ana');
  assert.equal(close.entry.v, ENTRY_VERSION_SALES, 'a day with v2 entries closes in v2');
  const e = close.entry;
  assert.ok(e.kind === 'day_close');
  const entries = [...store.entries(from, e.seq - 1)];
  assert.ok(
    entries.some((x) => x.v === 1),
    'the closed day holds a v1 payment as well',
  );
  for (const rate of e.body.by_rate!) {
    const of = (k: 'net_minor' | 'tax_minor' | 'gross_minor'): number =>
      sum(
        entries.flatMap((x) => {
          if (x.kind === 'payment')
            return (x.body.by_rate ?? []).filter((r) => r.rate_id === rate.rate_id).map((r) => r[k]);
          if (x.kind === 'refund' || x.kind === 'void')
            return (x.body.by_rate ?? []).filter((r) => r.rate_id === rate.rate_id).map((r) => -r[k]);
          return [];
        }),
      );
    assert.deepEqual(
      [rate.net_minor, rate.tax_minor, rate.gross_minor],
      [of('net_minor'), of('tax_minor'), of('gross_minor')],
    );
  }
  const total = e.body.totals.find((x) => x.currency === 'EUR')!;
  assert.equal(
    total.net_minor,
    sum(e.body.by_rate!.map((r) => r.gross_minor)) + total.tips_minor! + total.unrated_minor!,
  );
  assert.ok(total.unrated_minor! > 0, 'the v1 payment is counted as money without rates');
  const facePart = entries.find((x) => x.seq === day.saleSeq)!;
  assert.ok(facePart.kind === 'payment' && facePart.body.tip_minor! > 0);
  assert.equal(total.tips_minor, facePart.body.tip_minor, 'the tip of the face part');
  const cash = e.body.cash!.find((c) => c.currency === 'EUR')!;
  assert.equal(cash.shifts, 1);
  assert.equal(
    cash.expected_minor,
    cash.float_minor + cash.cash_sales_minor - cash.cash_refunds_minor + cash.pay_ins_minor - cash.pay_outs_minor,
  );
  assert.equal(cash.variance_minor, cash.counted_minor - cash.expected_minor);
  assert.equal(cash.counted_minor, 10_650);
  // The export of the closed day: each v2 money row carries its net, tax and amounts per rate.
  const csv = exportDay(path, '2026-11-22', 'csv').trim().split('\r\n');
  const header = csv[0]!.split(',');
  const face = csv.find((l) => l.startsWith(`${day.saleSeq},`))!;
  assert.match(face, /A 19%: net \d+ tax \d+ gross \d+ \| B 7%: net \d+ tax \d+ gross \d+/);
  assert.ok(header.includes('rates') && header.includes('tip_minor'));
  store.close();
  for (const workers of [1, 2]) {
    const report = await verifyLedger(path, { workers });
    assert.equal(report.ok, true, JSON.stringify(report.fault));
  }
});

/** The error code a store append throws, and whether the ledger grew. */
function refusal(store: LedgerStore, append: () => unknown): string {
  const before = store.count();
  try {
    append();
  } catch (err) {
    assert.equal(store.count(), before, 'nothing written');
    if (err instanceof LedgerError) return err.code;
    throw err;
  }
  return 'appended';
}

test('the store refuses v2 entries whose amounts do not add up, each with its code, and writes nothing', (t) => {
  const dir = tempDir(t, 'smile-sale-');
  const { store } = openTestStore(dir);
  const sale = germanSale();
  const ids = { payment_id: 'p-1', order_id: 'o-1', currency: 'EUR' };
  const cash = { method: 'cash', taken_by: 'cashier:bo' } as const;
  const good = salePaymentBody(ids, cash, sale, null, { share_minor: 1_000, tip_minor: 0 });
  const bent = (body: PaymentBody): PaymentBody => ({
    ...body,
    by_rate: body.by_rate!.map((r) => ({ ...r, tax_minor: r.tax_minor + 1, net_minor: r.net_minor - 1 })),
  });
  assert.equal(
    refusal(store, () => store.append('payment', bent(good))),
    'LEDGER_BAD_AMOUNTS',
  );
  const dearer = { ...sale, total_minor: sale.total_minor + 1 };
  assert.equal(
    refusal(store, () => store.append('payment', { ...good, sale: dearer })),
    'LEDGER_BAD_AMOUNTS',
  );
  assert.equal(
    refusal(store, () => store.append('payment', { ...good, tip_minor: 1_000 })),
    'LEDGER_BAD_AMOUNTS',
  );
  const first = store.append('payment', good);
  const state = saleState(store, first.entry.seq);
  const rest = salePaymentBody({ ...ids, payment_id: 'p-2' }, cash, sale, state, { tip_minor: 0 });
  assert.equal(
    refusal(store, () => store.append('payment', { ...rest, amount_minor: rest.amount_minor + 1 })),
    'LEDGER_PART_EXCEEDS_SALE',
  );
  const over = { ...rest, amount_minor: rest.amount_minor + 1, by_rate: [...rest.by_rate!] };
  over.by_rate[0] = {
    ...over.by_rate[0]!,
    gross_minor: over.by_rate[0]!.gross_minor + 1,
    net_minor: over.by_rate[0]!.net_minor + 1,
  };
  assert.match(
    refusal(store, () => store.append('payment', over)),
    /^LEDGER_(PART_EXCEEDS_SALE|BAD_AMOUNTS)$/,
  );
  assert.equal(
    refusal(store, () => store.append('payment', { ...rest, order_id: 'o-other' })),
    'LEDGER_ENTRY_INVALID',
  );
  const second = store.append('payment', rest);
  // The sale is paid: one more minor unit of it is more than is left.
  const extra = {
    ...rest,
    payment_id: 'p-3',
    amount_minor: 1,
    by_rate: [{ ...rest.by_rate![0]!, net_minor: 1, tax_minor: 0, gross_minor: 1 }],
  };
  assert.equal(
    refusal(store, () => store.append('payment', extra)),
    'LEDGER_PART_EXCEEDS_SALE',
  );
  // Two teas were sold and one came back: two more cannot, whichever payment they are asked of.
  refundItems(store, first.entry.seq, second.entry.seq, 1, 1);
  const third = saleRefundBody(
    saleState(store, first.entry.seq),
    first.entry.seq,
    { amount_minor: 100 },
    'x',
    'cashier:bo',
  );
  assert.equal(
    refusal(store, () => store.append('refund', { ...third, items: [{ line: 1, quantity: 2 }], amount_minor: 580 })),
    'LEDGER_REFUND_EXCEEDS_SOLD',
  );
  assert.equal(
    refusal(store, () =>
      store.append('refund', {
        payment_seq: first.entry.seq,
        amount_minor: 100,
        currency: 'EUR',
        reason: 'old style',
        approved_by: 'cashier:bo',
      }),
    ),
    'LEDGER_ENTRY_INVALID',
  );
  // Shifts: one at a time, cash only into the open one, a close that adds up, no day close while open.
  assert.equal(
    refusal(store, () =>
      store.append('cash_move', {
        shift_seq: 1,
        direction: 'in',
        amount_minor: 100,
        currency: 'EUR',
        reason: 'x',
        by: 'cashier:bo',
      }),
    ),
    'LEDGER_SHIFT_NOT_OPEN',
  );
  const shift = store.append('shift_open', { opened_by: 'cashier:bo', currency: 'EUR', float_minor: 5_000 });
  assert.equal(
    refusal(store, () => store.append('shift_open', { opened_by: 'cashier:bo', currency: 'EUR', float_minor: 0 })),
    'LEDGER_SHIFT_OPEN',
  );
  assert.equal(
    refusal(store, () => store.closeDay('2026-11-20', 'manager:ana')),
    'LEDGER_BAD_DAY_CLOSE',
  );
  const base = {
    shift_seq: shift.entry.seq,
    closed_by: 'cashier:bo',
    currency: 'EUR',
    float_minor: 5_000,
    cash_sales_minor: 0,
    cash_refunds_minor: 0,
    pay_ins_minor: 0,
    pay_outs_minor: 0,
    tips_minor: 0,
    expected_minor: 5_000,
  };
  assert.equal(
    refusal(store, () =>
      store.append('shift_close', {
        ...base,
        counted: [{ denomination_minor: 300, count: 1 }],
        counted_minor: 300,
        variance_minor: -4_700,
      }),
    ),
    'LEDGER_BAD_SHIFT_CLOSE',
  );
  assert.equal(
    refusal(store, () =>
      store.append('shift_close', {
        ...base,
        expected_minor: 4_000,
        counted: [],
        counted_minor: 0,
        variance_minor: -4_000,
      }),
    ),
    'LEDGER_BAD_SHIFT_CLOSE',
  );
  closeShift(store, [{ denomination_minor: 2_000, count: 2 }]);
  assert.equal(store.closeDay('2026-11-20', 'manager:ana').entry.v, ENTRY_VERSION_SALES);
  store.close();
});

/** Signs `entry` with `key` and writes it at the tip, past the store's checks, as a forger with the key would. */
function forge(path: string, key: DeviceKey, entry: Entry): void {
  const db = new Database(path);
  const canonical = canonicalBytes(entry);
  const signature = key.signEntry(canonical);
  db.prepare(
    'INSERT INTO entries (seq, kind, created_at_ms, canonical, signature, entry_hash, payment_id, payment_seq, amount_minor, currency, customer_id) VALUES (@seq, @kind, @created_at_ms, @canonical, @signature, @entry_hash, @payment_id, @payment_seq, @amount_minor, @currency, @customer_id)',
  ).run({ ...derivedColumns(entry), canonical, signature, entry_hash: entryHash(canonical, signature) });
  db.close();
}

test('verify names a v2 entry whose amounts do not add up, though it is signed by the kiosk key', async (t) => {
  const dir = tempDir(t, 'smile-sale-');
  const { store, key, path } = openTestStore(dir);
  const sale = germanSale();
  const first = paySale(store, 'o-1', { method: 'face', customer_id: 'c-1' }, sale);
  const refund = saleRefundBody(
    saleState(store, first.entry.seq),
    first.entry.seq,
    { items: [{ line: 0, quantity: 1 }] },
    'x',
    'cashier:bo',
  );
  const tip = store.tip();
  store.close();
  forge(path, key, {
    v: 2,
    kiosk_id: tip.kiosk_id,
    seq: tip.seq + 1,
    prev_hash: tip.entry_hash,
    kind: 'refund',
    created_at_ms: Date.UTC(2026, 10, 20, 12),
    // One ramen's worth back, but with more tax than it carried.
    body: {
      ...refund,
      by_rate: refund.by_rate!.map((r) => ({ ...r, tax_minor: r.tax_minor + 5, net_minor: r.net_minor - 5 })),
    },
  });
  const report = await verifyLedger(path);
  assert.equal(report.ok, false);
  assert.equal(report.fault?.seq, tip.seq + 1);
  assert.equal(report.fault?.code, 'LEDGER_BAD_AMOUNTS');
});

test('the largest sale a kiosk can build (50 lines of 8 options, long names, 20 discounts) fits in one entry', (t) => {
  const dir = tempDir(t, 'smile-sale-');
  const { store } = openTestStore(dir);
  const long = (c: string, n: number): string => c.repeat(n);
  const sale = priceSale({
    pricing: 'exclusive',
    rounding: 'line',
    service: 'take_away',
    lines: Array.from({ length: SALE_LINES_MAX }, (_, i) => ({
      item_id: `${long('i', 60)}-${String(i).padStart(2, '0')}`,
      name: long('豚', LINE_NAME_LENGTH_MAX),
      quantity: 99,
      unit_minor: 9_999_999,
      options: Array.from({ length: 8 }, (_, k) => ({ option_id: `${long('o', 62)}-${k}`, price_minor: 1_000_000 })),
      tax_category: long('c', 16),
      rate_id: `${long('r', 15)}${i % 8}`,
      rate_bp: 1_000 + (i % 8),
    })),
    discounts: Array.from({ length: SALE_DISCOUNTS_MAX }, (_, i) => ({
      line: i,
      kind: 'percent' as const,
      value: 100,
      reason: long('ü', 200),
      approved_by: long('m', 64),
    })),
  });
  const body = salePaymentBody(
    { payment_id: long('p', 64), order_id: long('o', 64), currency: 'EUR' },
    { method: 'card', taken_by: long('t', 64) },
    sale,
    null,
    { tip_minor: 99_999_999 },
  );
  const stored = store.append('payment', body);
  const bytes = canonicalBytes(stored.entry).length;
  assert.ok(bytes <= ENTRY_BYTES_MAX, `${bytes} bytes`);
  t.diagnostic(`largest sale entry: ${bytes} bytes of ${ENTRY_BYTES_MAX}`);
  store.close();
});
