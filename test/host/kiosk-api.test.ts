// Runs alone: it plays a live customer against the host's clock (see scripts/run-tests.mjs).
// Proves the host's service layer end to end through its real HTTP + WebSocket transport on
// loopback, with a real ledger, a real embedded settlement server, and the fixture recordings'
// frames sent as a paired screen sends them (binary JPEG messages, in real time) to the host's
// own vision worker: the customer of d0, enrolled, who smiles after the host's prompt, pays
// (step-up with the phone digits on a first payment; a wrong entry first), the ledger holds
// one signed payment, the server settles it and the receipt's lookup resolves; d3 never smiles
// and is refused for it; a deletion on request (live face plus phone digits) removes him, after
// which he is not recognised; enrolled here, he pays at a second kiosk of the store, which
// learnt his phone digits and name from the templates the server relayed; bad requests, foreign origins and foreign Host names are refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { loadConfig } from '../../electron/config.js';
import { createLogger } from '../../electron/log.js';
import { openKiosk, type Kiosk } from '../../electron/host/kiosk.js';
import { DEMO_MERCHANT_ID, openDemoKiosk, type DemoKiosk } from '../../scripts/demo-store.js';
import { DEMO_VIDEO_CUSTOMER, videoPerson } from '../../electron/host/demo/demo.js';
import { createToken } from '../../ledger/server/admin.js';
import { FACE_CONFIG } from '../../electron/face/config.js';
import { initNodeVision } from '../../native/backend.node.js';
import { decodeImage } from '../../native/image.node.js';
import { FacePipeline } from '../../vision/pipeline.js';
import { LedgerReader } from '../../ledger/store/reader.js';
import { pairWithLink, playCustomer, playLive, WsClient } from '../helpers/kiosk-client.js';
import { screenFrames } from '../helpers/screen-frames.js';
import { describeFaces } from '../../scripts/demo-faces.js';

let dir: string;
let kiosk: DemoKiosk;
let d0: Uint8Array[];
let d3: Uint8Array[];
let onset: number;
let neutralTo: number;

/** Where the real pipeline sees d0's smile begin, and its last clearly neutral frame before. */
async function smileFrames(frames: Uint8Array[]): Promise<{ onset: number; neutralTo: number }> {
  const v = await initNodeVision();
  const pipe = new FacePipeline(v.faceapi, v.backend);
  const smiles: number[] = [];
  for (let i = 0; i < frames.length; i++)
    smiles.push((await pipe.observe(decodeImage(frames[i]!), (i * 1000) / 15)).face?.smile ?? 1);
  const first = smiles.findIndex((s) => s >= FACE_CONFIG.liveness.smile_min);
  let last = first - 1;
  while (last > 4 && smiles[last]! > 0.1) last--;
  return { onset: first, neutralTo: last };
}

/** A screen of this kiosk: paired through a one-time link, as a browser is. */
async function screen(k: Kiosk = kiosk as unknown as Kiosk): Promise<WsClient> {
  return WsClient.connect(k.http!.url, { cookie: await pairWithLink(k.pairingLink()) });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smile-host-'));
  const config = loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0' } });
  kiosk = await openDemoKiosk({
    config,
    log: createLogger({ level: process.env.SMILE_TEST_LOG ?? 'silent' }),
    demoPeople: [videoPerson()],
    describeFaces,
    syncPollMs: 100,
  });
  d0 = screenFrames('d0.mjpeg');
  d3 = screenFrames('d3.mjpeg').slice(0, 60);
  ({ onset, neutralTo } = await smileFrames(d0));
  assert.ok(onset > 4, `d0 starts neutral (onset at ${onset})`);
  assert.ok(await kiosk.visionReady, "the kiosk's vision worker started");
});

