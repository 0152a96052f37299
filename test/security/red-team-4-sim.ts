// Red team 4's harness: a blind recording (its smile scores fixed in advance, frame by frame)
// played against the host's own face challenge (electron/host/payment/face-challenge.ts, with
// its CSPRNG draws and its timers) on a virtual host clock. Frame j is captured at j * FRAME_MS
// on the session's timeline (frame-clock.ts: capture plus the connection's smallest delay) and
// reaches the challenge `visionLagMs` later (the host's vision worker observes it first), as on
// the kiosk; the challenge's timers fire at their own moments in between. The observations are
// either synthetic (one still face whose smile score follows the script) or the real pipeline's
// output for real frames (red-team-4-replay.test.ts).
import type { FaceObservation } from '../../electron/contract/vision.js';
import { FACE_CONFIG, type FaceConfig } from '../../electron/face/config.js';
import { FaceChallenge } from '../../electron/host/payment/face-challenge.js';
import type { SessionState } from '../../electron/face/liveness.js';
import { stillFaceObservation } from '../helpers/still-face.js';

export const FRAME_MS = 1000 / 15;
/** The kiosk's default display allowance (security.prompt_display_latency_ms). */
export const DISPLAY_LATENCY_MS = 120;

type Timer = { at: number; seq: number; fn: () => void; live: boolean };

