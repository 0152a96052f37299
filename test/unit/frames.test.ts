// Proves the binary camera-frame message is parsed with bounds: a frame round-trips, every
// field over its bound or inconsistent with the others (length, magic, reserved bytes, capture
// time, JPEG markers, a JPEG other than baseline or with too many scans, size) is refused with a code and never decoded, and random or truncated
// bytes never throw (property).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  encodeFrame,
  parseFrame,
  FRAME_HEADER_BYTES,
  FRAME_JPEG_BYTES_MAX,
  FRAME_MESSAGE_BYTES_MAX,
} from '../../electron/contract/frames.js';

/** A JPEG's outline of `n` bytes: SOI, a baseline frame header (SOF0), one scan (SOS) whose
 * entropy-coded bytes fill the rest, EOI. With `frameMarker` another frame type, with `scans`
 * that many scans. Under 27 bytes (the encoder's own checks): just the start and end markers. */
const jpeg = (n: number, frameMarker = 0xc0, scans = 1): Uint8Array => {
  const b = new Uint8Array(n).fill(0x11);
  b.set([0xff, 0xd8], 0);
  if (n >= 27) {
    b.set([0xff, frameMarker, 0, 11, 8, 0, 8, 0, 8, 1, 1, 0x11, 0], 2);
    for (let i = 0; i < scans; i++) b.set([0xff, 0xda, 0, 8, 1, 1, 0x00, 0, 63, 0], 15 + i * 12);
  }
  b.set([0xff, 0xd9], n - 2);
  return b;
};
const TAG = '0123456789abcdef';

test('a frame round-trips: tag, sequence, capture time and the JPEG bytes', () => {
  const bytes = encodeFrame({ tag: TAG, seq: 7, captured_at_ms: 1_767_225_600_123.25, jpeg: jpeg(100) });
  assert.equal(bytes.length, FRAME_HEADER_BYTES + 100);
  const r = parseFrame(bytes);
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.frame.tag, TAG);
  assert.equal(r.frame.seq, 7);
  assert.equal(r.frame.captured_at_ms, 1_767_225_600_123.25);
  assert.deepEqual([...r.frame.jpeg], [...jpeg(100)]);
});

test('each bad field is refused with its code', () => {
  const good = encodeFrame({ tag: TAG, seq: 1, captured_at_ms: 1000, jpeg: jpeg(64) });
  const edit = (f: (b: Uint8Array, dv: DataView) => void): Uint8Array => {
    const b = good.slice();
    f(b, new DataView(b.buffer));
    return b;
  };
  const cases: [string, Uint8Array, string][] = [
    ['magic', edit((b) => (b[0] = 0x00)), 'FRAME_MALFORMED'],
    ['reserved', edit((_b, dv) => dv.setUint32(28, 1, true)), 'FRAME_MALFORMED'],
    ['length over the message', edit((_b, dv) => dv.setUint32(24, 65, true)), 'FRAME_MALFORMED'],
    ['length under the message', edit((_b, dv) => dv.setUint32(24, 63, true)), 'FRAME_MALFORMED'],
    ['length over the bound', edit((_b, dv) => dv.setUint32(24, FRAME_JPEG_BYTES_MAX + 1, true)), 'FRAME_TOO_LARGE'],
    ['capture time NaN', edit((_b, dv) => dv.setFloat64(16, Number.NaN, true)), 'FRAME_MALFORMED'],
    ['capture time negative', edit((_b, dv) => dv.setFloat64(16, -1, true)), 'FRAME_MALFORMED'],
    ['capture time beyond any clock', edit((_b, dv) => dv.setFloat64(16, 1e16, true)), 'FRAME_MALFORMED'],
    ['not a JPEG start', edit((b) => (b[FRAME_HEADER_BYTES] = 0x89)), 'FRAME_MALFORMED'],
    ['not a JPEG end', edit((b) => (b[b.length - 1] = 0x00)), 'FRAME_MALFORMED'],
    ['header only', good.slice(0, FRAME_HEADER_BYTES), 'FRAME_MALFORMED'],
    ['too large a message', new Uint8Array(FRAME_MESSAGE_BYTES_MAX + 1), 'FRAME_TOO_LARGE'],
    // Progressive JPEG: each scan is another pass over every block (a decode bomb for the worker).
    [
      'a progressive JPEG',
      encodeFrame({ tag: TAG, seq: 1, captured_at_ms: 1000, jpeg: jpeg(64, 0xc2) }),
      'FRAME_MALFORMED',
    ],
    [
      'more scans than a sequential JPEG has',
      encodeFrame({ tag: TAG, seq: 1, captured_at_ms: 1000, jpeg: jpeg(80, 0xc0, 4) }),
      'FRAME_MALFORMED',
    ],
    [
      'an arithmetic-coded JPEG',
      encodeFrame({ tag: TAG, seq: 1, captured_at_ms: 1000, jpeg: jpeg(64, 0xc9) }),
      'FRAME_MALFORMED',
    ],
  ];
  for (const [what, bytes, code] of cases) {
    const r = parseFrame(bytes);
    assert.equal(r.ok, false, what);
    if (!r.ok) assert.equal(r.code, code, `${what}: ${r.message}`);
  }
});

test('the encoder refuses what the parser would', () => {
  assert.throws(() => encodeFrame({ tag: 'xyz', seq: 1, captured_at_ms: 1, jpeg: jpeg(8) }), /tag/);
  assert.throws(() => encodeFrame({ tag: TAG, seq: -1, captured_at_ms: 1, jpeg: jpeg(8) }), /seq/);
  assert.throws(() => encodeFrame({ tag: TAG, seq: 1, captured_at_ms: Infinity, jpeg: jpeg(8) }), /captured_at_ms/);
  assert.throws(
    () => encodeFrame({ tag: TAG, seq: 1, captured_at_ms: 1, jpeg: jpeg(FRAME_JPEG_BYTES_MAX + 1) }),
    /more than/,
  );
});

test('random bytes and every truncation of a good frame are refused, never thrown (property)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
      const r = parseFrame(bytes);
      assert.equal(typeof r.ok, 'boolean');
    }),
    { numRuns: 2_000 },
  );
  const good = encodeFrame({ tag: TAG, seq: 3, captured_at_ms: 5, jpeg: jpeg(40) });
  for (let n = 0; n < good.length; n++) assert.equal(parseFrame(good.subarray(0, n)).ok, false, `cut at ${n}`);
});
