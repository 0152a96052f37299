// Opens the settlement database: SQLite (a file, created on first start) by default, or
// PostgreSQL when a DATABASE_URL is given. Both behind one Kysely instance, so that every
// query is written once. Migrations run here, at open.
//
// SQLite: WAL. A commit is on disk before the server answers, as with synchronous = FULL,
// but the fsync is not made by SQLite on the event loop's thread: the connection runs with
// synchronous = NORMAL (SQLite still syncs the WAL before every checkpoint and the database
// after it, so the file stays consistent), and after each commit the server calls
// durable(), an fdatasync of the WAL file on libuv's thread pool, before it answers.
// Concurrent uploads share those syncs (a group commit), and the event loop keeps working
// while the disk does. Checkpoints, which write and fsync megabytes, run on a thread of
// their own (checkpoint-worker.mjs); the writer's own automatic checkpoint stays as a
// backstop at a higher mark. PostgreSQL (synchronous_commit on) is durable at COMMIT. PostgreSQL:
// 64-bit integers and numeric sums come back from pg as strings; they are parsed to
// numbers here, and refused if they are not safe integers (money never rounds silently).

import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SettleDatabase } from './schema.js';
import * as m0001 from './migrations/0001-settlement.js';
import * as m0002 from './migrations/0002-merchant-timezone.js';

export type DialectName = 'sqlite' | 'postgres';

export interface SettleDb {
  db: Kysely<SettleDatabase>;
  dialect: DialectName;
  /** Where it is, without credentials: for logs. */
  where: string;
  /** Resolves once every transaction committed so far is on stable storage. */
  durable(): Promise<void>;
  close(): Promise<void>;
}

/** Numbered migrations, applied in order; a database from a newer program is refused. */
const MIGRATIONS = [m0001, m0002];
/** PostgreSQL connections one server holds at most. */
export const PG_POOL_CONNECTIONS_MAX = 10;

/** The checkpoint thread's pace; between two, the WAL grows by what the server writes. */
const SQLITE_CHECKPOINT_INTERVAL_MS = 250;
/** Should the checkpoint thread fall behind, the writer checkpoints itself past this many WAL pages (64 MiB). */
const SQLITE_BACKSTOP_CHECKPOINT_PAGES = 16_384;
/** SQLite page cache of the server's connection, KiB. */
const SQLITE_CACHE_KIB = 256 * 1024;

const INT8_OID = 20;
const NUMERIC_OID = 1700;

function parseSafeInteger(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`expected a safe integer from the database, got ${text}`);
  return n;
}

export interface OpenDbOptions {
  databaseUrl?: string | undefined;
  sqlitePath?: string | undefined;
}

export async function openSettleDb(options: OpenDbOptions): Promise<SettleDb> {
  let result: SettleDb;
  if (options.databaseUrl !== undefined && options.databaseUrl !== '') {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: PG_POOL_CONNECTIONS_MAX,
      types: {
        getTypeParser: ((oid: number, format?: string) => {
          if (oid === INT8_OID || oid === NUMERIC_OID) return parseSafeInteger;
          return pg.types.getTypeParser(oid, format as 'text');
        }) as typeof pg.types.getTypeParser,
      },
    });
    const db = new Kysely<SettleDatabase>({ dialect: new PostgresDialect({ pool }) });
    const url = new URL(options.databaseUrl);
    result = {
      db,
      dialect: 'postgres',
      where: `postgres://${url.host}${url.pathname}`,
      durable: async () => {},
      close: () => db.destroy(),
    };
  } else {
    const path = options.sqlitePath ?? 'var/settle.db';
    mkdirSync(dirname(path), { recursive: true });
    const sqlite = new Database(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma(`wal_autocheckpoint = ${SQLITE_BACKSTOP_CHECKPOINT_PAGES}`);
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    // The entries' hash and payment-id indexes take random inserts: keep their pages in memory.
    sqlite.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
    const db = new Kysely<SettleDatabase>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    const wal = walSyncer(`${path}-wal`);
    const checkpointer = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), {
      workerData: { path, interval_ms: SQLITE_CHECKPOINT_INTERVAL_MS },
    });
    checkpointer.unref();
    result = {
      db,
      dialect: 'sqlite',
      where: path,
      durable: wal.sync,
      close: async () => {
        checkpointer.ref();
        const exited = once(checkpointer, 'exit');
        checkpointer.postMessage('close');
        await exited;
        await db.destroy();
        await wal.close();
      },
    };
  }
  try {
    await migrate(result);
  } catch (err) {
    await result.close();
    throw err;
  }
  return result;
}

/** fdatasync of the WAL file on the thread pool; the file is opened at the first sync (SQLite makes it at the first write). */
function walSyncer(walPath: string): { sync(): Promise<void>; close(): Promise<void> } {
  let handle: Promise<FileHandle> | undefined;
  return {
    async sync() {
      handle ??= open(walPath, 'r');
      try {
        await (await handle).datasync();
      } catch (err) {
        // No WAL file yet: nothing has been written, so nothing waits to be made durable.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        handle = undefined;
      }
    },
    async close() {
      const h = await handle?.catch(() => undefined);
      await h?.close();
    },
  };
}

/** Prepared statements kept per connection, by SQL text (an upload's big INSERT is the same text batch after batch). */
const SQLITE_STATEMENTS_CACHED_MAX = 256;

/**
 * Kysely's SQLite driver prepares every query it runs; preparing a 500-row INSERT costs
 * more than running it. This keeps the most recent statements, keyed by their SQL. Safe
 * because Kysely runs one query at a time on the connection and never leaves one open.
 */
function withStatementCache(db: Database.Database): Database.Database {
  const cache = new Map<string, Database.Statement>();
  const prepare = db.prepare.bind(db);
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== 'prepare') return Reflect.get(target, prop, receiver) as unknown;
      return (sql: string) => {
        let stmt = cache.get(sql);
        if (stmt === undefined) {
          stmt = prepare(sql);
          if (cache.size >= SQLITE_STATEMENTS_CACHED_MAX) cache.delete(cache.keys().next().value!);
          cache.set(sql, stmt);
        }
        return stmt;
      };
    },
  });
}

async function migrate(s: SettleDb): Promise<void> {
  const migrations: Record<string, Migration> = {};
  for (const m of MIGRATIONS) migrations[m.name] = { up: (db) => m.up(db, s.dialect) };
  const migrator = new Migrator({ db: s.db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error');
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`settlement database ${s.where}: migration ${failed?.migrationName ?? ''} failed: ${why}`);
  }
}
