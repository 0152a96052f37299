// Staff sign-in for the cashier's and manager's screens: who may sign in, with which role,
// PIN checks with a lock-out after repeated failures, sign-ins that end after idle time,
// and the role checks every action that changes money or a limit goes through. The
// approver's id is what the ledger records as approved_by / changed_by / closed_by.
//
// Sign-ins live in memory only: a restart signs everyone out, which is what a shop expects.
// (A "session" is a customer's at the camera, electron/host/payment/sessions.ts; a member of
// staff has a sign-in, behind its token.)

import Database from 'better-sqlite3';
import { migrate } from '../../../ledger/store/migrate.js';
import * as m0001 from './migrations/0001-staff.js';
import * as m0002 from './migrations/0002-audit.js';
import * as m0003 from './migrations/0003-lockouts.js';
import { hashPin, MANAGER_PIN_DIGITS_MIN, pinProblem } from './pin-hash.js';
import { ApprovalAttempts } from './approval-attempts.js';
import { PinAttempts, type StaffRow } from './pin-attempts.js';
import { SignIns, IDLE_SIGN_OUT_MS_DEFAULT, SIGN_IN_LIFETIME_MS_MAX } from './sign-ins.js';
import { ROLES, StaffError, type Role, type StaffMember } from './staff-error.js';
import { ApiFault } from '../fault.js';

export { ROLES, StaffError, type Role, type StaffErrorCode, type StaffMember } from './staff-error.js';
export { LOCKOUT_MS, LOCKOUT_MS_MAX, lockoutMsFor, SIGN_IN_FAILURES_MAX } from './pin-attempts.js';
export { IDLE_SIGN_OUT_MS_DEFAULT, SIGN_IN_LIFETIME_MS_MAX, SIGN_INS_MAX } from './sign-ins.js';

export const STAFF_MIGRATIONS = [m0001, m0002, m0003] as const;
export const STAFF_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,31}$/;
/** Members a kiosk holds, enabled or not (the team list shows every one). */
export const STAFF_MEMBERS_MAX = 64;
/** Audit rows listed at once, newest first. */
export const STAFF_AUDIT_LISTED_MAX = 50;
/** Audit detail of a manager's PIN set by another manager (the integrity panel's alarm finds it). */
export const MANAGER_PIN_RESET_DETAIL = "a manager's PIN, set by another manager";

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

export interface StaffSignIn extends StaffMember {
  /** Handed to the screen once; only its hash is kept. */
  token: string;
  signed_in_at_ms: number;
  /** When the sign-in ends however it is used (SIGN_IN_LIFETIME_MS_MAX after the PIN). */
  expires_at_ms: number;
  /** A manager with a PIN shorter than MANAGER_PIN_DIGITS_MIN: a PIN change first. */
  pin_change_required: boolean;
}

/** A member as the ledger, the audit rows and the logs name whoever approved, took, closed or
 * changed something: "manager:ana". The one place this name is made. */
export function approverOf(m: Pick<StaffMember, 'role' | 'staff_id'>): string {
  return `${m.role}:${m.staff_id}`;
}

export class StaffDirectory {
  private readonly db: Database.Database;
  private readonly signIns: SignIns;
  private readonly attempts: PinAttempts;
  private readonly prompts: ApprovalAttempts;
  private readonly now: () => number;
  readonly idleMs: number;

