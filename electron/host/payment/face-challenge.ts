// The face challenge of one customer session (sessions.ts): the host's liveness challenge
// (electron/face/liveness) fed with the host's own observations of the screen's frames, on the
// host's clock, plus what
// the screen should say after each frame. The prompt is never announced ahead: when the moment
// the challenge drew comes (less the display latency), the host sends "now smile" (onPrompt),
// and the challenge counts the reaction from that send time plus the bounded, measured
// display-and-capture latency (security.prompt_display_latency_ms), whenever the timer actually
// fired: a late timer moves the prompt later, never the window earlier. A frame that reaches the
// drawn moment before the timer fired sends the prompt first. A session ends accepted (live,
// with a fused descriptor) or refused (with the reason); a host timer ends it when the frames
// stop coming (the stream's fault or the kiosk's, never a spoof). It keeps the good faces it
// saw, for enrolment. With the relax cue (liveness.relax_cue) the prompt is taken away the same
// way: the host sends "relax" at the drawn cue less the display latency, and the end of the smile
// counts from that send time plus the latency (a late timer moves the cue later).
import { randomInt } from 'node:crypto';
import type { FaceObservation, ObservedFace } from '../../contract/vision.js';
import type { Hint } from '../../contract/api.js';
import { LivenessSession, type SessionState } from '../../face/liveness.js';
import { ENROL_CAPTURES_MAX } from '../../face/enrol.js';
import { FACE_CONFIG, type FaceConfig } from '../../face/config.js';

/** A uniform [0, 1) from the CSPRNG: the prompt's moment must not be predictable. */
export const secureRandom = (): number => randomInt(0, 2 ** 47) / 2 ** 47;
/** After the challenge's own time limit, the host waits this long for a last frame, then ends it. */
export const SESSION_DEADLINE_GRACE_MS = 2_000;

export interface SessionTiming {
  /** From the send of "now smile" to the first frame that can show the response (limits.ts). */
  display_latency_ms: number;
  now: () => number;
}

export type FaceEvent = { kind: 'prompt' | 'relax'; sent_at_ms: number; shown_at_ms: number } | { kind: 'ended' };

export class FaceChallenge {
  readonly liveness: LivenessSession;
  readonly captures: ObservedFace[] = [];
  private lastAtMs = -1;
  /** The round whose prompt has been sent, while it is open. */
  private promptRound: number | null = null;
  private promptTimer: NodeJS.Timeout | undefined;
  /** The relax cue's timer, and whether the cue has been sent (the prompt taken away). */
  private relaxTimer: NodeJS.Timeout | undefined;
  private relaxSent = false;
  private readonly deadline: NodeJS.Timeout;
  private closed = false;
  hint: Hint | null = 'look_at_camera';

  constructor(
    private readonly timing: SessionTiming,
    private readonly onEvent: (e: FaceEvent) => void,
    readonly cfg: FaceConfig['liveness'] = FACE_CONFIG.liveness,
  ) {
    this.liveness = new LivenessSession(cfg, {
      random: secureRandom,
      // A cue is drawn no sooner than it can be sent and shown, so it is shown when drawn.
      cue_not_before_ms: () => this.timing.now() + this.timing.display_latency_ms,
    });
    this.deadline = setTimeout(() => {
      if (this.decided) return;
      this.liveness.finish(this.timing.now());
      this.cancel();
      this.onEvent({ kind: 'ended' });
    }, cfg.session_ms_max + SESSION_DEADLINE_GRACE_MS);
  }

  get state(): SessionState {
    return this.liveness.current;
  }

  get decided(): boolean {
    const s = this.state.status;
    return s === 'accepted' || s === 'refused';
  }

  /** The prompt has been drawn (its moment is fixed): from now on the frames' timing decides. */
  get drawn(): boolean {
    const s = this.state;
    return s.status === 'prompt' || s.status === 'accepted' || (s.status === 'waiting' && s.prompt_at_ms !== null);
  }

  /** "Now smile" is on the screen (sent, its round not yet over). */
  get prompting(): boolean {
    return this.promptRound !== null;
  }

