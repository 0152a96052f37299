// Runs alone: it plays a live customer against the host's clock (see scripts/run-tests.mjs).
// Proves phone-digit guessing refused: 20 wrong step-up entries in a row start the cooldown after the configured number, and the right digits during it do not pay.
// The counters (security/guards.ts) on the host's clock: wrong entries per order and per kiosk
// start their cooldowns at the configured counts, the right digits during a cooldown are refused
// before any comparison, and the cooldown ends when configured. Then through the real kiosk: a
// live customer (d0's frames, real pipeline, the host's prompts) in the step-up types wrong
// digits: the session ends after step_up_wrong_per_session_max, the order's cooldown starts
// after step_up_wrong_per_order_max, and his own right digits then pay nothing; the answers
// never say whether a face is enrolled (always STEP_UP_WRONG).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SECURITY_DEFAULTS, type SecurityLimits } from '../../electron/host/security/limits.js';
import { StepUpGuard } from '../../electron/host/security/guards.js';
import { DEMO_VIDEO_CUSTOMER } from '../../electron/host/demo/demo.js';
import { playCustomer, type WsClient } from '../helpers/kiosk-client.js';
import type { SessionView } from '../../electron/contract/api.js';
import { openAttackKiosk, type AttackKiosk } from './fixture.js';

test('20 wrong entries in a row: the order cooldown after the configured count, the kiosk one after its own; right digits then refused', () => {
  let now = 1_000_000;
  const limits: SecurityLimits = SECURITY_DEFAULTS;
  const guard = new StepUpGuard(limits, () => now);
  const log: string[] = [];
  for (let i = 1; i <= 20; i++) {
    const order = i <= 10 ? 'o-a' : 'o-b';
    const cooling = guard.check(order);
    if (cooling) log.push(`${i}:${cooling.code}`);
    else guard.wrong(order);
    now += 1_000;
  }
  // o-a: 5 wrong, then its cooldown (entries 6..10 refused, uncounted); o-b: 5 more wrong make the
  // kiosk's 10th, then everything is refused.
  assert.deepEqual(log, [
    ...[6, 7, 8, 9, 10].map((i) => `${i}:STEP_UP_COOLDOWN`),
    ...[16, 17, 18, 19, 20].map((i) => `${i}:STEP_UP_COOLDOWN`),
  ]);
  assert.equal(limits.step_up_wrong_per_order_max, 5);
  assert.equal(limits.step_up_wrong_per_kiosk_max, 10);
  // During the kiosk's cooldown any order (the right digits would be next) is refused first.
  assert.equal(guard.check('o-new')?.code, 'STEP_UP_COOLDOWN');
  now += limits.step_up_kiosk_cooldown_ms;
  assert.equal(guard.check('o-new'), null, 'the kiosk cooldown ends');
  assert.equal(guard.check('o-a'), null, "and o-a's ended long before");
});

let k: AttackKiosk;
before(async () => {
  k = await openAttackKiosk({ step_up_wrong_per_session_max: 3, step_up_wrong_per_order_max: 4 });
});
after(async () => {
  await k?.close();
});

/** d0, live, to the step-up of a new session for `orderId` (another try when the loaded machine stalls). */
async function liveToStepUp(client: WsClient, orderId: string): Promise<SessionView> {
  for (let attempt = 1; ; attempt++) {
    const s = await client.ok('startPayment', { order_id: orderId });
    const run = await playCustomer(client, s, k.d0, { onset: k.onset, neutralTo: k.neutralTo, react: true });
    if (run.view.phase === 'step_up') return run.view;
    assert.ok(
      attempt < 5 && /^FACE_(STALLED|TRACK_BROKEN|NO_SMILE|SMILE_TOO_FAST)$/.test(run.view.error?.code ?? ''),
      `attempt ${attempt}: ${JSON.stringify(run.view)} (${JSON.stringify(run.refused)})`,
    );
    console.log(`# attempt ${attempt} refused as ${run.view.error?.code}; again`);
  }
}

test('a live customer guessing digits: the session ends after 3 wrong, the order cools after 4, then his right digits do not pay', async () => {
  const client = await k.screen();
  try {
    const order = await client.ok('createOrder', { lines: [{ item_id: 'tea', quantity: 1 }] });
    const first = await liveToStepUp(client, order.order_id);
    const answers: string[] = [];
    let v = first;
    for (const digits of ['1111', '2222', '3333']) {
      v = await client.ok('stepUp', { session_id: first.session_id, phone_last4: digits });
      answers.push(`${v.phase}:${v.error?.code}:${v.digits_left}`);
    }
    assert.deepEqual(answers, ['step_up:STEP_UP_WRONG:2', 'step_up:STEP_UP_WRONG:1', 'refused:STEP_UP_WRONG:null']);
    const closed = await client.call('stepUp', { session_id: first.session_id, phone_last4: '0042' });
    assert.ok(!closed.ok || closed.value.phase === 'refused', 'a refused session takes no more digits');
    const second = await liveToStepUp(client, order.order_id);
    const fourth = await client.ok('stepUp', { session_id: second.session_id, phone_last4: '4444' });
    assert.equal(fourth.error?.code, 'STEP_UP_WRONG', 'the order has now had 4 wrong entries');
    const right = await client.ok('stepUp', {
      session_id: second.session_id,
      phone_last4: DEMO_VIDEO_CUSTOMER.phone.slice(-4),
    });
    assert.equal(right.phase, 'refused');
    assert.equal(right.error?.code, 'STEP_UP_COOLDOWN');
    assert.equal(right.receipt, null);
    assert.equal(k.payments(), 0, 'nothing paid');
    assert.notEqual((await client.ok('getOrder', { order_id: order.order_id })).status, 'paid');
  } finally {
    client.close();
  }
});
