// Runs alone: it plays a live customer against the host's clock (see scripts/run-tests.mjs).
// Proves the customer's flow end to end in Debian's Chromium (headless, WASM backend) against a
// real kiosk host and its embedded settlement server: an unenrolled face is refused with the
// enrolment offer; the man of d0 enrols at the kiosk (consent, live captures, name and phone);
// reacting to the prompt he pays (phone-digits step-up on a first payment): one signed payment
// in the ledger, settled by the server, the receipt's QR lookup resolves; d3 (never smiles) gets
// the prompt and then a refusal that says so; a still frame as a stream and the file camera
// replaying d0 are refused; with the server stopped a payment is taken within limits and
// settles when it returns. Screenshots of each screen in each language go to artifacts/e2e/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import { loadConfig } from '../../electron/config.js';
import { openDemoKiosk, type DemoKiosk } from '../../scripts/demo-store.js';
import { ensureRendererBuilt } from '../../electron/host/start.js';
import { DEMO_VIDEO_CUSTOMER, fixturesDir } from '../../electron/host/demo/demo.js';
import { startServer, type RunningServer } from '../../ledger/server/server.js';
import { LedgerReader } from '../../ledger/store/reader.js';
import { FACE_CONFIG } from '../../electron/face/config.js';
import { initNodeVision } from '../../native/backend.node.js';
import { decodeImage } from '../../native/image.node.js';
import { FacePipeline } from '../../vision/pipeline.js';
import { describeFaces } from '../../scripts/demo-faces.js';
import {
  launch,
  reactingCamera,
  shot,
  shotsAllLanguages,
  testLog,
  untilReady,
  videoFrames,
  CHROMIUM_PATH,
  type CameraScript,
} from './harness.js';

// Skipped only off CI where Chromium is missing; in CI (CI=true) a missing Chromium fails the tests.
const skip =
  !existsSync(CHROMIUM_PATH) && !process.env.CI
    ? `no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`
    : false;
const PAY_TIMEOUT_MS = 60_000;

let dir: string;
const hostLog = testLog();
let kiosk: DemoKiosk;
let browser: Browser;
let settlePort: number;
let d0: Buffer[];
let onset: number;
let neutralTo: number;
const layoutProblems: string[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Where the real pipeline sees d0's smile begin, and its last clearly neutral frame before
 * (found by the pipeline, not hard-coded frame numbers). */
async function smileFrames(frames: Buffer[]): Promise<{ onset: number; neutralTo: number }> {
  const v = await initNodeVision({
    nets: ['tinyFaceDetector', 'faceLandmark68Net', 'faceExpressionNet', 'faceRecognitionNet'],
  });
  const pipe = new FacePipeline(v.faceapi, v.backend);
  const smiles: number[] = [];
  for (let i = 0; i < frames.length; i++)
    smiles.push((await pipe.observe(decodeImage(frames[i]!), (i * 1000) / 15)).face?.smile ?? 1);
  const first = smiles.findIndex((s) => s >= FACE_CONFIG.liveness.smile_min);
  if (first < 6) throw new Error(`d0: expected a neutral lead before the smile, onset at ${first}`);
  let last = first - 1;
  while (last > 4 && smiles[last]! > 0.1) last--;
  return { onset: first, neutralTo: last };
}

const d0Camera = (): CameraScript => ({
  frames: d0,
  neutralFrom: Math.max(0, neutralTo - 4),
  neutralTo,
  smileFrom: onset,
});

async function openPage(camera: CameraScript | null, b: Browser = browser): Promise<Page> {
  const context = await b.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['camera'], { origin: kiosk.http!.url });
  const page = await context.newPage();
  if (camera) await page.addInitScript({ content: reactingCamera(camera) });
  // The customer screen pairs as a newcomer's does: the one-time link the kiosk prints.
  await page.goto(kiosk.pairingLink());
  await untilReady(page, 60_000);
  return page;
}

async function order(page: Page): Promise<void> {
  if (await page.getByTestId('continue').isVisible()) await page.getByTestId('continue').click();
  await page.getByTestId('dish-ramen').click();
  await page.getByTestId('dish-tea').click();
  await page.getByTestId('smile-to-pay').click();
}

/** Codes a live customer can get on an overloaded machine (a frame late, a prompt seen late):
 * like a customer, the test tries again, up to ATTEMPTS_MAX times, and says how often. */
const RETRYABLE = /^FACE_(TRACK_BROKEN|STALLED|NO_SMILE|SMILE_TOO_FAST|NO_NEUTRAL|SMILED_EARLY)$/;
const ATTEMPTS_MAX = 3;

