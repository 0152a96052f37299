// Proves that no validator ships to the page: the renderer's production bundle (vite, as
// `npm run build:renderer` makes it) holds the contract's channels but none of zod, because the
// renderer imports the contract's values only from its zod-free constants.ts (eslint.config.js
// refuses any other value import of a contract file from renderer/ and vision/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { api } from '../../electron/contract/api.js';
import { tempDir } from '../helpers/tmp.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** What zod leaves in minified code: its instances' `_zod` slot and its error class's name. */
const ZOD_MARKERS = /\b_zod\b|ZodError|\$ZodType/;

test('the built screens carry the contract channels and no zod', async (t) => {
  const out = tempDir(t, 'smile-bundle-');
  await build({
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'silent',
    build: { outDir: out, emptyOutDir: true },
  });
  const scripts = readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.js'));
  assert.ok(scripts.length > 0, 'the build wrote scripts');
  const page = scripts.map((f) => readFileSync(join(out, 'assets', f), 'utf8')).join('\n');
  // The clients' table is in the page (so this scanned the real bundle) ...
  for (const spec of [api.createOrder, api.staffSignIn, api.verifyNow]) assert.ok(page.includes(spec.channel));
  // ... and zod is not.
  for (const f of scripts) {
    const m = ZOD_MARKERS.exec(readFileSync(join(out, 'assets', f), 'utf8'));
    assert.equal(m, null, `${f} holds zod (${m?.[0]}): a renderer file imports a value of a zod-bearing contract file`);
  }
});
