// The signed entry's `training` field: a payment and a refund may carry `training: true` (v2),
// `training: false` or any other value is refused naming the field and nothing is written, an
// entry without it is unchanged (its bytes and its version), and the day close leaves training
// entries out of its totals and rates while `verify` accepts the whole ledger.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from '../helpers/tmp.js';
import { openTestStore } from '../helpers/ledger.js';
import { germanSale, saleState } from '../helpers/sales.js';
import { salePaymentBody, saleRefundBody } from '../../ledger/protocol/sale-bodies.js';
import { LedgerError } from '../../ledger/protocol/errors.js';
import { versionFor } from '../../ledger/protocol/entry.js';
import { verifyLedger } from '../../ledger/verify/verify.js';

test('training: true is signed and left out of the day close; training: false is refused; other entries are unchanged', async (t) => {
  const { store, path } = openTestStore(tempDir(t));
  const sale = germanSale();
  const body = (id: string) =>
    salePaymentBody(
      { payment_id: id, order_id: `o-${id}`, currency: 'EUR' },
      { method: 'card', taken_by: 'cashier:bo' },
      sale,
      null,
      { tip_minor: 0 },
    );
  const real = store.append('payment', body('real'));
  assert.equal(real.entry.v, versionFor('payment', body('x')));
  const count = store.count();
  for (const bad of [false, 1, 'yes'])
    assert.throws(
      () => store.append('payment', { ...body(`bad-${String(bad)}`), training: bad as unknown as true }),
      (err: unknown) =>
        err instanceof LedgerError && err.code === 'LEDGER_ENTRY_INVALID' && /training/.test(err.message),
    );
  assert.equal(store.count(), count, 'nothing written');
  const practice = store.append('payment', { ...body('practice'), training: true });
  const refund = saleRefundBody(
    saleState(store, practice.entry.seq),
    practice.entry.seq,
    { items: [{ line: 1, quantity: 1 }] },
    'practice',
    'cashier:bo',
  );
  store.append('refund', { ...refund, training: true });
  const close = store.closeDay('2026-11-20', 'manager:ana').entry;
  assert.ok(close.kind === 'day_close');
  assert.equal(close.body.totals[0]!.gross_minor, sale.total_minor);
  assert.equal(close.body.totals[0]!.payment_count, 1);
  assert.equal(close.body.totals[0]!.refunds_minor, 0);
  assert.deepEqual(
    close.body.by_rate!.map((r) => r.gross_minor),
    sale.by_rate.map((r) => r.gross_minor),
  );
  store.close();
  const report = await verifyLedger(path);
  assert.equal(report.ok, true, JSON.stringify(report.fault));
});
