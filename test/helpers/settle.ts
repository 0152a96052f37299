// Shared parts of the settlement tests: a backend (SQLite file, or a database in a real
// PostgreSQL cluster), a running server on loopback, kiosks with real ledgers, and entries
// signed by hand for the inputs a well-behaved kiosk never sends (forks, gaps, overdrawn
// refunds).

import { after, before } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalBytes } from '../../ledger/protocol/canonical.js';
import { ENTRY_VERSION, type BodyByKind, type Entry, type EntryKind } from '../../ledger/protocol/entry.js';
import { toHex } from '../../ledger/protocol/hex.js';
import { entryHash } from '../../ledger/keys/ed25519.js';
import { DeviceKey } from '../../ledger/keys/device-key.js';
import { LedgerStore } from '../../ledger/store/store.js';
import { startServer, type RunningServer } from '../../ledger/server/server.js';
import { generateServerKeys } from '../../ledger/server/keys.js';
import { addCustomer, addMerchant, createToken, topUp } from '../../ledger/server/admin.js';
import type { Services } from '../../ledger/server/context.js';
import type { WireEntry } from '../../ledger/wire/wire.js';
import { SyncWorker } from '../../ledger/sync/worker.js';
import { boxKeyFrom, type BoxKey } from '../../ledger/keys/box-key.js';
import { newBoxSecret } from '../../ledger/wire/sealed-box.js';
import { startPostgres, type PgCluster } from './postgres.js';

export type Backend = 'sqlite' | 'postgres';
export const BACKENDS: readonly Backend[] = ['sqlite', 'postgres'];

const made: string[] = [];
process.once('exit', () => cleanup(...made));

