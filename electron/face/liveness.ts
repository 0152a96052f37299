// The liveness challenge, decided on the trusted host from the renderer's observations. The
// host picks when to say "now smile" (a random delay after the face has been neutral for a
// while); only a smile whose onset follows that prompt within a human reaction window counts.
// The challenge has `prompt_rounds` rounds: smile, relax back to neutral, smile again, each
// prompt at a fresh random moment, so a recording that smiles on its own schedule must land in
// every round's window (see the bound in config.ts). Each round's random moment is drawn once
// and stands: nothing the face does before the prompt (smiling, leaving, a cut) earns a new draw,
// or a recording could retry until a draw suits it.
// Within the session: one face, a continuous track (a cut between two pictures is refused; two
// frames far apart are let pass before the first prompt is drawn, and from then on compared
// across the gap, FACE_STALLED when the picture changed across it; a frame or two without a
// detected face inside the track is bridged, its neighbours compared), never a frozen picture,
// the same identity in every good frame, a neutral face before each prompt. Motion between two
// frames is allowed for the time between them; a fast move passes only when the shape and the
// appearance say it is the same face (what a cut changes). Fed in capture order; never blocks.
import type { FaceObservation, ObservedFace } from '../contract/vision.js';
import type { FaceConfig } from './config.js';
import { cutReason } from './track.js';
import { euclidean, fuseDescriptors } from './fuse.js';

export { LIVENESS_MESSAGES, type LivenessFailure } from './liveness-messages.js';
import { LIVENESS_MESSAGES, type LivenessFailure } from './liveness-messages.js';

/** `round` counts from 1 to `rounds`; between rounds the state is 'waiting' again (relax, then
 * keep a neutral face until the next prompt). Accepted reports the last round's prompt, onset
 * and reaction, and every round's reaction in `reactions_ms`. */
export type SessionState =
  | { status: 'waiting'; prompt_at_ms: number | null; round: number; rounds: number }
  | { status: 'prompt'; prompt_at_ms: number; round: number; rounds: number }
  | {
      status: 'accepted';
      prompt_at_ms: number;
      onset_at_ms: number;
      reaction_ms: number;
      reactions_ms: number[];
      rounds: number;
      decided_at_ms: number;
      descriptor: number[];
      good_frames: number;
    }
  | { status: 'refused'; code: LivenessFailure; message: string; at_ms: number; detail: string };

export interface SessionOptions {
  /** Force the first round's prompt this long after the session's first frame (tests and eval);
   * otherwise random. Later rounds are always drawn with `random`. */
  prompt_after_ms?: number;
  /** Uniform [0, 1) source for the prompt delay; the kiosk uses a CSPRNG. */
  random?: () => number;
  /** The earliest moment a cue drawn now could be shown (the host: its clock now plus the
   * display latency). A draw's whole range starts at or after it, so that the moment shown is
   * uniform over the range: a cue drawn sooner would be shown late, and every such draw on one
   * moment that a recording can aim at (red team 4, finding 1). Without it: the frame's time. */
  cue_not_before_ms?: () => number;
}

export class LivenessSession {
  private readonly rounds: number;
  private round = 1;
  private state: SessionState;
  private startMs: number | null = null;
  private prev: { face: ObservedFace; at_ms: number; hash: number } | null = null;
  private frozenRun = 0;
  private neutralSinceMs: number | null = null;
  /** This round's prompt moment, once drawn; it stands until the round is decided. */
  private promptAtMs: number | null = null;
  private onsetMs: number | null = null;
  /** With the relax cue: when the prompt ends and the smile must end, once drawn. */
  private relaxAtMs: number | null = null;
  private smileFrames = 0;
  /** Frame pairs too far apart to compare (the kiosk was busy), and the longest gap seen. */
  private coarseGaps = 0;
  private gapMaxMs = 0;
  /** Frames in a row without a detected face inside the track, and how many were bridged. */
  private holeFrames = 0;
  private holesBridged = 0;
  private readonly reactionsMs: number[] = [];
  private readonly descriptors: number[][] = [];
  readonly log: string[] = [];

  constructor(
    private readonly cfg: FaceConfig['liveness'],
    private readonly opts: SessionOptions = {},
  ) {
    if (!Number.isSafeInteger(cfg.prompt_rounds) || cfg.prompt_rounds < 1)
      throw new Error(`prompt_rounds: expected a positive integer, got ${cfg.prompt_rounds}`);
    this.rounds = cfg.prompt_rounds;
    this.state = { status: 'waiting', prompt_at_ms: null, round: 1, rounds: this.rounds };
  }

