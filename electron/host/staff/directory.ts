// Staff sign-in for the cashier's and manager's screens: who may sign in, with which role,
// PIN checks with a lock-out after repeated failures, sign-ins that end after idle time,
// and the role checks every action that changes money or a limit goes through. The
// approver's id is what the ledger records as approved_by / changed_by / closed_by.
//
// Sign-ins live in memory only: a restart signs everyone out, which is what a shop expects.
// (A "session" is a customer's at the camera, electron/host/payment/sessions.ts; a member of
// staff has a sign-in, behind its token.)

import { createHash, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { migrate } from '../../../ledger/store/migrate.js';
import * as m0001 from './migrations/0001-staff.js';
import * as m0002 from './migrations/0002-audit.js';
import { checkPin, hashPin, pinProblem } from './pin-hash.js';
import type { ApiErrorCode, ApiErrorDetails } from '../../contract/api.js';
import { ApiFault } from '../fault.js';

export type Role = 'cashier' | 'manager';
export const ROLES: readonly Role[] = ['cashier', 'manager'];

export const STAFF_MIGRATIONS = [m0001, m0002] as const;
/** Consecutive wrong PINs before a member is locked out. */
export const SIGN_IN_FAILURES_MAX = 5;
/** How long a lock-out lasts. */
export const LOCKOUT_MS = 5 * 60_000;
/** A sign-in ends after this long without use. */
export const IDLE_SIGN_OUT_MS_DEFAULT = 5 * 60_000;
/** Sign-ins open at once at most (a kiosk and a few screens in the shop); the oldest idle one goes. */
export const SIGN_INS_MAX = 32;
export const STAFF_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,31}$/;
/** Members a kiosk holds, enabled or not (the team list shows every one). */
export const STAFF_MEMBERS_MAX = 64;
/** Audit rows listed at once, newest first. */
export const STAFF_AUDIT_LISTED_MAX = 50;

export type StaffAuditAction = 'add' | 'disable' | 'enable' | 'reset_pin' | 'change_own_pin' | 'unlock';
export interface StaffAuditRow {
  at_ms: number;
  /** Who did it, as the ledger names approvers: "manager:ana". */
  actor: string;
  action: StaffAuditAction;
  staff_id: string;
  detail: string;
}

/** A member as the manager's team list shows them. */
export interface StaffRecord extends StaffMember {
  disabled: boolean;
  locked_until_ms: number | null;
  created_at_ms: number;
}

/** The staff codes of the contract a directory call answers with (bad input is API_BAD_REQUEST). */
export type StaffErrorCode = Extract<ApiErrorCode, `STAFF_${string}`>;

/** A refusal of the directory, in the contract's terms already: an ApiFault, so that every
 * caller passes it on as it is (the dispatcher answers with its code and details). */
export class StaffError extends ApiFault {
  constructor(
    override readonly code: StaffErrorCode,
    message: string,
    details?: ApiErrorDetails,
  ) {
    super(code, message, details);
    this.name = 'StaffError';
  }
}

export interface StaffMember {
  staff_id: string;
  display_name: string;
  role: Role;
}

export interface StaffSignIn extends StaffMember {
  /** Handed to the screen once; only its hash is kept. */
  token: string;
  signed_in_at_ms: number;
}

interface SignInRecord extends StaffMember {
  signed_in_at_ms: number;
  last_seen_ms: number;
}

interface StaffRow extends StaffMember {
  pin_hash: string;
  failed_attempts: number;
  locked_until_ms: number;
  disabled: number;
}

/** A lock-out's end, for the screen to say (on the host's clock, and how long from now). */
const lockedUntil = (untilMs: number, nowMs: number): ApiErrorDetails => ({
  locked_until_ms: untilMs,
  locked_for_ms: Math.max(0, untilMs - nowMs),
});

/** A member as the ledger, the audit rows and the logs name whoever approved, took, closed or
 * changed something: "manager:ana". The one place this name is made. */
