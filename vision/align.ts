// Face alignment for the descriptor, isomorphic (plain JavaScript on the RGB frame: the same
// pixels on every TensorFlow.js backend). The face-api recognition net is a port of dlib's
// ResNet, which was trained on dlib's face chips: 150 x 150 pixels, the face warped by a
// similarity transform (rotation, uniform scale, translation) that puts the landmarks nearest to
// dlib's mean face shape, with a padding of 0.25 of the face around it
// (`extract_image_chip(img, get_face_chip_details(shape, 150, 0.25), chip)` in dlib's example).
// Here: the same template, the same points (dlib uses the 68-point layout's nose, eyes and
// mouth, not the jaw, the brows or the lower lip, which move with expression), the same least
// squares fit, bilinear sampling, zero outside the frame as dlib fills it. Also the chip's
// exposure and contrast, for the quality gates (side lighting, dark or burnt-out faces).
import type { RgbFrame } from '../electron/contract/vision.js';
import type { Point } from './geometry.js';

/** dlib's chip side for the recognition net, and its padding around the mean face. */
export const CHIP_SIZE_PX = 150;
export const CHIP_PADDING = 0.25;
/** Over this many frame pixels per chip pixel, each chip pixel averages SUPERSAMPLE_SIDE^2
 * bilinear samples (a large face scaled down with less aliasing, at 4x the cost: about 2 ms). */
const SUPERSAMPLE_FROM_SCALE = 1.5;
const SUPERSAMPLE_SIDE = 2;

// dlib's mean face shape for landmarks 17..67 (image_transforms/interpolation.h), in [0, 1].
const MEAN_X = [
  0.000213256, 0.0752622, 0.18113, 0.29077, 0.393397, 0.586856, 0.689483, 0.799124, 0.904991, 0.98004, 0.490127,
  0.490127, 0.490127, 0.490127, 0.36688, 0.426036, 0.490127, 0.554217, 0.613373, 0.121737, 0.187122, 0.265825, 0.334606,
  0.260918, 0.182743, 0.645647, 0.714428, 0.793132, 0.858516, 0.79751, 0.719335, 0.254149, 0.340985, 0.428858, 0.490127,
  0.551395, 0.639268, 0.726104, 0.642159, 0.556721, 0.490127, 0.423532, 0.338094, 0.290379, 0.428096, 0.490127,
  0.552157, 0.689874, 0.553364, 0.490127, 0.42689,
];
const MEAN_Y = [
  0.106454, 0.038915, 0.0187482, 0.0344891, 0.0773906, 0.0773906, 0.0344891, 0.0187482, 0.038915, 0.106454, 0.203352,
  0.307009, 0.409805, 0.515625, 0.587326, 0.609345, 0.628106, 0.609345, 0.587326, 0.216423, 0.178758, 0.179852,
  0.231733, 0.245099, 0.244077, 0.231733, 0.179852, 0.178758, 0.216423, 0.244077, 0.245099, 0.780233, 0.745405,
  0.727388, 0.742578, 0.727388, 0.745405, 0.780233, 0.864805, 0.902192, 0.909281, 0.902192, 0.864805, 0.784792,
  0.778746, 0.785343, 0.778746, 0.784792, 0.824182, 0.831803, 0.824182,
];

/** The landmarks dlib fits: 27..67 without the lower lip (55..59, 65..67). */
export const CHIP_LANDMARKS: readonly number[] = Array.from({ length: 68 - 27 }, (_, i) => 27 + i).filter(
  (i) => !((i >= 55 && i <= 59) || (i >= 65 && i <= 67)),
);

/** Where each fitted landmark sits on the chip (chip pixels). */
function templatePoint(i: number, size: number, padding: number): Point {
  return {
    x: ((padding + MEAN_X[i - 17]!) / (2 * padding + 1)) * size,
    y: ((padding + MEAN_Y[i - 17]!) / (2 * padding + 1)) * size,
  };
}

/** chip (x, y) -> frame (a x - b y + tx, b x + a y + ty). */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

/** Least-squares similarity taking `from` onto `to` (closed form, as dlib's find_similarity_transform). */
export function fitSimilarity(from: Point[], to: Point[]): Similarity {
  if (from.length !== to.length || from.length < 2)
    throw new Error(`fitSimilarity: expected two equal lists of 2 or more points, got ${from.length} and ${to.length}`);
  const n = from.length;
  const mf = { x: from.reduce((s, p) => s + p.x, 0) / n, y: from.reduce((s, p) => s + p.y, 0) / n };
  const mt = { x: to.reduce((s, p) => s + p.x, 0) / n, y: to.reduce((s, p) => s + p.y, 0) / n };
  let dot = 0;
  let cross = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const fx = from[i]!.x - mf.x;
    const fy = from[i]!.y - mf.y;
    const tx = to[i]!.x - mt.x;
    const ty = to[i]!.y - mt.y;
    dot += fx * tx + fy * ty;
    cross += fx * ty - fy * tx;
    norm += fx * fx + fy * fy;
  }
  if (norm === 0) throw new Error('fitSimilarity: the source points coincide');
  const a = dot / norm;
  const b = cross / norm;
  return { a, b, tx: mt.x - (a * mf.x - b * mf.y), ty: mt.y - (b * mf.x + a * mf.y) };
}

