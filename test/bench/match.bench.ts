// Benchmark: 1:N matching over a gallery of 1,000,000 synthetic descriptors (250,000 customers x
// 4), one core. Synthetic vectors are isotropic Gaussians scaled like face descriptors (customers
// about 0.9 apart, the hardest case for pruning); queries are a customer's vector plus noise.
// Prints the median query time and checks the fast path's top match against the exact search.
import { DescriptorIndex } from '../../electron/face/matcher.js';
import { FACE_CONFIG } from '../../electron/face/config.js';
import { seeded } from '../../bin/eval/harness.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const QUERIES = 50;
const r = seeded(42);
const gauss = (): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
const sigma = 0.9 / Math.sqrt(2 * 128);
const index = new DescriptorIndex(ROWS);
const row = new Float32Array(128);
const kept: Float32Array[] = [];
let t = performance.now();
for (let i = 0; i < ROWS; i++) {
  for (let d = 0; d < 128; d++) row[d] = gauss() * sigma;
  index.add(`c${i >> 2}`, row);
  if (i % Math.floor(ROWS / QUERIES) === 0) kept.push(row.slice());
}
console.log(`gallery: ${ROWS} descriptors built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
const radius = FACE_CONFIG.match.accept_distance_max + FACE_CONFIG.match.margin_min;
const fast: number[] = [];
const exact: number[] = [];
let agree = 0;
for (const base of kept.slice(0, QUERIES)) {
  const q = Array.from(base, (x) => x + (gauss() * 0.35) / Math.sqrt(128));
  t = performance.now();
  const f = index.search(q, radius, 2);
  fast.push(performance.now() - t);
  t = performance.now();
  const e = index.searchExact(q, Number.POSITIVE_INFINITY, 1);
  exact.push(performance.now() - t);
  const exactTop = e[0] && e[0].distance <= radius ? e[0].customer_id : null;
  if ((f[0]?.customer_id ?? null) === exactTop) agree += 1;
}
const median = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1]!;
console.log(`fast path (int8 WASM SIMD + float re-rank): median ${median(fast).toFixed(2)} ms per query`);
console.log(`exact float32 scan: median ${median(exact).toFixed(1)} ms per query`);
console.log(`top-1 agreement: ${agree}/${kept.length}`);
console.log(
  JSON.stringify({
    bench: 'match',
    query_ms_1m: Number(median(fast).toFixed(2)),
    top1_agreement: agree / kept.length,
    rows: ROWS,
    exact_ms: Number(median(exact).toFixed(1)),
  }),
);
