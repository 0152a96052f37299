// Proves that the ledger file's tables (the ledger's and the sync state's) are queried only in
// ledger/: every other layer asks ledger/store or ledger/sync by name (store.paymentCountOf,
// state.receiptsMatched, state.galleryRemove ...), so that a migration there breaks at compile
// time, not on a manager's screen. The tables are read from the ledger's own migrations, so a new
// one is covered without editing this test. Tests may still touch the tables (tampering is how
// they prove verify), so test/ is not scanned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LEDGER_MIGRATIONS } from '../../ledger/store/migrate.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Every folder of source that is not the ledger's and not a test. */
const SCANNED = ['electron', 'renderer', 'vision', 'native', 'models', 'scripts', 'bin'];
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

function ledgerTables(): string[] {
  const names = LEDGER_MIGRATIONS.flatMap((m) => [...m.sql.matchAll(/CREATE TABLE\s+(\w+)/gi)].map((x) => x[1]!));
  return [...new Set(names)].sort();
}

/** The places in `text` where SQL (or a query builder) names one of `tables`. SQL keywords in
 * capitals (as this code writes SQL) before any table; in lower case only before the tables whose
 * names are not English words (sync_*, ledger_meta), so that a comment about "entries" passes. */
function sqlOnTables(text: string, tables: readonly string[]): string[] {
  const any = tables.join('|');
  const distinct = tables.filter((t) => t.includes('_')).join('|');
  const patterns = [
    new RegExp(`\\b(?:FROM|JOIN|INTO|UPDATE|TABLE|ON)\\s+(?:${any})\\b`, 'g'),
    ...(distinct ? [new RegExp(`\\b(?:from|join|into|update|table)\\s+(?:${distinct})\\b`, 'g')] : []),
    new RegExp(`\\b(?:selectFrom|insertInto|updateTable|deleteFrom)\\(\\s*['"\`](?:${any})['"\`]`, 'g'),
  ];
  return patterns.flatMap((p) => [...text.matchAll(p)].map((m) => m[0]));
}

function walk(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    if (name === 'node_modules' || name === 'dist' || name === 'weights') return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : SOURCE.test(name) ? [path] : [];
  });
}

test('the detector sees SQL on the ledger tables, and passes prose about entries', () => {
  const tables = ledgerTables();
  for (const t of ['entries', 'ledger_meta', 'sync_receipts', 'sync_gallery', 'sync_state'])
    assert.ok(tables.includes(t), `the migrations make ${t}`);
  assert.deepEqual(sqlOnTables("db.prepare('SELECT count(*) FROM entries WHERE kind = ?')", tables), ['FROM entries']);
  assert.deepEqual(sqlOnTables('db.prepare("delete from sync_gallery where customer_id = ?")', tables), [
    'from sync_gallery',
  ]);
  assert.deepEqual(sqlOnTables('LEFT JOIN sync_receipts r ON r.seq = e.seq', tables), ['JOIN sync_receipts']);
  assert.deepEqual(sqlOnTables("db.selectFrom('entries')", tables), ["selectFrom('entries'"]);
  assert.deepEqual(sqlOnTables('// the day list reads from entries of the day, then from the orders', tables), []);
});

test('no SQL on a ledger or sync-state table outside ledger/', () => {
  const tables = ledgerTables();
  const found = SCANNED.flatMap((d) => walk(join(ROOT, d))).flatMap((file) =>
    sqlOnTables(readFileSync(file, 'utf8'), tables).map((hit) => `${relative(ROOT, file)}: ${hit}`),
  );
  assert.deepEqual(
    found,
    [],
    'ask the table owner (ledger/store/store.ts, ledger/sync/kiosk-state.ts) by name instead',
  );
});
