// The face pipeline in a Web Worker: TensorFlow.js's WASM backend and face-api run here, off
// the page's main thread, so the screen (the prompt above all) updates on time while a frame is
// analysed, and the camera is read at its own pace. The page posts RGB frames (transferred, not
// copied) and gets observations back. face-api has no environment for workers, so one is set
// here from OffscreenCanvas; the pipeline only ever hands it tensors.
import * as faceapi from '@vladmandic/face-api';
import { FacePipeline } from '../../vision/pipeline.js';
import { loadNets } from '../../models/load-nets.js';
import { initBrowserBackend, parseBackendChoice } from './backend.dom.js';
import type { FaceObservation } from '../../electron/contract/vision.js';

export type WorkerRequest =
  | { type: 'init'; backend: string; origin: string }
  | { type: 'observe'; id: number; width: number; height: number; data: ArrayBuffer; captured_at_ms: number }
  | { type: 'reset' };
export type WorkerResponse =
  | { type: 'ready'; backend: string }
  | { type: 'observation'; id: number; observation: FaceObservation; ms: number }
  | { type: 'error'; id: number | null; message: string };

interface ManifestFile {
  file: string;
  size_bytes: number;
  sha256: string;
}

const MODEL_LOAD_TIMEOUT_MS = 60_000;
let pipeline: FacePipeline | null = null;

const post = (m: WorkerResponse): void => (self as unknown as { postMessage(m: WorkerResponse): void }).postMessage(m);

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function init(wanted: string, origin: string): Promise<string> {
  const env = faceapi.env as unknown as { setEnv(e: unknown): void };
  class Unavailable {
    constructor() {
      throw new Error('not available in the vision worker');
    }
  }
  env.setEnv({
    Canvas: OffscreenCanvas,
    CanvasRenderingContext2D: OffscreenCanvasRenderingContext2D,
    Image: Unavailable,
    ImageData,
    Video: Unavailable,
    createCanvasElement: () => new OffscreenCanvas(1, 1),
    createImageElement: () => new Unavailable(),
    createVideoElement: () => new Unavailable(),
    fetch: (url: string, init?: RequestInit) => fetch(url, init),
    readFile: () => Promise.reject(new Error('no file system in the vision worker')),
  });
  // WebGPU, a hardware WebGL or WASM, as configured ('auto': the first that starts and computes).
  const chosen = await initBrowserBackend(faceapi.tf, {
    choice: parseBackendChoice(wanted),
    wasm_paths: `${origin}/wasm/`,
  });
  const manifest = (
    (await (
      await fetch(`${origin}/models/manifest.json`, { signal: AbortSignal.timeout(MODEL_LOAD_TIMEOUT_MS) })
    ).json()) as { files: ManifestFile[] }
  ).files;
  await loadNets(faceapi, undefined, async (file) => {
    const entry = manifest.find((f) => f.file === file);
    if (!entry) throw new Error(`${file}: not in the models manifest`);
    const res = await fetch(`${origin}/models/weights/${file}`, { signal: AbortSignal.timeout(MODEL_LOAD_TIMEOUT_MS) });
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.length !== entry.size_bytes)
      throw new Error(`${file}: ${bytes.length} bytes, the manifest says ${entry.size_bytes}`);
    const digest = await sha256Hex(bytes);
    if (digest !== entry.sha256) throw new Error(`${file}: SHA-256 ${digest}, the manifest says ${entry.sha256}`);
    return bytes;
  });
  const backend = chosen.backend;
  // Lighter than the pipeline's defaults: on a kiosk's CPU every frame must come within the
  // liveness track's frame gap (250 ms), so the detector runs less often (the landmarks track
  // the face in between) and descriptors come every fourth frame (several still get fused).
  pipeline = new FacePipeline(faceapi, backend, {
    detect_every_frames: 10,
    descriptor_every_frames: 4,
    landmark_refine: false,
  });
  return backend;
}

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  const m = e.data;
  if (m.type === 'init') {
    init(m.backend, m.origin).then(
      (backend) => post({ type: 'ready', backend }),
      (err: unknown) => post({ type: 'error', id: null, message: (err as Error).message }),
    );
  } else if (m.type === 'reset') {
    pipeline?.reset();
  } else {
    const t0 = performance.now();
    if (!pipeline) return post({ type: 'error', id: m.id, message: 'the face models are not loaded' });
    pipeline.observe({ width: m.width, height: m.height, data: new Uint8Array(m.data) }, m.captured_at_ms).then(
      (observation) => post({ type: 'observation', id: m.id, observation, ms: performance.now() - t0 }),
      (err: unknown) => post({ type: 'error', id: m.id, message: (err as Error).message }),
    );
  }
};
