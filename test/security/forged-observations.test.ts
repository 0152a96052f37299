// Runs alone: it plays a live customer against the host's clock (see scripts/run-tests.mjs).
// Proves the forged-observation attack refused: synthetic observations with the victim's descriptor, smiling on the revealed prompt time, pay nothing.
// The review's script (scripts/attack-forged-observations.ts, real observations of the victim
// from our own pipeline, retimed on the prompt the view used to reveal) against the real kiosk
// over its real transport: as a page that is not paired it cannot even start a payment
// (SCREEN_NOT_PAIRED); as a paired screen the observe call does not exist (API_UNKNOWN_CHANNEL)
// and no view reveals a prompt time; an observation sent as a camera-frame message is refused
// (not a frame, or not a JPEG). 20 sessions each way here (npm run attack:forged runs 1,000
// against a running demo store); no payment is written, and the order stays unpaid.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFrame } from '../../electron/contract/frames.js';
import { pairWithLink } from '../helpers/kiosk-client.js';
import { forgedSession, victimFrames, type ForgedFrames } from '../../scripts/attack-forged-observations.js';
import { openAttackKiosk, type AttackKiosk } from './fixture.js';

const RUNS = 20;
let k: AttackKiosk;
let frames: ForgedFrames;

before(async () => {
  k = await openAttackKiosk();
  frames = await victimFrames();
});
after(async () => {
  await k?.close();
});

test(`${RUNS} forged sessions from an unpaired page: refused before a session starts, nothing paid`, async () => {
  const url = k.kiosk.http!.url;
  for (let i = 0; i < RUNS; i++) {
    const r = await forgedSession(url, undefined, frames, '0042');
    assert.deepEqual(r, { paid: false, outcome: 'SCREEN_NOT_PAIRED' });
  }
  assert.equal(k.payments(), 0);
});

test(`${RUNS} forged sessions from a paired screen: the observe call does not exist, nothing paid`, async () => {
  const url = k.kiosk.http!.url;
  // The strongest attacker: a paired screen's token (its browser taken over).
  const token = await pairWithLink(k.kiosk.pairingLink());
  const outcomes = new Set<string>();
  for (let i = 0; i < RUNS; i++) {
    const r = await forgedSession(url, token, frames, '0042');
    assert.equal(r.paid, false);
    outcomes.add(r.outcome);
  }
  // Each session gets as far as the observe call (then unknown), or is held by the screen's
  // session rate limit.
  assert.deepEqual([...outcomes].sort(), ['API_UNKNOWN_CHANNEL', 'SESSIONS_RATE_LIMITED']);
  assert.equal(k.payments(), 0);
});

test('no view reveals when the prompt comes; an observation sent as a frame is refused, not decided on', async () => {
  const client = await k.screen();
  try {
    const order = await client.ok('createOrder', { lines: [{ item_id: 'tea', quantity: 1 }] });
    // A fresh screen: its own session limit is not spent by the test before.
    const view = await client.ok('startPayment', { order_id: order.order_id });
    assert.equal('prompt_at_ms' in view, false);
    assert.equal(view.prompt, false);
    const json = new TextEncoder().encode(
      JSON.stringify({ session_id: view.session_id, observation: frames.smiling[0] }),
    );
    client.send(json);
    const asFrame = new Uint8Array(json.length + 4);
    asFrame.set([0xff, 0xd8], 0);
    asFrame.set(json, 2);
    asFrame.set([0xff, 0xd9], json.length + 2);
    client.send(encodeFrame({ tag: view.frame_tag, seq: 0, captured_at_ms: Date.now(), jpeg: asFrame }));
    // Neither is a frame: the JSON has no frame header, and the JSON wrapped as a JPEG is no
    // baseline JPEG (frames.ts reads its markers before anything is decoded); both are refused
    // before the vision worker, and no view of the session shows a frame.
    const refused = await client.until(
      () =>
        client.refusedFrames.filter((f) => f.code === 'FRAME_MALFORMED').length >= 2 ? client.refusedFrames : undefined,
      5_000,
      'refusals',
    );
    assert.deepEqual(
      refused.map((f) => [f.seq, f.code]),
      [
        [null, 'FRAME_MALFORMED'],
        [null, 'FRAME_MALFORMED'],
      ],
    );
    assert.match(refused[1]!.message, /JPEG marker/);
    assert.equal(client.views.filter((v) => v.session_id === view.session_id && v.frame !== null).length, 0);
    assert.equal((await client.ok('getOrder', { order_id: order.order_id })).status, 'awaiting_payment');
  } finally {
    client.close();
  }
  assert.equal(k.payments(), 0);
});
