// The frame the self-check times the host's vision worker on: the first of the demo's d0
// recording (a face, so every stage runs), scaled as a customer screen scales its frames
// (FRAME_SIDE_PX) and encoded as it encodes them, so the figure is a live frame's; null where the
// fixtures are not installed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { FRAME_JPEG_QUALITY, FRAME_SIDE_PX } from '../../contract/frames.js';
import { fixturesDir } from '../demo/demo.js';
import { decodeImage } from '../../../native/image.node.js';
import { splitMjpeg } from '../../../native/mjpeg.js';

export function probeFrame(): Uint8Array | null {
  const path = join(fixturesDir(), 'video', 'd0.mjpeg');
  const first = existsSync(path) ? splitMjpeg(readFileSync(path))[0] : undefined;
  if (!first) return null;
  const f = decodeImage(first);
  const scale = Math.min(1, FRAME_SIDE_PX / Math.max(f.width, f.height));
  const width = Math.round(f.width * scale);
  const height = Math.round(f.height * scale);
  // Nearest neighbour: a timing probe, not a picture to look at.
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const s =
        (Math.min(f.height - 1, Math.floor(y / scale)) * f.width + Math.min(f.width - 1, Math.floor(x / scale))) * 3;
      const d = (y * width + x) * 4;
      rgba[d] = f.data[s]!;
      rgba[d + 1] = f.data[s + 1]!;
      rgba[d + 2] = f.data[s + 2]!;
      rgba[d + 3] = 255;
    }
  return new Uint8Array(jpeg.encode({ width, height, data: rgba }, Math.round(FRAME_JPEG_QUALITY * 100)).data);
}
