#!/usr/bin/env node
// Runs every test/**/*.test.ts with Node's own test runner (through tsx), so that the
// closing "tests / pass / fail" lines are Node's. Node 20 has no --test globbing, so
// the files are listed here. Pass file paths or substrings to run a subset.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : walk(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const filters = process.argv.slice(2);
const files = walk('test')
  .map((f) => relative('.', f))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(2);
}
// The end-to-end files each open a kiosk that serves the built screens: build them once, here,
// before the files run in parallel (ensureRendererBuilt also locks, for runs started elsewhere).
if (files.some((f) => f.includes('e2e'))) {
  const built = spawnSync(
    process.execPath,
    ['--import', 'tsx', '-e', "await (await import('./electron/host/start.ts')).ensureRendererBuilt()"],
    { stdio: 'inherit' },
  );
  if (built.status !== 0) {
    console.error('building the screens failed');
    process.exit(built.status ?? 1);
  }
}
// Files that play a live customer on the clock (the host's vision against camera-rate frames)
// say `// Runs alone` in their first lines: on a two-core machine, beside another file, the
// pipeline falls behind the camera and the customer is refused as stalled. The others run two
// at a time first; then these, one at a time. Each run closes with Node's own summary.
const alone = (f) => readFileSync(f, 'utf8').slice(0, 2_000).includes('// Runs alone');
const runs = [
  { files: files.filter((f) => !alone(f)), concurrency: 2 },
  { files: files.filter(alone), concurrency: 1 },
].filter((r) => r.files.length > 0);
let status = 0;
for (const run of runs) {
  if (runs.length > 1) console.log(`# ${run.files.length} files, ${run.concurrency} at a time`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${run.concurrency}`, '--test-timeout=600000', ...run.files],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) status = result.status ?? 1;
}
process.exit(status);
