// What every service function of the server is handed: the database, the server's keys, a
// clock, the closed days' trees of the receipt lookup, and the fault hooks the crash tests
// use (set only by a test's own entry point, never by `settle serve`). Plus the one
// transaction wrapper.

import type { Kysely, Transaction } from 'kysely';
import type { SettleDatabase } from './db/schema.js';
import type { SettleDb } from './db/connect.js';
import type { ServerKeys } from './keys.js';
import type { VerifyPool } from './verify-pool.js';
import type { DayTreeCache } from './lookup.js';

export interface Faults {
  /** Crash tests: sleep this long inside each upload transaction, after its writes, before commit. */
  pauseInTransactionMs?: number;
  /** Called at that moment (the child process prints a marker the test waits for). */
  onPause?: () => void;
}

export interface Services {
  store: SettleDb;
  keys: ServerKeys;
  now: () => number;
  faults: Faults;
  verify: VerifyPool;
  dayTrees: DayTreeCache;
}

export type Tx = Transaction<SettleDatabase>;
export type Db = Kysely<SettleDatabase>;

/** Runs `fn` in one database transaction and returns once its commit is durable. */
export async function transaction<T>(s: Services, fn: (trx: Tx) => Promise<T>): Promise<T> {
  const result = await s.store.db.transaction().execute(fn);
  await s.store.durable();
  return result;
}

/** FOR UPDATE on PostgreSQL, where transactions run side by side; SQLite runs them one at a time. */
export const lockRows = (s: Services): boolean => s.store.dialect === 'postgres';

export const businessDayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export const walletAccount = (customerId: string): string => `wallet:${customerId}`;
export const merchantAccount = (merchantId: string): string => `merchant:${merchantId}`;
export const heldAccount = (merchantId: string): string => `held:${merchantId}`;
export const externalAccount = (currency: string): string => `external:topups:${currency}`;