/** Waits for `testId`; on a retryable refusal presses "Try again" and starts over with `again`. */
async function untilScreen(page: Page, testId: string, again: () => Promise<void>): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    await page.getByTestId(testId).or(page.getByTestId('screen-declined')).waitFor({ timeout: PAY_TIMEOUT_MS });
    if (await page.getByTestId(testId).isVisible()) return attempt;
    const code = (await page.getByTestId('screen-declined').getAttribute('data-code')) ?? '';
    if (!RETRYABLE.test(code) || attempt >= ATTEMPTS_MAX)
      throw new Error(`refused as ${code} (attempt ${attempt}); the host's last refusals:\n${hostLog.refusals()}`);
    console.log(`# attempt ${attempt} refused as ${code}; trying again`);
    await page.getByTestId('retry').click();
    await again();
  }
}

async function typeDigits(page: Page, digits: string): Promise<void> {
  for (const d of digits) await page.getByTestId(`key-${d}`).click();
  await page.getByTestId('key-OK').click();
}

before(async () => {
  if (skip) return;
  await ensureRendererBuilt();
  dir = mkdtempSync(join(tmpdir(), 'smile-e2e-'));
  settlePort = await freePort();
  const loaded = loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0' } });
  // Every page of this file is a new browser, paired through its own one-time link.
  const config = { ...loaded, security: { ...loaded.security, paired_screens_max: 32 } };
  // No demo customers: the man of d0 enrols at the kiosk in this test.
  kiosk = await openDemoKiosk({
    config,
    describeFaces,
    log: hostLog.log,
    demoPeople: [],
    demoSettlementPort: settlePort,
    syncPollMs: 200,
    syncRetryCapMs: 500,
  });
  d0 = videoFrames('d0.mjpeg');
  ({ onset, neutralTo } = await smileFrames(d0));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await kiosk?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('self-check and order screens, in three languages', { skip }, async () => {
  const page = await openPage(d0Camera());
  layoutProblems.push(...(await shotsAllLanguages(page, '01-status')));
  // The status screen moves on by itself after a while; a tap moves on at once.
  if (await page.getByTestId('continue').isVisible()) await page.getByTestId('continue').click();
  await page.getByTestId('dish-ramen').click();
  layoutProblems.push(...(await shotsAllLanguages(page, '02-order')));
  await page.close();
});

test('an unenrolled face is refused, with the enrolment offer; he enrols at the kiosk', { skip }, async () => {
  const page = await openPage(d0Camera());
  await order(page);
  let code = '';
  for (let attempt = 1; attempt <= ATTEMPTS_MAX; attempt++) {
    await page.getByTestId('screen-declined').waitFor({ timeout: PAY_TIMEOUT_MS });
    code = (await page.getByTestId('screen-declined').getAttribute('data-code')) ?? '';
    if (!RETRYABLE.test(code)) break;
    console.log(`# attempt ${attempt} refused as ${code}; trying again`);
    await page.getByTestId('retry').click();
    await page.getByTestId('smile-to-pay').click();
  }
  assert.equal(code, 'FACE_NOT_ENROLLED');
  layoutProblems.push(...(await shotsAllLanguages(page, '04-declined-not-enrolled')));
  await page.getByTestId('offer-enrol').click();
  layoutProblems.push(...(await shotsAllLanguages(page, '05-consent')));
  await page.getByTestId('consent-agree').click();
  await untilScreen(page, 'enrol-details', async () => {
    await page.getByTestId('start-enrol').click();
    await page.getByTestId('consent-agree').click();
  });
  await page.getByTestId('enrol-name').fill(DEMO_VIDEO_CUSTOMER.display_name);
  await page.getByTestId('enrol-phone').fill(DEMO_VIDEO_CUSTOMER.phone);
  layoutProblems.push(...(await shotsAllLanguages(page, '06-enrol-details')));
  await page.getByTestId('enrol-finish').click();
  await page.getByTestId('screen-enrolled').waitFor({ timeout: 30_000 });
  await shot(page, '07-enrolled-en');
  await page.close();
});

test('d0 reacts to the prompt and pays: a signed payment, settled, and the QR lookup resolves', { skip }, async () => {
  const page = await openPage(d0Camera());
  await order(page);
  await untilScreen(page, 'screen-step-up', () => page.getByTestId('smile-to-pay').click());
  layoutProblems.push(...(await shotsAllLanguages(page, '08-step-up')));
  await typeDigits(page, DEMO_VIDEO_CUSTOMER.phone.slice(-4));
  await page.getByTestId('screen-paid').waitFor({ timeout: 10_000 });
  assert.equal(await page.getByTestId('paid-initials').textContent(), 'Thank you, D.O.');
  layoutProblems.push(...(await shotsAllLanguages(page, '09-paid')));
  await page.getByTestId('show-receipt').click();
  const url = await page.getByTestId('receipt-qr').getAttribute('data-url');
  const hash = (await page.getByTestId('receipt-hash').textContent())!.split(' ')[1]!;
  layoutProblems.push(...(await shotsAllLanguages(page, '10-receipt')));

  const reader = new LedgerReader(join(dir, 'ledger.db'));
  const payments = [...reader.range(1, 1_000)].filter((e) => e.entry.kind === 'payment');
  reader.close();
  assert.equal(payments.length, 1);
  assert.equal(payments[0]!.entry_hash, hash);
  let status = '';
  for (let i = 0; i < 100 && status !== 'settled'; i++) {
    const r = await fetch(url!);
    status = r.ok
      ? ((await r.json()) as { receipt: { receipt: { status: string } } }).receipt.receipt.status
      : `HTTP ${r.status}`;
    if (status !== 'settled') await new Promise((res) => setTimeout(res, 200));
  }
  assert.equal(status, 'settled', `the QR's lookup ${url}`);
  await page.close();
});

test(
  "a cashier's order reaches the customer screen and is paid by a smile; the cashier's board shows it paid",
  { skip },
  async () => {
    // The cashier, on another device in the store (a second browser context, no camera).
    const cashierContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const cashier = await cashierContext.newPage();
    await cashier.goto(kiosk.http!.url);
    const bo = kiosk.demoStaff!.cashier;
    await cashier.getByTestId('staff-open').click();
    await cashier.getByTestId(`staff-member-${bo.staff_id}`).click();
    for (const d of bo.pin) await cashier.getByTestId('staff-pin').getByTestId(`key-${d}`).click();
    await cashier.getByTestId('staff-pin').getByTestId('key-OK').click();
    await cashier.getByTestId('screen-staff-day').waitFor({ timeout: 10_000 });

    const customer = await openPage(d0Camera());
    if (await customer.getByTestId('continue').isVisible()) await customer.getByTestId('continue').click();
    await cashier.getByTestId('build-item-ramen').click();
    await cashier.getByTestId('build-opt-chashu').check();
    await cashier.getByTestId('edit-add').click();
    await cashier.getByTestId('build-cat-drinks').click();
    await cashier.getByTestId('build-item-tea').click();
    await cashier.getByTestId('build-opt-iced').check();
    await cashier.getByTestId('edit-add').click();
    const totalMinor = 1_290 + 300 + 290;
    assert.equal(await cashier.getByTestId('build-total').getAttribute('data-total-minor'), String(totalMinor));
    await cashier.getByTestId('build-send').click();

    await customer.getByTestId('customer-order').waitFor({ timeout: 5_000 });
    const orderId = (await customer.getByTestId('screen-order').getAttribute('data-order-id'))!;
    assert.equal(await customer.getByTestId('order-total').getAttribute('data-total-minor'), String(totalMinor));
    const card = (status: string) => cashier.locator(`[data-testid="board-order-${orderId}"][data-status="${status}"]`);
    await card('awaiting_payment').waitFor({ timeout: 5_000 });

    try {
      await customer.getByTestId('smile-to-pay').click();
      await untilScreen(customer, 'screen-step-up', () => customer.getByTestId('smile-to-pay').click());
      await typeDigits(customer, DEMO_VIDEO_CUSTOMER.phone.slice(-4));
      await customer.getByTestId('screen-paid').waitFor({ timeout: 10_000 });
      await card('paid').waitFor({ timeout: 5_000 });
    } catch (err) {
      // The order must not outlive a failure here: the later tests' customer screens would show
      // it (the screen loads the cashier's open order) instead of the menu. Taken in cash.
      const { token } = await kiosk.staff.signIn(bo.staff_id, bo.pin);
      kiosk.services.day.payOrder({ token, order_id: orderId, method: 'cash' });
      throw err;
    }
    await shot(cashier, '16-cashier-board-paid-by-smile-en');

    // The signed payment names the cashier's order and its total, paid by face.
    const reader = new LedgerReader(join(dir, 'ledger.db'));
    const payment = [...reader.range(1, 1_000)]
      .map((e) => e.entry)
      .find((e) => e.kind === 'payment' && e.body.order_id === orderId);
    reader.close();
    assert.ok(payment && payment.kind === 'payment', `a payment for ${orderId}`);
    assert.deepEqual(
      [payment.body.amount_minor, payment.body.currency, payment.body.method],
      [totalMinor, 'EUR', 'face'],
    );
    await customer.close();
    await cashierContext.close();
  },
);

test('d3 never smiles: the prompt, then a refusal that says what happened, and no payment', { skip }, async () => {
  const frames = videoFrames('d3.mjpeg');
  const page = await openPage({ frames, neutralFrom: 0, neutralTo: frames.length - 1, smileFrom: null });
  await order(page);
  // A stall (the kiosk too busy to see) is the kiosk's fault and another try is fair; any other
  // answer than "no smile" is wrong.
  for (let attempt = 1; ; attempt++) {
    // A stall may come before the prompt is shown; "no smile" only after it.
    await page.getByTestId('prompt-smile').or(page.getByTestId('screen-declined')).waitFor({ timeout: PAY_TIMEOUT_MS });
    await page.getByTestId('screen-declined').waitFor({ timeout: PAY_TIMEOUT_MS });
    const code = await page.getByTestId('screen-declined').getAttribute('data-code');
    if (code === 'FACE_STALLED' && attempt < ATTEMPTS_MAX) {
      console.log(`# attempt ${attempt} refused as ${code}; trying again`);
      await page.getByTestId('retry').click();
      await page.getByTestId('smile-to-pay').click();
      continue;
    }
    assert.equal(code, 'FACE_NO_SMILE', `the host's last refusals:\n${hostLog.refusals()}`);
    break;
  }
  assert.match((await page.getByTestId('declined-reason').textContent())!, /smile/i);
  layoutProblems.push(...(await shotsAllLanguages(page, '11-declined-no-smile')));
  await page.close();
});

test('the camera screens (face guide, prompts, progress) in three languages', { skip }, async () => {
  const frames = videoFrames('d3.mjpeg');
  const page = await openPage({ frames, neutralFrom: 0, neutralTo: frames.length - 1, smileFrom: null });
  await order(page);
  await page.getByTestId('hint').waitFor({ timeout: PAY_TIMEOUT_MS });
  layoutProblems.push(...(await shotsAllLanguages(page, '12-camera-hint')));
  await page.getByTestId('prompt-smile').or(page.getByTestId('screen-declined')).waitFor({ timeout: PAY_TIMEOUT_MS });
  await shot(page, '13-camera-prompt-en');
  await page.close();
});

test('a still frame as a stream is refused', { skip }, async () => {
  const page = await openPage({ frames: [d0[2]!], neutralFrom: 0, neutralTo: 0, smileFrom: null });
  await order(page);
  await page.getByTestId('screen-declined').waitFor({ timeout: PAY_TIMEOUT_MS });
  // Frozen when the frames are byte-identical; through the video pipeline they may differ by
  // a little, and then the still face never passes the challenge (no smile, or never prompted).
  const code = await page.getByTestId('screen-declined').getAttribute('data-code');
  // On a busy machine the kiosk may instead stop watching for want of frames (FACE_STALLED).
  assert.match(code ?? '', /^FACE_(FROZEN|NO_SMILE|NO_NEUTRAL|SMILED_EARLY|STALLED)$/, `refused as ${code}`);
  await shot(page, '14-declined-still-en');
  await page.close();
});

test('the file camera replaying d0 (it cannot react to the prompt) is refused', { skip }, async () => {
  const replay = await launch([
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${join(fixturesDir(), 'video', 'd0.mjpeg')}`,
  ]);
  try {
    const page = await openPage(null, replay);
    await order(page);
    await page.getByTestId('screen-declined').waitFor({ timeout: PAY_TIMEOUT_MS });
    const code = await page.getByTestId('screen-declined').getAttribute('data-code');
    assert.match(code ?? '', /^FACE_/, `refused as ${code}`);
    await shot(page, '15-declined-replay-en');
  } finally {
    await replay.close();
  }
});

test(
  'offline: with the server stopped the payment is taken within limits, and settles when it returns',
  { skip },
  async () => {
    await kiosk.demo!.close();
    let server: RunningServer | undefined;
    try {
      const page = await openPage(d0Camera());
      await order(page);
      await untilScreen(page, 'screen-step-up', () => page.getByTestId('smile-to-pay').click());
      await typeDigits(page, DEMO_VIDEO_CUSTOMER.phone.slice(-4));
      await page.getByTestId('screen-paid').waitFor({ timeout: 10_000 });
      await page.getByTestId('show-receipt').click();
      assert.equal(await page.getByTestId('receipt-settlement').textContent(), 'pending');
      await shot(page, '16-receipt-offline-en');
      const seq = Number((await page.getByTestId('receipt-hash').textContent())!.split(' ')[0]!.slice(1));
      server = await startServer({
        dataDir: join(dir, 'demo-settle'),
        host: '127.0.0.1',
        port: settlePort,
        verifyThreads: 0,
      });
      let settlement = 'pending';
      for (let i = 0; i < 150 && settlement !== 'settled'; i++) {
        await new Promise((res) => setTimeout(res, 200));
        settlement = kiosk.services.receipts.bySeq(seq).settlement;
      }
      assert.equal(settlement, 'settled');
      await page.close();
    } finally {
      await server?.close();
    }
  },
);

test('no screen breaks its layout in any language', { skip }, () => {
  assert.deepEqual(layoutProblems, []);
});
