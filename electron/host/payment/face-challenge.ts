// The face challenge of one customer session (sessions.ts): the host's liveness challenge
// (electron/face/liveness) fed with the renderer's observations, plus what the screen should say
// after each frame. It ends accepted (live, with a fused descriptor) or refused (with the
// reason), and keeps the good faces it saw, for enrolment. The session around it is bounded in
// time on the host's own clock, so that a renderer that stops sending cannot hold one open.
import { randomInt } from 'node:crypto';
import type { FaceObservation, ObservedFace } from '../../contract/vision.js';
import type { Hint } from '../../contract/api.js';
import { LivenessSession, type SessionState } from '../../face/liveness.js';
import { ENROL_CAPTURES_MAX } from '../../face/enrol.js';
import { FACE_CONFIG, type FaceConfig } from '../../face/config.js';

/** A uniform [0, 1) from the CSPRNG: the prompt's moment must not be predictable. */
export const secureRandom = (): number => randomInt(0, 2 ** 47) / 2 ** 47;

export class FaceChallenge {
  readonly liveness: LivenessSession;
  readonly captures: ObservedFace[] = [];
  private lastCapturedAtMs = -1;
  hint: Hint | null = 'look_at_camera';

  constructor(readonly cfg: FaceConfig['liveness'] = FACE_CONFIG.liveness) {
    this.liveness = new LivenessSession(cfg, { random: secureRandom });
  }

  get state(): SessionState {
    return this.liveness.current;
  }

  push(obs: FaceObservation): SessionState {
    // Observations must move forward in capture time; a stale or repeated one is ignored.
    if (obs.captured_at_ms <= this.lastCapturedAtMs) return this.state;
    this.lastCapturedAtMs = obs.captured_at_ms;
    const state = this.liveness.push(obs);
    const face = obs.face;
    if (face?.quality.good && face.descriptor && this.captures.length < ENROL_CAPTURES_MAX) this.captures.push(face);
    this.hint = hintFor(obs, state, this.cfg);
    return state;
  }
}

function hintFor(obs: FaceObservation, state: SessionState, cfg: FaceConfig['liveness']): Hint | null {
  if (state.status === 'accepted' || state.status === 'refused') return state.status === 'accepted' ? 'checking' : null;
  if (obs.faces_near > 1) return 'one_person';
  const face = obs.face;
  if (!face) return 'look_at_camera';
  if (state.status === 'prompt') return 'now_smile';
  switch (face.quality.reason) {
    case 'too_small':
      return 'come_closer';
    case 'turned':
    case 'tilted':
    case 'rolled':
      return 'look_at_camera';
    case 'blurred':
      return 'hold_still';
  }
  if (face.smile > cfg.neutral_max) return 'keep_neutral';
  return 'hold_still';
}
