// Proves that the ledger protocol, not only the host, ties a reversal's training mark to its
// payment's: a refund marked training of a real payment (money off the books) and an unmarked
// refund of a training payment (cash paid out that was never taken) are refused, nothing written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from '../helpers/tmp.js';
import { openTestStore } from '../helpers/ledger.js';
import { germanSale, saleState } from '../helpers/sales.js';
import { salePaymentBody, saleRefundBody } from '../../ledger/protocol/sale-bodies.js';
import { LedgerError } from '../../ledger/protocol/errors.js';

test("a refund's training mark must be its payment's", (t) => {
  const { store } = openTestStore(tempDir(t));
  const sale = germanSale();
  const body = (id: string) =>
    salePaymentBody(
      { payment_id: id, order_id: `o-${id}`, currency: 'EUR' },
      { method: 'cash', taken_by: 'cashier:bo' },
      sale,
      null,
      { tip_minor: 0 },
    );
  const real = store.append('payment', body('real'));
  const practice = store.append('payment', { ...body('practice'), training: true });
  const refundOf = (seq: number) =>
    saleRefundBody(saleState(store, seq), seq, { items: [{ line: 1, quantity: 1 }] }, 'why', 'cashier:bo');
  const count = store.count();
  const refused = (err: unknown) =>
    err instanceof LedgerError && err.code === 'LEDGER_ENTRY_INVALID' && /training/.test(err.message);
  assert.throws(() => store.append('refund', { ...refundOf(real.entry.seq), training: true }), refused);
  assert.throws(() => store.append('refund', refundOf(practice.entry.seq)), refused);
  assert.equal(store.count(), count, 'nothing written');
  store.append('refund', refundOf(real.entry.seq));
  store.append('refund', { ...refundOf(practice.entry.seq), training: true });
  store.close();
});
