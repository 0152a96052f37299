// Proves refused: a lone UTF-16 surrogate ("\ud800", valid JSON but not text) in any string
// field of any call, which passed the schemas and failed later, inside the ledger's canonical
// encoding of a signed entry, as an internal error. Now every string field of every request
// is refused at the edge with API_BAD_REQUEST naming the field, over HTTP and the WebSocket,
// and nothing is written. A real kiosk on loopback with its real ledger file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { api, type ApiResult, type CallName } from '../../electron/contract/api.js';
import { WsClient } from '../helpers/kiosk-client.js';
import { SAMPLES, stringPaths, withLeaf } from './call-samples.js';
import { call, codeOf, openHostKiosk, pairScreen, rowCount } from './kiosk-host.js';

// Written as JSON escapes, so that the body on the wire carries the lone surrogate itself.
const LONE = ['\uD800', 'a\uDFFFb', 'x\uDBFF'];

test('every sample request is accepted by its schema (the mutations below start from valid requests)', () => {
  for (const name of Object.keys(api) as CallName[]) {
    const r = api[name].request.safeParse(SAMPLES[name]);
    assert.ok(
      r.success,
      `${name}: ${r.success ? '' : r.error.issues.map((i) => i.path.join('.') + ' ' + i.message).join('; ')}`,
    );
  }
});

test('a lone surrogate in any string field of any call is API_BAD_REQUEST, naming the field, on both transports', async (t) => {
  const h = await openHostKiosk(t);
  // From a paired customer screen: an unpaired page's customer calls are refused before their
  // schema (SCREEN_NOT_PAIRED).
  const cookie = await pairScreen(h);
  const ws = await WsClient.connect(h.url, { cookie });
  t.after(() => ws.close());
  let checked = 0;
  for (const name of Object.keys(api) as CallName[]) {
    for (const path of stringPaths(SAMPLES[name])) {
      for (const [i, bad] of LONE.entries()) {
        const body = withLeaf(SAMPLES[name], path, bad);
        const r: ApiResult<unknown> =
          i % 2 === 0 ? await call(h.url, name, body, { cookie }) : await ws.call(name, body as never);
        assert.equal(codeOf(r), 'API_BAD_REQUEST', `${name} ${path.join('.')}: ${JSON.stringify(r)}`);
        if (!r.ok) assert.equal(r.error.details?.field, path.join('.'), name);
        checked++;
      }
    }
  }
  assert.ok(checked > 100, `${checked} fields checked`);
});

test("a refund's reason with a lone surrogate, from a signed-in cashier: refused at the edge, nothing in the ledger", async (t) => {
  const h = await openHostKiosk(t);
  await h.kiosk.staff.add({ staff_id: 'ana', display_name: 'Ana', role: 'manager' }, '739154');
  const ana = (await h.kiosk.staff.signIn('ana', '739154')).token;
  const order = await call<{ order_id: string }>(h.url, 'sendOrder', {
    token: ana,
    lines: [{ item_id: 'tea', quantity: 1 }],
  });
  assert.ok(order.ok);
  const paid = await call<{ entry: { seq: number } }>(h.url, 'payOrder', {
    token: ana,
    order_id: order.value.order_id,
    method: 'cash',
  });
  assert.ok(paid.ok);
  const before = rowCount(join(h.dir, 'ledger.db'), 'entries');
  for (const [name, body] of [
    ['refund', { token: ana, payment_seq: paid.value.entry.seq, amount_minor: 100, reason: 'cold \uD800' }],
    ['voidPayment', { token: ana, payment_seq: paid.value.entry.seq, reason: '\uDC00' }],
    ['setSetting', { token: ana, key: 'refund_cashier_max_minor', value: 1_000, reason: 'x\uD800' }],
    ['leaveKioskMode', { token: ana, pin: '739154', reason: '\uD800' }],
  ] as const) {
    const r = await call(h.url, name, body);
    assert.equal(codeOf(r), 'API_BAD_REQUEST', `${name}: ${JSON.stringify(r)}`);
  }
  assert.equal(rowCount(join(h.dir, 'ledger.db'), 'entries'), before);
  // The same with real characters goes through (a surrogate pair is one character: 🍜).
  assert.equal(
    codeOf(
      await call(h.url, 'refund', {
        token: ana,
        payment_seq: paid.value.entry.seq,
        amount_minor: 100,
        reason: 'cold 🍜',
      }),
    ),
    'ok',
  );
});
