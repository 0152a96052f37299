// Loads face-api nets from weight bytes (used by native/ in Node and by renderer/vision in the
// browser: no I/O here, so both layers may import it) that the caller has already checked against the
// models manifest (Node: native/models.node.ts; browser: the host serves them and the page
// checks SHA-256 with crypto.subtle). Isomorphic: no fetch, no file system here.
import type * as FaceApi from '@vladmandic/face-api';

export type NetName =
  | 'tinyFaceDetector'
  | 'ssdMobilenetv1'
  | 'faceLandmark68Net'
  | 'faceLandmark68TinyNet'
  | 'faceExpressionNet'
  | 'faceRecognitionNet';

export const NET_FILES: Record<NetName, string> = {
  tinyFaceDetector: 'tiny_face_detector_model',
  ssdMobilenetv1: 'ssd_mobilenetv1_model',
  faceLandmark68Net: 'face_landmark_68_model',
  faceLandmark68TinyNet: 'face_landmark_68_tiny_model',
  faceExpressionNet: 'face_expression_model',
  faceRecognitionNet: 'face_recognition_model',
};

/** The nets the pipeline needs: fast detector, full landmarks (for alignment), expression, descriptor. */
export const DEFAULT_NETS: NetName[] = [
  'tinyFaceDetector',
  'faceLandmark68Net',
  'faceExpressionNet',
  'faceRecognitionNet',
];

interface WeightGroup {
  paths: string[];
  weights: { name: string; shape: number[]; dtype: string }[];
}

export async function loadNets(
  faceapi: typeof FaceApi,
  nets: NetName[] | undefined,
  readVerified: (file: string) => Promise<Uint8Array>,
): Promise<void> {
  for (const net of nets ?? DEFAULT_NETS) {
    const base = NET_FILES[net];
    const manifestBytes = await readVerified(`${base}-weights_manifest.json`);
    const groups = JSON.parse(new TextDecoder().decode(manifestBytes)) as WeightGroup[];
    const binFiles = groups.flatMap((g) => g.paths);
    if (binFiles.length !== 1 || binFiles[0] !== `${base}.bin`) {
      throw new Error(`${base}: expected one weight file ${base}.bin, the model manifest lists ${binFiles.join(', ')}`);
    }
    const bin = await readVerified(`${base}.bin`);
    const buffer = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
    const specs = groups.flatMap((g) => g.weights) as Parameters<typeof faceapi.tf.io.decodeWeights>[1];
    const weightMap = faceapi.tf.io.decodeWeights(buffer, specs);
    faceapi.nets[net].loadFromWeightMap(weightMap);
  }
}
