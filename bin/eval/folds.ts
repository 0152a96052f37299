// Cross-validated verification figures: the people (never single images) are dealt into K folds;
// for each fold the accept threshold is chosen on the pairs among the other folds' people by a
// rule fixed before looking, and FAR/FRR are counted on the pairs among the held-out people only,
// so no reported pair ever influenced the threshold it is judged with. Pure: no I/O, no models.
import { euclidean } from '../../electron/face/fuse.js';

export interface Sample {
  person: string;
  /** null when the image gave no usable face: its pairs count as refused. */
  descriptor: ArrayLike<number> | null;
}

export interface Pair {
  genuine: boolean;
  /** Euclidean distance; +Infinity when either side has no descriptor. */
  d: number;
}

/**
 * zero-far: the largest threshold on the grid with no calibration impostor pair accepted.
 * far: the largest threshold on the grid with at most floor(rate x impostor pairs) accepted.
 * Both look at impostor pairs only: the threshold is set for security, FRR is what it costs.
 */
export type ThresholdRule = { kind: 'zero-far' } | { kind: 'far'; rate: number };

/** Thresholds are chosen on a 0.001 grid (integer thousandths: no float drift). */
export const THRESHOLD_GRID_PER_UNIT = 1000;
/** More folds than this is a slip (one person per fold is already leave-one-out). */
export const FOLDS_MAX = 1000;

export function parseRule(text: string): ThresholdRule {
  if (text === 'zero-far') return { kind: 'zero-far' };
  const m = /^far:(\d*\.?\d+(?:e-?\d+)?)$/.exec(text);
  const rate = m ? Number(m[1]) : Number.NaN;
  if (!(rate >= 0 && rate < 1))
    throw new Error(`--rule: expected zero-far or far:<rate in [0, 1)>, got ${JSON.stringify(text)}`);
  return { kind: 'far', rate };
}

export function describeRule(rule: ThresholdRule): string {
  return rule.kind === 'zero-far'
    ? 'zero-far: the largest threshold (0.001 grid) accepting no impostor pair of the calibration folds'
    : `far:${rule.rate}: the largest threshold (0.001 grid) accepting at most ${rule.rate} of the calibration folds' impostor pairs`;
}

/** Deals the distinct people into k folds after a seeded shuffle; fold sizes differ by at most one. */
export function assignFolds(people: string[], k: number, random: () => number): string[][] {
  const distinct = [...new Set(people)].sort();
  if (!Number.isSafeInteger(k) || k < 2 || k > FOLDS_MAX)
    throw new Error(`folds: expected an integer in [2, ${FOLDS_MAX}], got ${k}`);
  if (k > distinct.length) throw new Error(`folds: ${k} folds need at least ${k} people, got ${distinct.length}`);
  for (let i = distinct.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [distinct[i], distinct[j]] = [distinct[j]!, distinct[i]!];
  }
  const folds: string[][] = Array.from({ length: k }, () => []);
  distinct.forEach((p, i) => folds[i % k]!.push(p));
  return folds.map((f) => f.sort());
}

/** Every unordered pair of samples, genuine when both show the same person. */
export function pairsOf(
  samples: Sample[],
  distance: (a: ArrayLike<number>, b: ArrayLike<number>) => number = euclidean,
): Pair[] {
  const out: Pair[] = [];
  for (let i = 0; i < samples.length; i++) {
    for (let j = i + 1; j < samples.length; j++) {
      const a = samples[i]!;
      const b = samples[j]!;
      out.push({
        genuine: a.person === b.person,
        d: a.descriptor && b.descriptor ? distance(a.descriptor, b.descriptor) : Number.POSITIVE_INFINITY,
      });
    }
  }
  return out;
}

/** The largest grid value strictly below d (so that a pair at exactly d is refused). */
function gridBelow(d: number): number {
  return (Math.ceil(d * THRESHOLD_GRID_PER_UNIT - 1e-9) - 1) / THRESHOLD_GRID_PER_UNIT;
}

export function chooseThreshold(calibration: Pair[], rule: ThresholdRule): number {
  const impostors = calibration
    .filter((p) => !p.genuine)
    .map((p) => p.d)
    .sort((a, b) => a - b);
  if (impostors.length === 0)
    throw new Error('chooseThreshold: no impostor pairs to calibrate on (a calibration set needs two people or more)');
  const allowed = rule.kind === 'zero-far' ? 0 : Math.floor(rule.rate * impostors.length);
  const limit = impostors[allowed];
  if (limit === undefined || !Number.isFinite(limit))
    throw new Error(
      `chooseThreshold: the rule allows ${allowed} of ${impostors.length} impostor pairs accepted, which leaves no finite distance to stay under`,
    );
  return gridBelow(limit);
}