  get current(): SessionState {
    return this.state;
  }

  private refuse(code: LivenessFailure, atMs: number, detail: string): SessionState {
    this.state = { status: 'refused', code, message: LIVENESS_MESSAGES[code], at_ms: atMs, detail };
    this.log.push(`${atMs.toFixed(0)} ms: refused ${code}: ${detail} (${this.gaps()})`);
    return this.state;
  }

  /** Where a draw's range starts: `minMs` after the frame at `t`, or at the earliest moment the
   * cue could be shown, whichever is later (fixed before the draw, so the range stays whole). */
  private drawnFrom(t: number, minMs: number): number {
    return Math.max(t + minMs, this.opts.cue_not_before_ms?.() ?? -Infinity);
  }

  /** For the log: how smoothly the frames came. */
  private gaps(): string {
    return `longest gap between frames ${this.gapMaxMs.toFixed(0)} ms, ${this.coarseGaps} gaps over ${this.cfg.frame_gap_ms_max} ms, ${this.holesBridged} faceless frames bridged`;
  }

  private waiting(): SessionState {
    this.state = { status: 'waiting', prompt_at_ms: this.promptAtMs, round: this.round, rounds: this.rounds };
    return this.state;
  }

  /** The face left or the picture jumped before a prompt. Before any round has passed the
   * customer may still be settling: start the identity over (a drawn prompt still stands).
   * After a round has passed, what passed it must be what finishes: refuse. */
  private trackLost(
    code: 'FACE_LOST' | 'FACE_TRACK_BROKEN' | 'FACE_STALLED',
    atMs: number,
    why: string,
  ): SessionState | null {
    if (this.reactionsMs.length > 0)
      return this.refuse(code, atMs, `${why}, after round ${this.reactionsMs.length} of ${this.rounds} had passed`);
    this.neutralSinceMs = null;
    this.descriptors.length = 0;
    this.log.push(`${atMs.toFixed(0)} ms: track reset (${why})`);
    return null;
  }

  /** The host showed this round's prompt at `atMs` (its send time plus the display latency, on
   * the frames' timeline), at or after the drawn moment: reactions count from then. Allowed only
   * while the drawn prompt is still ahead of every frame seen (status 'waiting'). */
  promptShownAt(atMs: number): SessionState {
    if (this.state.status !== 'waiting' || this.promptAtMs === null || !(atMs >= this.promptAtMs))
      throw new Error(
        `promptShownAt(${atMs}): expected a drawn prompt not yet reached, at or before it (drawn ${this.promptAtMs}, ${this.state.status})`,
      );
    this.log.push(`${atMs.toFixed(0)} ms: prompt ${this.round} shown (drawn for ${this.promptAtMs.toFixed(0)} ms)`);
    this.promptAtMs = atMs;
    return this.waiting();
  }

  /** The relax cue's drawn moment while the smile is held (the host takes the prompt away then). */
  get relaxDueAtMs(): number | null {
    return this.state.status === 'prompt' ? this.relaxAtMs : null;
  }

  /** The host took the prompt away at `atMs` (at or after the drawn cue): the relax counts from then. */
  relaxShownAt(atMs: number): void {
    if (this.relaxDueAtMs === null || !(atMs >= this.relaxDueAtMs))
      throw new Error(`relaxShownAt(${atMs}): expected a drawn relax cue at or before it (${this.relaxAtMs})`);
    this.log.push(`${atMs.toFixed(0)} ms: relax cue shown (drawn for ${this.relaxDueAtMs.toFixed(0)} ms)`);
    this.relaxAtMs = atMs;
  }

  /** The stream ended (or the kiosk gave up) before a decision: refuse with the reason so far. */
  finish(atMs: number): SessionState {
    if (this.state.status === 'accepted' || this.state.status === 'refused') return this.state;
    if (this.relaxAtMs !== null)
      return this.refuse('FACE_NO_NEUTRAL', atMs, 'the stream ended before the smile ended after the relax cue');
    if (this.state.status === 'prompt')
      return this.refuse('FACE_NO_SMILE', atMs, `the stream ended after prompt ${this.round} without a smile`);
    return this.refuse(
      'FACE_NO_NEUTRAL',
      atMs,
      this.prev ? `the stream ended before a steady neutral face allowed prompt ${this.round}` : 'no face seen',
    );
  }

