// Proves that every table of the kiosk's SQLite files has one owner module, and that SQL naming
// a table appears only there: the ledger file's tables (the ledger's and the sync state's) only
// in ledger/, where every other layer asks ledger/store or ledger/sync by name
// (store.paymentCountOf, state.receiptsMatched, state.galleryRemove ...); staff.db's only in the
// staff directory, privacy.db's only in the privacy desk, customers.db's only in the customer
// directory, orders.db's only in the order store. So a migration breaks at compile time, not on
// a manager's screen. The tables are read from each file's own migrations, so a new one is
// covered without editing this test. Tests may still touch the tables (tampering is how they
// prove verify), so test/ is not scanned; the settlement server is a separate program with its
// own database (some of its tables share a name with the kiosk's), so ledger/server is not either.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LEDGER_MIGRATIONS, type Migration } from '../../ledger/store/migrate.js';
import { STAFF_MIGRATIONS } from '../../electron/host/staff/directory.js';
import { PRIVACY_MIGRATIONS } from '../../electron/host/manager/privacy.js';
import { CUSTOMERS_MIGRATIONS } from '../../electron/host/payment/customers.js';
import { ORDERS_MIGRATIONS } from '../../electron/host/orders/order-store.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Every folder of source that is not a test (ledger/server: see above). */
const SCANNED = ['electron', 'ledger', 'renderer', 'vision', 'native', 'models', 'scripts', 'bin'];
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

/** Each file's migrations, and where SQL on its tables may be (path prefixes: its module and its migrations). */
const OWNERS: { file: string; migrations: readonly Migration[]; owner: string[] }[] = [
  { file: 'ledger.db', migrations: LEDGER_MIGRATIONS, owner: ['ledger/'] },
  {
    file: 'staff.db',
    migrations: STAFF_MIGRATIONS,
    // pin-attempts.ts is the directory's own PIN counting, split out for its size: it works on
    // the connection the directory lends it, inside the directory's transactions.
    owner: [
      'electron/host/staff/directory.ts',
      'electron/host/staff/pin-attempts.ts',
      'electron/host/staff/migrations/',
    ],
  },
  {
    file: 'privacy.db',
    migrations: PRIVACY_MIGRATIONS,
    owner: ['electron/host/manager/privacy.ts', 'electron/host/manager/migrations/'],
  },
  {
    file: 'customers.db',
    migrations: CUSTOMERS_MIGRATIONS,
    owner: ['electron/host/payment/customers.ts', 'electron/host/payment/migrations/'],
  },
  {
    file: 'orders.db',
    migrations: ORDERS_MIGRATIONS,
    owner: ['electron/host/orders/order-store.ts', 'electron/host/orders/migrations/'],
  },
];

function tablesOf(migrations: readonly Migration[]): string[] {
  const names = migrations.flatMap((m) =>
    [...m.sql.matchAll(/CREATE\s+(?:TABLE|VIEW)\s+(?:IF NOT EXISTS\s+)?(\w+)/gi)].map((x) => x[1]!),
  );
  return [...new Set(names)].sort();
}

/** The places in `text` where SQL (or a query builder) names one of `tables`. SQL keywords in
 * capitals (as this code writes SQL) before any table; in lower case only before the tables whose
 * names are not English words (sync_*, ledger_meta, staff_audit ...), so that a comment about
 * "entries" or "orders" passes. */
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

test('the detector sees SQL on the tables, and passes prose about entries', () => {
  const tables = tablesOf(LEDGER_MIGRATIONS);
  for (const t of ['entries', 'ledger_meta', 'sync_receipts', 'sync_gallery', 'sync_state'])
    assert.ok(tables.includes(t), `the migrations make ${t}`);
  assert.deepEqual(tablesOf(PRIVACY_MIGRATIONS), ['consents', 'deletion_history', 'deletion_state', 'deletions']);
  assert.deepEqual(sqlOnTables("db.prepare('SELECT count(*) FROM entries WHERE kind = ?')", tables), ['FROM entries']);
  assert.deepEqual(sqlOnTables('db.prepare("delete from sync_gallery where customer_id = ?")', tables), [
    'from sync_gallery',
  ]);
  assert.deepEqual(sqlOnTables('LEFT JOIN sync_receipts r ON r.seq = e.seq', tables), ['JOIN sync_receipts']);
  assert.deepEqual(sqlOnTables("db.selectFrom('entries')", tables), ["selectFrom('entries'"]);
  assert.deepEqual(sqlOnTables('// the day list reads from entries of the day, then from the orders', tables), []);
});

test('no SQL on a table of the kiosk outside its owner (the ledger and sync state: outside ledger/)', () => {
  const files = SCANNED.flatMap((d) => walk(join(ROOT, d)))
    .map((f) => relative(ROOT, f))
    .filter((f) => !f.startsWith('ledger/server/'));
  const found = OWNERS.flatMap(({ file, migrations, owner }) => {
    const tables = tablesOf(migrations);
    return files
      .filter((f) => !owner.some((o) => f.startsWith(o)))
      .flatMap((f) =>
        sqlOnTables(readFileSync(join(ROOT, f), 'utf8'), tables).map((hit) => `${f}: ${hit} (a table of ${file})`),
      );
  });
  assert.deepEqual(found, [], `ask the table's owner by name instead (${OWNERS.map((o) => o.owner).join(', ')})`);
});
