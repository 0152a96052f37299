// Runs alone: it plays a live customer against the host's clock (see scripts/run-tests.mjs).
// Proves two customers pay one bill by face, through the real HTTP + WebSocket transport on loopback, the host's own vision worker, a real ledger and the embedded settlement server: the cashier splits a bill of 25.80 in two; customer A pays the first half by a smile, customer B the rest; each part is its own signed payment naming the order (the second naming the first, which carries the sale) and its own customer, the order is paid once the parts cover it, and `ledger verify` passes.
// The fixtures hold one person who smiles on cue (d0; d3 and d6 never smile, measured by the
// pipeline), so customer B is d0's recording enrolled under a second account with other phone
// digits: one face in two templates has no margin between them, and the step-up's phone digits
// say whose account pays, as they would for twins. Each smile is its own live session.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Order, SessionView } from '../../electron/contract/api.js';
import { loadConfig } from '../../electron/config.js';
import { createLogger } from '../../electron/log.js';
import { DEMO_VIDEO_CUSTOMER, videoPerson } from '../../electron/host/demo/demo.js';
import { FACE_CONFIG } from '../../electron/face/config.js';
import { initNodeVision } from '../../native/backend.node.js';
import { decodeImage } from '../../native/image.node.js';
import { FacePipeline } from '../../vision/pipeline.js';
import { LedgerReader } from '../../ledger/store/reader.js';
import type { Entry } from '../../ledger/protocol/entry.js';
import { openDemoKiosk, type DemoKiosk } from '../../scripts/demo-store.js';
import { describeFaces } from '../../scripts/demo-faces.js';
import { pairWithLink, playLive, WsClient } from '../helpers/kiosk-client.js';
import { screenFrames } from '../helpers/screen-frames.js';

const CUSTOMER_B = { customer_id: 'demo-d0-b', display_name: 'Bea Ortiz', phone: '+49 151 5550 0077' } as const;

let dir: string;
let kiosk: DemoKiosk;
let d0: Uint8Array[];
let onset = 0;
let neutralTo = 0;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smile-two-faces-'));
  const config = loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0' } });
  kiosk = await openDemoKiosk({
    config,
    log: createLogger({ level: process.env.SMILE_TEST_LOG ?? 'silent' }),
    demoPeople: [videoPerson(), { ...videoPerson(), ...CUSTOMER_B }],
    describeFaces,
    syncPollMs: 200,
  });
  assert.ok(await kiosk.visionReady, "the kiosk's vision worker started");
  assert.ok(kiosk.customers.get(CUSTOMER_B.customer_id), 'customer B is enrolled');
  d0 = screenFrames('d0.mjpeg');
  const v = await initNodeVision();
  const pipe = new FacePipeline(v.faceapi, v.backend);
  const smiles: number[] = [];
  for (let i = 0; i < d0.length; i++) smiles.push((await pipe.observe(decodeImage(d0[i]!), i * 66)).face?.smile ?? 1);
  onset = smiles.findIndex((s) => s >= FACE_CONFIG.liveness.smile_min);
  neutralTo = onset - 1;
  while (neutralTo > 4 && smiles[neutralTo]! > 0.1) neutralTo--;
  assert.ok(onset > 4, `d0 starts neutral (onset at ${onset})`);
});

after(async () => {
  await kiosk?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** One live smile paying the order's next part; the step-up's digits name whose account. */
async function payByFace(screen: WsClient, order: Order, phone: string): Promise<SessionView> {
  const run = await playLive(screen, () => screen.ok('startPayment', { order_id: order.order_id }), d0, {
    onset,
    neutralTo,
    react: true,
  });
  assert.equal(run.view.phase, 'step_up', `one face in two templates asks whose: ${JSON.stringify(run.view)}`);
  return screen.ok('stepUp', { session_id: run.view.session_id, phone_last4: phone.slice(-4) });
}

test('customer A pays half a bill by face and customer B the rest: two signed parts, the order paid, the ledger verifies', async () => {
  const url = kiosk.http!.url;
  const counter = await WsClient.connect(url);
  const screen = await WsClient.connect(url, { cookie: await pairWithLink(kiosk.pairingLink()) });
  try {
    const staff = kiosk.demoStaff!;
    const { token } = await counter.ok('staffSignIn', { staff_id: staff.cashier.staff_id, pin: staff.cashier.pin });
    const order: Order = await counter.ok('sendOrder', { token, lines: [{ item_id: 'ramen', quantity: 2 }] });
    assert.equal(order.total_minor, 2_580);
    await counter.ok('splitOrder', { token, order_id: order.order_id, shares: 2 });

    const a = await payByFace(screen, order, DEMO_VIDEO_CUSTOMER.phone);
    assert.equal(a.phase, 'done', JSON.stringify(a));
    assert.equal(a.receipt!.amount_minor, 1_290);
    const half = kiosk.orders.get(order.order_id);
    assert.deepEqual([half.status, half.paid_minor, half.parts.length], ['partly_paid', 1_290, 1]);

    const b = await payByFace(screen, order, CUSTOMER_B.phone);
    assert.equal(b.phase, 'done', JSON.stringify(b));
    assert.equal(b.receipt!.amount_minor, 1_290);
    const paid = kiosk.orders.get(order.order_id);
    assert.deepEqual([paid.status, paid.paid_minor, paid.parts.length], ['paid', 2_580, 2], 'the parts cover it');

    const reader = new LedgerReader(join(dir, 'ledger.db'));
    const parts = [...reader.range(1, 10_000)]
      .map((s) => s.entry)
      .filter((e): e is Extract<Entry, { kind: 'payment' }> => e.kind === 'payment');
    reader.close();
    assert.deepEqual(
      parts.map((e) => [e.body.order_id, e.body.method, e.body.customer_id, e.body.amount_minor]),
      [
        [order.order_id, 'face', DEMO_VIDEO_CUSTOMER.customer_id, 1_290],
        [order.order_id, 'face', CUSTOMER_B.customer_id, 1_290],
      ],
      'each part its own signed entry, by its own customer, naming the order',
    );
    assert.ok(parts[0]!.body.sale !== undefined, 'the first part carries the sale');
    assert.equal(parts[1]!.body.sale_seq, parts[0]!.seq, 'the second names it');
    const verify = spawnSync(process.execPath, ['bin/ledger.js', 'verify', join(dir, 'ledger.db')], {
      encoding: 'utf8',
    });
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  } finally {
    screen.close();
    counter.close();
  }
});
