// Starting the settlement server: storage (SQLite in the data folder, or PostgreSQL when a
// DATABASE_URL is given), the server's keys, the services, and the HTTP app. Several server
// processes may share one PostgreSQL database (and one set of keys): all they must agree on
// is in the database.

import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openSettleDb } from './db/connect.js';
import { defaultKeyPaths, loadOrCreateServerKeys, type ServerKeys } from './keys.js';
import { buildApp } from './app.js';
import type { Faults, Services } from './context.js';
import { VerifyPool } from './verify-pool.js';
import { DayTreeCache } from './lookup.js';
import { pruneNonces } from './auth.js';
import { NONCE_PRUNE_INTERVAL_MS } from '../wire/limits.js';

export interface ServerConfig {
  /** Holds settle.db (SQLite) and, unless given elsewhere, the two key files. */
  dataDir: string;
  databaseUrl?: string | undefined;
  keys?: ServerKeys;
  /** The key files (keys.ts); default: server-signing-key.json and server-box-key.json in dataDir. */
  signingKeyPath?: string | undefined;
  boxKeyPath?: string | undefined;
  now?: () => number;
  faults?: Faults;
  /** Signature verification threads; 0 verifies on the main thread. Default: one per core. */
  verifyThreads?: number;
}

export async function openServices(config: ServerConfig): Promise<Services> {
  const store = await openSettleDb({ databaseUrl: config.databaseUrl, sqlitePath: join(config.dataDir, 'settle.db') });
  let keys = config.keys;
  if (keys === undefined) {
    const paths = defaultKeyPaths(config.dataDir);
    keys = loadOrCreateServerKeys({
      signing: config.signingKeyPath ?? paths.signing,
      box: config.boxKeyPath ?? paths.box,
      legacy: paths.legacy,
    });
  }
  const verify = new VerifyPool(config.verifyThreads);
  return {
    store,
    keys,
    now: config.now ?? Date.now,
    faults: config.faults ?? {},
    verify,
    dayTrees: new DayTreeCache(),
  };
}

export interface RunningServer {
  app: FastifyInstance;
  services: Services;
  url: string;
  close(): Promise<void>;
}

export async function startServer(
  config: ServerConfig & { host?: string; port?: number; logger?: boolean | Record<string, unknown> },
): Promise<RunningServer> {
  const services = await openServices(config);
  const app = await buildApp({ services, logger: config.logger ?? false });
  const address = await app.listen({ host: config.host ?? '127.0.0.1', port: config.port ?? 0 });
  // Old nonces go in a statement of their own, now and then; a failure (the database away) waits for the next turn.
  const pruner = setInterval(() => {
    pruneNonces(services).catch((err: unknown) => app.log.warn({ err }, 'pruning request nonces failed'));
  }, NONCE_PRUNE_INTERVAL_MS);
  pruner.unref();
  return {
    app,
    services,
    url: address,
    close: async () => {
      clearInterval(pruner);
      await app.close();
      await closeServices(services);
    },
  };
}

export async function closeServices(s: Services): Promise<void> {
  await s.verify.close();
  await s.store.close();
}
