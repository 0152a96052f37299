// The manager's Integrity panel: the last full verification of the ledger, the server's
// receipts matched to our entries, the payments declined after sync (the follow-up list), and
// alarms (a fork, freezes, mismatched receipts, a failed verification).
import { z } from 'zod';
import { ALARMS_LISTED_MAX, FOLLOW_UP_LISTED_MAX } from '../constants.js';
import {
  actor,
  call,
  count,
  currency,
  freeText,
  minor,
  paymentMethod,
  seq,
  staffToken,
  text,
  timeMs,
} from '../shapes.js';

/** The last full verification of the ledger (ledger/verify/verify.ts), who ran it, and its result. */
export const Verification = z.object({
  at_ms: timeMs,
  by: actor,
  ok: z.boolean(),
  entries: count,
  tip_seq: count,
  /** The newest server receipt the ledger had to reach with the same hash (catches a cut tail). */
  anchor_seq: seq.nullable(),
  first_bad_seq: count.nullable(),
  code: z.string().max(64).nullable(),
  message: text.nullable(),
  elapsed_ms: count,
});
export type Verification = z.infer<typeof Verification>;

/** A payment or refund the settlement server declined after the kiosk had taken it. */
export const FollowUp = z.object({
  seq,
  kind: z.enum(['payment', 'refund']),
  amount_minor: minor,
  currency,
  method: paymentMethod.nullable(),
  customer_initials: freeText(8).nullable(),
  reason: text.nullable(),
  created_at_ms: timeMs,
  declined_at_ms: timeMs,
});
export type FollowUp = z.infer<typeof FollowUp>;

export const IntegrityAlarm = z.object({
  kind: z.enum(['fork', 'freeze', 'receipt_mismatch', 'chain_broken', 'manager_pin_reset']),
  /** When it happened or was learnt (null: not recorded). */
  at_ms: timeMs.nullable(),
  /** A freeze's target (wallet:..., merchant:..., payment:<entry hash>), a receipt's seq, the
   * manager whose PIN another manager set (manager:cy). */
  target: freeText(200).nullable(),
  detail: text,
  count,
});
export type IntegrityAlarm = z.infer<typeof IntegrityAlarm>;

export const IntegrityReport = z.object({
  verified: Verification.nullable(),
  ledger: z.object({ entries: count, tip_seq: count }),
  /** Server receipts matched to our entries (same entry hash), by status; pending: no receipt yet. */
  receipts: z.object({ settled: count, recorded: count, declined: count, pending: count, mismatched: count }),
  follow_up: z.array(FollowUp).max(FOLLOW_UP_LISTED_MAX),
  follow_up_total: count,
  alarms: z.array(IntegrityAlarm).max(ALARMS_LISTED_MAX),
  sync: z.object({ last_error: text.nullable(), server_url: text.nullable() }),
});
export type IntegrityReport = z.infer<typeof IntegrityReport>;

export const integrityCalls = {
  /** The last verification, receipts matched to entries, the declined follow-up list, alarms. */
  integrity: call({
    channel: 'integrity:get',
    timeout_ms: 5_000,
    request: z.object({ token: staffToken }),
    response: IntegrityReport,
  }),
  /** Verifies the whole ledger now (anchored at the newest receipt) and records the result. It
   * reads every entry (about 15,000 a second here): 30 s (the contract's most) covers some
   * 400,000 entries; a longer one still finishes and is recorded, and the panel shows it when
   * it next loads. */
  verifyNow: call({
    channel: 'integrity:verify',
    timeout_ms: 30_000,
    request: z.object({ token: staffToken }),
    response: Verification,
  }),
} as const;
