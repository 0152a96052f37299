// Enrolment: from several captures of one person (observations that passed the same liveness
// challenge as a payment), keep the good frames, refuse a face already in the gallery
// ("already enrolled as ..."), and seal the template for storage.
import type { ObservedFace } from '../contract/vision.js';
import type { FaceConfig } from './config.js';
import type { DescriptorIndex } from './matcher.js';
import { sealTemplate } from './template-crypto.js';
import { fuseDescriptors } from './fuse.js';

export const ENROL_CAPTURES_MIN = 3;
export const ENROL_CAPTURES_MAX = 8;

export type EnrolResult =
  | { ok: true; customer_id: string; descriptors: number[][]; sealed_template: string }
  | { ok: false; code: 'ENROL_TOO_FEW_GOOD' | 'ENROL_DUPLICATE' | 'ENROL_NOT_LIVE'; message: string };

export function enrol(
  cfg: FaceConfig['match'],
  index: DescriptorIndex,
  key: Uint8Array,
  customerId: string,
  captures: ObservedFace[],
  live: boolean,
  minCaptures = ENROL_CAPTURES_MIN,
): EnrolResult {
  if (!live)
    return {
      ok: false,
      code: 'ENROL_NOT_LIVE',
      message: 'The liveness challenge was not passed: enrol again with the customer in front of the camera.',
    };
  const good = captures.filter((f) => f.quality.good && f.descriptor).map((f) => f.descriptor!);
  if (good.length < minCaptures) {
    const reasons = [...new Set(captures.map((f) => f.quality.reason).filter((r): r is string => r !== null))];
    return {
      ok: false,
      code: 'ENROL_TOO_FEW_GOOD',
      message: `${good.length} good captures, ${minCaptures} needed${reasons.length ? ` (rejected: ${reasons.join(', ')})` : ''}`,
    };
  }
  const kept = good.slice(0, ENROL_CAPTURES_MAX);
  const dup = index.search(fuseDescriptors(kept), cfg.duplicate_distance_max, 1)[0];
  if (dup && dup.customer_id !== customerId) {
    return {
      ok: false,
      code: 'ENROL_DUPLICATE',
      message: `Already enrolled as ${dup.customer_id} (distance ${dup.distance.toFixed(3)}).`,
    };
  }
  index.addCustomer(customerId, kept);
  return { ok: true, customer_id: customerId, descriptors: kept, sealed_template: sealTemplate(key, customerId, kept) };
}
