// `npm run calibrate -- <folder> [--source TEXT] [--folds K] [--seed N] [--cache FILE] [--out FILE] [--check]
// [--flip | --no-flip]`:
// the measured table behind the match threshold, from a labelled photo set (<folder>/<person>/<photo>,
// any format). Every photo goes through the real pipeline (aligned chips, quality gates; the same
// as `eval faces`). Then:
// - the threshold: chosen by a rule fixed in advance (the largest 0.001-grid threshold accepting
//   at most 0.1% of the impostor comparisons, THRESHOLD_RULE) on all the people, rounded down to
//   the settings grid; how well that rule does on faces it has not seen is measured by
//   cross-validation by person (the rule applied to K-1 folds, counted on the held-out fold), and
//   the step-up's false-match rate is the exact 95% upper bound of that held-out FAR;
// - the rows the Settings slider shows: at each threshold of the grid, impostor comparisons
//   accepted and genuine ones refused on the whole set, with exact 95% intervals (a fixed
//   threshold is not tuned on the data, but the pairs share photos: the intervals are optimistic);
// - multi-photo templates (min, mean, fused) and the unaligned pipeline, cross-validated the same way;
// - the fixture people at the chosen threshold, as a sanity check.
// --flip / --no-flip: every photo (enrolment and probe alike) with the descriptor averaged with its
// mirror image's, or not (PipelineOptions.descriptor_flip); without either, the product's default.
// The output (electron/face/calibration-faces.json, or --out) is deterministic: `--check` makes it
// again in memory and exits 1 when the file differs. Only numbers are written, never file names.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  assignFolds,
  chooseThreshold,
  count,
  crossValidate,
  interval95,
  pairsOf,
  type Pair,
  type ThresholdRule,
} from '../bin/eval/folds.js';
import { FIXTURES_DIR, seeded, vision } from '../bin/eval/harness.js';
import { describeFolder, flipVariant, FolderError, summarise, type Photo } from '../bin/eval/folder.js';
import { rates } from '../bin/eval/faces.js';
import {
  crossValidateTemplates,
  enrolFirst,
  templateComparisons,
  TEMPLATE_RULES,
  thresholdForFrr,
  type TemplateRule,
} from '../bin/eval/templates.js';
import {
  CALIBRATION_GRID_MILLI,
  CALIBRATION_MILLI_MAX,
  CALIBRATION_MILLI_MIN,
  type CalibrationRates,
  type CalibrationTable,
} from '../electron/face/calibration.js';
import { DEFAULT_PIPELINE_OPTIONS, type PipelineOptions } from '../vision/pipeline.js';
import { TEMPLATE_RULE } from '../electron/face/fuse.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Fixed before looking at any data: one impostor in a thousand at most. */
export const THRESHOLD_RULE: ThresholdRule = { kind: 'far', rate: 0.001 };
/** Templates are measured with this many enrolment photos (the kiosk keeps several per customer). */
const TEMPLATE_PHOTOS = 3;
const RULE_WORDS: Record<TemplateRule, string> = {
  min: 'the distance to the nearest template descriptor',
  mean: 'the mean distance to the template descriptors',
  fused: "the distance to the template's fused descriptor",
};

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const VALUE_FLAGS = new Set(['--source', '--folds', '--seed', '--cache', '--out']);
const positional = args.filter((a, i) => !a.startsWith('--') && !VALUE_FLAGS.has(args[i - 1] ?? ''));
const check = args.includes('--check');
const out = resolve(opt('--out') ?? join(ROOT, 'electron/face/calibration-faces.json'));
const folds = Number(opt('--folds') ?? 10);
const seed = Number(opt('--seed') ?? 1);
/** The pipeline every photo goes through: the product's, or the descriptor_flip variant asked for. */
const flip = flipVariant(args);
const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const ci = (k: number, n: number): [number, number] => interval95(k, n).map(r6) as [number, number];

