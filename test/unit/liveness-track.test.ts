// Proves the liveness track's continuity rules on synthetic observations (no models): a head
// moving 0.45 eye distances per frame at 15 fps with its shape and appearance unchanged keeps its
// track (it used to reset every frame); the same move with the appearance changed, or a jump of
// two eye distances, is a cut; the motion allowed scales with the measured frame interval; one or
// two frames without a detected face inside the smile are bridged, three are FACE_LOST, and a
// hole never hides a cut; byte-identical repeats of a frame (a held smile on a camera that
// repeats frames) are skipped, only the same picture for frozen_ms_max is FACE_FROZEN, and a
// freeze hides no cut either.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FaceObservation } from '../../electron/contract/vision.js';
import { FACE_CONFIG } from '../../electron/face/config.js';
import { LivenessSession, type SessionState } from '../../electron/face/liveness.js';
import { seeded } from '../../bin/eval/harness.js';

const EYE_PX = 60;
const r = seeded(9);
// A face: 68 points around a centre, the eyes 60 px apart (points 36-41 and 42-47).
const BASE = Array.from({ length: 68 }, (_, i) => {
  if (i >= 36 && i < 42) return { x: -30 + (r() - 0.5) * 4, y: -20 + (r() - 0.5) * 2 };
  if (i >= 42 && i < 48) return { x: 30 + (r() - 0.5) * 4, y: -20 + (r() - 0.5) * 2 };
  return { x: (r() - 0.5) * 120, y: (r() - 0.5) * 140 };
});
const PATCH = Array.from({ length: 48 }, () => r() - 0.5);
const norm = Math.hypot(...PATCH);
const UPPER = PATCH.map((v) => v / norm);

function obs(
  i: number,
  atMs: number,
  opts: { dx?: number; smile?: number; face?: boolean; upper?: number[]; descriptor?: boolean } = {},
): FaceObservation {
  const dx = opts.dx ?? 0;
  const landmarks = BASE.flatMap((p) => [320 + dx + p.x, 240 + p.y]);
  return {
    v: 1,
    frame_seq: i,
    captured_at_ms: atMs,
    frame_width: 640,
    frame_height: 480,
    frame_hash: i + 1, // every frame different (a live camera)
    backend: 'test',
    faces_near: opts.face === false ? 0 : 1,
    face:
      opts.face === false
        ? null
        : {
            box: { x: 250 + dx, y: 160, width: 140, height: 160 },
            detection_score: 0.9,
            tracked: false,
            landmarks,
            smile: opts.smile ?? 0,
            mouth_width_ratio: 0.9,
            quality: {
              eye_distance_px: EYE_PX,
              sharpness: 100,
              yaw_deg: 0,
              pitch_deg: 0,
              roll_deg: 0,
              good: true,
              reason: null,
            },
            upper_face: opts.upper ?? UPPER,
            descriptor: opts.descriptor === false ? null : Array.from({ length: 128 }, (_, d) => (d % 7) / 100),
          },
    times: { decode_ms: 0, detect_ms: 0, landmarks_ms: 0, expression_ms: 0, descriptor_ms: 0, total_ms: 0 },
  };
}

// One smile ends the session here (the relax cue has its own tests): the track is what is tested.
const cfg = { ...FACE_CONFIG.liveness, prompt_rounds: 1, relax_cue: false };

/** A head swaying left and right at `edPerFrame` eye distances per frame (`frameMs` apart). */
function swaying(
  edPerFrame: number,
  frameMs: number,
  frames: number,
  upperAt?: (i: number) => number[],
): FaceObservation[] {
  let x = 0;
  let dir = 1;
  return Array.from({ length: frames }, (_, i) => {
    if (Math.abs(x + dir * edPerFrame * EYE_PX) > 200) dir = -dir;
    x += dir * edPerFrame * EYE_PX;
    return obs(i, i * frameMs, { dx: x, upper: upperAt?.(i) });
  });
}

function run(
  list: FaceObservation[],
  s = new LivenessSession(cfg, { random: () => 0.5 }),
): { state: SessionState; log: string } {
  let state = s.current;
  for (const o of list) {
    state = s.push(o);
    if (state.status === 'accepted' || state.status === 'refused') break;
  }
  return { state, log: s.log.join('\n') };
}

