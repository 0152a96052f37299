// Face descriptors of demo photos, for the demo store's enrolment (npm start, tests, bench).
// Lives outside electron/ because it runs the renderer's isomorphic pipeline in Node, which the
// trusted layer may not import; the start script hands it to the host as a function.
// Adapter wanted from the face pipeline: a Node-side "describe a still" in native/.
import { initNodeVision } from '../native/backend.node.js';
import { decodeImage } from '../native/image.node.js';
import { FacePipeline } from '../vision/pipeline.js';

/** One descriptor per photo with a usable face (others are skipped, as is a photo that is not a
 * JPEG or PNG that decodes). */
export async function describeFaces(images: Uint8Array[]): Promise<number[][]> {
  const vision = await initNodeVision({
    nets: ['tinyFaceDetector', 'ssdMobilenetv1', 'faceLandmark68Net', 'faceExpressionNet', 'faceRecognitionNet'],
  });
  const out: number[][] = [];
  for (const bytes of images) {
    const pipe = new FacePipeline(vision.faceapi, vision.backend, {
      descriptor_every_frames: 1,
      detector_fallback_ssd: true,
    });
    let frame;
    try {
      frame = decodeImage(bytes);
    } catch {
      continue;
    }
    const obs = await pipe.observe(frame, 0);
    if (obs.face?.descriptor) out.push(obs.face.descriptor);
  }
  return out;
}
