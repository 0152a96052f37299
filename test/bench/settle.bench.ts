// Benchmark: 20 kiosks upload concurrently to one settlement server (its own process, on
// loopback); entries per second verified and settled end to end, from the first upload to
// the last receipt checked and stored on its kiosk. Once on SQLite, once on PostgreSQL
// (a throwaway cluster with fsync on), and once with two server processes on that one
// PostgreSQL (half the kiosks on each; the servers share one pair of key files). Prints each
// round with the CPU the servers and PostgreSQL spent per entry, the medians, and as its last
// line one JSON object: {"bench":"settle","sqlite_entries_per_s":N,"postgres_entries_per_s":N,
// "postgres_two_servers_entries_per_s":N}. BENCH_BACKEND=sqlite|postgres|postgres2 runs one.
//
// Kiosk ledgers are written before the clock starts (signing entries is the kiosks' work,
// spread over the day, not the server's). Entries: 90% face payments from 200 prepaid
// wallets, 5% cash, 5% partial refunds.

import { join } from 'node:path';
import { readFileSync, readdirSync } from 'node:fs';
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
import { defaultKeyPaths } from '../../ledger/server/keys.js';
import pgClient from 'pg';
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

/** CPU of a PostgreSQL cluster so far, ms: its postmaster (found by its port) and every child of it. */
function pgCpuMs(port: number): number {
  const procs = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  const stat = (pid: string): string[] | null => {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    } catch {
      return null; // gone meanwhile
    }
  };
  const master = procs.find((pid) => {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmd.split('\0')[0]!.endsWith('/postgres') && cmd.includes(`\0-p\0${port}\0`);
    } catch {
      return false;
    }
  });
  if (master === undefined) return NaN;
  let ms = 0;
  for (const pid of procs) {
    const f = stat(pid);
    if (f !== null && (pid === master || f[1] === master)) ms += (Number(f[11]) + Number(f[12])) * 10;
  }
  return ms;
}

/**
 * Samples PostgreSQL's sessions of the database every few ms while a round runs: how many are
 * running a statement, and how many of those wait for a lock another transaction holds.
 */
function lockSampler(databaseUrl: string): { stop(): Promise<{ active: number; waiting: number }> } {
  const client = new pgClient.Client({ connectionString: databaseUrl });
  let active = 0;
  let waiting = 0;
  let samples = 0;
  let running = true;
  const loop = (async () => {
    await client.connect();
    while (running) {
      const r = await client.query<{ active: string; waiting: string }>(
        `select count(*) filter (where state = 'active' and pid <> pg_backend_pid()) as active,
                count(*) filter (where wait_event_type = 'Lock') as waiting
           from pg_stat_activity where datname = current_database()`,
      );
      active += Number(r.rows[0]!.active);
      waiting += Number(r.rows[0]!.waiting);
      samples++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await client.end();
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { active: active / Math.max(1, samples), waiting: waiting / Math.max(1, samples) };
    },
  };
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

async function runBackend(name: 'sqlite' | 'postgres', serverCount = 1): Promise<number> {
  const label = serverCount === 1 ? name : `${name} ${serverCount} servers`;
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
  const keys = defaultKeyPaths(dataDir);
  const servers = await Promise.all(
    Array.from({ length: serverCount }, (_, i) =>
      spawnServer({
        dataDir: i === 0 ? dataDir : tempDir('stp-bench-'),
        databaseUrl,
        args: ['--signing-key', keys.signing, '--box-key', keys.box],
        env: { SETTLE_LOG: 'warn' },
        nodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== ''),
      }),
    ),
  );
  const serversCpuMs = (): number => servers.reduce((sum, sv) => sum + cpuMsOf(sv.child.pid!), 0);
  const rates: number[] = [];
  try {
    // Round 0 warms the server up (JIT, caches, connections) and is not counted.
    for (let round = 0; round <= ROUNDS; round++) {
      const workers: SyncWorker[] = [];
      for (let k = 0; k < KIOSKS; k++) {
        const kioskId = `bench-${name}${serverCount}-r${round}-k${k}`;
        const key = DeviceKey.generate();
        const path = join(dataDir, `${kioskId}.db`);
        fillLedger(path, kioskId, key, drafts(k, round));
        const w = new SyncWorker({
          ledgerPath: path,
          kioskId,
          key,
          boxKey: boxKeyFrom(newBoxSecret()),
          serverUrl: servers[k % serverCount]!.url,
          batchEntriesMax: SYNC_BATCH_ENTRIES_MAX,
          httpTimeoutMs: 120_000,
        });
        await w.register(token);
        workers.push(w);
      }
      const sampler = databaseUrl === undefined ? undefined : lockSampler(databaseUrl);
      const serverCpu0 = serversCpuMs();
      const pgCpu0 = pg === undefined ? 0 : pgCpuMs(pg.port);
      const clientCpu0 = process.cpuUsage();
      const t0 = performance.now();
      const reports = await Promise.all(workers.map((w) => w.uploadPending()));
      const seconds = (performance.now() - t0) / 1000;
      const serverCpuMs = serversCpuMs() - serverCpu0;
      const pgCpuSpentMs = pg === undefined ? NaN : pgCpuMs(pg.port) - pgCpu0;
      const sessions = await sampler?.stop();
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
        `${label} ${round === 0 ? 'warm-up' : `round ${round}`}: ${uploaded} entries (${settled} settled) from ${KIOSKS} kiosks in ${seconds.toFixed(2)} s = ${Math.round(rate)} entries/s` +
          ` (CPU per entry: server${serverCount === 1 ? '' : 's'} ${perEntry(serverCpuMs)} us, ` +
          `${pg === undefined ? '' : `PostgreSQL ${perEntry(pgCpuSpentMs)} us, `}kiosks ${perEntry(clientCpuMs)} us; load average ${loadavg()[0]!.toFixed(1)})` +
          (sessions === undefined
            ? ''
            : `; sessions running a statement ${sessions.active.toFixed(1)}, of them waiting for a row lock ${sessions.waiting.toFixed(1)}`),
      );
    }
  } finally {
    for (const sv of servers) await sv.kill('SIGTERM');
    pg?.stop();
    cleanup(dataDir);
  }
  const median = [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)]!;
  console.log(`${label} median: ${Math.round(median)} entries/s`);
  return Math.round(median);
}

const only = process.env.BENCH_BACKEND;
const wanted = (b: string): boolean => only === undefined || only === b;
const sqlite = wanted('sqlite') ? await runBackend('sqlite') : null;
const postgres = wanted('postgres') ? await runBackend('postgres') : null;
const postgres2 = wanted('postgres2') ? await runBackend('postgres', 2) : null;
console.log(
  JSON.stringify({
    bench: 'settle',
    sqlite_entries_per_s: sqlite,
    postgres_entries_per_s: postgres,
    postgres_two_servers_entries_per_s: postgres2,
  }),
);
