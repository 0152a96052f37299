// Open staff sign-ins, in memory only (a restart signs everyone out, which is what a shop
// expects), each behind the SHA-256 of its token. A sign-in ends after IDLE_SIGN_OUT_MS without
// use, and at the latest SIGN_IN_LIFETIME_MS_MAX after the PIN was given, however busy it was
// kept: a token copied off a screen (or kept alive by a script) is not a key for ever.
import { createHash, randomBytes } from 'node:crypto';
import { StaffError, type StaffMember } from './staff-error.js';

/** A sign-in ends after this long without use. */
export const IDLE_SIGN_OUT_MS_DEFAULT = 5 * 60_000;
/** A sign-in ends this long after its PIN, used or not: a long shift (a cashier signs in again
 * after a break anyway; a manager's sign-in for a day's close lasts minutes). */
export const SIGN_IN_LIFETIME_MS_MAX = 10 * 3_600_000;
/** Sign-ins open at once at most (a kiosk and a few screens in the shop); the oldest idle one goes. */
export const SIGN_INS_MAX = 32;

export interface SignInRecord extends StaffMember {
  signed_in_at_ms: number;
  last_seen_ms: number;
  /** A manager whose PIN is shorter than a manager's must be (set before the rule): only a PIN
   * change and a cashier's work until they choose a longer one. */
  pin_change_required: boolean;
}

const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

export class SignIns {
  private readonly open = new Map<string, SignInRecord>();

  constructor(
    private readonly now: () => number,
    readonly idleMs: number,
    readonly lifetimeMs: number = SIGN_IN_LIFETIME_MS_MAX,
  ) {
    if (!(idleMs > 0 && idleMs <= lifetimeMs))
      throw new Error(`assertion failed: idle sign-out ${idleMs} ms must be in 1..${lifetimeMs} (the lifetime)`);
  }

  /** A new sign-in; its token is handed out once, only its hash is kept. */
  begin(member: StaffMember, pinChangeRequired: boolean): { token: string; record: SignInRecord } {
    const now = this.now();
    this.evictEnded(now);
    if (this.open.size >= SIGN_INS_MAX) {
      const oldest = [...this.open.entries()].sort((a, b) => a[1].last_seen_ms - b[1].last_seen_ms)[0]!;
      this.open.delete(oldest[0]);
    }
    const token = randomBytes(32).toString('base64url');
    const record: SignInRecord = {
      staff_id: member.staff_id,
      display_name: member.display_name,
      role: member.role,
      signed_in_at_ms: now,
      last_seen_ms: now,
      pin_change_required: pinChangeRequired,
    };
    this.open.set(tokenHash(token), record);
    return { token, record };
  }

  /** The open sign-in behind a token; its use keeps it open (within its lifetime). */
  use(token: string | undefined): SignInRecord {
    const now = this.now();
    const key = typeof token === 'string' ? tokenHash(token) : '';
    const record = this.open.get(key);
    if (record === undefined) throw new StaffError('STAFF_SESSION_INVALID', 'not signed in');
    if (now - record.last_seen_ms > this.idleMs) {
      this.open.delete(key);
      throw new StaffError(
        'STAFF_SESSION_INVALID',
        `signed out after ${Math.round(this.idleMs / 60_000)} min without use`,
      );
    }
    if (now - record.signed_in_at_ms > this.lifetimeMs) {
      this.open.delete(key);
      throw new StaffError(
        'STAFF_SESSION_INVALID',
        `signed out: a sign-in lasts at most ${Math.round(this.lifetimeMs / 3_600_000)} h; sign in again`,
      );
    }
    record.last_seen_ms = now;
    return record;
  }

  /** Whether a token is an open sign-in now, without using it (it does not keep it open). */
  isOpen(token: string): boolean {
    const r = this.open.get(tokenHash(token));
    const now = this.now();
    return r !== undefined && now - r.last_seen_ms <= this.idleMs && now - r.signed_in_at_ms <= this.lifetimeMs;
  }

  /** The same record, after its member changed their PIN (a PIN change requirement is met). */
  pinChanged(token: string): void {
    const record = this.open.get(tokenHash(token));
    if (record) record.pin_change_required = false;
  }

  end(token: string): void {
    this.open.delete(tokenHash(token));
  }

  /** Ends every open sign-in of a member, but the one of `keepToken` when given. */
  endOf(staffId: string, keepToken?: string): void {
    const keep = keepToken === undefined ? null : tokenHash(keepToken);
    for (const [key, s] of this.open) if (s.staff_id === staffId && key !== keep) this.open.delete(key);
  }

  private evictEnded(now: number): void {
    for (const [key, s] of this.open)
      if (now - s.last_seen_ms > this.idleMs || now - s.signed_in_at_ms > this.lifetimeMs) this.open.delete(key);
  }
}
