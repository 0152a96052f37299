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
import { FacePipeline, type PipelineOptions } from '../../vision/pipeline.js';
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
  /** Two full-smile frames (>= smile_min) the customer rocks between while holding a smile; the
   * frames from onset to hold[0] are the smile building up (none in d0: it jumps). */
  hold: [number, number];
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
  if (offset - onset < 2) throw new Error(`smileClip: a smile of ${offset - onset} frame(s) cannot be held`);
  return { frames, onset, offset, hold: [onset, onset + 1] };
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
 * Frame indices of a timed replay made for the relax cue: neutral, the smile rising at output
 * frame `onsetFrame` and held (rocking between the clip's hold frames), relaxing back to neutral
 * from output frame `relaxFrame` (the first frame under the smile there), neutral to `total`.
 */
export function timedReplayRelaxIndices(
  clip: SmileClip,
  onsetFrame: number,
  relaxFrame: number,
  total: number,
): number[] {
  const edge = clip.onset - 1;
  const rise: number[] = [];
  for (let i = clip.onset; i <= clip.hold[0]; i++) rise.push(i);
  const lead = onsetFrame - (clip.hold[0] - clip.onset);
  if (lead < 1 || relaxFrame <= onsetFrame)
    throw new Error(`timedReplayRelaxIndices: onset ${onsetFrame}, relax ${relaxFrame}`);
  const out = neutralWalk(clip, 'before', lead);
  out.push(...rise);
  for (let k = 0; out.length < relaxFrame; k++) out.push(clip.hold[k % 2]!);
  for (let i = out[out.length - 1]! - 1; i > edge; i--) out.push(i);
  if (total > out.length) out.push(...neutralWalk(clip, 'before', total - out.length));
  return out.slice(0, total);
}

/** Where a replay made for the relax cue smiles and relaxes: the onset as replayOnsetFrames puts
 * it, the end of the smile in the middle of the relax delay plus the middle of its window. */
export function replayRelaxFrames(clip: SmileClip, cfg: FaceConfig['liveness']): { onset: number; relax: number } {
  const [onset] = replayOnsetFrames(clip, cfg, 1) as [number];
  const confirm = onset + cfg.smile_hold_frames - 1; // the frame the kiosk confirms the smile on
  const lead =
    (cfg.relax_delay_ms_min + cfg.relax_delay_ms_max) / 2 + (cfg.relax_reaction_ms_min + cfg.relax_reaction_ms_max) / 2;
  // The relax path's first frame is already under the smile when it leaves a hold frame.
  return { onset, relax: confirm + Math.round(lead / FRAME_MS) };
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
 * waiting (rocking over the neutral frames before the smile); once a prompt is on screen (state
 * 'prompt': the customer cannot know it earlier), `reactionMs` after it, smiles (the clip's rise
 * to a full smile) and holds it (rocking between two full-smile frames); when the prompt ends
 * (the relax cue, or the round passed), relaxes `reactionMs` later, back to the neutral frames,
 * and waits there for the next prompt.
 */
export async function playReactingCustomer(
  v: NodeVision,
  clip: SmileClip,
  session: LivenessSession,
  reactionMs: number,
  framesMax: number,
  options: { realTime?: boolean; observeEvery?: number; pipeline?: Partial<PipelineOptions> } = {},
): Promise<CustomerRun> {
  // A busy kiosk sees only every observeEvery-th camera frame; the customer goes on regardless.
  const every = options.observeEvery ?? 1;
  if (!Number.isSafeInteger(every) || every < 1)
    throw new Error(`observeEvery: expected a positive integer, got ${every}`);
  const pipe = new FacePipeline(v.faceapi, v.backend, options.pipeline);
  // In real time, frame j is captured at start + j * FRAME_MS and processed when it arrives
  // (or as soon as the pipeline is free), as a camera at STREAM_FPS would deliver it.
  const start = performance.now();
  const { edge, room } = edgeOf(clip, 'before');
  const wander = Math.min(NEUTRAL_WANDER_FRAMES, room);
  let pos = edge;
  let dir = 1;
  let mode: 'neutral' | 'rising' | 'holding' | 'relaxing' = 'neutral';
  let reactedTo: number | null = null;
  let relaxAt: number | null = null;
  let k = 0;
  const prompts: number[] = [];
  const onsets: number[] = [];
  let state = session.current;
  let j = 0;
  for (; j < framesMax; j++) {
    const t = j * FRAME_MS;
    const promptAt = state.status === 'prompt' ? state.prompt_at_ms : null;
    if (promptAt !== null && prompts[prompts.length - 1] !== promptAt) prompts.push(promptAt);
    if (mode === 'neutral') {
      if (promptAt !== null && promptAt !== reactedTo && pos === edge && t >= promptAt + reactionMs) {
        mode = 'rising';
        reactedTo = promptAt;
      } else if (promptAt !== null)
        pos = pos === edge ? edge - Math.min(1, room) : edge; // rock at the edge
      else {
        if (edge - pos >= wander) dir = 1;
        if (pos >= edge) dir = -1;
        pos += wander > 0 ? dir : 0;
      }
    }
    if (mode === 'rising') {
      pos = pos < clip.onset ? clip.onset : pos + 1;
      if (pos >= clip.hold[0]) {
        pos = clip.hold[0];
        onsets.push(t);
        mode = 'holding';
      }
    } else if (mode === 'holding') {
      if (relaxAt === null && state.status !== 'prompt') relaxAt = t - FRAME_MS + reactionMs; // the cue came with the last frame
      if (relaxAt !== null && t >= relaxAt) {
        mode = 'relaxing';
        relaxAt = null;
        pos = clip.hold[0] - 1;
      } else pos = clip.hold[k++ % 2]!;
    } else if (mode === 'relaxing') {
      pos -= 1;
    }
    if (mode === 'relaxing' && pos <= edge) {
      pos = edge;
      mode = 'neutral';
    }
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

/** The frame indices of a timed replay made for `cfg` (smile rounds, then the relax cue if on),
 * with where it smiles and relaxes (output frames). */
export function timedReplayFor(
  clip: SmileClip,
  cfg: FaceConfig['liveness'],
): { indices: number[]; onsets: number[]; relax: number | null } {
  if (cfg.relax_cue) {
    if (cfg.prompt_rounds !== 1) throw new Error('timedReplayFor: the relax cue is made for one smile round');
    const { onset, relax } = replayRelaxFrames(clip, cfg);
    return { indices: timedReplayRelaxIndices(clip, onset, relax, relax + 20), onsets: [onset], relax };
  }
  const onsets = replayOnsetFrames(clip, cfg, cfg.prompt_rounds);
  const total = onsets[onsets.length - 1]! + (clip.offset - clip.onset) + 15;
  return { indices: timedReplayIndices(clip, onsets, total), onsets, relax: null };
}
