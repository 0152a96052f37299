// Proves the host's service layer end to end through its real HTTP + WebSocket transport on
// loopback, with a real ledger, a real embedded settlement server and observations of the
// fixture recordings from the real face pipeline: the customer of d0, enrolled, who smiles
// after the prompt, pays (step-up with the phone digits on a first payment), the ledger holds
// one signed payment, the server settles it and the receipt's lookup resolves; d3 never smiles
// and is refused for it; a deletion on request (live face plus phone digits) removes him, after
// which he is not recognised; enrolled here, he pays at a second kiosk of the store, which
// learnt his phone digits and name from the templates the server relayed; bad requests, foreign origins and foreign Host names are refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { loadConfig } from '../../electron/config.js';
import { createLogger } from '../../electron/log.js';
import { openKiosk } from '../../electron/host/kiosk.js';
import { DEMO_MERCHANT_ID, openDemoKiosk, type DemoKiosk } from '../../scripts/demo-store.js';
import { DEMO_VIDEO_CUSTOMER, fixturesDir, videoPerson } from '../../electron/host/demo/demo.js';
import { createToken } from '../../ledger/server/admin.js';
import { FACE_CONFIG } from '../../electron/face/config.js';
import type { FaceObservation } from '../../electron/contract/vision.js';
import { initNodeVision } from '../../native/backend.node.js';
import { splitMjpeg } from '../../native/mjpeg.js';
import { decodeImage } from '../../native/image.node.js';
import { FacePipeline } from '../../vision/pipeline.js';
import { LedgerReader } from '../../ledger/store/reader.js';
import { playCustomer, WsClient } from '../helpers/kiosk-client.js';
import { describeFaces } from '../../scripts/demo-faces.js';

let dir: string;
let kiosk: DemoKiosk;
let d0: FaceObservation[];
let d3: FaceObservation[];

async function observe(name: string, frames: number): Promise<FaceObservation[]> {
  const v = await initNodeVision({
    nets: ['tinyFaceDetector', 'ssdMobilenetv1', 'faceLandmark68Net', 'faceExpressionNet', 'faceRecognitionNet'],
  });
  const jpegs = splitMjpeg(readFileSync(join(fixturesDir(), 'video', name)));
  const pipe = new FacePipeline(v.faceapi, v.backend);
  const out: FaceObservation[] = [];
  for (let i = 0; i < Math.min(frames, jpegs.length); i++)
    out.push(await pipe.observe(decodeImage(jpegs[i]!), (i * 1000) / 15));
  return out;
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
  d0 = await observe('d0.mjpeg', 47);
  d3 = await observe('d3.mjpeg', 60);
});

