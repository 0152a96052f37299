// The liveness challenge, decided on the trusted host from the renderer's observations. The
// host picks when to say "now smile" (a random delay after the face has been neutral for a
// while); only a smile whose onset follows that prompt within a human reaction window counts.
// Within the session: one face, a continuous track (a cut between two pictures is refused),
// never a frozen picture, the same identity in every good frame, a neutral face before the prompt.
// The session is a state machine fed observations in capture order; it never blocks.
import type { FaceObservation, ObservedFace } from '../contract/vision.js';
import type { FaceConfig } from './config.js';
import { continuity } from './track.js';
import { euclidean, fuseDescriptors } from './fuse.js';

export type LivenessFailure =
  | 'FACE_MULTIPLE'
  | 'FACE_LOST'
  | 'FACE_TRACK_BROKEN'
  | 'FACE_FROZEN'
  | 'FACE_IDENTITY_CHANGED'
  | 'FACE_SMILED_EARLY'
  | 'FACE_SMILE_TOO_FAST'
  | 'FACE_NO_SMILE'
  | 'FACE_NO_NEUTRAL'
  | 'FACE_TOO_FEW_GOOD_FRAMES';

/** What the cashier (and the customer) reads for each failure: something they can act on. */
export const LIVENESS_MESSAGES: Record<LivenessFailure, string> = {
  FACE_MULTIPLE: 'One person at a time, please: more than one face is close to the camera.',
  FACE_LOST: 'The face left the camera after the prompt. Try again, looking at the screen.',
  FACE_TRACK_BROKEN: 'The picture jumped between two faces or two photos: possible spoof. Ask for another payment method if it repeats.',
  FACE_FROZEN: 'The picture does not move: a photo or a paused screen. A live customer must stand in front of the camera.',
  FACE_IDENTITY_CHANGED: 'A different person appeared during the check. One person at a time, please.',
  FACE_SMILED_EARLY: 'Smiled before the prompt. Please keep a neutral face and smile only when the screen says so.',
  FACE_SMILE_TOO_FAST: 'The smile came before anyone could have seen the prompt: possible recording. Try again.',
  FACE_NO_SMILE: 'No smile after the prompt. Smile when the screen says "now smile".',
  FACE_NO_NEUTRAL: 'The face was not neutral before the prompt. Relax your face, then smile when asked.',
  FACE_TOO_FEW_GOOD_FRAMES: 'The camera could not see the face clearly enough. Face the camera in good light.',
};

export type SessionState =
  | { status: 'waiting'; prompt_at_ms: number | null }
  | { status: 'prompt'; prompt_at_ms: number }
  | { status: 'accepted'; prompt_at_ms: number; onset_at_ms: number; reaction_ms: number; decided_at_ms: number; descriptor: number[]; good_frames: number }
  | { status: 'refused'; code: LivenessFailure; message: string; at_ms: number; detail: string };

export interface SessionOptions {
  /** Force the prompt this long after the session's first frame (tests and eval); otherwise random. */
  prompt_after_ms?: number;
  /** Uniform [0, 1) source for the prompt delay; the kiosk uses a CSPRNG. */
  random?: () => number;
}

export class LivenessSession {
  private state: SessionState = { status: 'waiting', prompt_at_ms: null };
  private startMs: number | null = null;
  private prev: { face: ObservedFace; at_ms: number; hash: number } | null = null;
  private frozenRun = 0;
  private neutralSinceMs: number | null = null;
  private promptAtMs: number | null = null;
  private earlySmiles = 0;
  private onsetMs: number | null = null;
  private smileFrames = 0;
  private readonly descriptors: number[][] = [];
  readonly log: string[] = [];

  constructor(private readonly cfg: FaceConfig['liveness'], private readonly opts: SessionOptions = {}) {}

  get current(): SessionState {
    return this.state;
  }

  private refuse(code: LivenessFailure, atMs: number, detail: string): SessionState {
    this.state = { status: 'refused', code, message: LIVENESS_MESSAGES[code], at_ms: atMs, detail };
    this.log.push(`${atMs.toFixed(0)} ms: refused ${code}: ${detail}`);
    return this.state;
  }

