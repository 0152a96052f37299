// Proves the host's vision worker: real frames of d0 (JPEG, as a screen sends them) decoded and
// observed off the event loop (a face, the smile where d0 smiles); a screen that sends faster
// than the worker has its older waiting frames dropped and counted, never queued without bound;
// a frame that is not a decodable JPEG, or larger than the pixel bound, fails with a code.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { createLogger } from '../../electron/log.js';
import { HostVision, type FrameOutcome } from '../../electron/host/vision/host-vision.js';
import { splitMjpeg } from '../../native/mjpeg.js';
import { fixturesDir } from '../../electron/host/demo/demo.js';
import { FACE_CONFIG } from '../../electron/face/config.js';

let vision: HostVision;
let d0: Uint8Array[];

before(async () => {
  vision = await HostVision.start({ log: createLogger({ level: 'silent' }) });
  d0 = splitMjpeg(readFileSync(join(fixturesDir(), 'video', 'd0.mjpeg')));
});
after(async () => {
  await vision?.close();
});

const observe = (screen: string, bytes: Uint8Array, i: number, reset = false): Promise<FrameOutcome> =>
  new Promise((resolve) => vision.submit({ screen, reset, jpeg: bytes, at_ms: i * 66 }, resolve));

test('d0 observed on the host: a face in every frame, and the smile where he smiles', async () => {
  const smiles: number[] = [];
  let lagMaxMs = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    lagMaxMs = Math.max(lagMaxMs, now - last - 5);
    last = now;
  }, 5);
  try {
    for (let i = 0; i < d0.length; i++) {
      const o = await observe('screen-a', d0[i]!, i, i === 0);
      assert.equal(o.kind, 'observation', JSON.stringify(o));
      if (o.kind !== 'observation') return;
      assert.ok(o.observation.face, `a face in frame ${i}`);
      assert.ok(o.observation.times.decode_ms > 0, 'decode time is counted');
      smiles.push(o.observation.face.smile);
    }
  } finally {
    clearInterval(ticker);
  }
  assert.ok(
    smiles.slice(0, 5).every((s) => s < FACE_CONFIG.liveness.neutral_max),
    `neutral start: ${smiles.slice(0, 5)}`,
  );
  assert.ok(
    smiles.some((s) => s >= FACE_CONFIG.liveness.smile_min),
    'he smiles',
  );
  // The pipeline ran in the worker: the host's own loop was never held for a frame's time.
  console.log(`# event loop lag at most ${lagMaxMs.toFixed(0)} ms while the worker observed ${d0.length} frames`);
  const s = vision.stats();
  assert.ok(s.frames >= d0.length && s.fps_capacity !== null);
  console.log(
    `# host vision: ${s.backend}, ${s.frame_ms_median} ms per frame (decode ${s.stage_ms_median.decode_ms} ms)`,
  );
});

test('a screen faster than the worker: older waiting frames are dropped and counted', async () => {
  const before = vision.stats().dropped;
  const outcomes = await Promise.all(d0.slice(0, 12).map((j, i) => observe('screen-b', j, i, i === 0)));
  const observed = outcomes.filter((o) => o.kind === 'observation').length;
  const dropped = outcomes.filter((o) => o.kind === 'dropped').length;
  assert.equal(observed + dropped, 12);
  // One frame in the worker and one waiting at any time: the first and the last are observed.
  assert.equal(observed, 2, JSON.stringify(outcomes.map((o) => o.kind)));
  assert.equal(vision.stats().dropped - before, dropped);
});

test('not a JPEG, a truncated JPEG and a frame over the pixel bound fail with a code', async () => {
  const garbage = new Uint8Array(64).fill(7);
  garbage.set([0xff, 0xd8], 0);
  const big = new Uint8Array(1000 * 800 * 4).fill(128);
  const bigJpeg = jpeg.encode({ width: 1000, height: 800, data: big }, 50).data;
  for (const [what, bytes] of [
    ['garbage', garbage],
    ['truncated', d0[0]!.subarray(0, 200)],
    ['1000x800', new Uint8Array(bigJpeg)],
  ] as const) {
    const o = await observe('screen-c', bytes, 0);
    assert.equal(o.kind, 'error', `${what}: ${JSON.stringify(o)}`);
    if (o.kind === 'error') assert.equal(o.code, 'FRAME_UNDECODABLE', what);
  }
});
