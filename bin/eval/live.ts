// eval live <clip> [--trials N] [--reaction-ms N]: BPCER on anyone's recording of a live
// person going neutral -> smile -> neutral. The stretch is found in the clip from the pipeline's
// own smile scores (tolerating the frames a real smile rises and falls through, and a frame or two
// without a detected face); then a scripted customer (bin/eval/scripted.ts) plays the clip's real
// frames through the real pipeline, reacting to each of the kiosk's random prompts, N times: how
// often a live person is refused, why, and how long each decision took from the first frame.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FaceObservation, RgbFrame } from '../../electron/contract/vision.js';
import type { FaceConfig } from '../../electron/face/config.js';
import { LivenessSession } from '../../electron/face/liveness.js';
import { decodeImage } from '../../native/image.node.js';
import { decodeImageFile } from '../../native/image-file.node.js';
import { splitMjpeg } from '../../native/mjpeg.js';
import type { NodeVision } from '../../native/backend.node.js';
import { FacePipeline } from '../../vision/pipeline.js';
import { FolderError } from './folder.js';
import { interval95 } from './folds.js';
import { seeded } from './harness.js';
import { FRAME_MS, playReactingCustomer, type SmileClip } from './scripted.js';

/** Neutral frames needed on each side of the smile (the scripted customer rocks among them). */
export const CLIP_NEUTRAL_FRAMES_MIN = 3;
/** A clip longer than this many frames is cut (a minute at 15 fps: a smile is in it or not). */
export const CLIP_FRAMES_MAX = 900;

/** Frames of a recording: Motion JPEG (.mjpeg, as Chromium's file camera plays), or a folder of
 * pictures in name order (any format), taken as 15 fps (STREAM_FPS). */
export async function readClip(path: string): Promise<RgbFrame[]> {
  if (statSync(path).isDirectory()) {
    const out: RgbFrame[] = [];
    for (const f of readdirSync(path).sort()) {
      if (f.startsWith('.') || out.length >= CLIP_FRAMES_MAX) continue;
      out.push((await decodeImageFile(readFileSync(join(path, f)))).frame);
    }
    return out;
  }
  const bytes = readFileSync(path);
  if (!(bytes[0] === 0xff && bytes[1] === 0xd8))
    throw new FolderError(`${path}: expected Motion JPEG (concatenated JPEG frames) or a folder of frames`);
  return splitMjpeg(bytes)
    .slice(0, CLIP_FRAMES_MAX)
    .map((f) => decodeImage(f));
}

/**
 * The first neutral -> smile -> neutral stretch of a clip, as a SmileClip cut from it: at least
 * CLIP_NEUTRAL_FRAMES_MIN neutral frames (smile <= neutral_max), then frames that rise to a smile
 * (>= smile_min) and fall back (anything not neutral, and holes of up to detection_gap_frames_max
 * frames without a face), then neutral frames again. Throws a FolderError saying what the clip
 * has when there is no such stretch.
 */