test('a head moving 0.45 eye distances per frame at 15 fps keeps its track; with a changed look it does not', () => {
  const fast = run(swaying(0.45, 1000 / 15, 40));
  assert.doesNotMatch(fast.log, /track reset/, fast.log);
  assert.match(fast.log, /prompt 1 of 1 drawn/, 'the neutral hold completed while moving');
  // The same motion where the upper face correlates 0.80 with the previous frame (above the
  // plain minimum, under the fast-motion one): motion alone no longer vouches for it.
  const other = PATCH.map((v, i) => (i % 2 ? v : -v));
  const o2 = Math.hypot(...other);
  const mixed = UPPER.map(
    (v, i) =>
      0.8 * v +
      (Math.sqrt(1 - 0.64) * (other[i]! / o2 - v * UPPER.reduce((a, u, j) => a + u * (other[j]! / o2), 0))) / 1,
  );
  const m = Math.hypot(...mixed);
  const looks = [UPPER, mixed.map((v) => v / m)];
  const changed = run(swaying(0.45, 1000 / 15, 40, (i) => looks[i % 2]!));
  assert.match(changed.log, /track reset \(face moved 0\.45 eye distances/, changed.log);
});

test('the motion allowed scales with the measured interval: 0.3 per frame is fine at 15 fps, a cut at 60 fps when the look changed', () => {
  const at15 = run(swaying(0.3, 1000 / 15, 30));
  assert.doesNotMatch(at15.log, /track reset/, at15.log);
  const other = UPPER.map((v, i) => (i < 24 ? v : -v));
  const at60 = run(swaying(0.3, 1000 / 60, 30, (i) => (i % 2 ? UPPER : other)));
  assert.match(at60.log, /track reset \(/, at60.log);
});

test('after the prompt: a two-eye-distance jump is a broken track; one or two faceless frames inside the smile are bridged, three are lost, a hole hides no cut', () => {
  const frameMs = 1000 / 15;
  const promptAt = 1_400;
  const onsetAt = promptAt + 450;
  const session = (holeFrom: number, holeLen: number, jumpAfterHole = 0): ReturnType<typeof run> => {
    const list: FaceObservation[] = [];
    for (let i = 0; i * frameMs < onsetAt + 1_000; i++) {
      const t = i * frameMs;
      const inHole = i >= holeFrom && i < holeFrom + holeLen;
      list.push(
        obs(i, t, { smile: t >= onsetAt ? 0.99 : 0, face: !inHole, dx: i >= holeFrom + holeLen ? jumpAfterHole : 0 }),
      );
    }
    return run(list, new LivenessSession(cfg, { prompt_after_ms: promptAt }));
  };
  const smileFrame = Math.ceil(onsetAt / frameMs);
  assert.equal(session(0, 0).state.status, 'accepted');
  for (const len of [1, 2]) {
    const s = session(smileFrame + 1, len);
    assert.equal(s.state.status, 'accepted', `${len} faceless frame(s): ${s.log}`);
    assert.match(s.log, new RegExp(`${len} faceless frames bridged`));
  }
  const lost = session(smileFrame + 1, 3);
  assert.equal(lost.state.status === 'refused' && lost.state.code, 'FACE_LOST', lost.log);
  const hidden = session(smileFrame - 1, 1, 2 * EYE_PX);
  assert.equal(hidden.state.status === 'refused' && hidden.state.code, 'FACE_TRACK_BROKEN', hidden.log);
  assert.match(hidden.log, /face moved 2\.0\d eye distances in 133 ms \(allowed 0\.70\)/);
});

/** A synthetic customer against the configured challenge: smiles `smileMs` after the prompt is
 * on screen and ends the smile `relaxMs` after the prompt ends (the relax cue); `relaxMs` null:
 * never; negative: that long before the cue would come (a recording that does not know it). */
function customer(smileMs: number, relaxMs: number | null, seed: number): { state: SessionState; log: string } {
  const c = {
    ...FACE_CONFIG.liveness,
    prompt_rounds: 1,
    neutral_hold_ms: 100,
    prompt_delay_ms_min: 500,
    prompt_delay_ms_max: 4_500,
    relax_cue: true,
  };
  const s = new LivenessSession(c, { random: seeded(seed) });
  const frameMs = 1000 / 15;
  let promptAt: number | null = null;
  let cueSeenAt: number | null = null;
  let smiledAt: number | null = null;
  let state = s.current;
  for (let i = 0; i * frameMs < c.session_ms_max; i++) {
    const t = i * frameMs;
    if (state.status === 'prompt') promptAt ??= state.prompt_at_ms;
    if (smiledAt !== null && state.status !== 'prompt') cueSeenAt ??= t - frameMs;
    let smile = promptAt !== null && t >= promptAt + smileMs ? 0.99 : 0;
    if (smile > 0) smiledAt ??= t;
    if (relaxMs !== null && relaxMs < 0 && smiledAt !== null && t >= smiledAt - relaxMs) smile = 0;
    if (relaxMs !== null && relaxMs >= 0 && cueSeenAt !== null && t >= cueSeenAt + relaxMs) smile = 0;
    state = s.push(obs(i, t, { smile }));
    if (state.status === 'accepted' || state.status === 'refused') break;
  }
  if (state.status !== 'accepted' && state.status !== 'refused') state = s.finish(c.session_ms_max);
  return { state, log: s.log.join('\n') };
}

test('the relax cue: smile on the prompt, hold it, end it when the prompt ends: live, with both reactions; early, fast or never: refused', () => {
  for (let seed = 1; seed <= 5; seed++) {
    const ok = customer(450, 450, seed);
    assert.equal(ok.state.status, 'accepted', ok.log);
    if (ok.state.status === 'accepted') {
      assert.equal(ok.state.reactions_ms.length, 2, 'the smile and the end of the smile');
      assert.ok(
        ok.state.reactions_ms.every((r) => r >= 450 && r < 450 + 2 * (1000 / 15)),
        `${ok.state.reactions_ms}`,
      );
      assert.match(ok.log, /relax cue drawn for/);
    }
  }
  const early = customer(450, -300, 2); // ends the smile 300 ms after it began, before any cue
  assert.equal(early.state.status === 'refused' && early.state.code, 'FACE_NO_SMILE', early.log);
  assert.match(early.log, /before the relax cue/);
  const fast = customer(450, 100, 3);
  assert.equal(fast.state.status === 'refused' && fast.state.code, 'FACE_SMILE_TOO_FAST', fast.log);
  const never = customer(450, null, 4);
  assert.equal(never.state.status === 'refused' && never.state.code, 'FACE_NO_NEUTRAL', never.log);
  const slow = customer(1_100, 450, 5); // slower than the reaction window allows
  assert.equal(slow.state.status === 'refused' && slow.state.code, 'FACE_NO_SMILE', slow.log);
});

test('a held smile whose camera repeats frames is live; the same picture for frozen_ms_max is FACE_FROZEN; a freeze hides no cut', () => {
  const frameMs = 1000 / 15;
  const promptAt = 1_400;
  const onsetAt = promptAt + 450;
  // Each frame delivered twice (a camera at half the rate, or a test canvas not redrawn in time):
  // byte-identical repeats, the smile held well past its confirmation.
  const repeating = (repeatFrom: number, repeatLen: number, jumpAfter = 0): ReturnType<typeof run> => {
    const list: FaceObservation[] = [];
    for (let i = 0; i * frameMs < onsetAt + 1_500; i++) {
      const t = i * frameMs;
      const o = obs(i, t, { smile: t >= onsetAt ? 0.99 : 0, dx: i >= repeatFrom + repeatLen ? jumpAfter : 0 });
      const frozen = i >= repeatFrom && i < repeatFrom + repeatLen;
      list.push(frozen ? { ...o, frame_hash: repeatFrom, face: list[repeatFrom - 1]!.face } : o);
    }
    return run(list, new LivenessSession(cfg, { prompt_after_ms: promptAt }));
  };
  const smileFrame = Math.ceil(onsetAt / frameMs);
  const doubled: FaceObservation[] = [];
  for (let i = 0; i * frameMs < onsetAt + 1_500; i++) {
    const k = i - (i % 2); // frames 2k and 2k+1 are the same picture
    doubled.push({ ...obs(k, i * frameMs, { smile: k * frameMs >= onsetAt ? 0.99 : 0 }), frame_seq: i });
  }
  const held = run(doubled, new LivenessSession(cfg, { prompt_after_ms: promptAt }));
  assert.equal(held.state.status, 'accepted', held.log);
  // Three repeats in a row inside the smile (once refused as frozen at the fourth identical frame).
  const shortFreeze = repeating(smileFrame + 1, 3);
  assert.equal(shortFreeze.state.status, 'accepted', shortFreeze.log);
  // A still stream: refused once the picture has not changed for frozen_ms_max.
  const still = Array.from({ length: 30 }, (_, i) => ({ ...obs(0, i * frameMs), frame_seq: i }));
  const s = run(still);
  assert.equal(s.state.status === 'refused' && s.state.code, 'FACE_FROZEN', s.log);
  assert.ok(s.state.status === 'refused' && s.state.at_ms >= cfg.frozen_ms_max, s.log);
  assert.match(s.log, /the same picture for 10\d\d ms \(16 identical frames\)/);
  // A cut to the face two eye distances away right after a 400 ms freeze, while the prompt is due:
  // compared across the freeze as across a gap, and refused.
  const cut = repeating(smileFrame - 8, 6, 2 * EYE_PX);
  assert.equal(cut.state.status, 'refused', cut.log);
  assert.match(cut.log, /between frames/);
});
