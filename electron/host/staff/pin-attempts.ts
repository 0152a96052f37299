// Counting PIN attempts so that concurrency cannot buy extra guesses. A PIN check waits on
// scrypt (about 100 ms); an attempt that read the row, awaited the hash and then wrote
// failed_attempts + 1 let every guess sent at once pass the count (19 wrong PINs and the right
// one, sent together, signed in). Here each attempt is charged to the member in one SQLite
// transaction before its PIN is hashed: the charge that reaches SIGN_IN_FAILURES_MAX locks the
// member at once, so attempts still arriving are refused without a check, and at most
// SIGN_IN_FAILURES_MAX PINs are ever compared per lock-out, however many are in flight. A
// right PIN then takes its charge back (and lifts a lock its own charge set).
//
// Lock-outs grow on repeat: the n-th lock-out since the member's last good PIN lasts
// LOCKOUT_MS x 2^(n-1), at most LOCKOUT_MS_MAX, so a guesser gets 5 tries per 5 minutes, then
// per 10, 20, 40 minutes... and 10^4 four-digit PINs take years, not a day.
import type Database from 'better-sqlite3';
import type { ApiErrorDetails } from '../../contract/api.js';
import { checkPin } from './pin-hash.js';
import type { ApprovalAttempts } from './approval-attempts.js';
import { StaffError, type StaffMember } from './staff-error.js';

/** Consecutive wrong PINs before a member is locked out. */
export const SIGN_IN_FAILURES_MAX = 5;
/** How long a first lock-out lasts; each next one (without a good PIN between) twice as long. */
export const LOCKOUT_MS = 5 * 60_000;
/** The longest lock-out: a day (a manager can unlock sooner). The contract bounds locked_for_ms by it. */
export const LOCKOUT_MS_MAX = 24 * 3_600_000;

/** How long the `lockouts`-th lock-out (1, 2, ...) lasts. */
export function lockoutMsFor(lockouts: number): number {
  if (!Number.isSafeInteger(lockouts) || lockouts < 1)
    throw new Error(`assertion failed: lockouts is a count from 1, got ${lockouts}`);
  return Math.min(LOCKOUT_MS_MAX, LOCKOUT_MS * 2 ** Math.min(lockouts - 1, 30));
}

export interface StaffRow extends StaffMember {
  pin_hash: string;
  failed_attempts: number;
  locked_until_ms: number;
  lockouts: number;
  disabled: number;
  created_at_ms: number;
}

/** A lock-out's end, for the screen to say (on the host's clock, and how long from now). */
export const lockedUntil = (untilMs: number, nowMs: number): ApiErrorDetails => ({
  locked_until_ms: untilMs,
  locked_for_ms: Math.max(0, untilMs - nowMs),
});

interface Charge {
  row: StaffRow;
  /** Wrong PINs counted with this attempt's charge. */
  failures: number;
  /** This charge set the lock (it was the SIGN_IN_FAILURES_MAX-th): its end, else 0. */
  lockedUntilMs: number;
}

export class PinAttempts {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {}

  /** Checks `pin` for a member, counted as above. Throws STAFF_UNKNOWN (no such enabled member),
   * STAFF_LOCKED (locked now, or locked by this wrong PIN; `onLocked` runs then) or
   * STAFF_PIN_WRONG with the tries left; returns the member's row on the right PIN. */
  async check(staffId: string, pin: string, what: string, onLocked?: () => void): Promise<StaffRow> {
    const charge = this.charge(staffId);
    const right = typeof pin === 'string' && (await checkPin(pin, charge.row.pin_hash));
    const now = this.now();
    if (right) {
      // Its charge back, and a lock only its own charge set; a good PIN ends the growth.
      this.db
        .prepare(
          `UPDATE staff SET failed_attempts = 0, lockouts = 0,
             locked_until_ms = CASE WHEN locked_until_ms = ? THEN 0 ELSE locked_until_ms END
           WHERE staff_id = ?`,
        )
        .run(charge.lockedUntilMs, staffId);
      return charge.row;
    }
    const name = charge.row.display_name;
    if (charge.lockedUntilMs > 0) {
      onLocked?.();
      throw new StaffError(
        'STAFF_LOCKED',
        `wrong ${what}; ${name} is now locked out for ${Math.round((charge.lockedUntilMs - now) / 60_000)} min`,
        lockedUntil(charge.lockedUntilMs, now),
      );
    }
    const left = SIGN_IN_FAILURES_MAX - charge.failures;
    throw new StaffError('STAFF_PIN_WRONG', `wrong ${what} (${left} tries left before a lock-out)`, {
      tries_left: left,
    });
  }

