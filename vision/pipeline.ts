// The per-frame face pipeline, isomorphic (Chromium and Node run this same code): given an
// initialised face-api namespace (any TensorFlow.js backend), it turns an RGB frame into a
// FaceObservation: the largest face, how many faces are near, 68 landmarks, the smile, quality,
// and a 128-d descriptor on good frames. It runs the detector only every few frames and tracks
// the face in between from its last landmarks: landmarks and expression cost about 8 ms each on
// WASM, the detector about 35 ms, so tracking is what sustains camera rate on one core.
import type * as FaceApi from '@vladmandic/face-api';
import type { FaceBox, FaceObservation, ObservedFace, RgbFrame, StageTimes } from '../electron/contract/vision.js';
import { clipBox, eyeDistance, headPose, iou, mouthWidthRatio, trackingBox, type Point } from './geometry.js';
import { cropPixels, frameHash, padFrame, sharpness, upperFacePatch } from './pixels.js';
import { CHIP_SIZE_PX, chipExposure, chipTransform, warpChip, type ChipExposure, type Similarity } from './align.js';

type FaceApiNs = typeof FaceApi;
type Tensor3D = FaceApi.tf.Tensor3D;

export interface PipelineOptions {
  detector: 'tiny' | 'ssd';
  /** Tiny detector input side (a multiple of 32): 224 is fast, 416 finds smaller faces. */
  detector_input_px: number;
  detector_score_min: number;
  /** Re-run the detector at least this often while a face is tracked (finds a second face). */
  detect_every_frames: number;
  /** Compute a descriptor on a good frame at most every N frames (1: every good frame). */
  descriptor_every_frames: number;
  /** Run the landmark net a second time on the box its first answer implies (steadier alignment). */
  landmark_refine: boolean;
  /** Average the descriptor of the aligned crop with that of its mirror image (less pose bias;
   * held out on LFW FRR 2.2% where 3.9% without, at the same FAR rule: electron/face/config.ts). */
  descriptor_flip: boolean;
  /** What the descriptor sees: 'chip', the face warped to dlib's 150 px face chip from the
   * landmarks (what the net was trained on); 'box', face-api's upright square around eyes and
   * mouth (no rotation; the pipeline before 2027-01, kept to compare). */
  alignment: 'chip' | 'box';
  /** When the tiny detector finds nothing, try SSD MobileNet (slower, finds more; stills only). */
  detector_fallback_ssd: boolean;
  /** Grey margin around frames where the face fills the picture (tight crops), as a fraction of
   * the frame side: 'auto' retries with it when the plain frame shows no face. */
  padding: 'auto' | 'always' | 'never';
  pad_fraction: number;
  /** A face counts as "near" when its box is at least this fraction of the largest one's height. */
  near_face_height_fraction: number;
  /** Quality gates for a descriptor. */
  eye_distance_px_min: number;
  sharpness_min: number;
  yaw_deg_max: number;
  pitch_deg_max: number;
  roll_deg_max: number;
  /** Exposure gates on the aligned inner face (vision/align.ts chipExposure): too dark, burnt
   * out, flat, or half in shadow (strong side light) gives a descriptor that matches badly. */
  grey_mean_min: number;
  grey_mean_max: number;
  contrast_grey_min: number;
  side_balance_min: number;
  clipped_fraction_max: number;
}

export const DEFAULT_PIPELINE_OPTIONS: PipelineOptions = {
  detector: 'tiny',
  detector_input_px: 224,
  detector_score_min: 0.4,
  detect_every_frames: 6,
  descriptor_every_frames: 3,
  landmark_refine: true,
  detector_fallback_ssd: false,
  descriptor_flip: true,
  padding: 'auto',
  pad_fraction: 0.5,
  near_face_height_fraction: 0.6,
  eye_distance_px_min: 28,
  sharpness_min: 20,
  yaw_deg_max: 30,
  pitch_deg_max: 30,
  roll_deg_max: 25,
  alignment: 'chip',
  // Set from what the grey levels mean, not fitted to a data set: a face whose inner region
  // averages under 40 of 255 is in the dark (a dark-skinned face in ordinary light averages
  // 60-90), over 215 is washed out; a standard deviation under 12 grey levels is too flat to
  // show features; one cheek side at under 0.45 of the other's brightness is lit from the side
  // (the set where FAR was 3.4%); a fifth of the face at 250 or more is burnt out.
  grey_mean_min: 40,
  grey_mean_max: 215,
  contrast_grey_min: 12,
  side_balance_min: 0.45,
  clipped_fraction_max: 0.2,
};

