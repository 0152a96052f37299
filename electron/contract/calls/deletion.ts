// Deletion on the customer's own request at the kiosk: they show their face (a session, as at
// a payment) and type their phone's last digits; the server deletes the template everywhere.
// (A manager's deletion on a customer's request is the privacy panel's: privacy.ts.)
import { z } from 'zod';
import { call, id, phoneLast4 } from '../shapes.js';
import { SessionView } from './payment.js';

export const deletionCalls = {
  startDeletion: call({
    channel: 'delete:start',
    timeout_ms: 5_000,
    request: z.object({}),
    response: SessionView,
  }),
  /** Waits for the settlement server's deletion (its HTTP timeout is 10 s) and its feed. */
  finishDeletion: call({
    channel: 'delete:finish',
    timeout_ms: 20_000,
    request: z.object({ session_id: id, phone_last4: phoneLast4 }),
    response: SessionView,
  }),
} as const;
