// Proves renderer/camera/backend.dom.ts in Debian's headless Chromium (GPU disabled), bundled
// with face-api's browser build into a page served from loopback: 'auto' passes over WebGPU and
// WebGL with the reason and starts WASM from the caller's URL (no request leaves the page's
// origin); a forced backend never falls back silently; a WASM server that never answers hits the
// time limit; bad options are refused naming what arrived.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright';

const CHROMIUM_PATH = process.env.SMILE_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ROOT = resolve('.');
const WASM_DIR = join(ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');

// The page's entry: face-api's browser bundle (its own TF.js with cpu, webgl and wasm) and the
// module under test, exposed to the test as window.initBackend.
const ENTRY = `
import * as faceapi from '@vladmandic/face-api';
import { initBrowserBackend } from './renderer/camera/backend.dom.ts';
window.initBackend = async (opts) => {
  try {
    return { ok: true, value: await initBrowserBackend(faceapi.tf, opts) };
  } catch (err) {
    return { ok: false, name: err.name, code: err.code ?? null, message: String(err.message), attempts: err.attempts ?? [] };
  }
};
`;

interface Attempt {
  backend: string;
  outcome: string;
  detail: string;
  ms: number;
}
type InitOutcome =
  | {
      ok: true;
      value: {
        backend: string;
        forced: boolean;
        reason: string;
        attempts: Attempt[];
        wasm: { simd: boolean; threads: boolean } | null;
      };
    }
  | { ok: false; name: string; code: string | null; message: string; attempts: Attempt[] };

let server: Server;
let origin: string;
let browser: Browser | null = null;
const requests: string[] = [];
let bundle = '';

before(async () => {
  if (!existsSync(CHROMIUM_PATH)) return;
  const out = await build({
    stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  bundle = out.outputFiles[0]!.text;
  server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/') {
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><title>backend</title><script type="module" src="/bundle.js"></script>');
    } else if (url === '/bundle.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    } else if (/^\/wasm\/tfjs-backend-wasm(-simd|-threaded-simd)?\.wasm$/.test(url)) {
      res
        .writeHead(200, { 'content-type': 'application/wasm' })
        .end(readFileSync(join(WASM_DIR, url.slice('/wasm/'.length))));
    } else if (url.startsWith('/stall/')) {
      // Never answers: a stalled host. The socket is closed when the server stops.
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
});

after(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
});

/** A fresh page (TF.js keeps one backend per page) that runs the init with `opts`. */
async function initIn(opts: Record<string, unknown>): Promise<InitOutcome> {
  const page = await browser!.newPage();
  page.on('request', (r) => requests.push(r.url()));
  try {
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => 'initBackend' in globalThis);
    return (await page.evaluate(
      (o) => (globalThis as unknown as { initBackend(o: unknown): Promise<unknown> }).initBackend(o),
      opts,
    )) as InitOutcome;
  } finally {
    await page.close();
  }
}

// Skipped only off CI where Chromium is missing; in CI (CI=true) a missing Chromium fails the tests.
const NO_CHROMIUM = !existsSync(CHROMIUM_PATH) && !process.env.CI ? `no Chromium at ${CHROMIUM_PATH}` : false;

test(
  'auto: WebGPU and WebGL passed over with the reason, WASM started from the given URL, nothing fetched off-origin',
  { skip: NO_CHROMIUM },
  async () => {
    requests.length = 0;
    const r = await initIn({ choice: 'auto', wasm_paths: `${origin}/wasm/`, timeout_ms: 20_000 });
    assert.ok(r.ok, JSON.stringify(r));
    if (!r.ok) return;
    console.log(`# auto in headless Chromium (--disable-gpu): ${r.value.reason}`);
    assert.equal(r.value.backend, 'wasm');
    assert.equal(r.value.forced, false);
    assert.deepEqual(
      r.value.attempts.map((a) => [a.backend, a.outcome]),
      [
        ['webgpu', 'skipped'],
        ['webgl', 'skipped'],
        ['wasm', 'ready'],
      ],
    );
    assert.match(r.value.attempts[1]!.detail, /no WebGL context|software WebGL/);
    assert.equal(r.value.wasm?.threads, false, 'the test page is not cross-origin isolated: no threads');
    assert.ok(
      requests.some((u) => u.startsWith(`${origin}/wasm/tfjs-backend-wasm`)),
      `the .wasm came from the given URL: ${requests.join(', ')}`,
    );
    assert.deepEqual(
      requests.filter((u) => !u.startsWith(origin)),
      [],
      "no request left the page's origin",
    );
  },
);

test('forced: the configured backend or an error, never a silent fallback', { skip: NO_CHROMIUM }, async () => {
  const wasm = await initIn({ choice: 'wasm', wasm_paths: `${origin}/wasm/` });
  assert.ok(wasm.ok && wasm.value.backend === 'wasm' && wasm.value.forced, JSON.stringify(wasm));
  if (wasm.ok) assert.match(wasm.value.reason, /^forced wasm by vision.backend: wasm ready/);

  const webgpu = await initIn({ choice: 'webgpu', wasm_paths: `${origin}/wasm/` });
  assert.ok(!webgpu.ok, JSON.stringify(webgpu));
  if (!webgpu.ok) {
    assert.equal(webgpu.code, 'VISION_BACKEND_UNAVAILABLE');
    assert.match(webgpu.message, /webgpu skipped \(no TF.js webgpu backend is registered/);
  }

  // With the GPU disabled Chromium may still offer a software WebGL: then forced WebGL runs on
  // it (the operator asked); otherwise the init fails naming WebGL. Never WASM.
  const webgl = await initIn({ choice: 'webgl', wasm_paths: `${origin}/wasm/` });
  console.log(`# forced webgl: ${webgl.ok ? webgl.value.reason : webgl.message}`);
  if (webgl.ok) assert.equal(webgl.value.backend, 'webgl');
  else {
    assert.equal(webgl.code, 'VISION_BACKEND_UNAVAILABLE');
    assert.deepEqual(
      webgl.attempts.map((a) => a.backend),
      ['webgl'],
    );
  }
});

test(
  'a WASM server that never answers: the attempt times out and the init fails with the reason',
  { skip: NO_CHROMIUM },
  async () => {
    const t0 = Date.now();
    const r = await initIn({ choice: 'wasm', wasm_paths: `${origin}/stall/`, timeout_ms: 1_500 });
    assert.ok(!r.ok, JSON.stringify(r));
    if (r.ok) return;
    assert.equal(r.code, 'VISION_BACKEND_UNAVAILABLE');
    assert.deepEqual(
      r.attempts.map((a) => [a.backend, a.outcome]),
      [['wasm', 'timed_out']],
    );
    assert.match(r.attempts[0]!.detail, /no answer within 1500 ms/);
    assert.ok(Date.now() - t0 < 15_000, 'decided near the limit, not at the test timeout');
  },
);

test('bad options are refused naming what arrived', { skip: NO_CHROMIUM }, async () => {
  const noSlash = await initIn({ choice: 'auto', wasm_paths: `${origin}/wasm` });
  assert.ok(
    !noSlash.ok &&
      noSlash.code === 'VISION_BACKEND_BAD_OPTION' &&
      /wasm_paths: expected a URL prefix ending in '\/', got/.test(noSlash.message),
    JSON.stringify(noSlash),
  );
  const nodeOnly = await initIn({ choice: 'tfjs-node', wasm_paths: `${origin}/wasm/` });
  assert.ok(
    !nodeOnly.ok &&
      /vision.backend: expected auto \| webgpu \| webgl \| wasm in the browser, got "tfjs-node"/.test(nodeOnly.message),
    JSON.stringify(nodeOnly),
  );
  const slow = await initIn({ choice: 'wasm', wasm_paths: `${origin}/wasm/`, timeout_ms: 0 });
  assert.ok(
    !slow.ok && /timeout_ms: expected an integer in \[1, 120000\], got 0/.test(slow.message),
    JSON.stringify(slow),
  );
});
