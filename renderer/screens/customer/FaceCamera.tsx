// The live camera with the face guide, and the loop that turns frames into observations for
// the host's session: grab -> pipeline -> observe -> show what the host answers. One frame in
// flight at a time, at most FRAME_RATE_MAX per second; it stops when the session is decided.
import { useEffect, useRef } from 'react';
import type { KioskApi, SessionView } from '../../../electron/contract/api.js';
import { captureNowMs, FrameGrabber } from '../../camera/capture.js';
import type { FaceRuntime } from '../../camera/face-runtime.js';

export const FRAME_RATE_MAX = 15;

export function FaceCamera(props: {
  api: KioskApi;
  stream: MediaStream;
  runtime: FaceRuntime;
  session: SessionView;
  prompt: boolean;
  onView: (v: SessionView) => void;
  onError: (code: string, message: string) => void;
}) {
  const video = useRef<HTMLVideoElement>(null);
  const { api, stream, runtime } = props;
  const sessionId = props.session.session_id;
  // The loop lives as long as the session: callbacks change with every render, so they are
  // read through a ref instead of restarting the loop (and the face track) each frame.
  const callbacks = useRef({ onView: props.onView, onError: props.onError });
  callbacks.current = { onView: props.onView, onError: props.onError };

  useEffect(() => {
    const v = video.current!;
    v.srcObject = stream;
    void v.play().catch(() => undefined);
    let stopped = false;
    const grabber = new FrameGrabber(v);
    runtime.reset();
    // Only new camera frames: a frame grabbed twice would look like a frozen picture.
    const nextVideoFrame = (): Promise<void> =>
      new Promise((res) => {
        if ('requestVideoFrameCallback' in v) v.requestVideoFrameCallback(() => res());
        else setTimeout(res, 1000 / FRAME_RATE_MAX);
      });
    void (async () => {
      while (!stopped) {
        await nextVideoFrame();
        if (stopped) break;
        const t0 = performance.now();
        const frame = grabber.grab();
        if (frame) {
          const capturedAtMs = captureNowMs();
          const observation = await runtime.observe(frame, capturedAtMs);
          if (stopped) break;
          const r = await api.observe({ session_id: sessionId, observation });
          if (stopped) break;
          if (!r.ok) {
            callbacks.current.onError(r.error.code, r.error.message);
            break;
          }
          callbacks.current.onView(r.value);
          if (r.value.phase !== 'looking' && r.value.phase !== 'prompt') break;
        }
        const waitMs = Math.max(0, 1000 / FRAME_RATE_MAX - (performance.now() - t0));
        await new Promise((res) => setTimeout(res, waitMs));
      }
    })();
    return () => {
      stopped = true;
    };
  }, [api, stream, runtime, sessionId]);

  return (
    <div className={`camera ${props.prompt ? 'camera-prompt' : ''}`}>
      <video ref={video} muted playsInline className="camera-video" />
      <div className="face-guide" aria-hidden="true" />
    </div>
  );
}
