// The liveness challenge's failures (liveness.ts), and what the cashier and the customer read for
// each: something they can act on.

export type LivenessFailure =
  | 'FACE_MULTIPLE'
  | 'FACE_LOST'
  | 'FACE_TRACK_BROKEN'
  | 'FACE_STALLED'
  | 'FACE_FROZEN'
  | 'FACE_IDENTITY_CHANGED'
  | 'FACE_SMILED_EARLY'
  | 'FACE_SMILE_TOO_FAST'
  | 'FACE_NO_SMILE'
  | 'FACE_NO_NEUTRAL'
  | 'FACE_TOO_FEW_GOOD_FRAMES';

/** What the cashier (and the customer) reads for each failure: something they can act on. */
export const LIVENESS_MESSAGES: Record<LivenessFailure, string> = {
  FACE_MULTIPLE: 'One person at a time, please: more than one face is close to the camera.',
  FACE_LOST: 'The face left the camera after the prompt. Try again, looking at the screen.',
  FACE_TRACK_BROKEN:
    'The picture jumped between two faces or two photos: possible spoof. Ask for another payment method if it repeats.',
  FACE_STALLED:
    'The camera or the kiosk stalled and missed the moment of the smile. Nothing was paid; try again. If it repeats, the kiosk is overloaded.',
  FACE_FROZEN:
    'The picture does not move: a photo or a paused screen. A live customer must stand in front of the camera.',
  FACE_IDENTITY_CHANGED: 'A different person appeared during the check. One person at a time, please.',
  FACE_SMILED_EARLY: 'Smiled before the prompt. Please keep a neutral face and smile only when the screen says so.',
  FACE_SMILE_TOO_FAST: 'The smile came before anyone could have seen the prompt: possible recording. Try again.',
  FACE_NO_SMILE: 'No smile after the prompt. Smile when the screen says "now smile".',
  FACE_NO_NEUTRAL: 'The face was not neutral before the prompt. Relax your face, then smile when asked.',
  FACE_TOO_FEW_GOOD_FRAMES: 'The camera could not see the face clearly enough. Face the camera in good light.',
};
