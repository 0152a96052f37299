// Benchmark: 20 kiosks upload concurrently to one settlement server (its own process, on
// loopback); entries per second verified and settled end to end, from the first upload to
// the last receipt checked and stored on its kiosk. Once on SQLite, once on PostgreSQL
// (a throwaway cluster with fsync on). Prints each round, the medians, and as its last
// line one JSON object: {"bench":"settle","sqlite_entries_per_s":N,"postgres_entries_per_s":N}.
//
// Kiosk ledgers are written before the clock starts (signing entries is the kiosks' work,
// spread over the day, not the server's). Entries: 90% face payments from 200 prepaid
// wallets, 5% cash, 5% partial refunds.

import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { DeviceKey } from '../../ledger/keys/device-key.js';
import { openServices } from '../../ledger/server/server.js';
import { addCustomer, addMerchant, createToken, topUp } from '../../ledger/server/admin.js';
import { SyncWorker } from '../../ledger/sync/worker.js';
import { boxKeyFrom } from '../../ledger/keys/box-key.js';
import { newBoxSecret } from '../../ledger/wire/sealed-box.js';
import { SYNC_BATCH_ENTRIES_MAX } from '../../ledger/wire/limits.js';
import { startPostgres } from '../helpers/postgres.js';
import { spawnServer } from '../helpers/settle-process.js';
import { fillLedger, type Draft } from '../helpers/ledger-fill.js';
import { cleanup, tempDir } from '../helpers/settle.js';

const KIOSKS = Number(process.env.BENCH_KIOSKS ?? 20);
const ENTRIES_PER_KIOSK = Number(process.env.BENCH_ENTRIES_PER_KIOSK ?? 1_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CUSTOMERS = 200;
const MERCHANT = 'bench-merchant';

/** User + system CPU of a process so far, ms (Linux /proc; clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function drafts(kiosk: number, round: number): Draft[] {
  const out: Draft[] = [];
  const facePayments: number[] = [];
  let x = (kiosk + 1) * 7919 + round * 104_729;
  const rand = (n: number): number => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x % n;
  };
  for (let i = 0; i < ENTRIES_PER_KIOSK; i++) {
    const seq = i + 1;
    const roll = rand(100);
    const id = `r${round}k${kiosk}e${seq}`;
    if (roll < 5 && facePayments.length > 0) {
      const paymentSeq = facePayments[rand(facePayments.length)]!;
      facePayments.splice(facePayments.indexOf(paymentSeq), 1);
      out.push({
        kind: 'refund',
        body: { payment_seq: paymentSeq, amount_minor: 1, currency: 'EUR', reason: 'bench refund', approved_by: 'mgr' },
      });
    } else if (roll < 10) {
      out.push({
        kind: 'payment',
        body: {
          payment_id: id,
          order_id: id,
          amount_minor: 100 + rand(2_000),
          currency: 'EUR',
          method: 'cash',
          taken_by: 'cashier',
        },
      });
    } else {
      facePayments.push(seq);
      out.push({
        kind: 'payment',
        body: {
          payment_id: id,
          order_id: id,
          amount_minor: 100 + rand(2_000),
          currency: 'EUR',
          method: 'face',
          customer_id: `cust${rand(CUSTOMERS)}`,
        },
      });
    }
  }
  return out;
}

async function runBackend(name: 'sqlite' | 'postgres'): Promise<number> {
  const dataDir = tempDir('stp-bench-');
  const pg = name === 'postgres' ? await startPostgres({ durable: true }) : undefined;
  const databaseUrl = pg === undefined ? undefined : await pg.createDatabase();
  const setup = await openServices({ dataDir, databaseUrl });
  await addMerchant(setup, MERCHANT, 'Bench', 'EUR');
  const token = await createToken(setup, MERCHANT);
  for (let c = 0; c < CUSTOMERS; c++) {
    await addCustomer(setup, `cust${c}`, MERCHANT);
    await topUp(setup, `cust${c}`, 1_000_000_000, 'EUR');
  }
  await setup.store.close();
  const server = await spawnServer({
    dataDir,
    databaseUrl,
    env: { SETTLE_LOG: 'warn' },
    nodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== ''),
  });
  const rates: number[] = [];
  try {
    // Round 0 warms the server up (JIT, caches, connections) and is not counted.
    for (let round = 0; round <= ROUNDS; round++) {
      const workers: SyncWorker[] = [];
      for (let k = 0; k < KIOSKS; k++) {
        const kioskId = `bench-${name}-r${round}-k${k}`;
        const key = DeviceKey.generate();
        const path = join(dataDir, `${kioskId}.db`);
        fillLedger(path, kioskId, key, drafts(k, round));
        const w = new SyncWorker({
          ledgerPath: path,
          kioskId,
          key,
          boxKey: boxKeyFrom(newBoxSecret()),
          serverUrl: server.url,
          batchEntriesMax: SYNC_BATCH_ENTRIES_MAX,
          httpTimeoutMs: 120_000,
        });
        await w.register(token);
        workers.push(w);
      }
      const serverCpu0 = cpuMsOf(server.child.pid!);
      const clientCpu0 = process.cpuUsage();
      const t0 = performance.now();
      const reports = await Promise.all(workers.map((w) => w.uploadPending()));
      const seconds = (performance.now() - t0) / 1000;
      const serverCpuMs = cpuMsOf(server.child.pid!) - serverCpu0;
      const clientCpu = process.cpuUsage(clientCpu0);
      const clientCpuMs = (clientCpu.user + clientCpu.system) / 1000;
      const uploaded = reports.reduce((a, r) => a + r.uploaded, 0);
      const settled = reports.reduce((a, r) => a + r.settled, 0);
      const declined = reports.reduce((a, r) => a + r.declined, 0);
      for (const w of workers) {
        if (w.state.syncedSeq() !== ENTRIES_PER_KIOSK)
          throw new Error(`kiosk synced to ${w.state.syncedSeq()}, not ${ENTRIES_PER_KIOSK}`);
        w.close();
      }
      if (uploaded !== KIOSKS * ENTRIES_PER_KIOSK || declined !== 0)
        throw new Error(`uploaded ${uploaded}, declined ${declined}`);
      const rate = uploaded / seconds;
      if (round > 0) rates.push(rate);
      const perEntry = (ms: number): string => ((ms * 1000) / uploaded).toFixed(0);
      console.log(
        `${name} ${round === 0 ? 'warm-up' : `round ${round}`}: ${uploaded} entries (${settled} settled) from ${KIOSKS} kiosks in ${seconds.toFixed(2)} s = ${Math.round(rate)} entries/s` +
          ` (CPU per entry: server ${perEntry(serverCpuMs)} us, kiosks ${perEntry(clientCpuMs)} us; load average ${loadavg()[0]!.toFixed(1)})`,
      );
    }
  } finally {
    await server.kill('SIGTERM');
    pg?.stop();
    cleanup(dataDir);
  }
  const median = [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)]!;
  console.log(`${name} median: ${Math.round(median)} entries/s`);
  return Math.round(median);
}

const only = process.env.BENCH_BACKEND;
const sqlite = only === 'postgres' ? null : await runBackend('sqlite');
const postgres = only === 'sqlite' ? null : await runBackend('postgres');
console.log(JSON.stringify({ bench: 'settle', sqlite_entries_per_s: sqlite, postgres_entries_per_s: postgres }));
