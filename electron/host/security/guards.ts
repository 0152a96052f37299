// The counters behind the limits of limits.ts, on the host's clock: sessions started per screen
// in the last minute, and wrong step-up digits per session, per order and per kiosk with their
// cooldowns. In memory: a restart forgets them, but a restart takes longer than the guesses it
// would buy, and the kiosk window only restarts by a person's hand. A cooldown refuses before
// any digits are compared, so the right digits during it do not pay (and tell nothing).
import type { SecurityLimits } from './limits.js';

const MINUTE_MS = 60_000;
/** Orders and screens tracked at once; the oldest entries go first (bounded memory). */
export const GUARD_KEYS_MAX = 1_000;

export type GuardRefusal = {
  code: 'SESSIONS_RATE_LIMITED' | 'STEP_UP_COOLDOWN';
  message: string;
  retry_after_ms: number;
};

function trimTo<K, V>(m: Map<K, V>, max: number): void {
  while (m.size > max) m.delete(m.keys().next().value!);
}

export class SessionRateGuard {
  private readonly starts = new Map<string, number[]>();

  constructor(
    private readonly limits: SecurityLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a session start for `screen`, or says why not (and counts nothing). */
  take(screen: string): GuardRefusal | null {
    const t = this.now();
    const recent = (this.starts.get(screen) ?? []).filter((at) => t - at < MINUTE_MS);
    const max = this.limits.sessions_per_screen_per_minute_max;
    if (recent.length >= max) {
      this.starts.set(screen, recent);
      return {
        code: 'SESSIONS_RATE_LIMITED',
        message: `more than ${max} sessions a minute from this screen: wait a moment`,
        retry_after_ms: MINUTE_MS - (t - recent[0]!),
      };
    }
    recent.push(t);
    this.starts.delete(screen);
    this.starts.set(screen, recent);
    trimTo(this.starts, GUARD_KEYS_MAX);
    return null;
  }
}

export class StepUpGuard {
  private readonly orderWrong = new Map<string, { count: number; cooldown_until_ms: number }>();
  private kioskWrong: number[] = [];
  private kioskCooldownUntilMs = 0;

  constructor(
    private readonly limits: SecurityLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Before digits are compared: null, or the cooldown that refuses them. `order` is null for a
   * deletion (only the kiosk's cooldown applies). */
  check(order: string | null): GuardRefusal | null {
    const t = this.now();
    if (t < this.kioskCooldownUntilMs)
      return {
        code: 'STEP_UP_COOLDOWN',
        message:
          'Too many wrong phone digits on this kiosk: face payments with digits are paused. Please pay at the counter.',
        retry_after_ms: this.kioskCooldownUntilMs - t,
      };
    const o = order === null ? undefined : this.orderWrong.get(order);
    if (o && t < o.cooldown_until_ms)
      return {
        code: 'STEP_UP_COOLDOWN',
        message: 'Too many wrong phone digits for this order. Please pay at the counter.',
        retry_after_ms: o.cooldown_until_ms - t,
      };
    return null;
  }

  /** A wrong entry: counts toward the order's and the kiosk's cooldowns. */
  wrong(order: string | null): void {
    const t = this.now();
    const lim = this.limits;
    this.kioskWrong = this.kioskWrong.filter((at) => t - at < lim.step_up_kiosk_window_ms);
    this.kioskWrong.push(t);
    if (this.kioskWrong.length >= lim.step_up_wrong_per_kiosk_max) {
      this.kioskCooldownUntilMs = t + lim.step_up_kiosk_cooldown_ms;
      this.kioskWrong = [];
    }
    if (order === null) return;
    const o = this.orderWrong.get(order) ?? { count: 0, cooldown_until_ms: 0 };
    o.count += 1;
    if (o.count >= lim.step_up_wrong_per_order_max) {
      o.cooldown_until_ms = t + lim.step_up_order_cooldown_ms;
      o.count = 0;
    }
    this.orderWrong.delete(order);
    this.orderWrong.set(order, o);
    trimTo(this.orderWrong, GUARD_KEYS_MAX);
  }

  /** For the manager's view and the log: the kiosk-wide pause, if any. */
  kioskCooldownUntil(): number | null {
    return this.now() < this.kioskCooldownUntilMs ? this.kioskCooldownUntilMs : null;
  }
}
