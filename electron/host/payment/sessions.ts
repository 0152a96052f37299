// A customer's sessions at the camera: one payment, enrolment or deletion, from its first frame
// to its outcome (done or refused). Each holds its face challenge (face-challenge.ts) and what
// the screen is shown (SessionView). The payment, enrolment and deletion services open them and
// decide their outcomes; this module keeps them bounded (SESSIONS_MAX open, dropped when idle or
// decided) and turns each camera frame into the session's next phase.
//
// "Session" means this and nothing else on the host: a member of staff has a sign-in
// (staff/directory.ts), and the liveness check inside a session is its challenge.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { FaceObservation } from '../../contract/vision.js';
import type { Receipt, SessionView } from '../../contract/api.js';
import { ENROL_CAPTURES_MIN } from '../../face/enrol.js';
import { ApiFault } from '../fault.js';
import type { OrderBook } from '../orders/orders.js';
import { FaceChallenge } from './face-challenge.js';

/** Sessions open at once (one kiosk screen, plus a few abandoned ones); more are refused. */
export const SESSIONS_MAX = 8;
/** A session is dropped this long after its last frame or step (host clock). */
export const SESSION_IDLE_MS_MAX = 60_000;

export interface Session {
  id: string;
  kind: SessionView['kind'];
  challenge: FaceChallenge;
  phase: SessionView['phase'];
  order_id: string | null;
  /** Made before the payment is attempted, so a retried append cannot pay twice. */
  payment_id: string | null;
  /** The live face's fused descriptor, once the challenge accepted it. */
  descriptor: number[] | null;
  error: SessionView['error'];
  offer_enrolment: boolean;
  receipt: Receipt | null;
  customer_initials: string | null;
  touched_ms: number;
}

export interface SessionsParts {
  log: Logger;
  /** A refused face payment is shown on the board (its order can still be paid another way). */
  orders: Pick<OrderBook, 'refused'>;
  now: () => number;
}

export class CustomerSessions {
  private readonly open = new Map<string, Session>();

  constructor(private readonly p: SessionsParts) {}

  start(kind: Session['kind'], orderId: string | null): Session {
    this.expire();
    if (this.open.size >= SESSIONS_MAX)
      throw new ApiFault(
        'SESSIONS_FULL',
        `${SESSIONS_MAX} sessions open; cancel one or wait ${SESSION_IDLE_MS_MAX / 1000} s`,
      );
    const s: Session = {
      id: `s-${randomUUID()}`,
      kind,
      challenge: new FaceChallenge(),
      phase: 'looking',
      order_id: orderId,
      payment_id: kind === 'payment' ? `p-${randomUUID()}` : null,
      descriptor: null,
      error: null,
      offer_enrolment: false,
      receipt: null,
      customer_initials: null,
      touched_ms: this.p.now(),
    };
    this.open.set(s.id, s);
    return s;
  }

  /** Drops idle sessions, and decided ones (done or refused: nothing more can happen in them). */
  private expire(): void {
    const t = this.p.now();
    for (const [id, s] of this.open) {
      if (t - s.touched_ms > SESSION_IDLE_MS_MAX || s.phase === 'done' || s.phase === 'refused') this.open.delete(id);
    }
  }

  /** The open session `id` (of `kind`, when given); its use keeps it open. */
  get(id: string, kind?: Session['kind']): Session {
    const s = this.open.get(id);
    if (!s || (kind && s.kind !== kind))
      throw new ApiFault('SESSION_NOT_FOUND', `no ${kind ?? ''} session ${id} (finished, cancelled or expired)`);
    s.touched_ms = this.p.now();
    return s;
  }

  cancel(id: string): boolean {
    return this.open.delete(id);
  }

  view(s: Session): SessionView {
    const st = s.challenge.state;
    return {
      session_id: s.id,
      kind: s.kind,
      phase: s.phase,
      hint: s.phase === 'looking' || s.phase === 'prompt' ? s.challenge.hint : null,
      prompt_at_ms:
        st.status === 'waiting' || st.status === 'prompt' || st.status === 'accepted' ? st.prompt_at_ms : null,
      error: s.error,
      offer_enrolment: s.offer_enrolment,
      receipt: s.receipt,
      captures: s.kind === 'enrol' ? { good: s.challenge.captures.length, needed: ENROL_CAPTURES_MIN } : null,
      customer_initials: s.customer_initials,
    };
  }

  refuse(s: Session, code: string, message: string): void {
    s.phase = 'refused';
    s.error = { code, message };
    this.p.log.info({ session: s.id, kind: s.kind, code }, 'session refused');
    // The board shows why a face payment was refused (the order can still be paid another way).
    if (s.kind === 'payment' && s.order_id !== null) this.p.orders.refused(s.order_id, 'declined', code, message);
  }

  /** One camera frame for session `id`. Several rounds: prompt, smile, relax (looking again),
   * next prompt. When the challenge accepts the face, an enrolment goes on to its details and a
   * deletion to its phone digits; a payment is decided by the caller (`live` is then true). */
  observe(id: string, observation: FaceObservation): { session: Session; live: boolean } {
    const s = this.get(id);
    if (s.phase !== 'looking' && s.phase !== 'prompt') return { session: s, live: false }; // late frames after a decision
    const st = s.challenge.push(observation);
    if (st.status === 'prompt' || st.status === 'waiting') s.phase = st.status === 'prompt' ? 'prompt' : 'looking';
    if (st.status === 'refused') {
      this.p.log.info(
        { session: s.id, detail: st.detail, trace: s.challenge.liveness.log.slice(-10) },
        'liveness refused',
      );
      this.refuse(s, st.code, st.message);
    }
    if (st.status !== 'accepted') return { session: s, live: false };
    s.descriptor = st.descriptor;
    this.p.log.info(
      { session: s.id, kind: s.kind, reaction_ms: Math.round(st.reaction_ms), good_frames: st.good_frames },
      'liveness passed',
    );
    if (s.kind === 'enrol') s.phase = 'details';
    else if (s.kind === 'delete') s.phase = 'step_up';
    return { session: s, live: s.kind === 'payment' };
  }
}