/** Replaces the global setTimeout/clearTimeout with a queue on a virtual clock while `run` runs. */
export function withVirtualClock<T>(run: (clock: { now: () => number; advanceTo: (t: number) => void }) => T): T {
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  let nowMs = 0;
  let seq = 0;
  const queue: Timer[] = [];
  const set = (fn: () => void, ms?: number): Timer => {
    const t = { at: nowMs + Math.max(0, ms ?? 0), seq: seq++, fn, live: true };
    queue.push(t);
    return t;
  };
  const clear = (t: Timer | undefined): void => {
    if (t) t.live = false;
  };
  const advanceTo = (target: number): void => {
    for (;;) {
      let next: Timer | null = null;
      for (const t of queue)
        if (t.live && t.at <= target && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
      if (!next) break;
      next.live = false;
      nowMs = Math.max(nowMs, next.at);
      next.fn();
    }
    nowMs = Math.max(nowMs, target);
    for (let i = queue.length - 1; i >= 0; i--) if (!queue[i]!.live) queue.splice(i, 1);
  };
  globalThis.setTimeout = set as unknown as typeof globalThis.setTimeout;
  globalThis.clearTimeout = clear as unknown as typeof globalThis.clearTimeout;
  try {
    return run({ now: () => nowMs, advanceTo });
  } finally {
    globalThis.setTimeout = realSet;
    globalThis.clearTimeout = realClear;
  }
}

export interface HostRun {
  state: SessionState;
  log: string[];
  /** The cues as the host placed them (shown_at_ms), and the drawn moments they stood for. */
  prompt_shown_ms: number | null;
  relax_shown_ms: number | null;
}

/**
 * One session of the host's face challenge over a recording fixed in advance: `frames[j]` is
 * frame j's observation (its captured_at_ms is replaced by j * FRAME_MS), delivered to the
 * challenge at j * FRAME_MS + lag(j). The recording cannot see the host's pushes.
 */
export function playHost(
  frames: FaceObservation[],
  lag: (j: number) => number,
  cfg: FaceConfig['liveness'] = FACE_CONFIG.liveness,
): HostRun {
  return playHostHook(frames, lag, cfg, null);
}

/** A blind script: smile score by frame index. */
export type Script = (j: number) => number;

/** Neutral, a full smile from frame `onset` to frame `end` (the first frame under it), then `after`. */
export function smileScript(onset: number, end: number, opts: { held?: number; after?: number } = {}): Script {
  return (j) => (j < onset ? 0.02 : j < end ? (opts.held ?? 0.99) : (opts.after ?? 0.02));
}

export function framesOf(script: Script, count: number): FaceObservation[] {
  return Array.from({ length: count }, (_, j) => stillFaceObservation(j, j * FRAME_MS, script(j)));
}

export interface Rate {
  passed: number;
  trials: number;
  rate: number;
  lo: number;
  hi: number;
  codes: Record<string, number>;
}

/** Wilson score interval, 95 %. */
export function wilson(k: number, n: number): { lo: number; hi: number } {
  const z = 1.959964;
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = p + (z * z) / (2 * n);
  const r = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return { lo: (c - r) / d, hi: (c + r) / d };
}

/** Plays the same recording `trials` times (fresh CSPRNG draws each) and counts the passes. */
export function passRate(
  frames: FaceObservation[],
  lag: (j: number) => number,
  trials: number,
  cfg: FaceConfig['liveness'] = FACE_CONFIG.liveness,
): Rate {
  let passed = 0;
  const codes: Record<string, number> = {};
  for (let i = 0; i < trials; i++) {
    const s = playHost(frames, lag, cfg).state;
    const code = s.status === 'refused' ? s.code : s.status;
    codes[code] = (codes[code] ?? 0) + 1;
    if (s.status === 'accepted') passed += 1;
  }
  return { passed, trials, rate: passed / trials, ...wilson(passed, trials), codes };
}

export const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
export const fmt = (r: Rate): string => `${r.passed}/${r.trials} = ${pct(r.rate)} [95% ${pct(r.lo)}-${pct(r.hi)}]`;

/** The challenge's two draws replaced by given values (u in [0, 1)), for an exact rate over a grid. */
function playHostWith(
  frames: FaceObservation[],
  lag: (j: number) => number,
  draws: number[],
  cfg: FaceConfig['liveness'],
): HostRun {
  let k = 0;
  return playHostHook(frames, lag, cfg, () => draws[Math.min(k++, draws.length - 1)]!);
}

/** `random` null: the host's own CSPRNG; otherwise the session's draws come from it (set on
 * the session's options object, which it reads at each draw). */
function playHostHook(
  frames: FaceObservation[],
  lag: (j: number) => number,
  cfg: FaceConfig['liveness'],
  random: (() => number) | null,
): HostRun {
  return withVirtualClock(({ now, advanceTo }) => {
    let promptShown: number | null = null;
    let relaxShown: number | null = null;
    const ch = new FaceChallenge(
      { display_latency_ms: DISPLAY_LATENCY_MS, now },
      (e) => {
        if (e.kind === 'prompt') promptShown = e.shown_at_ms;
        if (e.kind === 'relax') relaxShown = e.shown_at_ms;
      },
      cfg,
    );
    if (random) (ch.liveness as unknown as { opts: { random: () => number } }).opts.random = random;
    try {
      for (let j = 0; j < frames.length && !ch.decided; j++) {
        const atMs = j * FRAME_MS;
        advanceTo(atMs + lag(j));
        ch.push({ ...frames[j]!, captured_at_ms: atMs });
      }
      if (!ch.decided) {
        advanceTo(frames.length * FRAME_MS + 1_000);
        ch.liveness.finish(now());
      }
      return { state: ch.state, log: ch.liveness.log, prompt_shown_ms: promptShown, relax_shown_ms: relaxShown };
    } finally {
      ch.cancel();
    }
  });
}

/**
 * The exact pass rate of a fixed recording over the two draws, on a grid of `steps` values
 * each: the prompt's draw and the relax cue's are independent, and the moment the relax cue is
 * drawn from (the confirmation frame) is fixed by the recording, so the rate is the fraction of
 * prompt draws that reach the relax draw times the fraction of relax draws that then pass.
 */
export function exactRate(
  frames: FaceObservation[],
  lag: (j: number) => number,
  steps: number,
  cfg: FaceConfig['liveness'] = FACE_CONFIG.liveness,
): { prompt: number; relax: number; rate: number } {
  let promptOk = 0;
  let uPass: number | null = null;
  for (let i = 0; i < steps; i++) {
    const u = (i + 0.5) / steps;
    const run = playHostWith(frames, lag, [u, 0.999], cfg);
    if (run.log.some((l) => l.includes('relax cue drawn'))) {
      promptOk += 1;
      uPass ??= u;
    }
  }
  if (uPass === null || !cfg.relax_cue) return { prompt: promptOk / steps, relax: cfg.relax_cue ? 0 : 1, rate: 0 };
  let relaxOk = 0;
  for (let i = 0; i < steps; i++) {
    const run = playHostWith(frames, lag, [uPass, (i + 0.5) / steps], cfg);
    if (run.state.status === 'accepted') relaxOk += 1;
  }
  return { prompt: promptOk / steps, relax: relaxOk / steps, rate: (promptOk / steps) * (relaxOk / steps) };
}
