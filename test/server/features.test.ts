// Proves, on SQLite and on PostgreSQL, the settlement server's other powers end to end with
// real kiosks: regulator freezes of an account and of a payment (signed records, money held
// and released, declines, the kiosks told); enrolment with templates sealed to the server
// and delivered sealed to each kiosk of the merchant (and only those), and deletion that
// removes them everywhere but keeps the record; offline limits through the feed; the public
// receipt lookup with the entry's inclusion proof once its day is closed; the daily report.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { DeviceKey } from '../../ledger/keys/device-key.js';
import { fromHex, toHex } from '../../ledger/protocol/hex.js';
import { verifyInclusion } from '../../ledger/protocol/merkle.js';
import { addMerchant, addRegulatorKey, createToken, setLimits } from '../../ledger/server/admin.js';
import { FREEZE_DOMAIN, batchSignatureValid, freezeBytes, receiptInBatch } from '../../ledger/wire/signing.js';
import { seal } from '../../ledger/wire/sealed-box.js';
import type { FreezeRecord } from '../../ledger/wire/wire.js';
import { heldAccount, merchantAccount, walletAccount } from '../../ledger/server/context.js';
import { authorizeFacePayment } from '../../ledger/sync/offline-limits.js';
import type { SyncError } from '../../ledger/sync/http.js';
import {
  BACKENDS,
  MERCHANT,
  balance,
  checkBooks,
  counts,
  facePayment,
  fundedCustomer,
  kiosk,
  serverWithMerchant,
  storageFor,
  usePostgres,
} from '../helpers/settle.js';
import { topUp } from '../../ledger/server/admin.js';

const pg = usePostgres();

function freezeOrder(
  regulator: DeviceKey,
  action: 'freeze' | 'unfreeze',
  targetType: 'account' | 'payment',
  targetId: string,
): { record: FreezeRecord; signature: string } {
  const record: FreezeRecord = {
    v: 1,
    freeze_id: randomUUID(),
    action,
    target_type: targetType,
    target_id: targetId,
    reason: 'order 2026/17 of the financial regulator',
    issued_at_ms: Date.now(),
  };
  return { record, signature: toHex(regulator.signWithDomain(FREEZE_DOMAIN, freezeBytes(record))) };
}

async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

