// The host's side of its vision worker: starts it (with tsx's loader when running from the
// TypeScript sources), hands it one frame at a time, and owns the bounded queue in front of it.
// Each customer screen has at most one frame waiting: a newer frame replaces it, and the
// replaced one is dropped and counted (the liveness session then sees a gap between frames and
// answers FACE_STALLED when it cannot tell what happened in it, never a spoof). Screens take
// turns. The worker's speed (decode and pipeline per frame) is what the self-check reports.
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { FaceObservation, StageTimes } from '../../contract/vision.js';
import type { NodeBackendName } from '../../../native/backend.node.js';
import type { FromWorker, ToWorker, VisionWorkerData } from './vision-protocol.js';

/** Loading and verifying the models and compiling the WASM kernels: about 3 s on an idle core. */
export const VISION_START_TIMEOUT_MS = 90_000;
/** One frame in the worker, at most: an answer later than this is given up (the session's own
 * gap rules then apply) and logged; about 60 times a loaded frame's cost. */
export const VISION_FRAME_TIMEOUT_MS = 5_000;
/** Frames waiting per screen while the worker is busy: the newest only. Waiting longer would
 * only make every later frame late too; the liveness session handles the gap. */
export const VISION_PENDING_PER_SCREEN_MAX = 1;
/** The self-check's own frames: not counted in the live figures. */
const SELF_CHECK_SCREEN = '__self-check__';
/** Per-frame times kept for the medians (the last few seconds at camera rate). */
const SAMPLES_KEPT = 256;

export interface FrameJob {
  screen: string;
  reset: boolean;
  jpeg: Uint8Array;
  /** The frame's time on its session's timeline (host clock). */
  at_ms: number;
}

export type FrameOutcome =
  | { kind: 'observation'; observation: FaceObservation; worker_ms: number; waited_ms: number }
  | { kind: 'dropped'; why: string }
  | { kind: 'error'; code: string; message: string };

export interface VisionStats {
  backend: string;
  reason: string;
  frames: number;
  dropped: number;
  errors: number;
  /** Median decode + pipeline time per frame in the worker, and the frames/s that allows. */
  frame_ms_median: number | null;
  /** Median size of the JPEG frames observed. */
  jpeg_bytes_median: number | null;
  fps_capacity: number | null;
  stage_ms_median: Partial<Record<keyof StageTimes, number>>;
}

interface Waiting {
  job: FrameJob;
  done: (o: FrameOutcome) => void;
  queued_at_ms: number;
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};

const workerUrl = new URL(
  import.meta.url.endsWith('.ts') ? './vision-worker.ts' : './vision-worker.js',
  import.meta.url,
);

/** Starts a worker on `url`; under tsx (TypeScript sources) it first registers tsx's loader in the worker. */
function startWorker(url: URL, data: VisionWorkerData): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData: data });
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true, workerData: data });
}

export class HostVision {
  private readonly pending = new Map<string, Waiting>();
  private busy: { id: number; w: Waiting; timer: NodeJS.Timeout; started_ms: number } | null = null;
  private nextId = 1;
  private closed = false;
  private framesDone = 0;
  private droppedCount = 0;
  private errorCount = 0;
  private readonly frameMs: number[] = [];
  private readonly jpegBytes: number[] = [];
  private readonly stageMs = new Map<keyof StageTimes, number[]>();

  private constructor(
    private readonly worker: Worker,
    readonly backend: string,
    readonly reason: string,
    private readonly log: Logger,
  ) {
    // A background thread: it never keeps the process alive on its own (the transports do).
    worker.unref();
    worker.on('message', (m: FromWorker) => this.onMessage(m));
    worker.on('error', (err) => {
      log.error({ err }, 'vision worker failed');
      this.failAll('VISION_FAILED', `the vision worker failed: ${err.message}`);
    });
  }

