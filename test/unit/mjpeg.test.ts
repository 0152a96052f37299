// Proves the MJPEG splitter finds every frame of a fixture stream, each a decodable JPEG, and
// skips a truncated last frame.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitMjpeg } from '../../native/mjpeg.js';
import { decodeImage } from '../../native/image.node.js';
import { FIXTURES_DIR } from '../../bin/eval/harness.js';

test('d0.mjpeg splits into 47 decodable 480x480 frames; a truncated tail is dropped', () => {
  const bytes = readFileSync(join(FIXTURES_DIR, 'video', 'd0.mjpeg'));
  const frames = splitMjpeg(bytes);
  assert.equal(frames.length, 47);
  const img = decodeImage(frames[10]!);
  assert.equal(img.width * img.height * 3, img.data.length);
  assert.equal(splitMjpeg(bytes.subarray(0, bytes.length - 100)).length, 46);
});
