// Staff sign-in (cashier and manager): who may sign in, the PIN check (scrypt, about 100 ms,
// with a lock-out after repeated wrong PINs), and signing out. Every other staff call names the
// sign-in's token; the host checks the role behind it.
import { z } from 'zod';
import { STAFF_LISTED_MAX } from '../constants.js';
import { call, pin, role, staffId, staffToken, timeMs } from '../shapes.js';

export const StaffMember = z.object({ staff_id: staffId, display_name: z.string().max(60), role });
export type StaffMember = z.infer<typeof StaffMember>;

/** A member signed in: their token, handed to the screen once (only its hash is kept). */
export const StaffSignIn = StaffMember.extend({
  token: staffToken,
  signed_in_at_ms: timeMs,
  idle_sign_out_ms: z.number().int().min(0),
});
export type StaffSignIn = z.infer<typeof StaffSignIn>;

export const signInCalls = {
  staffList: call({
    channel: 'staff:list',
    timeout_ms: 3_000,
    request: z.object({}),
    response: z.object({ staff: z.array(StaffMember).max(STAFF_LISTED_MAX) }),
  }),
  staffSignIn: call({
    channel: 'staff:sign-in',
    timeout_ms: 5_000,
    request: z.object({ staff_id: staffId, pin }),
    response: StaffSignIn,
  }),
  staffSignOut: call({
    channel: 'staff:sign-out',
    timeout_ms: 3_000,
    request: z.object({ token: staffToken }),
    response: z.object({ signed_out: z.literal(true) }),
  }),
} as const;