after(async () => {
  await kiosk?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('d0 reacts to the prompt and pays: one signed payment, settled, receipt lookup resolves', async () => {
  const client = await WsClient.connect(kiosk.http!.url);
  try {
    const order = await client.ok('createOrder', {
      lines: [
        { item_id: 'ramen', quantity: 1 },
        { item_id: 'tea', quantity: 1 },
      ],
    });
    assert.equal(order.total_minor, 1_290 + 290);
    const start = await client.ok('startPayment', { order_id: order.order_id });
    const onset = d0.findIndex((o) => (o.face?.smile ?? 0) >= FACE_CONFIG.liveness.smile_min);
    assert.ok(onset > 4, `d0 starts neutral (onset at ${onset})`);
    // The neutral frames to hold: the last clearly neutral ones before the smile.
    let neutralTo = onset - 1;
    while (neutralTo > 4 && (d0[neutralTo]!.face?.smile ?? 1) > 0.1) neutralTo--;
    const run = await playCustomer(client, start.session_id, d0, { onset, neutralTo, react: true });
    // A first payment asks for the phone's last four digits.
    assert.equal(run.view.phase, 'step_up', JSON.stringify(run.view));
    const wrong = await client.ok('stepUp', { session_id: start.session_id, phone_last4: '9999' });
    assert.equal(wrong.phase, 'refused');
    assert.equal(wrong.error?.code, 'FACE_NOT_ENROLLED');
    // A refused session is over; the customer starts again and types the right digits.
    const again = await client.ok('startPayment', { order_id: order.order_id });
    const run2 = await playCustomer(client, again.session_id, d0, { onset, neutralTo, react: true });
    assert.equal(run2.view.phase, 'step_up', JSON.stringify(run2.view));
    const paid = await client.ok('stepUp', {
      session_id: again.session_id,
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
      // The screen that paid asks with its session; a seq alone is refused (receipt walking).
      settled = await client.ok('receipt', { seq: receipt.seq, session_id: again.session_id });
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
  const client = await WsClient.connect(other.http!.url);
  try {
    assert.equal(other.customers.get(DEMO_VIDEO_CUSTOMER.customer_id), undefined, 'kiosk B never enrolled him');
    await other.worker!.pullFeed();
    const order = await client.ok('createOrder', { lines: [{ item_id: 'gyoza', quantity: 1 }] });
    const start = await client.ok('startPayment', { order_id: order.order_id });
    const onset = d0.findIndex((o) => (o.face?.smile ?? 0) >= FACE_CONFIG.liveness.smile_min);
    let neutralTo = onset - 1;
    while (neutralTo > 4 && (d0[neutralTo]!.face?.smile ?? 1) > 0.1) neutralTo--;
    const run = await playCustomer(client, start.session_id, d0, { onset, neutralTo, react: true });
    assert.equal(run.view.phase, 'step_up', JSON.stringify(run.view));
    const paid = await client.ok('stepUp', {
      session_id: start.session_id,
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
  const client = await WsClient.connect(kiosk.http!.url);
  try {
    const order = await client.ok('createOrder', { lines: [{ item_id: 'gyoza', quantity: 2 }] });
    const s = await client.ok('startPayment', { order_id: order.order_id });
    const run = await playCustomer(client, s.session_id, d3, { onset: null, react: false, framesMax: 400 });
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
  const client = await WsClient.connect(kiosk.http!.url);
  try {
    const onset = d0.findIndex((o) => (o.face?.smile ?? 0) >= FACE_CONFIG.liveness.smile_min);
    let neutralTo = onset - 1;
    while (neutralTo > 4 && (d0[neutralTo]!.face?.smile ?? 1) > 0.1) neutralTo--;
    const del = await client.ok('startDeletion', {});
    const live = await playCustomer(client, del.session_id, d0, { onset, neutralTo, react: true });
    assert.equal(live.view.phase, 'step_up', JSON.stringify(live.view));
    const done = await client.ok('finishDeletion', {
      session_id: del.session_id,
      phone_last4: DEMO_VIDEO_CUSTOMER.phone.slice(-4),
    });
    assert.equal(done.phase, 'done', JSON.stringify(done));
    assert.equal(kiosk.customers.get(DEMO_VIDEO_CUSTOMER.customer_id), undefined);
    const order = await client.ok('createOrder', { lines: [{ item_id: 'tea', quantity: 1 }] });
    const pay = await client.ok('startPayment', { order_id: order.order_id });
    const run = await playCustomer(client, pay.session_id, d0, { onset, neutralTo, react: true });
    assert.equal(run.view.phase, 'refused', JSON.stringify(run.view));
    assert.equal(run.view.error?.code, 'FACE_NOT_ENROLLED');
    assert.equal(run.view.offer_enrolment, true);
  } finally {
    client.close();
  }
});

test('bad input, foreign origins and foreign Host names are refused with codes', async () => {
  const url = kiosk.http!.url;
  const client = await WsClient.connect(url);
  try {
    const bad = await client.call('observe', { session_id: 's-x', observation: { v: 1 } as never });
    assert.equal(bad.ok, false);
    if (!bad.ok) assert.equal(bad.error.code, 'API_BAD_REQUEST');
    const none = await client.call('getOrder', { order_id: 'o-missing' });
    assert.equal(!none.ok && none.error.code, 'ORDER_NOT_FOUND');
    const neg = await client.call('createOrder', { lines: [{ item_id: 'ramen', quantity: -1 }] });
    assert.equal(!neg.ok && neg.error.code, 'API_BAD_REQUEST');
  } finally {
    client.close();
  }
  await assert.rejects(WsClient.connect(url, 'http://evil.example'), /Unexpected server response: 403/);
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
