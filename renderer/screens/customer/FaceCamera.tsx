// The live camera with the face guide, and the loop that sends the camera's frames to the host
// for the session: grab -> JPEG -> one binary message per frame (frames.ts), at most
// FRAME_RATE_MAX a second and FRAMES_IN_FLIGHT_MAX unanswered (a camera frame is skipped
// meanwhile, never queued). The host observes them, decides, and pushes the session back after
// each frame: this component shows it (the guide follows the face box the host saw) and says
// "now smile" only when the host says so. It computes nothing about a face.
import { useEffect, useRef, useState } from 'react';
import type { KioskClient, SessionView } from '../../../electron/contract/api.js';
import { encodeFrame, FRAMES_IN_FLIGHT_MAX } from '../../../electron/contract/constants.js';
import { FrameGrabber } from '../../camera/capture.js';

export const FRAME_RATE_MAX = 15;
/** Frames unanswered this long are given up on (a reconnect lost their answers). */
export const FRAME_ANSWER_TIMEOUT_MS = 2_000;

export function FaceCamera(props: {
  api: KioskClient;
  stream: MediaStream;
  session: SessionView;
  onView: (v: SessionView) => void;
}) {
  const video = useRef<HTMLVideoElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const { api, stream } = props;
  const sessionId = props.session.session_id;
  const tag = props.session.frame_tag;
  const [face, setFace] = useState<SessionView['face']>(null);
  // Callbacks change with every render: read through a ref instead of restarting the loop.
  const onView = useRef(props.onView);
  onView.current = props.onView;

  useEffect(() => {
    const v = video.current!;
    v.srcObject = stream;
    void v.play().catch(() => undefined);
    let stopped = false;
    let answered = -1;
    let answeredAtMs = performance.now();
    const unsubscribe = api.onSession((e) => {
      if (e.kind === 'frame_refused') {
        if (e.seq !== null) answered = Math.max(answered, e.seq);
        return;
      }
      if (e.view.session_id !== sessionId) return;
      if (e.view.frame) answered = Math.max(answered, e.view.frame.seq);
      answeredAtMs = performance.now();
      setFace(e.view.face);
      onView.current(e.view);
    });
    const grabber = new FrameGrabber(v);
    // Only new camera frames: a frame grabbed twice would look like a frozen picture.
    const nextVideoFrame = (): Promise<void> =>
      new Promise((res) => {
        if ('requestVideoFrameCallback' in v) v.requestVideoFrameCallback(() => res());
        else setTimeout(res, 1000 / FRAME_RATE_MAX);
      });
    void (async () => {
      let seq = 0;
      while (!stopped) {
        const t0 = performance.now();
        await nextVideoFrame();
        if (stopped) break;
        if (seq - 1 - answered >= FRAMES_IN_FLIGHT_MAX) {
          if (performance.now() - answeredAtMs > FRAME_ANSWER_TIMEOUT_MS) answered = seq - 1;
          continue;
        }
        const f = await grabber.grab();
        if (stopped) break;
        if (f && api.sendFrame(encodeFrame({ tag, seq, captured_at_ms: f.captured_at_ms, jpeg: f.jpeg }))) seq += 1;
        const waitMs = 1000 / FRAME_RATE_MAX - (performance.now() - t0);
        if (waitMs > 0) await new Promise((res) => setTimeout(res, waitMs));
      }
    })();
    return () => {
      stopped = true;
      unsubscribe();
    };
  }, [api, stream, sessionId, tag]);

  return (
    <div ref={box} className={`camera ${props.session.prompt ? 'camera-prompt' : ''}`}>
      <video ref={video} muted playsInline className="camera-video" />
      <div className="face-guide" aria-hidden="true" data-testid="face-guide" style={guideStyle(face, box.current)} />
    </div>
  );
}

/** The guide over the face the host saw: the frame is shown mirrored and cropped to cover the
 * box (object-fit: cover), so its box is mapped the same way. Centred when no face is known. */
function guideStyle(face: SessionView['face'], el: HTMLDivElement | null): React.CSSProperties | undefined {
  if (!face || !el || el.clientWidth === 0) return undefined;
  const W = el.clientWidth;
  const H = el.clientHeight;
  const scale = Math.max(W / face.frame_width, H / face.frame_height);
  const dx = (W - face.frame_width * scale) / 2;
  const dy = (H - face.frame_height * scale) / 2;
  const margin = 0.25;
  const w = face.box.width * scale * (1 + margin);
  const h = face.box.height * scale * (1 + 2 * margin);
  const cx = W - (dx + (face.box.x + face.box.width / 2) * scale);
  const cy = dy + (face.box.y + face.box.height / 2) * scale;
  return { left: cx, top: cy, width: w, height: h };
}
