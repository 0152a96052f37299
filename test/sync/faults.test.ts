// Proves, on SQLite and on PostgreSQL, with the settlement server as a real child process on
// loopback: (1) killed with SIGKILL in the middle of a batch (inside its database
// transaction) and restarted, nothing is half-applied, the kiosk resumes on its own, every
// entry is settled exactly once and the balances match the entries; (2) with the server
// down for a while, the kiosk keeps taking payments within its offline limits, queues them,
// and catches up when the server is back.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { openServices, closeServices } from '../../ledger/server/server.js';
import { addCustomer, addMerchant, createToken, topUp } from '../../ledger/server/admin.js';
import type { Services } from '../../ledger/server/context.js';
import { walletAccount } from '../../ledger/server/context.js';
import { authorizeFacePayment } from '../../ledger/sync/offline-limits.js';
import {
  BACKENDS,
  MERCHANT,
  checkBooks,
  facePayment,
  kiosk,
  storageFor,
  usePostgres,
  type StorageConfig,
  type TestKiosk,
} from '../helpers/settle.js';
import { spawnServer } from '../helpers/settle-process.js';

const pg = usePostgres();
const CUSTOMERS = ['ann', 'ben', 'cat'];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function setUp(storage: StorageConfig): Promise<string> {
  const s = await openServices({ ...storage, verifyThreads: 0 });
  try {
    await addMerchant(s, MERCHANT, 'Cafe', 'EUR');
    for (const c of CUSTOMERS) {
      await addCustomer(s, c, MERCHANT);
      await topUp(s, c, 20_000, 'EUR');
    }
    return await createToken(s, MERCHANT);
  } finally {
    await closeServices(s);
  }
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Server and kiosk agree: every entry held once, every settled payment one transfer, balances as the entries say. */
async function checkSettledOnce(storage: StorageConfig, k: TestKiosk): Promise<void> {
  const s: Services = await openServices({ ...storage, verifyThreads: 0 });
  try {
    const tip = k.store.tip().seq;
    const rows = await s.store.db
      .selectFrom('entries')
      .select(['seq', 'status', 'entry_hash'])
      .where('kiosk_id', '=', k.kioskId)
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      rows.map((r) => r.seq),
      Array.from({ length: tip }, (_, i) => i + 1),
      'every seq once, none missing',
    );
    const kioskRow = await s.store.db
      .selectFrom('kiosks')
      .select('tip_seq')
      .where('kiosk_id', '=', k.kioskId)
      .executeTakeFirstOrThrow();
    assert.equal(kioskRow.tip_seq, tip);
    const spent = new Map<string, number>();
    let settled = 0;
    for (const r of rows) {
      const local = k.worker.state.receipt(r.seq);
      assert.equal(local?.status, r.status, `entry ${r.seq}: the kiosk's receipt says what the server holds`);
      const e = k.store.get(r.seq)!.entry;
      assert.equal(k.store.get(r.seq)!.entry_hash, r.entry_hash);
      if (r.status === 'settled' && e.kind === 'payment') {
        settled++;
        spent.set(e.body.customer_id!, (spent.get(e.body.customer_id!) ?? 0) + e.body.amount_minor);
      }
    }
    const transfers = await s.store.db
      .selectFrom('transfers')
      .select('transfer_id')
      .where('kind', '=', 'payment')
      .execute();
    assert.equal(transfers.length, settled, 'one transfer per settled payment, none twice');
    for (const c of CUSTOMERS) {
      const w = await s.store.db
        .selectFrom('accounts')
        .select('balance_minor')
        .where('account_id', '=', walletAccount(c))
        .executeTakeFirstOrThrow();
      assert.equal(w.balance_minor, 20_000 - (spent.get(c) ?? 0), `wallet of ${c}`);
    }
    await checkBooks(s);
  } finally {
    await closeServices(s);
  }
}

for (const backend of BACKENDS) {
  describe(`faults on ${backend}`, () => {
    it('survives SIGKILL in the middle of a batch: nothing half-applied, the kiosk resumes, each entry settled once', async () => {
      const storage = await storageFor(backend, pg);
      const token = await setUp(storage);
      const port = await freePort();
      let server = await spawnServer({ ...storage, port, faultPauseInTxMs: 400 });
      const k = await kiosk(server.url, token, { batchEntriesMax: 40 });
      try {
        for (let i = 0; i < 200; i++) k.store.append('payment', facePayment(CUSTOMERS[i % 3]!, 50 + (i % 7) * 10));
        k.worker.start();
        await server.nextPause(); // batch 1 commits after its pause
        await server.nextPause(); // batch 2 is inside its transaction now
        await server.kill('SIGKILL');

        // Down: what the database holds is whole batches only, and balanced.
        const s = await openServices({ ...storage, verifyThreads: 0 });
        const held = await s.store.db
          .selectFrom('entries')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        const tip = await s.store.db.selectFrom('kiosks').select('tip_seq').executeTakeFirstOrThrow();
        assert.equal(Number(held.n), tip.tip_seq);
        assert.equal(tip.tip_seq % 40, 0, `only whole batches: held ${tip.tip_seq}`);
        assert.ok(tip.tip_seq < 200, 'the kill came before the last batch');
        await checkBooks(s);
        await closeServices(s);

        server = await spawnServer({ ...storage, port });
        await waitFor('the kiosk to catch up', () => k.worker.state.syncedSeq() === 200);
        await k.worker.stop();
        await server.kill('SIGTERM');
        await checkSettledOnce(storage, k);
      } finally {
        await k.close();
        await server.kill();
      }
    });

    it('keeps taking payments within limits while the server is down, and catches up when it is back', async () => {
      const storage = await storageFor(backend, pg);
      const token = await setUp(storage);
      const port = await freePort();
      let server = await spawnServer({ ...storage, port });
      const k = await kiosk(server.url, token, { batchEntriesMax: 25 });
      try {
        k.worker.start();
        for (let i = 0; i < 10; i++) k.store.append('payment', facePayment(CUSTOMERS[i % 3]!, 100));
        await waitFor('the first sync', () => k.worker.state.syncedSeq() === 10);
        await server.kill('SIGTERM');

        for (let i = 0; i < 30; i++) {
          const customer = CUSTOMERS[i % 3]!;
          const decision = authorizeFacePayment(k.worker.state, {
            customer_id: customer,
            amount_minor: 100,
            currency: 'EUR',
            now_ms: Date.now(),
          });
          assert.ok(decision.ok, `payment ${i} within the offline limits`);
          k.store.append('payment', facePayment(customer, 100));
        }
        await waitFor('a failed sync', () => k.worker.lastError?.code === 'SYNC_SERVER_UNREACHABLE');
        assert.equal(k.worker.state.syncedSeq(), 10, 'queued, not lost');
        const over = authorizeFacePayment(k.worker.state, {
          customer_id: 'ann',
          amount_minor: 9_500,
          currency: 'EUR',
          now_ms: Date.now(),
        });
        assert.equal(!over.ok && over.code, 'OFFLINE_PAYMENT_OVER_LIMIT');

        server = await spawnServer({ ...storage, port });
        k.worker.syncSoon();
        await waitFor('the kiosk to catch up', () => k.worker.state.syncedSeq() === 40);
        await k.worker.stop();
        await server.kill('SIGTERM');
        await checkSettledOnce(storage, k);
      } finally {
        await k.close();
        await server.kill();
      }
    });
  });
}
