// eval faces and eval kiosk: verification and the kiosk's 1:N decision on anyone's labelled
// photos. Every number comes with its counts and an exact 95% interval; what could not be used is
// listed with its reason. Cross-validated figures choose each threshold on other people than the
// ones they are counted on (folds.ts, templates.ts).
import { FACE_CONFIG } from '../../electron/face/config.js';
import { identify, identifyAmong } from '../../electron/face/decision.js';
import { DescriptorIndex } from '../../electron/face/matcher.js';
import type { NodeVision } from '../../native/backend.node.js';
import type { PipelineOptions } from '../../vision/pipeline.js';
import { describeFolder, summarise, type Photo } from './folder.js';
import {
  assignFolds,
  count,
  crossValidate,
  describeRule,
  interval95,
  pairsOf,
  type Counts,
  type ThresholdRule,
} from './folds.js';
import { seeded } from './harness.js';
import { crossValidateTemplates, TEMPLATE_RULES, thresholdForFrr } from './templates.js';

export interface Rates {
  genuine_pairs: number;
  impostor_pairs: number;
  false_accepts: number;
  false_rejects: number;
  far: number;
  frr: number;
  far_ci95: [number, number];
  frr_ci95: [number, number];
}

const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;
export function rates(c: Counts): Rates {
  const [a0, a1] = interval95(c.false_accepts, c.impostor);
  const [r0, r1] = interval95(c.false_rejects, c.genuine);
  return {
    genuine_pairs: c.genuine,
    impostor_pairs: c.impostor,
    false_accepts: c.false_accepts,
    false_rejects: c.false_rejects,
    far: r6(c.false_accepts / Math.max(1, c.impostor)),
    frr: r6(c.false_rejects / Math.max(1, c.genuine)),
    far_ci95: [r6(a0), r6(a1)],
    frr_ci95: [r6(r0), r6(r1)],
  };
}

const pct = (x: number, digits = 3): string => `${(100 * x).toFixed(digits)}%`;
export const ratesLine = (r: Rates): string =>
  `FAR ${r.false_accepts}/${r.impostor_pairs} = ${pct(r.far)} [95% ${pct(r.far_ci95[0])}-${pct(r.far_ci95[1])}], FRR ${r.false_rejects}/${r.genuine_pairs} = ${pct(r.frr, 2)} [95% ${pct(r.frr_ci95[0], 2)}-${pct(r.frr_ci95[1], 2)}]`;

/** The photos of a folder, with a report of what could not be used (on stdout). */
export async function readPeople(
  v: NodeVision,
  dir: string,
  opts: { cache?: string; pipeline?: Partial<PipelineOptions>; label?: string },
): Promise<{ photos: Photo[]; summary: ReturnType<typeof summarise>; unusable: { file: string; reason: string }[] }> {
  const photos = await describeFolder(v, dir, opts);
  const summary = summarise(photos);
  const unusable = photos
    .filter((p) => p.status !== 'described')
    .map((p) => ({ file: `${p.person}/${p.file}`, reason: `${p.status}: ${p.reason}` }));
  console.log(
    `${opts.label ? `${opts.label}: ` : ''}${summary.files} files of ${summary.people} people: ${summary.described} described, ${summary.unreadable} unreadable, ${summary.no_face} without a face, ${summary.refused_quality} refused by the quality gates ${JSON.stringify(summary.refused_by_reason)}; formats ${JSON.stringify(summary.formats)}`,
  );
  const shown = 20;
  for (const u of unusable.slice(0, shown)) console.log(`  not used: ${u.file}: ${u.reason}`);
  if (unusable.length > shown) console.log(`  ... and ${unusable.length - shown} more (all in the JSON)`);
  return { photos, summary, unusable };
}

/** Pairs at the configured threshold, in-sample, with a small ROC. */
export function facesInSample(photos: Photo[], threshold: number): object {
  const pairs = pairsOf(photos);
  const at = rates(count(pairs, threshold));
  console.log(`threshold ${threshold} (in-sample; a pair with an unusable photo counts as refused): ${ratesLine(at)}`);
  const roc = [0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7].map((t) => ({ threshold: t, ...rates(count(pairs, t)) }));
  for (const r of roc) console.log(`  ${r.threshold.toFixed(2)}: ${ratesLine(r)}`);
  return { threshold, ...at, roc };
}

