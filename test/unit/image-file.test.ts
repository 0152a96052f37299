// Proves that the eval CLIs' reader sniffs the format from the bytes, not the name: a WebP called
// .jpg, PGM (binary and text), PPM and BMP (24-bit bottom-up, 8-bit with a palette) decode to
// the same pixels they were made from; a 20-megapixel JPEG comes back scaled to the side limit,
// upright; an empty file, a text file and a cut-short JPEG are refused with a reason, never a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { decodeImageFile, ImageFileError, IMAGE_SIDE_PX_MAX } from '../../native/image-file.node.js';

/** A 6 x 4 test picture: each pixel's colour from its position. */
const W = 6;
const H = 4;
const rgb = new Uint8Array(W * H * 3).map((_, i) => {
  const p = Math.floor(i / 3);
  return [(p % W) * 40, Math.floor(p / W) * 60, 200 - p * 5][i % 3]!;
});
const grey = (i: number): number => rgb[i * 3]!;

function bmp24(): Uint8Array {
  const stride = Math.ceil((W * 3) / 4) * 4;
  const b = new Uint8Array(54 + stride * H);
  const v = new DataView(b.buffer);
  b[0] = 0x42;
  b[1] = 0x4d;
  v.setUint32(2, b.length, true);
  v.setUint32(10, 54, true);
  v.setUint32(14, 40, true);
  v.setInt32(18, W, true);
  v.setInt32(22, H, true); // positive: bottom-up rows
  v.setUint16(26, 1, true);
  v.setUint16(28, 24, true);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const s = (y * W + x) * 3;
      const d = 54 + (H - 1 - y) * stride + x * 3;
      b[d] = rgb[s + 2]!;
      b[d + 1] = rgb[s + 1]!;
      b[d + 2] = rgb[s]!;
    }
  return b;
}

function bmp8(): Uint8Array {
  const stride = Math.ceil(W / 4) * 4;
  const off = 54 + 256 * 4;
  const b = new Uint8Array(off + stride * H);
  const v = new DataView(b.buffer);
  b[0] = 0x42;
  b[1] = 0x4d;
  v.setUint32(10, off, true);
  v.setUint32(14, 40, true);
  v.setInt32(18, W, true);
  v.setInt32(22, -H, true); // negative: top-down rows
  v.setUint16(28, 8, true);
  for (let k = 0; k < 256; k++) b.set([k, k, k, 0], 54 + k * 4); // a grey palette (B, G, R, 0)
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) b[off + y * stride + x] = grey(y * W + x);
  return b;
}

test('PGM, PPM and BMP decode to the pixels they were made from', async () => {
  const pgm5 = new Uint8Array([
    ...Buffer.from(`P5\n# a comment\n${W} ${H}\n255\n`),
    ...Array.from({ length: W * H }, (_, i) => grey(i)),
  ]);
  const pgm2 = Buffer.from(`P2 ${W} ${H} 255\n${Array.from({ length: W * H }, (_, i) => grey(i)).join(' ')}\n`);
  const ppm6 = new Uint8Array([...Buffer.from(`P6 ${W} ${H} 255\n`), ...rgb]);
  for (const [bytes, format, colour] of [
    [pgm5, 'pnm', false],
    [pgm2, 'pnm', false],
    [ppm6, 'pnm', true],
    [bmp24(), 'bmp', true],
    [bmp8(), 'bmp', false],
  ] as const) {
    const img = await decodeImageFile(bytes);
    assert.equal(img.format, format);
    assert.deepEqual([img.frame.width, img.frame.height], [W, H]);
    for (let i = 0; i < W * H; i++) {
      const want = colour ? [rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2]] : [grey(i), grey(i), grey(i)];
      assert.deepEqual(Array.from(img.frame.data.subarray(i * 3, i * 3 + 3)), want, `${format} pixel ${i}`);
    }
  }
});

test('a WebP is a WebP whatever its name; a 20 MP JPEG is scaled to the side limit', async () => {
  const webp = await sharp(rgb, { raw: { width: W, height: H, channels: 3 } })
    .webp({ lossless: true })
    .toBuffer();
  const img = await decodeImageFile(webp);
  assert.equal(img.format, 'webp');
  assert.deepEqual(Array.from(img.frame.data.subarray(0, 6)), Array.from(rgb.subarray(0, 6)));
  const big = await sharp({ create: { width: 5472, height: 3648, channels: 3, background: { r: 90, g: 120, b: 150 } } })
    .jpeg({ quality: 80 })
    .toBuffer();
  const scaled = await decodeImageFile(big);
  assert.equal(scaled.format, 'jpeg');
  assert.deepEqual([scaled.width_px, scaled.height_px], [5472, 3648]);
  assert.equal(Math.max(scaled.frame.width, scaled.frame.height), IMAGE_SIDE_PX_MAX);
  assert.equal(scaled.frame.data.length, scaled.frame.width * scaled.frame.height * 3);
});

test('empty, text and cut-short files are refused with a reason', async () => {
  const jpeg = await sharp(rgb, { raw: { width: W, height: H, channels: 3 } })
    .jpeg()
    .toBuffer();
  for (const [bytes, why] of [
    [new Uint8Array(0), /empty file/],
    [Buffer.from('name,phone\nana,0042\n'), /not a picture this reader knows \(starts 6e 61 6d 65\)/],
    [jpeg.subarray(0, 40), /jpeg|not a picture/],
    [Buffer.from('P5\n6 4\n255\nxx'), /pnm: raster cut short/],
  ] as const) {
    await assert.rejects(
      decodeImageFile(bytes),
      (err: unknown) => err instanceof ImageFileError && why.test(err.message),
    );
  }
});