  /** Feeds one observation (in capture order); returns the state after it. */
  push(obs: FaceObservation): SessionState {
    if (this.state.status === 'accepted' || this.state.status === 'refused') return this.state;
    const t = obs.captured_at_ms;
    this.startMs ??= t;
    const c = this.cfg;
    if (this.opts.prompt_after_ms !== undefined && this.round === 1)
      this.promptAtMs ??= this.startMs + this.opts.prompt_after_ms;
    const prompted = this.promptAtMs !== null && t >= this.promptAtMs;
    if (t - this.startMs > c.session_ms_max)
      return this.refuse(
        prompted ? 'FACE_NO_SMILE' : 'FACE_NO_NEUTRAL',
        t,
        `no decision within ${c.session_ms_max} ms (round ${this.round} of ${this.rounds})`,
      );
    if (obs.faces_near > 1) return this.refuse('FACE_MULTIPLE', t, `${obs.faces_near} faces near the camera`);
    const face = obs.face;
    if (!face) {
      // A short hole in the detections inside a track is bridged: the frames on either side are
      // compared as neighbours (below), so the hole hides no cut.
      if (this.prev && this.holeFrames < c.detection_gap_frames_max && t - this.prev.at_ms <= c.detection_gap_ms_max) {
        this.holeFrames += 1;
        this.holesBridged += 1;
        if (prompted && this.state.status === 'waiting') return this.enterPrompt(t);
        return this.state;
      }
      if (prompted) return this.refuse('FACE_LOST', t, `no face after prompt ${this.round}`);
      this.prev = null;
      return this.trackLost('FACE_LOST', t, 'no face') ?? this.state;
    }
    const bridged = this.holeFrames > 0; // unseen frames in between: no fast-motion allowance
    this.holeFrames = 0;
    // The same pixels as the last frame: nothing moved, not even the sensor's noise (a live face
    // holding a smile still changes every frame). A repeat adds no evidence and is skipped: the
    // next different frame is compared with the last different one across the time between (the
    // gap rules), so a freeze hides no cut. The same picture for frozen_ms_max is a frozen stream.
    if (this.prev && this.prev.hash === obs.frame_hash) {
      this.frozenRun += 1;
      if (t - this.prev.at_ms >= c.frozen_ms_max)
        return this.refuse(
          'FACE_FROZEN',
          t,
          `the same picture for ${(t - this.prev.at_ms).toFixed(0)} ms (${this.frozenRun + 1} identical frames)`,
        );
      return this.state;
    }
    this.frozenRun = 0;
    const gapMs = this.prev ? t - this.prev.at_ms : 0;
    this.gapMaxMs = Math.max(this.gapMaxMs, gapMs);
    // From the moment a prompt is drawn until the last round passes, every two frames are
    // compared, across a gap too: a gap could hide a cut to a picture made to answer the prompt.
    // Across a gap the face may have moved further (the allowance grows with the gap, at most
    // 3x); a picture that changed across it, or a gap over stall_ms_max, is FACE_STALLED: the
    // kiosk's fault as far as it can tell, and the customer tries again. Before the first draw a
    // gap is let pass (what is in front of the camera then must answer every prompt under watch).
    const watched = this.promptAtMs !== null || this.reactionsMs.length > 0;
    const when = prompted ? `after prompt ${this.round}` : `while prompt ${this.round} was due`;
    if (this.prev && gapMs > c.stall_ms_max && watched) {
      return this.refuse('FACE_STALLED', t, `${gapMs.toFixed(0)} ms between frames ${when}`);
    } else if (this.prev && gapMs > c.frame_gap_ms_max && watched) {
      const broken = cutReason(c, this.prev.face, face, gapMs, 'gap');
      if (broken)
        return this.refuse(
          'FACE_STALLED',
          t,
          `${gapMs.toFixed(0)} ms between frames ${when}, and across them ${broken}`,
        );
      this.coarseGaps += 1;
    } else if (this.prev && gapMs > c.stall_ms_max) {
      const refused = this.trackLost('FACE_STALLED', t, `${gapMs.toFixed(0)} ms between frames`);
      if (refused) return refused;
    } else if (this.prev && gapMs > c.frame_gap_ms_max) {
      this.coarseGaps += 1; // before the first draw: too far apart to compare at camera rate
    } else if (this.prev) {
      const broken = cutReason(c, this.prev.face, face, gapMs, bridged ? 'hole' : 'frame');
      if (broken) {
        if (prompted) return this.refuse('FACE_TRACK_BROKEN', t, broken);
        const refused = this.trackLost('FACE_TRACK_BROKEN', t, broken);
        if (refused) return refused;
      }
    }
    this.prev = { face, at_ms: t, hash: obs.frame_hash };
    if (face.descriptor) {
      if (this.descriptors.length > 0) {
        const ref = fuseDescriptors(this.descriptors.slice(0, 5));
        const d = euclidean(ref, face.descriptor);
        if (d > c.same_identity_distance_max)
          return this.refuse('FACE_IDENTITY_CHANGED', t, `descriptor ${d.toFixed(3)} from the session's first frames`);
      }
      this.descriptors.push(face.descriptor);
    }
    const smiling = face.smile >= c.smile_min;
    const neutral = face.smile <= c.neutral_max;
    if (!prompted) return this.beforePrompt(t, smiling, neutral);
    return this.afterPrompt(t, face.smile, gapMs);
  }

