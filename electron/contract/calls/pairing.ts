// Pairing a customer screen with the kiosk (electron/host/pairing): an unpaired screen asks for a
// code and shows it; a manager approves it on a staff screen with their PIN again; the screen
// then claims its device token over HTTP (PAIR_CLAIM_PATH: an HttpOnly cookie, never a call's
// answer). The manager lists and revokes pairings. The one-time link printed at start is a plain
// HTTP route (PAIR_LINK_PATH), not a call.
import { z } from 'zod';
import { SCREENS_LISTED_MAX } from '../constants.js';
import { actor, call, freeText, id, pin, reason, staffToken, text, timeMs } from '../shapes.js';

/** A customer screen paired with this kiosk, as the manager's Screens panel lists it. */
export const ScreenView = z.object({
  screen_id: id,
  label: freeText(60),
  paired_at_ms: timeMs,
  paired_by: actor,
  method: z.enum(['link', 'code']),
  last_seen_ms: timeMs.nullable(),
  revoked_at_ms: timeMs.nullable(),
  revoked_by: actor.nullable(),
  revoke_reason: text.nullable(),
});
export type ScreenView = z.infer<typeof ScreenView>;

const pairingCode = z.string().regex(/^\d{6}$/, '6 digits');

export const pairingCalls = {
  /** Any page: a code to show, and the secret only this page holds to claim its token with. */
  pairRequest: call({
    channel: 'pairing:request',
    timeout_ms: 3_000,
    request: z.object({}),
    response: z.object({
      code: pairingCode,
      request_id: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
      expires_at_ms: timeMs,
    }),
  }),
  /** Manager only, giving their PIN again (a wrong one counts toward their lock-out). */
  pairApprove: call({
    channel: 'pairing:approve',
    timeout_ms: 5_000,
    request: z.object({ token: staffToken, code: pairingCode, pin, label: freeText(60, { trim: true, minChars: 1 }) }),
    response: ScreenView,
  }),
  screensList: call({
    channel: 'pairing:list',
    timeout_ms: 3_000,
    request: z.object({ token: staffToken }),
    response: z.object({ screens: z.array(ScreenView).max(SCREENS_LISTED_MAX) }),
  }),
  /** Manager only: the screen's open connections close at once. */
  screenRevoke: call({
    channel: 'pairing:revoke',
    timeout_ms: 3_000,
    request: z.object({ token: staffToken, screen_id: id, reason }),
    response: ScreenView,
  }),
} as const;
