// Authorising a face payment on the kiosk, before it is signed: the customer's account is
// not frozen, and the kiosk stays within its offline limits, because until the server
// settles a payment nobody knows the wallet holds the money. Square's offline rules, as a
// kiosk's: a most per payment, a most per customer per day not yet settled, and the oldest
// entry the server has not receipted younger than 24 hours (else the kiosk stops taking
// face payments until it syncs). Refusals carry a code and a message a customer understands.

import { formatMoney } from '../protocol/money.js';
import { zoneClock } from '../protocol/zone-clock.js';
import {
  OFFLINE_CUSTOMER_DAY_MINOR_MAX_DEFAULT,
  OFFLINE_PAYMENT_MINOR_MAX_DEFAULT,
  OFFLINE_UNSYNCED_AGE_MS_MAX,
} from '../wire/limits.js';
import type { KioskLimits, KioskState } from './kiosk-state.js';

export type OfflineRefusalCode =
  'OFFLINE_ACCOUNT_FROZEN' | 'OFFLINE_PAYMENT_OVER_LIMIT' | 'OFFLINE_DAY_OVER_LIMIT' | 'OFFLINE_SYNC_OVERDUE';

export type OfflineDecision = { ok: true } | { ok: false; code: OfflineRefusalCode; message: string; detail: string };

export interface FacePaymentRequest {
  customer_id: string;
  amount_minor: number;
  currency: string;
  now_ms: number;
  /** When "today" began for the per-customer-day limit: the store's local midnight, from the
   * store's clock (ledger/protocol/zone-clock.ts, in the ledger's time zone); without it, the UTC day. */
  day_start_ms?: number;
  /** The kiosk's own configured limits; where the server has sent limits too, the stricter apply. */
  local_limits?: KioskLimits;
}

export const DEFAULT_LIMITS: KioskLimits = {
  payment_minor_max: OFFLINE_PAYMENT_MINOR_MAX_DEFAULT,
  customer_day_minor_max: OFFLINE_CUSTOMER_DAY_MINOR_MAX_DEFAULT,
  unsynced_age_ms_max: OFFLINE_UNSYNCED_AGE_MS_MAX,
};

/** "Today" for a caller that names no store day: the UTC day, from the one store clock. */
const UTC_CLOCK = zoneClock('UTC');

export function authorizeFacePayment(state: KioskState, req: FacePaymentRequest): OfflineDecision {
  if (!Number.isSafeInteger(req.amount_minor) || req.amount_minor <= 0) {
    throw new Error(`assertion failed: amount_minor must be a positive safe integer, got ${req.amount_minor}`);
  }
  const limits = effectiveLimits(state.limits(req.currency), req.local_limits);
  if (state.frozenReason('account', `wallet:${req.customer_id}`) !== undefined) {
    return refuse(
      'OFFLINE_ACCOUNT_FROZEN',
      'This account is on hold, so it cannot pay by face. Please pay another way or ask a member of staff.',
      `wallet:${req.customer_id} is frozen`,
    );
  }
  if (req.amount_minor > limits.payment_minor_max) {
    return refuse(
      'OFFLINE_PAYMENT_OVER_LIMIT',
      `Face payment here is limited to ${formatMoney(limits.payment_minor_max, req.currency)} per payment. Please pay by card or cash.`,
      `amount ${req.amount_minor} above payment_minor_max ${limits.payment_minor_max}`,
    );
  }
  const dayStart = req.day_start_ms ?? UTC_CLOCK.dayStartMs(req.now_ms);
  if (!(dayStart <= req.now_ms && req.now_ms - dayStart <= 26 * 3_600_000))
    throw new Error(`assertion failed: day_start_ms ${dayStart} is not within the day before now_ms ${req.now_ms}`);
  const unsettled = state.customerUnsettledMinor(req.customer_id, req.currency, dayStart);
  if (unsettled + req.amount_minor > limits.customer_day_minor_max) {
    return refuse(
      'OFFLINE_DAY_OVER_LIMIT',
      `You have reached today's face payment limit at this kiosk (${formatMoney(limits.customer_day_minor_max, req.currency)}). Please pay by card or cash.`,
      `unsettled today ${unsettled} + ${req.amount_minor} above customer_day_minor_max ${limits.customer_day_minor_max}`,
    );
  }
  const oldest = state.oldestUnsyncedAtMs();
  if (oldest !== null && req.now_ms - oldest > limits.unsynced_age_ms_max) {
    return refuse(
      'OFFLINE_SYNC_OVERDUE',
      'This kiosk has been offline too long to accept face payments. Please pay by card or cash while we reconnect.',
      `oldest unsynced entry is ${req.now_ms - oldest} ms old, more than ${limits.unsynced_age_ms_max}`,
    );
  }
  return { ok: true };
}

/** Each limit is the stricter of the server's and the kiosk's own; the defaults where neither says. */
export function effectiveLimits(server: KioskLimits | undefined, local: KioskLimits | undefined): KioskLimits {
  if (server === undefined || local === undefined) return server ?? local ?? DEFAULT_LIMITS;
  return {
    payment_minor_max: Math.min(server.payment_minor_max, local.payment_minor_max),
    customer_day_minor_max: Math.min(server.customer_day_minor_max, local.customer_day_minor_max),
    unsynced_age_ms_max: Math.min(server.unsynced_age_ms_max, local.unsynced_age_ms_max),
  };
}

function refuse(code: OfflineRefusalCode, message: string, detail: string): OfflineDecision {
  return { ok: false, code, message, detail };
}
