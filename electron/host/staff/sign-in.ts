// Staff sign-in for the cashier's and manager's screens (the signIn domain's calls): who may sign
// in, the PIN check with its lock-out (directory.ts), and signing out. A refusal is the
// directory's StaffError, answered with its code and details (tries left, the lock-out's end).
import type { Logger } from 'pino';
import type { RequestOf, ResponseOf } from '../../contract/api.js';
import type { DomainService } from '../transport/routes.js';
import { StaffError, type StaffDirectory } from './directory.js';

export class SignInService implements DomainService<'signIn'> {
  constructor(private readonly p: { log: Logger; staff: StaffDirectory }) {}

  /** Before sign-in, the names the sign-in screen shows; the roles only to a signed-in member
   * (a cashier's screen picks the manager who approves a refund from them). */
  staffList(req: RequestOf<'staffList'>): ResponseOf<'staffList'> {
    const signedIn = req.token !== undefined && this.p.staff.isSignedIn(req.token);
    return { staff: this.p.staff.list().map((m) => ({ ...m, role: signedIn ? m.role : null })) };
  }

  async staffSignIn(req: RequestOf<'staffSignIn'>): Promise<ResponseOf<'staffSignIn'>> {
    try {
      const s =
        req.at_prompt_of !== undefined
          ? await this.p.staff.signInAtPrompt(req.staff_id, req.pin, req.at_prompt_of)
          : await this.p.staff.signIn(req.staff_id, req.pin);
      this.p.log.info(
        { staff: s.staff_id, role: s.role, pin_change_required: s.pin_change_required },
        'staff signed in',
      );
      return {
        staff_id: s.staff_id,
        display_name: s.display_name,
        role: s.role,
        token: s.token,
        signed_in_at_ms: s.signed_in_at_ms,
        idle_sign_out_ms: this.p.staff.idleMs,
        expires_at_ms: s.expires_at_ms,
        pin_change_required: s.pin_change_required,
      };
    } catch (err) {
      if (err instanceof StaffError) this.p.log.info({ staff: req.staff_id, code: err.code }, 'staff sign-in refused');
      throw err;
    }
  }

  staffSignOut(req: RequestOf<'staffSignOut'>): ResponseOf<'staffSignOut'> {
    this.p.staff.signOut(req.token);
    return { signed_out: true };
  }
}
