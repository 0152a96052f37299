// A face payment at the customer screen, as a session: one customer in front of the camera
// from the first frame to paid or refused. The screen sends its camera frames (binary messages,
// frames.ts, not calls); the host observes them itself, runs the liveness challenge, says when
// to smile (a push), matches the face (asking for the phone's last digits when unsure) and
// pushes the session as it now stands after each frame.
// Enrolment and deletion on request are sessions too (enrolment.ts, deletion.ts): cancel serves
// all three kinds.
import { z } from 'zod';
import { FaceBoxSchema } from '../vision.js';
import { call, freeText, id, phoneLast4, signedMinor, text } from '../shapes.js';
import { Receipt } from './receipts.js';

/** What the screen should tell the customer now. The host chooses; the renderer translates. */
export const Hint = z.enum([
  'look_at_camera',
  'come_closer',
  'one_person',
  'hold_still',
  'keep_neutral',
  'now_smile',
  'checking',
]);
export type Hint = z.infer<typeof Hint>;

export const SessionView = z.object({
  session_id: id,
  kind: z.enum(['payment', 'enrol', 'delete']),
  phase: z.enum(['looking', 'prompt', 'step_up', 'details', 'done', 'refused']),
  hint: Hint.nullable(),
  /** The 8 bytes (hex) the screen puts in each of this session's frame messages (frames.ts). */
  frame_tag: z.string().regex(/^[0-9a-f]{16}$/),
  /** "Now smile" is due: the host says so when its clock says, never ahead of time. */
  prompt: z.boolean(),
  /** Why a session was refused (FACE_*, OFFLINE_*, ENROL_*...), with the host's own message. */
  error: z.object({ code: z.string().max(64), message: text }).nullable(),
  /** The enrolment offer after FACE_NOT_ENROLLED. */
  offer_enrolment: z.boolean(),
  receipt: Receipt.nullable(),
  /** Enrolment: good captures so far, and how many are needed. */
  captures: z.object({ good: z.number().int().min(0), needed: z.number().int().min(0) }).nullable(),
  customer_initials: freeText(8).nullable(),
  /** Step-up: wrong phone digits still allowed in this session. */
  digits_left: z.number().int().min(0).nullable(),
  /** The face the host last saw, for the screen's guide (frame pixels). */
  face: z
    .object({
      box: FaceBoxSchema,
      frame_width: z.number().int().positive().max(8192),
      frame_height: z.number().int().positive().max(8192),
    })
    .nullable(),
  /** The last frame's fate: observed, dropped (the kiosk was busy) or refused (with why). */
  frame: z
    .object({
      seq: z.number().int().min(0),
      outcome: z.enum(['observed', 'dropped', 'refused']),
      code: z.string().max(64).nullable(),
    })
    .nullable(),
});
export type SessionView = z.infer<typeof SessionView>;

export const paymentCalls = {
  /** Pays the order's next part (all of it, or the next share of a split bill) with the tip the
   * customer chose before the smile: an amount, or basis points of the part (1000: 10 %). */
  startPayment: call({
    channel: 'payment:start',
    timeout_ms: 5_000,
    request: z.object({ order_id: id, tip_minor: signedMinor.optional(), tip_bp: z.number().int().optional() }),
    response: SessionView,
  }),
  stepUp: call({
    channel: 'payment:step-up',
    timeout_ms: 5_000,
    request: z.object({ session_id: id, phone_last4: phoneLast4 }),
    response: SessionView,
  }),
  cancel: call({
    channel: 'session:cancel',
    timeout_ms: 2_000,
    request: z.object({ session_id: id }),
    response: z.object({ cancelled: z.boolean() }),
  }),
} as const;
