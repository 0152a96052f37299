// A synthetic observation of one still face (no models), for tests that drive the liveness
// challenge by smile score alone: the same landmarks, upper face and descriptor every frame,
// every frame a different picture (frame_hash), good quality.
import type { FaceObservation } from '../../electron/contract/vision.js';

const landmarks = Array.from({ length: 68 }, (_, i) => [300 + ((i * 37) % 120), 200 + ((i * 53) % 140)]).flat();
landmarks.splice(72, 24, ...Array.from({ length: 12 }, (_, k) => [k < 6 ? 330 : 390, 240 + (k % 6)]).flat());
const upper = Array.from({ length: 48 }, (_, i) => (i % 5) - 2);
const un = Math.hypot(...upper);

/** Frame `i`, captured at `atMs`, with the given smile score. */
export function stillFaceObservation(i: number, atMs: number, smile: number): FaceObservation {
  return {
    v: 1,
    frame_seq: i,
    captured_at_ms: atMs,
    frame_width: 640,
    frame_height: 480,
    frame_hash: i + 1,
    backend: 'test',
    faces_near: 1,
    face: {
      box: { x: 280, y: 180, width: 160, height: 180 },
      detection_score: 0.9,
      tracked: false,
      landmarks,
      smile,
      mouth_width_ratio: 0.9,
      quality: { eye_distance_px: 60, sharpness: 100, yaw_deg: 0, pitch_deg: 0, roll_deg: 0, good: true, reason: null },
      upper_face: upper.map((v) => v / un),
      descriptor: Array.from({ length: 128 }, (_, d) => (d % 7) / 100),
    },
    times: { decode_ms: 0, detect_ms: 0, landmarks_ms: 0, expression_ms: 0, descriptor_ms: 0, total_ms: 0 },
  };
}