/** Cross-validated by person: pairs under `rule`, and multi-photo templates of `enrolK` photos
 * under each scoring rule at FRR <= 3% (threshold chosen on the other folds). */
export function facesCrossValidated(
  photos: Photo[],
  k: number,
  seed: number,
  rule: ThresholdRule,
  enrolK: number,
): object {
  const folds = assignFolds(
    photos.map((p) => p.person),
    k,
    seeded(seed),
  );
  const configured = FACE_CONFIG.match.accept_distance_max;
  const cv = crossValidate(photos, folds, rule, { reference_threshold: configured });
  const pooled = rates(cv.pooled);
  const thresholds = cv.folds.map((f) => f.threshold);
  console.log(`${k} folds by person (seed ${seed}); rule fixed in advance: ${describeRule(rule)}`);
  console.log(
    `pairs, held out: ${ratesLine(pooled)}; fold thresholds ${Math.min(...thresholds).toFixed(3)}..${Math.max(...thresholds).toFixed(3)}`,
  );
  const atConfigured = rates(cv.pooled_at_reference!);
  console.log(
    `pairs at the configured ${configured} (chosen before on LFW folds: see config.ts): ${ratesLine(atConfigured)}`,
  );
  const templates = enrolK >= 1 ? templateTable(photos, folds, enrolK) : [];
  return {
    mode: 'cross-validated',
    folds: k,
    seed,
    rule,
    fold_thresholds: thresholds,
    held_out: pooled,
    at_configured: { threshold: configured, ...atConfigured },
    templates,
  };
}

export function templateTable(photos: Photo[], folds: string[][], enrolK: number): object[] {
  const out: object[] = [];
  console.log(
    `templates of ${enrolK} photos (every other photo a probe), threshold for FRR <= 3% chosen on the other folds:`,
  );
  for (const rule of enrolK === 1 ? (['min'] as const) : TEMPLATE_RULES) {
    const cv = crossValidateTemplates(photos, folds, enrolK, rule, (p) => thresholdForFrr(p, 0.03));
    const r = rates(cv.pooled);
    const th = cv.folds.map((f) => f.threshold);
    console.log(
      `  ${rule}: ${ratesLine(r)}; fold thresholds ${Math.min(...th).toFixed(3)}..${Math.max(...th).toFixed(3)}`,
    );
    out.push({ enrol: enrolK, rule, fold_thresholds: th, held_out: r });
  }
  return out;
}

interface KioskCounts {
  gallery: number;
  mated: number;
  mated_accepted_right: number;
  mated_accepted_wrong: number;
  mated_step_up: number;
  mated_refused: number;
  mated_right_after_step_up: number;
  non_mated: number;
  non_mated_accepted: number;
  non_mated_step_up: number;
  non_mated_accepted_after_step_up: number;
}

/**
 * The kiosk's 1:N decision: people are split in two halves by a seeded shuffle; one half is the
 * gallery (each enrolled from their first K usable photos, every row kept, as enrolment does), the
 * other half strangers; then the halves swap. Every other photo of a gallery person is a mated
 * probe, every stranger's photo a non-mated one, decided by decision.ts's identify() with the
 * configured threshold, margin and false-identification bound, for a regular customer and a small
 * amount. After a step-up, a mated probe types its own digits; a stranger types the digits of the
 * customer nearest to it (an impostor who knows them: the worst case).
 */
