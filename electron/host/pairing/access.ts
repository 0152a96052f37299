// Who may make which call. Every transport names its caller: the Electron window (paired by
// construction), or a browser connection with the screen its device token names, if any. Calls
// that start or feed a face session, or read a customer's order or receipt, need a paired
// customer screen; the staff calls check their own staff tokens (signed-in staff on any device);
// the rest (status, the menu, the open order the counter follows, staff sign-in, asking for a
// pairing code) anyone on the kiosk's origin may make: an unpaired page sees the status page.
import type { CallName } from '../../contract/api.js';
import { ApiFault } from '../fault.js';
import type { ScreenLink } from '../payment/sessions.js';

export interface Caller {
  /** The paired customer screen making the call, or null (unpaired page, staff device). */
  screen: (ScreenLink & { label: string }) | null;
}

export const NOBODY: Caller = { screen: null };

/** Calls only a paired customer screen may make (the frames path is checked by its transport).
 * Not `receipt`: signed-in staff read receipts too, from any device; its handler requires the
 * paired screen when no staff token is given (payment/receipts.ts). */
export const SCREEN_CALLS: ReadonlySet<CallName> = new Set<CallName>([
  'reportClient',
  'createOrder',
  'getOrder',
  'startPayment',
  'stepUp',
  'cancel',
  'startEnrolment',
  'finishEnrolment',
  'startDeletion',
  'finishDeletion',
]);

/** Null when `caller` may make `call`, else the refusal. */
export function accessRefusal(call: CallName, caller: Caller): { code: 'SCREEN_NOT_PAIRED'; message: string } | null {
  if (!SCREEN_CALLS.has(call) || caller.screen !== null) return null;
  return {
    code: 'SCREEN_NOT_PAIRED',
    message: `${call}: this screen is not paired with the kiosk; a manager pairs it (Staff > Screens) or open the link the kiosk printed at start`,
  };
}

/** The caller's paired customer screen; the transports refuse unpaired callers of SCREEN_CALLS
 * before any handler runs (accessRefusal), so a handler that finds none refuses all the same. */
export function requireScreen(caller: Caller | undefined): ScreenLink {
  if (!caller?.screen) throw new ApiFault('SCREEN_NOT_PAIRED', 'only a paired customer screen may do this');
  return caller.screen;
}
