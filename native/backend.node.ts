// Chooses the TensorFlow.js backend for the face pipeline in Node and returns an initialised
// face-api namespace with its nets loaded from verified weights. Order: `@tensorflow/tfjs-node`
// where it installed (it downloads libtensorflow, so here it never does), else the WASM backend
// with its .wasm files read from disk (setWasmPaths to node_modules, never the platform fetch).
// SMILE_TF_BACKEND=wasm|tensorflow|cpu forces a choice; a forced backend that cannot start is an
// error, not a silent fallback.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as FaceApi from '@vladmandic/face-api';
import { loadNets, type NetName } from '../models/load-nets.js';
import { readManifest, readVerified } from './models.node.js';

export type FaceApiNs = typeof FaceApi;
export type NodeBackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface NodeVision {
  faceapi: FaceApiNs;
  backend: NodeBackendName;
  /** Why this backend: "forced by SMILE_TF_BACKEND", "tfjs-node not installed", ... */
  reason: string;
}

export const BACKEND_INIT_TIMEOUT_MS = 30_000;
const require = createRequire(import.meta.url);

function tfjsNodeInstalled(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

async function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: no answer within ${BACKEND_INIT_TIMEOUT_MS} ms`)),
      BACKEND_INIT_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function start(forced: NodeBackendName | undefined): Promise<NodeVision> {
  if (forced === 'tensorflow' || (forced === undefined && tfjsNodeInstalled())) {
    const faceapi = require('@vladmandic/face-api/dist/face-api.node.js') as FaceApiNs;
    await (faceapi.tf as unknown as { ready(): Promise<void> }).ready();
    return {
      faceapi,
      backend: 'tensorflow',
      reason: forced ? 'forced by SMILE_TF_BACKEND' : '@tensorflow/tfjs-node is installed',
    };
  }
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApiNs;
  const tf = faceapi.tf as unknown as {
    setWasmPaths(prefix: string): void;
    setBackend(name: string): Promise<boolean>;
    ready(): Promise<void>;
    getBackend(): string;
  };
  const name = forced ?? 'wasm';
  if (name === 'wasm') {
    const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    tf.setWasmPaths(`${join(wasmDir)}/`);
  }
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name)
    throw new Error(`TensorFlow.js backend ${name}: did not start (active: ${tf.getBackend()})`);
  return {
    faceapi,
    backend: name,
    reason: forced ? 'forced by SMILE_TF_BACKEND' : '@tensorflow/tfjs-node is not installed',
  };
}

let cached: Promise<NodeVision> | undefined;

/** Starts (once per process) the backend and loads the nets from verified weights. */
export function initNodeVision(options: { backend?: NodeBackendName; nets?: NetName[] } = {}): Promise<NodeVision> {
  const env = process.env.SMILE_TF_BACKEND;
  if (env !== undefined && env !== 'wasm' && env !== 'tensorflow' && env !== 'cpu') {
    throw new Error(`SMILE_TF_BACKEND: expected wasm, tensorflow or cpu, got ${JSON.stringify(env)}`);
  }
  const forced = options.backend ?? (env as NodeBackendName | undefined);
  cached ??= withTimeout(
    (async () => {
      const vision = await start(forced);
      const manifest = readManifest();
      await loadNets(vision.faceapi, options.nets, (file) => Promise.resolve(readVerified(file, manifest)));
      return vision;
    })(),
    'face pipeline init',
  );
  return cached;
}
