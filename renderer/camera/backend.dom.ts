// Chooses and starts the TensorFlow.js backend for face-api in the kiosk's page (Chromium). In
// 'auto': WebGPU where the browser has an adapter and a TF.js webgpu backend is registered, then
// WebGL on a hardware GPU, then WASM, whose .wasm files come from the URL prefix the caller
// gives (setWasmPaths: served by the kiosk host, never a CDN). A software WebGL (SwiftShader,
// llvmpipe) is passed over in 'auto': measured here, a frame takes about 2.5 s on it against
// 0.4 s on WASM. A forced choice ('webgpu' | 'webgl' | 'wasm', from the `vision.backend`
// setting) tries that backend only, and one that cannot start is an error, not a silent
// fallback. Each attempt has a time limit; the result says which backend runs and why.
// Browser layer: DOM only, no node:* (the Node side is native/backend.node.ts).

export type BackendChoice = 'auto' | 'webgpu' | 'webgl' | 'wasm';
export type BrowserBackend = 'webgpu' | 'webgl' | 'wasm';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'webgpu', 'webgl', 'wasm'];
const AUTO_ORDER: readonly BrowserBackend[] = ['webgpu', 'webgl', 'wasm'];

/** Per attempt: fetching and compiling a .wasm file or WebGL shaders on a slow kiosk. */
export const BACKEND_INIT_TIMEOUT_MS_DEFAULT = 20_000;
export const BACKEND_INIT_TIMEOUT_MS_MAX = 120_000;
/** WebGL renderers that run on the CPU: slower than the WASM backend for these nets. */
const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|basic render driver/i;

/** The part of the TF.js namespace (face-api's `faceapi.tf`) this module calls. */
export interface TfBackendApi {
  setBackend(name: string): Promise<boolean>;
  getBackend(): string;
  ready(): Promise<void>;
  findBackendFactory(name: string): unknown;
  setWasmPaths(prefixOrFileMap: string | Record<string, string>, usePlatformFetch?: boolean): void;
  env(): { getAsync(flag: string): Promise<unknown> };
  tensor1d(values: number[]): { dispose(): void };
  add(a: unknown, b: unknown): { data(): Promise<ArrayLike<number>>; dispose(): void };
}

export interface BackendInitOptions {
  choice: BackendChoice;
  /** URL prefix (ending in '/') where tfjs-backend-wasm{,-simd,-threaded-simd}.wasm are served. */
  wasm_paths: string;
  /** Limit for each backend attempt. */
  timeout_ms?: number;
  /** 'auto' takes a software WebGL too (off: WASM is faster there). */
  allow_software_webgl?: boolean;
}

export interface BackendAttempt {
  backend: BrowserBackend;
  outcome: 'ready' | 'skipped' | 'failed' | 'timed_out';
  detail: string;
  ms: number;
}

export interface BackendInit {
  backend: BrowserBackend;
  forced: boolean;
  /** One line for the self-check and the logs: each backend tried and what became of it. */
  reason: string;
  attempts: BackendAttempt[];
  /** For WASM: whether the SIMD and multi-threaded builds could be used (threads need a
   * cross-origin isolated page: COOP/COEP headers). */
  wasm: { simd: boolean; threads: boolean } | null;
}

export class BackendInitError extends Error {
  constructor(
    readonly code: 'VISION_BACKEND_UNAVAILABLE' | 'VISION_BACKEND_BAD_OPTION',
    message: string,
    readonly attempts: BackendAttempt[] = [],
  ) {
    super(`${code}: ${message}`);
    this.name = 'BackendInitError';
  }
}

/** Parses the `vision.backend` setting for the page ('tfjs-node' is a Node backend). */
export function parseBackendChoice(value: string): BackendChoice {
  if ((BACKEND_CHOICES as readonly string[]).includes(value)) return value as BackendChoice;
  throw new BackendInitError(
    'VISION_BACKEND_BAD_OPTION',
    `vision.backend: expected ${BACKEND_CHOICES.join(' | ')} in the browser, got ${JSON.stringify(value)}`,
  );
}

