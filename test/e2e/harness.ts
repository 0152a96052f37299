// The end-to-end harness: a kiosk host in this process (the same openKiosk as `npm start`),
// Debian's Chromium driven by Playwright, and a camera that reacts. The reacting camera is an
// init script that answers getUserMedia with a canvas stream fed with a recording's frames: it
// goes back and forth over a few neutral frames until the kiosk's "now smile" prompt appears on
// screen, then, after a human reaction time, plays on into the smile. The renderer's code is
// the same as with a real camera. Screenshots go to artifacts/e2e/.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import { splitMjpeg } from '../../native/mjpeg.js';
import { fixturesDir } from '../../electron/host/demo/demo.js';
import { createLogger } from '../../electron/log.js';
import type { Logger } from 'pino';
import { CUSTOMER_REACTION_MS, CUSTOMER_RELAX_MS } from '../helpers/kiosk-client.js';

export const CHROMIUM_PATH = process.env.SMILE_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = join('artifacts', 'e2e');
export const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

export function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...BASE_ARGS, ...extraArgs] });
}

/** The kiosk's log for a test: kept in memory (the last LOG_LINES_KEPT lines, to explain a
 * refusal in a failed assertion), and printed too when SMILE_TEST_LOG names a level. */
export const LOG_LINES_KEPT = 200;
export function testLog(): { log: Logger; refusals: () => string } {
  const lines: string[] = [];
  const echo = process.env.SMILE_TEST_LOG !== undefined;
  const log = createLogger({
    level: process.env.SMILE_TEST_LOG ?? 'info',
    destination: {
      write(line: string) {
        lines.push(line);
        if (lines.length > LOG_LINES_KEPT) lines.shift();
        if (echo) process.stdout.write(line);
      },
    },
  });
  const refusals = (): string =>
    lines
      .map((l) => JSON.parse(l) as { msg?: string; detail?: string; trace?: string[] })
      .filter((e) => e.msg === 'liveness refused')
      .slice(-3)
      .map((e) => `${e.detail ?? ''}\n  ${(e.trace ?? []).join('\n  ')}`)
      .join('\n');
  return { log, refusals };
}

/** Waits until the customer screen's self-check says ready; if it never does, the error says
 * which checks were not ok and why (the status screen's own lines). */
export async function untilReady(page: Page, timeoutMs: number): Promise<void> {
  try {
    await page.getByTestId('kiosk-ready').waitFor({ timeout: timeoutMs });
  } catch (err) {
    const checks = await page
      .locator('[data-testid^="check-"]')
      .allTextContents()
      .catch(() => []);
    throw new Error(
      `the kiosk was not ready within ${timeoutMs} ms: ${checks.map((c) => c.replace(/\s+/g, ' ').trim()).join('; ') || 'no status screen'} (${(err as Error).message.split('\n')[0]})`,
    );
  }
}

export function videoFrames(name: string): Buffer[] {
  return splitMjpeg(readFileSync(join(fixturesDir(), 'video', name))).map((f) => Buffer.from(f));
}

/** The reacting camera's customer: from the prompt appearing in the page to the start of the
 * smile, and from the prompt going to the start of relaxing. The host counts both from its
 * send time plus its display allowance; what this Chromium adds (the push, React, the camera
 * worker's next frame, the capture) is measured by bench:kiosk (reaction_ms_median). */
export const CAMERA_REACTION_MS = CUSTOMER_REACTION_MS;
export const CAMERA_RELAX_MS = CUSTOMER_RELAX_MS;

export interface CameraScript {
  /** JPEG frames of the recording. */
  frames: Buffer[];
  /** Frames [neutralFrom, neutralTo] are played back and forth while the face waits. */
  neutralFrom: number;
  neutralTo: number;
  /** The smile's first frame: reactionMs after the prompt appears, the camera plays on to it
   * and holds the smile (back and forth over a few frames); when the prompt goes away (the
   * round is over) it plays back to neutral. null: never react (the frames simply loop). */
  smileFrom: number | null;
  reactionMs?: number;
  /** When the prompt goes away (the relax cue), the camera waits this long, then plays back to
   * neutral: a customer's reaction to the cue. */
  relaxMs?: number;
  fps?: number;
  /** Jump to smileFrom at once on the prompt (a marker for latency measurements), instead of
   * playing on into it frame by frame. */
  jump?: boolean;
}

/** The init script's source: a camera the page cannot tell from a real one. The frames are
 * drawn by a worker on an OffscreenCanvas (so a busy page cannot stall the camera, as a real
 * one would not stall); the page tells it when the prompt appears and goes. It records when
 * each smile's onset was drawn (window.__camera.onsets_ms) and when "Paid" appeared
 * (paid_at_ms), on the page's clock, for the benchmark. */
