// Camera streams scripted from the frames of one real recording that goes neutral -> smile ->
// neutral (the fixture d0): a timed replay (a recording made for the kiosk, started in time with
// it, whose smiles come at moments fixed in advance) and a reacting customer (who watches the
// kiosk's state and smiles a human reaction time after each prompt). Both only ever move one
// frame of the recording at a time, forwards or backwards, so the face track stays continuous:
// what the liveness session sees is real pipeline output of real frames, in a plausible order.
import type { FaceObservation, RgbFrame } from '../../electron/contract/vision.js';
import type { FaceConfig } from '../../electron/face/config.js';
import type { LivenessSession, SessionState } from '../../electron/face/liveness.js';
import type { NodeVision } from '../../native/backend.node.js';
import { FacePipeline } from '../../vision/pipeline.js';
import { STREAM_FPS } from './harness.js';

export const FRAME_MS = 1000 / STREAM_FPS;
/** How far (in frames) a neutral stretch wanders from the frame next to the smile. */
const NEUTRAL_WANDER_FRAMES = 4;

/** A recording's three parts, as frame indices: neutral [0, onset), smile [onset, offset),
 * neutral again [offset, frames). */
export interface SmileClip {
  frames: RgbFrame[];
  onset: number;
  offset: number;
}

/** Finds the smile in a recording from the pipeline's own scores (no hard-coded frame numbers). */
export function smileClip(frames: RgbFrame[], obs: FaceObservation[], cfg: FaceConfig['liveness']): SmileClip {
  const smile = (i: number): number => obs[i]?.face?.smile ?? 0;
  const onset = obs.findIndex((o) => (o.face?.smile ?? 0) >= cfg.smile_min);
  if (onset < 2) throw new Error(`smileClip: expected a neutral start then a smile, smile onset at frame ${onset}`);
  let offset = onset;
  while (offset < frames.length && smile(offset) > cfg.neutral_max) offset += 1;
  if (offset >= frames.length - 2)
    throw new Error(`smileClip: expected neutral frames after the smile (${onset}..${offset} of ${frames.length})`);
  for (let i = 0; i < onset; i++)
    if (smile(i) > cfg.neutral_max)
      throw new Error(`smileClip: frame ${i} before the onset is not neutral (${smile(i)})`);
  for (let i = onset; i < offset; i++)
    if (smile(i) < cfg.smile_min) throw new Error(`smileClip: frame ${i} inside the smile scores ${smile(i)}`);
  return { frames, onset, offset };
}

type Side = 'before' | 'after';

/** The neutral frame next to the smile on one side, and the direction away from it. */
function edgeOf(clip: SmileClip, side: Side): { edge: number; away: number; room: number } {
  return side === 'before'
    ? { edge: clip.onset - 1, away: -1, room: clip.onset - 1 }
    : { edge: clip.offset, away: 1, room: clip.frames.length - 1 - clip.offset };
}

/** `count` neutral frame indices that start and end on the edge frame, wandering up to
 * NEUTRAL_WANDER_FRAMES away and back (one repeated frame where parity demands it). */
function neutralWalk(clip: SmileClip, side: Side, count: number): number[] {
  const { edge, away, room } = edgeOf(clip, side);
  const wander = Math.min(NEUTRAL_WANDER_FRAMES, room);
  const out: number[] = [];
  let d = 0;
  let dir = 1;
  for (let j = 0; j < count; j++) {
    out.push(edge + away * d);
    const left = count - 1 - j;
    if (left === 0) break;
    if (d + 1 > left - 1)
      d = d > 0 ? d - 1 : d; // must head back (or stay a frame) to end on the edge
    else {
      if (d >= wander) dir = -1;
      if (d <= 0) dir = 1;
      d += wander > 0 ? dir : 0;
    }
  }
  return out;
}

/** The smile played through from one side to the other (onset first, relaxing at the end). */
function smileThrough(clip: SmileClip, from: Side): number[] {
  const out: number[] = [];
  for (let i = clip.onset; i < clip.offset; i++) out.push(i);
  return from === 'before' ? out : out.reverse();
}

/**
 * Frame indices of a timed replay: neutral, then a smile whose onset is at output frame
 * `onsetFrames[0]`, relaxing back to neutral, then the next smile at `onsetFrames[1]`, ...,
 * padded with neutral frames to `total`. Smiles alternate direction through the clip.
 */
export function timedReplayIndices(clip: SmileClip, onsetFrames: number[], total: number): number[] {
  const out: number[] = [];
  let side: Side = 'before';
  for (const f of onsetFrames) {
    if (f <= out.length)
      throw new Error(`timedReplayIndices: onset at frame ${f} leaves no neutral lead after frame ${out.length}`);
    out.push(...neutralWalk(clip, side, f - out.length));
    out.push(...smileThrough(clip, side));
    side = side === 'before' ? 'after' : 'before';
  }
  if (total > out.length) out.push(...neutralWalk(clip, side, total - out.length));
  return out.slice(0, total);
}

/**
 * Where a replay made for this configuration puts its smiles: each onset in the middle of the
 * range the prompt can fall in plus the middle of the reaction window, counted from the moment
 * the kiosk draws that round's prompt (a steady neutral face for neutral_hold_ms, which the
 * recording controls). Any placement whose window lies inside the delay range does as well;
 * none does better (see electron/face/config.ts).
 */
