// Pure geometry on the 68-point landmarks (iBUG layout): head pose estimates, the geometric
// smile cue, the box a face is tracked with between detections, and boxes clipped to a frame.
import type { FaceBox } from '../electron/contract/vision.js';

export type Point = { x: number; y: number };

const mean = (pts: Point[]): Point => ({
  x: pts.reduce((s, p) => s + p.x, 0) / pts.length,
  y: pts.reduce((s, p) => s + p.y, 0) / pts.length,
});
const dist = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);

export function eyeCentres(lm: Point[]): { left: Point; right: Point } {
  return { left: mean(lm.slice(36, 42)), right: mean(lm.slice(42, 48)) };
}

export function eyeDistance(lm: Point[]): number {
  const { left, right } = eyeCentres(lm);
  return dist(left, right);
}

/** Head pose from inner landmarks only (eyes, nose, mouth): on tight crops the jaw line lies
 * outside the picture and its points are guesses. Yaw: the nose tip's sideways offset from the
 * eye midpoint (the tip stands about 0.6 inter-ocular distances in front of the eyes); roll: the
 * eye line; pitch: the nose's length against the eye-to-mouth height. Rough, enough for gates. */
export function headPose(lm: Point[]): { yaw_deg: number; pitch_deg: number; roll_deg: number } {
  const { left, right } = eyeCentres(lm);
  const rollRad = Math.atan2(right.y - left.y, right.x - left.x);
  const iod = Math.max(dist(left, right), 1e-6);
  const eyeMid = mean([left, right]);
  const nose = lm[30]!;
  // Nose offset in the eye line's frame (roll removed).
  const dx = nose.x - eyeMid.x;
  const dy = nose.y - eyeMid.y;
  const along = (dx * Math.cos(rollRad) + dy * Math.sin(rollRad)) / iod;
  const yaw = Math.asin(Math.max(-1, Math.min(1, along / 0.6))) * (180 / Math.PI);
  const mouthMid = mean([lm[48]!, lm[54]!]);
  const faceH = Math.max(dist(eyeMid, mouthMid), 1e-6);
  // Frontal faces have the nose tip about 0.6 of the way from the eyes to the mouth.
  const pitchRatio = dist(eyeMid, nose) / faceH - 0.6;
  const pitch = Math.asin(Math.max(-1, Math.min(1, pitchRatio * 2.5))) * (180 / Math.PI);
  return {
    yaw_deg: clampDeg(yaw, 90),
    pitch_deg: clampDeg(pitch, 90),
    roll_deg: clampDeg((rollRad * 180) / Math.PI, 180),
  };
}

const clampDeg = (v: number, lim: number): number => Math.max(-lim, Math.min(lim, Math.round(v * 10) / 10));

/** Mouth corner distance over the inter-ocular distance: grows with a smile. */
export function mouthWidthRatio(lm: Point[]): number {
  return dist(lm[48]!, lm[54]!) / Math.max(eyeDistance(lm), 1e-6);
}

/** The box to look for the face in on the next frame: the landmark hull, widened the way the
 * detector's boxes are (forehead above the brows, a margin at the jaw). */
export function trackingBox(lm: Point[]): FaceBox {
  const xs = lm.map((p) => p.x);
  const ys = lm.map((p) => p.y);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const y0 = Math.min(...ys);
  const y1 = Math.max(...ys);
  const w = x1 - x0;
  const h = y1 - y0;
  return { x: x0 - 0.08 * w, y: y0 - 0.2 * h, width: w * 1.16, height: h * 1.25 };
}

export function clipBox(b: FaceBox, width: number, height: number): FaceBox | null {
  const x = Math.max(0, Math.floor(b.x));
  const y = Math.max(0, Math.floor(b.y));
  const x1 = Math.min(width, Math.ceil(b.x + b.width));
  const y1 = Math.min(height, Math.ceil(b.y + b.height));
  if (x1 - x < 8 || y1 - y < 8) return null;
  return { x, y, width: x1 - x, height: y1 - y };
}

export function iou(a: FaceBox, b: FaceBox): number {
  const x0 = Math.max(a.x, b.x);
  const y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.width, b.x + b.width);
  const y1 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  return inter / (a.width * a.height + b.width * b.height - inter);
}
