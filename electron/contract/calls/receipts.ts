// A payment's receipt: what the customer screen shows after "Paid", with the QR code that lets
// anyone check the entry with the settlement server.
import { z } from 'zod';
import { call, currency, freeText, hex64, id, minor, seq, staffToken, timeMs } from '../shapes.js';

export const Receipt = z.object({
  seq: z.number().int().min(1),
  entry_hash: hex64,
  payment_id: id,
  order_id: id,
  amount_minor: minor,
  currency,
  created_at_ms: timeMs,
  customer_initials: freeText(8),
  step_up: z.boolean(),
  /** The settlement server's public lookup for this entry (the QR code's content), if known. */
  lookup_url: z.string().max(1024).nullable(),
  /** settled, declined, or pending (not yet receipted by the server). */
  settlement: z.enum(['pending', 'settled', 'declined']),
});
export type Receipt = z.infer<typeof Receipt>;

export const receiptCalls = {
  /** A payment's receipt, to the customer screen whose session made it (its session id, for a
   * while after: RECEIPT_SESSION_TTL_MS) or to signed-in staff: never to whoever asks by seq
   * (the seqs are consecutive: they could be walked, customer by customer). */
  receipt: call({
    channel: 'receipts:get',
    timeout_ms: 3_000,
    request: z
      .object({ seq, session_id: id.optional(), token: staffToken.optional() })
      .refine((r) => r.session_id !== undefined || r.token !== undefined, {
        message: "the payment's session_id, or a staff sign-in's token",
        path: ['session_id'],
      }),
    response: Receipt,
  }),
} as const;
