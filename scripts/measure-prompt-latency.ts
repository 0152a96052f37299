// Measures the prompt's display-and-capture latency and the camera clock's jitter, as the
// kiosk sees them (security.prompt_display_latency_ms and capture_ahead_ms_max): a kiosk host in
// this process, Debian's headless Chromium paired with it, and the canvas camera of the e2e
// tests in "marker" mode: it shows d0's neutral face until "Now smile!" appears on screen, then
// at once a black frame (a reaction time of zero). Per prompt, the latency is from the host
// sending "now smile" to the capture (on the host's clock, frame-clock.ts) of the first frame
// without a face; per frame, the jitter is its capture-to-arrival delay over the session's
// smallest. Prints both distributions and one JSON line.
//
//   node --import tsx scripts/measure-prompt-latency.ts [--prompts 20]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import jpeg from 'jpeg-js';
import { loadConfig } from '../electron/config.js';
import { createLogger } from '../electron/log.js';
import { openKiosk } from '../electron/host/kiosk.js';
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
  face?: boolean;
  lag_ms?: number;
}[] = [];
const log = createLogger({
  level: 'debug',
  destination: { write: (line: string) => void events.push(JSON.parse(line) as (typeof events)[0]) },
});
const loaded = loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0' } });
const kiosk = await openKiosk({
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
  const black = Buffer.from(jpeg.encode({ width: 480, height: 480, data: new Uint8Array(480 * 480 * 4) }, 80).data);
  // The marker camera: neutral frames back and forth; the "smile" is black, drawn at the camera's
  // next frame after the prompt appears (a real camera's frame interval is in the figure too).
  const frames = [...d0.slice(0, 5), black];
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['camera'], { origin: kiosk.http!.url });
  const page = await context.newPage();
  await page.addInitScript({
    content: reactingCamera({ frames, neutralFrom: 0, neutralTo: 4, smileFrom: 5, reactionMs: 0, jump: true }),
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
    await page.getByTestId('screen-declined').waitFor({ timeout: 60_000 });
    const code = await page.getByTestId('screen-declined').getAttribute('data-code');
    const mine = events.slice(from);
    const sent = mine.find((e) => e.msg === 'prompt sent');
    if (sent) {
      const first = mine.find((e) => e.msg === 'frame observed' && e.face === false && e.at_ms! >= sent.sent_at_ms!);
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
