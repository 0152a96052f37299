// Proves the one migration mechanism (ledger/store/migrate.ts) for every SQLite file the kiosk
// owns: each file's schema is its numbered migration files and nothing else; each migration,
// applied to a real file, makes its schema and upgrades a file of the version before; files made
// by the code before this mechanism (test/fixtures/schemas/1c1446a, made by that commit's own
// classes with make.ts there) open with their rows; and a file from a newer program is refused
// with a clear error naming it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { LEDGER_MIGRATIONS, migrate, type Migration } from '../../ledger/store/migrate.js';
import { LedgerStore } from '../../ledger/store/store.js';
import { KioskState } from '../../ledger/sync/kiosk-state.js';
import { DeviceKey } from '../../ledger/keys/device-key.js';
import { verifyLedger } from '../../ledger/verify/verify.js';
import { createLogger } from '../../electron/log.js';
import { CUSTOMERS_MIGRATIONS, CustomerDirectory } from '../../electron/host/payment/customers.js';
import { Gallery } from '../../electron/host/payment/gallery.js';
import { ORDERS_MIGRATIONS, OrderStore } from '../../electron/host/orders/order-store.js';
import { LOCKOUT_MS, STAFF_MIGRATIONS, StaffDirectory } from '../../electron/host/staff/directory.js';
import { hashPin } from '../../electron/host/staff/pin-hash.js';
import { PRIVACY_MIGRATIONS, PrivacyService } from '../../electron/host/manager/privacy.js';
import { SCREEN_MIGRATIONS } from '../../electron/host/pairing/pairing.js';
import { PRINT_MIGRATIONS } from '../../electron/host/printing/print-store.js';
import { payment } from '../helpers/ledger.js';
import { tempDir } from '../helpers/tmp.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = join(ROOT, 'test', 'fixtures', 'schemas', '1c1446a');
/** The clock make.ts made the fixtures at (orders.db drops orders older than its retention). */
const FIXTURE_NOW_MS = 1_790_000_000_000;
const log = createLogger({ level: 'silent' });

/** Each file the kiosk owns, its migrations folder and the list its owner applies. */
const SCHEMAS: { file: string; dir: string; migrations: readonly Migration[] }[] = [
  { file: 'ledger.db', dir: 'ledger/store/migrations', migrations: LEDGER_MIGRATIONS },
  { file: 'staff.db', dir: 'electron/host/staff/migrations', migrations: STAFF_MIGRATIONS },
  { file: 'privacy.db', dir: 'electron/host/manager/migrations', migrations: PRIVACY_MIGRATIONS },
  { file: 'customers.db', dir: 'electron/host/payment/migrations', migrations: CUSTOMERS_MIGRATIONS },
  { file: 'orders.db', dir: 'electron/host/orders/migrations', migrations: ORDERS_MIGRATIONS },
  { file: 'screens.db', dir: 'electron/host/pairing/migrations', migrations: SCREEN_MIGRATIONS },
  { file: 'print.db', dir: 'electron/host/printing/migrations', migrations: PRINT_MIGRATIONS },
];

const objects = (db: Database.Database): string[] =>
  db
    .prepare("SELECT type || ' ' || name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY 1")
    .pluck()
    .all() as string[];
const version = (db: Database.Database): number => db.pragma('user_version', { simple: true }) as number;

/** A copy of a fixture file in a temporary folder (the fixtures themselves are never written). */
function fixture(t: Parameters<typeof tempDir>[0], name: string): string {
  const path = join(tempDir(t, 'smile-schema-'), name);
  copyFileSync(join(FIXTURES, name), path);
  return path;
}

function withDb<T>(path: string, run: (db: Database.Database) => T): T {
  const db = new Database(path);
  try {
    return run(db);
  } finally {
    db.close();
  }
}