/** A temporary folder, removed when the test process exits. */
export function tempDir(prefix = 'stp-settle-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Starts one PostgreSQL cluster for the file's tests (only if a postgres suite runs). */
export function usePostgres(): () => PgCluster {
  let cluster: PgCluster | undefined;
  before(async () => {
    cluster = await startPostgres();
  });
  after(() => cluster?.stop());
  return () => {
    if (cluster === undefined) throw new Error('PostgreSQL cluster not started');
    return cluster;
  };
}

export interface StorageConfig {
  dataDir: string;
  databaseUrl?: string | undefined;
}

export async function storageFor(backend: Backend, pg: () => PgCluster): Promise<StorageConfig> {
  const dataDir = tempDir();
  return backend === 'postgres' ? { dataDir, databaseUrl: await pg().createDatabase() } : { dataDir };
}

export const MERCHANT = 'm-cafe';

/** A server on loopback with one merchant and a merchant token. */
export async function serverWithMerchant(
  storage: StorageConfig,
  now?: () => number,
): Promise<{ server: RunningServer; s: Services; token: string }> {
  const server = await startServer({ ...storage, keys: generateServerKeys(), ...(now === undefined ? {} : { now }) });
  const s = server.services;
  await addMerchant(s, MERCHANT, 'Cafe', 'EUR');
  const token = await createToken(s, MERCHANT);
  return { server, s, token };
}

export async function fundedCustomer(s: Services, customerId: string, amountMinor: number): Promise<void> {
  await addCustomer(s, customerId, MERCHANT);
  if (amountMinor > 0) await topUp(s, customerId, amountMinor, 'EUR');
}

export interface TestKiosk {
  kioskId: string;
  key: DeviceKey;
  boxKey: BoxKey;
  path: string;
  store: LedgerStore;
  worker: SyncWorker;
  close(): Promise<void>;
}

let kioskCounter = 0;

/** A kiosk with a real ledger file and a sync worker, registered with the server. */
export async function kiosk(
  serverUrl: string,
  token: string,
  options: {
    now?: () => number;
    batchEntriesMax?: number;
    retryBaseMs?: number;
    retryCapMs?: number;
    kioskId?: string;
  } = {},
): Promise<TestKiosk> {
  const kioskId = options.kioskId ?? `k${process.pid}-${++kioskCounter}`;
  const key = DeviceKey.generate();
  const boxKey = boxKeyFrom(newBoxSecret());
  const path = join(tempDir('stp-kiosk-'), 'ledger.db');
  const store = LedgerStore.open({ path, kioskId, key, ...(options.now === undefined ? {} : { now: options.now }) });
  const worker = new SyncWorker({
    ledgerPath: path,
    kioskId,
    key,
    boxKey,
    serverUrl,
    batchEntriesMax: options.batchEntriesMax ?? 100,
    retryBaseMs: options.retryBaseMs ?? 20,
    retryCapMs: options.retryCapMs ?? 200,
    pollIntervalMs: 20,
    httpTimeoutMs: 5_000,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  await worker.register(token);
  return {
    kioskId,
    key,
    boxKey,
    path,
    store,
    worker,
    async close() {
      await worker.stop();
      worker.close();
      store.close();
    },
  };
}

let paymentCounter = 0;
export function facePayment(customerId: string, amountMinor: number): BodyByKind['payment'] {
  const n = ++paymentCounter;
  return {
    payment_id: `p${process.pid}-${n}`,
    order_id: `o${n}`,
    amount_minor: amountMinor,
    currency: 'EUR',
    method: 'face',
    customer_id: customerId,
  };
}

export function cashPayment(amountMinor: number): BodyByKind['payment'] {
  const n = ++paymentCounter;
  return {
    payment_id: `p${process.pid}-${n}`,
    order_id: `o${n}`,
    amount_minor: amountMinor,
    currency: 'EUR',
    method: 'cash',
    taken_by: 'cashier-1',
  };
}

/** Signs an entry by hand, bypassing the store's rules: for inputs a real kiosk never sends. */
export function handSigned<K extends EntryKind>(
  key: DeviceKey,
  kioskId: string,
  seq: number,
  prevHash: string,
  kind: K,
  body: BodyByKind[K],
  createdAtMs = Date.now(),
): { wire: WireEntry; hash: string; entry: Entry } {
  const entry = {
    v: ENTRY_VERSION,
    kiosk_id: kioskId,
    seq,
    prev_hash: prevHash,
    kind,
    created_at_ms: createdAtMs,
    body,
  } as Entry;
  const canonical = canonicalBytes(entry);
  const signature = key.signEntry(canonical);
  return {
    wire: { canonical: Buffer.from(canonical).toString('base64'), signature: toHex(signature) },
    hash: toHex(entryHash(canonical, signature)),
    entry,
  };
}

/** Row counts of every table that holds money or entries: "nothing stored" compares these. */
export async function counts(s: Services): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of [
    'entries',
    'transfers',
    'receipt_batches',
    'customers',
    'templates',
    'freezes',
    'day_closes',
  ] as const) {
    const r = await s.store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(r.n);
  }
  const sums = await s.store.db
    .selectFrom('accounts')
    .select(['account_id', 'balance_minor'])
    .orderBy('account_id')
    .execute();
  for (const a of sums) out[`balance ${a.account_id}`] = a.balance_minor;
  return out;
}

/** The books balance: every currency's balances sum to zero, and each balance is its transfers' credits minus debits. */
export async function checkBooks(s: Services): Promise<{ accounts: number; transfers: number }> {
  const accounts = await s.store.db.selectFrom('accounts').selectAll().execute();
  const transfers = await s.store.db.selectFrom('transfers').selectAll().execute();
  const byCurrency = new Map<string, number>();
  for (const a of accounts) byCurrency.set(a.currency, (byCurrency.get(a.currency) ?? 0) + a.balance_minor);
  for (const [currency, sum] of byCurrency)
    if (sum !== 0) throw new Error(`balances of ${currency} sum to ${sum}, not 0`);
  const derived = new Map<string, number>();
  for (const t of transfers) {
    derived.set(t.credit_account_id, (derived.get(t.credit_account_id) ?? 0) + t.amount_minor);
    derived.set(t.debit_account_id, (derived.get(t.debit_account_id) ?? 0) - t.amount_minor);
  }
  for (const a of accounts) {
    if ((derived.get(a.account_id) ?? 0) !== a.balance_minor)
      throw new Error(
        `account ${a.account_id}: balance ${a.balance_minor}, transfers say ${derived.get(a.account_id) ?? 0}`,
      );
  }
  return { accounts: accounts.length, transfers: transfers.length };
}

export async function balance(s: Services, accountId: string): Promise<number> {
  const r = await s.store.db
    .selectFrom('accounts')
    .select('balance_minor')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return r?.balance_minor ?? NaN;
}

export function cleanup(...dirs: string[]): void {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}

/** Entries from..to of a kiosk's ledger as they go on the wire. */
export function wireOf(k: TestKiosk, from: number, to: number): WireEntry[] {
  return [...k.store.range(from, to)].map((s) => ({
    canonical: Buffer.from(canonicalBytes(s.entry)).toString('base64'),
    signature: s.signature,
  }));
}
