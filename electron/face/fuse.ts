// Identity from several good frames, not one: the fused descriptor is the mean of the frames'
// descriptors after dropping those far from their coordinate-wise median (a blink, a blurred
// frame, a landmark slip), which lowers the genuine distance without moving impostors closer.
export function euclidean(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`descriptors of ${a.length} and ${b.length} dimensions`);
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const t = a[i]! - b[i]!;
    s += t * t;
  }
  return Math.sqrt(s);
}

export const FUSE_OUTLIER_DISTANCE = 0.35;

export function fuseDescriptors(ds: ArrayLike<number>[]): number[] {
  if (ds.length === 0) throw new Error('fuseDescriptors: no descriptors');
  const dims = ds[0]!.length;
  const median = Array.from({ length: dims }, (_, d) => {
    const v = ds.map((x) => x[d]!).sort((a, b) => a - b);
    const m = v.length >> 1;
    return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
  });
  const kept = ds.length <= 2 ? ds : ds.filter((x) => euclidean(x, median) <= FUSE_OUTLIER_DISTANCE);
  const use = kept.length > 0 ? kept : ds;
  return Array.from({ length: dims }, (_, d) => use.reduce((s, x) => s + x[d]!, 0) / use.length);
}

/** How a probe is scored against a customer's template of several descriptors: 'min' (the
 * nearest descriptor), 'mean' (the mean distance) or 'fused' (the distance to the template's
 * fused descriptor, the outlier-trimmed mean). Chosen by measurement (`npm run calibrate`,
 * cross_validation.templates: held out on LFW, the lowest FAR at FRR <= 3% and the lowest FRR at
 * the FAR rule): 'fused'. addCustomer keeps one fused row per customer. */
export type TemplateRule = 'min' | 'mean' | 'fused';
export const TEMPLATE_RULE: TemplateRule = 'fused';
