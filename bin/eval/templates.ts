// Multi-photo templates, measured: each person is enrolled from K photos (a template of K
// descriptors), every other photo of theirs is a genuine probe, and every photo of every other
// person an impostor probe against that template. Three ways to score a probe against a
// template: 'min' (the nearest of the K descriptors),
// 'mean' (the mean of the K distances), 'fused' (the distance to the fused descriptor, the
// outlier-trimmed mean of the K: the kiosk's TEMPLATE_RULE, electron/face/matcher.ts). Cross-validated by person like folds.ts: the threshold is
// chosen on the other folds' comparisons, the rates counted on the held-out fold's. Pure.
import { euclidean, fuseDescriptors } from '../../electron/face/fuse.js';
import type { Counts, Pair, Sample } from './folds.js';

import type { TemplateRule } from '../../electron/face/fuse.js';

export type { TemplateRule };
export const TEMPLATE_RULES: readonly TemplateRule[] = ['min', 'mean', 'fused'];

export interface Enrolled {
  person: string;
  template: ArrayLike<number>[];
  fused: number[];
}

/** Enrols every person with at least K + 1 usable photos from their first K usable ones (in the
 * order given: sorted names), the rest as probes; people with fewer are probes only (strangers). */
export function enrolFirst(samples: Sample[], k: number): { enrolled: Enrolled[]; probes: Sample[] } {
  if (!Number.isSafeInteger(k) || k < 1) throw new Error(`enrol: expected K >= 1 photos, got ${k}`);
  const by = new Map<string, Sample[]>();
  for (const s of samples) by.set(s.person, [...(by.get(s.person) ?? []), s]);
  const enrolled: Enrolled[] = [];
  const probes: Sample[] = [];
  for (const [person, list] of by) {
    const usable = list.filter((s) => s.descriptor);
    if (usable.length < k + 1) {
      probes.push(...list);
      continue;
    }
    const template = usable.slice(0, k).map((s) => s.descriptor!);
    enrolled.push({ person, template, fused: fuseDescriptors(template) });
    probes.push(...list.filter((s) => !template.includes(s.descriptor!)));
  }
  return { enrolled, probes };
}

export function score(rule: TemplateRule, e: Enrolled, probe: ArrayLike<number>): number {
  if (rule === 'fused') return euclidean(e.fused, probe);
  let best = Number.POSITIVE_INFINITY;
  let sum = 0;
  for (const t of e.template) {
    const d = euclidean(t, probe);
    best = Math.min(best, d);
    sum += d;
  }
  return rule === 'min' ? best : sum / e.template.length;
}

/** Every probe against every template: genuine when the probe's person is the template's. A
 * probe without a usable face counts as a refused genuine (and never as an accepted impostor). */
export function templateComparisons(enrolled: Enrolled[], probes: Sample[], rule: TemplateRule): Pair[] {
  const out: Pair[] = [];
  for (const p of probes) {
    for (const e of enrolled) {
      out.push({
        genuine: p.person === e.person,
        d: p.descriptor ? score(rule, e, p.descriptor) : Number.POSITIVE_INFINITY,
      });
    }
  }
  return out;
}

/** The smallest threshold on the 0.001 grid refusing at most `rate` of the genuine comparisons
 * (the operating point "FRR <= rate" with the fewest impostors accepted). Looks at genuine
 * comparisons only: the threshold is set for the customers, FAR is what it costs. */
export function thresholdForFrr(pairs: Pair[], rate: number): number {
  const genuine = pairs
    .filter((p) => p.genuine)
    .map((p) => p.d)
    .sort((a, b) => a - b);
  if (genuine.length === 0) throw new Error('thresholdForFrr: no genuine comparisons');
  const refusedMax = Math.floor(rate * genuine.length);
  // Where probes without a face alone refuse more than `rate`, the rate cannot be reached: the
  // threshold then accepts every genuine comparison that has a face.
  const finite = genuine.filter((d) => Number.isFinite(d));
  if (finite.length === 0) throw new Error('thresholdForFrr: no genuine comparison has a usable face');
  const d = Math.min(genuine[genuine.length - 1 - refusedMax]!, finite[finite.length - 1]!);
  return Math.ceil(d * 1000 - 1e-9) / 1000;
}

export function countAt(pairs: Pair[], threshold: number): Counts {
  const c: Counts = { genuine: 0, false_rejects: 0, impostor: 0, false_accepts: 0 };
  for (const p of pairs) {
    if (p.genuine) {
      c.genuine += 1;
      if (p.d > threshold) c.false_rejects += 1;
    } else {
      c.impostor += 1;
      if (p.d <= threshold) c.false_accepts += 1;
    }
  }
  return c;
}

export interface TemplateFold {
  fold: number;
  threshold: number;
  held_out: Counts;
}

/** Cross-validation by person of a template rule: for each fold, the threshold `choose` picks
 * on the comparisons among the other folds' people, counted on the held-out fold's own. */
export function crossValidateTemplates(
  samples: Sample[],
  folds: string[][],
  k: number,
  rule: TemplateRule,
  choose: (calibration: Pair[]) => number,
): { folds: TemplateFold[]; pooled: Counts } {
  const foldOf = new Map<string, number>();
  folds.forEach((f, i) => f.forEach((p) => foldOf.set(p, i)));
  const pooled: Counts = { genuine: 0, false_rejects: 0, impostor: 0, false_accepts: 0 };
  const out = folds.map((_, i): TemplateFold => {
    const side = (held: boolean): Pair[] => {
      const { enrolled, probes } = enrolFirst(
        samples.filter((s) => (foldOf.get(s.person) === i) === held),
        k,
      );
      return templateComparisons(enrolled, probes, rule);
    };
    const threshold = choose(side(false));
    const c = countAt(side(true), threshold);
    pooled.genuine += c.genuine;
    pooled.false_rejects += c.false_rejects;
    pooled.impostor += c.impostor;
    pooled.false_accepts += c.false_accepts;
    return { fold: i + 1, threshold, held_out: c };
  });
  return { folds: out, pooled };
}
