// What the parts of the signed-in staff screen share: the host, the session's calls, the
// message line, one busy flag (a call at a time from the buttons that wait on it), the
// formatting of money and times in the screen's language, and the reload of the day's list.
import type { KioskClient, ResponseOf } from '../../../electron/contract/api.js';
import type { StaffMessages } from './staff-messages.js';
import type { WithToken } from './staff-session.js';

export type Day = ResponseOf<'dayEntries'>;
export type Money = (minor: number, currency: string) => string;

export interface Desk {
  api: KioskClient;
  withToken: WithToken;
  messages: StaffMessages;
  money: Money;
  time: (ms: number) => string;
  busy: boolean;
  setBusy: (busy: boolean) => void;
  /** Loads the day's list and the kiosk's current order again. */
  refresh: () => Promise<void>;
}

/** A staff PIN: 4 to 8 digits (the host checks it again). */
export const PIN_MIN = 4;
export const PIN_MAX = 8;