  private beforePrompt(t: number, smiling: boolean, neutral: boolean): SessionState {
    const c = this.cfg;
    if (!neutral) {
      // Once this round's moment is drawn, a smile before it is a guess (or a recording).
      if (smiling && this.promptAtMs !== null)
        return this.refuse('FACE_SMILED_EARLY', t, `smile before prompt ${this.round} of ${this.rounds}`);
      this.neutralSinceMs = null; // not drawn yet: still relaxing or settling; wait for neutral
      return this.waiting();
    }
    this.neutralSinceMs ??= t;
    if (this.promptAtMs === null && t - this.neutralSinceMs >= c.neutral_hold_ms) {
      const r = (this.opts.random ?? Math.random)();
      if (!(r >= 0 && r < 1)) throw new Error(`random: expected a number in [0, 1), got ${r}`);
      this.promptAtMs = this.drawnFrom(t, c.prompt_delay_ms_min) + r * (c.prompt_delay_ms_max - c.prompt_delay_ms_min);
      this.log.push(
        `${t.toFixed(0)} ms: neutral for ${c.neutral_hold_ms} ms; prompt ${this.round} of ${this.rounds} drawn for ${this.promptAtMs.toFixed(0)} ms`,
      );
    }
    return this.waiting();
  }

  /** The prompt's moment has come: the face must have been neutral up to it. */
  private enterPrompt(t: number): SessionState {
    const c = this.cfg;
    const promptAt = this.promptAtMs!;
    const neutralFor = this.neutralSinceMs === null ? 0 : promptAt - this.neutralSinceMs;
    if (neutralFor < c.neutral_before_prompt_ms_min)
      return this.refuse(
        'FACE_NO_NEUTRAL',
        t,
        `neutral for ${Math.max(0, neutralFor).toFixed(0)} ms before prompt ${this.round}, ${c.neutral_before_prompt_ms_min} needed`,
      );
    this.log.push(
      `${promptAt.toFixed(0)} ms: prompt ${this.round} of ${this.rounds} "now smile" (neutral for ${neutralFor.toFixed(0)} ms)`,
    );
    this.state = { status: 'prompt', prompt_at_ms: promptAt, round: this.round, rounds: this.rounds };
    return this.state;
  }

  private afterPrompt(t: number, smile: number, gapMs: number): SessionState {
    const smiling = smile >= this.cfg.smile_min;
    const c = this.cfg;
    const promptAt = this.promptAtMs!;
    if (this.relaxAtMs !== null) return this.afterSmile(t, smile, gapMs);
    if (this.state.status === 'waiting' && this.enterPrompt(t).status === 'refused') return this.state;
    if (!smiling) {
      if (this.onsetMs !== null) {
        this.onsetMs = null; // a one-frame flicker is not an onset
        this.smileFrames = 0;
      }
      if (t - promptAt > c.reaction_ms_max)
        return this.refuse('FACE_NO_SMILE', t, `no smile within ${c.reaction_ms_max} ms of prompt ${this.round}`);
      return this.state;
    }
    if (this.onsetMs === null) {
      // The smile began somewhere in a gap too long to compare across: neither when it began nor
      // whether the picture was cut to it is known. The kiosk's fault, not the customer's.
      if (gapMs > c.frame_gap_ms_max)
        return this.refuse(
          'FACE_STALLED',
          t,
          `smile first seen after ${gapMs.toFixed(0)} ms without a frame, after prompt ${this.round}`,
        );
      this.onsetMs = t;
      const reaction = t - promptAt;
      this.log.push(`${t.toFixed(0)} ms: smile onset, ${reaction.toFixed(0)} ms after prompt ${this.round}`);
      if (reaction < c.reaction_ms_min)
        return this.refuse(
          'FACE_SMILE_TOO_FAST',
          t,
          `smile ${reaction.toFixed(0)} ms after prompt ${this.round}, faster than ${c.reaction_ms_min} ms`,
        );
      if (reaction > c.reaction_ms_max)
        return this.refuse(
          'FACE_NO_SMILE',
          t,
          `smile ${reaction.toFixed(0)} ms after prompt ${this.round}, later than ${c.reaction_ms_max} ms`,
        );
    }
    this.smileFrames += 1;
    if (this.smileFrames < c.smile_hold_frames) return this.state;
    const onset = this.onsetMs;
    this.reactionsMs.push(onset - promptAt);
    if (this.round < this.rounds) {
      this.log.push(
        `${t.toFixed(0)} ms: round ${this.round} of ${this.rounds} passed; relax, then keep a neutral face for the next prompt`,
      );
      this.round += 1;
      this.promptAtMs = null;
      this.neutralSinceMs = null;
      this.onsetMs = null;
      this.smileFrames = 0;
      return this.waiting();
    }
    if (c.relax_cue) {
      // Hold the smile: the prompt stays on until a moment drawn now, after which the smile must
      // end within the relax window (a second timed reaction, without waiting for a smile to
      // fade and a new neutral hold).
      const r = (this.opts.random ?? Math.random)();
      if (!(r >= 0 && r < 1)) throw new Error(`random: expected a number in [0, 1), got ${r}`);
      this.relaxAtMs = this.drawnFrom(t, c.relax_delay_ms_min) + r * (c.relax_delay_ms_max - c.relax_delay_ms_min);
      this.log.push(
        `${t.toFixed(0)} ms: smile held ${this.smileFrames} frames; relax cue drawn for ${this.relaxAtMs.toFixed(0)} ms`,
      );
      return this.state;
    }
    return this.accept(t, promptAt, onset);
  }