  private resetTrack(atMs: number, why: string): void {
    this.neutralSinceMs = null;
    this.descriptors.length = 0;
    if (this.opts.prompt_after_ms === undefined) this.promptAtMs = null;
    this.log.push(`${atMs.toFixed(0)} ms: track reset (${why})`);
  }

  /** The stream ended (or the kiosk gave up) before a decision: refuse with the reason so far. */
  finish(atMs: number): SessionState {
    if (this.state.status === 'accepted' || this.state.status === 'refused') return this.state;
    if (this.state.status === 'prompt') return this.refuse('FACE_NO_SMILE', atMs, 'the stream ended after the prompt without a smile');
    return this.refuse('FACE_NO_NEUTRAL', atMs, this.prev ? 'the stream ended before a steady neutral face allowed the prompt' : 'no face seen');
  }

  /** Feeds one observation (in capture order); returns the state after it. */
  push(obs: FaceObservation): SessionState {
    if (this.state.status === 'accepted' || this.state.status === 'refused') return this.state;
    const t = obs.captured_at_ms;
    this.startMs ??= t;
    const c = this.cfg;
    if (this.opts.prompt_after_ms !== undefined) this.promptAtMs ??= this.startMs + this.opts.prompt_after_ms;
    const prompted = this.promptAtMs !== null && t >= this.promptAtMs;
    if (t - this.startMs > c.session_ms_max) return this.refuse(prompted ? 'FACE_NO_SMILE' : 'FACE_NO_NEUTRAL', t, `no decision within ${c.session_ms_max} ms`);
    if (obs.faces_near > 1) return this.refuse('FACE_MULTIPLE', t, `${obs.faces_near} faces near the camera`);
    const face = obs.face;
    if (!face) {
      if (prompted) return this.refuse('FACE_LOST', t, 'no face after the prompt');
      this.prev = null;
      this.resetTrack(t, 'no face');
      return this.state;
    }
    // A frozen picture: the same pixels frame after frame.
    this.frozenRun = this.prev && this.prev.hash === obs.frame_hash ? this.frozenRun + 1 : 0;
    if (this.frozenRun >= c.frozen_frames_max) return this.refuse('FACE_FROZEN', t, `${this.frozenRun + 1} identical frames in a row`);
    if (this.prev) {
      const gap = t - this.prev.at_ms;
      const k = continuity(this.prev.face, face);
      const broken = gap > c.frame_gap_ms_max ? `${gap.toFixed(0)} ms between frames`
        : k.jump_eye_distances > c.jump_eye_distances_max ? `face moved ${k.jump_eye_distances.toFixed(2)} eye distances in one frame`
        : k.shape_change > c.shape_change_max ? `face shape changed by ${k.shape_change.toFixed(3)} in one frame`
        : k.upper_face_correlation < c.upper_face_correlation_min ? `upper face correlates ${k.upper_face_correlation.toFixed(3)} with the previous frame`
        : null;
      if (broken) {
        if (prompted) return this.refuse('FACE_TRACK_BROKEN', t, broken);
        this.resetTrack(t, broken);
      }
    }
    this.prev = { face, at_ms: t, hash: obs.frame_hash };
    if (face.descriptor) {
      if (this.descriptors.length > 0) {
        const ref = fuseDescriptors(this.descriptors.slice(0, 5));
        const d = euclidean(ref, face.descriptor);
        if (d > c.same_identity_distance_max) return this.refuse('FACE_IDENTITY_CHANGED', t, `descriptor ${d.toFixed(3)} from the session's first frames`);
      }
      this.descriptors.push(face.descriptor);
    }
    const smiling = face.smile >= c.smile_min;
    const neutral = face.smile <= c.neutral_max;
    if (!prompted) return this.beforePrompt(t, smiling, neutral);
    return this.afterPrompt(t, smiling);
  }