export interface Counts {
  genuine: number;
  false_rejects: number;
  impostor: number;
  false_accepts: number;
}

export function count(pairs: Pair[], threshold: number): Counts {
  const c: Counts = { genuine: 0, false_rejects: 0, impostor: 0, false_accepts: 0 };
  for (const p of pairs) {
    const accepted = p.d <= threshold;
    if (p.genuine) {
      c.genuine += 1;
      if (!accepted) c.false_rejects += 1;
    } else {
      c.impostor += 1;
      if (accepted) c.false_accepts += 1;
    }
  }
  return c;
}

export interface FoldResult {
  fold: number;
  held_out: string[];
  threshold: number;
  calibration: { genuine: number; impostor: number };
  held_out_pairs: Counts;
  /** The same held-out pairs at a reference threshold (e.g. the configured one), if given. */
  at_reference: Counts | null;
}

export interface CrossValidation {
  folds: FoldResult[];
  pooled: Counts;
  pooled_at_reference: Counts | null;
}

function add(a: Counts, b: Counts): Counts {
  return {
    genuine: a.genuine + b.genuine,
    false_rejects: a.false_rejects + b.false_rejects,
    impostor: a.impostor + b.impostor,
    false_accepts: a.false_accepts + b.false_accepts,
  };
}

export function crossValidate(
  samples: Sample[],
  folds: string[][],
  rule: ThresholdRule,
  opts: { reference_threshold?: number; distance?: (a: ArrayLike<number>, b: ArrayLike<number>) => number } = {},
): CrossValidation {
  const foldOf = new Map<string, number>();
  folds.forEach((f, i) =>
    f.forEach((p) => {
      if (foldOf.has(p)) throw new Error(`crossValidate: ${p} is in folds ${foldOf.get(p)! + 1} and ${i + 1}`);
      foldOf.set(p, i);
    }),
  );
  for (const s of samples) if (!foldOf.has(s.person)) throw new Error(`crossValidate: ${s.person} is in no fold`);
  const zero: Counts = { genuine: 0, false_rejects: 0, impostor: 0, false_accepts: 0 };
  let pooled = zero;
  let pooledRef = zero;
  const results = folds.map((heldOut, i): FoldResult => {
    const calibration = pairsOf(
      samples.filter((s) => foldOf.get(s.person) !== i),
      opts.distance,
    );
    const test = pairsOf(
      samples.filter((s) => foldOf.get(s.person) === i),
      opts.distance,
    );
    const threshold = chooseThreshold(calibration, rule);
    const c = count(test, threshold);
    const ref = opts.reference_threshold === undefined ? null : count(test, opts.reference_threshold);
    pooled = add(pooled, c);
    if (ref) pooledRef = add(pooledRef, ref);
    const cal = count(calibration, threshold);
    return {
      fold: i + 1,
      held_out: heldOut,
      threshold,
      calibration: { genuine: cal.genuine, impostor: cal.impostor },
      held_out_pairs: c,
      at_reference: ref,
    };
  });
  return { folds: results, pooled, pooled_at_reference: opts.reference_threshold === undefined ? null : pooledRef };
}

/** P(X <= k) for X ~ Binomial(n, p). */
function cdf(k: number, n: number, p: number): number {
  if (p <= 0) return 1;
  if (p >= 1) return k >= n ? 1 : 0;
  let logC = 0;
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    sum += Math.exp(logC + i * Math.log(p) + (n - i) * Math.log1p(-p));
  }
  return Math.min(1, sum);
}

/** Exact (Clopper-Pearson) two-sided 95% interval for k errors in n trials. */
export function interval95(k: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const solve = (f: (p: number) => number): number => {
    let lo = 0;
    let hi = 1;
    for (let it = 0; it < 60; it++) {
      const mid = (lo + hi) / 2;
      if (f(mid) > 0) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  };
  const lower = k === 0 ? 0 : solve((p) => (1 - cdf(k - 1, n, p) < 0.025 ? 1 : -1));
  const upper = k === n ? 1 : solve((p) => (cdf(k, n, p) > 0.025 ? 1 : -1));
  return [lower, upper];
}
