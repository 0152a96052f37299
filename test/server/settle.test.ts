// Proves, on SQLite and on a real PostgreSQL alike, that the settlement server registers a
// kiosk by merchant token, verifies and settles uploaded entries into wallets and merchant
// accounts with balanced double-entry books, answers signed per-entry receipts (settled, or
// declined with the reason), gives the same receipts and moves nothing when the same
// entries come again, and refuses a fork while recording it as an alarm.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { GENESIS_PREV_HASH } from '../../ledger/protocol/entry.js';
import { canonicalBytes } from '../../ledger/protocol/canonical.js';
import type { SyncError } from '../../ledger/sync/http.js';
import { listAlarms } from '../../ledger/server/admin.js';
import { batchSignatureValid, receiptInBatch, wholeBatch } from '../../ledger/wire/signing.js';
import { merchantAccount, walletAccount } from '../../ledger/server/context.js';
import {
  BACKENDS,
  MERCHANT,
  balance,
  checkBooks,
  counts,
  facePayment,
  cashPayment,
  fundedCustomer,
  handSigned,
  kiosk,
  wireOf,
  serverWithMerchant,
  storageFor,
  usePostgres,
} from '../helpers/settle.js';

const pg = usePostgres();

for (const backend of BACKENDS) {
  describe(`settlement on ${backend}`, () => {
    it('settles face payments from prepaid wallets, declines what it must, and signs a receipt per entry', async () => {
      const { server, s, token } = await serverWithMerchant(await storageFor(backend, pg));
      try {
        await fundedCustomer(s, 'alice', 10_000);
        await fundedCustomer(s, 'bob', 100);
        const k = await kiosk(server.url, token);
        const paid = k.store.append('payment', facePayment('alice', 1_250));
        k.store.append('payment', facePayment('bob', 500)); // bob has 1.00
        k.store.append('payment', facePayment('nobody', 100));
        k.store.append('payment', cashPayment(700));
        k.store.append('refund', {
          payment_seq: paid.entry.seq,
          amount_minor: 250,
          currency: 'EUR',
          reason: 'cold soup',
          approved_by: 'manager-1',
        });
        const report = await k.worker.syncOnce();
        assert.equal(report.uploaded, 5);
        const status = [1, 2, 3, 4, 5].map((seq) => k.worker.state.receipt(seq));
        assert.deepEqual(
          status.map((r) => [r?.status, r?.reason]),
          [
            ['settled', null],
            ['declined', 'SETTLE_INSUFFICIENT_FUNDS'],
            ['declined', 'SETTLE_UNKNOWN_CUSTOMER'],
            ['recorded', null],
            ['settled', null],
          ],
        );
        assert.deepEqual(
          k.worker.state.declined().map((d) => d.seq),
          [2, 3],
        );
        assert.equal(await balance(s, walletAccount('alice')), 10_000 - 1_250 + 250);
        assert.equal(await balance(s, walletAccount('bob')), 100);
        assert.equal(await balance(s, merchantAccount(MERCHANT)), 1_000);
        await checkBooks(s);
        await k.close();
      } finally {
        await server.close();
      }
    });

    it('answers a repeated upload with the very same receipts and moves no money twice', async () => {
      const { server, s, token } = await serverWithMerchant(await storageFor(backend, pg));
      try {
        await fundedCustomer(s, 'carol', 5_000);
        const k = await kiosk(server.url, token);
        for (let i = 0; i < 5; i++) k.store.append('payment', facePayment('carol', 100));
        const wire = wireOf(k, 1, 5);
        const first = await k.worker.http.upload(wire);
        const before = await counts(s);
        const again = await k.worker.http.upload(wire);
        // The same receipts, byte for byte, and the same signed batch; a replay adds each receipt's proof.
        const bare = (items: typeof first.receipts) =>
          items.map(({ receipt, batch_id, leaf_index }) => ({ receipt, batch_id, leaf_index }));
        assert.deepEqual(bare(again.receipts), bare(first.receipts));
        assert.deepEqual(again.batches, first.batches);
        assert.deepEqual(await counts(s), before);
        // A batch that overlaps what is held and adds new entries: old receipts as before, new ones settled.
        k.store.append('payment', facePayment('carol', 100));
        const overlap = wireOf(k, 4, 6);
        const third = await k.worker.http.upload(overlap);
        assert.deepEqual(bare(third.receipts.slice(0, 2)), bare(first.receipts.slice(3)));
        assert.equal(third.receipts[2]!.receipt.status, 'settled');
        for (const b of third.batches) assert.ok(batchSignatureValid(b, s.keys.publicKeyHex));
        for (const r of third.receipts.slice(0, 2))
          assert.ok(
            receiptInBatch(
              r.receipt,
              r.leaf_index,
              r.proof!,
              third.batches.find((b) => b.head.batch_id === r.batch_id)!,
            ),
          );
        assert.ok(
          wholeBatch(
            [canonicalBytes(third.receipts[2]!.receipt)],
            third.batches.find((b) => b.head.batch_id === third.receipts[2]!.batch_id)!,
          ),
        );
        assert.equal(await balance(s, walletAccount('carol')), 5_000 - 600);
        await checkBooks(s);
        await k.close();
      } finally {
        await server.close();
      }
    });

    it('refuses a fork (another signed entry under an accepted seq), stores nothing, and raises an alarm', async () => {
      const { server, s, token } = await serverWithMerchant(await storageFor(backend, pg));
      try {
        await fundedCustomer(s, 'dave', 5_000);
        const k = await kiosk(server.url, token);
        k.store.append('payment', facePayment('dave', 100));
        k.store.append('payment', facePayment('dave', 200));
        await k.worker.syncOnce();
        const before = await counts(s);
        const forked = handSigned(
          k.key,
          k.kioskId,
          2,
          k.store.get(1)!.entry_hash,
          'payment',
          facePayment('dave', 4_000),
        );
        await assert.rejects(
          k.worker.http.upload([forked.wire]),
          (err: SyncError) => err.code === 'SYNC_FORK_DETECTED' && err.status === 409 && /entry 2/.test(err.message),
        );
        assert.deepEqual(await counts(s), before);
        const alarms = await listAlarms(s);
        assert.equal(alarms.length, 1);
        assert.equal(alarms[0]!.kind, 'fork');
        assert.equal(alarms[0]!.kiosk_id, k.kioskId);
        assert.equal(alarms[0]!.seq, 2);
        assert.match(alarms[0]!.detail, new RegExp(forked.hash));
        await k.close();
      } finally {
        await server.close();
      }
    });

    it('keeps the books balanced and posts each entry once, whatever the payments and however often a batch is retried (property)', async () => {
      const { server, s, token } = await serverWithMerchant(await storageFor(backend, pg));
      try {
        const k = await kiosk(server.url, token, { batchEntriesMax: 7 });
        const customers = ['c0', 'c1', 'c2'];
        for (const [i, c] of customers.entries()) await fundedCustomer(s, c, i * 1_500);
        let seq = 0;
        await fc.assert(
          fc.asyncProperty(
            fc.array(
              fc.record({
                customer: fc.constantFrom(...customers),
                amount: fc.integer({ min: 1, max: 900 }),
                refund: fc.boolean(),
                retries: fc.integer({ min: 0, max: 2 }),
              }),
              { minLength: 1, maxLength: 12 },
            ),
            async (ops) => {
              const expected = new Map<string, number>();
              for (const c of customers) expected.set(c, await balance(s, walletAccount(c)));
              for (const op of ops) {
                const p = k.store.append('payment', facePayment(op.customer, op.amount));
                seq = p.entry.seq;
                if (op.refund)
                  k.store.append('refund', {
                    payment_seq: seq,
                    amount_minor: Math.ceil(op.amount / 2),
                    currency: 'EUR',
                    reason: 'test',
                    approved_by: 'mgr',
                  });
              }
              const first = k.worker.state.syncedSeq() + 1;
              await k.worker.uploadPending();
              // Retry random windows of already settled entries: same receipts, no money moves.
              const held = k.worker.state.tipSeq();
              const before = await counts(s);
              for (const op of ops) {
                for (let r = 0; r < op.retries; r++) {
                  const from = first + ((op.amount * (r + 1)) % Math.max(1, held - first + 1));
                  const to = Math.min(held, from + 5);
                  const res = await k.worker.http.upload(wireOf(k, from, to));
                  assert.deepEqual(
                    res.receipts.map((x) => x.receipt.seq),
                    Array.from({ length: to - from + 1 }, (_, i) => from + i),
                  );
                }
              }
              assert.deepEqual(await counts(s), before);
              for (let q = first; q <= held; q++) {
                const r = k.worker.state.receipt(q)!;
                const e = k.store.get(q)!.entry;
                if (e.kind === 'payment' && r.status === 'settled')
                  expected.set(e.body.customer_id!, expected.get(e.body.customer_id!)! - e.body.amount_minor);
                if (e.kind === 'refund' && r.status === 'settled') {
                  const p = k.store.get(e.body.payment_seq)!.entry;
                  assert.equal(p.kind, 'payment');
                  if (p.kind === 'payment')
                    expected.set(p.body.customer_id!, expected.get(p.body.customer_id!)! + e.body.amount_minor);
                }
                if (e.kind === 'payment' && r.status === 'declined')
                  assert.equal(r.reason, 'SETTLE_INSUFFICIENT_FUNDS');
              }
              for (const c of customers) {
                const b = await balance(s, walletAccount(c));
                assert.equal(b, expected.get(c));
                assert.ok(b >= 0, `wallet ${c} never goes below zero`);
              }
              await checkBooks(s);
            },
          ),
          { numRuns: 12 },
        );
        await k.close();
      } finally {
        await server.close();
      }
    });

    it('settles concurrent uploads from several kiosks against shared wallets without overdrawing one', async () => {
      const { server, s, token } = await serverWithMerchant(await storageFor(backend, pg));
      try {
        const customers = ['w0', 'w1', 'w2'];
        for (const c of customers) await fundedCustomer(s, c, 3_000);
        const kiosks = await Promise.all([0, 1, 2, 3].map(() => kiosk(server.url, token, { batchEntriesMax: 10 })));
        kiosks.forEach((k, i) => {
          for (let n = 0; n < 60; n++)
            k.store.append('payment', facePayment(customers[(n + i) % 3]!, 40 + ((n * 7 + i) % 50)));
        });
        await Promise.all(kiosks.map((k) => k.worker.uploadPending()));
        const spent = new Map<string, number>();
        for (const k of kiosks) {
          for (let seq = 1; seq <= 60; seq++) {
            const e = k.store.get(seq)!.entry;
            const r = k.worker.state.receipt(seq)!;
            if (e.kind === 'payment' && r.status === 'settled')
              spent.set(e.body.customer_id!, (spent.get(e.body.customer_id!) ?? 0) + e.body.amount_minor);
            if (r.status === 'declined') assert.equal(r.reason, 'SETTLE_INSUFFICIENT_FUNDS');
          }
        }
        for (const c of customers) {
          assert.equal(await balance(s, walletAccount(c)), 3_000 - (spent.get(c) ?? 0));
          assert.ok((spent.get(c) ?? 0) <= 3_000);
        }
        await checkBooks(s);
        for (const k of kiosks) await k.close();
      } finally {
        await server.close();
      }
    });

    it('refuses a registration with an unknown token, and another key under a registered kiosk id', async () => {
      const { server, s, token } = await serverWithMerchant(await storageFor(backend, pg));
      try {
        await assert.rejects(
          kiosk(server.url, `stp1.${'x'.repeat(43)}.${s.keys.fingerprint}`),
          (err: SyncError) => err.serverCode === 'SETTLE_BAD_TOKEN' && err.status === 401,
        );
        const k = await kiosk(server.url, token, { kioskId: 'kiosk-a' });
        await k.worker.register(token); // the same keys again: harmless
        await assert.rejects(
          kiosk(server.url, token, { kioskId: 'kiosk-a' }),
          (err: SyncError) => err.serverCode === 'SETTLE_KIOSK_EXISTS' && err.status === 409,
        );
        const genesis = handSigned(k.key, 'kiosk-a', 1, GENESIS_PREV_HASH, 'payment', cashPayment(100));
        const res = await k.worker.http.upload([genesis.wire]);
        assert.equal(res.receipts[0]!.receipt.status, 'recorded');
        await k.close();
      } finally {
        await server.close();
      }
    });
  });
}
