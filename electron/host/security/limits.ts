// Every limit on what a screen may try, with its reason: configuration (`security.*` in
// smile.config.json), validated with the rest of it, and the relations between the limits
// checked where they are defined. Guessable inputs (phone digits, pairing codes) and the
// camera's clock are bounded here; what a face must do is electron/face/config.ts's.
import { z } from 'zod';

const ms = (max: number) => z.number().int().min(0).max(max);
const count = (max: number) => z.number().int().min(1).max(max);
const HOUR_MS = 60 * 60_000;

export const SecuritySchema = z
  .object({
    /** Payment, enrolment and deletion sessions one screen may start per minute. A customer's
     * session takes about 4 s (the prompt and the relax cue at random moments; 1.1 s at the
     * fastest the windows allow) and the next customer waits for the cashier's next order, so
     * 8 a minute still lets one customer fail and retry 7 times; a script is held to this many
     * guesses a minute. */
    sessions_per_screen_per_minute_max: count(60).default(8),
    /** Wrong phone digits one session accepts; the next wrong entry ends it. Three: a typo, a
     * second typo, and a customer who misremembers, not 10^4 guesses. */
    step_up_wrong_per_session_max: count(10).default(3),
    /** Wrong digits for one order (across its sessions) before it cannot be paid by face for
     * step_up_order_cooldown_ms: a new session does not buy three more guesses for ever. */
    step_up_wrong_per_order_max: count(50).default(5),
    step_up_order_cooldown_ms: ms(24 * HOUR_MS).default(10 * 60_000),
    /** Wrong digits on this kiosk within step_up_kiosk_window_ms before every step-up (payment or
     * deletion) pauses for step_up_kiosk_cooldown_ms: many orders, one attacker. A busy lunch sees
     * a wrong entry every few minutes, not 10 in 10 minutes. */
    step_up_wrong_per_kiosk_max: count(200).default(10),
    step_up_kiosk_window_ms: ms(24 * HOUR_MS).default(10 * 60_000),
    step_up_kiosk_cooldown_ms: ms(24 * HOUR_MS).default(15 * 60_000),
    /** How far a frame's capture time may run ahead of its arrival on the host's clock: the
     * spread of JPEG encode + WebSocket delays between frames, measured in headless Chromium on
     * this 2-core machine at load 10-12 (scripts/measure-prompt-latency.ts: p50 3 ms, p99 49 ms
     * over 395 frames; that spread is mostly lag, which is never refused). Any more lets a stream
     * place its frames later than they could have been seen. */
    capture_ahead_ms_max: ms(500).default(60),
    /** A frame arriving this long after its capture was buffered somewhere: not decided on (the
     * liveness session's stall limit is 1 s; older frames could only ever be a gap). */
    capture_lag_ms_max: ms(10_000).default(1_000),
    /** From the host sending "now smile" to the camera frame that can first show the
     * customer's response: the push, the screen's next paint, the camera's exposure and the
     * capture stamp. Reactions count from the send time plus this. Measured with the canvas
     * camera in headless Chromium on this 2-core machine at load 10-12
     * (scripts/measure-prompt-latency.ts, 12 prompts: p50 127 ms, p90 264, max 333); the median,
     * rounded down. A USB camera adds its own 50-100 ms: measure it on the kiosk. Too large and
     * a quick customer's smile counts as faster than human (FACE_SMILE_TOO_FAST); too small and
     * the screen's delay counts against a slow one (FACE_NO_SMILE). */
    prompt_display_latency_ms: ms(150).default(120),
    /** Customer screens paired with this kiosk at once (a kiosk has one or two; spares waiting). */
    paired_screens_max: count(64).default(8),
    /** A pairing code shown on a screen stands this long for a manager to approve it. */
    pairing_code_ttl_ms: ms(HOUR_MS).default(5 * 60_000),
    /** Pairing codes waiting at once: one screen asks at a time; a flood cannot fill memory. */
    pairing_codes_open_max: count(32).default(4),
    /** The one-time link printed at start pairs the first browser to open it within this time. */
    pairing_link_ttl_ms: ms(24 * HOUR_MS).default(HOUR_MS),
  })
  .strict()
  .superRefine((s, ctx) => {
    const bad = (path: string, message: string): void => ctx.addIssue({ code: 'custom', path: [path], message });
    // A frame cannot be placed after the prompt it was sent before: the latency allowed must
    // exceed the jitter allowed (face-session.ts relies on it).
    if (s.prompt_display_latency_ms <= s.capture_ahead_ms_max)
      bad('prompt_display_latency_ms', `must exceed capture_ahead_ms_max (${s.capture_ahead_ms_max})`);
    if (s.capture_lag_ms_max <= s.capture_ahead_ms_max)
      bad('capture_lag_ms_max', `must exceed capture_ahead_ms_max (${s.capture_ahead_ms_max})`);
    if (s.step_up_wrong_per_order_max < s.step_up_wrong_per_session_max)
      bad(
        'step_up_wrong_per_order_max',
        `must be at least step_up_wrong_per_session_max (${s.step_up_wrong_per_session_max})`,
      );
  });

export type SecurityLimits = z.infer<typeof SecuritySchema>;
export const SECURITY_DEFAULTS: SecurityLimits = SecuritySchema.parse({});
