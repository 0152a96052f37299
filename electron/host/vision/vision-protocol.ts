// The messages between the host (host-vision.ts) and its vision worker (vision-worker.ts), and
// the pipeline settings both rely on. Plain data: JPEG bytes go in (transferred, not copied),
// observations come out.
import type { FaceObservation } from '../../contract/vision.js';
import type { PipelineOptions } from '../../../vision/pipeline.js';
import type { NodeBackendName } from '../../../native/backend.node.js';

/** The liveness loop's pipeline on one CPU core: the detector every 10th frame (the landmarks
 * track the face in between; a second face still shows within 10 frames), a descriptor every
 * 4th good frame (several are fused), one landmark pass. The same as the screen used when it ran
 * the pipeline, so the liveness limits measured then still hold. */
export const HOST_PIPELINE_OPTIONS: Partial<PipelineOptions> = {
  detect_every_frames: 10,
  descriptor_every_frames: 4,
  landmark_refine: false,
};

/** Face tracks the worker keeps (one per customer screen); the oldest is forgotten beyond it. */
export const VISION_SCREENS_MAX = 8;

export interface VisionWorkerData {
  backend?: NodeBackendName;
}

export type ToWorker =
  | {
      type: 'frame';
      id: number;
      screen: string;
      /** A new session (or a cut in the stream): forget the tracked face first. */
      reset: boolean;
      jpeg: Uint8Array;
      /** The frame's time on the session's timeline (the host's clock), put in the observation. */
      at_ms: number;
    }
  | { type: 'forget'; screen: string };

export type FromWorker =
  | { type: 'ready'; backend: string; reason: string }
  | { type: 'failed'; message: string }
  | { type: 'observation'; id: number; observation: FaceObservation; worker_ms: number }
  | { type: 'error'; id: number; code: 'FRAME_UNDECODABLE' | 'VISION_FAILED'; message: string };
