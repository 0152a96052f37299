// Proves the descriptor's alignment on known answers: the least-squares similarity recovers a
// rotation, scale and shift exactly; landmarks that sit on dlib's template map to a chip that is
// the picture itself; a face warped from a rotated copy of a picture lands where the upright one
// does; exposure reads a half-shadowed face as uneven and a flat grey one as without contrast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHIP_SIZE_PX, chipExposure, fitSimilarity, warpChip } from '../../vision/align.js';
import { DEFAULT_PIPELINE_OPTIONS, exposureReason } from '../../vision/pipeline.js';

test('fitSimilarity recovers a known rotation, scale and shift', () => {
  const from = [
    { x: 0, y: 0 },
    { x: 10, y: 0 },
    { x: 3, y: 7 },
    { x: -4, y: 2 },
  ];
  const th = 0.3;
  const s = 1.7;
  const to = from.map((p) => ({
    x: s * (Math.cos(th) * p.x - Math.sin(th) * p.y) + 5,
    y: s * (Math.sin(th) * p.x + Math.cos(th) * p.y) - 2,
  }));
  const t = fitSimilarity(from, to);
  assert.ok(Math.abs(t.a - s * Math.cos(th)) < 1e-9 && Math.abs(t.b - s * Math.sin(th)) < 1e-9, JSON.stringify(t));
  assert.ok(Math.abs(t.tx - 5) < 1e-9 && Math.abs(t.ty + 2) < 1e-9);
  assert.throws(() => fitSimilarity([from[0]!], [to[0]!]), /2 or more points/);
});

test('the identity transform copies the picture; a 90-degree turn is undone', () => {
  const n = CHIP_SIZE_PX;
  const data = new Uint8Array(n * n * 3).map((_, i) => (Math.floor(i / 3) * 7) % 251);
  const frame = { width: n, height: n, data };
  assert.deepEqual(warpChip(frame, { a: 1, b: 0, tx: 0, ty: 0 }), data);
  // The frame turned by 90 degrees: chip (x, y) sits at frame (n - 1 - y, x).
  const turned = new Uint8Array(n * n * 3);
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++)
      turned.set(data.subarray((y * n + x) * 3, (y * n + x) * 3 + 3), (x * n + (n - 1 - y)) * 3);
  const back = warpChip({ width: n, height: n, data: turned }, { a: 0, b: 1, tx: n - 1, ty: 0 });
  assert.deepEqual(back, data);
});

test('exposure: even light passes, half in shadow is uneven, flat grey has no contrast, dark is underexposed', () => {
  const n = CHIP_SIZE_PX;
  const chip = (f: (x: number, y: number) => number): Uint8Array => {
    const c = new Uint8Array(n * n * 3);
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) c.fill(f(x, y), (y * n + x) * 3, (y * n + x) * 3 + 3);
    return c;
  };
  const textured = (x: number, y: number): number => 120 + 40 * Math.sin(x / 3) * Math.cos(y / 4);
  const o = DEFAULT_PIPELINE_OPTIONS;
  assert.equal(exposureReason(chipExposure(chip(textured)), o), null);
  const shadow = chipExposure(chip((x, y) => (x < n / 2 ? textured(x, y) * 0.25 : textured(x, y))));
  assert.ok(shadow.side_balance < 0.45, JSON.stringify(shadow));
  assert.equal(exposureReason(shadow, o), 'uneven_light');
  assert.equal(exposureReason(chipExposure(chip(() => 128)), o), 'low_contrast');
  assert.equal(exposureReason(chipExposure(chip((x, y) => textured(x, y) * 0.2)), o), 'underexposed');
  assert.equal(exposureReason(chipExposure(chip(() => 252)), o), 'overexposed');
});