test('each file the kiosk owns is made by its numbered migration files, registered in order, and by nothing else', async () => {
  for (const s of SCHEMAS) {
    const files = readdirSync(join(ROOT, s.dir)).sort();
    assert.deepEqual(
      files.map((f, i) => f.startsWith(`${String(i + 1).padStart(4, '0')}-`) && /^\d{4}-[a-z0-9-]+\.ts$/.test(f)),
      files.map(() => true),
      `${s.dir}: files named NNNN-name.ts, numbered from 0001 without a gap (${files.join(', ')})`,
    );
    assert.equal(s.migrations.length, files.length, `${s.file}: every file in ${s.dir} is applied`);
    for (const [i, f] of files.entries()) {
      const m = (await import(join(ROOT, s.dir, f))) as Migration;
      assert.equal(m.version, i + 1, `${s.dir}/${f}: version`);
      assert.equal(s.migrations[i]!.sql, m.sql, `${s.file} applies ${f} as migration ${i + 1}`);
    }
  }
  // No schema made beside them: no CREATE TABLE and no user_version written in the kiosk's code
  // outside the migrations folders (the settlement server, a separate program, has its own).
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    );
  const stray = ['electron', 'ledger']
    .flatMap((d) => walk(join(ROOT, d)))
    .map((f) => relative(ROOT, f))
    .filter((f) => !f.startsWith('ledger/server/') && !f.includes('/migrations/'))
    .filter((f) => /CREATE\s+(TABLE|INDEX|VIEW|TRIGGER)|user_version\s*=/i.test(readFileSync(join(ROOT, f), 'utf8')));
  assert.deepEqual(stray, ['ledger/store/migrate.ts'], 'only the mechanism itself sets user_version');
});

test('ledger 0001 makes the append-only entries table; 0002 upgrades a ledger at schema 1 with its identity kept', async (t) => {
  const dir = tempDir(t, 'smile-schema-');
  const path = join(dir, 'ledger.db');
  const key = DeviceKey.generate();
  withDb(path, (db) => {
    migrate(db, LEDGER_MIGRATIONS.slice(0, 1), path);
    assert.equal(version(db), 1);
    assert.deepEqual(objects(db), [
      'index entries_by_created_at',
      'index entries_by_kind',
      'index entries_by_payment_seq',
      'table entries',
      'table ledger_meta',
      'trigger entries_no_delete',
      'trigger entries_no_update',
      'trigger meta_no_delete',
      'trigger meta_no_update',
    ]);
    const insert = db.prepare('INSERT INTO ledger_meta (key, value) VALUES (?, ?)');
    insert.run('kiosk_id', 'k-old');
    insert.run('genesis_public_key', key.publicKeyHex);
    insert.run('timezone', 'Europe/Berlin');
    insert.run('created_at_ms', '1');
    assert.throws(() => db.prepare("UPDATE ledger_meta SET value = 'x'").run(), /LEDGER_APPEND_ONLY/);
  });
  const store = LedgerStore.open({ path, kioskId: 'k-old', key });
  try {
    assert.equal(store.timezone, 'Europe/Berlin', 'the identity of schema 1 is kept');
    store.append('payment', payment(1));
  } finally {
    store.close();
  }
  withDb(path, (db) => {
    assert.equal(version(db), 2);
    for (const table of ['sync_batches', 'sync_receipts', 'sync_state', 'sync_gallery', 'sync_freezes', 'sync_limits'])
      assert.ok(objects(db).includes(`table ${table}`), `0002 makes ${table}`);
  });
  const state = new KioskState(path);
  assert.equal(state.tipSeq(), 1);
  state.close();
  assert.equal((await verifyLedger(path, { workers: 1 })).ok, true);
});