/** The exposure gate a face fails, or null (thresholds from the pipeline options). */
export function exposureReason(e: ChipExposure, o: PipelineOptions): string | null {
  return e.mean_grey < o.grey_mean_min
    ? 'underexposed'
    : e.mean_grey > o.grey_mean_max || e.clipped_fraction > o.clipped_fraction_max
      ? 'overexposed'
      : e.contrast_grey < o.contrast_grey_min
        ? 'low_contrast'
        : e.side_balance < o.side_balance_min
          ? 'uneven_light'
          : null;
}

/** Exposure is read on a chip this many pixels wide (every frame: a small one is enough). */
const EXPOSURE_CHIP_PX = 50;

interface Detected {
  box: FaceBox;
  score: number;
}

export class FacePipeline {
  private readonly opts: PipelineOptions;
  private seq = 0;
  private framesSinceDetect = Number.POSITIVE_INFINITY;
  private framesSinceDescriptor = Number.POSITIVE_INFINITY;
  private track: { box: FaceBox; score: number } | null = null;
  private lastNear = 0;

  constructor(
    private readonly faceapi: FaceApiNs,
    private readonly backend: string,
    options: Partial<PipelineOptions> = {},
  ) {
    this.opts = { ...DEFAULT_PIPELINE_OPTIONS, ...options };
    if (this.opts.detector_input_px % 32 !== 0)
      throw new Error(`detector_input_px: expected a multiple of 32, got ${this.opts.detector_input_px}`);
  }

  /** Forget the tracked face (a new session, or a cut in the stream). */
  reset(): void {
    this.track = null;
    this.framesSinceDetect = Number.POSITIVE_INFINITY;
    this.framesSinceDescriptor = Number.POSITIVE_INFINITY;
    this.lastNear = 0;
  }

  async observe(frame: RgbFrame, capturedAtMs: number, decodeMs = 0): Promise<FaceObservation> {
    if (frame.data.length !== frame.width * frame.height * 3) {
      throw new Error(
        `frame: expected ${frame.width}x${frame.height}x3 = ${frame.width * frame.height * 3} bytes, got ${frame.data.length}`,
      );
    }
    const t0 = performance.now();
    const times: StageTimes = {
      decode_ms: decodeMs,
      detect_ms: 0,
      landmarks_ms: 0,
      expression_ms: 0,
      descriptor_ms: 0,
      total_ms: 0,
    };
    const tf = this.faceapi.tf;
    let work = frame;
    let offset = 0;
    if (this.opts.padding === 'always') {
      offset = Math.round(Math.max(frame.width, frame.height) * this.opts.pad_fraction);
      work = padFrame(frame, offset);
    }
    // The whole frame as a tensor only where the detector needs it: the face crops are cut in
    // JavaScript (cropPixels), so a tracked frame never uploads the frame.
    let image: Tensor3D | null = null;
    try {
      let face: ObservedFace | null = null;
      let box: FaceBox | null = null;
      let tracked = false;
      let score = 0;
      if (this.track && this.framesSinceDetect < this.opts.detect_every_frames) {
        box = this.track.box;
        score = this.track.score;
        tracked = true;
      } else {
        const t = performance.now();
        image = tf.tensor3d(work.data, [work.height, work.width, 3], 'int32') as Tensor3D;
        let found = await this.detect(image);
        if (found.length === 0 && this.opts.padding === 'auto') {
          offset = Math.round(Math.max(frame.width, frame.height) * this.opts.pad_fraction);
          work = padFrame(frame, offset);
          image.dispose();
          image = tf.tensor3d(work.data, [work.height, work.width, 3], 'int32') as Tensor3D;
          found = await this.detect(image);
        }
        if (found.length === 0 && this.opts.detector_fallback_ssd && this.faceapi.nets.ssdMobilenetv1.isLoaded) {
          found = await this.detect(image, 'ssd');
        }
        times.detect_ms = performance.now() - t;
        this.framesSinceDetect = 0;
        found.sort((a, b) => b.box.height - a.box.height);
        const largest = found[0];
        this.lastNear = largest
          ? found.filter((f) => f.box.height >= this.opts.near_face_height_fraction * largest.box.height).length
          : 0;
        if (largest) {
          box = largest.box;
          score = largest.score;
        }
      }
      if (box) face = await this.analyse(work, box, score, tracked, offset, times);
      if (face && tracked && iou(trackingBox(toPoints(face.landmarks)), shiftBox(box!, -offset)) < 0.5) {
        // The landmarks wandered off the tracked box: trust the detector again, this frame.
        this.track = null;
        this.framesSinceDetect = Number.POSITIVE_INFINITY;
        return await this.observe(frame, capturedAtMs, decodeMs + performance.now() - t0);
      }
      this.framesSinceDetect += 1;
      // Tracking boxes are kept in frame coordinates: the next frame is not padded unless asked.
      this.track =
        face && this.opts.padding !== 'always' ? { box: trackingBox(toPoints(face.landmarks)), score } : null;
      times.total_ms = performance.now() - t0 + decodeMs;
      return {
        v: 1,
        frame_seq: this.seq++,
        captured_at_ms: capturedAtMs,
        frame_width: frame.width,
        frame_height: frame.height,
        frame_hash: frameHash(frame),
        backend: this.backend,
        faces_near: face ? Math.max(1, this.lastNear) : this.lastNear,
        face,
        times: roundTimes(times),
      };
    } finally {
      image?.dispose();
    }
  }

