// A customer's sessions at the camera: one payment, enrolment or deletion, from its first frame
// to its outcome (done or refused), all on the host: the paired screen's camera frames arrive as
// bytes (frames.ts), are placed on the host's clock (frame-clock.ts: an earlier session's frames
// are refused there), observed by the vision worker (vision/host-vision.ts) and fed to the
// session's face challenge (face-challenge.ts), which says when to smile. The screen sees only
// what this module pushes back: the view (hint, the face's box for its guide, "now smile" while
// it stands) and each frame's fate. Every session belongs to the screen that started it; the
// counters of security/guards.ts bound how many a screen starts and how many phone digits anyone
// may try. The payment, enrolment and deletion services open them and decide their outcomes.
//
// "Session" means this and nothing else on the host: a member of staff has a sign-in
// (staff/directory.ts), and the liveness check inside a session is its challenge.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { parseFrame } from '../../contract/frames.js';
import type { SessionView } from '../../contract/api.js';
import type { FaceObservation } from '../../contract/vision.js';
import { ENROL_CAPTURES_MIN } from '../../face/enrol.js';
import { ApiFault } from '../fault.js';
import type { HostVision } from '../vision/host-vision.js';
import type { SecurityLimits } from '../security/limits.js';
import { SessionRateGuard, StepUpGuard } from '../security/guards.js';
import { FrameClock, type ScreenClock } from './frame-clock.js';
import { FaceChallenge, type FaceEvent } from './face-challenge.js';
import type { OrderBook } from '../orders/orders.js';

/** Sessions open at once (a screen or two, plus a few abandoned ones); more are refused. */
export const SESSIONS_MAX = 8;
/** A session is dropped this long after its last frame or step (host clock). */
export const SESSION_IDLE_MS_MAX = 60_000;
/** Session listeners (the HTTP transport, the Electron shell, a test). */
const LISTENERS_MAX = 4;

export type SessionKind = SessionView['kind'];
export type SessionPhase = SessionView['phase'];

export interface Session {
  id: string;
  kind: SessionKind;
  screen_id: string;
  tag: string;
  clock: FrameClock;
  challenge: FaceChallenge;
  phase: SessionPhase;
  order_id: string | null;
  payment_id: string | null;
  descriptor: number[] | null;
  error: SessionView['error'];
  offer_enrolment: boolean;
  receipt: SessionView['receipt'];
  customer_initials: string | null;
  touched_ms: number;
  wrong_digits: number;
  vision_started: boolean;
  last_face: SessionView['face'];
  last_frame: SessionView['frame'];
}

/** What a screen connection is to the sessions: the paired screen and its clock relation. */
export interface ScreenLink {
  screen_id: string;
  clock: ScreenClock;
}

/** A frame refused before any session could be named (unparsable, unknown tag). */
export interface FrameRefusal {
  seq: number | null;
  code: string;
  message: string;
}
export type SessionPush = { view: SessionView } | { frame_refused: FrameRefusal };