test('staff 0001 makes the staff table; 0002 adds the append-only audit to a staff.db at schema 1', async (t) => {
  const path = join(tempDir(t, 'smile-schema-'), 'staff.db');
  const pinHash = await hashPin('5947');
  withDb(path, (db) => {
    migrate(db, STAFF_MIGRATIONS.slice(0, 1), path);
    assert.deepEqual(objects(db), ['table staff']);
    db.prepare(
      "INSERT INTO staff (staff_id, display_name, role, pin_hash, created_at_ms) VALUES ('ana', 'Ana', 'manager', ?, 1)",
    ).run(pinHash);
  });
  const staff = new StaffDirectory(path);
  try {
    // A manager's 4-digit PIN from before the 6-digit rule: a PIN change before a manager's work.
    const ana = await staff.signIn('ana', '5947');
    assert.equal(ana.pin_change_required, true);
    await staff.changeOwnPin(ana.token, '5947', '594726');
    await staff.add({ staff_id: 'bo', display_name: 'Bo', role: 'cashier' }, '8326', ana);
    assert.deepEqual(
      staff.auditLog().map((r) => [r.actor, r.action, r.staff_id]),
      [
        ['manager:ana', 'add', 'bo'],
        ['manager:ana', 'change_own_pin', 'ana'],
      ],
    );
  } finally {
    staff.close();
  }
  withDb(path, (db) => {
    assert.equal(version(db), STAFF_MIGRATIONS.length);
    assert.throws(() => db.prepare('DELETE FROM staff_audit').run(), /append-only/);
  });
});

test('staff 0003 adds the count of lock-outs (they grow on repeat) to a staff.db at schema 2', async (t) => {
  const path = join(tempDir(t, 'smile-schema-'), 'staff.db');
  const pinHash = await hashPin('739154');
  withDb(path, (db) => {
    migrate(db, STAFF_MIGRATIONS.slice(0, 2), path);
    db.prepare(
      "INSERT INTO staff (staff_id, display_name, role, pin_hash, failed_attempts, created_at_ms) VALUES ('ana', 'Ana', 'manager', ?, 3, 1)",
    ).run(pinHash);
  });
  let clock = Date.UTC(2026, 10, 21, 9);
  const staff = new StaffDirectory(path, { now: () => clock });
  try {
    // The 3 wrong PINs counted before stand: 2 more lock Ana out, for the first lock-out's time.
    await assert.rejects(staff.signIn('ana', '000000'), /tries left/);
    await assert.rejects(staff.signIn('ana', '000001'), (e: { details?: { locked_for_ms?: number } }) => {
      return e.details?.locked_for_ms === LOCKOUT_MS;
    });
    clock += LOCKOUT_MS + 1;
    assert.equal((await staff.signIn('ana', '739154')).role, 'manager');
  } finally {
    staff.close();
  }
  withDb(path, (db) => {
    assert.equal(version(db), 3);
    assert.deepEqual(db.prepare("SELECT failed_attempts, lockouts FROM staff WHERE staff_id = 'ana'").get(), {
      failed_attempts: 0,
      lockouts: 0,
    });
  });
});

test('a staff.db made by the code before (1c1446a) opens: its members sign in with their PINs', async (t) => {
  const staff = new StaffDirectory(fixture(t, 'staff.db'));
  try {
    const ana = await staff.signIn('ana', '5947');
    assert.equal(ana.role, 'manager');
    assert.deepEqual(
      staff.list().map((m) => m.staff_id),
      ['ana', 'bo'],
    );
    assert.deepEqual(
      staff.auditLog().map((r) => [r.action, r.staff_id]),
      [
        ['add', 'bo'],
        ['add', 'ana'],
      ],
    );
  } finally {
    staff.close();
  }
});

