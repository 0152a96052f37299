// Proves (red team, finding 3) whether an anonymous client who read one receipt can hold every upload slot of the settlement server with unsigned bodies trickled in.
// The kiosk id is public: every receipt's public lookup (the receipt's QR code) names it. The
// server checks a kiosk's signed headers before reading the body (registered id, fresh time),
// but the signature itself covers the body's digest, so it is checked only once the whole body
// (up to SYNC_BODY_BYTES_MAX, 4 MiB) has arrived. An attacker with no key opens
// UPLOADS_IN_FLIGHT_MAX uploads with that kiosk id, a fresh timestamp and a garbage signature,
// declares a 4 MB body and sends a byte a second: each holds an upload slot until the request
// timeout (60 s), and every honest kiosk's upload meanwhile is answered 503 SETTLE_BUSY.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { UPLOADS_IN_FLIGHT_MAX } from '../../ledger/wire/limits.js';
import { facePayment, fundedCustomer, kiosk, serverWithMerchant, tempDir } from '../helpers/settle.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('unsigned uploads trickled in under a public kiosk id do not lock honest kiosks out of settlement', async () => {
  const { server, s, token } = await serverWithMerchant({ dataDir: tempDir() });
  const port = Number(new URL(server.url).port);
  const victim = await kiosk(server.url, token);
  const honest = await kiosk(server.url, token);
  const sockets: Socket[] = [];
  let trickle: NodeJS.Timeout | undefined;
  try {
    await fundedCustomer(s, 'alice', 10_000);
    // The attacker: the victim kiosk's id (from any receipt lookup), no key.
    const head =
      `POST /v1/entries HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
      `content-length: 4000000\r\nx-stp-kiosk-id: ${victim.kioskId}\r\nx-stp-timestamp-ms: ${Date.now()}\r\n` +
      `x-stp-nonce: ${'0'.repeat(32)}\r\nx-stp-signature: ${'0'.repeat(128)}\r\n\r\n{"entries": [`;
    const early: string[] = [];
    for (let i = 0; i < UPLOADS_IN_FLIGHT_MAX; i++) {
      const sock = connect(port, '127.0.0.1');
      sock.on('data', (d) => early.push(d.toString('latin1').slice(0, 40)));
      sock.on('error', () => undefined);
      sock.write(head);
      sockets.push(sock);
    }
    trickle = setInterval(() => {
      for (const sock of sockets) sock.write(' ');
    }, 1_000);
    await sleep(1_000);
    // An honest kiosk uploads one payment.
    honest.store.append('payment', facePayment('alice', 250));
    let code = 'none';
    try {
      await honest.worker.syncOnce();
      code = honest.worker.state.receipt(1)?.status ?? 'no receipt';
    } catch (err) {
      code = `${(err as { code?: string }).code}: ${(err as Error).message.slice(0, 160)}`;
    }
    console.log(
      `# ${early.length} of ${UPLOADS_IN_FLIGHT_MAX} attacking uploads answered early; the honest upload: ${code}`,
    );
    assert.equal(code, 'settled', 'the honest kiosk settled while the attacker trickled');
  } finally {
    clearInterval(trickle);
    for (const sock of sockets) sock.destroy();
    await victim.close();
    await honest.close();
    await server.close();
  }
});
