// Proves the cross-validation of `eval faces --folds` on small synthetic data: people (not
// images) are dealt into folds, each once; a fold's threshold follows the stated rule on the
// other folds' pairs and never moves when the held-out people's data change; every genuine pair
// is judged exactly once, in its person's fold, and the pooled counts are the folds' sums; the
// exact binomial intervals match known values; bad options are refused naming what arrived.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  assignFolds,
  chooseThreshold,
  count,
  crossValidate,
  interval95,
  pairsOf,
  parseRule,
  type Pair,
  type Sample,
} from '../../bin/eval/folds.js';
import { seeded } from '../../bin/eval/harness.js';

/** People on a line: person i sits at 0.5 i, each image a small offset from there (2-D). */
function people(n: number, images: number, seed: number): Sample[] {
  const r = seeded(seed);
  const out: Sample[] = [];
  for (let p = 0; p < n; p++) {
    for (let k = 0; k < images; k++)
      out.push({ person: `p${p}`, descriptor: [0.5 * p + (r() - 0.5) * 0.3, (r() - 0.5) * 0.3] });
  }
  return out;
}

test('folds: each person in exactly one fold, sizes within one, same seed same folds; bad k refused', () => {
  const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'a', 'b'];
  const folds = assignFolds(names, 3, seeded(7));
  assert.deepEqual(folds.flat().sort(), ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  const sizes = folds.map((f) => f.length);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `sizes ${sizes}`);
  assert.deepEqual(assignFolds(names, 3, seeded(7)), folds);
  assert.throws(() => assignFolds(names, 1, seeded(1)), /expected an integer in \[2, 1000\], got 1/);
  assert.throws(() => assignFolds(names, 9, seeded(1)), /9 folds need at least 9 people, got 8/);
});

test('threshold rules: known answers on a 0.001 grid, strictly under the impostor that limits them', () => {
  const cal: Pair[] = [
    { genuine: true, d: 0.3 },
    { genuine: true, d: 0.62 },
    { genuine: false, d: 0.7 },
    { genuine: false, d: 0.605 },
    { genuine: false, d: 0.9 },
    { genuine: false, d: Number.POSITIVE_INFINITY },
  ];
  assert.equal(chooseThreshold(cal, { kind: 'zero-far' }), 0.604);
  assert.equal(count(cal, 0.604).false_accepts, 0);
  // far:0.25 of 4 impostors allows 1 accepted: stay under the second closest (0.7).
  assert.equal(chooseThreshold(cal, { kind: 'far', rate: 0.25 }), 0.699);
  assert.equal(count(cal, 0.699).false_accepts, 1);
  assert.equal(chooseThreshold([{ genuine: false, d: 0.6051 }], { kind: 'zero-far' }), 0.605);
  assert.throws(() => chooseThreshold([{ genuine: true, d: 0.2 }], { kind: 'zero-far' }), /no impostor pairs/);
  assert.deepEqual(parseRule('far:0.01'), { kind: 'far', rate: 0.01 });
  assert.throws(() => parseRule('far:2'), /expected zero-far or far:<rate in \[0, 1\)>, got "far:2"/);
  assert.throws(() => parseRule('best'), /got "best"/);
});

test('a hand-checked example: 4 people, 2 folds; thresholds from the other fold, counts from its own', () => {
  // 1-D: a and b far apart from each other, c and d close to each other.
  const s: Sample[] = [
    { person: 'a', descriptor: [0] },
    { person: 'a', descriptor: [0.2] },
    { person: 'b', descriptor: [1] },
    { person: 'b', descriptor: [1.3] },
    { person: 'c', descriptor: [3] },
    { person: 'c', descriptor: [3.1] },
    { person: 'd', descriptor: [3.25] },
    { person: 'd', descriptor: null },
  ];
  const cv = crossValidate(
    s,
    [
      ['a', 'b'],
      ['c', 'd'],
    ],
    { kind: 'zero-far' },
    { reference_threshold: 0.25 },
  );
  // Fold 1 (a, b held out) calibrates on c, d: closest impostor c 3.1 ~ d 3.25 = 0.15 -> 0.149.
  assert.equal(cv.folds[0]!.threshold, 0.149);
  assert.deepEqual(cv.folds[0]!.held_out_pairs, { genuine: 2, false_rejects: 2, impostor: 4, false_accepts: 0 });
  // Fold 2 (c, d held out) calibrates on a, b: closest impostor 0.2 ~ 1 = 0.8 -> 0.799, which
  // accepts both c~d impostor pairs that have two faces, and refuses d's genuine pair (one
  // image without a usable face).
  assert.equal(cv.folds[1]!.threshold, 0.799);
  assert.deepEqual(cv.folds[1]!.held_out_pairs, { genuine: 2, false_rejects: 1, impostor: 4, false_accepts: 2 });
  assert.deepEqual(cv.pooled, { genuine: 4, false_rejects: 3, impostor: 8, false_accepts: 2 });
  assert.deepEqual(cv.pooled_at_reference, { genuine: 4, false_rejects: 2, impostor: 8, false_accepts: 2 });
});

test('property: no leakage, every genuine pair judged once, pooled = sum of folds (random synthetic people)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 2 ** 31 }),
      fc.integer({ min: 4, max: 9 }),
      fc.integer({ min: 2, max: 4 }),
      fc.integer({ min: 2, max: 4 }),
      (seed, n, images, k) => {
        const s = people(n, images, seed);
        const folds = assignFolds(
          s.map((x) => x.person),
          k,
          seeded(seed + 1),
        );
        const cv = crossValidate(s, folds, { kind: 'zero-far' });
        const all = pairsOf(s);
        assert.equal(cv.pooled.genuine, all.filter((p) => p.genuine).length);
        const sameFold = (a: string, b: string): boolean => folds.some((f) => f.includes(a) && f.includes(b));
        let impostorsWithin = 0;
        for (let i = 0; i < s.length; i++)
          for (let j = i + 1; j < s.length; j++)
            if (s[i]!.person !== s[j]!.person && sameFold(s[i]!.person, s[j]!.person)) impostorsWithin += 1;
        assert.equal(cv.pooled.impostor, impostorsWithin);
        const sum = cv.folds.reduce((a, f) => a + f.held_out_pairs.false_accepts, 0);
        assert.equal(cv.pooled.false_accepts, sum);
        // Moving the held-out people anywhere leaves their fold's threshold where it was.
        for (const f of cv.folds) {
          const moved = s.map((x, i) => (f.held_out.includes(x.person) ? { ...x, descriptor: [9 + 0.37 * i, 0] } : x));
          const again = crossValidate(moved, folds, { kind: 'zero-far' });
          assert.equal(again.folds[f.fold - 1]!.threshold, f.threshold);
        }
      },
    ),
    { numRuns: 60 },
  );
});

test('exact 95% intervals: known Clopper-Pearson values', () => {
  const [lo0, hi0] = interval95(0, 100);
  assert.equal(lo0, 0);
  assert.ok(Math.abs(hi0 - (1 - Math.pow(0.025, 1 / 100))) < 1e-6, `0/100 upper ${hi0}`);
  const [lo, hi] = interval95(4, 80);
  assert.ok(Math.abs(lo - 0.01378) < 2e-4 && Math.abs(hi - 0.1231) < 2e-4, `4/80: ${lo}..${hi}`);
  const [lo5, hi5] = interval95(5, 5);
  assert.ok(Math.abs(lo5 - Math.pow(0.025, 1 / 5)) < 1e-6 && hi5 === 1);
});
