// Runs alone: it plays a live customer against the host's clock (see scripts/run-tests.mjs).
// Proves forged frame timing refused: capture times ahead of the host clock, a smile stamped to look like a human reaction, and an earlier session's frames replayed pay nothing.
// A paired screen (the strongest attacker short of a live face) over the real transport, real
// frames of d0, the host's own pipeline: a stream whose capture times run faster than real time
// has its frames refused (FRAME_CLOCK_AHEAD) once the prompt is drawn; one that answers "now
// smile" at once but stamps the smile 400 ms later (to look human) is refused the same way, and
// no view ever told it when the prompt would come; frames recorded from an earlier session and
// sent again are refused (their session's tag: FRAME_OTHER_SESSION; the tag rewritten: captured
// before this session began, FRAME_BEFORE_SESSION). None of them pays.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFrame, FRAMES_IN_FLIGHT_MAX, parseFrame } from '../../electron/contract/frames.js';
import type { SessionView } from '../../electron/contract/api.js';
import type { WsClient } from '../helpers/kiosk-client.js';
import { openAttackKiosk, type AttackKiosk } from './fixture.js';

let k: AttackKiosk;
before(async () => {
  k = await openAttackKiosk();
});
after(async () => {
  await k?.close();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const FRAME_MS = 1000 / 15;

/** Streams frames (picked by `pick`, stamped by `stamp`) with the screen's flow control until the
 * session is decided or `ms` pass; returns the session's views and the messages sent. */
async function stream(
  client: WsClient,
  s: SessionView,
  ms: number,
  pick: (n: number, v: SessionView) => Uint8Array,
  stamp: (n: number, v: SessionView) => number,
  gapMs = FRAME_MS,
): Promise<{ views: SessionView[]; sent: Uint8Array[] }> {
  const from = client.views.length;
  const mine = (): SessionView[] => client.views.slice(from).filter((v) => v.session_id === s.session_id);
  const sent: Uint8Array[] = [];
  const end = Date.now() + ms;
  let answered = -1;
  for (let n = 0; Date.now() < end;) {
    const v = mine().at(-1) ?? s;
    for (const w of mine()) if (w.frame) answered = Math.max(answered, w.frame.seq);
    if (v.phase !== 'looking' && v.phase !== 'prompt') break;
    if (n - 1 - answered < FRAMES_IN_FLIGHT_MAX) {
      const msg = encodeFrame({ tag: s.frame_tag, seq: n, captured_at_ms: stamp(n, v), jpeg: pick(n, v) });
      client.send(msg);
      sent.push(msg);
      n++;
    }
    await sleep(gapMs);
  }
  await sleep(500);
  return { views: mine(), sent };
}

const codes = (views: SessionView[]): Set<string> =>
  new Set(views.flatMap((v) => (v.frame?.outcome === 'refused' && v.frame.code ? [v.frame.code] : [])));
const neutral = (n: number): Uint8Array => k.d0[Math.max(0, k.neutralTo - 4) + (n % 5)]!;

test('capture times running faster than real time: refused from the draw on, nothing paid', async () => {
  const client = await k.screen();
  try {
    const order = await client.ok('createOrder', { lines: [{ item_id: 'tea', quantity: 1 }] });
    const s = await client.ok('startPayment', { order_id: order.order_id });
    const t0 = Date.now();
    // Each frame claims 200 ms of capture time, three times the real pace.
    const run = await stream(client, s, 12_000, neutral, (n) => t0 + n * 200);
    assert.ok(codes(run.views).has('FRAME_CLOCK_AHEAD'), `refusals: ${[...codes(run.views)]}`);
    assert.notEqual(run.views.at(-1)?.phase, 'done');
    assert.equal(k.payments(), 0);
  } finally {
    client.close();
  }
});

test('"now smile" answered at once, the smile stamped 400 ms later: refused; no view told the prompt ahead', async () => {
  const client = await k.screen();
  try {
    const order = await client.ok('createOrder', { lines: [{ item_id: 'tea', quantity: 1 }] });
    const s = await client.ok('startPayment', { order_id: order.order_id });
    const smile = (n: number): Uint8Array => k.d0[Math.min(k.d0.length - 1, k.onset + (n % 3))]!;
    const run = await stream(
      client,
      s,
      25_000,
      (n, v) => (v.prompt ? smile(n) : neutral(n)),
      (_n, v) => Date.now() + (v.prompt ? 400 : 0),
    );
    const before = run.views.slice(
      0,
      Math.max(
        0,
        run.views.findIndex((v) => v.prompt),
      ),
    );
    assert.ok(before.length > 0 && before.every((v) => !v.prompt && !('prompt_at_ms' in v)), 'nothing told ahead');
    assert.ok(codes(run.views).has('FRAME_CLOCK_AHEAD'), `refusals: ${[...codes(run.views)]}`);
    const last = run.views.at(-1)!;
    assert.notEqual(last.phase, 'done', JSON.stringify(last));
    assert.equal(k.payments(), 0);
  } finally {
    client.close();
  }
});

test("an earlier session's frames sent again: refused with their tag or with it rewritten", async () => {
  const client = await k.screen();
  try {
    const order = await client.ok('createOrder', { lines: [{ item_id: 'tea', quantity: 1 }] });
    // An honest session, recorded off the wire for three seconds, then abandoned.
    const a = await client.ok('startPayment', { order_id: order.order_id });
    const recorded = await stream(client, a, 3_000, neutral, () => Date.now());
    assert.ok(
      recorded.views.some((v) => v.frame?.outcome === 'observed'),
      'the honest frames were observed',
    );
    await client.ok('cancel', { session_id: a.session_id });
    await sleep(1_000);
    const b = await client.ok('startPayment', { order_id: order.order_id });
    // Verbatim: another session's tag.
    const refusedBefore = client.refusedFrames.length;
    for (const msg of recorded.sent.slice(0, 10)) {
      client.send(msg);
      await sleep(FRAME_MS);
    }
    await sleep(500);
    const verbatim = client.refusedFrames.slice(refusedBefore);
    assert.ok(
      verbatim.length >= 10 && verbatim.every((f) => f.code === 'FRAME_OTHER_SESSION'),
      JSON.stringify(verbatim),
    );
    // The tag rewritten to this session's: captured before it began.
    const old = recorded.sent.map((m) => {
      const p = parseFrame(m);
      assert.ok(p.ok);
      return p.frame;
    });
    const replay = await stream(
      client,
      b,
      Math.min(2_000, old.length * FRAME_MS),
      (n) => old[Math.min(n, old.length - 1)]!.jpeg,
      (n) => old[Math.min(n, old.length - 1)]!.captured_at_ms,
    );
    assert.deepEqual([...codes(replay.views)], ['FRAME_BEFORE_SESSION']);
    assert.ok(
      replay.views.every((v) => v.frame?.outcome !== 'observed' && v.face === null),
      'nothing observed',
    );
    assert.equal(k.payments(), 0);
  } finally {
    client.close();
  }
});
