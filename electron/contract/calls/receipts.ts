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
  /** A receipt again (its settlement status so far): for the customer screen that made the
   * payment, which names the payment's id (only that screen was shown it), or for signed-in staff
   * (a cashier's token reads any). Never to whoever asks by seq alone: the seqs are consecutive,
   * and walking them read every customer's initials, amounts and orders. */
  receipt: call({
    channel: 'receipts:get',
    timeout_ms: 3_000,
    request: z
      .object({ seq, payment_id: id.optional(), token: staffToken.optional() })
      .refine((r) => r.payment_id !== undefined || r.token !== undefined, {
        message: "the payment's payment_id, or a staff sign-in's token",
        path: ['payment_id'],
      }),
    response: Receipt,
  }),
} as const;
