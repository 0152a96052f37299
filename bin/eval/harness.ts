// Shared harness for the evaluation CLIs, the tests and the benchmarks: starts the Node vision
// backend, turns images and recorded streams into observations with the real pipeline, and runs
// liveness sessions over recorded observations. Not part of the kiosk's runtime.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { FaceObservation, RgbFrame } from '../../electron/contract/vision.js';
import { FACE_CONFIG, type FaceConfig } from '../../electron/face/config.js';
import { LivenessSession, type SessionState } from '../../electron/face/liveness.js';
import { initNodeVision, type NodeVision } from '../../native/backend.node.js';
import { decodeImage } from '../../native/image.node.js';
import { splitMjpeg } from '../../native/mjpeg.js';
import { FacePipeline, type PipelineOptions } from '../../vision/pipeline.js';
import { fixturesDir } from '../../electron/host/demo/demo.js';
import { STILL_OPTIONS } from './folder.js';

export const FIXTURES_DIR = fixturesDir();
export const STREAM_FPS = 15;
const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.png']);

export function vision(): Promise<NodeVision> {
  return initNodeVision({
    nets: ['tinyFaceDetector', 'ssdMobilenetv1', 'faceLandmark68Net', 'faceExpressionNet', 'faceRecognitionNet'],
  });
}

export { describeFolder, STILL_OPTIONS } from './folder.js';

export async function observeStill(v: NodeVision, img: RgbFrame): Promise<FaceObservation> {
  return new FacePipeline(v.faceapi, v.backend, STILL_OPTIONS).observe(img, 0);
}

export function isImage(path: string): boolean {
  return IMAGE_EXT.has(extname(path).toLowerCase());
}

/** Frames of a recording: an .mjpeg file, or a folder of images (sorted by name). */
export function readStream(path: string): Uint8Array[] {
  if (statSync(path).isDirectory()) {
    return readdirSync(path)
      .filter(isImage)
      .sort()
      .map((f) => readFileSync(join(path, f)));
  }
  if (isImage(path)) return [readFileSync(path)];
  return splitMjpeg(readFileSync(path));
}

/** Runs the pipeline over `count` frames of a stream played in a loop (as a file camera does). */
export async function observeStream(
  v: NodeVision,
  frames: Uint8Array[],
  count: number,
  options: Partial<PipelineOptions> = {},
): Promise<FaceObservation[]> {
  const pipe = new FacePipeline(v.faceapi, v.backend, options);
  const decoded = frames.map((f) => decodeImage(f));
  const out: FaceObservation[] = [];
  for (let i = 0; i < count; i++) out.push(await pipe.observe(decoded[i % decoded.length]!, (i * 1000) / STREAM_FPS));
  return out;
}

export interface SessionRun {
  state: SessionState;
  log: string[];
}

/** One liveness session over recorded observations, from index `start`, times re-based to 0. */
export function runSession(
  obs: FaceObservation[],
  start: number,
  opts: { prompt_after_ms?: number; random?: () => number; cfg?: FaceConfig['liveness'] },
): SessionRun {
  const session = new LivenessSession(opts.cfg ?? FACE_CONFIG.liveness, {
    prompt_after_ms: opts.prompt_after_ms,
    random: opts.random,
  });
  const t0 = obs[start]?.captured_at_ms ?? 0;
  for (let i = start; i < obs.length; i++) {
    const s = session.push({ ...obs[i]!, captured_at_ms: obs[i]!.captured_at_ms - t0 });
    if (s.status === 'accepted' || s.status === 'refused') break;
  }
  const last = obs[obs.length - 1];
  session.finish(last ? last.captured_at_ms - t0 : 0);
  return { state: session.current, log: session.log };
}

/** A small seeded PRNG (mulberry32) so that trials are reproducible. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
