// Proves, on SQLite and on a real PostgreSQL alike, that the settlement server takes a kiosk's v2
// entries after its v1 ones, uploaded two at a time so that every rule must look back into what
// the server already holds (a split bill's sale, a refund's payment and sale, the open shift and
// the shift's entries for its close): every entry is receipted, the face part settles with its
// tip, a refund by item of it settles back, and the books balance.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { walletAccount } from '../../ledger/server/context.js';
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
  });
}
