// Continuity between two consecutive observations of a face: how far it moved (in eye
// distances) and how much its shape changed once translation, scale and rotation are removed
// (a 2-D Procrustes fit of the 68 landmarks). A live face moves smoothly at camera rate; a cut
// between two pictures changes position and shape at once.
import type { ObservedFace } from '../contract/vision.js';
import type { FaceConfig } from './config.js';

type Pt = { x: number; y: number };

function points(flat: number[]): Pt[] {
  const out: Pt[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push({ x: flat[i]!, y: flat[i + 1]! });
  return out;
}

function eyeDistance(p: Pt[]): number {
  const c = (a: number, b: number): Pt => {
    const s = p.slice(a, b);
    return { x: s.reduce((v, q) => v + q.x, 0) / s.length, y: s.reduce((v, q) => v + q.y, 0) / s.length };
  };
  const l = c(36, 42);
  const r = c(42, 48);
  return Math.max(Math.hypot(r.x - l.x, r.y - l.y), 1e-6);
}

function centred(p: Pt[]): { pts: Pt[]; scale: number; centre: Pt } {
  const cx = p.reduce((s, q) => s + q.x, 0) / p.length;
  const cy = p.reduce((s, q) => s + q.y, 0) / p.length;
  const pts = p.map((q) => ({ x: q.x - cx, y: q.y - cy }));
  const scale = Math.sqrt(pts.reduce((s, q) => s + q.x * q.x + q.y * q.y, 0) / p.length) || 1;
  return { pts: pts.map((q) => ({ x: q.x / scale, y: q.y / scale })), scale, centre: { x: cx, y: cy } };
}

// Points that an expression barely moves (brows, eyes, nose): their shape changes with pose and
// between two pictures, hardly with a smile.
const RIGID = [
  ...Array.from({ length: 31 - 17 + 1 }, (_, i) => 17 + i),
  ...Array.from({ length: 48 - 31 }, (_, i) => 31 + i),
];

export interface Continuity {
  /** Landmark centroid displacement in eye distances. */
  jump_eye_distances: number;
  /** Mean residual of the rigid points after a similarity fit, in eye distances. */
  shape_change: number;
  /** Scale ratio between the two faces (>= 1). */
  scale_ratio: number;
  /** Correlation of the two upper-face patches (1: the same picture). */
  upper_face_correlation: number;
}

export function continuity(prev: ObservedFace, next: ObservedFace): Continuity {
  const a = points(prev.landmarks);
  const b = points(next.landmarks);
  const iod = (eyeDistance(a) + eyeDistance(b)) / 2;
  const ra = centred(RIGID.map((i) => a[i]!));
  const rb = centred(RIGID.map((i) => b[i]!));
  // Optimal rotation of rb onto ra (unit-RMS sets): angle from the cross/dot sums.
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < ra.pts.length; i++) {
    const p = ra.pts[i]!;
    const q = rb.pts[i]!;
    sxx += p.x * q.x + p.y * q.y;
    sxy += p.y * q.x - p.x * q.y;
  }
  const th = Math.atan2(sxy, sxx);
  const c = Math.cos(th);
  const s = Math.sin(th);
  let res = 0;
  for (let i = 0; i < ra.pts.length; i++) {
    const p = ra.pts[i]!;
    const q = rb.pts[i]!;
    res += Math.hypot(p.x - (c * q.x - s * q.y), p.y - (s * q.x + c * q.y));
  }
  // Residual is in units of the rigid set's RMS radius; express it in eye distances.
  const shape = ((res / ra.pts.length) * ra.scale) / iod;
  const ca = centred(a).centre;
  const cb = centred(b).centre;
  return {
    jump_eye_distances: Math.hypot(ca.x - cb.x, ca.y - cb.y) / iod,
    shape_change: shape,
    scale_ratio: Math.max(ra.scale / rb.scale, rb.scale / ra.scale),
    upper_face_correlation: prev.upper_face.reduce((acc, x, i) => acc + x * next.upper_face[i]!, 0),
  };
}

/** Why two frames `dtMs` apart cannot be one continuous face, or null. Motion allowed for the
 * interval: the fast limit between neighbours ('frame') whose shape and look are unchanged, the
 * plain one across a bridged hole ('hole'), the gap limits across an unseen gap ('gap'). */
export function cutReason(
  c: FaceConfig['liveness'],
  prev: ObservedFace,
  face: ObservedFace,
  dtMs: number,
  across: 'frame' | 'hole' | 'gap' = 'frame',
): string | null {
  const k = continuity(prev, face);
  const within = (perS: number): number => Math.max(c.motion_eye_distances_min, (perS * dtMs) / 1000);
  const unchanged =
    k.shape_change <= c.shape_change_max / 2 && k.upper_face_correlation >= c.fast_motion_correlation_min;
  const allowed =
    across === 'gap'
      ? Math.min(c.gap_motion_eye_distances_max, within(c.gap_motion_eye_distances_per_s_max))
      : across === 'frame' && unchanged
        ? within(c.fast_motion_eye_distances_per_s_max)
        : within(c.motion_eye_distances_per_s_max);
  return k.jump_eye_distances > allowed
    ? `face moved ${k.jump_eye_distances.toFixed(2)} eye distances in ${dtMs.toFixed(0)} ms (allowed ${allowed.toFixed(2)})`
    : k.shape_change > c.shape_change_max
      ? `face shape changed by ${k.shape_change.toFixed(3)} in one frame`
      : k.upper_face_correlation < c.upper_face_correlation_min
        ? `upper face correlates ${k.upper_face_correlation.toFixed(3)} with the previous frame`
        : null;
}
