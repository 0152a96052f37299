// One migration mechanism for every SQLite file the kiosk owns: the ledger (with its sync
// tables), staff.db, privacy.db, customers.db and orders.db. Each file's schema is a list of
// numbered migrations, one file each (`migrations/0001-entries.ts`: its `version` and `sql`),
// never edited after it ships: a change is a new file. They are applied in order at open, each
// in its own IMMEDIATE transaction with PRAGMA user_version set to its number, so a crash
// leaves the file at the last whole migration. A file from a newer version of the program is
// refused, not guessed at. Importable by the host (electron/) as well as by ledger/: it knows
// nothing of any one file.

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

/** Brings `db` to the last of `migrations`. `file` names it in the refusal of a newer file
 * ("staff.db"). Throws LEDGER_SCHEMA_TOO_NEW (the code of this, the store library's, check,
 * whichever file it is) when the file's version is above the program's. */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = LEDGER_MIGRATIONS,
  file = 'the database',
): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`assertion failed: migration ${i} has version ${m.version}`);
  });
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new LedgerError(
      'LEDGER_SCHEMA_TOO_NEW',
      `${file} has schema version ${current}, newer than this program's ${migrations.length}: update the program, do not downgrade the file`,
    );
  }
  for (const m of migrations.slice(current)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}
