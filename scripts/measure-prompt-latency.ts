// Measures the prompt's display-and-capture latency and the camera clock's jitter, as the
// kiosk sees them (security.prompt_display_latency_ms and capture_ahead_ms_max): a kiosk host in
// this process, Debian's headless Chromium paired with it, and the canvas camera of the e2e
// tests in "marker" mode: it shows d0's neutral face until "Now smile!" appears on screen, then
// jumps at once to his smile (a reaction time of zero). Per prompt, the latency is from the host
// sending "now smile" to the capture (on the host's clock, frame-clock.ts) of the first frame it
// sees smiling; per frame, the jitter is its capture-to-arrival delay over the session's
// smallest. Prints both distributions and one JSON line.
//
//   node --import tsx scripts/measure-prompt-latency.ts [--prompts 20]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../electron/config.js';
import { createLogger } from '../electron/log.js';
import { openDemoKiosk } from './demo-store.js';
import { ensureRendererBuilt } from '../electron/host/start.js';
import { videoPerson } from '../electron/host/demo/demo.js';
import { describeFaces } from './demo-faces.js';
import { launch, reactingCamera, videoFrames } from '../test/e2e/harness.js';

const { values } = parseArgs({ options: { prompts: { type: 'string', default: '20' } } });
const PROMPTS = Number(values.prompts);
const q = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

await ensureRendererBuilt();
const dir = mkdtempSync(join(tmpdir(), 'smile-latency-'));
const events: {
  msg: string;
  session?: string;
  sent_at_ms?: number;
  at_ms?: number;
  smile?: number | null;
  lag_ms?: number;
}[] = [];
const log = createLogger({
  level: 'debug',
  destination: { write: (line: string) => void events.push(JSON.parse(line) as (typeof events)[0]) },
});
const loaded = loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0' } });
const kiosk = await openDemoKiosk({
  // One screen runs many short sessions here: the per-screen session limit is lifted.
  config: { ...loaded, security: { ...loaded.security, sessions_per_screen_per_minute_max: 60 } },
  log,
  demoPeople: [videoPerson()],
  describeFaces,
});
await kiosk.visionReady;
const browser = await launch();
try {
  const d0 = videoFrames('d0.mjpeg');
  // The marker camera: neutral frames back and forth; on the prompt, d0's smile at the camera's
  // next frame (a real camera's frame interval is in the figure too).
  // The last clearly neutral frames before d0's smile (found by the pipeline, as the e2e tests do).
  const { initNodeVision } = await import('../native/backend.node.js');
  const { FacePipeline } = await import('../vision/pipeline.js');
  const { decodeImage } = await import('../native/image.node.js');
  const v = await initNodeVision();
  const pipe = new FacePipeline(v.faceapi, v.backend);
  const smiles: number[] = [];
  for (let i = 0; i < d0.length; i++) smiles.push((await pipe.observe(decodeImage(d0[i]!), i * 66)).face?.smile ?? 1);
  const onset = smiles.findIndex((x) => x >= 0.9);
  let neutralTo = onset - 1;
  while (neutralTo > 4 && smiles[neutralTo]! > 0.1) neutralTo--;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['camera'], { origin: kiosk.http!.url });
  const page = await context.newPage();
  await page.addInitScript({
    content: reactingCamera({
      frames: d0,
      neutralFrom: neutralTo - 4,
      neutralTo,
      smileFrom: onset,
      reactionMs: 0,
      jump: true,
    }),
  });
  await page.goto(kiosk.pairingLink());
  await page.getByTestId('kiosk-ready').waitFor({ timeout: 120_000 });
  await page.getByTestId('continue').click();
  const latencies: number[] = [];
  const jitters: number[] = [];
  for (let attempt = 0; latencies.length < PROMPTS && attempt < PROMPTS * 3; attempt++) {
    const from = events.length;
    await page.getByTestId('dish-tea').click();
    await page.getByTestId('smile-to-pay').click();
    // The smile at once is too fast for a human: refused as such, which is what is measured.
    await page.getByTestId('screen-declined').waitFor({ timeout: 60_000 });
    const code = await page.getByTestId('screen-declined').getAttribute('data-code');
    const mine = events.slice(from);
    const sent = mine.find((e) => e.msg === 'prompt sent');
    if (sent) {
      const first = mine.find(
        (e) => e.msg === 'frame observed' && (e.smile ?? 0) >= 0.9 && e.at_ms! >= sent.sent_at_ms!,
      );
      if (first) latencies.push(first.at_ms! - sent.sent_at_ms!);
    }
    const lags = mine.filter((e) => e.msg === 'frame admitted').map((e) => e.lag_ms!);
    if (lags.length) jitters.push(...lags.map((l) => l - Math.min(...lags)));
    console.log(
      `session ${attempt + 1} (${code}): ${sent ? `prompt ${latencies.length}, ${latencies.at(-1)?.toFixed(0)} ms from the send to the first changed frame` : 'no prompt sent'}`,
    );
    await page.getByTestId('retry').click();
  }
  const out = {
    measure: 'prompt-latency',
    prompts: latencies.length,
    latency_ms: {
      p50: Math.round(q(latencies, 0.5)),
      p90: Math.round(q(latencies, 0.9)),
      max: Math.round(Math.max(...latencies)),
    },
    frames: jitters.length,
    jitter_ms: {
      p50: Math.round(q(jitters, 0.5)),
      p99: Math.round(q(jitters, 0.99)),
      max: Math.round(Math.max(...jitters)),
    },
  };
  console.log(JSON.stringify(out));
} finally {
  await browser.close();
  await kiosk.close();
  rmSync(dir, { recursive: true, force: true });
}
