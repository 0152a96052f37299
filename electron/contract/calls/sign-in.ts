// Staff sign-in (cashier and manager): who may sign in, the PIN check (scrypt, about 100 ms,
// with a lock-out after repeated wrong PINs), and signing out. Every other staff call names the
// sign-in's token; the host checks the role behind it.
import { z } from 'zod';
import { STAFF_LISTED_MAX } from '../constants.js';
import { call, freeText, pin, role, staffId, staffToken, timeMs } from '../shapes.js';

export const StaffMember = z.object({ staff_id: staffId, display_name: freeText(60), role });
export type StaffMember = z.infer<typeof StaffMember>;

/** A member as the staff list names them: the role only to a signed-in member (before sign-in
 * the list is who may sign in, which the sign-in screen shows as names, and no more). */
export const StaffListed = StaffMember.extend({ role: role.nullable() });
export type StaffListed = z.infer<typeof StaffListed>;

/** A member signed in: their token, handed to the screen once (only its hash is kept). */
export const StaffSignIn = StaffMember.extend({
  token: staffToken,
  signed_in_at_ms: timeMs,
  idle_sign_out_ms: z.number().int().min(0),
  /** The sign-in ends then, however it is used (the host's clock). */
  expires_at_ms: timeMs,
  /** A manager whose PIN is shorter than a manager's must be: a cashier's work and a PIN change
   * only, until they choose a longer one (STAFF_PIN_CHANGE_REQUIRED). */
  pin_change_required: z.boolean(),
});
export type StaffSignIn = z.infer<typeof StaffSignIn>;

export const signInCalls = {
  /** Who may sign in (names; roles with a sign-in's token). */
  staffList: call({
    channel: 'staff:list',
    timeout_ms: 3_000,
    request: z.object({ token: staffToken.optional() }),
    response: z.object({ staff: z.array(StaffListed).max(STAFF_LISTED_MAX) }),
  }),
  staffSignIn: call({
    channel: 'staff:sign-in',
    timeout_ms: 5_000,
    request: z.object({
      staff_id: staffId,
      pin,
      /** Typed at a cashier's approval prompt: that cashier's token. Wrong PINs then lock the
       * prompt (the cashier and this member), not this member's own sign-in. */
      at_prompt_of: staffToken.optional(),
    }),
    response: StaffSignIn,
  }),
  staffSignOut: call({
    channel: 'staff:sign-out',
    timeout_ms: 3_000,
    request: z.object({ token: staffToken }),
    response: z.object({ signed_out: z.literal(true) }),
  }),
} as const;
