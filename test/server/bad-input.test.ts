// Proves, on SQLite and on PostgreSQL, that every bad request to the settlement server (a
// real server on loopback) gets its own clear error, {error: {code, message}} with the right
// status, and that nothing is stored: malformed JSON, wrong types, an extra field, a body
// over the limit, a foreign media type, a bad request signature, a stale or replayed
// request, an unknown kiosk, and entries that break the ledger's rules (a bad entry
// signature, a gap, a broken chain, a refund over its payment, bytes that are not canonical).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GENESIS_PREV_HASH } from '../../ledger/protocol/entry.js';
import { DeviceKey } from '../../ledger/keys/device-key.js';
import { signRequest } from '../../ledger/sync/http.js';
import { SYNC_BODY_BYTES_MAX } from '../../ledger/wire/limits.js';
import type { RunningServer } from '../../ledger/server/server.js';
import type { Services } from '../../ledger/server/context.js';
import {
  BACKENDS,
  cashPayment,
  counts,
  facePayment,
  fundedCustomer,
  handSigned,
  kiosk,
  serverWithMerchant,
  storageFor,
  usePostgres,
  wireOf,
  type TestKiosk,
} from '../helpers/settle.js';

const pg = usePostgres();

interface Answer {
  status: number;
  body: { error?: { code: string; message: string } } & Record<string, unknown>;
}

async function send(
  url: string,
  method: string,
  path: string,
  body: Uint8Array | undefined,
  headers: Record<string, string>,
): Promise<Answer> {
  const res = await fetch(url + path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body,
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

const enc = (v: unknown): Uint8Array => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));

