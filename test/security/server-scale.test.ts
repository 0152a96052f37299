// Proves refused, with three `settle serve` processes on one real PostgreSQL: double settlement, overdrawn wallets, a fork slipping past, and a nonce accepted twice, while 40 kiosks upload through all of them at once,
// some kiosks switch servers mid-stream, and one server is killed with SIGKILL in the
// middle: every entry is held and settled exactly once, the kiosks' receipts say what the
// server holds, balances equal the entries (no wallet below zero), a fork is detected
// across servers (one after the other, and two different entries under one seq sent to two
// servers at once), and one signed request sent to every server at once is served once.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DeviceKey } from '../../ledger/keys/device-key.js';
import { boxKeyFrom } from '../../ledger/keys/box-key.js';
import { newBoxSecret } from '../../ledger/wire/sealed-box.js';
import { LedgerStore } from '../../ledger/store/store.js';
import { SyncWorker } from '../../ledger/sync/worker.js';
import { signRequest } from '../../ledger/sync/http.js';
import { GENESIS_PREV_HASH } from '../../ledger/protocol/entry.js';
import { addCustomer, addMerchant, createToken, listAlarms, topUp } from '../../ledger/server/admin.js';
import { closeServices, openServices } from '../../ledger/server/server.js';
import { defaultKeyPaths, loadOrCreateServerKeys, type ServerKeys } from '../../ledger/server/keys.js';
import { merchantAccount, walletAccount, type Services } from '../../ledger/server/context.js';
import { startPostgres, type PgCluster } from '../helpers/postgres.js';
import { spawnServer, type ServerProcess } from '../helpers/settle-process.js';
import { MERCHANT, checkBooks, handSigned, tempDir } from '../helpers/settle.js';

const SERVERS = 3;
const KIOSKS = 40;
const ROUNDS = 12;
/** Entries a kiosk appends per round: face payments, now and then a refund of an earlier one. */
const PER_ROUND = 3;
const CUSTOMERS = 20;
const FUNDS_MINOR = 15_000;

interface Kiosk {
  id: string;
  key: DeviceKey;
  path: string;
  store: LedgerStore;
  worker: SyncWorker;
  /** Where its worker sends first: its servers in turn, starting with this one. */
  first: number;
}

