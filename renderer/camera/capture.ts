// The camera: opened once, kept open; each new video frame drawn into a canvas scaled to
// FRAME_SIDE_PX on its wider side and encoded as JPEG (canvas.toBlob), stamped with its capture
// time on the page's clock. The frames go to the kiosk host, which runs the face pipeline on
// them and decides; this page computes nothing about a face.
import { FRAME_JPEG_BYTES_MAX, FRAME_JPEG_QUALITY, FRAME_SIDE_PX } from '../../electron/contract/constants.js';

export const CAMERA_OPEN_TIMEOUT_MS = 10_000;
/** One JPEG encode, at most: a slower one is given up (the frame is skipped, the next one tried). */
export const ENCODE_TIMEOUT_MS = 1_000;

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

/** The page's clock for capture times (the host relates it to its own, frame-clock.ts). */
export const captureNowMs = (): number => performance.timeOrigin + performance.now();

export interface CapturedFrame {
  jpeg: Uint8Array;
  captured_at_ms: number;
  width: number;
  height: number;
}

export class FrameGrabber {
  private readonly canvas = document.createElement('canvas');
  private readonly ctx: CanvasRenderingContext2D;

  constructor(private readonly video: HTMLVideoElement) {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    this.ctx = ctx;
  }

  /** The current video frame as JPEG, or null before the first frame (or a failed encode). */
  async grab(): Promise<CapturedFrame | null> {
    const v = this.video;
    if (v.readyState < 2 || v.videoWidth === 0) return null;
    const scale = Math.min(1, FRAME_SIDE_PX / Math.max(v.videoWidth, v.videoHeight));
    const width = Math.round(v.videoWidth * scale);
    const height = Math.round(v.videoHeight * scale);
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    this.ctx.drawImage(v, 0, 0, width, height);
    const capturedAtMs = captureNowMs();
    const blob = await new Promise<Blob | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), ENCODE_TIMEOUT_MS);
      this.canvas.toBlob(
        (b) => {
          clearTimeout(timer);
          resolve(b);
        },
        'image/jpeg',
        FRAME_JPEG_QUALITY,
      );
    });
    if (!blob || blob.size > FRAME_JPEG_BYTES_MAX) return null;
    return { jpeg: new Uint8Array(await blob.arrayBuffer()), captured_at_ms: capturedAtMs, width, height };
  }
}
