// Proves (red team, finding 5) that a paired screen cannot walk the kiosk's receipts seq by seq and read every customer's payments (initials, amounts, times, orders).
// A customer pays by face at the kiosk's screen. Another paired screen (a second customer
// screen, a spare, or the same kiosk browser in the hands of a script) asks for receipt 1, 2,
// 3... Only the screen that made a payment knows its payment id (in the receipt its session
// showed); a receipt asked for without it is not found, the same answer as a seq that does not
// exist.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_VIDEO_CUSTOMER } from '../../electron/host/demo/demo.js';
import { playLive } from '../helpers/kiosk-client.js';
import { openAttackKiosk, type AttackKiosk } from './fixture.js';

let k: AttackKiosk;
before(async () => {
  k = await openAttackKiosk();
});
after(async () => {
  await k?.close();
});

test("another paired screen walking seq 1, 2, 3... learns nobody's receipt; the paying screen still reads its own", async () => {
  const till = await k.screen();
  const other = await k.screen();
  try {
    const order = await till.ok('createOrder', { lines: [{ item_id: 'tea', quantity: 1 }] });
    const run = await playLive(till, () => till.ok('startPayment', { order_id: order.order_id }), k.d0, {
      onset: k.onset,
      neutralTo: k.neutralTo,
      react: true,
    });
    const view =
      run.view.phase === 'step_up'
        ? await till.ok('stepUp', { session_id: run.view.session_id, phone_last4: DEMO_VIDEO_CUSTOMER.phone.slice(-4) })
        : run.view;
    assert.equal(view.phase, 'done', JSON.stringify(view));
    const mine = view.receipt!;
    const walked: string[] = [];
    for (let seq = 1; seq <= mine.seq + 2; seq++) {
      // Whatever a walker may guess for the payment id: a well-formed one that is not this payment's.
      const r = await other.call('receipt', { seq, payment_id: 'p-00000000-0000-4000-8000-000000000000' });
      if (r.ok) walked.push(`seq ${seq}: ${r.value.customer_initials} ${r.value.amount_minor} ${r.value.currency}`);
      else assert.equal(r.error.code, 'RECEIPT_NOT_FOUND');
    }
    console.log(`# receipts read by walking: ${walked.length ? walked.join('; ') : 'none'}`);
    assert.deepEqual(walked, [], 'receipts read by a screen that did not make them');
    const own = await till.ok('receipt', { seq: mine.seq, payment_id: mine.payment_id });
    assert.equal(own.entry_hash, mine.entry_hash, 'the paying screen reads its own receipt');
  } finally {
    till.close();
    other.close();
  }
});