async function main(): Promise<void> {
  const dir = positional[0];
  if (!dir)
    throw new FolderError('expected the folder of labelled photos: npm run calibrate -- <folder>/<person>/<photo>');
  if (typeof flip === 'string') throw new FolderError(flip);
  const variant: Partial<PipelineOptions> = flip;
  const v = await vision();
  const cache = opt('--cache');
  const photos = await describeFolder(v, resolve(dir), { cache, label: 'aligned', pipeline: variant });
  const summary = summarise(photos);
  if (summary.described === 0) throw new FolderError(`${dir}: no photo gave a usable face`);
  // What the kiosk compares: a probe against a customer's template of several descriptors, under
  // the kiosk's rule (TEMPLATE_RULE: the gallery's DescriptorIndex.addCustomer). Photos the gates refused are left out of the
  // comparisons and counted in `unusable` (a kiosk asks the customer to face the camera again).
  const acquired = photos.filter((p) => p.descriptor);
  const kiosk = (list: Photo[]): Pair[] => {
    const { enrolled, probes } = enrolFirst(list, TEMPLATE_PHOTOS);
    return templateComparisons(enrolled, probes, TEMPLATE_RULE);
  };
  const comparisons = kiosk(acquired);
  const chosenMilli =
    Math.floor((chooseThreshold(comparisons, THRESHOLD_RULE) * 1000) / CALIBRATION_GRID_MILLI) * CALIBRATION_GRID_MILLI;
  const foldList = assignFolds(
    acquired.map((p) => p.person),
    folds,
    seeded(seed),
  );
  const byRule = (list: Photo[], k: number, rule: TemplateRule, choose: (p: Pair[]) => number) =>
    crossValidateTemplates(list, foldList, k, rule, choose);
  const farRule = (p: Pair[]): number => chooseThreshold(p, THRESHOLD_RULE);
  const cv = byRule(acquired, TEMPLATE_PHOTOS, TEMPLATE_RULE, farRule);
  const heldOut = rates(cv.pooled);
  const atChosen = byRule(acquired, TEMPLATE_PHOTOS, TEMPLATE_RULE, () => chosenMilli / 1000);
  const pairsCv = crossValidate(acquired, foldList, THRESHOLD_RULE);
  const unaligned = (
    await describeFolder(v, resolve(dir), { cache, label: 'unaligned', pipeline: { ...variant, alignment: 'box' } })
  ).filter((p) => p.descriptor);
  const unalignedCv = crossValidateTemplates(
    unaligned,
    assignFolds(
      unaligned.map((p) => p.person),
      folds,
      seeded(seed),
    ),
    TEMPLATE_PHOTOS,
    TEMPLATE_RULE,
    farRule,
  );
  const templates = TEMPLATE_RULES.map((rule) => {
    const atFrr = byRule(acquired, TEMPLATE_PHOTOS, rule, (p) => thresholdForFrr(p, 0.03));
    return {
      rule,
      at_frr_3_percent: rates(atFrr.pooled),
      at_far_rule: rates(byRule(acquired, TEMPLATE_PHOTOS, rule, farRule).pooled),
      fold_thresholds_frr: atFrr.folds.map((f) => f.threshold),
    };
  });
  const fixtures = (
    await describeFolder(v, join(FIXTURES_DIR, 'faces/people'), { label: 'fixtures', pipeline: variant })
  ).filter((p) => p.descriptor);
  const rows: CalibrationTable['rows'] = [];
  for (let milli = CALIBRATION_MILLI_MIN; milli <= CALIBRATION_MILLI_MAX; milli += CALIBRATION_GRID_MILLI) {
    const c = count(comparisons, milli / 1000);
    rows.push({
      threshold_milli: milli,
      impostor_accepted: c.false_accepts,
      impostor_pairs: c.impostor,
      genuine_rejected: c.false_rejects,
      genuine_pairs: c.genuine,
      far_ci95: ci(c.false_accepts, c.impostor),
      frr_ci95: ci(c.false_rejects, c.genuine),
    });
  }
  const source = `${opt('--source') ?? basename(resolve(dir))}, ${summary.people} people, ${summary.files.toLocaleString('en')} images`;
  const g = { ...DEFAULT_PIPELINE_OPTIONS, ...variant };
  const table: CalibrationTable = {
    what: `Comparisons as the kiosk makes them: each person enrolled from their first ${TEMPLATE_PHOTOS} usable photos, every other usable photo a probe against every template, scored as the kiosk scores it (template rule '${TEMPLATE_RULE}': ${RULE_WORDS[TEMPLATE_RULE]}) (genuine: the same person; impostor: anyone else). At each threshold: impostor comparisons accepted and genuine ones refused, with exact 95% intervals; the chosen threshold and its held-out rates.`,
    generated_by: 'npm run calibrate -- <folder> (scripts/calibrate-faces.ts)',
    source,
    people: summary.people,
    images: summary.files,
    unusable: {
      unreadable: summary.unreadable,
      no_face: summary.no_face,
      refused_quality: summary.refused_quality,
      refused_by_reason: summary.refused_by_reason,
    },
    pipeline: `descriptor on dlib's 150 px face chip (similarity warp from the landmarks)${g.descriptor_flip ? ", averaged with the descriptor of the chip's mirror image" : ''}; quality gates: eye distance >= ${g.eye_distance_px_min} px, yaw/pitch/roll within ${g.yaw_deg_max}/${g.pitch_deg_max}/${g.roll_deg_max} deg, sharpness >= ${g.sharpness_min}, inner-face grey mean ${g.grey_mean_min}..${g.grey_mean_max}, contrast >= ${g.contrast_grey_min}, side balance >= ${g.side_balance_min}, clipped <= ${g.clipped_fraction_max}; a photo refused by a gate counts as a refused genuine comparison`,
    template_rule: TEMPLATE_RULE,
    chosen: {
      threshold_milli: chosenMilli,
      rule: `the largest 0.001-grid threshold accepting at most ${THRESHOLD_RULE.kind === 'far' ? THRESHOLD_RULE.rate : 0} of the impostor comparisons of all ${summary.people} people, rounded down to the ${CALIBRATION_GRID_MILLI / 1000} grid`,
      false_match_rate: heldOut.far_ci95[1],
    },
    cross_validation: {
      folds,
      seed,
      split: 'by person',
      fold_thresholds: cv.folds.map((f) => f.threshold),
      held_out: heldOut,
      held_out_at_chosen: rates(atChosen.pooled),
      pairs_held_out: rates(pairsCv.pooled),
      unaligned_held_out: rates(unalignedCv.pooled),
      templates_of: TEMPLATE_PHOTOS,
      templates,
    },
    fixtures_at_chosen: rates(count(pairsOf(fixtures), chosenMilli / 1000)),
    caveat: `In-sample: rows and held_out_at_chosen (the threshold was picked on all ${summary.people} people). Held out (each fold's threshold chosen on the other folds' people): cross_validation.held_out, pairs_held_out, unaligned_held_out, templates. Comparisons share photos: intervals optimistic. Rates among usable photos; gate refusals in unusable. fixtures_at_chosen: a sanity check. News photos, not a kiosk's camera or customers.`,
    rows,
  };
  const text = `${JSON.stringify(table, null, 2)}\n`;
  if (check) {
    const committed = readFileSync(out, 'utf8');
    if (committed !== text) {
      console.error(`${relative(ROOT, out)} differs from what ${dir} gives now: run npm run calibrate -- ${dir}`);
      process.exit(1);
    }
    console.log(`${relative(ROOT, out)} matches ${dir} (${rows.length} thresholds)`);
    return;
  }
  writeFileSync(out, text);
  console.log(`chosen ${chosenMilli / 1000} (template rule ${TEMPLATE_RULE}); held out ${JSON.stringify(heldOut)}`);
  const cv2 = table.cross_validation;
  const lines: [string, CalibrationRates][] = [
    [`held out, ${TEMPLATE_RULE}, aligned, FAR rule`, cv2.held_out],
    [`held out, ${TEMPLATE_RULE}, unaligned, FAR rule`, cv2.unaligned_held_out],
    ['held out, one photo against one, FAR rule', cv2.pairs_held_out],
    ...cv2.templates.flatMap((t): [string, CalibrationRates][] => [
      [`held out, ${t.rule}, FRR <= 3% rule`, t.at_frr_3_percent],
      [`held out, ${t.rule}, FAR rule`, t.at_far_rule],
    ]),
    [`in-sample, ${TEMPLATE_RULE}, at the chosen ${chosenMilli / 1000}`, cv2.held_out_at_chosen],
  ];
  for (const [what, r] of lines) console.log(`${what.padEnd(44)} ${ratesLine(r)}`);
  console.log(
    `wrote ${relative(ROOT, out)}: ${rows.length} thresholds, ${summary.files} images of ${summary.people} people`,
  );
}

const pct = (x: number): string => `${(x * 100).toFixed(3)}%`;
const ratesLine = (r: CalibrationRates): string =>
  `FAR ${r.false_accepts}/${r.impostor_pairs} = ${pct(r.far)} [${pct(r.far_ci95[0])}-${pct(r.far_ci95[1])}]  FRR ${r.false_rejects}/${r.genuine_pairs} = ${pct(r.frr)} [${pct(r.frr_ci95[0])}-${pct(r.frr_ci95[1])}]`;

try {
  await main();
} catch (err) {
  if (err instanceof FolderError) {
    console.error(`calibrate: ${err.message}`);
    process.exit(2);
  }
  throw err;
}