export function reactingCamera(c: CameraScript): string {
  const cfg = {
    jpegs: c.frames.map((f) => f.toString('base64')),
    neutralFrom: c.neutralFrom,
    neutralTo: c.neutralTo,
    smileFrom: c.smileFrom,
    reactionMs: c.reactionMs ?? CAMERA_REACTION_MS,
    relaxMs: c.relaxMs ?? CAMERA_RELAX_MS,
    fps: c.fps ?? 15,
    jump: c.jump ?? false,
  };
  const worker = `
    let cfg, ctx, images, i, dir = 1, mode = 'neutral', reactAt = null, relaxAt = null, prompt = false, onsetDrawn = false, smileTo;
    const now = () => performance.timeOrigin + performance.now();
    const draw = () => {
      ctx.drawImage(images[i], 0, 0);
      // Once the prompt is seen (reactAt set), the face keeps to the last neutral frames, so
      // that its smile begins when the customer reacts, not when a walk through them ends.
      const pingPong = () => {
        if (cfg.neutralTo === cfg.neutralFrom) return;
        const from = reactAt === null ? cfg.neutralFrom : Math.max(cfg.neutralFrom, cfg.neutralTo - 1);
        if (i + dir > cfg.neutralTo || i + dir < from) dir = i < from ? 1 : -dir;
        i += dir;
      };
      if (cfg.smileFrom === null) return pingPong();
      const t = now();
      if (mode === 'neutral' && prompt && reactAt === null) reactAt = t + cfg.reactionMs;
      if (mode === 'neutral' && reactAt !== null && t >= reactAt) { mode = 'rising'; onsetDrawn = false; }
      if (mode === 'rising' && prompt) relaxAt = null;
      if (mode === 'rising' && !prompt && t > reactAt + 200) relaxAt ??= t + cfg.relaxMs;
      if (mode === 'rising' && relaxAt !== null && t >= relaxAt) { mode = 'relaxing'; reactAt = null; relaxAt = null; }
      if (mode === 'rising') {
        if (cfg.jump && i < cfg.smileFrom) i = cfg.smileFrom;
        if (i >= cfg.smileFrom && !onsetDrawn) { onsetDrawn = true; postMessage({ onset_ms: t }); }
        i = i < smileTo ? i + 1 : smileTo - 1;
      } else if (mode === 'relaxing') {
        if (i > cfg.neutralTo) i -= 1; else mode = 'neutral';
      } else pingPong();
    };
    onmessage = async (e) => {
      if (e.data.prompt !== undefined) { prompt = e.data.prompt; return; }
      cfg = e.data.cfg;
      images = await Promise.all(e.data.jpegs.map((b) => createImageBitmap(new Blob([b], { type: 'image/jpeg' }))));
      e.data.canvas.width = images[0].width;
      e.data.canvas.height = images[0].height;
      ctx = e.data.canvas.getContext('2d');
      i = cfg.neutralFrom;
      smileTo = cfg.smileFrom === null ? 0 : Math.min(images.length - 1, cfg.smileFrom + 3);
      draw();
      setInterval(draw, 1000 / cfg.fps);
      postMessage({ started: true });
    };`;
  return `(() => {
    const cfg = ${JSON.stringify(cfg)};
    const cam = window.__camera = { onsets_ms: [], paid_at_ms: null };
    let stream = null;
    navigator.mediaDevices.getUserMedia = async () => {
      if (stream) return stream;
      const canvas = document.createElement('canvas');
      const offscreen = canvas.transferControlToOffscreen();
      const w = new Worker(URL.createObjectURL(new Blob([${JSON.stringify(worker)}], { type: 'text/javascript' })));
      const jpegs = cfg.jpegs.map((b64) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0)));
      const started = new Promise((resolve) => { w.onmessage = (e) => { if (e.data.started) resolve(); if (e.data.onset_ms) cam.onsets_ms.push(e.data.onset_ms); }; });
      w.postMessage({ cfg: { ...cfg, jpegs: undefined }, jpegs, canvas: offscreen }, [offscreen]);
      await started;
      new MutationObserver(() => {
        if (cam.paid_at_ms === null && document.querySelector('[data-testid="screen-paid"]')) cam.paid_at_ms = performance.timeOrigin + performance.now();
        w.postMessage({ prompt: !!document.querySelector('[data-testid="prompt-smile"]') });
      }).observe(document.documentElement, { subtree: true, childList: true, attributes: true });
      stream = canvas.captureStream(cfg.fps);
      return stream;
    };
  })();`;
}

export const LANGS = ['en', 'de', 'zh'] as const;

/** Screenshots of the current screen in each language; checks nothing overflows sideways. */
export async function shotsAllLanguages(page: Page, name: string): Promise<string[]> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const problems: string[] = [];
  for (const lang of LANGS) {
    await page.getByTestId(`lang-${lang}`).click();
    await page.waitForFunction(`document.documentElement.lang === ${JSON.stringify(lang)}`);
    await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}-${lang}.png`), fullPage: true });
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
    if (overflow > 1) problems.push(`${name} in ${lang}: ${overflow} px wider than the screen`);
  }
  await page.getByTestId('lang-en').click();
  return problems;
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}

/** Screenshots of the current screen's print page in each language: the language is chosen on
 * screen (a print page hides the top bar with its buttons), then the page is printed. */
export async function printShotsAllLanguages(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  for (const lang of LANGS) {
    await page.emulateMedia({ media: 'screen' });
    await page.getByTestId(`lang-${lang}`).click();
    await page.waitForFunction(`document.documentElement.lang === ${JSON.stringify(lang)}`);
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}-${lang}.png`), fullPage: true });
  }
  await page.emulateMedia({ media: 'screen' });
  await page.getByTestId('lang-en').click();
}
