// Decodes JPEG and PNG bytes into the pipeline's RGB frame (no canvas in Node), and reads
// image files and recorded streams from disk for the evaluation CLIs, tests and benchmarks.
import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { RgbFrame } from '../electron/contract/vision.js';

// A 4K frame is the largest we decode; jpeg-js also needs a memory bound.
export const IMAGE_PIXELS_MAX = 3840 * 2160;
const JPEG_MEMORY_MB_MAX = 512;

function rgbaToRgb(rgba: Uint8Array, width: number, height: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    rgb[i] = rgba[j]!;
    rgb[i + 1] = rgba[j + 1]!;
    rgb[i + 2] = rgba[j + 2]!;
  }
  return rgb;
}

export function decodeImage(bytes: Uint8Array): RgbFrame {
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  const isPng = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  if (isJpeg) {
    const img = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      maxResolutionInMP: IMAGE_PIXELS_MAX / 1e6,
      maxMemoryUsageInMB: JPEG_MEMORY_MB_MAX,
    });
    return { width: img.width, height: img.height, data: img.data };
  }
  if (isPng) {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    if (png.width * png.height > IMAGE_PIXELS_MAX)
      throw new Error(`PNG ${png.width}x${png.height}: over ${IMAGE_PIXELS_MAX} pixels`);
    return { width: png.width, height: png.height, data: rgbaToRgb(png.data, png.width, png.height) };
  }
  throw new Error(
    `image: expected JPEG (FF D8) or PNG (89 50 4E 47), got ${Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ')}`,
  );
}

export function readImage(path: string): RgbFrame {
  return decodeImage(readFileSync(path));
}
