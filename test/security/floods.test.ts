// Proves refused, for calls that need no sign-in: createOrder flooding the board's 200 orders
// until the shop's real ones drop off (from a paired screen's token on many devices); guesses
// faster than people type (one device spraying sign-ins across members); every status call
// probing the settlement server; another device's report flipping the kiosk's self-check (even
// a paired screen's); camera frames faster than a camera from one paired screen; the 32
// WebSocket seats filled from elsewhere so the kiosk's own screen gets none; and every order
// pushed to every socket, signed in or not (the kiosk's own screens, paired customer screens and
// signed-in staff get them). Through the real transport: a kiosk on 127.0.0.1, other devices
// speaking from 127.0.1.x.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KioskStatus, Order } from '../../electron/contract/api.js';
import { ORDERS_KEPT_MAX, WS_CLIENTS_MAX } from '../../electron/contract/constants.js';
import { KIOSK_ORDERS_OPEN_MAX } from '../../electron/host/orders/orders.js';
import {
  CALL_CLASS_LIMITS,
  WS_CLIENTS_PER_ADDRESS_MAX,
  WS_OWN_MACHINE_SEATS,
} from '../../electron/host/transport/client-limits.js';
import { call, clientAddress, codeOf, openHostKiosk, openSocket, pairScreen, type RawSocket } from './kiosk-host.js';

async function withManager(t: Parameters<typeof openHostKiosk>[0], env: Record<string, string> = {}) {
  const h = await openHostKiosk(t, { env });
  await h.kiosk.staff.add({ staff_id: 'ana', display_name: 'Ana', role: 'manager' }, '739154');
  const ana = (await h.kiosk.staff.signIn('ana', '739154')).token;
  return { ...h, ana };
}

test("a flood of kiosk orders from many devices keeps the board's real orders; at most a few unpaid kiosk orders are kept", async (t) => {
  const h = await withManager(t);
  const counter = await call<Order>(h.url, 'sendOrder', { token: h.ana, lines: [{ item_id: 'ramen', quantity: 1 }] });
  assert.ok(counter.ok);
  const paid = await call<Order>(h.url, 'sendOrder', { token: h.ana, lines: [{ item_id: 'tea', quantity: 2 }] });
  assert.ok(paid.ok);
  assert.ok((await call(h.url, 'payOrder', { token: h.ana, order_id: paid.value.order_id, method: 'cash' })).ok);
  // 300 orders, 10 from each of 30 devices, all with one paired screen's device token (the
  // customer's calls need one): one client to the rate limits, whose burst lets more through
  // than the board should keep.
  const cookie = await pairScreen(h);
  for (let d = 0; d < 30; d++)
    await Promise.all(
      Array.from({ length: 10 }, () =>
        call(
          h.url,
          'createOrder',
          { lines: [{ item_id: 'mochi', quantity: 99 }] },
          { localAddress: clientAddress(d), cookie },
        ),
      ),
    );
  const board = await call<{ orders: Order[] }>(h.url, 'orderBoard', { token: h.ana });
  assert.ok(board.ok);
  const ids = board.value.orders.map((o) => o.order_id);
  assert.ok(ids.includes(counter.value.order_id), "the cashier's open order is still on the board");
  assert.ok(ids.includes(paid.value.order_id), 'the paid order too');
  const kioskNew = board.value.orders.filter((o) => o.source === 'kiosk' && o.status === 'new');
  assert.equal(kioskNew.length, KIOSK_ORDERS_OPEN_MAX);
  assert.ok(board.value.orders.length < ORDERS_KEPT_MAX);
});

test("one device is held to people's pace for guesses; another device is not held back by it", async (t) => {
  const h = await withManager(t);
  const attacker = clientAddress(1);
  const { burst } = CALL_CLASS_LIMITS.guess;
  const results = [];
  for (let i = 0; i < burst + 20; i++)
    results.push(
      await call(h.url, 'staffSignIn', { staff_id: `nobody-${i}`, pin: '5083' }, { localAddress: attacker }),
    );
  const limited = results.filter((r) => codeOf(r) === 'API_RATE_LIMITED');
  assert.ok(limited.length >= 15, `${limited.length} refused of ${results.length}`);
  const first = limited[0]!;
  assert.ok(!first.ok && (first.error.details?.retry_after_ms ?? 0) > 0);
  // The receipts are guessed at the same pace (payment ids for seqs).
  assert.equal(
    codeOf(await call(h.url, 'receipt', { seq: 1, payment_id: 'p-x' }, { localAddress: attacker })),
    'API_RATE_LIMITED',
  );
  assert.equal(
    codeOf(await call(h.url, 'staffSignIn', { staff_id: 'ana', pin: '739154' }, { localAddress: clientAddress(2) })),
    'ok',
  );
});

