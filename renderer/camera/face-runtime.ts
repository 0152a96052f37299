// The page's handle on the face pipeline, which runs in a Web Worker (vision-worker.ts): the
// backend (the kiosk's configured choice, 'auto' by default: WebGPU, a hardware WebGL, else WASM;
// ?backend=... in the URL overrides it), frames in, observations out, one
// frame in flight at a time. The worker checks every model file's SHA-256 before use.
import type { FaceObservation, RgbFrame } from '../../electron/contract/vision.js';
import type { WorkerRequest, WorkerResponse } from './vision-worker.js';

export const VISION_START_TIMEOUT_MS = 90_000;
export const OBSERVE_TIMEOUT_MS = 5_000;

export interface FaceRuntime {
  backend: string;
  observe(frame: RgbFrame, capturedAtMs: number): Promise<FaceObservation>;
  reset(): void;
}

/** `choice` is the kiosk's configured backend; ?backend=... in the page's URL overrides it. */
export async function startFaceRuntime(choice = 'auto'): Promise<FaceRuntime> {
  const worker = new Worker(new URL('./vision-worker.ts', import.meta.url), { type: 'module' });
  const send = (m: WorkerRequest, transfer: Transferable[] = []): void => worker.postMessage(m, transfer);
  const waiting = new Map<number, { resolve: (o: FaceObservation) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let ready: (backend: string) => void = () => undefined;
  let failed: (e: Error) => void = () => undefined;
  const started = new Promise<string>((resolve, reject) => {
    ready = resolve;
    failed = reject;
  });
  worker.onmessage = (e: MessageEvent<WorkerResponse>) => {
    const m = e.data;
    if (m.type === 'ready') ready(m.backend);
    else if (m.type === 'observation') {
      waiting.get(m.id)?.resolve(m.observation);
      waiting.delete(m.id);
    } else if (m.id === null) failed(new Error(m.message));
    else {
      waiting.get(m.id)?.reject(new Error(m.message));
      waiting.delete(m.id);
    }
  };
  worker.onerror = (e) => failed(new Error(`vision worker: ${e.message}`));
  send({
    type: 'init',
    backend: new URLSearchParams(location.search).get('backend') ?? choice,
    origin: location.origin,
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(
      () => reject(new Error(`face models not loaded within ${VISION_START_TIMEOUT_MS} ms`)),
      VISION_START_TIMEOUT_MS,
    ),
  );
  const backend = await Promise.race([started, timeout]);
  return {
    backend,
    reset: () => send({ type: 'reset' }),
    observe(frame, capturedAtMs) {
      const id = nextId++;
      const data = frame.data.buffer.slice(
        frame.data.byteOffset,
        frame.data.byteOffset + frame.data.byteLength,
      ) as ArrayBuffer;
      return new Promise<FaceObservation>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`no observation within ${OBSERVE_TIMEOUT_MS} ms`));
        }, OBSERVE_TIMEOUT_MS);
        waiting.set(id, {
          resolve: (o) => {
            clearTimeout(timer);
            resolve(o);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        send({ type: 'observe', id, width: frame.width, height: frame.height, data, captured_at_ms: capturedAtMs }, [
          data,
        ]);
      });
    },
  };
}
