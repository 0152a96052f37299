// The manager's Privacy panel: find an enrolled customer, see what they consented to, and
// delete their face template on their request (here at once, everywhere at the next sync).
import { z } from 'zod';
import { CUSTOMER_QUERY_LENGTH_MAX, CUSTOMER_RESULTS_MAX, ID_LENGTH_MAX } from '../constants.js';
import { actor, call, count, freeText, id, lang, phoneLast4, reason, staffToken, text, timeMs } from '../shapes.js';

/** What a customer agreed to at enrolment: the text's version and language, purpose, retention. */
export const ConsentView = z.object({
  text_version: z.string().max(ID_LENGTH_MAX),
  /** The language the consent text was shown in; null where it was not recorded (demo set-up). */
  language: lang.nullable(),
  purpose: text,
  retention_days: count,
  agreed_at_ms: timeMs,
  kiosk_id: id,
  /** kiosk: agreed on this kiosk's consent screen; demo: the demo store's set-up enrolled them. */
  source: z.enum(['kiosk', 'demo']),
});
export type ConsentView = z.infer<typeof ConsentView>;

export const DeletionView = z.object({
  requested_at_ms: timeMs,
  /** manager:ana (a manager on the customer's request), or customer (their own face + phone). */
  requested_by: actor,
  reason: text,
  /** pending: deleted on this kiosk, the server not told yet; propagated: the server deleted it
   * and every kiosk drops it at its next sync; refused: the server said no (see last_error). */
  status: z.enum(['pending', 'propagated', 'refused']),
  propagated_at_ms: timeMs.nullable(),
  last_error: text.nullable(),
});
export type DeletionView = z.infer<typeof DeletionView>;

export const CustomerView = z.object({
  customer_id: id,
  /** Null for a customer enrolled on another kiosk (this one holds only their template). */
  display_name: freeText(60).nullable(),
  initials: freeText(8).nullable(),
  phone_last4: phoneLast4.nullable(),
  enrolled_at_ms: timeMs.nullable(),
  template_on_kiosk: z.boolean(),
  consent: ConsentView.nullable(),
  deletion: DeletionView.nullable(),
});
export type CustomerView = z.infer<typeof CustomerView>;

export const privacyCalls = {
  /** By a part of the name, initials (D.O.), the phone's last 4 digits, or the customer id. */
  findCustomers: call({
    channel: 'privacy:find',
    timeout_ms: 5_000,
    request: z.object({ token: staffToken, query: freeText(CUSTOMER_QUERY_LENGTH_MAX, { trim: true, minChars: 1 }) }),
    response: z.object({
      customers: z.array(CustomerView).max(CUSTOMER_RESULTS_MAX),
      truncated: z.boolean(),
      pending_deletions: count,
    }),
  }),
  /** Deletes a customer's template on this kiosk at once and everywhere at the next sync; then
   * tells the settlement server (its HTTP timeout is 10 s). */
  deleteCustomer: call({
    channel: 'privacy:delete',
    timeout_ms: 20_000,
    request: z.object({ token: staffToken, customer_id: id, reason }),
    response: CustomerView,
  }),
  /** One customer's consent record (and deletion, if any), also after the deletion. */
  consentRecords: call({
    channel: 'privacy:consent',
    timeout_ms: 3_000,
    request: z.object({ token: staffToken, customer_id: id }),
    response: CustomerView,
  }),
} as const;