function checkTf(tf: unknown): TfBackendApi {
  const need = ['setBackend', 'getBackend', 'ready', 'findBackendFactory', 'setWasmPaths', 'env', 'tensor1d', 'add'];
  const missing = need.filter((m) => typeof (tf as Record<string, unknown> | null)?.[m] !== 'function');
  if (missing.length > 0)
    throw new BackendInitError(
      'VISION_BACKEND_BAD_OPTION',
      `tf: expected face-api's TensorFlow.js namespace, missing ${missing.join(', ')}`,
    );
  return tf as TfBackendApi;
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

class TimeoutError extends Error {}

/** Why a backend should not be tried in 'auto' (null: try it). */
async function probe(
  tf: TfBackendApi,
  backend: BrowserBackend,
  opts: BackendInitOptions,
  timeoutMs: number,
): Promise<string | null> {
  if (backend === 'webgpu') {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    if (!gpu) return 'navigator.gpu is absent (no WebGPU in this browser or context)';
    if (!tf.findBackendFactory('webgpu'))
      return "the browser has WebGPU, but no TF.js webgpu backend is registered (face-api's bundle has cpu, webgl and wasm)";
    const adapter = await withTimeout(gpu.requestAdapter(), timeoutMs, 'WebGPU requestAdapter');
    return adapter ? null : 'navigator.gpu.requestAdapter() found no adapter';
  }
  if (backend === 'webgl') {
    const gl = webglInfo();
    if (!gl.available) return 'no WebGL context (GPU disabled or blocklisted)';
    if (gl.software && !opts.allow_software_webgl)
      return `software WebGL (${gl.renderer}): slower than WASM for these nets`;
    return null;
  }
  return null;
}

/** Opens a throwaway WebGL context to read which renderer it runs on, then releases it. */
function webglInfo(): { available: boolean; renderer: string; software: boolean } {
  // A page has a document; a Web Worker (where the kiosk runs the pipeline) has OffscreenCanvas.
  const canvas: HTMLCanvasElement | OffscreenCanvas =
    typeof document !== 'undefined' ? document.createElement('canvas') : new OffscreenCanvas(1, 1);
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
  if (!gl) return { available: false, renderer: '', software: false };
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { available: true, renderer, software: SOFTWARE_GL.test(renderer) };
}

/** Starts one backend and checks that it computes (1 + 1 on the device, read back). */
async function start(tf: TfBackendApi, backend: BrowserBackend, opts: BackendInitOptions): Promise<string> {
  if (backend === 'wasm') tf.setWasmPaths(opts.wasm_paths);
  if (!(await tf.setBackend(backend)))
    throw new Error(`setBackend('${backend}') refused (its initialisation failed; see the console)`);
  await tf.ready();
  if (tf.getBackend() !== backend) throw new Error(`asked for ${backend}, TF.js runs ${tf.getBackend()}`);
  const x = tf.tensor1d([1, 2, 3]);
  const y = tf.add(x, x);
  try {
    const v = Array.from(await y.data());
    if (v.join(',') !== '2,4,6') throw new Error(`a test sum gave [${v.join(', ')}], expected [2, 4, 6]`);
  } finally {
    x.dispose();
    y.dispose();
  }
  if (backend !== 'wasm') return 'computes';
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const threads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
  return `computes; SIMD ${simd ? 'yes' : 'no'}, threads ${threads ? 'yes' : `no${globalThis.crossOriginIsolated ? '' : ' (page not cross-origin isolated)'}`}`;
}

/**
 * Picks and starts the backend. `tf` is face-api's TensorFlow.js namespace (`faceapi.tf`).
 * Resolves with the backend that runs and why; rejects with BackendInitError when none can.
 */
export async function initBrowserBackend(tf: unknown, opts: BackendInitOptions): Promise<BackendInit> {
  const api = checkTf(tf);
  const choice = parseBackendChoice(opts.choice);
  const timeoutMs = opts.timeout_ms ?? BACKEND_INIT_TIMEOUT_MS_DEFAULT;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > BACKEND_INIT_TIMEOUT_MS_MAX) {
    throw new BackendInitError(
      'VISION_BACKEND_BAD_OPTION',
      `timeout_ms: expected an integer in [1, ${BACKEND_INIT_TIMEOUT_MS_MAX}], got ${timeoutMs}`,
    );
  }
  if (typeof opts.wasm_paths !== 'string' || !opts.wasm_paths.endsWith('/') || opts.wasm_paths.length > 2048) {
    throw new BackendInitError(
      'VISION_BACKEND_BAD_OPTION',
      `wasm_paths: expected a URL prefix ending in '/', got ${JSON.stringify(opts.wasm_paths)}`,
    );
  }
  const forced = choice !== 'auto';
  const order: readonly BrowserBackend[] = forced ? [choice] : AUTO_ORDER;
  const attempts: BackendAttempt[] = [];
  for (const backend of order) {
    const t0 = performance.now();
    const note = (outcome: BackendAttempt['outcome'], detail: string): void => {
      attempts.push({ backend, outcome, detail, ms: Math.round(performance.now() - t0) });
    };
    try {
      const skip = forced
        ? backend === 'webgpu' && !api.findBackendFactory('webgpu')
          ? 'no TF.js webgpu backend is registered'
          : null
        : await probe(api, backend, opts, timeoutMs);
      if (skip) {
        note('skipped', skip);
        continue;
      }
      const detail = await withTimeout(start(api, backend, opts), timeoutMs, `${backend} backend`);
      note('ready', detail);
      const wasm =
        backend === 'wasm'
          ? {
              simd: (await api.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true,
              threads: (await api.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true,
            }
          : null;
      return { backend, forced, reason: reasonOf(choice, attempts), attempts, wasm };
    } catch (err) {
      note(err instanceof TimeoutError ? 'timed_out' : 'failed', err instanceof Error ? err.message : String(err));
    }
  }
  throw new BackendInitError(
    'VISION_BACKEND_UNAVAILABLE',
    `no TensorFlow.js backend started (${reasonOf(choice, attempts)})`,
    attempts,
  );
}

function reasonOf(choice: BackendChoice, attempts: BackendAttempt[]): string {
  const head = choice === 'auto' ? 'auto' : `forced ${choice} by vision.backend`;
  return `${head}: ${attempts.map((a) => `${a.backend} ${a.outcome.replace('_', ' ')} (${a.detail}, ${a.ms} ms)`).join('; ')}`;
}
