// Proves (red team, finding 4) that a revoked screen's open socket does nothing more, even when its client never answers the close handshake.
// A manager revokes a stolen screen; the kiosk sends the close frame on its socket. A client
// that never answers it keeps the TCP connection for the ws library's close timeout (30 s), and
// every message it sends meanwhile reached the handler with the caller fixed at connect time
// (a paired screen): it could still create orders, start sessions, send frames, type digits.
// Here a raw WebSocket client (no library to answer the close for it) keeps sending calls after
// the revocation; another page watches the order pushes: no order may appear.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { api, PUSH_ORDER_CHANGED, WS_PATH } from '../../electron/contract/api.js';
import { pairWithLink } from '../helpers/kiosk-client.js';
import { openRedKiosk, type RedKiosk } from './red-team-fixture.js';

let k: RedKiosk;
before(async () => {
  k = await openRedKiosk([]);
});
after(async () => {
  await k?.close();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A WebSocket client on a bare TCP socket: it sends masked text frames and reads nothing but
 * the handshake's answer, so it never answers a close frame. */
async function rawSocket(
  url: string,
  cookie: string,
): Promise<{ sock: Socket; text(s: string): void; received: Buffer[] }> {
  const u = new URL(url);
  const sock = connect(Number(u.port), u.hostname);
  const received: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  sock.on('error', () => undefined);
  sock.write(
    `GET ${WS_PATH} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
      `Origin: ${u.origin}\r\nCookie: ${cookie}\r\n\r\n`,
  );
  await new Promise<void>((resolve, reject) => {
    sock.once('data', (d: Buffer) =>
      d.toString('latin1').startsWith('HTTP/1.1 101')
        ? resolve()
        : reject(new Error(d.toString('latin1').slice(0, 80))),
    );
  });
  sock.on('data', (d: Buffer) => received.push(d));
  const text = (s: string): void => {
    const payload = Buffer.from(s, 'utf8');
    const mask = randomBytes(4);
    const len = payload.length;
    const head = len < 126 ? Buffer.from([0x81, 0x80 | len]) : Buffer.from([0x81, 0x80 | 126, len >> 8, len & 0xff]);
    const body = Buffer.alloc(len);
    for (let i = 0; i < len; i++) body[i] = payload[i]! ^ mask[i % 4]!;
    sock.write(Buffer.concat([head, mask, body]));
  };
  return { sock, text, received };
}

test('a revoked screen that ignores the close frame can no longer create orders or start sessions', async () => {
  const cookie = await pairWithLink(k.kiosk.pairingLink());
  const thief = await rawSocket(k.url, cookie);
  const watcher = await k.stranger();
  const staff = await k.stranger();
  try {
    const status = (await (
      await fetch(`${k.url}/api/call/${api.status.channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: '{}',
      })
    ).json()) as { value: { screen: { screen_id: string } } };
    const screenId = status.value.screen.screen_id;
    const { manager } = k.kiosk.demoStaff!;
    const ana = await staff.ok('staffSignIn', { staff_id: manager.staff_id, pin: manager.pin });
    await staff.ok('screenRevoke', { token: ana.token, screen_id: screenId, reason: 'stolen' });
    await sleep(200);
    const pushesBefore = watcher.pushes.length;
    for (let id = 1; id <= 5; id++) {
      thief.text(
        JSON.stringify({
          id,
          channel: api.createOrder.channel,
          request: { lines: [{ item_id: 'tea', quantity: id }] },
        }),
      );
      await sleep(100);
    }
    await sleep(800);
    const created = watcher.pushes.slice(pushesBefore).filter((e) => e.order.source === 'kiosk');
    console.log(
      `# after the revocation: ${created.length} orders created by the revoked screen; its socket ${thief.sock.destroyed ? 'closed' : 'still open'}`,
    );
    assert.equal(
      created.length,
      0,
      `orders made after the revocation: ${created.map((e) => e.order.order_id).join(', ')}`,
    );
    assert.ok(PUSH_ORDER_CHANGED);
  } finally {
    thief.sock.destroy();
    watcher.close();
    staff.close();
  }
});