async function waitFor(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('three settlement servers on one PostgreSQL', () => {
  let pg: PgCluster;
  let databaseUrl: string;
  let keys: ServerKeys;
  let keyArgs: string[];
  const servers: ServerProcess[] = [];

  before(async () => {
    pg = await startPostgres();
    databaseUrl = await pg.createDatabase();
    const keyDir = tempDir('stp-keys-');
    const paths = defaultKeyPaths(keyDir);
    keys = loadOrCreateServerKeys(paths);
    keyArgs = ['--signing-key', paths.signing, '--box-key', paths.box];
    // All three start together on the empty database: they migrate one after the other.
    servers.push(
      ...(await Promise.all(
        Array.from({ length: SERVERS }, () => spawnServer({ dataDir: tempDir(), databaseUrl, args: keyArgs })),
      )),
    );
  });
  after(async () => {
    for (const s of servers) await s.kill();
    pg.stop();
  });

  it('settles every entry exactly once through all of them, one killed mid-stream; forks and replays refused across servers', async (t) => {
    const setup = await openServices({ dataDir: tempDir(), databaseUrl, keys, verifyThreads: 0 });
    await addMerchant(setup, MERCHANT, 'Cafe', 'EUR');
    for (let c = 0; c < CUSTOMERS; c++) {
      await addCustomer(setup, `c${c}`, MERCHANT);
      await topUp(setup, `c${c}`, FUNDS_MINOR, 'EUR');
    }
    const token = await createToken(setup, MERCHANT);
    await closeServices(setup);
    const urls = servers.map((s) => s.url);
    const rotated = (first: number): string[] => urls.map((_, i) => urls[(first + i) % urls.length]!);
    const newWorker = (k: Omit<Kiosk, 'worker'>): SyncWorker =>
      new SyncWorker({
        ledgerPath: k.path,
        kioskId: k.id,
        key: k.key,
        boxKey: boxKeyFrom(newBoxSecret()),
        serverUrl: rotated(k.first),
        batchEntriesMax: 8,
        pollIntervalMs: 30,
        retryBaseMs: 20,
        retryCapMs: 300,
        httpTimeoutMs: 20_000,
      });

    const kiosks: Kiosk[] = [];
    for (let i = 0; i < KIOSKS; i++) {
      const id = `scale-k${i}`;
      const key = DeviceKey.generate();
      const path = join(tempDir('stp-kiosk-'), 'ledger.db');
      const store = LedgerStore.open({ path, kioskId: id, key });
      const partial = { id, key, path, store, first: i % SERVERS };
      const worker = newWorker(partial);
      await worker.register(token);
      worker.start();
      kiosks.push({ ...partial, worker });
    }

    let n = 0;
    let x = 12_345;
    const rand = (m: number): number => {
      x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
      return (x >>> 15) % m; // the high bits: an LCG's low bits repeat in short cycles
    };
    for (let round = 0; round < ROUNDS; round++) {
      for (const k of kiosks) {
        for (let j = 0; j < PER_ROUND; j++) {
          const paid = k.store.tip().seq;
          const last = paid > 0 ? k.store.get(paid)!.entry : undefined;
          if (last?.kind === 'payment' && rand(6) === 0) {
            k.store.append('refund', {
              payment_seq: last.seq,
              amount_minor: Math.ceil(last.body.amount_minor / 2),
              currency: 'EUR',
              reason: 'scale',
              approved_by: 'mgr',
            });
          } else {
            n++;
            k.store.append('payment', {
              payment_id: `p${n}`,
              order_id: `o${n}`,
              amount_minor: 100 + rand(500),
              currency: 'EUR',
              method: 'face',
              customer_id: `c${rand(CUSTOMERS)}`,
            });
          }
        }
        k.worker.syncSoon();
      }
      if (round === ROUNDS / 2) {
        // Mid-stream: one server dies with whatever it was doing; every fifth kiosk moves on its own.
        const pending = kiosks.reduce((sum, k) => sum + k.store.tip().seq - k.worker.state.syncedSeq(), 0);
        const synced = kiosks.reduce((sum, k) => sum + k.worker.state.syncedSeq(), 0);
        await servers[1]!.kill('SIGKILL');
        t.diagnostic(`at the kill: ${synced} entries synced, ${pending} on their way`);
        assert.ok(pending > 0 && synced > 0, 'the kill comes in the middle of the stream');
        for (const k of kiosks.filter((_, i) => i % 5 === 0)) {
          await k.worker.stop();
          k.worker.close();
          k.first = (k.first + 2) % SERVERS;
          k.worker = newWorker(k);
          k.worker.start();
        }
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    await waitFor(
      'every kiosk to be synced',
      () => kiosks.every((k) => k.worker.state.syncedSeq() === k.store.tip().seq),
      180_000,
    );
    for (const k of kiosks) await k.worker.stop();

    const live = [servers[0]!, servers[2]!];
    await forksAcrossServers(live, token);
    await oneRequestAtEveryServer(live, kiosks[3]!);

    const s = await openServices({ dataDir: tempDir(), databaseUrl, keys, verifyThreads: 0 });
    try {
      const totals = await checkExactlyOnce(s, kiosks);
      const reasons = await s.store.db
        .selectFrom('entries')
        .select(['reason', (eb) => eb.fn.countAll<number>().as('n')])
        .where('reason', 'is not', null)
        .groupBy('reason')
        .execute();
      t.diagnostic(`declined: ${reasons.map((r) => `${r.reason} ${r.n}`).join(', ')}`);
      t.diagnostic(
        `${totals.entries} entries from ${KIOSKS} kiosks, ${totals.settled} settled, ${totals.declined} declined`,
      );
      assert.ok(totals.declined > 0 && totals.settled > 0, 'wallets ran dry under concurrent debits, as intended');
      const alarms = await listAlarms(s);
      assert.deepEqual(
        alarms.map((a) => a.kind),
        ['fork', 'fork'],
        'the two forks, and nothing else',
      );
    } finally {
      await closeServices(s);
      for (const k of kiosks) {
        k.worker.close();
        k.store.close();
      }
    }
  });

  /** A kiosk whose entries reached one server, and a different entry under a held seq sent to another. */
  async function forksAcrossServers(live: ServerProcess[], token: string): Promise<void> {
    const key = DeviceKey.generate();
    const id = 'scale-forker';
    const path = join(tempDir('stp-kiosk-'), 'ledger.db');
    LedgerStore.open({ path, kioskId: id, key }).close();
    const w = new SyncWorker({
      ledgerPath: path,
      kioskId: id,
      key,
      boxKey: boxKeyFrom(newBoxSecret()),
      serverUrl: live[0]!.url,
    });
    await w.register(token);
    w.close();
    const cash = (i: number) => ({
      payment_id: `f${i}`,
      order_id: `f${i}`,
      amount_minor: 100,
      currency: 'EUR',
      method: 'cash' as const,
      taken_by: 'c',
    });
    const e1 = handSigned(key, id, 1, GENESIS_PREV_HASH, 'payment', cash(1));
    const e2 = handSigned(key, id, 2, e1.hash, 'payment', cash(2));
    const upload = (server: ServerProcess, wire: unknown[]) => {
      const body = new TextEncoder().encode(JSON.stringify({ entries: wire }));
      return fetch(`${server.url}/v1/entries`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signRequest(key, id, keys.publicKeyHex, 'POST', '/v1/entries', body, Date.now()),
        },
        body,
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error?: { code: string } } }));
    };
    assert.equal((await upload(live[0]!, [e1.wire, e2.wire])).status, 200);
    // Another entry 2, validly signed, at the other server.
    const other2 = handSigned(key, id, 2, e1.hash, 'payment', cash(99));
    const fork = await upload(live[1]!, [other2.wire]);
    assert.equal(fork.status, 409);
    assert.equal(fork.body.error?.code, 'SETTLE_FORK_DETECTED');
    // Two different entries 3 at once, one to each server: one is held, the other is a fork.
    const a3 = handSigned(key, id, 3, e2.hash, 'payment', cash(3));
    const b3 = handSigned(key, id, 3, e2.hash, 'payment', cash(33));
    const both = await Promise.all([upload(live[0]!, [a3.wire]), upload(live[1]!, [b3.wire])]);
    assert.deepEqual(both.map((r) => r.status).sort(), [200, 409], JSON.stringify(both));
    assert.ok(both.some((r) => r.body.error?.code === 'SETTLE_FORK_DETECTED'));
  }

  /** The same signed request sent to every live server at the same moment: served once, refused as a replay elsewhere. */
  async function oneRequestAtEveryServer(live: ServerProcess[], k: Kiosk): Promise<void> {
    for (let i = 0; i < 20; i++) {
      const path = `/v1/feed?after=0&limit=1`;
      const headers = signRequest(k.key, k.id, keys.publicKeyHex, 'GET', path, new Uint8Array(0), Date.now());
      const answers = await Promise.all(
        live.map((s) =>
          fetch(s.url + path, { headers }).then(async (r) => ({
            status: r.status,
            body: (await r.json()) as { error?: { code: string } },
          })),
        ),
      );
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409], JSON.stringify(answers));
      assert.ok(answers.some((a) => a.body.error?.code === 'SETTLE_REQUEST_REPLAYED'));
    }
  }
});