export class CustomerSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly byTag = new Map<string, Session>();
  private readonly listeners = new Set<(screenId: string, push: SessionPush) => void>();
  readonly starts: SessionRateGuard;
  readonly stepUps: StepUpGuard;
  private readonly now: () => number;
  /** Liveness passed on a payment session: the payment service decides it (match, step-up, pay). */
  onLive: ((s: Session) => void) | null = null;

  constructor(
    private readonly p: {
      log: Logger;
      limits: SecurityLimits;
      vision: () => HostVision | null;
      /** A refused face payment is shown on the board (its order can still be paid another way). */
      orders: Pick<OrderBook, 'refused'>;
      now: () => number;
    },
  ) {
    this.now = p.now;
    this.starts = new SessionRateGuard(p.limits, this.now);
    this.stepUps = new StepUpGuard(p.limits, this.now);
  }

  onPush(listener: (screenId: string, push: SessionPush) => void): () => void {
    if (this.listeners.size >= LISTENERS_MAX)
      throw new Error(`assertion failed: more than ${LISTENERS_MAX} session listeners`);
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** A new session for `screen`; its earlier open session (if any) ends. */
  start(kind: SessionKind, screen: ScreenLink, orderId: string | null): Session {
    this.expire();
    const limited = this.starts.take(screen.screen_id);
    if (limited) throw new ApiFault(limited.code, limited.message);
    for (const s of this.sessions.values())
      if (s.screen_id === screen.screen_id && (s.phase === 'looking' || s.phase === 'prompt')) this.drop(s);
    if (this.sessions.size >= SESSIONS_MAX)
      throw new ApiFault(
        'SESSIONS_FULL',
        `${SESSIONS_MAX} sessions open; cancel one or wait ${SESSION_IDLE_MS_MAX / 1000} s`,
      );
    const id = `s-${randomUUID()}`;
    const tag = randomBytes(8).toString('hex');
    const startedAtMs = this.now();
    const s: Session = {
      id,
      kind,
      screen_id: screen.screen_id,
      tag,
      clock: new FrameClock(screen.clock, tag, startedAtMs, this.p.limits),
      challenge: new FaceChallenge(
        { display_latency_ms: this.p.limits.prompt_display_latency_ms, now: this.now },
        (e) => this.onFaceEvent(id, e),
      ),
      phase: 'looking',
      order_id: orderId,
      // Made before the payment is attempted, so a retried append cannot pay twice.
      payment_id: kind === 'payment' ? `p-${randomUUID()}` : null,
      descriptor: null,
      error: null,
      offer_enrolment: false,
      receipt: null,
      customer_initials: null,
      touched_ms: startedAtMs,
      wrong_digits: 0,
      vision_started: false,
      last_face: null,
      last_frame: null,
    };
    this.sessions.set(id, s);
    this.byTag.set(tag, s);
    return s;
  }

  /** The session `id` of `screenId` (a session is only ever its own screen's). */
  get(id: string, screenId: string, kind?: SessionKind): Session {
    const s = this.sessions.get(id);
    if (!s || s.screen_id !== screenId || (kind && s.kind !== kind))
      throw new ApiFault('SESSION_NOT_FOUND', `no ${kind ?? ''} session ${id} (finished, cancelled or expired)`);
    s.touched_ms = this.now();
    return s;
  }

  cancel(id: string, screenId: string): boolean {
    const s = this.sessions.get(id);
    if (!s || s.screen_id !== screenId) return false;
    this.drop(s);
    return true;
  }

  refuse(s: Session, code: string, message: string): void {
    s.phase = 'refused';
    s.error = { code, message };
    s.challenge.cancel();
    this.p.log.info({ session: s.id, kind: s.kind, code }, 'session refused');
    if (s.kind === 'payment' && s.order_id !== null) this.p.orders.refused(s.order_id, 'declined', code, message);
  }

  /** Before any digits are compared: a cooldown (the order's or the kiosk's) refuses the
   * session, so the right digits then do not pay (and tell nothing). */
  digitsRefused(s: Session): boolean {
    const cooling = this.stepUps.check(s.kind === 'payment' ? s.order_id : null);
    if (!cooling) return false;
    this.p.log.warn({ session: s.id, retry_after_ms: cooling.retry_after_ms }, 'step-up refused: cooldown');
    this.refuse(s, cooling.code, cooling.message);
    return true;
  }

  /** Digits that match no such face: the same answer whatever the reason (no enrolment oracle);
   * counted toward the session's, the order's and the kiosk's limits. */
  wrongDigits(s: Session): void {
    s.wrong_digits += 1;
    this.stepUps.wrong(s.kind === 'payment' ? s.order_id : null);
    const left = this.p.limits.step_up_wrong_per_session_max - s.wrong_digits;
    this.p.log.info({ session: s.id, wrong: s.wrong_digits, left }, 'step-up: wrong digits');
    if (left <= 0)
      return this.refuse(s, 'STEP_UP_WRONG', 'Those digits do not match. Please pay at the counter or ask the staff.');
    s.error = { code: 'STEP_UP_WRONG', message: `Those digits do not match: ${left} more tries.` };
  }

  view(s: Session): SessionView {
    const live = s.phase === 'looking' || s.phase === 'prompt';
    return {
      session_id: s.id,
      kind: s.kind,
      phase: s.phase,
      hint: live ? s.challenge.hint : null,
      frame_tag: s.tag,
      prompt: live && s.challenge.prompting,
      error: s.error,
      offer_enrolment: s.offer_enrolment,
      receipt: s.receipt,
      captures: s.kind === 'enrol' ? { good: s.challenge.captures.length, needed: ENROL_CAPTURES_MIN } : null,
      customer_initials: s.customer_initials,
      digits_left:
        s.phase === 'step_up' ? Math.max(0, this.p.limits.step_up_wrong_per_session_max - s.wrong_digits) : null,
      face: live ? s.last_face : null,
      frame: s.last_frame,
    };
  }

  /** One binary frame message from a paired screen, received at `receivedAtMs` (host clock). */
  frame(screen: ScreenLink, bytes: Uint8Array, receivedAtMs: number): void {
    const parsed = parseFrame(bytes);
    if (!parsed.ok) return this.push(screen.screen_id, { frame_refused: { seq: null, ...parsed } });
    const f = parsed.frame;
    const s = this.byTag.get(f.tag);
    if (!s || s.screen_id !== screen.screen_id)
      return this.push(screen.screen_id, {
        frame_refused: {
          seq: f.seq,
          code: 'FRAME_OTHER_SESSION',
          message: 'no open session of this screen has that tag',
        },
      });
    if (s.phase !== 'looking' && s.phase !== 'prompt') return; // late frames after a decision
    s.touched_ms = this.now();
    const admitted = s.clock.admit(f, receivedAtMs);
    if (!admitted.ok) return this.frameDone(s, f.seq, 'refused', admitted.code);
    const vision = this.p.vision();
    if (!vision) return this.frameDone(s, f.seq, 'refused', 'VISION_NOT_READY');
    const reset = !s.vision_started;
    s.vision_started = true;
    // At debug level, each frame's place on the host's clock (scripts/measure-prompt-latency.ts).
    this.p.log.debug({ session: s.id, seq: f.seq, at_ms: admitted.at_ms, lag_ms: admitted.lag_ms }, 'frame admitted');
    vision.submit({ screen: s.screen_id, reset, jpeg: f.jpeg, at_ms: admitted.at_ms }, (o) => {
      if (o.kind === 'observation') this.observed(s, f.seq, o.observation);
      else
        this.frameDone(
          s,
          f.seq,
          o.kind === 'dropped' ? 'dropped' : 'refused',
          o.kind === 'dropped' ? 'FRAME_DROPPED' : o.code,
        );
    });
  }

  private observed(s: Session, seq: number, obs: FaceObservation): void {
    if (s.phase !== 'looking' && s.phase !== 'prompt') return;
    const st = s.challenge.push(obs);
    if (s.challenge.drawn) s.clock.fix();
    this.p.log.debug(
      { session: s.id, seq, at_ms: obs.captured_at_ms, face: obs.face !== null, smile: obs.face?.smile ?? null },
      'frame observed',
    );
    s.last_face = obs.face ? { box: obs.face.box, frame_width: obs.frame_width, frame_height: obs.frame_height } : null;
    // Several rounds: prompt, smile, relax (looking again), next prompt.
    if (st.status === 'prompt' || st.status === 'waiting') s.phase = s.challenge.prompting ? 'prompt' : 'looking';
    if (st.status === 'refused') {
      this.p.log.info(
        { session: s.id, detail: st.detail, trace: s.challenge.liveness.log.slice(-10) },
        'liveness refused',
      );
      this.refuse(s, st.code, st.message);
    }
    if (st.status === 'accepted') {
      s.descriptor = st.descriptor;
      this.p.log.info(
        {
          session: s.id,
          kind: s.kind,
          reaction_ms: Math.round(st.reaction_ms),
          // Every timed reaction (each round's smile, then the end of the smile after the relax
          // cue): real customers' reactions, to set the windows from.
          reactions_ms: st.reactions_ms.map(Math.round),
          // The time at the counter, from the session's start: the prompt, the smile, the decision.
          after_start_ms: [st.prompt_at_ms, st.onset_at_ms, st.decided_at_ms].map((t) =>
            Math.round(t - s.clock.startedAtMs),
          ),
          good_frames: st.good_frames,
        },
        'liveness passed',
      );
      if (s.kind === 'payment') this.onLive?.(s);
      else if (s.kind === 'enrol') s.phase = 'details';
      else s.phase = 'step_up';
    }
    this.frameDone(s, seq, 'observed', null);
  }

  private frameDone(s: Session, seq: number, outcome: 'observed' | 'dropped' | 'refused', code: string | null): void {
    s.last_frame = { seq, outcome, code };
    this.push(s.screen_id, { view: this.view(s) });
  }

  private onFaceEvent(id: string, e: FaceEvent): void {
    const s = this.sessions.get(id);
    if (!s || (s.phase !== 'looking' && s.phase !== 'prompt')) return;
    if (e.kind === 'prompt') {
      s.phase = 'prompt';
      this.p.log.debug({ session: id, sent_at_ms: e.sent_at_ms, shown_at_ms: e.shown_at_ms }, 'prompt sent');
    } else if (e.kind === 'relax') {
      s.phase = 'looking'; // the relax cue: the prompt goes away, the smile must end
      this.p.log.debug({ session: id, sent_at_ms: e.sent_at_ms, shown_at_ms: e.shown_at_ms }, 'relax cue sent');
    } else {
      const st = s.challenge.state;
      if (st.status === 'refused') this.refuse(s, st.code, st.message);
    }
    this.push(s.screen_id, { view: this.view(s) });
  }

  push(screenId: string, push: SessionPush): void {
    for (const l of this.listeners) l(screenId, push);
  }

  private drop(s: Session): void {
    s.challenge.cancel();
    this.sessions.delete(s.id);
    this.byTag.delete(s.tag);
  }

  /** Drops idle sessions, and decided ones (done or refused: nothing more can happen in them). */
  private expire(): void {
    const t = this.now();
    for (const s of this.sessions.values())
      if (t - s.touched_ms > SESSION_IDLE_MS_MAX || s.phase === 'done' || s.phase === 'refused') this.drop(s);
  }

  close(): void {
    for (const s of this.sessions.values()) this.drop(s);
  }
}
