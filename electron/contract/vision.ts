// Wire types of the face pipeline: what the renderer (untrusted) sends the host per camera
// frame, and the frame format the pipeline reads. No I/O here; both sides import these.
// An observation is small (about 2 KB as JSON with a descriptor) so that it crosses IPC or a
// WebSocket at camera rate; the schema bounds every field because the host trusts nothing.
import { z } from 'zod';
import { freeText } from './shapes.js';

/** A decoded camera frame: 8-bit RGB, row-major, 3 bytes per pixel. */
export interface RgbFrame {
  width: number;
  height: number;
  data: Uint8Array;
}

export const DESCRIPTOR_DIMS = 128;
export const LANDMARK_POINTS = 68;
export const FRAME_SIDE_PX_MAX = 8192;
export const FACES_PER_FRAME_MAX = 64;

export const FaceBoxSchema = z.object({
  x: z.number().finite().min(-FRAME_SIDE_PX_MAX).max(FRAME_SIDE_PX_MAX),
  y: z.number().finite().min(-FRAME_SIDE_PX_MAX).max(FRAME_SIDE_PX_MAX),
  width: z.number().finite().positive().max(FRAME_SIDE_PX_MAX),
  height: z.number().finite().positive().max(FRAME_SIDE_PX_MAX),
});
export type FaceBox = z.infer<typeof FaceBoxSchema>;

export const FaceQualitySchema = z.object({
  /** Inter-ocular distance in frame pixels: the face's size as the recogniser sees it. */
  eye_distance_px: z.number().finite().min(0).max(FRAME_SIDE_PX_MAX),
  /** Variance of the Laplacian over the face crop (grey levels squared): low is blurred. */
  sharpness: z.number().finite().min(0).max(1e6),
  /** Head turn estimated from landmarks, degrees (0 = facing the camera). */
  yaw_deg: z.number().finite().min(-90).max(90),
  pitch_deg: z.number().finite().min(-90).max(90),
  roll_deg: z.number().finite().min(-180).max(180),
  /** The pipeline's own verdict: good enough to compute a descriptor from. */
  good: z.boolean(),
  /** When not good: which gate failed (too_small, blurred, turned, ...). */
  reason: freeText(64).nullable(),
});
export type FaceQuality = z.infer<typeof FaceQualitySchema>;

export const ObservedFaceSchema = z.object({
  box: FaceBoxSchema,
  detection_score: z.number().min(0).max(1),
  /** true when this frame's box came from tracking the previous landmarks, not the detector. */
  tracked: z.boolean(),
  /** 68 points as [x0, y0, x1, y1, ...] in frame pixels, rounded to 0.1 px. */
  landmarks: z.array(z.number().finite()).length(LANDMARK_POINTS * 2),
  /** The expression net's "happy" probability: the smile. */
  smile: z.number().min(0).max(1),
  /** Mouth width over inter-ocular distance (a geometric smile cue, independent of the net). */
  mouth_width_ratio: z.number().finite().min(0).max(10),
  quality: FaceQualitySchema,
  /** Upper face (brows to nose tip) as an 8x6 grid of grey means, zero-mean and unit-norm:
   * lets the host check that consecutive frames show the same picture of the same face. */
  upper_face: z.array(z.number().finite().min(-1).max(1)).length(48),
  /** 128-d face descriptor (Euclidean space), present on good frames only. */
  descriptor: z.array(z.number().finite().min(-4).max(4)).length(DESCRIPTOR_DIMS).nullable(),
});
export type ObservedFace = z.infer<typeof ObservedFaceSchema>;

export const StageTimesSchema = z.object({
  decode_ms: z.number().min(0),
  detect_ms: z.number().min(0),
  landmarks_ms: z.number().min(0),
  expression_ms: z.number().min(0),
  descriptor_ms: z.number().min(0),
  total_ms: z.number().min(0),
});
export type StageTimes = z.infer<typeof StageTimesSchema>;

export const FaceObservationSchema = z.object({
  v: z.literal(1),
  frame_seq: z.number().int().min(0),
  captured_at_ms: z.number().finite().min(0),
  frame_width: z.number().int().positive().max(FRAME_SIDE_PX_MAX),
  frame_height: z.number().int().positive().max(FRAME_SIDE_PX_MAX),
  /** A cheap 32-bit hash of subsampled pixels: identical frames (a frozen stream) repeat it. */
  frame_hash: z.number().int().min(0).max(0xffffffff),
  backend: freeText(32),
  /** Faces big enough to be at the kiosk (not passers-by far behind). */
  faces_near: z.number().int().min(0).max(FACES_PER_FRAME_MAX),
  face: ObservedFaceSchema.nullable(),
  times: StageTimesSchema,
});
export type FaceObservation = z.infer<typeof FaceObservationSchema>;

/** An observation serialised as JSON must stay under this (IPC/WebSocket message limit). */
export const OBSERVATION_BYTES_MAX = 8 * 1024;