export function kiosk(photos: Photo[], enrolK: number, seed: number, sizes: number[]): object {
  const people = [...new Set(photos.map((p) => p.person))].sort();
  const r = seeded(seed);
  for (let i = people.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [people[i], people[j]] = [people[j]!, people[i]!];
  }
  const halves = [people.slice(0, people.length >> 1), people.slice(people.length >> 1)];
  const rows: KioskCounts[] = [];
  const cfg = FACE_CONFIG.match;
  const ctx = { amount_minor: 0, paymentsOf: () => Number.MAX_SAFE_INTEGER };
  for (const size of sizes) {
    const c: KioskCounts = {
      gallery: 0,
      mated: 0,
      mated_accepted_right: 0,
      mated_accepted_wrong: 0,
      mated_step_up: 0,
      mated_refused: 0,
      mated_right_after_step_up: 0,
      non_mated: 0,
      non_mated_accepted: 0,
      non_mated_step_up: 0,
      non_mated_accepted_after_step_up: 0,
    };
    for (const [g, s] of [
      [0, 1],
      [1, 0],
    ] as const) {
      const index = new DescriptorIndex();
      const digits = new Map<string, string>();
      const mated: Photo[] = [];
      for (const person of halves[g]!) {
        if (index.customers >= size) break;
        const own = photos.filter((p) => p.person === person);
        const usable = own.filter((p) => p.descriptor);
        if (usable.length < enrolK + 1) continue;
        index.addCustomer(
          person,
          usable.slice(0, enrolK).map((p) => p.descriptor!),
        );
        digits.set(person, String(Math.floor(r() * 10_000)).padStart(4, '0'));
        mated.push(...own.filter((p) => !usable.slice(0, enrolK).includes(p)));
      }
      if (index.customers < size) continue; // this half cannot make a gallery this large
      c.gallery = index.customers;
      const withDigits = (d: string): string[] => [...digits].filter(([, x]) => x === d).map(([p]) => p);
      const radius = cfg.accept_distance_max + cfg.margin_min;
      for (const p of mated) {
        c.mated += 1;
        if (!p.descriptor) {
          c.mated_refused += 1;
          continue;
        }
        const d = identify(cfg, index, p.descriptor, ctx);
        if (d.outcome === 'accept')
          c[d.customer_id === p.person ? 'mated_accepted_right' : 'mated_accepted_wrong'] += 1;
        else if (d.outcome === 'refuse') c.mated_refused += 1;
        else {
          c.mated_step_up += 1;
          const again = identifyAmong(cfg, index, p.descriptor, withDigits(digits.get(p.person)!));
          if (again.outcome === 'accept' && again.customer_id === p.person) c.mated_right_after_step_up += 1;
        }
      }
      for (const p of photos.filter((x) => halves[s]!.includes(x.person))) {
        c.non_mated += 1;
        if (!p.descriptor) continue;
        const d = identify(cfg, index, p.descriptor, ctx);
        if (d.outcome === 'accept') c.non_mated_accepted += 1;
        else if (d.outcome === 'step_up') {
          c.non_mated_step_up += 1;
          const nearest = index.search(p.descriptor, radius, 1)[0];
          const again = nearest
            ? identifyAmong(cfg, index, p.descriptor, withDigits(digits.get(nearest.customer_id)!))
            : null;
          if (again?.outcome === 'accept') c.non_mated_accepted_after_step_up += 1;
        }
      }
    }
    if (c.mated > 0) rows.push(c);
  }
  console.log(
    `kiosk 1:N, enrolled from ${enrolK} photos each; threshold ${cfg.accept_distance_max}, margin ${cfg.margin_min}, false-match rate ${cfg.false_match_rate}, step-up above an expected false-identification rate of ${cfg.expected_false_id_rate_max}`,
  );
  console.log(
    "gallery | mated probes | FNIR (not paid as themselves without step-up) | step-up asked | paid as someone else | non-mated probes | FPIR (paid without step-up) | stranger paid after step-up with the nearest customer's digits",
  );
  const ci = (k: number, n: number): string => {
    const [a, b] = interval95(k, n);
    return `${k}/${n} = ${pct(k / Math.max(1, n), 2)} [${pct(a, 2)}-${pct(b, 2)}]`;
  };
  const out = rows.map((c) => {
    const fnir = c.mated - c.mated_accepted_right;
    const stepUps = c.mated_step_up + c.non_mated_step_up;
    console.log(
      `${c.gallery} | ${c.mated} | ${ci(fnir, c.mated)} | ${ci(stepUps, c.mated + c.non_mated)} | ${ci(c.mated_accepted_wrong, c.mated)} | ${c.non_mated} | ${ci(c.non_mated_accepted, c.non_mated)} | ${ci(c.non_mated_accepted_after_step_up, c.non_mated)}`,
    );
    return {
      ...c,
      fnir: r6(fnir / Math.max(1, c.mated)),
      fnir_ci95: interval95(fnir, c.mated).map(r6),
      fpir: r6(c.non_mated_accepted / Math.max(1, c.non_mated)),
      fpir_ci95: interval95(c.non_mated_accepted, c.non_mated).map(r6),
      step_up_rate: r6(stepUps / Math.max(1, c.mated + c.non_mated)),
    };
  });
  return { enrol: enrolK, seed, rows: out };
}