/** Every entry once, receipts on the kiosks as held, one transfer per settled entry, balances as the entries say. */
async function checkExactlyOnce(
  s: Services,
  kiosks: Kiosk[],
): Promise<{ entries: number; settled: number; declined: number }> {
  const spent = new Map<string, number>();
  let merchant = 0;
  let settledEntries = 0;
  let entries = 0;
  let declined = 0;
  for (const k of kiosks) {
    const tip = k.store.tip().seq;
    const rows = await s.store.db
      .selectFrom('entries')
      .select(['seq', 'status', 'entry_hash'])
      .where('kiosk_id', '=', k.id)
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      rows.map((r) => r.seq),
      Array.from({ length: tip }, (_, i) => i + 1),
      `${k.id}: every seq once`,
    );
    entries += rows.length;
    declined += rows.filter((r) => r.status === 'declined').length;
    for (const r of rows) {
      const held = k.store.get(r.seq)!;
      assert.equal(held.entry_hash, r.entry_hash, `${k.id}/${r.seq}`);
      assert.equal(k.worker.state.receipt(r.seq)?.status, r.status, `${k.id}/${r.seq}: the kiosk's receipt`);
      if (r.status !== 'settled') continue;
      settledEntries++;
      const e = held.entry;
      if (e.kind === 'payment') {
        spent.set(e.body.customer_id!, (spent.get(e.body.customer_id!) ?? 0) + e.body.amount_minor);
        merchant += e.body.amount_minor;
      } else if (e.kind === 'refund') {
        const paid = k.store.get(e.body.payment_seq)!.entry;
        assert.ok(paid.kind === 'payment');
        spent.set(paid.body.customer_id!, (spent.get(paid.body.customer_id!) ?? 0) - e.body.amount_minor);
        merchant -= e.body.amount_minor;
      }
    }
  }
  const transfers = await s.store.db
    .selectFrom('transfers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', 'in', ['payment', 'refund'])
    .executeTakeFirstOrThrow();
  assert.equal(Number(transfers.n), settledEntries, 'one transfer per settled entry, none twice');
  for (let c = 0; c < CUSTOMERS; c++) {
    const id = `c${c}`;
    const rows = await s.store.db
      .selectFrom('accounts')
      .select('balance_minor')
      .where('account_id', '=', walletAccount(id))
      .execute();
    assert.equal(rows[0]!.balance_minor, FUNDS_MINOR - (spent.get(id) ?? 0), `wallet of ${id}`);
    assert.ok(rows[0]!.balance_minor >= 0, `wallet of ${id} never below zero`);
  }
  const m = await s.store.db
    .selectFrom('accounts')
    .select('balance_minor')
    .where('account_id', '=', merchantAccount(MERCHANT))
    .execute();
  assert.equal(m[0]!.balance_minor, merchant);
  await checkBooks(s);
  return { entries, settled: settledEntries, declined };
}