  static async start(opts: { log: Logger; backend?: NodeBackendName }): Promise<HostVision> {
    const worker = startWorker(workerUrl, opts.backend ? { backend: opts.backend } : {});
    let timer: NodeJS.Timeout | undefined;
    try {
      const ready = await new Promise<{ backend: string; reason: string }>((resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the vision worker was not ready within ${VISION_START_TIMEOUT_MS} ms`)),
          VISION_START_TIMEOUT_MS,
        );
        worker.once('message', (m: FromWorker) => {
          if (m.type === 'ready') resolve(m);
          else reject(new Error(m.type === 'failed' ? m.message : `unexpected ${m.type} before ready`));
        });
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`the vision worker exited with code ${code} before ready`)));
      });
      return new HostVision(worker, ready.backend, ready.reason, opts.log);
    } catch (err) {
      await worker.terminate();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Queues a frame; `done` is called exactly once: observed, dropped (a newer frame of the same
   * screen came first, or the vision closed) or failed. */
  submit(job: FrameJob, done: (o: FrameOutcome) => void): void {
    if (this.closed) return done({ kind: 'dropped', why: 'the kiosk is closing' });
    const before = this.pending.get(job.screen);
    if (before) {
      // The newest frame wins; a reset the replaced one asked for still happens.
      this.pending.delete(job.screen);
      this.droppedCount += 1;
      before.done({ kind: 'dropped', why: 'a newer frame came while the worker was busy' });
      if (before.job.reset) job = { ...job, reset: true };
    }
    this.pending.set(job.screen, { job, done, queued_at_ms: performance.now() });
    this.pump();
  }

  /** The self-check's speed test: a frame observed a few times untimed (kernels compile on first
   * use), then timed; the median decode + pipeline time in the worker. */
  async measure(jpeg: Uint8Array, warmup = 2, timed = 5): Promise<number> {
    const screen = SELF_CHECK_SCREEN;
    const times: number[] = [];
    for (let i = 0; i < warmup + timed; i++) {
      const o = await new Promise<FrameOutcome>((resolve) =>
        this.submit({ screen, reset: true, jpeg, at_ms: i * 66 }, resolve),
      );
      if (o.kind !== 'observation')
        throw new Error(`self-check frame ${o.kind}: ${'message' in o ? o.message : o.why}`);
      if (i >= warmup) times.push(o.worker_ms);
    }
    this.forget(screen);
    return median(times)!;
  }

  /** A screen went away: its face track is forgotten and its waiting frame dropped. */
  forget(screen: string): void {
    const w = this.pending.get(screen);
    if (w) {
      this.pending.delete(screen);
      w.done({ kind: 'dropped', why: 'the screen went away' });
    }
    this.post({ type: 'forget', screen });
  }

  stats(): VisionStats {
    const frameMs = median(this.frameMs);
    return {
      backend: this.backend,
      reason: this.reason,
      frames: this.framesDone,
      dropped: this.droppedCount,
      errors: this.errorCount,
      frame_ms_median: frameMs === null ? null : Math.round(frameMs * 10) / 10,
      jpeg_bytes_median: median(this.jpegBytes),
      fps_capacity: frameMs ? Math.round(10_000 / frameMs) / 10 : null,
      stage_ms_median: Object.fromEntries(
        [...this.stageMs].map(([k, xs]) => [k, Math.round((median(xs) ?? 0) * 10) / 10]),
      ),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.failAll('VISION_CLOSED', 'the kiosk is closing');
    await this.worker.terminate();
  }

  private post(m: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(m, transfer);
  }

  private pump(): void {
    if (this.busy || this.closed) return;
    const next = this.pending.entries().next();
    if (next.done) return;
    const [screen, w] = next.value;
    // Round robin: this screen goes to the back of the line.
    this.pending.delete(screen);
    const id = this.nextId++;
    const timer = setTimeout(() => {
      if (this.busy?.id !== id) return;
      this.busy = null;
      this.errorCount += 1;
      this.log.warn({ screen, timeout_ms: VISION_FRAME_TIMEOUT_MS }, 'vision worker too slow: frame given up');
      w.done({ kind: 'error', code: 'VISION_TIMEOUT', message: `no observation within ${VISION_FRAME_TIMEOUT_MS} ms` });
      this.pump();
    }, VISION_FRAME_TIMEOUT_MS);
    this.busy = { id, w, timer, started_ms: performance.now() };
    // A copy the worker owns (the message's buffer may be shared with other frames; a Node
    // Buffer's slice() is a view, not a copy).
    const jpeg = new Uint8Array(w.job.jpeg);
    this.post({ type: 'frame', id, screen, reset: w.job.reset, jpeg, at_ms: w.job.at_ms }, [
      jpeg.buffer as ArrayBuffer,
    ]);
  }

  private onMessage(m: FromWorker): void {
    if (m.type !== 'observation' && m.type !== 'error') return;
    const busy = this.busy;
    if (!busy || busy.id !== m.id) return; // given up on already
    clearTimeout(busy.timer);
    this.busy = null;
    if (m.type === 'observation') {
      this.framesDone += 1;
      if (busy.w.job.screen !== SELF_CHECK_SCREEN) {
        this.sample(this.frameMs, m.worker_ms);
        this.sample(this.jpegBytes, busy.w.job.jpeg.length);
        for (const [k, v] of Object.entries(m.observation.times) as [keyof StageTimes, number][]) {
          let xs = this.stageMs.get(k);
          if (!xs) this.stageMs.set(k, (xs = []));
          this.sample(xs, v);
        }
      }
      busy.w.done({
        kind: 'observation',
        observation: m.observation,
        worker_ms: m.worker_ms,
        waited_ms: busy.started_ms - busy.w.queued_at_ms,
      });
    } else {
      this.errorCount += 1;
      busy.w.done({ kind: 'error', code: m.code, message: m.message });
    }
    this.pump();
  }

  private sample(xs: number[], v: number): void {
    xs.push(v);
    if (xs.length > SAMPLES_KEPT) xs.shift();
  }

  private failAll(code: string, message: string): void {
    for (const [screen, w] of this.pending) {
      this.pending.delete(screen);
      w.done({ kind: 'dropped', why: message });
    }
    if (this.busy) {
      clearTimeout(this.busy.timer);
      const w = this.busy.w;
      this.busy = null;
      w.done({ kind: 'error', code, message });
    }
  }
}
