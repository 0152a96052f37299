// Proves that `npm start` (scripts/start.mjs, the real start path in its own process) with a
// --photos folder that is missing, is not a folder, or holds a photo that cannot be read says so
// in one line on stderr naming it, and starts the kiosk without demo customers, never with a
// stack trace; that a photo that is not an image is skipped like one without a face; and that
// --no-demo starts without the demo store. (As root no permission keeps a file from being read:
// the unreadable photo is a folder named like one, which fails as EISDIR for everyone.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/tmp.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** A first start may build the screens (vite) and load the face models. */
const START_MS_MAX = 240_000;

interface Started {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm start -- --browser ARGS` in a fresh data folder until it is up, then stops it (SIGTERM). */
function start(dataDir: string, args: string[]): Promise<Started> {
  // Only these settings: none of the caller's SMILE_* and no smile.config.json (cwd is the data folder).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SMILE_')));
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), '--browser', ...args], {
    cwd: dataDir,
    env: { ...env, SMILE_DATA_DIR: dataDir, SMILE_HTTP_PORT: '0', SMILE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let stopping: NodeJS.Timeout | undefined;
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    // Up: stopped as a person would (the banner is written just before the handler is set).
    if (stdout.includes('Stop with Ctrl-C') && !stopping) stopping = setTimeout(() => child.kill('SIGTERM'), 500);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), START_MS_MAX);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

const lines = (s: string): string[] => s.split('\n').filter((l) => l.trim() !== '');
const noStack = (r: Started): void => {
  assert.doesNotMatch(r.stdout + r.stderr, /^\s+at .+[:(]/m, 'no stack trace');
};

test('a missing, non-folder or unreadable --photos folder: one line naming it, and the kiosk starts without demo customers', async (t) => {
  const dir = tempDir(t, 'smile-start-photos-');
  const missing = join(dir, 'no-such-folder');
  const notFolder = join(dir, 'a-file.txt');
  writeFileSync(notFolder, 'not a folder\n');
  const unreadable = join(dir, 'people');
  mkdirSync(join(unreadable, 'ana', '1.jpg'), { recursive: true }); // a "photo" that cannot be read
  const notImage = join(dir, 'not-images');
  mkdirSync(join(notImage, 'bo'), { recursive: true });
  writeFileSync(join(notImage, 'bo', '1.jpg'), 'this is not a JPEG\n');

  const [a, b, c, d, e] = await Promise.all([
    start(join(dir, 'data-missing'), ['--photos', missing]),
    start(join(dir, 'data-file'), ['--photos', notFolder]),
    start(join(dir, 'data-unreadable'), ['--photos', unreadable]),
    start(join(dir, 'data-not-image'), ['--photos', notImage]),
    start(join(dir, 'data-no-demo'), ['--no-demo']),
  ]);
  for (const [r, path, reason] of [
    [a, missing, 'no such file or folder'],
    [b, notFolder, 'not a folder'],
    [c, join(unreadable, 'ana', '1.jpg'), 'a folder, not a photo'],
  ] as const) {
    assert.equal(r.code, 0, `${path}: the kiosk started and stopped cleanly\n${r.stderr}`);
    noStack(r);
    const errors = lines(r.stderr);
    assert.deepEqual(errors, [
      `smile-to-pay: cannot read the demo photos at ${path} (${reason}): the kiosk starts without demo customers`,
    ]);
    assert.match(r.stdout, /\(embedded demo server\); 0 customers enrolled\./);
    assert.match(r.stdout, /Staff sign-in: manager ana PIN \d{4}/, 'the demo store is up, with its staff');
  }
  // Not an image: skipped as a person without a usable face (a warning in the log), no error line.
  assert.equal(d.code, 0, d.stderr);
  noStack(d);
  assert.deepEqual(lines(d.stderr), []);
  assert.match(d.stdout, /0 customers enrolled/);
  assert.match(d.stdout, /"customer":"demo-bo".*demo person skipped: no usable face in the photos/);
  // --no-demo: no embedded server, no demo staff.
  assert.equal(e.code, 0, e.stderr);
  noStack(e);
  assert.match(e.stdout, /Settlement: none; 0 customers enrolled\./);
  assert.match(e.stdout, /Staff sign-in: 0 members of staff\./);
});
