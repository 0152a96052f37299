// A face payment at the customer screen, as a session: one customer in front of the camera
// from the first frame to paid or refused. The screen sends each camera frame's observation;
// the host runs the liveness challenge on them, says when to smile, matches the face (asking
// for the phone's last digits when unsure) and answers with the session as it now stands.
// Enrolment and deletion on request are sessions too (enrolment.ts, deletion.ts): observe and
// cancel serve all three kinds.
import { z } from 'zod';
import { FaceObservationSchema } from '../vision.js';
import { call, freeText, id, phoneLast4, text } from '../shapes.js';
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
  /** When the host has scheduled the prompt, in the renderer's capture clock. */
  prompt_at_ms: z.number().finite().nullable(),
  /** Why a session was refused (FACE_*, OFFLINE_*, ENROL_*...), with the host's own message. */
  error: z.object({ code: z.string().max(64), message: text }).nullable(),
  /** The enrolment offer after FACE_NOT_ENROLLED. */
  offer_enrolment: z.boolean(),
  receipt: Receipt.nullable(),
  /** Enrolment: good captures so far, and how many are needed. */
  captures: z.object({ good: z.number().int().min(0), needed: z.number().int().min(0) }).nullable(),
  customer_initials: freeText(8).nullable(),
});
export type SessionView = z.infer<typeof SessionView>;

export const paymentCalls = {
  startPayment: call({
    channel: 'payment:start',
    timeout_ms: 5_000,
    request: z.object({ order_id: id }),
    response: SessionView,
  }),
  /** One camera frame's observation; at camera rate, so it stays small and fast. */
  observe: call({
    channel: 'session:observe',
    timeout_ms: 2_000,
    request: z.object({ session_id: id, observation: FaceObservationSchema }),
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
