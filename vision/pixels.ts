// Pixel work the pipeline does in plain JavaScript (no tensors): margins around tight crops,
// a sharpness measure, and a cheap frame hash. Isomorphic.
import type { FaceBox, RgbFrame } from '../electron/contract/vision.js';

/** Pads a frame with mid-grey on every side: the detector misses faces that fill the frame. */
export function padFrame(frame: RgbFrame, margin: number): RgbFrame {
  const width = frame.width + 2 * margin;
  const height = frame.height + 2 * margin;
  const data = new Uint8Array(width * height * 3).fill(128);
  const row = frame.width * 3;
  for (let y = 0; y < frame.height; y++) {
    data.set(frame.data.subarray(y * row, (y + 1) * row), ((y + margin) * width + margin) * 3);
  }
  return { width, height, data };
}

/** Variance of a 4-neighbour Laplacian on the grey face region, sampled on a grid of at most
 * 64x64 points (so the cost does not grow with the face). Low values mean blur. */
export function sharpness(frame: RgbFrame, box: FaceBox): number {
  const grid = 64;
  const step = Math.max(1, Math.floor(Math.min(box.width, box.height) / grid));
  const x0 = Math.max(step, Math.floor(box.x));
  const y0 = Math.max(step, Math.floor(box.y));
  const x1 = Math.min(frame.width - step - 1, Math.floor(box.x + box.width));
  const y1 = Math.min(frame.height - step - 1, Math.floor(box.y + box.height));
  const grey = (x: number, y: number): number => {
    const i = (y * frame.width + x) * 3;
    return 0.299 * frame.data[i]! + 0.587 * frame.data[i + 1]! + 0.114 * frame.data[i + 2]!;
  };
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (let y = y0; y < y1; y += step) {
    for (let x = x0; x < x1; x += step) {
      const l = grey(x - step, y) + grey(x + step, y) + grey(x, y - step) + grey(x, y + step) - 4 * grey(x, y);
      n += 1;
      sum += l;
      sumSq += l * l;
    }
  }
  if (n === 0) return 0;
  const m = sum / n;
  return Math.round(Math.max(0, sumSq / n - m * m) * 10) / 10;
}

/** FNV-1a over every 61st byte: equal for byte-identical frames (a frozen picture), cheap. */
export function frameHash(frame: RgbFrame): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < frame.data.length; i += 61) {
    h ^= frame.data[i]!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The upper face (brows to nose tip, between the brows' ends) as an 8x6 grid of grey means,
 * zero-mean and unit-norm, rounded to 0.001. Points are the 68 landmarks as [x, y] pairs. */
export function upperFacePatch(frame: RgbFrame, pts: { x: number; y: number }[]): number[] {
  const cols = 8;
  const rows = 6;
  const region = [...pts.slice(17, 27), ...pts.slice(27, 36)];
  const x0 = Math.min(...region.map((p) => p.x));
  const x1 = Math.max(...region.map((p) => p.x));
  const y0 = Math.min(...region.map((p) => p.y));
  const y1 = Math.max(...region.map((p) => p.y));
  const cells: number[] = [];
  const cw = (x1 - x0) / cols;
  const ch = (y1 - y0) / rows;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let sum = 0;
      let n = 0;
      for (let sy = 0; sy < 3; sy++) {
        for (let sx = 0; sx < 3; sx++) {
          const x = Math.round(x0 + (c + (sx + 0.5) / 3) * cw);
          const y = Math.round(y0 + (r + (sy + 0.5) / 3) * ch);
          if (x < 0 || y < 0 || x >= frame.width || y >= frame.height) continue;
          const i = (y * frame.width + x) * 3;
          sum += 0.299 * frame.data[i]! + 0.587 * frame.data[i + 1]! + 0.114 * frame.data[i + 2]!;
          n += 1;
        }
      }
      cells.push(n ? sum / n : 128);
    }
  }
  const m = cells.reduce((a, b) => a + b, 0) / cells.length;
  const centred = cells.map((v) => v - m);
  const norm = Math.sqrt(centred.reduce((a, b) => a + b * b, 0)) || 1;
  return centred.map((v) => Math.round((v / norm) * 1000) / 1000);
}

/** The pixels face-api's extractFaceTensors slices from a frame for `box`, in plain JavaScript:
 * the box clipped at the frame's borders and floored (Box.clipAtImageBorders), as width x height
 * x 3 int32 values, the same values the slice of an int32 frame tensor holds. Slicing a tensor
 * copies element by element on the WASM backend (about 4 ms for a face); this is a row copy.
 * Null when nothing of the box is inside the frame. */
export function cropPixels(frame: RgbFrame, box: FaceBox): { data: Int32Array; width: number; height: number } | null {
  const x = Math.floor(Math.max(box.x, 0));
  const y = Math.floor(Math.max(box.y, 0));
  const width = Math.floor(Math.min(box.x + box.width - Math.max(box.x, 0), frame.width - Math.max(box.x, 0)));
  const height = Math.floor(Math.min(box.y + box.height - Math.max(box.y, 0), frame.height - Math.max(box.y, 0)));
  if (!(width > 0 && height > 0)) return null;
  const data = new Int32Array(width * height * 3);
  const row = width * 3;
  for (let r = 0; r < height; r++) {
    const from = ((y + r) * frame.width + x) * 3;
    const src = frame.data.subarray(from, from + row);
    const to = r * row;
    for (let i = 0; i < row; i++) data[to + i] = src[i]!;
  }
  return { data, width, height };
}
