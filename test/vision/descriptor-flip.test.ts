// Proves, on real weights and a fixture photo, that descriptor_flip mirrors the face over its width
// (an HWC tensor's axis 1: left and right swap, rows and colours stay), so that a photo and its
// mirror image give nearly the same flip-averaged descriptor (much nearer than without the flip),
// and that the pipeline frees the mirrored tensor (no tensor left over after a frame).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { RgbFrame } from '../../electron/contract/vision.js';
import { euclidean } from '../../electron/face/fuse.js';
import { readImage } from '../../native/image.node.js';
import { FacePipeline, mirrorWidth } from '../../vision/pipeline.js';
import { FIXTURES_DIR, STILL_OPTIONS, vision } from '../../bin/eval/harness.js';

/** The frame mirrored left to right, in plain code (no TF.js). */
function mirrored(f: RgbFrame): RgbFrame {
  const data = new Uint8Array(f.data.length);
  for (let y = 0; y < f.height; y++)
    for (let x = 0; x < f.width; x++)
      for (let c = 0; c < 3; c++) data[(y * f.width + x) * 3 + c] = f.data[(y * f.width + (f.width - 1 - x)) * 3 + c]!;
  return { width: f.width, height: f.height, data };
}

test('mirrorWidth swaps left and right of an HWC tensor and keeps rows and colours', async () => {
  const v = await vision();
  const tf = v.faceapi.tf;
  const frame: RgbFrame = { width: 3, height: 2, data: Uint8Array.from({ length: 18 }, (_, i) => i) };
  const image = tf.tensor3d(frame.data, [2, 3, 3], 'int32');
  const flipped = mirrorWidth(v.faceapi, image);
  try {
    assert.deepEqual(Array.from(flipped.dataSync()), Array.from(mirrored(frame).data));
  } finally {
    image.dispose();
    flipped.dispose();
  }
});

test('with descriptor_flip a photo and its mirror image describe alike (nearer than without), and no tensor is left over', async () => {
  const v = await vision();
  const photo = readImage(join(FIXTURES_DIR, 'faces', 'expressions', 'neutral.jpg'));
  const tensors = (): number => (v.faceapi.tf as unknown as { memory(): { numTensors: number } }).memory().numTensors;
  const describe = async (f: RgbFrame, flip: boolean): Promise<number[]> => {
    const before = tensors();
    const o = await new FacePipeline(v.faceapi, v.backend, { ...STILL_OPTIONS, descriptor_flip: flip }).observe(f, 0);
    assert.equal(tensors(), before, `tensors left over (flip ${flip})`);
    assert.ok(o.face?.descriptor, `no descriptor (flip ${flip}): ${o.face?.quality.reason ?? 'no face'}`);
    return o.face.descriptor;
  };
  const plain = euclidean(await describe(photo, false), await describe(mirrored(photo), false));
  const flip = euclidean(await describe(photo, true), await describe(mirrored(photo), true));
  console.log(`photo vs its mirror image: ${flip.toFixed(4)} with descriptor_flip, ${plain.toFixed(4)} without`);
  assert.ok(flip < plain / 2, `photo vs its mirror: ${flip.toFixed(4)} with the flip, ${plain.toFixed(4)} without`);
});
