// Enrolment at the customer screen: a session of live captures (observe, payment.ts), then the
// customer's consent, name and phone number; the template goes to the settlement server.
import { z } from 'zod';
import { call, freeText, id, lang } from '../shapes.js';
import { SessionView } from './payment.js';

/** The consent the customer gave on the screen: the text's version (it must be the current
 * one), the language it was shown in. */
export const Consent = z.object({
  text_version: id,
  language: lang,
  agreed: z.literal(true),
});
export type Consent = z.infer<typeof Consent>;

export const enrolmentCalls = {
  startEnrolment: call({
    channel: 'enrol:start',
    timeout_ms: 5_000,
    request: z.object({}),
    response: SessionView,
  }),
  /** After the captures: consent and phone number; the template goes to the server (its HTTP
   * timeout is 10 s, and the feed is pulled after it). */
  finishEnrolment: call({
    channel: 'enrol:finish',
    timeout_ms: 20_000,
    request: z.object({
      session_id: id,
      consent: Consent,
      display_name: freeText(60, { minChars: 1 }),
      phone: z.string().regex(/^\+?[0-9 ]{6,20}$/),
    }),
    response: SessionView,
  }),
} as const;
