// Proves that the kiosk holds no settlement-server code: the program tsconfig.electron.json
// compiles (the kiosk's build output) has no file of ledger/server, nor of the launcher
// (scripts/) or the tests; the static imports (and literal dynamic imports) from the Electron main
// process, the kiosk host and `npm start`'s host side never reach ledger/server; and nothing in
// the sync client (ledger/sync) or the wire protocol it shares with the server (ledger/wire)
// reaches it either. The demo store's embedded server is the launcher's (scripts/demo-store.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SERVER = 'ledger/server/';

/** The repository files `file` imports (relative specifiers only: packages are not ours). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => {
      const base = resolve(dirname(file), spec);
      const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`];
      return candidates.find((c) => existsSync(c) && !c.endsWith('/')) ?? base;
    })
    .filter((f) => /\.(ts|mts|js|mjs|json)$/.test(f) && existsSync(f));
}

/** The first import chain from one of `roots` to a file under `forbidden`, or null. */
function chainTo(roots: string[], forbidden: string): string[] | null {
  const seen = new Map<string, string | null>(roots.map((r) => [resolve(ROOT, r), null]));
  const queue = [...seen.keys()];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (relative(ROOT, file).startsWith(forbidden)) {
      const chain: string[] = [];
      for (let f: string | null = file; f !== null; f = seen.get(f) ?? null) chain.unshift(relative(ROOT, f));
      return chain;
    }
    if (!/\.(ts|mts)$/.test(file)) continue;
    for (const next of importsOf(file))
      if (!seen.has(next)) {
        seen.set(next, file);
        queue.push(next);
      }
  }
  return null;
}

const tsFiles = (dir: string): string[] =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));

test('the import walk finds a chain where there is one (it would have found the old demo module)', () => {
  assert.deepEqual(chainTo(['scripts/demo-store.ts'], SERVER), ['scripts/demo-store.ts', 'ledger/server/server.ts']);
  assert.equal(chainTo(['ledger/server/main.ts'], 'electron/'), null, 'the server does not import the kiosk');
});

test('no import chain from the kiosk (Electron main, the host, npm start) reaches the settlement server', () => {
  const chain = chainTo(
    ['electron/main.ts', 'electron/preload.ts', 'electron/host/kiosk.ts', 'electron/host/start.ts'],
    SERVER,
  );
  assert.equal(chain, null, `the kiosk reaches the settlement server: ${chain?.join(' -> ')}`);
});

test('nothing in the sync client or the wire protocol reaches the settlement server', () => {
  const chain = chainTo([...tsFiles('ledger/sync'), ...tsFiles('ledger/wire')], SERVER);
  assert.equal(chain, null, `${chain?.join(' -> ')}`);
  const toSync = chainTo(tsFiles('ledger/wire'), 'ledger/sync/');
  assert.equal(toSync, null, `the wire protocol imports the sync client: ${toSync?.join(' -> ')}`);
});

test("the kiosk's build (tsconfig.electron.json) compiles no file of the settlement server, the launcher or the tests", () => {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const listed = execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.electron.json'), '--listFilesOnly'], {
    encoding: 'utf8',
  })
    .split('\n')
    .map((f) => relative(ROOT, f.trim()))
    .filter((f) => f !== '' && !f.startsWith('node_modules/'));
  assert.ok(
    listed.includes('electron/host/kiosk.ts') && listed.includes('ledger/sync/worker.ts'),
    'the kiosk is in it',
  );
  assert.deepEqual(
    listed.filter((f) => f.startsWith(SERVER) || f.startsWith('scripts/') || f.startsWith('test/')),
    [],
  );
});
