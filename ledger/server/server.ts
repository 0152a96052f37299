// Starting the settlement server: storage (SQLite in the data folder, or PostgreSQL when a
// DATABASE_URL is given), the server's keys, the services, and the HTTP app.

import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openSettleDb } from './db/connect.js';
import { loadOrCreateServerKeys, type ServerKeys } from './keys.js';
import { buildApp } from './app.js';
import type { Faults, Services } from './context.js';
import { VerifyPool } from './verify-pool.js';

export interface ServerConfig {
  /** Holds settle.db (SQLite) and server-keys.json. */
  dataDir: string;
  databaseUrl?: string | undefined;
  keys?: ServerKeys;
  now?: () => number;
  faults?: Faults;
  /** Signature verification threads; 0 verifies on the main thread. Default: one per core. */
  verifyThreads?: number;
}

export async function openServices(config: ServerConfig): Promise<Services> {
  const store = await openSettleDb({ databaseUrl: config.databaseUrl, sqlitePath: join(config.dataDir, 'settle.db') });
  const keys = config.keys ?? loadOrCreateServerKeys(join(config.dataDir, 'server-keys.json'));
  const verify = new VerifyPool(config.verifyThreads);
  return { store, keys, now: config.now ?? Date.now, faults: config.faults ?? {}, verify };
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
  return {
    app,
    services,
    url: address,
    close: async () => {
      await app.close();
      await closeServices(services);
    },
  };
}

export async function closeServices(s: Services): Promise<void> {
  await s.verify.close();
  await s.store.close();
}
