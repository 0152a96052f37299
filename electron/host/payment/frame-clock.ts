// The host's clock over a screen's frames. A frame's capture time is the screen's claim; the
// host only believes it within what its own receive times allow. Per connection, the host
// keeps the smallest delay it has seen between a capture and its arrival (encode + transport);
// every frame of a session is placed on the session's timeline (host ms) at its capture time
// plus that delay. Until the session's first prompt is drawn the delay may still fall (a first
// frame encoded slowly is no reference); from the draw on it is fixed. Then:
//  * a frame whose place runs ahead of the moment the host received it, by more than the
//    measured encode and transport jitter, claims a capture the host has not yet been able to
//    see: it is refused (FRAME_CLOCK_AHEAD) and never reaches the liveness session. Since the
//    delay is fixed from the draw, this also bounds the span: the capture times from the draw
//    on can never cover more time than the host saw pass, plus that jitter. The frame is
//    refused, not the session: a stream slow while the delay was set and faster after it
//    (legitimate, if rare) loses frames and gets FACE_STALLED, never a spoof accusation;
//  * a frame placed before its session began (on this connection's clock), or received far
//    later than it was captured (buffered), is dropped and counted, never decided on: a replay
//    of an earlier session's frames, or stale frames still in flight;
//  * frames of another session (their tag), out of order or repeated, are dropped.
// A slow stream only ever lags (frames arrive later than captured, or not at all): never ahead.
// Lagging and dropped frames leave gaps that the liveness session answers with FACE_STALLED.

export interface FrameClockLimits {
  /** How far a frame's capture may run ahead of its arrival (on the session's clock): the
   * spread of JPEG encode + transport delays between frames. */
  capture_ahead_ms_max: number;
  /** A frame that arrives later than this after its capture (on the session's clock) was
   * buffered somewhere: too stale to decide on. */
  capture_lag_ms_max: number;
}

export type FrameAdmit =
  | { ok: true; at_ms: number; lag_ms: number }
  | {
      ok: false;
      code: 'FRAME_CLOCK_AHEAD' | 'FRAME_BEFORE_SESSION' | 'FRAME_STALE' | 'FRAME_OTHER_SESSION' | 'FRAME_OUT_OF_ORDER';
      message: string;
    };

/** One screen connection's clock relation: the smallest capture-to-arrival delay seen on it. */
export class ScreenClock {
  delayMinMs: number | null = null;
}

export class FrameClock {
  private offsetMs: number | null = null;
  private fixed = false;
  private lastSeq = -1;
  private lastCaptureMs = Number.NEGATIVE_INFINITY;
  private lastAtMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly screen: ScreenClock,
    readonly tag: string,
    readonly startedAtMs: number,
    private readonly limits: FrameClockLimits,
  ) {
    if (!(limits.capture_ahead_ms_max >= 0 && limits.capture_lag_ms_max > limits.capture_ahead_ms_max))
      throw new Error(
        `frame clock limits: expected 0 <= capture_ahead_ms_max < capture_lag_ms_max, got ${limits.capture_ahead_ms_max}, ${limits.capture_lag_ms_max}`,
      );
  }

  /** From now on (the first prompt is drawn) the session's delay stands: timing decides. */
  fix(): void {
    this.fixed = true;
  }

  /** Places a frame (received at `receivedAtMs` on the host's clock) on the session's timeline. */
  admit(f: { tag: string; seq: number; captured_at_ms: number }, receivedAtMs: number): FrameAdmit {
    if (f.tag !== this.tag)
      return { ok: false, code: 'FRAME_OTHER_SESSION', message: `frame tag ${f.tag} is not this session's` };
    if (f.seq <= this.lastSeq || f.captured_at_ms <= this.lastCaptureMs)
      return {
        ok: false,
        code: 'FRAME_OUT_OF_ORDER',
        message: `frame ${f.seq} at ${f.captured_at_ms} after frame ${this.lastSeq} at ${this.lastCaptureMs}`,
      };
    const delayMs = receivedAtMs - f.captured_at_ms;
    const lim = this.limits;
    // The session's offset: the connection's smallest delay so far (a replay of older captures
    // then lands before the session began), or this first frame's own; lower while not fixed.
    this.offsetMs ??= Math.min(this.screen.delayMinMs ?? delayMs, delayMs);
    if (!this.fixed) this.offsetMs = Math.min(this.offsetMs, delayMs);
    // Kept increasing where the offset fell between two frames.
    const atMs = Math.max(f.captured_at_ms + this.offsetMs, this.lastAtMs + 1);
    const aheadMs = atMs - receivedAtMs;
    if (aheadMs > lim.capture_ahead_ms_max)
      return {
        ok: false,
        code: 'FRAME_CLOCK_AHEAD',
        message: `frame ${f.seq} claims a capture ${aheadMs.toFixed(0)} ms after the host received it (at most ${lim.capture_ahead_ms_max} ms of jitter): not a camera's clock`,
      };
    if (atMs < this.startedAtMs - lim.capture_ahead_ms_max)
      return {
        ok: false,
        code: 'FRAME_BEFORE_SESSION',
        message: `frame ${f.seq} was captured ${(this.startedAtMs - atMs).toFixed(0)} ms before the session began`,
      };
    if (-aheadMs > lim.capture_lag_ms_max)
      return {
        ok: false,
        code: 'FRAME_STALE',
        message: `frame ${f.seq} arrived ${(-aheadMs).toFixed(0)} ms after its capture (at most ${lim.capture_lag_ms_max} ms)`,
      };
    this.lastSeq = f.seq;
    this.lastCaptureMs = f.captured_at_ms;
    this.lastAtMs = atMs;
    this.screen.delayMinMs = Math.min(this.screen.delayMinMs ?? delayMs, delayMs);
    return { ok: true, at_ms: atMs, lag_ms: -aheadMs };
  }
}