export function replayOnsetFrames(clip: SmileClip, cfg: FaceConfig['liveness'], rounds: number): number[] {
  const frameAt = (ms: number): number => Math.ceil(ms / FRAME_MS - 1e-9);
  const lead =
    (cfg.prompt_delay_ms_min + cfg.prompt_delay_ms_max) / 2 + (cfg.reaction_ms_min + cfg.reaction_ms_max) / 2;
  const onsets: number[] = [];
  let neutralFrom = 0; // output frame where the current neutral stretch starts
  for (let r = 0; r < rounds; r++) {
    const drawFrame = neutralFrom + frameAt(cfg.neutral_hold_ms);
    const onset = drawFrame + Math.round(lead / FRAME_MS);
    onsets.push(onset);
    neutralFrom = onset + (clip.offset - clip.onset); // first neutral frame after this smile
  }
  return onsets;
}

/** Runs the real pipeline over frames given by index, as a camera at STREAM_FPS would show them. */
export async function observeIndices(v: NodeVision, clip: SmileClip, indices: number[]): Promise<FaceObservation[]> {
  const pipe = new FacePipeline(v.faceapi, v.backend);
  const out: FaceObservation[] = [];
  for (let j = 0; j < indices.length; j++) out.push(await pipe.observe(clip.frames[indices[j]!]!, j * FRAME_MS));
  return out;
}

export interface CustomerRun {
  state: SessionState;
  /** When each prompt was shown and when the customer's smile reached the camera (ms). */
  prompts_ms: number[];
  onsets_ms: number[];
  frames: number;
  /** With `realTime`: wall-clock ms from the capture of the last smile's onset frame to the decision. */
  decided_wall_ms_after_onset: number | null;
}

/**
 * A customer in front of the kiosk, played live through the real pipeline: neutral while
 * waiting; once a prompt is on screen (state 'prompt': the customer cannot know it earlier),
 * moves to the frame next to the smile and, `reactionMs` after the prompt, smiles (the clip's
 * smile, through to its other neutral side); waits there for the next prompt.
 */
export async function playReactingCustomer(
  v: NodeVision,
  clip: SmileClip,
  session: LivenessSession,
  reactionMs: number,
  framesMax: number,
  options: { realTime?: boolean; observeEvery?: number } = {},
): Promise<CustomerRun> {
  // A busy kiosk sees only every observeEvery-th camera frame; the customer goes on regardless.
  const every = options.observeEvery ?? 1;
  if (!Number.isSafeInteger(every) || every < 1)
    throw new Error(`observeEvery: expected a positive integer, got ${every}`);
  const pipe = new FacePipeline(v.faceapi, v.backend);
  // In real time, frame j is captured at start + j * FRAME_MS and processed when it arrives
  // (or as soon as the pipeline is free), as a camera at STREAM_FPS would deliver it.
  const start = performance.now();
  let side: Side = 'before';
  let pos = edgeOf(clip, side).edge;
  let dir = 1;
  let smile: number[] = [];
  const prompts: number[] = [];
  const onsets: number[] = [];
  let state = session.current;
  let j = 0;
  for (; j < framesMax; j++) {
    const t = j * FRAME_MS;
    if (smile.length === 0) {
      const { edge, away, room } = edgeOf(clip, side);
      const promptAt = state.status === 'prompt' ? state.prompt_at_ms : null;
      if (promptAt !== null && prompts[prompts.length - 1] !== promptAt) prompts.push(promptAt);
      const d = (pos - edge) * away; // frames from the edge into the neutral side (< 0: still in the smile)
      if (d < 0)
        pos += away; // the last smile frame: step out into the neutral side
      else if (promptAt !== null && d === 0 && t >= promptAt + reactionMs) {
        smile = smileThrough(clip, side);
        side = side === 'before' ? 'after' : 'before';
        onsets.push(t);
      } else if (promptAt !== null) {
        pos = d === 0 ? edge + away * Math.min(1, room) : pos - away; // to the edge, then rock on it
      } else {
        if (d >= Math.min(NEUTRAL_WANDER_FRAMES, room)) dir = -1;
        if (d <= 0) dir = 1;
        pos += away * dir * (room > 0 ? 1 : 0);
      }
    }
    if (smile.length > 0) pos = smile.shift()!;
    if (j % every !== 0) continue;
    if (options.realTime) {
      const wait = start + t - performance.now();
      if (wait > 0) await new Promise((res) => setTimeout(res, wait));
    }
    const obs = await pipe.observe(clip.frames[pos]!, t);
    state = session.push(obs);
    if (state.status === 'accepted' || state.status === 'refused') break;
  }
  const decidedWall =
    options.realTime && state.status === 'accepted' ? performance.now() - (start + state.onset_at_ms) : null;
  if (state.status !== 'accepted' && state.status !== 'refused') state = session.finish(j * FRAME_MS);
  return { state, prompts_ms: prompts, onsets_ms: onsets, frames: j + 1, decided_wall_ms_after_onset: decidedWall };
}
