// The manager's Team panel (staff management) and leaving kiosk mode. Adding a member and PIN
// changes hash with scrypt. Staff changes move no money, so they are not ledger entries:
// staff.db keeps an audit row of each, and the host logs it. Leaving kiosk mode hands over the
// machine's desktop, so it is a signed config entry and needs the manager's PIN again.
import { z } from 'zod';
import { TEAM_AUDIT_LISTED_MAX, TEAM_MEMBERS_MAX } from '../constants.js';
import { actor, call, freeText, pin, reason, role, seq, staffId, staffToken, text, timeMs } from '../shapes.js';
import { StaffMember } from './sign-in.js';

export const TeamMember = StaffMember.extend({
  disabled: z.boolean(),
  /** Locked out after wrong PINs until then; null when not locked. */
  locked_until_ms: timeMs.nullable(),
  created_at_ms: timeMs,
});
export type TeamMember = z.infer<typeof TeamMember>;

export const TeamAudit = z.object({
  at_ms: timeMs,
  actor,
  action: z.enum(['add', 'disable', 'enable', 'reset_pin', 'change_own_pin', 'unlock']),
  staff_id: staffId,
  detail: text,
});
export type TeamAudit = z.infer<typeof TeamAudit>;

export const teamCalls = {
  teamList: call({
    channel: 'team:list',
    timeout_ms: 3_000,
    request: z.object({ token: staffToken }),
    response: z.object({
      members: z.array(TeamMember).max(TEAM_MEMBERS_MAX),
      members_max: z.number().int().min(1),
      audit: z.array(TeamAudit).max(TEAM_AUDIT_LISTED_MAX),
    }),
  }),
  teamAdd: call({
    channel: 'team:add',
    timeout_ms: 5_000,
    request: z.object({
      token: staffToken,
      staff_id: staffId,
      display_name: freeText(60, { trim: true, minChars: 1 }),
      role,
      pin,
    }),
    response: TeamMember,
  }),
  /** Disabled members cannot sign in and their sign-ins end; never oneself or the last manager. */
  teamSetDisabled: call({
    channel: 'team:set-disabled',
    timeout_ms: 3_000,
    request: z.object({ token: staffToken, staff_id: staffId, disabled: z.boolean() }),
    response: TeamMember,
  }),
  /** A manager sets anyone's PIN (a forgotten PIN); it also lifts a lock-out. */
  teamResetPin: call({
    channel: 'team:reset-pin',
    timeout_ms: 5_000,
    request: z.object({ token: staffToken, staff_id: staffId, pin }),
    response: TeamMember,
  }),
  teamUnlock: call({
    channel: 'team:unlock',
    timeout_ms: 3_000,
    request: z.object({ token: staffToken, staff_id: staffId }),
    response: TeamMember,
  }),
  /** Any member changes their own PIN, giving the current one (wrong ones count to a lock-out). */
  changeOwnPin: call({
    channel: 'team:change-own-pin',
    timeout_ms: 5_000,
    request: z.object({ token: staffToken, current_pin: pin, new_pin: pin }),
    response: z.object({ staff_id: staffId }),
  }),
  /** Manager only, giving their PIN again (a wrong one counts to a lock-out): the Electron window
   * leaves kiosk (full-screen) mode; a signed config entry records who. Already off (left earlier
   * in this run): nothing is written, already_off is true and the answer names the entry that left it. */
  leaveKioskMode: call({
    channel: 'kiosk:leave-kiosk-mode',
    timeout_ms: 3_000,
    request: z.object({ token: staffToken, pin, reason: reason.optional() }),
    response: z.object({
      seq,
      left_by: freeText(80),
      left_at_ms: timeMs,
      kiosk_window: z.boolean(),
      already_off: z.boolean(),
    }),
  }),
} as const;