/** The transform from the chip to the frame for 68 landmarks (frame pixels). */
export function chipTransform(landmarks: Point[], size = CHIP_SIZE_PX, padding = CHIP_PADDING): Similarity {
  if (landmarks.length !== 68) throw new Error(`chipTransform: expected 68 landmarks, got ${landmarks.length}`);
  const from = CHIP_LANDMARKS.map((i) => templatePoint(i, size, padding));
  const to = CHIP_LANDMARKS.map((i) => landmarks[i]!);
  return fitSimilarity(from, to);
}

/** Warps the face to the chip: size x size x 3 RGB bytes, bilinear, black outside the frame.
 * Where the face is large (over SUPERSAMPLE_FROM_SCALE frame pixels per chip pixel) each chip
 * pixel averages 2 x 2 bilinear samples unless `supersample` is false (exposure statistics do
 * not need it). */
export function warpChip(frame: RgbFrame, t: Similarity, size = CHIP_SIZE_PX, supersample = true): Uint8Array {
  const out = new Uint8Array(size * size * 3);
  const { width, height, data } = frame;
  const k = supersample && Math.hypot(t.a, t.b) > SUPERSAMPLE_FROM_SCALE ? SUPERSAMPLE_SIDE : 1;
  const n = k * k;
  const xMax = width - 1;
  const yMax = height - 1;
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = 0; sy < k; sy++) {
        const cy = v + (sy + 0.5) / k - 0.5;
        for (let sx = 0; sx < k; sx++) {
          const cx = u + (sx + 0.5) / k - 0.5;
          const x = t.a * cx - t.b * cy + t.tx;
          const y = t.b * cx + t.a * cy + t.ty;
          if (x < 0 || y < 0 || x > xMax || y > yMax) continue; // zero, as dlib's chips
          const x0 = x | 0;
          const y0 = y | 0;
          const fx = x - x0;
          const fy = y - y0;
          const i00 = (y0 * width + x0) * 3;
          const i01 = x0 < xMax ? i00 + 3 : i00;
          const i10 = y0 < yMax ? i00 + width * 3 : i00;
          const i11 = x0 < xMax ? i10 + 3 : i10;
          const w00 = (1 - fx) * (1 - fy);
          const w01 = fx * (1 - fy);
          const w10 = (1 - fx) * fy;
          const w11 = fx * fy;
          r += data[i00]! * w00 + data[i01]! * w01 + data[i10]! * w10 + data[i11]! * w11;
          g += data[i00 + 1]! * w00 + data[i01 + 1]! * w01 + data[i10 + 1]! * w10 + data[i11 + 1]! * w11;
          b += data[i00 + 2]! * w00 + data[i01 + 2]! * w01 + data[i10 + 2]! * w10 + data[i11 + 2]! * w11;
        }
      }
      const o = (v * size + u) * 3;
      out[o] = Math.round(r / n);
      out[o + 1] = Math.round(g / n);
      out[o + 2] = Math.round(b / n);
    }
  }
  return out;
}

export interface ChipExposure {
  /** Mean grey level (0..255) of the inner face. */
  mean_grey: number;
  /** Standard deviation of the grey levels of the inner face: low is flat (fog, glare, a dark room). */
  contrast_grey: number;
  /** Mean grey of the darker cheek side over the brighter one (1: even light, near 0: half in shadow). */
  side_balance: number;
  /** Fraction of inner-face pixels at 250 or above (burnt out). */
  clipped_fraction: number;
}

/** Exposure of the inner face on a chip: the region of the mean face between the outer eye
 * corners and from the brows' line to the chin's top (chip coordinates, padding included). */
export function chipExposure(chip: Uint8Array, size = CHIP_SIZE_PX, padding = CHIP_PADDING): ChipExposure {
  const at = (f: number): number => Math.round(((padding + f) / (2 * padding + 1)) * size);
  const x0 = at(0.12);
  const x1 = at(0.86);
  const y0 = at(0.18);
  const y1 = at(0.9);
  const mid = at(0.49);
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  let clipped = 0;
  let left = 0;
  let leftN = 0;
  let right = 0;
  let rightN = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * size + x) * 3;
      const g = 0.299 * chip[i]! + 0.587 * chip[i + 1]! + 0.114 * chip[i + 2]!;
      n += 1;
      sum += g;
      sumSq += g * g;
      if (g >= 250) clipped += 1;
      if (x < mid) {
        left += g;
        leftN += 1;
      } else {
        right += g;
        rightN += 1;
      }
    }
  }
  const mean = sum / n;
  const l = left / Math.max(1, leftN);
  const r = right / Math.max(1, rightN);
  const round3 = (v: number): number => Math.round(v * 1000) / 1000;
  return {
    mean_grey: round3(mean),
    contrast_grey: round3(Math.sqrt(Math.max(0, sumSq / n - mean * mean))),
    side_balance: round3(Math.max(l, r) > 0 ? Math.min(l, r) / Math.max(l, r) : 0),
    clipped_fraction: round3(clipped / n),
  };
}