for (const backend of BACKENDS) {
  describe(`bad input on ${backend}`, () => {
    let server: RunningServer;
    let s: Services;
    let k: TestKiosk;
    let before0: Record<string, number>;

    /** Signs `body` as the kiosk and posts it to /v1/entries. */
    const post = (body: Uint8Array, key: DeviceKey = k.key, kioskId: string = k.kioskId, ts = Date.now()) =>
      send(
        server.url,
        'POST',
        '/v1/entries',
        body,
        signRequest(key, kioskId, s.keys.publicKeyHex, 'POST', '/v1/entries', body, ts),
      );

    const expectRefused = async (answer: Promise<Answer>, status: number, code: string, message?: RegExp) => {
      const a = await answer;
      assert.equal(a.status, status, JSON.stringify(a.body));
      assert.equal(a.body.error?.code, code);
      assert.ok((a.body.error?.message.length ?? 0) > 10, 'the message says what was expected');
      if (message !== undefined) assert.match(a.body.error!.message, message);
      assert.deepEqual(await counts(s), before0, 'nothing stored');
    };

    before(async () => {
      const started = await serverWithMerchant(await storageFor(backend, pg));
      server = started.server;
      s = started.s;
      await fundedCustomer(s, 'erin', 10_000);
      k = await kiosk(server.url, started.token);
      k.store.append('payment', facePayment('erin', 1_000));
      await k.worker.syncOnce();
      before0 = await counts(s);
    });
    after(async () => {
      await k.close();
      await server.close();
    });

    it('refuses malformed JSON, wrong types, an extra field, a foreign media type and an unknown route', async () => {
      await expectRefused(post(enc('{"entries": [')), 400, 'SETTLE_BAD_JSON');
      await expectRefused(post(enc({ entries: 'all of them' })), 400, 'SETTLE_BAD_REQUEST', /entries/);
      await expectRefused(post(enc({ entries: [{ canonical: 5, signature: 'ab' }] })), 400, 'SETTLE_BAD_REQUEST');
      await expectRefused(post(enc({ entries: [], extra: true })), 400, 'SETTLE_BAD_REQUEST');
      const text = enc('entries');
      await expectRefused(
        send(server.url, 'POST', '/v1/entries', text, {
          ...signRequest(k.key, k.kioskId, s.keys.publicKeyHex, 'POST', '/v1/entries', text, Date.now()),
          'content-type': 'text/plain',
        }),
        415,
        'SETTLE_UNSUPPORTED_MEDIA',
      );
      await expectRefused(send(server.url, 'GET', '/v1/nothing-here', undefined, {}), 404, 'SETTLE_ROUTE_NOT_FOUND');
    });

    it('refuses a body over the limit with 413', async () => {
      const big = enc({ entries: [{ canonical: 'A'.repeat(SYNC_BODY_BYTES_MAX), signature: '0'.repeat(128) }] });
      await expectRefused(post(big), 413, 'SETTLE_BODY_TOO_LARGE');
    });

    it('refuses a bad request signature, a stale request, a replayed request and an unknown kiosk', async () => {
      k.store.append('payment', facePayment('erin', 100));
      const body = enc({ entries: wireOf(k, 2, 2) });
      await expectRefused(post(body, DeviceKey.generate()), 401, 'SETTLE_BAD_SIGNATURE');
      await expectRefused(post(body, k.key, k.kioskId, Date.now() - 10 * 60_000), 401, 'SETTLE_REQUEST_STALE');
      await expectRefused(post(body, k.key, 'kiosk-nobody-knows'), 401, 'SETTLE_UNKNOWN_KIOSK');
      await expectRefused(send(server.url, 'POST', '/v1/entries', body, {}), 401, 'SETTLE_UNAUTHENTICATED');
      // The same signed request twice: the first is served, the second refused.
      const headers = signRequest(k.key, k.kioskId, s.keys.publicKeyHex, 'POST', '/v1/entries', body, Date.now());
      const first = await send(server.url, 'POST', '/v1/entries', body, headers);
      assert.equal(first.status, 200);
      before0 = await counts(s);
      await expectRefused(send(server.url, 'POST', '/v1/entries', body, headers), 409, 'SETTLE_REQUEST_REPLAYED');
      // A signed request whose body was changed on the way.
      const other = enc({ entries: wireOf(k, 1, 1) });
      await expectRefused(send(server.url, 'POST', '/v1/entries', other, headers), 401, 'SETTLE_BAD_SIGNATURE');
      await k.worker.syncOnce();
      before0 = await counts(s);
    });

    it('refuses entries that break the ledger rules, naming the entry and the rule', async () => {
      const tip = k.store.tip();
      // An entry signed by another key.
      const forged = handSigned(
        DeviceKey.generate(),
        k.kioskId,
        tip.seq + 1,
        tip.entry_hash,
        'payment',
        cashPayment(100),
      );
      await expectRefused(
        post(enc({ entries: [forged.wire] })),
        422,
        'LEDGER_BAD_SIGNATURE',
        new RegExp(`entry ${tip.seq + 1}`),
      );
      // A gap: seq tip+2 while the server holds tip.
      const gap = handSigned(k.key, k.kioskId, tip.seq + 2, tip.entry_hash, 'payment', cashPayment(100));
      await expectRefused(
        post(enc({ entries: [gap.wire] })),
        409,
        'LEDGER_SEQ_GAP',
        new RegExp(`expected seq ${tip.seq + 1}`),
      );
      // A broken chain.
      const broken = handSigned(k.key, k.kioskId, tip.seq + 1, GENESIS_PREV_HASH, 'payment', cashPayment(100));
      await expectRefused(post(enc({ entries: [broken.wire] })), 422, 'LEDGER_CHAIN_BROKEN');
      // A refund over its payment (entry 1 paid 1,000).
      const refund = handSigned(k.key, k.kioskId, tip.seq + 1, tip.entry_hash, 'refund', {
        payment_seq: 1,
        amount_minor: 1_001,
        currency: 'EUR',
        reason: 'too much',
        approved_by: 'mgr',
      });
      await expectRefused(
        post(enc({ entries: [refund.wire] })),
        422,
        'LEDGER_REFUND_EXCEEDS_PAYMENT',
        /exceeds the 1000 left/,
      );
      // Good entries first, then a bad one: the whole batch is refused, the good ones too.
      const good = handSigned(k.key, k.kioskId, tip.seq + 1, tip.entry_hash, 'payment', facePayment('erin', 100));
      const bad = handSigned(k.key, k.kioskId, tip.seq + 2, good.hash, 'refund', {
        payment_seq: tip.seq + 1,
        amount_minor: 101,
        currency: 'EUR',
        reason: 'too much',
        approved_by: 'mgr',
      });
      await expectRefused(post(enc({ entries: [good.wire, bad.wire] })), 422, 'LEDGER_REFUND_EXCEEDS_PAYMENT');
      // Bytes that are JSON but not the canonical form, and an amount that is not an integer.
      const loose = Buffer.from(JSON.stringify({ ...good.entry }, null, 1)).toString('base64');
      await expectRefused(
        post(enc({ entries: [{ canonical: loose, signature: good.wire.signature }] })),
        422,
        'LEDGER_NOT_CANONICAL',
      );
      const fractional = handSigned(k.key, k.kioskId, tip.seq + 1, tip.entry_hash, 'payment', {
        ...cashPayment(1),
        amount_minor: 12.5,
      });
      await expectRefused(post(enc({ entries: [fractional.wire] })), 422, 'LEDGER_ENTRY_INVALID', /amount_minor/);
      // Entries out of order within one batch.
      await expectRefused(post(enc({ entries: [good.wire, good.wire] })), 400, 'SETTLE_BATCH_NOT_CONSECUTIVE');
    });
  });

  describe(`internal errors on ${backend}`, () => {
    it('answers a 500 that hides the internals', async () => {
      const started = await serverWithMerchant(await storageFor(backend, pg));
      try {
        await started.s.store.db.destroy(); // the database goes away under the server
        const res = await fetch(`${started.server.url}/v1/receipts/${'a'.repeat(64)}`);
        assert.equal(res.status, 500);
        assert.deepEqual(await res.json(), {
          error: { code: 'SETTLE_INTERNAL', message: 'internal error; the operator has the details in the server log' },
        });
      } finally {
        await started.server.app.close();
        await started.s.verify.close();
      }
    });
  });
}