test('status calls probe the settlement server at most once per few seconds, however many there are', async (t) => {
  let probes = 0;
  const settlement = createServer((req, res) => {
    if (req.url === '/v1/health') probes++;
    res.writeHead(req.url === '/v1/health' ? 200 : 503, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((r) => settlement.listen(0, '127.0.0.1', r));
  t.after(() => settlement.close());
  const url = `http://127.0.0.1:${(settlement.address() as AddressInfo).port}`;
  const h = await withManager(t, {
    SMILE_SETTLEMENT_URL: url,
    SMILE_MERCHANT_TOKEN: 'm'.repeat(32),
    SMILE_KEYS_ALLOW_WEAK: '1',
  });
  await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      call<KioskStatus>(h.url, 'status', {}, { localAddress: clientAddress(i % 20) }),
    ),
  );
  assert.ok(probes <= 2, `${probes} probes for 200 status calls`);
});

test("another device cannot report the kiosk's camera, even as a paired screen; the kiosk's own screen can", async (t) => {
  const h = await withManager(t);
  const report = { camera: { ok: true, detail: 'fake camera' } };
  const cookie = await pairScreen(h);
  for (const o of [{}, { cookie }]) {
    const r = await call(h.url, 'reportClient', report, { localAddress: clientAddress(3), ...o });
    assert.equal(codeOf(r), 'API_SENDER_REFUSED');
  }
  const status = await call<KioskStatus>(h.url, 'status', {});
  assert.ok(status.ok);
  assert.equal(status.value.checks.find((c) => c.name === 'camera')!.pending, true, 'the self-check is unchanged');
  assert.equal(codeOf(await call(h.url, 'reportClient', report, { cookie })), 'ok');
});

test('camera frames faster than a camera from one paired screen are refused before they are parsed; another screen is not held back', async (t) => {
  const h = await withManager(t);
  const flooder = await openSocket(h.url, { localAddress: clientAddress(8), cookie: await pairScreen(h) });
  const honest = await openSocket(h.url, { localAddress: clientAddress(8), cookie: await pairScreen(h) });
  t.after(() => [flooder, honest].forEach((s) => s.close()));
  // Not frames at all: each that is let through is parsed, and refused as malformed.
  const junk = Buffer.alloc(256, 7);
  const sent = 400;
  const t0 = Date.now();
  for (let i = 0; i < sent; i++) flooder.ws.send(junk);
  const codes = async (s: RawSocket, n: number): Promise<Record<string, number>> => {
    for (let i = 0; i < 100 && s.pushes.length < n; i++) await new Promise((r) => setTimeout(r, 50));
    const by: Record<string, number> = {};
    for (const p of s.pushes as { event: { code: string } }[]) by[p.event.code] = (by[p.event.code] ?? 0) + 1;
    return by;
  };
  const flood = await codes(flooder, sent);
  const { burst, per_s } = CALL_CLASS_LIMITS.frame;
  const parsedMax = burst + Math.ceil(((Date.now() - t0) / 1000) * per_s) + 1;
  assert.equal((flood.FRAME_MALFORMED ?? 0) + (flood.API_RATE_LIMITED ?? 0), sent, JSON.stringify(flood));
  assert.ok((flood.FRAME_MALFORMED ?? 0) <= parsedMax, `${JSON.stringify(flood)}: at most ${parsedMax} parsed`);
  // The other screen on the same device has its own camera's bound.
  honest.ws.send(junk);
  assert.deepEqual(await codes(honest, 1), { FRAME_MALFORMED: 1 });
});

test("sockets from other devices cannot take the kiosk's own screens' seats; each device holds a few", async (t) => {
  const h = await withManager(t);
  const opened: RawSocket[] = [];
  t.after(() => opened.forEach((s) => s.close()));
  let refusedPerAddress = 0;
  let refusedKept = 0;
  for (let d = 0; d < 10; d++)
    for (let k = 0; k < WS_CLIENTS_PER_ADDRESS_MAX + 1; k++) {
      try {
        opened.push(await openSocket(h.url, { localAddress: clientAddress(d) }));
      } catch (err) {
        const m = (err as Error).message;
        if (/screens from/.test(m)) refusedPerAddress++;
        else if (/kept for the kiosk's own/.test(m)) refusedKept++;
        else throw err;
      }
    }
  assert.equal(opened.length, WS_CLIENTS_MAX - WS_OWN_MACHINE_SEATS);
  assert.ok(refusedPerAddress > 0 && refusedKept > 0, `${refusedPerAddress} per address, ${refusedKept} kept`);
  const own = await openSocket(h.url);
  opened.push(own);
  assert.equal(codeOf(await own.call('status', {})), 'ok', "the kiosk's own screen still connects");
});

test("order pushes go to the kiosk's own screens, paired customer screens and signed-in staff screens, not to any socket", async (t) => {
  const h = await withManager(t);
  const stranger = await openSocket(h.url, { localAddress: clientAddress(5) });
  const staffDevice = await openSocket(h.url, { localAddress: clientAddress(6) });
  const customerScreen = await openSocket(h.url, { localAddress: clientAddress(7), cookie: await pairScreen(h) });
  const own = await openSocket(h.url);
  t.after(() => [stranger, staffDevice, customerScreen, own].forEach((s) => s.close()));
  const signed = await staffDevice.call<{ token: string }>('staffSignIn', { staff_id: 'ana', pin: '739154' });
  assert.ok(signed.ok);
  assert.ok((await staffDevice.call('orderBoard', { token: signed.value.token })).ok);
  const sent = await call<Order>(h.url, 'sendOrder', {
    token: h.ana,
    lines: [{ item_id: 'gyoza', quantity: 1 }],
    note: 'table 9',
  });
  assert.ok(sent.ok);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(stranger.pushes.length, 0, 'a socket that never signed in sees no orders');
  assert.ok(staffDevice.pushes.length >= 1);
  assert.ok(customerScreen.pushes.length >= 1, 'a paired customer screen shows the order being paid');
  assert.ok(own.pushes.length >= 1);
  // Signed out, the staff device's socket gets no more.
  await staffDevice.call('staffSignOut', { token: signed.value.token });
  const before = staffDevice.pushes.length;
  assert.ok(
    (await call(h.url, 'advanceOrder', { token: h.ana, order_id: sent.value.order_id, status: 'preparing' })).ok ===
      false,
  );
  assert.ok((await call(h.url, 'sendOrder', { token: h.ana, lines: [{ item_id: 'tea', quantity: 1 }] })).ok);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(staffDevice.pushes.length, before);
});