  /** After the smile: keep smiling until the relax cue, then relax within the window. */
  private afterSmile(t: number, smile: number, gapMs: number): SessionState {
    const c = this.cfg;
    const relaxAt = this.relaxAtMs!;
    if (t < relaxAt) {
      if (smile <= c.neutral_max)
        return this.refuse(
          'FACE_NO_SMILE',
          t,
          `the smile ended ${(relaxAt - t).toFixed(0)} ms before the relax cue (keep smiling while the prompt shows)`,
        );
      return this.state;
    }
    if (this.state.status === 'prompt') {
      this.log.push(`${relaxAt.toFixed(0)} ms: relax cue (the prompt ends)`);
      this.state = { status: 'waiting', prompt_at_ms: null, round: this.round, rounds: this.rounds };
    }
    if (smile >= c.smile_min) {
      if (t - relaxAt > c.relax_reaction_ms_max)
        return this.refuse('FACE_NO_NEUTRAL', t, `still smiling ${(t - relaxAt).toFixed(0)} ms after the relax cue`);
      return this.state;
    }
    if (gapMs > c.frame_gap_ms_max)
      return this.refuse('FACE_STALLED', t, `smile first seen ended after ${gapMs.toFixed(0)} ms without a frame`);
    const reaction = t - relaxAt;
    this.log.push(`${t.toFixed(0)} ms: smile ended, ${reaction.toFixed(0)} ms after the relax cue`);
    if (reaction < c.relax_reaction_ms_min)
      return this.refuse(
        'FACE_SMILE_TOO_FAST',
        t,
        `the smile ended ${reaction.toFixed(0)} ms after the relax cue, faster than ${c.relax_reaction_ms_min} ms`,
      );
    if (reaction > c.relax_reaction_ms_max)
      return this.refuse('FACE_NO_NEUTRAL', t, `the smile ended ${reaction.toFixed(0)} ms after the relax cue`);
    this.reactionsMs.push(reaction);
    return this.accept(t, this.promptAtMs!, this.onsetMs!);
  }

  private accept(t: number, promptAt: number, onset: number): SessionState {
    const c = this.cfg;
    if (this.descriptors.length < c.fused_frames_min)
      return this.refuse(
        'FACE_TOO_FEW_GOOD_FRAMES',
        t,
        `${this.descriptors.length} good frames, ${c.fused_frames_min} needed`,
      );
    this.state = {
      status: 'accepted',
      prompt_at_ms: promptAt,
      onset_at_ms: onset,
      reaction_ms: onset - promptAt,
      reactions_ms: [...this.reactionsMs],
      rounds: this.rounds,
      decided_at_ms: t,
      descriptor: fuseDescriptors(this.descriptors),
      good_frames: this.descriptors.length,
    };
    this.log.push(
      `${t.toFixed(0)} ms: live (${this.rounds} rounds${c.relax_cue ? ' and the relax cue' : ''}, reactions ${this.reactionsMs.map((r) => r.toFixed(0)).join(', ')} ms; ${this.descriptors.length} descriptors fused; ${this.gaps()})`,
    );
    return this.state;
  }
}
