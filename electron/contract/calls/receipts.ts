// A payment's receipt: what the customer screen shows after "Paid", with the QR code that lets
// anyone check the entry with the settlement server.
import { z } from 'zod';
import {
  ITEM_OPTIONS_MAX,
  ORDER_LINES_MAX,
  SALE_DISCOUNTS_MAX,
  SALE_RATES_MAX,
  SPLIT_SHARES_MAX,
} from '../constants.js';
import { call, currency, freeText, hex64, id, minor, paymentMethod, seq, staffToken, text, timeMs } from '../shapes.js';
import { pricing, rateBp, RateTotal, rounding, service, taxId } from './orders.js';

/** What was sold, as the signed payment (or the split bill's first part) carries it. */
export const ReceiptSale = z.object({
  pricing,
  rounding,
  service,
  lines: z
    .array(
      z.object({
        item_id: id,
        name: z.string().max(80),
        quantity: z.number().int().min(1),
        unit_minor: minor,
        options: z.array(id).max(ITEM_OPTIONS_MAX),
        amount_minor: minor,
        discount_minor: minor,
        rate_id: taxId,
        rate_bp: rateBp,
      }),
    )
    .max(ORDER_LINES_MAX),
  discounts: z
    .array(z.object({ line: z.number().int().min(0).nullable(), amount_minor: minor, reason: text }))
    .max(SALE_DISCOUNTS_MAX),
  by_rate: z.array(RateTotal).max(SALE_RATES_MAX),
  total_minor: minor,
});
export type ReceiptSale = z.infer<typeof ReceiptSale>;

/** A receipt code's length at most: what one QR code (version 40, binary) holds. */
export const RECEIPT_CODE_CHARS_MAX = 2_953;

/** KassenSichV § 6 / AEAO zu § 146a's receipt fields that the signing unit adds, and both codes. */
export const ReceiptFiscal = z.object({
  /** The transaction number: the ledger entry's seq. */
  transaction_number: seq,
  /** The signing unit's counter; null when the unit had failed. */
  signature_counter: z.number().int().min(1).nullable(),
  start_ms: timeMs,
  end_ms: timeMs,
  /** The till's serial (the kiosk id) and the signing unit's (SHA-256 of its public key). */
  kassen_serial: id,
  unit_serial: z.string().regex(/^[0-9a-f]{64}$/),
  algorithm: z.string().max(32),
  /** The signature (base64); empty when the unit had failed. */
  signature: z.string().max(200),
  /** "Sicherheitseinrichtung ausgefallen": the unit had failed, the receipt is unsigned. */
  unit_failed: z.boolean(),
  training: z.boolean(),
  /** DSFinV-K's QR code ("V0;...") and the RKSV receipt code ("_ED1-AT0_..."). */
  qr_code: z.string().max(RECEIPT_CODE_CHARS_MAX),
  rksv_code: z.string().max(RECEIPT_CODE_CHARS_MAX),
});
export type ReceiptFiscal = z.infer<typeof ReceiptFiscal>;

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
  // ---- the receipt as an accountant expects it ----
  merchant: z.object({ name: text, address: z.array(z.string().max(100)).max(4), vat_id: z.string().max(32) }),
  method: paymentMethod,
  /** The tip inside amount_minor. */
  tip_minor: minor,
  /** The bill; null for a payment signed without its lines (v1). */
  sale: ReceiptSale.nullable(),
  /** What this payment pays of the bill per rate (all of it, or its part of a split bill). */
  by_rate: z.array(RateTotal).max(SALE_RATES_MAX),
  /** Every payment of the bill so far, this one included (a split bill has several). */
  payments: z
    .array(z.object({ seq, method: paymentMethod, amount_minor: minor, tip_minor: minor }))
    .max(SPLIT_SHARES_MAX),
  /** The fiscal fields and codes; null where the kiosk keeps no fiscal log. */
  fiscal: ReceiptFiscal.nullable(),
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
