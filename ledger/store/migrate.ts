// Numbered migrations, applied in order at open; PRAGMA user_version records the last one.
// A database from a newer version of the program is refused, not guessed at.

import type Database from 'better-sqlite3';
import { LedgerError } from '../protocol/errors.js';
import * as m0001 from './migrations/0001-entries.js';
import * as m0002 from './migrations/0002-sync.js';

export interface Migration {
  version: number;
  sql: string;
}

export const LEDGER_MIGRATIONS: readonly Migration[] = [m0001, m0002];
export const LEDGER_SCHEMA_VERSION = LEDGER_MIGRATIONS.length;

export function migrate(db: Database.Database, migrations: readonly Migration[] = LEDGER_MIGRATIONS): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`assertion failed: migration ${i} has version ${m.version}`);
  });
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new LedgerError(
      'LEDGER_SCHEMA_TOO_NEW',
      `the database has schema version ${current}, newer than this program's ${migrations.length}: update the program, do not downgrade the file`,
    );
  }
  for (const m of migrations.slice(current)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}
