// `npm run calibrate [-- <dir>] [--check]`: the measured table behind the match threshold setting.
// Every photo of <dir>/<person>/<image> (default: the fixture people) goes through the real
// pipeline (bin/eval's harness, the same as `eval faces`); every unordered pair is genuine (same
// person) or impostor; for each threshold on a 0.005 grid the table counts impostor pairs
// accepted and genuine pairs refused, with exact (Clopper-Pearson) 95% intervals. The output,
// electron/face/calibration-faces.json, is committed: the host shows its FAR beside the
// threshold a manager picks, and derives the matcher's false-match rate from it. Nothing in the
// table is estimated or smoothed; it is counts. `--check` regenerates in memory and exits 1 if
// the committed file differs (the file is deterministic: no timestamps).
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { count, interval95, pairsOf } from '../bin/eval/folds.js';
import { describeFolder, FIXTURES_DIR, vision } from '../bin/eval/harness.js';
import {
  CALIBRATION_GRID_MILLI,
  CALIBRATION_MILLI_MAX,
  CALIBRATION_MILLI_MIN,
  type CalibrationTable,
} from '../electron/face/calibration.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'electron/face/calibration-faces.json');

const args = process.argv.slice(2);
const check = args.includes('--check');
const dir = resolve(args.find((a) => !a.startsWith('--')) ?? join(FIXTURES_DIR, 'faces/people'));

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const ci = (k: number, n: number): [number, number] => {
  const [lo, hi] = interval95(k, n);
  return [round6(lo), round6(hi)];
};

async function main(): Promise<void> {
  const v = await vision();
  const samples = await describeFolder(v, dir);
  const pairs = pairsOf(samples);
  const people = new Set(samples.map((s) => s.person)).size;
  const rows: CalibrationTable['rows'] = [];
  for (let milli = CALIBRATION_MILLI_MIN; milli <= CALIBRATION_MILLI_MAX; milli += CALIBRATION_GRID_MILLI) {
    const c = count(pairs, milli / 1000);
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
  const table: CalibrationTable = {
    what: 'Verification pairs of the face descriptor at each threshold: impostor pairs accepted (FAR) and genuine pairs refused (FRR), with exact 95% intervals.',
    generated_by: 'npm run calibrate (scripts/calibrate-faces.ts)',
    source: relative(ROOT, dir).split('\\').join('/'),
    people,
    images: samples.length,
    images_without_face: samples.filter((s) => s.descriptor === null).map((s) => `${s.person}/${s.file}`),
    caveat: `In-sample: ${people} people, and the pairs share photos, so they are not independent and the intervals are optimistic. The configured 0.57 was chosen on these same photos; see the calibration text in electron/face/config.ts for held-out figures (\`eval faces --folds 4\`).`,
    rows,
  };
  const text = `${JSON.stringify(table, null, 2)}\n`;
  if (check) {
    const committed = readFileSync(OUT, 'utf8');
    if (committed !== text) {
      console.error(`${relative(ROOT, OUT)} differs from what the fixtures give now: run npm run calibrate`);
      process.exit(1);
    }
    console.log(`${relative(ROOT, OUT)} matches the fixtures (${rows.length} thresholds)`);
    return;
  }
  writeFileSync(OUT, text);
  const at = (m: number) => rows.find((r) => r.threshold_milli === m);
  for (const m of [450, 500, 550, 570, 600, 620, 650]) {
    const r = at(m);
    if (r)
      console.log(
        `${(m / 1000).toFixed(3)}: FAR ${r.impostor_accepted}/${r.impostor_pairs}, FRR ${r.genuine_rejected}/${r.genuine_pairs}`,
      );
  }
  console.log(`wrote ${relative(ROOT, OUT)}: ${rows.length} thresholds, ${samples.length} images of ${people} people`);
}

await main();