  /** One observation, its captured_at_ms on the session's timeline (the host's clock). */
  push(obs: FaceObservation): SessionState {
    if (this.decided || this.closed) return this.state;
    // Observations must move forward in time; a stale or repeated one is ignored.
    if (obs.captured_at_ms <= this.lastAtMs) return this.state;
    this.lastAtMs = obs.captured_at_ms;
    const before = this.state;
    // A frame at or past the drawn moment: the prompt goes out now, before the frame counts.
    if (before.status === 'waiting' && before.prompt_at_ms !== null && obs.captured_at_ms >= before.prompt_at_ms)
      this.sendPrompt();
    const relaxAt = this.liveness.relaxDueAtMs;
    if (relaxAt !== null && obs.captured_at_ms >= relaxAt) this.sendRelax();
    const state = this.liveness.push(obs);
    const face = obs.face;
    if (face?.quality.good && face.descriptor && this.captures.length < ENROL_CAPTURES_MAX) this.captures.push(face);
    // A round over (passed: the next one waits for its draw; or decided) takes its prompt away.
    const open = (state.status === 'prompt' || state.status === 'waiting') && state.round === this.promptRound;
    if (!open) this.promptRound = null;
    if (this.decided) this.cancel();
    else this.schedule();
    this.hint = hintFor(obs, state, this.cfg, this.prompting);
    return state;
  }

  /** The session is over for the host (decided, cancelled, expired): no more timers, no prompt. */
  cancel(): void {
    this.closed = true;
    this.promptRound = null;
    clearTimeout(this.promptTimer);
    clearTimeout(this.relaxTimer);
    clearTimeout(this.deadline);
  }

  /** Arms the timer for a drawn, unsent prompt: it fires the display latency before its moment. */
  private schedule(): void {
    const relaxAt = this.liveness.relaxDueAtMs;
    if (relaxAt !== null && !this.relaxSent && !this.relaxTimer) {
      this.relaxTimer = setTimeout(
        () => {
          this.relaxTimer = undefined;
          if (!this.closed && !this.decided) this.sendRelax();
        },
        Math.max(0, relaxAt - this.timing.display_latency_ms - this.timing.now()),
      );
    }
    const s = this.state;
    if (s.status !== 'waiting' || s.prompt_at_ms === null || this.promptRound === s.round || this.promptTimer) return;
    const waitMs = Math.max(0, s.prompt_at_ms - this.timing.display_latency_ms - this.timing.now());
    this.promptTimer = setTimeout(() => {
      this.promptTimer = undefined;
      if (!this.closed && !this.decided) this.sendPrompt();
    }, waitMs);
  }

  private sendPrompt(): void {
    const s = this.state;
    if (s.status !== 'waiting' || s.prompt_at_ms === null || this.promptRound === s.round) return;
    clearTimeout(this.promptTimer);
    this.promptTimer = undefined;
    const sentAtMs = this.timing.now();
    const shownAtMs = Math.max(s.prompt_at_ms, sentAtMs + this.timing.display_latency_ms);
    this.liveness.promptShownAt(shownAtMs);
    this.promptRound = s.round;
    this.hint = 'now_smile';
    this.onEvent({ kind: 'prompt', sent_at_ms: sentAtMs, shown_at_ms: shownAtMs });
  }

  /** The relax cue: the prompt goes away; the end of the smile counts from when it can be seen. */
  private sendRelax(): void {
    const relaxAt = this.liveness.relaxDueAtMs;
    if (relaxAt === null || this.relaxSent) return;
    clearTimeout(this.relaxTimer);
    this.relaxTimer = undefined;
    const sentAtMs = this.timing.now();
    const shownAtMs = Math.max(relaxAt, sentAtMs + this.timing.display_latency_ms);
    this.liveness.relaxShownAt(shownAtMs);
    this.relaxSent = true;
    this.promptRound = null;
    this.hint = 'keep_neutral';
    this.onEvent({ kind: 'relax', sent_at_ms: sentAtMs, shown_at_ms: shownAtMs });
  }
}

function hintFor(
  obs: FaceObservation,
  state: SessionState,
  cfg: FaceConfig['liveness'],
  prompting: boolean,
): Hint | null {
  if (state.status === 'accepted' || state.status === 'refused') return state.status === 'accepted' ? 'checking' : null;
  if (obs.faces_near > 1) return 'one_person';
  const face = obs.face;
  if (!face) return 'look_at_camera';
  if (prompting) return 'now_smile';
  switch (face.quality.reason) {
    case 'too_small':
      return 'come_closer';
    case 'turned':
    case 'tilted':
    case 'rolled':
      return 'look_at_camera';
    case 'blurred':
      return 'hold_still';
  }
  if (face.smile > cfg.neutral_max) return 'keep_neutral';
  return 'hold_still';
}