after(async () => {
  await kiosk?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('d0 reacts to the prompt and pays: one signed payment, settled, receipt lookup resolves', async () => {
  const client = await screen();
  try {
    const order = await client.ok('createOrder', {
      lines: [
        { item_id: 'ramen', quantity: 1 },
        { item_id: 'tea', quantity: 1 },
      ],
    });
    assert.equal(order.total_minor, 1_290 + 290);
    const run = await playLive(client, () => client.ok('startPayment', { order_id: order.order_id }), d0, {
      onset,
      neutralTo,
      react: true,
    });
    const start = run.start;
    assert.equal('prompt_at_ms' in start, false, 'the prompt is never announced ahead');
    // A first payment asks for the phone's last four digits.
    assert.equal(
      run.view.phase,
      'step_up',
      `${JSON.stringify(run.view)} (frames not observed: ${JSON.stringify(run.refused)})`,
    );
    assert.equal(run.prompts, FACE_CONFIG.liveness.prompt_rounds, 'one reaction per prompt the host sent');
    // A wrong entry says only that the digits do not match, and leaves two more tries.
    const wrong = await client.ok('stepUp', { session_id: start.session_id, phone_last4: '9999' });
    assert.equal(wrong.phase, 'step_up');
    assert.equal(wrong.error?.code, 'STEP_UP_WRONG');
    assert.equal(wrong.digits_left, 2);
    const paid = await client.ok('stepUp', {
      session_id: start.session_id,
      phone_last4: DEMO_VIDEO_CUSTOMER.phone.slice(-4),
    });
    assert.equal(paid.phase, 'done', JSON.stringify(paid));
    assert.equal(paid.customer_initials, 'D.O.');
    const receipt = paid.receipt!;
    assert.equal(receipt.amount_minor, 1_580);
    assert.equal(receipt.step_up, true);

    const reader = new LedgerReader(join(dir, 'ledger.db'));
    const payments = [...reader.range(1, 1_000)].filter((e) => e.entry.kind === 'payment');
    reader.close();
    assert.equal(payments.length, 1, 'exactly one payment in the ledger');
    assert.equal(payments[0]!.entry_hash, receipt.entry_hash);

    let settled = receipt;
    for (let i = 0; i < 100 && settled.settlement !== 'settled'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      // The screen that paid names its payment's id; a seq alone is refused (receipt walking).
      settled = await client.ok('receipt', { seq: receipt.seq, payment_id: receipt.payment_id });
    }
    assert.equal(settled.settlement, 'settled');
    const lookup = await fetch(settled.lookup_url!);
    assert.equal(lookup.status, 200);
    const body = (await lookup.json()) as { entry_hash: string; receipt: { receipt: { status: string } } };
    assert.equal(body.entry_hash, receipt.entry_hash);
    assert.equal(body.receipt.receipt.status, 'settled');
    assert.equal((await client.ok('getOrder', { order_id: order.order_id })).status, 'paid');
  } finally {
    client.close();
  }
});

test('enrolled at one kiosk, he pays at another of the store: the step-up digits and his name came with his templates', async () => {
  const dirB = mkdtempSync(join(tmpdir(), 'smile-host-b-'));
  const token = await createToken(kiosk.demo!.server.services, DEMO_MERCHANT_ID);
  const config = loadConfig({
    env: {
      SMILE_DATA_DIR: dirB,
      SMILE_HTTP_PORT: '0',
      SMILE_KIOSK_ID: 'kiosk-b',
      SMILE_SETTLEMENT_URL: kiosk.demo!.url,
      SMILE_MERCHANT_TOKEN: token,
      // Plain Node has no OS keychain: a test kiosk says it runs its keys in the clear.
      SMILE_KEYS_ALLOW_WEAK: '1',
    },
  });
  const other = await openKiosk({
    config,
    log: createLogger({ level: process.env.SMILE_TEST_LOG ?? 'silent' }),
    syncPollMs: 100,
  });
  const client = await screen(other);
  try {
    assert.equal(other.customers.get(DEMO_VIDEO_CUSTOMER.customer_id), undefined, 'kiosk B never enrolled him');
    await other.worker!.pullFeed();
    assert.ok(await other.visionReady);
    const order = await client.ok('createOrder', { lines: [{ item_id: 'gyoza', quantity: 1 }] });
    const run = await playLive(client, () => client.ok('startPayment', { order_id: order.order_id }), d0, {
      onset,
      neutralTo,
      react: true,
    });
    assert.equal(run.view.phase, 'step_up', JSON.stringify(run.view));
    const paid = await client.ok('stepUp', {
      session_id: run.start.session_id,
      phone_last4: DEMO_VIDEO_CUSTOMER.phone.slice(-4),
    });
    assert.equal(paid.phase, 'done', JSON.stringify(paid));
    assert.equal(paid.customer_initials, 'D.O.');
    assert.equal(paid.receipt!.amount_minor, 590);
    const reader = new LedgerReader(join(dirB, 'ledger.db'));
    const payment = [...reader.range(1, 100)].map((e) => e.entry).find((e) => e.kind === 'payment');
    reader.close();
    assert.equal(payment?.kind === 'payment' ? payment.body.customer_id : null, DEMO_VIDEO_CUSTOMER.customer_id);
  } finally {
    client.close();
    await other.close();
    rmSync(dirB, { recursive: true, force: true });
  }
});

test('d3 never smiles: no payment, and the refusal says so', async () => {
  const client = await screen();
  try {
    const order = await client.ok('createOrder', { lines: [{ item_id: 'gyoza', quantity: 2 }] });
    const s = await client.ok('startPayment', { order_id: order.order_id });
    const run = await playCustomer(client, s, d3, { onset: null, react: false, framesMax: 400 });
    assert.equal(run.view.phase, 'refused', JSON.stringify(run.view));
    assert.equal(run.view.error?.code, 'FACE_NO_SMILE');
    // The order stays payable another way, marked declined with why (the order board shows it).
    const after = await client.ok('getOrder', { order_id: order.order_id });
    assert.equal(after.status, 'declined');
    assert.equal(after.reason?.code, 'FACE_NO_SMILE');
  } finally {
    client.close();
  }
});

test('deletion on request: the live face and the phone digits remove the customer everywhere; his next payment is refused', async () => {
  const client = await screen();
  try {
    const live = await playLive(client, () => client.ok('startDeletion', {}), d0, { onset, neutralTo, react: true });
    const del = live.start;
    assert.equal(live.view.phase, 'step_up', JSON.stringify(live.view));
    const done = await client.ok('finishDeletion', {
      session_id: del.session_id,
      phone_last4: DEMO_VIDEO_CUSTOMER.phone.slice(-4),
    });
    assert.equal(done.phase, 'done', JSON.stringify(done));
    assert.equal(kiosk.customers.get(DEMO_VIDEO_CUSTOMER.customer_id), undefined);
    const order = await client.ok('createOrder', { lines: [{ item_id: 'tea', quantity: 1 }] });
    const run = await playLive(client, () => client.ok('startPayment', { order_id: order.order_id }), d0, {
      onset,
      neutralTo,
      react: true,
    });
    assert.equal(run.view.phase, 'refused', JSON.stringify(run.view));
    assert.equal(run.view.error?.code, 'FACE_NOT_ENROLLED');
    assert.equal(run.view.offer_enrolment, true);
  } finally {
    client.close();
  }
});

test('bad input, foreign origins and foreign Host names are refused with codes', async () => {
  const url = kiosk.http!.url;
  const client = await screen();
  try {
    const bad = await client.call('startPayment', { order_id: '' });
    assert.equal(bad.ok, false);
    if (!bad.ok) assert.equal(bad.error.code, 'API_BAD_REQUEST');
    const none = await client.call('getOrder', { order_id: 'o-missing' });
    assert.equal(!none.ok && none.error.code, 'ORDER_NOT_FOUND');
    const neg = await client.call('createOrder', { lines: [{ item_id: 'ramen', quantity: -1 }] });
    assert.equal(!neg.ok && neg.error.code, 'API_BAD_REQUEST');
  } finally {
    client.close();
  }
  await assert.rejects(WsClient.connect(url, { origin: 'http://evil.example' }), /Unexpected server response: 403/);
  // DNS rebinding: a foreign name in Host (fetch cannot set Host, node:http can).
  const rebound = await new Promise<number>((resolve, reject) => {
    const req = httpRequest(
      `${url}/api/call/kiosk:status`,
      { method: 'POST', headers: { host: `evil.example:${new URL(url).port}`, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
  assert.equal(rebound, 421);
  const status = await fetch(`${url}/api/call/kiosk:status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const s = (await status.json()) as { ok: boolean; value: { checks: { name: string; ok: boolean }[] } };
  assert.equal(s.ok, true);
  assert.equal(s.value.checks.find((c) => c.name === 'models')?.ok, true);
  assert.match(status.headers.get('content-security-policy') ?? '', /default-src 'self'/);
});
