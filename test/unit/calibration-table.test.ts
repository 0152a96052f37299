// Proves the committed calibration table is what the kiosk runs on: it loads (it covers the
// settings grid and agrees with config.ts on the threshold and the false-match rate), it says
// what it was made from in words (no path, no photo names: numbers only), the step-up's
// false-match rate is the exact 95% upper bound of its held-out FAR, and its held-out figures
// meet the targets it was made for (FAR <= 0.1% at FRR <= ~3%, comparisons against templates).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { calibration } from '../../electron/face/calibration.js';
import { FACE_CONFIG } from '../../electron/face/config.js';
import { interval95 } from '../../bin/eval/folds.js';
import { TEXT_LENGTH_MAX } from '../../electron/contract/api.js';

test('the committed table loads, names its source in words and holds numbers only', () => {
  const t = calibration();
  assert.match(t.source, /^LFW deep-funneled, 158 people, 2,538 images$/);
  // The settings screen carries source and caveat as contract texts.
  assert.ok(
    t.caveat.length <= TEXT_LENGTH_MAX && t.source.length <= TEXT_LENGTH_MAX,
    `caveat ${t.caveat.length} chars`,
  );
  const text = readFileSync(new URL('../../electron/face/calibration-faces.json', import.meta.url), 'utf8');
  assert.doesNotMatch(text, /shared|\/work|\.jpe?g|_\d{4}/i, 'no paths or photo names');
  assert.equal(t.chosen.threshold_milli, Math.round(FACE_CONFIG.match.accept_distance_max * 1000));
  const h = t.cross_validation.held_out;
  assert.ok(Math.abs(interval95(h.false_accepts, h.impostor_pairs)[1] - t.chosen.false_match_rate) < 1e-6);
  assert.equal(FACE_CONFIG.match.false_match_rate, t.chosen.false_match_rate);
  assert.ok(h.far <= 0.001, `held-out FAR ${h.far}`);
  assert.ok(h.impostor_pairs > 10_000 && h.genuine_pairs > 1_000, 'a calibration set, not the fixtures');
});