test('privacy 0001 makes consents and deletions; 0002 moves a schema-1 file (also one of before versions) into the history', (t) => {
  const dir = tempDir(t, 'smile-schema-');
  for (const [name, before] of [
    ['at-1.db', 1],
    ['unversioned.db', 0],
  ] as const) {
    const path = join(dir, name);
    withDb(path, (db) => {
      if (before === 1) migrate(db, PRIVACY_MIGRATIONS.slice(0, 1), path);
      else db.exec(PRIVACY_MIGRATIONS[0].sql); // the tables as the code of that time made them, no version
      assert.equal(version(db), before);
      assert.deepEqual(objects(db), ['index deletions_pending', 'table consents', 'table deletions']);
      db.prepare('INSERT INTO deletions VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        'c-was',
        1_000,
        'manager:ana',
        'asked',
        'propagated',
        2_000,
        null,
      );
      db.prepare('INSERT INTO deletions VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        'c-wait',
        1_500,
        'manager:bo',
        'asked too',
        'pending',
        null,
        null,
      );
    });
    withDb(path, (db) => {
      migrate(db, PRIVACY_MIGRATIONS, path);
      assert.equal(version(db), 2);
      assert.deepEqual(
        db.prepare('SELECT customer_id, status, requested_by FROM deletions ORDER BY customer_id').raw().all(),
        [
          ['c-wait', 'pending', 'manager:bo'],
          ['c-was', 'propagated', 'manager:ana'],
        ],
        `${name}: the deletions view shows the rows of schema 1`,
      );
      assert.deepEqual(db.prepare('SELECT customer_id, event FROM deletion_history ORDER BY id').raw().all(), [
        ['c-was', 'requested'],
        ['c-wait', 'requested'],
        ['c-was', 'propagated'],
      ]);
      assert.throws(() => db.prepare('DELETE FROM deletion_history').run(), /append-only/);
    });
  }
});

/** A privacy desk on real parts (a new ledger and its sync state; staff and customer files, new
 * unless given), opening the privacy.db at `path`. */
function privacyDesk(
  t: Parameters<typeof tempDir>[0],
  path: string,
  files: { staff?: string; customers?: string } = {},
): { desk: () => PrivacyService; staff: StaffDirectory; customers: CustomerDirectory } {
  const dir = tempDir(t, 'smile-schema-');
  const ledgerPath = join(dir, 'ledger.db');
  LedgerStore.open({ path: ledgerPath, kioskId: 'k-fixture', key: DeviceKey.generate() }).close();
  const state = new KioskState(ledgerPath);
  const staff = new StaffDirectory(files.staff ?? join(dir, 'staff.db'));
  const customers = new CustomerDirectory(files.customers ?? join(dir, 'customers.db'));
  t.after(() => {
    customers.close();
    staff.close();
    state.close();
  });
  const gallery = new Gallery(state, new Uint8Array(32));
  return {
    desk: () => new PrivacyService({ log, kioskId: 'k-fixture', path, staff, customers, state, gallery, worker: null }),
    staff,
    customers,
  };
}

test('a privacy.db, customers.db and staff.db made by the code before (1c1446a) open in the privacy panel with their records', async (t) => {
  const customersPath = fixture(t, 'customers.db');
  const parts = privacyDesk(t, fixture(t, 'privacy.db'), { staff: fixture(t, 'staff.db'), customers: customersPath });
  const desk = parts.desk();
  try {
    // Ana's 4-digit manager PIN of then: changed to 6 digits before a manager's work.
    const ana = (await parts.staff.signIn('ana', '5947')).token;
    await parts.staff.changeOwnPin(ana, '5947', '594726');
    const ada = desk.consentRecords({ token: ana, customer_id: 'c-ada' });
    assert.equal(ada.display_name, 'Ada Lovelace');
    assert.equal(ada.phone_last4, '0042');
    assert.equal(ada.consent?.purpose, 'pay by face at this restaurant');
    assert.equal(ada.consent?.language, 'en');
    assert.equal(desk.consentRecords({ token: ana, customer_id: 'c-gone' }).deletion?.status, 'propagated');
    assert.deepEqual(
      desk.findCustomers({ token: ana, query: 'chen' }).customers.map((c) => c.customer_id),
      ['c-bo'],
    );
    assert.equal(desk.pendingCount(), 0);
  } finally {
    await desk.close();
  }
  withDb(customersPath, (db) => assert.equal(version(db), 1, 'customers.db of before versions is at 1 now'));
});

test('customers 0001 makes the directory on a new file', (t) => {
  const path = join(tempDir(t, 'smile-schema-'), 'customers.db');
  const customers = new CustomerDirectory(path);
  customers.put({ customer_id: 'c-1', display_name: 'Jo', phone_last4: '0042', enrolled_at_ms: 1 });
  assert.deepEqual(customers.withPhoneDigits('0042'), ['c-1']);
  customers.close();
  withDb(path, (db) => {
    assert.equal(version(db), 1);
    assert.deepEqual(objects(db), ['table customers']);
    assert.throws(() => db.prepare("INSERT INTO customers VALUES ('c-2', 'Bo', '12', 1)").run(), /CHECK/);
  });
});