  constructor(
    path: string,
    options: { now?: () => number; idle_sign_out_ms?: number; sign_in_lifetime_ms?: number } = {},
  ) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    migrate(this.db, STAFF_MIGRATIONS, path);
    this.now = options.now ?? Date.now;
    this.idleMs = options.idle_sign_out_ms ?? IDLE_SIGN_OUT_MS_DEFAULT;
    this.signIns = new SignIns(this.now, this.idleMs, options.sign_in_lifetime_ms ?? SIGN_IN_LIFETIME_MS_MAX);
    this.attempts = new PinAttempts(this.db, this.now);
    this.prompts = new ApprovalAttempts(this.now);
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
  async add(member: StaffMember, pin: string, by?: Pick<StaffSignIn, 'token'>): Promise<StaffMember> {
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
    const problem = pinProblem(pin, member.role);
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

  /** Checks a PIN (counted before it is checked: pin-attempts.ts); on success opens a sign-in.
   * A manager whose PIN predates the 6-digit rule is signed in with pin_change_required. */
  async signIn(staffId: string, pin: string): Promise<StaffSignIn> {
    return this.opened(await this.attempts.check(staffId, pin, 'PIN'), pin);
  }

  /** A sign-in at a cashier's approval prompt (the cashier's token names it): wrong PINs lock
   * the prompt, not the member (approval-attempts.ts). */
  async signInAtPrompt(staffId: string, pin: string, cashierToken: string): Promise<StaffSignIn> {
    const asker = this.require(cashierToken, 'cashier');
    return this.opened(
      await this.attempts.checkAtPrompt(staffId, pin, `${asker.staff_id}>${staffId}`, this.prompts),
      pin,
    );
  }

  private opened(row: StaffRow, pin: string): StaffSignIn {
    const member: StaffMember = { staff_id: row.staff_id, display_name: row.display_name, role: row.role };
    const weak = row.role === 'manager' && pin.length < MANAGER_PIN_DIGITS_MIN;
    const { token, record } = this.signIns.begin(member, weak);
    return {
      ...member,
      token,
      signed_in_at_ms: record.signed_in_at_ms,
      expires_at_ms: record.signed_in_at_ms + this.signIns.lifetimeMs,
      pin_change_required: weak,
    };
  }

  /** The member behind a sign-in's token, if it is open; using it keeps it open. */
  member(token: string | undefined): StaffMember {
    const r = this.signIns.use(token);
    return { staff_id: r.staff_id, display_name: r.display_name, role: r.role };
  }

  /** Whether a token is an open sign-in now, without keeping it open (the transport asks it
   * before each order push: pushes are not use). */
  isOpen(token: string): boolean {
    return this.signIns.isOpen(token);
  }

  /** Whether a token is an open sign-in (using it keeps it open). */
  isSignedIn(token: string): boolean {
    try {
      this.signIns.use(token);
      return true;
    } catch (err) {
      if (err instanceof StaffError) return false;
      throw err;
    }
  }

  /** The member behind the token if their role allows `role` (a manager may do a cashier's
   * work). A manager who must change their PIN first does a cashier's work only. */
  require(token: string | undefined, role: Role): StaffMember {
    const r = this.signIns.use(token);
    if (role === 'manager' && r.role !== 'manager')
      throw new StaffError('STAFF_FORBIDDEN', `${r.display_name} is a cashier; this needs a manager`);
    if (role === 'manager' && r.pin_change_required)
      throw new StaffError(
        'STAFF_PIN_CHANGE_REQUIRED',
        `${r.display_name}'s manager PIN has fewer than ${MANAGER_PIN_DIGITS_MIN} digits: change it (My PIN) before a manager's work`,
      );
    return { staff_id: r.staff_id, display_name: r.display_name, role: r.role };
  }

  /** Who approved an action, as the ledger records it: "manager:ana". */
  approver(token: string | undefined, role: Role): string {
    return approverOf(this.require(token, role));
  }

  signOut(token: string): void {
    this.signIns.end(token);
  }

  // ---- staff management (manager; changeOwnPin any member) --------------------------------------

  /** Every member, enabled or not, with lock-outs: the manager's team list. */
  members(): StaffRecord[] {
    const now = this.now();
    const rows = this.db
      .prepare('SELECT * FROM staff ORDER BY disabled, role DESC, display_name LIMIT ?')
      .all(STAFF_MEMBERS_MAX) as StaffRow[];
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
      if (disabled) this.signIns.endOf(staffId);
    }
    return this.record(this.row(staffId), this.now());
  }

