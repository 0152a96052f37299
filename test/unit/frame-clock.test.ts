// Proves the host's frame clock: a camera's frames (steady delay, jitter, a slow first frame)
// are placed on the host's timeline, never ahead of their arrival; frames whose capture times
// run ahead of the host's receive times (or whose span outruns host time) are refused once the
// prompt is drawn; frames of another session, out of order, captured before the session began
// (a replay of an earlier session on the same screen), or buffered for too long, are refused;
// a slow stream only ever lags, never counts as ahead (property).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FrameClock, ScreenClock, type FrameAdmit } from '../../electron/host/payment/frame-clock.js';

const LIMITS = { capture_ahead_ms_max: 60, capture_lag_ms_max: 1_000 };
const TAG = 'aaaaaaaaaaaaaaaa';
const SCREEN_SKEW_MS = -3_600_000; // the screen's clock is an hour behind the host's: only deltas matter

function run(clock: FrameClock, frames: { capture: number; recv: number }[]): FrameAdmit[] {
  return frames.map((f, i) => clock.admit({ tag: TAG, seq: i, captured_at_ms: f.capture + SCREEN_SKEW_MS }, f.recv));
}

test('a camera at 15 fps with jitter and a slow first frame: every frame placed, none ahead', () => {
  const clock = new FrameClock(new ScreenClock(), TAG, 10_000, LIMITS);
  const frames = Array.from({ length: 60 }, (_, i) => {
    const capture = 10_010 + i * 66.7;
    const delay = i === 0 ? 90 : 12 + ((i * 7) % 20);
    return { capture, recv: capture + delay };
  });
  const out = run(clock, frames.slice(0, 20));
  clock.fix(); // the prompt is drawn
  out.push(...run2(clock, frames, 20));
  for (const [i, r] of out.entries()) {
    assert.ok(r.ok, `frame ${i}: ${JSON.stringify(r)}`);
    // Before the draw a falling delay may keep a frame just after the one before (order is kept).
    if (r.ok) assert.ok(r.at_ms <= frames[i]!.recv + (i < 20 ? 100 : 1), `frame ${i} placed by its arrival`);
  }
});

function run2(clock: FrameClock, frames: { capture: number; recv: number }[], from: number): FrameAdmit[] {
  return frames
    .slice(from)
    .map((f, j) => clock.admit({ tag: TAG, seq: from + j, captured_at_ms: f.capture + SCREEN_SKEW_MS }, f.recv));
}

test('frames whose capture times run ahead of the host clock are refused once the prompt is drawn', () => {
  const clock = new FrameClock(new ScreenClock(), TAG, 0, LIMITS);
  run(clock, [
    { capture: 100, recv: 120 },
    { capture: 166, recv: 186 },
  ]);
  clock.fix();
  // A smile stamped 400 ms later than it was sent (to look like a human reaction).
  const r = clock.admit({ tag: TAG, seq: 5, captured_at_ms: 640 + SCREEN_SKEW_MS }, 240);
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.code, 'FRAME_CLOCK_AHEAD', r.message);
});

test('a span of capture times longer than the host saw pass is refused (frames faster than real time)', () => {
  const clock = new FrameClock(new ScreenClock(), TAG, 0, LIMITS);
  clock.fix();
  let refused: FrameAdmit | null = null;
  // 66 ms of capture time per frame, sent every 20 ms.
  for (let i = 0; i < 30 && !refused; i++) {
    const r = clock.admit({ tag: TAG, seq: i, captured_at_ms: 1_000 + i * 66 }, 1_010 + i * 20);
    if (!r.ok) refused = r;
  }
  assert.ok(refused && !refused.ok && refused.code === 'FRAME_CLOCK_AHEAD', JSON.stringify(refused));
});

test("an earlier session's frames replayed on the same screen land before the session began: dropped", () => {
  const screen = new ScreenClock();
  const first = new FrameClock(screen, TAG, 0, LIMITS);
  const recorded = Array.from({ length: 30 }, (_, i) => ({ capture: 50 + i * 66, recv: 65 + i * 66 }));
  assert.ok(run(first, recorded).every((r) => r.ok));
  // Ten seconds later, a new session; the same frames sent again, their tag rewritten.
  const second = new FrameClock(screen, 'bbbbbbbbbbbbbbbb', 12_000, LIMITS);
  for (const [i, f] of recorded.entries()) {
    const r = second.admit(
      { tag: 'bbbbbbbbbbbbbbbb', seq: i, captured_at_ms: f.capture + SCREEN_SKEW_MS },
      12_010 + i * 66,
    );
    assert.equal(r.ok, false, `replayed frame ${i}`);
    if (!r.ok) assert.equal(r.code, 'FRAME_BEFORE_SESSION', r.message);
  }
  // With the tag unchanged they are another session's frames.
  const r = second.admit({ tag: TAG, seq: 99, captured_at_ms: 99 }, 13_000);
  assert.ok(!r.ok && r.code === 'FRAME_OTHER_SESSION');
});

test('frames out of order, repeated, or buffered too long are dropped, not decided on', () => {
  const clock = new FrameClock(new ScreenClock(), TAG, 0, LIMITS);
  assert.ok(clock.admit({ tag: TAG, seq: 3, captured_at_ms: 100 }, 110).ok);
  const again = clock.admit({ tag: TAG, seq: 3, captured_at_ms: 166 }, 176);
  const older = clock.admit({ tag: TAG, seq: 4, captured_at_ms: 90 }, 180);
  const stale = clock.admit({ tag: TAG, seq: 5, captured_at_ms: 200 }, 1_500);
  assert.ok(!again.ok && again.code === 'FRAME_OUT_OF_ORDER');
  assert.ok(!older.ok && older.code === 'FRAME_OUT_OF_ORDER');
  assert.ok(!stale.ok && stale.code === 'FRAME_STALE', JSON.stringify(stale));
});

test('a slow stream only lags: any extra delay, any gaps, never FRAME_CLOCK_AHEAD (property)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ gap: fc.integer({ min: 1, max: 900 }), extra: fc.integer({ min: 0, max: 2_000 }) }), {
        minLength: 2,
        maxLength: 80,
      }),
      fc.integer({ min: 0, max: 10 }),
      (steps, fixAfter) => {
        const clock = new FrameClock(new ScreenClock(), TAG, 0, LIMITS);
        let capture = 10;
        for (const [i, s] of steps.entries()) {
          if (i === fixAfter) clock.fix();
          capture += s.gap;
          // Transport 5 ms while the delay is set; after it, the stream's slowness adds any delay.
          const delay = i <= fixAfter ? 5 : 5 + s.extra;
          const r = clock.admit({ tag: TAG, seq: i, captured_at_ms: capture }, capture + delay);
          if (!r.ok) assert.notEqual(r.code, 'FRAME_CLOCK_AHEAD', r.message);
        }
      },
    ),
    { numRuns: 500 },
  );
});
