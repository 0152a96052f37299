// Wrong manager PINs typed at a cashier's approval prompt (a discount, refund or void above the
// cashier's limit: the manager types their PIN on the cashier's screen). Charged to the manager's
// own sign-in, they let a cashier lock the manager out of the kiosk for the rest of the shift by
// typing five wrong PINs at the prompt (red team 2), and lock-outs double, so a few rounds kept
// the manager out for the day. Here they are charged to the prompt instead: the pair (the cashier
// whose signed-in screen shows it, the manager named), with the same rule as a sign-in
// (SIGN_IN_FAILURES_MAX wrong PINs, then a lock-out of LOCKOUT_MS doubling to LOCKOUT_MS_MAX).
// A cashier who mistypes, or guesses, locks only their own prompt for that manager; the
// manager's sign-in and other cashiers' prompts are untouched. Keyed by the cashier and not by
// the sign-in, so signing out and in again buys no tries: a guesser at the prompt still gets
// 5 PINs per 5 minutes, then per 10, 20... (and the 'guess' class of client-limits.ts bounds the
// device). Each attempt is charged synchronously before its PIN is hashed, so PINs sent at once
// cannot pass the count (as pin-attempts.ts). In memory: a restart (which a cashier cannot
// make) forgets the counts. Keys are pairs of real members, so at most members x managers.
import { lockedUntil, lockoutMsFor, SIGN_IN_FAILURES_MAX } from './pin-attempts.js';
import { StaffError } from './staff-error.js';

interface PromptCount {
  failures: number;
  lockouts: number;
  locked_until_ms: number;
}

export class ApprovalAttempts {
  private readonly prompts = new Map<string, PromptCount>();

  constructor(private readonly now: () => number) {}

  /** One attempt at `key`'s prompt, before its PIN is compared: STAFF_LOCKED while the prompt is
   * locked; returns the failures counted with it and the lock this charge set (0: none). */
  charge(key: string, managerName: string): { failures: number; lockedUntilMs: number } {
    const now = this.now();
    const c = this.prompts.get(key) ?? { failures: 0, lockouts: 0, locked_until_ms: 0 };
    if (c.locked_until_ms > now)
      throw new StaffError(
        'STAFF_LOCKED',
        `${SIGN_IN_FAILURES_MAX} wrong PINs for ${managerName} at this prompt: it is locked for ${Math.ceil((c.locked_until_ms - now) / 60_000)} min (${managerName} can still sign in themselves)`,
        lockedUntil(c.locked_until_ms, now),
      );
    c.failures += 1;
    let lockedUntilMs = 0;
    if (c.failures >= SIGN_IN_FAILURES_MAX) {
      c.lockouts += 1;
      c.failures = 0;
      c.locked_until_ms = lockedUntilMs = now + lockoutMsFor(c.lockouts);
    }
    this.prompts.set(key, c);
    return { failures: lockedUntilMs > 0 ? SIGN_IN_FAILURES_MAX : c.failures, lockedUntilMs };
  }

  /** The right PIN: the prompt's count and growth end (a lock its own charge set too). */
  clear(key: string): void {
    this.prompts.delete(key);
  }
}