  /** A manager sets a member's PIN (a forgotten one); it lifts a lock-out too. Every open sign-in
   * of the member ends (whoever knew the old PIN may be signed in with it). A manager who sets
   * another manager's PIN can sign in as them: the audit row says so, and the integrity panel
   * shows it as an alarm (managerPinResets) so that the other manager learns of it. */
  async resetPin(byToken: string, staffId: string, pin: string): Promise<StaffRecord> {
    const by = this.require(byToken, 'manager');
    const target = this.row(staffId);
    const problem = pinProblem(pin, target.role);
    if (problem !== null) throw new StaffError('STAFF_PIN_INVALID', problem);
    const pinHash = await hashPin(pin);
    const otherManager = target.role === 'manager' && target.staff_id !== by.staff_id;
    this.db.transaction(() => {
      this.db
        .prepare(
          'UPDATE staff SET pin_hash = ?, failed_attempts = 0, locked_until_ms = 0, lockouts = 0 WHERE staff_id = ?',
        )
        .run(pinHash, staffId);
      this.audit(approverOf(by), 'reset_pin', staffId, otherManager ? MANAGER_PIN_RESET_DETAIL : '');
    })();
    this.signIns.endOf(staffId);
    return this.record(this.row(staffId), this.now());
  }

  /** A member changes their own PIN. A wrong current PIN counts towards the lock-out, as at
   * sign-in, so an unattended sign-in cannot be used to guess it. Their other sign-ins end;
   * the one that changed it stays open (and a manager's PIN change requirement is met). */
  async changeOwnPin(token: string, currentPin: string, newPin: string): Promise<StaffMember> {
    const me = this.member(token);
    await this.checkOwnPin(me, currentPin, 'current PIN');
    const problem = pinProblem(newPin, me.role);
    if (problem !== null) throw new StaffError('STAFF_PIN_INVALID', problem);
    if (newPin === currentPin) throw new StaffError('STAFF_PIN_INVALID', 'the new PIN is the current one');
    const pinHash = await hashPin(newPin);
    this.db.transaction(() => {
      this.db.prepare('UPDATE staff SET pin_hash = ? WHERE staff_id = ?').run(pinHash, me.staff_id);
      this.audit(approverOf(me), 'change_own_pin', me.staff_id, '');
    })();
    this.signIns.endOf(me.staff_id, token);
    this.signIns.pinChanged(token);
    return me;
  }

  /** The member behind the token, in `role`, giving their PIN again (for an action a token alone
   * must not do, such as leaving kiosk mode). A wrong PIN counts towards the lock-out as at
   * sign-in; the lock-out ends their sign-ins. */
  async confirmPin(token: string, role: Role, pin: string): Promise<StaffMember> {
    const me = this.require(token, role);
    await this.checkOwnPin(me, pin, 'PIN');
    return me;
  }

  /** A signed-in member's PIN, checked and counted as at sign-in (pin-attempts.ts); the
   * lock-out it may set ends every sign-in of theirs. */
  private async checkOwnPin(me: StaffMember, pin: string, what: string): Promise<void> {
    await this.attempts.check(me.staff_id, pin, what, () => this.signIns.endOf(me.staff_id));
  }

  /** A manager lifts a lock-out (and the count of wrong PINs and lock-outs) before it runs out. */
  unlock(byToken: string, staffId: string): StaffRecord {
    const by = this.require(byToken, 'manager');
    const row = this.row(staffId);
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE staff SET failed_attempts = 0, locked_until_ms = 0, lockouts = 0 WHERE staff_id = ?')
        .run(staffId);
      this.audit(
        approverOf(by),
        'unlock',
        staffId,
        row.locked_until_ms > this.now() ? 'was locked out' : 'was not locked out',
      );
    })();
    return this.record(this.row(staffId), this.now());
  }

  /** Managers' PINs set by another manager since `sinceMs`, newest first (the integrity panel's
   * alarm: whoever set it could sign in as them). */
  managerPinResets(sinceMs: number, limit: number): StaffAuditRow[] {
    return this.db
      .prepare(
        "SELECT at_ms, actor, action, staff_id, detail FROM staff_audit WHERE action = 'reset_pin' AND detail = ? AND at_ms >= ? ORDER BY id DESC LIMIT ?",
      )
      .all(MANAGER_PIN_RESET_DETAIL, sinceMs, limit) as StaffAuditRow[];
  }

  private row(staffId: string): StaffRow {
    const row = this.db.prepare('SELECT * FROM staff WHERE staff_id = ?').get(staffId) as StaffRow | undefined;
    if (row === undefined) throw new StaffError('STAFF_UNKNOWN', `no member of staff ${JSON.stringify(staffId)}`);
    return row;
  }

  private record(r: StaffRow, now: number): StaffRecord {
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
}
