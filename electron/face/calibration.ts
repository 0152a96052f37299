// The measured verification table behind the match threshold (calibration-faces.json, made by
// `npm run calibrate -- <folder>` from a labelled photo set; the committed one from LFW, see its
// `source`): at each threshold, impostor pairs accepted and genuine pairs refused, with their
// sample sizes and exact 95% intervals; the threshold chosen on the set and its cross-validated
// (held-out) rates, whose upper bound is the false-match rate the step-up uses. The settings
// screen shows a threshold's row beside it, and the matcher takes its false-match rate from it
// when a manager raises the threshold above the reviewed one. Checked at first use: a table that
// does not cover the grid, or disagrees with config.ts, is a build fault, not something to guess
// around.
import table from './calibration-faces.json' with { type: 'json' };
import { FACE_CONFIG, type FaceConfig } from './config.js';
import { TEMPLATE_RULE, type TemplateRule } from './fuse.js';

/** The grid the table is measured on (thousandths of a Euclidean distance). */
export const CALIBRATION_MILLI_MIN = 400;
export const CALIBRATION_MILLI_MAX = 700;
export const CALIBRATION_GRID_MILLI = 5;

export interface CalibrationRow {
  threshold_milli: number;
  impostor_accepted: number;
  impostor_pairs: number;
  genuine_rejected: number;
  genuine_pairs: number;
  /** Exact (Clopper-Pearson) two-sided 95% interval of the false-accept rate. */
  far_ci95: [number, number];
  frr_ci95: [number, number];
}

/** Counts and rates with exact 95% intervals (bin/eval/faces.ts rates()). */
export interface CalibrationRates {
  genuine_pairs: number;
  impostor_pairs: number;
  false_accepts: number;
  false_rejects: number;
  far: number;
  frr: number;
  far_ci95: [number, number];
  frr_ci95: [number, number];
}

export interface CalibrationTable {
  what: string;
  generated_by: string;
  /** What it was made from, in words (a data set's name and size, never a path). */
  source: string;
  people: number;
  images: number;
  unusable: { unreadable: number; no_face: number; refused_quality: number; refused_by_reason: Record<string, number> };
  pipeline: string;
  /** How a probe was scored against a template: the kiosk's TEMPLATE_RULE (fuse.ts). */
  template_rule: TemplateRule;
  chosen: {
    threshold_milli: number;
    rule: string;
    /** The exact 95% upper bound of the held-out FAR: what the step-up's arithmetic uses. */
    false_match_rate: number;
  };
  cross_validation: {
    folds: number;
    seed: number;
    split: string;
    fold_thresholds: number[];
    held_out: CalibrationRates;
    held_out_at_chosen: CalibrationRates;
    /** One photo against one photo (no template), for comparison. */
    pairs_held_out: CalibrationRates;
    unaligned_held_out: CalibrationRates;
    templates_of: number;
    templates: {
      rule: string;
      at_frr_3_percent: CalibrationRates;
      at_far_rule: CalibrationRates;
      fold_thresholds_frr: number[];
    }[];
  };
  fixtures_at_chosen: CalibrationRates;
  caveat: string;
  rows: CalibrationRow[];
}

function checked(t: CalibrationTable): CalibrationTable {
  const fail = (why: string): never => {
    throw new Error(`electron/face/calibration-faces.json: ${why}; regenerate it with npm run calibrate`);
  };
  const expected = (CALIBRATION_MILLI_MAX - CALIBRATION_MILLI_MIN) / CALIBRATION_GRID_MILLI + 1;
  if (!Array.isArray(t.rows) || t.rows.length !== expected)
    fail(`expected ${expected} rows, got ${Array.isArray(t.rows) ? t.rows.length : 'none'}`);
  t.rows.forEach((r, i) => {
    if (r.threshold_milli !== CALIBRATION_MILLI_MIN + i * CALIBRATION_GRID_MILLI)
      fail(
        `row ${i}: expected threshold ${CALIBRATION_MILLI_MIN + i * CALIBRATION_GRID_MILLI}, got ${r.threshold_milli}`,
      );
    const counts = [r.impostor_accepted, r.impostor_pairs, r.genuine_rejected, r.genuine_pairs];
    if (
      !counts.every((n) => Number.isSafeInteger(n) && n >= 0) ||
      r.impostor_accepted > r.impostor_pairs ||
      r.genuine_rejected > r.genuine_pairs ||
      r.impostor_pairs === 0
    )
      fail(`row ${i}: bad counts ${counts.join('/')}`);
    const prev = t.rows[i - 1];
    if (prev && (r.impostor_accepted < prev.impostor_accepted || r.genuine_rejected > prev.genuine_rejected))
      fail(`row ${i}: counts must be monotone in the threshold`);
  });
  // The reviewed configuration must be the table's: a re-calibration that moves them is a
  // reviewed change of config.ts too.
  if (t.template_rule !== TEMPLATE_RULE)
    fail(`made with template rule ${t.template_rule}, but the kiosk scores templates by ${TEMPLATE_RULE}`);
  if (Math.round(FACE_CONFIG.match.accept_distance_max * 1000) !== t.chosen.threshold_milli)
    fail(
      `chosen threshold ${t.chosen.threshold_milli} but config.ts accepts under ${FACE_CONFIG.match.accept_distance_max}`,
    );
  if (FACE_CONFIG.match.false_match_rate !== t.chosen.false_match_rate)
    fail(`false-match rate ${t.chosen.false_match_rate} but config.ts uses ${FACE_CONFIG.match.false_match_rate}`);
  return t;
}

let loaded: CalibrationTable | null = null;

/** The committed table, checked at first use (so that `npm run calibrate` can remake a bad one). */
export function calibration(): CalibrationTable {
  loaded ??= checked(table as unknown as CalibrationTable);
  return loaded;
}

/** The measured row at a threshold on the grid, or undefined off it. */
export function calibrationAt(thresholdMilli: number): CalibrationRow | undefined {
  const i = (thresholdMilli - CALIBRATION_MILLI_MIN) / CALIBRATION_GRID_MILLI;
  return Number.isSafeInteger(i) ? calibration().rows[i] : undefined;
}

/** The reviewed threshold of config.ts, in thousandths. */
export const REVIEWED_THRESHOLD_MILLI = Math.round(FACE_CONFIG.match.accept_distance_max * 1000);

/**
 * The per-comparison false-match rate to use at a threshold, for the expected
 * false-identification step-up. At or under the reviewed threshold the reviewed bound holds
 * (a lower threshold accepts a subset of the pairs, so its FAR is no higher). Above it, the
 * larger of that bound and the measured table's 95% upper bound at the new threshold.
 */
export function falseMatchRateAt(thresholdMilli: number): number {
  const base = FACE_CONFIG.match.false_match_rate;
  if (thresholdMilli <= REVIEWED_THRESHOLD_MILLI) return base;
  const row = calibrationAt(thresholdMilli);
  if (!row)
    throw new Error(
      `falseMatchRateAt: ${thresholdMilli} is not on the calibration grid (${CALIBRATION_MILLI_MIN}..${CALIBRATION_MILLI_MAX} by ${CALIBRATION_GRID_MILLI})`,
    );
  return Math.max(base, row.far_ci95[1]);
}

/** The match settings with a manager's threshold and step-up amount put in. */
export function matchConfigWith(thresholdMilli: number, stepUpAmountMinor: number): FaceConfig['match'] {
  return {
    ...FACE_CONFIG.match,
    accept_distance_max: thresholdMilli / 1000,
    false_match_rate: falseMatchRateAt(thresholdMilli),
    step_up_amount_minor_min: stepUpAmountMinor,
  };
}
