// A recording's frames as the customer screen sends them: decoded, scaled so the wider side is
// FRAME_SIDE_PX (the screen's canvas does the same), and encoded as JPEG at the screen's quality.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { FRAME_JPEG_QUALITY, FRAME_SIDE_PX } from '../../electron/contract/frames.js';
import { fixturesDir } from '../../electron/host/demo/demo.js';
import { decodeImage } from '../../native/image.node.js';
import { splitMjpeg } from '../../native/mjpeg.js';
import type { RgbFrame } from '../../electron/contract/vision.js';

/** Bilinear scaling of an RGB frame to `width` x `height`. */
export function scaleFrame(f: RgbFrame, width: number, height: number): RgbFrame {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(f.height - 1, ((y + 0.5) * f.height) / height - 0.5);
    const y0 = Math.max(0, Math.floor(sy));
    const y1 = Math.min(f.height - 1, y0 + 1);
    const wy = Math.max(0, sy - y0);
    for (let x = 0; x < width; x++) {
      const sx = Math.min(f.width - 1, ((x + 0.5) * f.width) / width - 0.5);
      const x0 = Math.max(0, Math.floor(sx));
      const x1 = Math.min(f.width - 1, x0 + 1);
      const wx = Math.max(0, sx - x0);
      for (let c = 0; c < 3; c++) {
        const a = f.data[(y0 * f.width + x0) * 3 + c]! * (1 - wx) + f.data[(y0 * f.width + x1) * 3 + c]! * wx;
        const b = f.data[(y1 * f.width + x0) * 3 + c]! * (1 - wx) + f.data[(y1 * f.width + x1) * 3 + c]! * wx;
        out[(y * width + x) * 3 + c] = Math.round(a * (1 - wy) + b * wy);
      }
    }
  }
  return { width, height, data: out };
}

export function encodeJpeg(f: RgbFrame, quality = Math.round(FRAME_JPEG_QUALITY * 100)): Uint8Array {
  const rgba = new Uint8Array(f.width * f.height * 4);
  for (let i = 0, j = 0; i < f.data.length; i += 3, j += 4) {
    rgba[j] = f.data[i]!;
    rgba[j + 1] = f.data[i + 1]!;
    rgba[j + 2] = f.data[i + 2]!;
    rgba[j + 3] = 255;
  }
  return new Uint8Array(jpeg.encode({ width: f.width, height: f.height, data: rgba }, quality).data);
}

/** The frames of test/fixtures/video/<name>, as a screen would send them. */
export function screenFrames(name: string): Uint8Array[] {
  return splitMjpeg(readFileSync(join(fixturesDir(), 'video', name))).map((bytes) => {
    const f = decodeImage(bytes);
    const scale = Math.min(1, FRAME_SIDE_PX / Math.max(f.width, f.height));
    return encodeJpeg(scaleFrame(f, Math.round(f.width * scale), Math.round(f.height * scale)));
  });
}
