// The customer's screens as one state machine: self-check -> order -> smile to pay (a session)
// -> paid / declined / step-up -> receipt; enrolment (consent, then a session) and deletion.
import type { Receipt, SessionView } from '../../../electron/contract/api.js';

export type Screen =
  | { name: 'status' }
  | { name: 'order' }
  | { name: 'session'; session: SessionView }
  | { name: 'paid'; receipt: Receipt; initials: string }
  | { name: 'declined'; code: string; message: string; offerEnrolment: boolean }
  | { name: 'receipt'; receipt: Receipt }
  | { name: 'consent' }
  | { name: 'enrolled'; initials: string }
  | { name: 'deleted' };

export type SetScreen = (s: Screen | ((s: Screen) => Screen)) => void;
/** Shows the declined screen with the host's code and message. */
export type Fail = (code: string, message: string, offerEnrolment?: boolean) => void;
