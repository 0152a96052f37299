// Every threshold of the face decision, in one place, with where its value comes from.
// Changing a number here is a reviewed change: say in `calibration` what it was measured on.
export interface FaceConfig {
  match: {
    /** Accept a customer when the fused descriptor is within this Euclidean distance. */
    accept_distance_max: number;
    /** ... and the next customer is at least this much farther. */
    margin_min: number;
    /** False-match rate of one comparison at accept_distance_max (upper bound, see calibration). */
    false_match_rate: number;
    /** Above this expected false-identification rate (FMR x gallery customers): step up. */
    expected_false_id_rate_max: number;
    /** Step up for payments above this amount (minor units), and for a customer's first payments. */
    step_up_amount_minor_min: number;
    step_up_first_payments: number;
    /** Enrolment refuses a face this close to an enrolled customer ("already enrolled as"). */
    duplicate_distance_max: number;
  };
  liveness: {
    /** The face must be neutral this long, continuously, before the kiosk may prompt. */
    neutral_hold_ms: number;
    /** Whatever the schedule, the face must have been neutral this long right before the prompt. */
    neutral_before_prompt_ms_min: number;
    /** The prompt comes a random delay after that, uniform in [min, max]. */
    prompt_delay_ms_min: number;
    prompt_delay_ms_max: number;
    /** A smile onset counts only this long after the prompt (human reaction window). */
    reaction_ms_min: number;
    reaction_ms_max: number;
    /** Smile score (expression net's "happy") above which a frame is smiling, below which neutral. */
    smile_min: number;
    neutral_max: number;
    /** The smile must hold for this many frames after its onset (one frame can be a glitch). */
    smile_hold_frames: number;
    /** Whole session limit; the kiosk gives up with "no smile" after it. */
    session_ms_max: number;
    /** Continuity between consecutive frames: the face may move this much per frame (in eye
     * distances) and its shape (landmarks after removing translation, scale and rotation) may
     * change this much (mean point error in eye distances); more is a cut between two pictures. */
    jump_eye_distances_max: number;
    shape_change_max: number;
    /** Frames further apart than this break the track (the camera stalled or the stream was cut). */
    frame_gap_ms_max: number;
    /** The same picture this many times in a row: a frozen stream (a photo, a paused video). */
    frozen_frames_max: number;
    /** Identity: each good frame's descriptor within this distance of the session's first ones. */
    same_identity_distance_max: number;
    /** Appearance of the upper face (brows, eyes, nose; a smile barely changes it): consecutive
     * frames must correlate at least this much; two different photos do not. */
    upper_face_correlation_min: number;
    /** Descriptors fused for matching: at least this many good frames. */
    fused_frames_min: number;
  };
  calibration: string;
}

export const FACE_CONFIG: FaceConfig = {
  match: {
    accept_distance_max: 0.57,
    margin_min: 0.06,
    false_match_rate: 0.0045,
    expected_false_id_rate_max: 0.01,
    step_up_amount_minor_min: 5_000,
    step_up_first_payments: 3,
    duplicate_distance_max: 0.5,
  },
  liveness: {
    neutral_hold_ms: 800,
    neutral_before_prompt_ms_min: 200,
    prompt_delay_ms_min: 300,
    prompt_delay_ms_max: 4_300,
    reaction_ms_min: 200,
    reaction_ms_max: 1_000,
    smile_min: 0.9,
    neutral_max: 0.3,
    smile_hold_frames: 2,
    session_ms_max: 12_000,
    jump_eye_distances_max: 0.35,
    shape_change_max: 0.06,
    frame_gap_ms_max: 250,
    frozen_frames_max: 3,
    same_identity_distance_max: 0.62,
    upper_face_correlation_min: 0.75,
    fused_frames_min: 2,
  },
  calibration: [
    'Descriptor: face-api (dlib ResNet-34 port), Euclidean. Its published operating point is 0.6',
    '(dlib: 99.38% on LFW pairs). We accept at 0.57, between the farthest genuine pair (0.551) and',
    'the closest impostor pair (0.605) of the fixture people: that is the same set the test reports,',
    'so the fixture FAR/FRR are not a held-out figure; a larger labelled set must re-calibrate it.',
    'false_match_rate 0.0045 is the rule-of-three 95% upper bound from 0 false matches in about 665',
    'impostor pairs (too few pairs to claim less), so above 2 customers the expected',
    'false-identification rate exceeds 1% and the phone-digits step-up applies.',
    'Liveness: reaction window 200..1000 ms after the prompt (visual reaction 200-300 ms, voluntary',
    "smile onset 300-700 ms, plus a frame at 15 fps); smile >= 0.9 (the expression net saturates:",
    '0.00 -> 0.99 in one frame on d0; d3 peaks at 0.80 without smiling). Continuity limits sit above',
    'the largest change between consecutive frames of the fixture streams (shape 0.038, jump 0.12,',
    'upper-face correlation down to 0.80). A replay with a long neutral lead passes only if the',
    'prompt lands in its window: up to (1000-200)/(4300-300) = 20% per session for a recording',
    'timed for it (d0 itself has too short a neutral lead and never passes).',
].join(' '),
};
