// Proves refused, for a kiosk reachable beyond loopback (LAN mode, for remote staff screens):
// binding beyond loopback without TLS or without an allow-list of host names (PINs and sign-in
// tokens crossed the shop's network in clear, and the Host check was skipped); a DNS-rebinding
// page (its own name in Host, and an Origin that matched that Host); a TLS client that has not
// pinned the kiosk's authority; and plain HTTP to the TLS port. With a real TLS client on
// loopback: the kiosk binds to 127.0.0.2 to stand in for its LAN address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { loadConfig } from '../../electron/config.js';
import { WS_PATH } from '../../electron/contract/api.js';
import { startHttp } from '../../electron/host/transport/http-server.js';
import { loadOrCreateKioskTls } from '../../electron/host/transport/tls-cert.js';
import { createLogger } from '../../electron/log.js';
import { tempDir } from '../helpers/tmp.js';
import { call, codeOf, openHostKiosk, raw } from './kiosk-host.js';

const LAN = { SMILE_HTTP_HOST: '127.0.0.2', SMILE_HTTP_TLS: '1', SMILE_HTTP_ALLOWED_HOSTS: 'kiosk.test,127.0.0.2' };

test('beyond loopback, a configuration without TLS or without allowed host names does not start', (t) => {
  const dir = tempDir(t);
  for (const env of [
    { SMILE_HTTP_HOST: '0.0.0.0' },
    { SMILE_HTTP_HOST: '127.0.0.2', SMILE_HTTP_ALLOWED_HOSTS: 'kiosk.test' },
    { SMILE_HTTP_HOST: '192.168.1.20', SMILE_HTTP_TLS: '1' },
  ])
    assert.throws(
      () => loadConfig({ env: { SMILE_DATA_DIR: dir, ...env } }),
      /is beyond loopback/,
      JSON.stringify(env),
    );
  assert.throws(
    () => loadConfig({ env: { SMILE_DATA_DIR: dir, ...LAN, SMILE_HTTP_ALLOWED_HOSTS: 'kiosk.test:8443' } }),
    /not a host name or address/,
  );
  // And the transport itself refuses, whoever calls it.
  return assert.rejects(
    startHttp({
      host: '127.0.0.2',
      port: 0,
      routes: {} as never,
      onOrderChanged: () => () => {},
      sessions: {} as never,
      pairing: {} as never,
      log: createLogger({ level: 'silent' }),
    }),
    /refusing to serve browser mode: http.host "127.0.0.2" is beyond loopback/,
  );
});

test('over TLS with the pinned authority a staff device signs in; unpinned clients and plain HTTP get nothing', async (t) => {
  const h = await openHostKiosk(t, { env: LAN });
  assert.match(h.url, /^https:\/\/kiosk\.test:\d+$/);
  const port = new URL(h.url).port;
  const ca = readFileSync(join(h.dir, 'tls-ca.pem'), 'utf8');
  assert.equal(new X509Certificate(ca).fingerprint256, h.kiosk.tlsAuthorityFingerprint);
  await h.kiosk.staff.add({ staff_id: 'ana', display_name: 'Ana', role: 'manager' }, '739154');
  const base = `https://127.0.0.2:${port}`;
  const pinned = { ca, servername: 'kiosk.test', headers: { host: `kiosk.test:${port}` } };
  const signed = await call(base, 'staffSignIn', { staff_id: 'ana', pin: '739154' }, pinned);
  assert.equal(codeOf(signed), 'ok');
  // The authority is served for setting a device up (it is public; its fingerprint is the check).
  const served = await raw(`${base}/tls/kiosk-ca.pem`, undefined, pinned);
  assert.equal(served.text, ca);
  assert.match(String(served.headers['strict-transport-security']), /max-age=/);
  // A client that has not pinned the kiosk's authority: the handshake fails, no PIN is sent.
  await assert.rejects(
    raw(`${base}/api/call/staff:list`, {}, { servername: 'kiosk.test' }),
    /self-signed|unable to verify|certificate/i,
  );
  const other = loadOrCreateKioskTls(tempDir(t), 'another-kiosk', ['kiosk.test']);
  await assert.rejects(
    raw(`${base}/api/call/staff:list`, {}, { ca: other.caCert, servername: 'kiosk.test' }),
    /certificate|verify/i,
  );
  // Plain HTTP to the TLS port: no answer from the API.
  const plain = await raw(`http://127.0.0.2:${port}/api/call/staff:list`, {}).catch((e: Error) => e);
  assert.ok(plain instanceof Error || plain.json === undefined, 'no JSON answer over plain HTTP');
});

