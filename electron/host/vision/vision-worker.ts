// The host's vision worker (a worker_threads thread, so the host's event loop stays free for
// calls, pushes and the prompt's timer): decodes each camera frame's JPEG with bounds and runs
// the face pipeline on it, on the Node backend (tfjs-node where it installed, WASM here). One
// pipeline per customer screen (each keeps its own face track); frames come one at a time from
// host-vision.ts, which owns the queue. Nothing here decides: observations go back to the host's
// liveness sessions.
import { parentPort, workerData } from 'node:worker_threads';
import jpeg from 'jpeg-js';
import { initNodeVision } from '../../../native/backend.node.js';
import { FacePipeline } from '../../../vision/pipeline.js';
import type { RgbFrame } from '../../contract/vision.js';
import { FRAME_PIXELS_MAX } from '../../contract/frames.js';
import {
  HOST_PIPELINE_OPTIONS,
  VISION_SCREENS_MAX,
  type VisionWorkerData,
  type ToWorker,
  type FromWorker,
} from './vision-protocol.js';

/** jpeg-js allocates for the declared size before decoding: its own memory bound too. */
const JPEG_MEMORY_MB_MAX = 64;

const port = parentPort!;
const post = (m: FromWorker): void => port.postMessage(m);
const pipelines = new Map<string, FacePipeline>();

function decode(bytes: Uint8Array): RgbFrame {
  const img = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: false,
    maxResolutionInMP: FRAME_PIXELS_MAX / 1e6,
    maxMemoryUsageInMB: JPEG_MEMORY_MB_MAX,
  });
  if (img.width * img.height > FRAME_PIXELS_MAX)
    throw new RangeError(`${img.width}x${img.height} px, more than ${FRAME_PIXELS_MAX} pixels`);
  return { width: img.width, height: img.height, data: img.data };
}

async function main(): Promise<void> {
  const data = workerData as VisionWorkerData;
  const vision = await initNodeVision(data.backend ? { backend: data.backend } : {});
  const pipelineFor = (screen: string): FacePipeline => {
    let p = pipelines.get(screen);
    if (!p) {
      if (pipelines.size >= VISION_SCREENS_MAX) pipelines.delete(pipelines.keys().next().value!);
      p = new FacePipeline(vision.faceapi, vision.backend, HOST_PIPELINE_OPTIONS);
      pipelines.set(screen, p);
    }
    return p;
  };
  port.on('message', (m: ToWorker) => {
    if (m.type === 'forget') {
      pipelines.delete(m.screen);
      return;
    }
    void (async () => {
      const t0 = performance.now();
      let frame: RgbFrame;
      try {
        frame = decode(m.jpeg);
      } catch (err) {
        return post({
          type: 'error',
          id: m.id,
          code: 'FRAME_UNDECODABLE',
          message: (err as Error).message.slice(0, 200),
        });
      }
      const decodeMs = performance.now() - t0;
      const pipe = pipelineFor(m.screen);
      if (m.reset) pipe.reset();
      try {
        const observation = await pipe.observe(frame, m.at_ms, decodeMs);
        post({ type: 'observation', id: m.id, observation, worker_ms: performance.now() - t0 });
      } catch (err) {
        post({ type: 'error', id: m.id, code: 'VISION_FAILED', message: (err as Error).message.slice(0, 200) });
      }
    })();
  });
  post({ type: 'ready', backend: vision.backend, reason: vision.reason });
}

main().catch((err: unknown) => post({ type: 'failed', message: (err as Error).message.slice(0, 400) }));