  private async detect(image: Tensor3D, detector = this.opts.detector): Promise<Detected[]> {
    const fa = this.faceapi;
    const opts =
      detector === 'tiny'
        ? new fa.TinyFaceDetectorOptions({
            inputSize: this.opts.detector_input_px,
            scoreThreshold: this.opts.detector_score_min,
          })
        : new fa.SsdMobilenetv1Options({ minConfidence: this.opts.detector_score_min });
    const dets = await fa.detectAllFaces(image, opts);
    return dets.map((d) => ({
      box: { x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height },
      score: d.score,
    }));
  }

  /** Landmarks, expression, quality and (when due and good) the descriptor of the face in `box`
   * (coordinates of `work`, the possibly padded frame). Returns frame coordinates. */
  private async analyse(
    work: RgbFrame,
    box: FaceBox,
    score: number,
    tracked: boolean,
    offset: number,
    times: StageTimes,
  ): Promise<ObservedFace | null> {
    const fa = this.faceapi;
    const clipped = clipBox(box, work.width, work.height);
    if (!clipped) return null;
    let t = performance.now();
    let pts = await this.landmarks(work, clipped);
    if (!pts) return null;
    if (this.opts.landmark_refine && !tracked) {
      const again = clipBox(trackingBox(pts), work.width, work.height);
      const refined = again ? await this.landmarks(work, again) : null;
      if (refined) pts = refined;
    }
    times.landmarks_ms += performance.now() - t;
    const aligned = clipBox(alignedRect(pts), work.width, work.height);
    if (!aligned) return null;
    t = performance.now();
    const alignedCrop = cropTensor(fa, work, aligned);
    if (!alignedCrop) return null;
    try {
      const expr = (await fa.nets.faceExpressionNet.predictExpressions(alignedCrop)) as FaceApi.FaceExpressions;
      times.expression_ms += performance.now() - t;
      const pose = headPose(pts);
      const eyeDist = eyeDistance(pts);
      const sharp = sharpness(work, aligned);
      const toChip = chipTransform(pts);
      const exposure = chipExposure(
        warpChip(work, scaled(toChip, CHIP_SIZE_PX / EXPOSURE_CHIP_PX), EXPOSURE_CHIP_PX, false),
        EXPOSURE_CHIP_PX,
      );
      const reason =
        eyeDist < this.opts.eye_distance_px_min
          ? 'too_small'
          : Math.abs(pose.yaw_deg) > this.opts.yaw_deg_max
            ? 'turned'
            : Math.abs(pose.pitch_deg) > this.opts.pitch_deg_max
              ? 'tilted'
              : Math.abs(pose.roll_deg) > this.opts.roll_deg_max
                ? 'rolled'
                : sharp < this.opts.sharpness_min
                  ? 'blurred'
                  : exposureReason(exposure, this.opts);
      let descriptor: number[] | null = null;
      this.framesSinceDescriptor += 1;
      if (reason === null && this.framesSinceDescriptor >= this.opts.descriptor_every_frames) {
        t = performance.now();
        const input =
          this.opts.alignment === 'chip'
            ? (fa.tf.tensor3d(warpChip(work, toChip), [CHIP_SIZE_PX, CHIP_SIZE_PX, 3], 'int32') as Tensor3D)
            : alignedCrop;
        try {
          const d = (await fa.nets.faceRecognitionNet.computeFaceDescriptor(input)) as Float32Array;
          if (this.opts.descriptor_flip) {
            const mirrored = mirrorWidth(fa, input);
            try {
              const m = (await fa.nets.faceRecognitionNet.computeFaceDescriptor(mirrored)) as Float32Array;
              for (let i = 0; i < d.length; i++) d[i] = (d[i]! + m[i]!) / 2;
            } finally {
              mirrored.dispose();
            }
          }
          descriptor = Array.from(d, (v) => Math.round(v * 1e5) / 1e5);
        } finally {
          if (input !== alignedCrop) input.dispose();
        }
        times.descriptor_ms += performance.now() - t;
        this.framesSinceDescriptor = 0;
      }
      const flat: number[] = [];
      for (const p of pts) flat.push(round1(p.x - offset), round1(p.y - offset));
      return {
        box: {
          x: round1(box.x - offset),
          y: round1(box.y - offset),
          width: round1(box.width),
          height: round1(box.height),
        },
        detection_score: Math.min(1, Math.max(0, Math.round(score * 1000) / 1000)),
        tracked,
        landmarks: flat,
        smile: Math.min(1, Math.max(0, Math.round(expr.happy * 1e4) / 1e4)),
        mouth_width_ratio: Math.round(mouthWidthRatio(pts) * 1e4) / 1e4,
        quality: { eye_distance_px: round1(eyeDist), sharpness: sharp, ...pose, good: reason === null, reason },
        upper_face: upperFacePatch(work, pts),
        descriptor,
      };
    } finally {
      alignedCrop.dispose();
    }
  }