for (const backend of BACKENDS) {
  describe(`server features on ${backend}`, () => {
    it('freezes and unfreezes an account and a payment on a regulator-signed order, and tells the kiosks', async () => {
      const { server, s, token } = await serverWithMerchant(await storageFor(backend, pg));
      try {
        const regulator = DeviceKey.generate();
        await addRegulatorKey(s, regulator.publicKeyHex);
        await fundedCustomer(s, 'fay', 5_000);
        await fundedCustomer(s, 'gus', 5_000);
        const k = await kiosk(server.url, token);
        const gusPaid = k.store.append('payment', facePayment('gus', 1_200));
        await k.worker.syncOnce();

        // Orders not signed by a registered regulator key are refused; nothing stored.
        const before = await counts(s);
        const forged = freezeOrder(DeviceKey.generate(), 'freeze', 'account', walletAccount('fay'));
        const refused = await postJson(`${server.url}/v1/freezes`, forged);
        assert.equal(refused.status, 401);
        assert.equal((refused.body.error as { code: string }).code, 'SETTLE_BAD_SIGNATURE');
        assert.deepEqual(await counts(s), before);

        // Freeze fay's wallet: her next face payment is declined, and the kiosk learns of it.
        const order = freezeOrder(regulator, 'freeze', 'account', walletAccount('fay'));
        assert.deepEqual((await postJson(`${server.url}/v1/freezes`, order)).body, {
          freeze_id: order.record.freeze_id,
          frozen: true,
        });
        assert.equal(
          (await postJson(`${server.url}/v1/freezes`, order)).status,
          409,
          'the same order twice is a replay',
        );
        k.store.append('payment', facePayment('fay', 300));
        await k.worker.syncOnce();
        assert.equal(k.worker.state.receipt(2)?.reason, 'SETTLE_ACCOUNT_FROZEN');
        assert.equal(await balance(s, walletAccount('fay')), 5_000);
        const offline = authorizeFacePayment(k.worker.state, {
          customer_id: 'fay',
          amount_minor: 100,
          currency: 'EUR',
          now_ms: Date.now(),
        });
        assert.equal(offline.ok, false);
        assert.equal(!offline.ok && offline.code, 'OFFLINE_ACCOUNT_FROZEN');

        // Freeze gus's settled payment: its amount moves to the held account; a refund is declined.
        await postJson(`${server.url}/v1/freezes`, freezeOrder(regulator, 'freeze', 'payment', gusPaid.entry_hash));
        assert.equal(await balance(s, heldAccount(MERCHANT)), 1_200);
        assert.equal(await balance(s, merchantAccount(MERCHANT)), 0);
        k.store.append('refund', {
          payment_seq: gusPaid.entry.seq,
          amount_minor: 200,
          currency: 'EUR',
          reason: 'wrong order',
          approved_by: 'mgr',
        });
        await k.worker.syncOnce();
        assert.equal(k.worker.state.receipt(3)?.reason, 'SETTLE_PAYMENT_FROZEN');

        // Unfreeze both: money back, payments settle again, the kiosk forgets the freeze.
        await postJson(`${server.url}/v1/freezes`, freezeOrder(regulator, 'unfreeze', 'payment', gusPaid.entry_hash));
        await postJson(`${server.url}/v1/freezes`, freezeOrder(regulator, 'unfreeze', 'account', walletAccount('fay')));
        assert.equal(await balance(s, heldAccount(MERCHANT)), 0);
        assert.equal(await balance(s, merchantAccount(MERCHANT)), 1_200);
        k.store.append('payment', facePayment('fay', 300));
        await k.worker.syncOnce();
        assert.equal(k.worker.state.receipt(4)?.status, 'settled');
        assert.equal(k.worker.state.frozenReason('account', walletAccount('fay')), undefined);
        const records = await s.store.db.selectFrom('freezes').selectAll().execute();
        assert.equal(records.length, 4);
        for (const r of records) assert.equal(r.regulator_key, regulator.publicKeyHex);
        await checkBooks(s);
        await k.close();
      } finally {
        await server.close();
      }
    });

    it('enrols a customer with sealed templates, publishes them to the merchant kiosks only, and deletes them everywhere', async () => {
      const { server, s, token } = await serverWithMerchant(await storageFor(backend, pg));
      try {
        await addMerchant(s, 'm-other', 'Other', 'EUR');
        const otherToken = await createToken(s, 'm-other');
        const a = await kiosk(server.url, token);
        const b = await kiosk(server.url, token);
        const c = await kiosk(server.url, otherToken);
        const templates = new Uint8Array(randomBytes(2_048));
        const consent = {
          text_version: 'consent-v3',
          purpose: 'pay by face at Cafe',
          retention_days: 365,
          agreed_at_ms: Date.now(),
        };
        const enrolled = await a.worker.enrol('hana', templates, consent);
        assert.deepEqual(enrolled, { customer_id: 'hana', wallet_account_id: walletAccount('hana'), currency: 'EUR' });
        const stored = await s.store.db.selectFrom('templates').selectAll().executeTakeFirstOrThrow();
        assert.ok(
          !stored.sealed.includes(Buffer.from(templates.subarray(0, 24)).toString('base64').slice(0, 24)),
          'templates rest encrypted',
        );
        const consentRow = await s.store.db.selectFrom('consents').selectAll().executeTakeFirstOrThrow();
        assert.equal(consentRow.kiosk_id, a.kioskId);
        assert.equal(consentRow.text_version, 'consent-v3');

        await b.worker.pullFeed();
        await c.worker.pullFeed();
        const gallery = b.worker.state.gallery(b.boxKey.secret);
        assert.deepEqual(
          gallery.map((g) => g.customer_id),
          ['hana'],
        );
        assert.deepEqual(gallery[0]!.templates, templates);
        assert.deepEqual(c.worker.state.galleryIds(), [], 'another merchant never sees the templates');
        assert.deepEqual(b.worker.state.gallery(a.boxKey.secret), [], "kiosk B's copy opens only with kiosk B's key");

        // Sealed to a key that is not the server's: refused, nothing stored.
        const before = await counts(s);
        await assert.rejects(
          a.worker.http.enrol({
            customer_id: 'ivan',
            consent: { ...consent, kiosk_id: a.kioskId },
            templates: seal(templates, fromHex(a.boxKey.publicKeyHex, 32), 'ivan'),
          }),
          (err: SyncError) => err.serverCode === 'SETTLE_BAD_TEMPLATES',
        );
        assert.deepEqual(await counts(s), before);

        // The new wallet pays once topped up.
        await topUp(s, 'hana', 1_000, 'EUR');
        b.store.append('payment', facePayment('hana', 400));
        await b.worker.syncOnce();
        assert.equal(b.worker.state.receipt(1)?.status, 'settled');

        // Deletion: the server drops the templates and keeps the record; kiosks drop them at their next sync.
        await a.worker.http.deleteCustomer('hana', 'customer asked at the counter');
        assert.equal((await s.store.db.selectFrom('templates').selectAll().execute()).length, 0);
        const deletion = await s.store.db.selectFrom('deletions').selectAll().executeTakeFirstOrThrow();
        assert.equal(deletion.requested_by, `kiosk:${a.kioskId}`);
        await b.worker.pullFeed();
        assert.deepEqual(b.worker.state.galleryIds(), []);
        const fresh = await kiosk(server.url, token);
        await fresh.worker.pullFeed();
        assert.deepEqual(fresh.worker.state.galleryIds(), [], 'a kiosk joining later never receives deleted templates');
        await assert.rejects(
          a.worker.enrol('hana', templates, consent),
          (err: SyncError) => err.serverCode === 'SETTLE_CONFLICT',
        );
        await assert.rejects(
          c.worker.http.deleteCustomer('hana', 'not yours'),
          (err: SyncError) => err.serverCode === 'SETTLE_NOT_ALLOWED',
        );
        for (const k of [a, b, c, fresh]) await k.close();
      } finally {
        await server.close();
      }
    });

    it('sends offline limits through the feed, and answers the public receipt lookup with an inclusion proof once the day is closed', async () => {
      const { server, s, token } = await serverWithMerchant(await storageFor(backend, pg));
      try {
        await setLimits(s, MERCHANT, {
          currency: 'EUR',
          payment_minor_max: 2_000,
          customer_day_minor_max: 3_000,
          unsynced_age_ms_max: 3_600_000,
        });
        await fundedCustomer(s, 'ida', 10_000);
        const k = await kiosk(server.url, token);
        await k.worker.pullFeed();
        assert.deepEqual(k.worker.state.limits('EUR'), {
          payment_minor_max: 2_000,
          customer_day_minor_max: 3_000,
          unsynced_age_ms_max: 3_600_000,
        });

        const paid = [1, 2, 3, 4, 5].map((i) => k.store.append('payment', facePayment('ida', 100 * i)));
        await k.worker.syncOnce();
        const open = (await (await fetch(`${server.url}/v1/receipts/${paid[2]!.entry_hash}`)).json()) as {
          receipt: { receipt: { status: string } };
          inclusion: unknown;
        };
        assert.equal(open.receipt.receipt.status, 'settled');
        assert.equal(open.inclusion, null, 'no inclusion proof before the day is closed');

        const close = k.store.closeDay('2026-11-20', 'manager-1');
        await k.worker.syncOnce();
        const res = await fetch(`${server.url}/v1/receipts/${paid[2]!.entry_hash}`);
        assert.equal(res.status, 200);
        const found = (await res.json()) as {
          entry: { entry_hash: string };
          receipt: {
            receipt: { seq: number; status: string; entry_hash: string };
            leaf_index: number;
            proof: string[];
          };
          batch: { head: { root: string; tree_size: number }; signature: string };
          inclusion: { leaf_index: number; tree_size: number; root: string; proof: string[]; day_close_seq: number };
        };
        assert.equal(found.receipt.receipt.entry_hash, paid[2]!.entry_hash);
        assert.ok(batchSignatureValid(found.batch as never, s.keys.publicKeyHex));
        assert.ok(
          receiptInBatch(
            found.receipt.receipt as never,
            found.receipt.leaf_index,
            found.receipt.proof,
            found.batch as never,
          ),
        );
        assert.equal(found.inclusion.day_close_seq, close.entry.seq);
        assert.equal(close.entry.kind === 'day_close' && close.entry.body.merkle_root, found.inclusion.root);
        assert.ok(
          verifyInclusion(
            fromHex(paid[2]!.entry_hash, 32),
            found.inclusion.leaf_index,
            found.inclusion.tree_size,
            found.inclusion.proof.map((p) => fromHex(p, 32)),
            fromHex(found.inclusion.root, 32),
          ),
        );
        assert.equal((await fetch(`${server.url}/v1/receipts/${'0'.repeat(64)}`)).status, 404);
        assert.equal((await fetch(`${server.url}/v1/receipts/not-a-hash`)).status, 400);

        // The daily report, for the merchant's own token only.
        const day = new Date().toISOString().slice(0, 10);
        const report = (await (
          await fetch(`${server.url}/v1/merchants/${MERCHANT}/reports/${day}`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).json()) as {
          currencies: { payments_settled: number; payments_settled_minor: number; net_settled_minor: number }[];
          balance_minor: number;
        };
        assert.equal(report.currencies[0]!.payments_settled, 5);
        assert.equal(report.currencies[0]!.payments_settled_minor, 1_500);
        assert.equal(report.currencies[0]!.net_settled_minor, 1_500);
        assert.equal(report.balance_minor, 1_500);
        await addMerchant(s, 'm-nosy', 'Nosy', 'EUR');
        const nosy = await createToken(s, 'm-nosy');
        assert.equal(
          (
            await fetch(`${server.url}/v1/merchants/${MERCHANT}/reports/${day}`, {
              headers: { authorization: `Bearer ${nosy}` },
            })
          ).status,
          403,
        );
        await k.close();
      } finally {
        await server.close();
      }
    });
  });
}