  /** Checks a manager's `pin` typed at a cashier's approval prompt: counted against the prompt
   * (approval-attempts.ts), not the member; a member locked out by their own sign-ins stays so. */
  async checkAtPrompt(staffId: string, pin: string, key: string, prompts: ApprovalAttempts): Promise<StaffRow> {
    const row = this.db.prepare('SELECT * FROM staff WHERE staff_id = ? AND disabled = 0').get(staffId) as
      StaffRow | undefined;
    if (row === undefined) throw new StaffError('STAFF_UNKNOWN', `no member of staff ${JSON.stringify(staffId)}`);
    const now = this.now();
    if (row.locked_until_ms > now)
      throw new StaffError(
        'STAFF_LOCKED',
        `${row.display_name} is locked out; try again in ${Math.ceil((row.locked_until_ms - now) / 60_000)} min`,
        lockedUntil(row.locked_until_ms, now),
      );
    const charge = prompts.charge(key, row.display_name);
    if (typeof pin === 'string' && (await checkPin(pin, row.pin_hash))) {
      prompts.clear(key);
      return row;
    }
    if (charge.lockedUntilMs > 0)
      throw new StaffError(
        'STAFF_LOCKED',
        `wrong PIN; this prompt is locked for ${row.display_name} for ${Math.round((charge.lockedUntilMs - now) / 60_000)} min (${row.display_name} can still sign in themselves)`,
        lockedUntil(charge.lockedUntilMs, now),
      );
    const left = SIGN_IN_FAILURES_MAX - charge.failures;
    throw new StaffError('STAFF_PIN_WRONG', `wrong PIN (${left} tries left at this prompt)`, { tries_left: left });
  }

  /** One attempt counted against the member, in one transaction, before any PIN is compared. */
  private charge(staffId: string): Charge {
    return this.db
      .transaction((): Charge => {
        const row = this.db.prepare('SELECT * FROM staff WHERE staff_id = ? AND disabled = 0').get(staffId) as
          StaffRow | undefined;
        if (row === undefined) throw new StaffError('STAFF_UNKNOWN', `no member of staff ${JSON.stringify(staffId)}`);
        const now = this.now();
        if (row.locked_until_ms > now)
          throw new StaffError(
            'STAFF_LOCKED',
            `${row.display_name} is locked out after ${SIGN_IN_FAILURES_MAX} wrong PINs; try again in ${Math.ceil((row.locked_until_ms - now) / 60_000)} min or ask a manager`,
            lockedUntil(row.locked_until_ms, now),
          );
        const failures = row.failed_attempts + 1;
        if (failures < SIGN_IN_FAILURES_MAX) {
          this.db.prepare('UPDATE staff SET failed_attempts = ? WHERE staff_id = ?').run(failures, staffId);
          return { row, failures, lockedUntilMs: 0 };
        }
        const lockouts = row.lockouts + 1;
        const until = now + lockoutMsFor(lockouts);
        this.db
          .prepare('UPDATE staff SET failed_attempts = 0, locked_until_ms = ?, lockouts = ? WHERE staff_id = ?')
          .run(until, lockouts, staffId);
        return { row, failures, lockedUntilMs: until };
      })
      .immediate();
  }
}
