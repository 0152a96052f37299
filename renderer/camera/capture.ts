// The camera: opened once, kept open; frames grabbed from the <video> into a canvas and handed
// to the pipeline as RGB. Frames are scaled to at most FRAME_WIDTH_PX wide (the pipeline's
// detector works on 224 px anyway; a smaller frame is a faster frame).
import type { RgbFrame } from '../../electron/contract/vision.js';

export const CAMERA_OPEN_TIMEOUT_MS = 10_000;
export const FRAME_WIDTH_PX = 480;

export async function openCamera(): Promise<MediaStream> {
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`no camera within ${CAMERA_OPEN_TIMEOUT_MS} ms`)), CAMERA_OPEN_TIMEOUT_MS),
  );
  return Promise.race([
    navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: 'user' },
      audio: false,
    }),
    timeout,
  ]);
}

export class FrameGrabber {
  private readonly canvas = document.createElement('canvas');
  private readonly ctx: CanvasRenderingContext2D;

  constructor(private readonly video: HTMLVideoElement) {
    const ctx = this.canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2D canvas');
    this.ctx = ctx;
  }

  /** The current video frame as RGB, or null before the first frame. */
  grab(): RgbFrame | null {
    const v = this.video;
    if (v.readyState < 2 || v.videoWidth === 0) return null;
    const scale = Math.min(1, FRAME_WIDTH_PX / v.videoWidth);
    const width = Math.round(v.videoWidth * scale);
    const height = Math.round(v.videoHeight * scale);
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    this.ctx.drawImage(v, 0, 0, width, height);
    const rgba = this.ctx.getImageData(0, 0, width, height).data;
    const rgb = new Uint8Array(width * height * 3);
    for (let i = 0, j = 0; j < rgba.length; i += 3, j += 4) {
      rgb[i] = rgba[j]!;
      rgb[i + 1] = rgba[j + 1]!;
      rgb[i + 2] = rgba[j + 2]!;
    }
    return { width, height, data: rgb };
  }
}

/** Capture time on one clock for the whole session (the host's liveness timeline). */
export const captureNowMs = (): number => performance.timeOrigin + performance.now();