test('orders 0001 makes the orders table; an orders.db made by the code before (1c1446a) opens with its board', (t) => {
  const path = join(tempDir(t, 'smile-schema-'), 'orders.db');
  new OrderStore(path).close();
  withDb(path, (db) => {
    assert.equal(version(db), 1);
    assert.deepEqual(objects(db), ['index orders_created', 'index orders_paid_seq', 'table orders']);
  });
  const old = new OrderStore(fixture(t, 'orders.db'), () => FIXTURE_NOW_MS);
  try {
    const orders = old.latest(10);
    assert.deepEqual(
      orders.map((o) => [o.status, o.paid_seq, o.lines.map((l) => l.item_id)]),
      [
        ['paid', 7, ['ramen']],
        ['new', null, ['tea']],
      ],
    );
  } finally {
    old.close();
  }
});

test('every file from a newer program is refused with an error naming it and both versions', async (t) => {
  const dir = tempDir(t, 'smile-schema-');
  const key = DeviceKey.generate();
  const ledgerPath = join(dir, 'ledger.db');
  LedgerStore.open({ path: ledgerPath, kioskId: 'k-new', key }).close();
  const opens: [string, number, (path: string) => { close(): unknown }][] = [
    [ledgerPath, LEDGER_MIGRATIONS.length, (p) => LedgerStore.open({ path: p, kioskId: 'k-new', key })],
    [join(dir, 'staff.db'), STAFF_MIGRATIONS.length, (p) => new StaffDirectory(p)],
    [join(dir, 'customers.db'), CUSTOMERS_MIGRATIONS.length, (p) => new CustomerDirectory(p)],
    [join(dir, 'orders.db'), ORDERS_MIGRATIONS.length, (p) => new OrderStore(p)],
  ];
  for (const [path, known, open] of opens) {
    open(path).close();
    withDb(path, (db) => db.pragma(`user_version = ${known + 1}`));
    assert.throws(
      () => open(path),
      (err: Error & { code?: string }) =>
        err.code === 'LEDGER_SCHEMA_TOO_NEW' &&
        err.message ===
          `${path} has schema version ${known + 1}, newer than this program's ${known}: update the program, do not downgrade the file`,
      path,
    );
  }
  const privacyPath = join(dir, 'privacy.db');
  const parts = privacyDesk(t, privacyPath);
  withDb(privacyPath, (db) => db.pragma(`user_version = ${PRIVACY_MIGRATIONS.length + 1}`));
  assert.throws(
    () => parts.desk(),
    (err: Error & { code?: string }) =>
      err.code === 'LEDGER_SCHEMA_TOO_NEW' &&
      err.message.startsWith(`${privacyPath} has schema version ${PRIVACY_MIGRATIONS.length + 1}, newer than`),
  );
});

test('screens 0001 makes the paired screens table: a token hash of 64 hex, one row per screen', (t) => {
  const path = join(tempDir(t, 'smile-schema-'), 'screens.db');
  withDb(path, (db) => {
    migrate(db, SCREEN_MIGRATIONS, path);
    assert.equal(version(db), 1);
    assert.deepEqual(
      objects(db),
      ['index sqlite_autoindex_screens_1', 'table screens'].filter((o) => !o.includes('sqlite_')),
    );
    const insert = db.prepare(
      "INSERT INTO screens (screen_id, token_sha256, label, paired_at_ms, paired_by, method) VALUES (?, ?, 'x', 1, 'link', 'link')",
    );
    insert.run('scr-1', 'a'.repeat(64));
    assert.throws(() => insert.run('scr-2', 'a'.repeat(64)), /UNIQUE/, 'one screen per token');
    assert.throws(() => insert.run('scr-3', 'short'), /CHECK/, 'a SHA-256 in hex');
  });
});
