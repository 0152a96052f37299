// Proves that every call is routed to a handler of the service of its domain, and no handler
// sits in another domain's service (checked by the compiler, and again at start); and that both
// browser-mode transports (POST /api/call/<channel> and the WebSocket) carry the same answers
// as the dispatcher makes them: a bad request is API_BAD_REQUEST naming the
// field that failed (in the message and as details.field), and a refused staff sign-in carries
// its structured values (details.tries_left, then details.locked_until_ms and locked_for_ms)
// so that no screen reads them out of the English message. A real kiosk on loopback, a real
// staff directory with scrypt PINs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../electron/config.js';
import { createLogger } from '../../electron/log.js';
import { openKiosk, type Kiosk } from '../../electron/host/kiosk.js';
import { LOCKOUT_MS, SIGN_IN_FAILURES_MAX } from '../../electron/host/staff/directory.js';
import {
  api,
  DOMAINS,
  HTTP_API_PREFIX,
  type ApiResult,
  type CallName,
  type RequestOf,
} from '../../electron/contract/api.js';
import { routeCalls, strayHandlers, type DomainService, type Services } from '../../electron/host/transport/routes.js';
import { pairWithLink, WsClient } from '../helpers/kiosk-client.js';

let dir: string;
let kiosk: Kiosk;
let ws: WsClient;
/** The customer's calls are a paired screen's: both transports call as one (pairing.ts). */
let cookie: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smile-transport-'));
  const config = loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0' } });
  kiosk = await openKiosk({ config, log: createLogger({ level: 'silent' }), demo: false });
  await kiosk.staff.add({ staff_id: 'ana', display_name: 'Ana', role: 'manager' }, '482615');
  cookie = await pairWithLink(kiosk.pairingLink());
  ws = await WsClient.connect(kiosk.http!.url, { cookie });
});

after(async () => {
  ws?.close();
  await kiosk?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('every call has a handler, in the service of its domain, and every handler is a call', () => {
  const services: Services = kiosk.services;
  assert.deepEqual(Object.keys(services).sort(), Object.keys(DOMAINS).sort(), 'one service per domain');
  const routes = routeCalls(services);
  assert.deepEqual(Object.keys(routes).sort(), Object.keys(api).sort());
  for (const name of Object.keys(api) as CallName[]) assert.equal(typeof routes[name], 'function', name);
  assert.deepEqual(strayHandlers(services), [], 'no service has a handler of another domain');

  // A handler left in the wrong service (as the payment service once held the team's), or one
  // missing, stops the kiosk at start; the compiler refuses both before that (below).
  const payment = Object.assign(Object.create(services.payment) as Services['payment'], { teamAdd: () => null });
  assert.throws(() => routeCalls({ ...services, payment } as Services), /payment\.teamAdd \(a team call\)/);
  assert.throws(
    () => routeCalls({ ...services, signIn: { staffList: () => ({ staff: [] }) } } as unknown as Services),
    /the signIn service has no handler for staffSignIn/,
  );
  // @ts-expect-error a service without a handler for one of its calls does not compile
  const incomplete: DomainService<'signIn'> = { staffList: () => ({ staff: [] }) };
  // @ts-expect-error nor does a kiosk without a service for a domain
  const partial: Services = { ...services, board: undefined };
  void [incomplete, partial];
});

/** A call over HTTP, as a script or another device would make it (the raw body, unchecked). */
async function http(name: CallName, body: unknown): Promise<ApiResult<unknown>> {
  const res = await fetch(`${kiosk.http!.url}${HTTP_API_PREFIX}${api[name].channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(body),
  });
  return (await res.json()) as ApiResult<unknown>;
}
const wsRaw = (name: CallName, body: unknown): Promise<ApiResult<unknown>> =>
  ws.call(name, body as RequestOf<typeof name>);

test('a bad request is API_BAD_REQUEST naming its field, over HTTP and over the WebSocket', async () => {
  const cases: [CallName, unknown, string][] = [
    ['staffSignIn', { staff_id: 'ana', pin: 'abcd' }, 'pin'],
    ['createOrder', { lines: [{ item_id: 'ramen', quantity: 1.5 }] }, 'lines.0.quantity'],
    ['receipt', {}, 'seq'],
  ];
  for (const send of [http, wsRaw]) {
    for (const [name, body, field] of cases) {
      const r = await send(name, body);
      assert.ok(!r.ok, `${name} accepted ${JSON.stringify(body)}`);
      assert.equal(r.error.code, 'API_BAD_REQUEST');
      assert.equal(r.error.details?.field, field, `${send === http ? 'HTTP' : 'WebSocket'} ${name}`);
      assert.ok(r.error.message.startsWith(`${api[name].channel}: ${field}: `), r.error.message);
    }
  }
});

test('wrong PINs carry the tries left, and the lock-out its end, over both transports', async () => {
  const tries: number[] = [];
  for (let i = 1; i < SIGN_IN_FAILURES_MAX; i++) {
    const r = await (i % 2 === 1 ? http : wsRaw)('staffSignIn', { staff_id: 'ana', pin: '0000' });
    assert.ok(!r.ok && r.error.code === 'STAFF_PIN_WRONG', JSON.stringify(r));
    tries.push(r.error.details!.tries_left!);
  }
  assert.deepEqual(
    tries,
    Array.from({ length: SIGN_IN_FAILURES_MAX - 1 }, (_, i) => SIGN_IN_FAILURES_MAX - 1 - i),
  );

  const before = Date.now();
  const locking = await wsRaw('staffSignIn', { staff_id: 'ana', pin: '0000' });
  assert.ok(!locking.ok && locking.error.code === 'STAFF_LOCKED');
  // The lock starts when the attempt is counted (before its PIN is hashed); what is left of it
  // is counted when the host answers.
  const lockedFor = locking.error.details!.locked_for_ms!;
  assert.ok(lockedFor <= LOCKOUT_MS && lockedFor > LOCKOUT_MS - 5_000, `locked for ${lockedFor} ms`);
  const until = locking.error.details!.locked_until_ms!;
  assert.ok(until >= before + LOCKOUT_MS && until <= Date.now() + LOCKOUT_MS, `locked until ${until}`);
  assert.equal(locking.error.details?.tries_left, undefined);

  // The right PIN while locked: the same end, and how long is left of it.
  const locked = await http('staffSignIn', { staff_id: 'ana', pin: '482615' });
  assert.ok(!locked.ok && locked.error.code === 'STAFF_LOCKED');
  assert.equal(locked.error.details?.locked_until_ms, until);
  const left = locked.error.details!.locked_for_ms!;
  assert.ok(left > 0 && left <= LOCKOUT_MS, `locked for ${left} ms`);

  // Errors without values carry no details at all.
  const unknown = await http('staffSignIn', { staff_id: 'nobody', pin: '482615' });
  assert.ok(!unknown.ok && unknown.error.code === 'STAFF_UNKNOWN');
  assert.equal('details' in unknown.error, false);
});
