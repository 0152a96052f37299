// Proves that a connection reset before any answer (a kept-alive socket the settlement server had just closed) costs the kiosk nothing: the request is signed afresh and sent once more; a server that resets every time is unreachable after two tries.
// A real HTTP server on loopback that resets (TCP RST) the connections it is told to, after
// reading the request, as a server whose keep-alive timer fired while the request was on its way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeviceKey } from '../../ledger/keys/device-key.js';
import { CONNECTION_RESET_ATTEMPTS_MAX, SettleHttp, SyncError } from '../../ledger/sync/http.js';
import { HEADER_NONCE } from '../../ledger/wire/signing.js';

async function resettingServer(resets: number): Promise<{ url: string; seen: IncomingMessage[]; close(): void }> {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    req.resume();
    req.on('end', () => {
      if (seen.length <= resets) req.socket.resetAndDestroy();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => server.close() };
}

const client = (url: string): SettleHttp =>
  new SettleHttp({ baseUrl: url, kioskId: 'k-reset', key: DeviceKey.generate(), serverId: () => 'ab'.repeat(32) });

test('one reset: the signed request goes again with a new nonce, and its answer is taken', async () => {
  const s = await resettingServer(1);
  try {
    const answer = await client(s.url).request<{ ok: boolean }>('POST', '/v1/customers', { customer_id: 'c-1' });
    assert.deepEqual(answer, { ok: true });
    assert.equal(s.seen.length, 2);
    const nonces = s.seen.map((r) => r.headers[HEADER_NONCE]);
    assert.ok(nonces[0] && nonces[1] && nonces[0] !== nonces[1], `a nonce is sent once: ${nonces.join(' ')}`);
  } finally {
    s.close();
  }
});

test('a server that resets every connection: unreachable after two tries, and retryable for the worker', async () => {
  const s = await resettingServer(Infinity);
  try {
    await assert.rejects(client(s.url).request('POST', '/v1/customers', { customer_id: 'c-1' }), (err: unknown) => {
      assert.ok(err instanceof SyncError);
      assert.equal(err.code, 'SYNC_SERVER_UNREACHABLE');
      assert.ok(err.retryable);
      assert.match(err.message, /ECONNRESET|UND_ERR_SOCKET|other side closed/);
      return true;
    });
    assert.equal(s.seen.length, CONNECTION_RESET_ATTEMPTS_MAX);
  } finally {
    s.close();
  }
});