  private async landmarks(work: RgbFrame, box: FaceBox): Promise<Point[] | null> {
    const crop = cropTensor(this.faceapi, work, box);
    if (!crop) return null;
    try {
      const lm = (await this.faceapi.nets.faceLandmark68Net.detectLandmarks(crop)) as FaceApi.FaceLandmarks68;
      return lm.positions.map((p) => ({ x: p.x + box.x, y: p.y + box.y }));
    } finally {
      crop.dispose();
    }
  }
}

/** The crop face-api's extractFaceTensors would slice from the frame's tensor, as a tensor of
 * the same int32 values (vision/pixels.ts cropPixels), or null when it is empty. */
/** The mirror image of an HWC image tensor (height, width, channel): reversed over the width axis
 * (1), so that left and right swap and rows and colours stay. The caller disposes the result. */
export function mirrorWidth(fa: FaceApiNs, image: Tensor3D): Tensor3D {
  return (fa.tf as unknown as { reverse(x: Tensor3D, axis: number): Tensor3D }).reverse(image, 1);
}

function cropTensor(fa: FaceApiNs, frame: RgbFrame, box: FaceBox): Tensor3D | null {
  const c = cropPixels(frame, box);
  return c ? (fa.tf.tensor3d(c.data, [c.height, c.width, 3], 'int32') as Tensor3D) : null;
}

/** face-api's alignment box (FaceLandmarks.align): a square around the eyes and mouth, the crop
 * its recognition and expression nets were trained on. */
function alignedRect(pts: Point[]): FaceBox {
  const centre = (a: number, b: number): Point => {
    const s = pts.slice(a, b);
    return { x: s.reduce((v, p) => v + p.x, 0) / s.length, y: s.reduce((v, p) => v + p.y, 0) / s.length };
  };
  const refs = [centre(36, 42), centre(42, 48), centre(48, 68)];
  const [le, re, mouth] = refs as [Point, Point, Point];
  const eyeToMouth = (Math.hypot(mouth.x - le.x, mouth.y - le.y) + Math.hypot(mouth.x - re.x, mouth.y - re.y)) / 2;
  const size = Math.floor(eyeToMouth / 0.45);
  const cx = (le.x + re.x + mouth.x) / 3;
  const cy = (le.y + re.y + mouth.y) / 3;
  return {
    x: Math.floor(Math.max(0, cx - 0.5 * size)),
    y: Math.floor(Math.max(0, cy - 0.43 * size)),
    width: size,
    height: size,
  };
}

export function toPoints(flat: number[]): Point[] {
  const pts: Point[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pts.push({ x: flat[i]!, y: flat[i + 1]! });
  return pts;
}

/** The same chip at another resolution: `factor` chip pixels of the full chip per pixel. */
const scaled = (t: Similarity, factor: number): Similarity => ({
  a: t.a * factor,
  b: t.b * factor,
  tx: t.tx + (t.a - t.b) * (factor - 1) * 0.5,
  ty: t.ty + (t.b + t.a) * (factor - 1) * 0.5,
});
const shiftBox = (b: FaceBox, d: number): FaceBox => ({ x: b.x + d, y: b.y + d, width: b.width, height: b.height });
const round1 = (v: number): number => Math.round(v * 10) / 10;
const roundTimes = (t: StageTimes): StageTimes => ({
  decode_ms: round1(t.decode_ms),
  detect_ms: round1(t.detect_ms),
  landmarks_ms: round1(t.landmarks_ms),
  expression_ms: round1(t.expression_ms),
  descriptor_ms: round1(t.descriptor_ms),
  total_ms: round1(t.total_ms),
});