test("a DNS-rebinding page is refused: its Host is not one of the names, and an Origin must be the kiosk's own", async (t) => {
  const h = await openHostKiosk(t, { env: LAN });
  const port = new URL(h.url).port;
  const ca = readFileSync(join(h.dir, 'tls-ca.pem'), 'utf8');
  const base = `https://127.0.0.2:${port}`;
  const at = (host: string, origin?: string) => ({
    ca,
    servername: 'kiosk.test',
    headers: { host, ...(origin ? { origin } : {}) },
  });
  // evil.example re-pointed at the kiosk's address: the browser sends its own name.
  const rebound = await raw(
    `${base}/api/call/staff:list`,
    {},
    at(`evil.example:${port}`, `https://evil.example:${port}`),
  );
  assert.equal(rebound.status, 421);
  assert.equal(codeOf(rebound.json as never), 'API_SENDER_REFUSED');
  assert.equal((await raw(`${base}/`, undefined, at(`evil.example:${port}`))).status, 421);
  // The right Host but another page's Origin, or the kiosk's name over the wrong scheme: refused.
  for (const origin of [`https://evil.example:${port}`, `http://kiosk.test:${port}`, `https://kiosk.test:1`])
    assert.equal((await raw(`${base}/api/call/staff:list`, {}, at(`kiosk.test:${port}`, origin))).status, 403, origin);
  assert.equal(
    (await raw(`${base}/api/call/staff:list`, {}, at(`kiosk.test:${port}`, `https://kiosk.test:${port}`))).status,
    200,
  );
  // The WebSocket: a foreign Origin never gets a socket; the kiosk's own does.
  const open = (origin: string) =>
    new Promise<string>((resolve) => {
      // ws passes TLS options on to https.request (ca, servername), which its types leave out.
      const tlsOptions = { ca, servername: 'kiosk.test' } as object;
      const ws = new WebSocket(`wss://127.0.0.2:${port}${WS_PATH}`, {
        ...tlsOptions,
        headers: { host: `kiosk.test:${port}`, origin },
      });
      ws.once('open', () => {
        ws.close();
        resolve('open');
      });
      ws.once('unexpected-response', (_req, res) => resolve(`HTTP ${res.statusCode}`));
      ws.once('error', (e) => resolve(e.message));
    });
  assert.equal(await open(`https://evil.example:${port}`), 'HTTP 403');
  assert.equal(await open(`https://kiosk.test:${port}`), 'open');
});

test('the certificate names the allowed hosts, is issued by the kiosk authority, and a change of names keeps the authority', (t) => {
  const dir = tempDir(t);
  const first = loadOrCreateKioskTls(dir, 'kiosk-1', ['kiosk.test', '192.168.1.20', 'fe80::1']);
  const leaf = new X509Certificate(first.cert);
  const ca = new X509Certificate(first.caCert);
  assert.equal(leaf.checkHost('kiosk.test'), 'kiosk.test');
  assert.equal(leaf.checkIP('192.168.1.20'), '192.168.1.20');
  assert.equal(leaf.checkIP('fe80::1'), 'fe80::1');
  assert.equal(leaf.checkHost('evil.example'), undefined);
  assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey));
  assert.equal(ca.ca, true);
  assert.equal(leaf.ca, false);
  assert.equal(
    loadOrCreateKioskTls(dir, 'kiosk-1', ['192.168.1.20', 'kiosk.test', 'fe80::1']).cert,
    first.cert,
    'kept',
  );
  const renamed = loadOrCreateKioskTls(dir, 'kiosk-1', ['kiosk.test', 'till-2.test']);
  assert.notEqual(renamed.cert, first.cert);
  assert.equal(renamed.caFingerprint256, first.caFingerprint256, 'staff devices keep their pin');
  assert.equal(new X509Certificate(renamed.cert).checkHost('till-2.test'), 'till-2.test');
});