  private beforePrompt(t: number, smiling: boolean, neutral: boolean): SessionState {
    const c = this.cfg;
    if (smiling) {
      this.earlySmiles += 1;
      if (this.opts.prompt_after_ms !== undefined || this.earlySmiles > 1) return this.refuse('FACE_SMILED_EARLY', t, `smile ${this.earlySmiles} before the prompt`);
      this.neutralSinceMs = null;
      this.promptAtMs = null;
      this.log.push(`${t.toFixed(0)} ms: smiled before the prompt (first time: wait again)`);
      return this.state;
    }
    if (!neutral) {
      this.neutralSinceMs = null;
      if (this.opts.prompt_after_ms === undefined) this.promptAtMs = null;
      return this.state;
    }
    this.neutralSinceMs ??= t;
    if (this.promptAtMs === null && t - this.neutralSinceMs >= c.neutral_hold_ms) {
      const r = (this.opts.random ?? Math.random)();
      this.promptAtMs = t + c.prompt_delay_ms_min + r * (c.prompt_delay_ms_max - c.prompt_delay_ms_min);
      this.log.push(`${t.toFixed(0)} ms: neutral for ${c.neutral_hold_ms} ms; prompt scheduled at ${this.promptAtMs.toFixed(0)} ms`);
    }
    this.state = { status: 'waiting', prompt_at_ms: this.promptAtMs };
    return this.state;
  }

  private afterPrompt(t: number, smiling: boolean): SessionState {
    const c = this.cfg;
    const promptAt = this.promptAtMs!;
    if (this.state.status === 'waiting') {
      // The prompt has just been shown: the face must have been neutral up to it.
      const neutralFor = this.neutralSinceMs === null ? 0 : promptAt - this.neutralSinceMs;
      if (neutralFor < c.neutral_before_prompt_ms_min) return this.refuse('FACE_NO_NEUTRAL', t, `neutral for ${Math.max(0, neutralFor).toFixed(0)} ms before the prompt, ${c.neutral_before_prompt_ms_min} needed`);
      this.log.push(`${promptAt.toFixed(0)} ms: prompt "now smile" (neutral for ${neutralFor.toFixed(0)} ms)`);
      this.state = { status: 'prompt', prompt_at_ms: promptAt };
    }
    if (!smiling) {
      if (this.onsetMs !== null) {
        this.onsetMs = null; // a one-frame flicker is not an onset
        this.smileFrames = 0;
      }
      if (t - promptAt > c.reaction_ms_max) return this.refuse('FACE_NO_SMILE', t, `no smile within ${c.reaction_ms_max} ms of the prompt`);
      return this.state;
    }
    if (this.onsetMs === null) {
      this.onsetMs = t;
      const reaction = t - promptAt;
      this.log.push(`${t.toFixed(0)} ms: smile onset, ${reaction.toFixed(0)} ms after the prompt`);
      if (reaction < c.reaction_ms_min) return this.refuse('FACE_SMILE_TOO_FAST', t, `smile ${reaction.toFixed(0)} ms after the prompt, faster than ${c.reaction_ms_min} ms`);
      if (reaction > c.reaction_ms_max) return this.refuse('FACE_NO_SMILE', t, `smile ${reaction.toFixed(0)} ms after the prompt, later than ${c.reaction_ms_max} ms`);
    }
    this.smileFrames += 1;
    if (this.smileFrames < c.smile_hold_frames) return this.state;
    if (this.descriptors.length < c.fused_frames_min) return this.refuse('FACE_TOO_FEW_GOOD_FRAMES', t, `${this.descriptors.length} good frames, ${c.fused_frames_min} needed`);
    this.state = {
      status: 'accepted',
      prompt_at_ms: promptAt,
      onset_at_ms: this.onsetMs,
      reaction_ms: this.onsetMs - promptAt,
      decided_at_ms: t,
      descriptor: fuseDescriptors(this.descriptors),
      good_frames: this.descriptors.length,
    };
    this.log.push(`${t.toFixed(0)} ms: live (smile held ${this.smileFrames} frames, ${this.descriptors.length} descriptors fused)`);
    return this.state;
  }
}