export function approverOf(m: Pick<StaffMember, 'role' | 'staff_id'>): string {
  return `${m.role}:${m.staff_id}`;
}

const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

export class StaffDirectory {
  private readonly db: Database.Database;
  private readonly signIns = new Map<string, SignInRecord>();
  private readonly now: () => number;
  readonly idleMs: number;

  constructor(path: string, options: { now?: () => number; idle_sign_out_ms?: number } = {}) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    migrate(this.db, STAFF_MIGRATIONS, path);
    this.now = options.now ?? Date.now;
    this.idleMs = options.idle_sign_out_ms ?? IDLE_SIGN_OUT_MS_DEFAULT;
  }

  close(): void {
    this.db.close();
  }

  count(): number {
    return this.db.prepare('SELECT count(*) FROM staff WHERE disabled = 0').pluck().get() as number;
  }

  list(): StaffMember[] {
    return this.db
      .prepare('SELECT staff_id, display_name, role FROM staff WHERE disabled = 0 ORDER BY role DESC, display_name')
      .all() as StaffMember[];
  }

  /** Adds a member. The first member must be a manager; after that, only a manager may add. */
  async add(member: StaffMember, pin: string, by?: StaffSignIn): Promise<StaffMember> {
    if (!STAFF_ID_PATTERN.test(member.staff_id))
      throw new ApiFault(
        'API_BAD_REQUEST',
        `staff_id: expected 1-32 lowercase letters, digits or ._-, got ${JSON.stringify(member.staff_id)}`,
      );
    if (
      typeof member.display_name !== 'string' ||
      member.display_name.trim().length === 0 ||
      member.display_name.length > 60
    ) {
      throw new ApiFault('API_BAD_REQUEST', 'display_name: expected 1-60 characters');
    }
    if (!ROLES.includes(member.role))
      throw new ApiFault('API_BAD_REQUEST', `role: expected cashier or manager, got ${JSON.stringify(member.role)}`);
    const problem = pinProblem(pin);
    if (problem !== null) throw new StaffError('STAFF_PIN_INVALID', problem);
    let actor = 'setup';
    if (this.count() === 0) {
      if (member.role !== 'manager')
        throw new StaffError('STAFF_FORBIDDEN', 'the first member of staff must be a manager');
    } else {
      const manager = this.require(by?.token, 'manager');
      actor = approverOf(manager);
    }
    const held = this.db.prepare('SELECT count(*) FROM staff').pluck().get() as number;
    if (held >= STAFF_MEMBERS_MAX)
      throw new StaffError(
        'STAFF_CHANGE_REFUSED',
        `this kiosk holds ${held} members of staff, the most it keeps (${STAFF_MEMBERS_MAX}); re-enable a disabled one instead`,
      );
    const pinHash = await hashPin(pin);
    try {
      this.db.transaction(() => {
        this.db
          .prepare('INSERT INTO staff (staff_id, display_name, role, pin_hash, created_at_ms) VALUES (?, ?, ?, ?, ?)')
          .run(member.staff_id, member.display_name.trim(), member.role, pinHash, this.now());
        this.audit(actor, 'add', member.staff_id, `${member.role} ${member.display_name.trim()}`);
      })();
    } catch (err) {
      if (/UNIQUE/.test((err as Error).message))
        throw new StaffError('STAFF_EXISTS', `staff ${member.staff_id} already exists`);
      throw err;
    }
    return { staff_id: member.staff_id, display_name: member.display_name.trim(), role: member.role };
  }

  /** Checks a PIN; on success opens a sign-in. Wrong PINs count towards a lock-out. */
  async signIn(staffId: string, pin: string): Promise<StaffSignIn> {
    const row = this.db.prepare('SELECT * FROM staff WHERE staff_id = ? AND disabled = 0').get(staffId) as
      StaffRow | undefined;
    if (row === undefined) throw new StaffError('STAFF_UNKNOWN', `no member of staff ${JSON.stringify(staffId)}`);
    const now = this.now();
    if (row.locked_until_ms > now) {
      throw new StaffError(
        'STAFF_LOCKED',
        `${row.display_name} is locked out after ${SIGN_IN_FAILURES_MAX} wrong PINs; try again in ${Math.ceil((row.locked_until_ms - now) / 60_000)} min or ask a manager`,
        lockedUntil(row.locked_until_ms, now),
      );
    }
    if (typeof pin !== 'string' || !(await checkPin(pin, row.pin_hash))) {
      const failures = row.failed_attempts + 1;
      const locked = failures >= SIGN_IN_FAILURES_MAX;
      this.db
        .prepare('UPDATE staff SET failed_attempts = ?, locked_until_ms = ? WHERE staff_id = ?')
        .run(locked ? 0 : failures, locked ? now + LOCKOUT_MS : 0, staffId);
      if (locked)
        throw new StaffError(
          'STAFF_LOCKED',
          `wrong PIN; ${row.display_name} is now locked out for ${LOCKOUT_MS / 60_000} min`,
          lockedUntil(now + LOCKOUT_MS, now),
        );
      throw new StaffError(
        'STAFF_PIN_WRONG',
        `wrong PIN (${SIGN_IN_FAILURES_MAX - failures} tries left before a lock-out)`,
        { tries_left: SIGN_IN_FAILURES_MAX - failures },
      );
    }
    this.db.prepare('UPDATE staff SET failed_attempts = 0, locked_until_ms = 0 WHERE staff_id = ?').run(staffId);
    this.evictIdle(now);
    if (this.signIns.size >= SIGN_INS_MAX) {
      const oldest = [...this.signIns.entries()].sort((a, b) => a[1].last_seen_ms - b[1].last_seen_ms)[0]!;
      this.signIns.delete(oldest[0]);
    }
    const token = randomBytes(32).toString('base64url');
    const member: StaffMember = { staff_id: row.staff_id, display_name: row.display_name, role: row.role };
    this.signIns.set(tokenHash(token), { ...member, signed_in_at_ms: now, last_seen_ms: now });
    return { ...member, token, signed_in_at_ms: now };
  }

  /** The member behind a sign-in's token, if it is open; using it keeps it open. */
  member(token: string | undefined): StaffMember {
    const now = this.now();
    const key = typeof token === 'string' ? tokenHash(token) : '';
    const record = this.signIns.get(key);
    if (record === undefined) throw new StaffError('STAFF_SESSION_INVALID', 'not signed in');
    if (now - record.last_seen_ms > this.idleMs) {
      this.signIns.delete(key);
      throw new StaffError(
        'STAFF_SESSION_INVALID',
        `signed out after ${Math.round(this.idleMs / 60_000)} min without use`,
      );
    }
    record.last_seen_ms = now;
    return { staff_id: record.staff_id, display_name: record.display_name, role: record.role };
  }

  /** The member behind the token if their role allows `role` (a manager may do a cashier's work). */
  require(token: string | undefined, role: Role): StaffMember {
    const member = this.member(token);
    if (role === 'manager' && member.role !== 'manager')
      throw new StaffError('STAFF_FORBIDDEN', `${member.display_name} is a cashier; this needs a manager`);
    return member;
  }

  /** Who approved an action, as the ledger records it: "manager:ana". */
  approver(token: string | undefined, role: Role): string {
    return approverOf(this.require(token, role));
  }

  signOut(token: string): void {
    this.signIns.delete(tokenHash(token));
  }

  // ---- staff management (manager; changeOwnPin any member) --------------------------------------

  /** Every member, enabled or not, with lock-outs: the manager's team list. */
  members(): StaffRecord[] {
    const now = this.now();
    const rows = this.db
      .prepare('SELECT * FROM staff ORDER BY disabled, role DESC, display_name LIMIT ?')
      .all(STAFF_MEMBERS_MAX) as (StaffRow & { created_at_ms: number })[];
    return rows.map((r) => this.record(r, now));
  }

  /** The newest audit rows first. */
  auditLog(limit = STAFF_AUDIT_LISTED_MAX): StaffAuditRow[] {
    return this.db
      .prepare('SELECT at_ms, actor, action, staff_id, detail FROM staff_audit ORDER BY id DESC LIMIT ?')
      .all(Math.min(limit, STAFF_AUDIT_LISTED_MAX)) as StaffAuditRow[];
  }

  /** Disables or re-enables a member. A disabled member cannot sign in and their open sign-ins
   * end at once. Never oneself, and never the last enabled manager (nobody could undo it). */
  setDisabled(byToken: string, staffId: string, disabled: boolean): StaffRecord {
    const by = this.require(byToken, 'manager');
    const row = this.row(staffId);
    if (disabled && staffId === by.staff_id)
      throw new StaffError('STAFF_CHANGE_REFUSED', 'you cannot disable yourself; ask another manager');
    if (disabled && row.role === 'manager' && row.disabled === 0) {
      const managers = this.db
        .prepare("SELECT count(*) FROM staff WHERE role = 'manager' AND disabled = 0")
        .pluck()
        .get() as number;
      if (managers <= 1)
        throw new StaffError(
          'STAFF_CHANGE_REFUSED',
          `${row.display_name} is the last manager; add another manager first`,
        );
    }
    if ((row.disabled === 1) !== disabled) {
      this.db.transaction(() => {
        this.db.prepare('UPDATE staff SET disabled = ? WHERE staff_id = ?').run(disabled ? 1 : 0, staffId);
        this.audit(approverOf(by), disabled ? 'disable' : 'enable', staffId, '');
      })();
      if (disabled) this.endSignInsOf(staffId);
    }
    return this.record(this.row(staffId), this.now());
  }

  /** A manager sets a member's PIN (a forgotten one); it lifts a lock-out too. Every open sign-in
   * of the member ends (whoever knew the old PIN may be signed in with it). */
  async resetPin(byToken: string, staffId: string, pin: string): Promise<StaffRecord> {
    const by = this.require(byToken, 'manager');
    this.row(staffId);
    const problem = pinProblem(pin);
    if (problem !== null) throw new StaffError('STAFF_PIN_INVALID', problem);
    const pinHash = await hashPin(pin);
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE staff SET pin_hash = ?, failed_attempts = 0, locked_until_ms = 0 WHERE staff_id = ?')
        .run(pinHash, staffId);
      this.audit(approverOf(by), 'reset_pin', staffId, '');
    })();
    this.endSignInsOf(staffId);
    return this.record(this.row(staffId), this.now());
  }

  /** A member changes their own PIN. A wrong current PIN counts towards the lock-out, as at
   * sign-in, so an unattended sign-in cannot be used to guess it. Their other sign-ins end;
   * the one that changed it stays open. */
  async changeOwnPin(token: string, currentPin: string, newPin: string): Promise<StaffMember> {
    const me = this.member(token);
    await this.checkOwnPin(me, currentPin, 'current PIN');
    const problem = pinProblem(newPin);
    if (problem !== null) throw new StaffError('STAFF_PIN_INVALID', problem);
    if (newPin === currentPin) throw new StaffError('STAFF_PIN_INVALID', 'the new PIN is the current one');
    const pinHash = await hashPin(newPin);
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE staff SET pin_hash = ?, failed_attempts = 0 WHERE staff_id = ?')
        .run(pinHash, me.staff_id);
      this.audit(approverOf(me), 'change_own_pin', me.staff_id, '');
    })();
    this.endSignInsOf(me.staff_id, token);
    return me;
  }

  /** The member behind the token, in `role`, giving their PIN again (for an action a token alone
   * must not do, such as leaving kiosk mode). A wrong PIN counts towards the lock-out as at
   * sign-in; the lock-out ends their sign-ins. */
  async confirmPin(token: string, role: Role, pin: string): Promise<StaffMember> {
    const me = this.require(token, role);
    await this.checkOwnPin(me, pin, 'PIN');
    this.db.prepare('UPDATE staff SET failed_attempts = 0 WHERE staff_id = ?').run(me.staff_id);
    return me;
  }

  /** Checks a signed-in member's PIN as sign-in does: refused while locked out, and a wrong one
   * counts; at SIGN_IN_FAILURES_MAX the member is locked out and every sign-in of theirs ends. */
  private async checkOwnPin(me: StaffMember, pin: string, what: string): Promise<void> {
    const row = this.row(me.staff_id);
    const now = this.now();
    if (row.locked_until_ms > now)
      throw new StaffError(
        'STAFF_LOCKED',
        `${row.display_name} is locked out; try again in ${Math.ceil((row.locked_until_ms - now) / 60_000)} min or ask a manager`,
        lockedUntil(row.locked_until_ms, now),
      );
    if (typeof pin === 'string' && (await checkPin(pin, row.pin_hash))) return;
    const failures = row.failed_attempts + 1;
    const locked = failures >= SIGN_IN_FAILURES_MAX;
    this.db
      .prepare('UPDATE staff SET failed_attempts = ?, locked_until_ms = ? WHERE staff_id = ?')
      .run(locked ? 0 : failures, locked ? now + LOCKOUT_MS : 0, me.staff_id);
    if (locked) {
      this.endSignInsOf(me.staff_id);
      throw new StaffError(
        'STAFF_LOCKED',
        `wrong PIN; ${row.display_name} is now locked out for ${LOCKOUT_MS / 60_000} min`,
        lockedUntil(now + LOCKOUT_MS, now),
      );
    }
    throw new StaffError(
      'STAFF_PIN_WRONG',
      `wrong ${what} (${SIGN_IN_FAILURES_MAX - failures} tries left before a lock-out)`,
      { tries_left: SIGN_IN_FAILURES_MAX - failures },
    );
  }

  /** A manager lifts a lock-out (and the count of wrong PINs) before it runs out. */
  unlock(byToken: string, staffId: string): StaffRecord {
    const by = this.require(byToken, 'manager');
    const row = this.row(staffId);
    this.db.transaction(() => {
      this.db.prepare('UPDATE staff SET failed_attempts = 0, locked_until_ms = 0 WHERE staff_id = ?').run(staffId);
      this.audit(
        approverOf(by),
        'unlock',
        staffId,
        row.locked_until_ms > this.now() ? 'was locked out' : 'was not locked out',
      );
    })();
    return this.record(this.row(staffId), this.now());
  }

  private row(staffId: string): StaffRow & { created_at_ms: number } {
    const row = this.db.prepare('SELECT * FROM staff WHERE staff_id = ?').get(staffId) as
      (StaffRow & { created_at_ms: number }) | undefined;
    if (row === undefined) throw new StaffError('STAFF_UNKNOWN', `no member of staff ${JSON.stringify(staffId)}`);
    return row;
  }

  private record(r: StaffRow & { created_at_ms: number }, now: number): StaffRecord {
    return {
      staff_id: r.staff_id,
      display_name: r.display_name,
      role: r.role,
      disabled: r.disabled === 1,
      locked_until_ms: r.locked_until_ms > now ? r.locked_until_ms : null,
      created_at_ms: r.created_at_ms,
    };
  }

  private audit(actor: string, action: StaffAuditAction, staffId: string, detail: string): void {
    this.db
      .prepare('INSERT INTO staff_audit (at_ms, actor, action, staff_id, detail) VALUES (?, ?, ?, ?, ?)')
      .run(this.now(), actor, action, staffId, detail.slice(0, 200));
  }

  /** Ends every open sign-in of a member, but the one of `keepToken` when given. */
  private endSignInsOf(staffId: string, keepToken?: string): void {
    const keep = keepToken === undefined ? null : tokenHash(keepToken);
    for (const [key, s] of this.signIns) if (s.staff_id === staffId && key !== keep) this.signIns.delete(key);
  }

  private evictIdle(now: number): void {
    for (const [key, s] of this.signIns) if (now - s.last_seen_ms > this.idleMs) this.signIns.delete(key);
  }
}