export function findSmileClip(frames: RgbFrame[], obs: FaceObservation[], cfg: FaceConfig['liveness']): SmileClip {
  const s = obs.map((o) => (o.face ? o.face.smile : null));
  const neutral = (i: number): boolean => s[i] !== null && s[i]! <= cfg.neutral_max;
  for (let start = 0; start < s.length; start++) {
    if (!neutral(start)) continue;
    let a = start;
    while (a < s.length && neutral(a)) a++; // [start, a): neutral
    if (a - start < CLIP_NEUTRAL_FRAMES_MIN) {
      start = a;
      continue;
    }
    // The smile: from a up to the next neutral frame, with a full smile inside and short holes only.
    let b = a;
    let hole = 0;
    let smiled = false;
    while (b < s.length && !neutral(b)) {
      hole = s[b] === null ? hole + 1 : 0;
      if (hole > cfg.detection_gap_frames_max) break;
      if ((s[b] ?? 0) >= cfg.smile_min) smiled = true;
      b++;
    }
    if (!smiled || hole > cfg.detection_gap_frames_max || b >= s.length) {
      start = b;
      continue;
    }
    let c = b;
    while (c < s.length && neutral(c)) c++;
    if (c - b < CLIP_NEUTRAL_FRAMES_MIN) {
      start = b - 1;
      continue;
    }
    // Two full-smile frames to hold the smile on (rocking between them, as a held smile moves).
    const full: number[] = [];
    for (let i = a; i < b && full.length < 2; i++) if ((s[i] ?? 0) >= cfg.smile_min) full.push(i);
    if (full.length < 2) {
      start = b - 1;
      continue;
    }
    return {
      frames: frames.slice(start, c),
      onset: a - start,
      offset: b - start,
      hold: [full[0]! - start, full[1]! - start],
    };
  }
  const seen = s.filter((x) => x !== null) as number[];
  throw new FolderError(
    `no neutral -> smile -> neutral stretch in ${frames.length} frames (needed: ${CLIP_NEUTRAL_FRAMES_MIN}+ frames at smile <= ${cfg.neutral_max}, a smile >= ${cfg.smile_min}, ${CLIP_NEUTRAL_FRAMES_MIN}+ neutral frames again; this clip: ${s.length - seen.length} frames without a face, smile scores ${seen.length ? `${Math.min(...seen).toFixed(2)}..${Math.max(...seen).toFixed(2)}` : 'none'})`,
  );
}

/** The pipeline over a clip's frames in order, as a camera at STREAM_FPS shows them. */
export async function observeFrames(v: NodeVision, frames: RgbFrame[]): Promise<FaceObservation[]> {
  const pipe = new FacePipeline(v.faceapi, v.backend);
  const obs: FaceObservation[] = [];
  for (let i = 0; i < frames.length; i++) obs.push(await pipe.observe(frames[i]!, i * FRAME_MS));
  return obs;
}

export interface LiveResult {
  eval: 'live';
  sessions: number;
  accepted: number;
  codes: Record<string, number>;
  bpcer: number;
  bpcer_ci95: [number, number];
  /** From the session's first frame to the decision (accepted sessions), ms. */
  decided_ms: { median: number; p10: number; p90: number } | null;
  reaction_ms: number;
  clip: { frames: number; onset: number; offset: number; hold: [number, number] };
}

const quantile = (a: number[], q: number): number => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

/** N sessions of a customer reacting `reactionMs` after each prompt, from the clip's frames. */
export async function live(
  v: NodeVision,
  frames: RgbFrame[],
  cfg: FaceConfig['liveness'],
  trials: number,
  reactionMs: number,
  seed: number,
): Promise<LiveResult> {
  const clip = findSmileClip(frames, await observeFrames(v, frames), cfg);
  const framesMax = Math.ceil(cfg.session_ms_max / FRAME_MS) + 1;
  const codes: Record<string, number> = {};
  const decided: number[] = [];
  const r = seeded(seed);
  for (let k = 0; k < trials; k++) {
    const session = new LivenessSession(cfg, { random: r });
    const run = await playReactingCustomer(v, clip, session, reactionMs, framesMax);
    const key = run.state.status === 'refused' ? run.state.code : run.state.status;
    codes[key] = (codes[key] ?? 0) + 1;
    if (run.state.status === 'accepted') decided.push(run.state.decided_at_ms);
    else if (trials <= 20 && run.state.status === 'refused')
      console.log(`  session ${k + 1}: ${run.state.code}: ${run.state.detail}`);
    process.stderr.write(`live: ${k + 1} of ${trials} sessions\n`);
  }
  const refused = trials - decided.length;
  const [lo, hi] = interval95(refused, trials);
  return {
    eval: 'live',
    sessions: trials,
    accepted: decided.length,
    codes,
    bpcer: refused / Math.max(1, trials),
    bpcer_ci95: [lo, hi],
    decided_ms: decided.length
      ? { median: quantile(decided, 0.5), p10: quantile(decided, 0.1), p90: quantile(decided, 0.9) }
      : null,
    reaction_ms: reactionMs,
    clip: { frames: clip.frames.length, onset: clip.onset, offset: clip.offset, hold: clip.hold },
  };
}
