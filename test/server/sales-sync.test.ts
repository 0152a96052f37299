// Proves, on SQLite and on a real PostgreSQL alike, that the settlement server takes a kiosk's v2
// entries after its v1 ones, uploaded two at a time so that every rule must look back into what
// the server already holds (a split bill's sale, a refund's payment and sale, the open shift and
// the shift's entries for its close): every entry is receipted, the face part settles with its
// tip, a refund by item of it settles back, and the books balance; and that the merchant's daily
// report counts the store's own days (its time zone), with takings per VAT rate and tips equal
// to the sums of the day's signed entries, declined ones left out.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { walletAccount } from '../../ledger/server/context.js';
import { dailyReport } from '../../ledger/server/report.js';
import { setMerchantTimezone } from '../../ledger/server/admin.js';
import { LedgerStore } from '../../ledger/store/store.js';
import { MERCHANT } from '../helpers/settle.js';
import {
  BACKENDS,
  balance,
  checkBooks,
  facePayment,
  fundedCustomer,
  kiosk,
  serverWithMerchant,
  storageFor,
  usePostgres,
} from '../helpers/settle.js';
import { refundItems, tradingDay } from '../helpers/sales.js';

const pg = usePostgres();

for (const backend of BACKENDS) {
  describe(`v2 entries on ${backend}`, () => {
    it('receipts a trading day of sales, splits, refunds by item and a shift, two entries per upload', async () => {
      const { server, s, token } = await serverWithMerchant(await storageFor(backend, pg));
      try {
        await fundedCustomer(s, 'cust-1', 10_000);
        const k = await kiosk(server.url, token, { batchEntriesMax: 2 });
        k.store.append('payment', facePayment('cust-1', 500));
        const day = tradingDay(k.store);
        const face = k.store.get(day.saleSeq)!.entry;
        assert.ok(face.kind === 'payment');
        const back = refundItems(k.store, day.saleSeq, day.saleSeq, 0, 1);
        k.store.closeDay('2026-11-20', 'manager:ana');
        await k.worker.uploadPending();
        const tip = k.store.tip().seq;
        const statuses = Array.from({ length: tip }, (_, i) => k.worker.state.receipt(i + 1)?.status);
        assert.ok(
          statuses.every((x) => x === 'settled' || x === 'recorded'),
          JSON.stringify(statuses),
        );
        assert.equal(k.worker.state.receipt(day.saleSeq)?.status, 'settled');
        assert.equal(k.worker.state.receipt(back.entry.seq)?.status, 'settled');
        const refunded = back.entry.kind === 'refund' ? back.entry.body.amount_minor : 0;
        assert.equal(await balance(s, walletAccount('cust-1')), 10_000 - 500 - face.body.amount_minor + refunded);
        await checkBooks(s);
        await k.close();
      } finally {
        await server.close();
      }
    });

    it("reports the store's day in its time zone, with takings per rate and tips from the signed entries", async () => {
      const { server, s, token } = await serverWithMerchant(await storageFor(backend, pg));
      try {
        await fundedCustomer(s, 'cust-1', 10_000);
        const k = await kiosk(server.url, token);
        // Half an hour before midnight UTC: already the next day in Berlin (UTC+1 in March).
        let t = Date.UTC(2026, 2, 10, 23, 30);
        const late = LedgerStore.open({ path: k.path, kioskId: k.kioskId, key: k.key, now: () => (t += 1_000) });
        tradingDay(late);
        late.close();
        await k.worker.uploadPending();
        const entries = [...k.store.range(1, k.store.tip().seq)].map((x) => x.entry);
        const expected = new Map<string, number>();
        let tips = 0;
        for (const e of entries) {
          if (e.kind !== 'payment' && e.kind !== 'refund' && e.kind !== 'void') continue;
          const sign = e.kind === 'payment' ? 1 : -1;
          for (const r of e.body.by_rate ?? [])
            expected.set(r.rate_id, (expected.get(r.rate_id) ?? 0) + sign * r.gross_minor);
          tips += sign * (e.body.tip_minor ?? 0);
        }
        const utc = await dailyReport(s, MERCHANT, '2026-03-10');
        assert.equal(utc.timezone, 'UTC');
        assert.deepEqual(
          utc.by_rate.map((r) => [r.rate_id, r.gross_minor]),
          [...expected].sort(),
        );
        assert.deepEqual(utc.tips, [{ currency: 'EUR', tips_minor: tips }]);
        await setMerchantTimezone(s, MERCHANT, 'Europe/Berlin');
        assert.equal((await dailyReport(s, MERCHANT, '2026-03-10')).by_rate.length, 0, 'not that day in Berlin');
        const berlin = await dailyReport(s, MERCHANT, '2026-03-11');
        assert.equal(berlin.day_start_ms, Date.UTC(2026, 2, 10, 23));
        assert.deepEqual(berlin.by_rate, utc.by_rate);
        assert.equal(
          berlin.currencies[0]!.payments_settled_minor + berlin.currencies[0]!.payments_recorded_minor,
          entries.reduce((sum, e) => sum + (e.kind === 'payment' ? e.body.amount_minor : 0), 0),
        );
        await k.close();
      } finally {
        await server.close();
      }
    });
  });
}
