// Runs alone: it plays a live customer against the host's clock (see scripts/run-tests.mjs).
// Proves refused: a face payment of another amount than the customer's screen showed at "Smile to pay" (a cashier's change to the bill during the smile).
// A bill of 25.80 split in two: the customer starts paying their half (12.90). While they smile,
// the cashier makes it one bill again (splitOrder null; the cashier could as well take a
// discount off, or switch eat-in/take-away): the face pays the next part as it is when the face
// is matched, 25.80, twice what the customer agreed to (red team 2, finding 5). Now the session
// keeps what was agreed at "Smile to pay", and a payment of any other amount is refused as
// ORDER_CHANGED with nothing paid; paying again then pays the bill as it now is, shown.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_VIDEO_CUSTOMER } from '../../electron/host/demo/demo.js';
import type { Order } from '../../electron/contract/api.js';
import { playLive, WsClient } from '../helpers/kiosk-client.js';
import { openAttackKiosk, type AttackKiosk } from './fixture.js';

let k: AttackKiosk;
before(async () => {
  k = await openAttackKiosk();
});
after(async () => {
  await k?.close();
});

test("a cashier's change to the bill during the smile does not change what the face pays", async () => {
  const screen = await k.screen();
  const counter = await WsClient.connect(k.kiosk.http!.url);
  try {
    const staff = k.kiosk.demoStaff!;
    const { token } = await counter.ok('staffSignIn', { staff_id: staff.cashier.staff_id, pin: staff.cashier.pin });
    const order: Order = await counter.ok('sendOrder', { token, lines: [{ item_id: 'ramen', quantity: 2 }] });
    assert.equal(order.total_minor, 2_580);
    let shown = 0;
    const run = await playLive(
      screen,
      async () => {
        const split = await counter.ok('splitOrder', { token, order_id: order.order_id, shares: 2 });
        shown = split.next_part_minor;
        const view = await screen.ok('startPayment', { order_id: order.order_id });
        await counter.ok('splitOrder', { token, order_id: order.order_id, shares: null });
        return view;
      },
      k.d0,
      { onset: k.onset, neutralTo: k.neutralTo, react: true },
    );
    const view =
      run.view.phase === 'step_up'
        ? await screen.ok('stepUp', {
            session_id: run.view.session_id,
            phone_last4: DEMO_VIDEO_CUSTOMER.phone.slice(-4),
          })
        : run.view;
    assert.equal(shown, 1_290, 'the customer started paying half');
    assert.deepEqual([view.phase, view.error?.code], ['refused', 'ORDER_CHANGED'], JSON.stringify(view));
    assert.equal(view.receipt, null, 'nothing was paid');
    const after = k.kiosk.orders.get(order.order_id);
    assert.deepEqual([after.paid_minor, after.parts.length], [0, 0], 'the order has no part paid');
  } finally {
    screen.close();
    counter.close();
  }
});
