// The `ledger` CLI as a user runs it (a real process): verify names the first bad entry
// and why for each kind of fault, with exit code 1; export and stats; and a missing or
// corrupt file gets one clear line and exit code 2, never a stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/tmp.js';
import { mixedLedger, openTestStore, payment, steppingClock } from '../helpers/ledger.js';
import { canonicalBytes } from '../../ledger/protocol/canonical.js';
import { entryHash } from '../../ledger/keys/ed25519.js';
import type { Entry } from '../../ledger/protocol/entry.js';
import type { DeviceKey } from '../../ledger/keys/device-key.js';

function ledger(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/ledger.js', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Rewrites entry `seq` as a forger holding the key would: re-signed, re-hashed, columns in step. */
function forge(path: string, seq: number, key: DeviceKey, change: (e: Entry) => void): void {
  const db = new Database(path);
  db.exec('DROP TRIGGER IF EXISTS entries_no_update');
  const row = db.prepare('SELECT canonical FROM entries WHERE seq = ?').get(seq) as { canonical: Uint8Array };
  const entry = JSON.parse(Buffer.from(row.canonical).toString('utf8')) as Entry;
  change(entry);
  const canonical = canonicalBytes(entry);
  const signature = key.signEntry(canonical);
  const amount = 'amount_minor' in entry.body ? entry.body.amount_minor : null;
  db.prepare('UPDATE entries SET canonical = ?, signature = ?, entry_hash = ?, amount_minor = ? WHERE seq = ?').run(
    canonical,
    signature,
    entryHash(canonical, signature),
    amount,
    seq,
  );
  db.close();
}

test('verify: OK with exit 0 on a good ledger, and the same as JSON', (t) => {
  const { store, path } = mixedLedger(tempDir(t));
  store.close();
  const r = ledger(['verify', path]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^OK .* entries of kiosk kiosk-test-1 verified/);
  const json = JSON.parse(ledger(['verify', path, '--json']).out);
  assert.equal(json.ok, true);
});

test('verify names the first bad entry and why: bad signature, broken chain, gap, bad Merkle root, refund over its payment', (t) => {
  const dir = tempDir(t);
  const { store, path, key } = openTestStore(dir);
  store.append('payment', payment(1, 1000));
  store.append('refund', {
    payment_seq: 1,
    amount_minor: 400,
    currency: 'EUR',
    reason: 'cold',
    approved_by: 'cashier:bo',
  });
  store.append('payment', payment(2, 500));
  store.closeDay('2026-11-20', 'manager:ana');
  store.append('payment', payment(3, 700));
  store.close();
  const copy = (name: string) => {
    const p = join(dir, name);
    copyFileSync(path, p);
    return p;
  };

  const badSig = copy('sig.db');
  const db = new Database(badSig);
  db.exec('DROP TRIGGER IF EXISTS entries_no_update');
  const sig = Buffer.from(db.prepare('SELECT signature FROM entries WHERE seq = 3').pluck().get() as Uint8Array);
  sig[10]! ^= 1;
  db.prepare('UPDATE entries SET signature = ? WHERE seq = 3').run(sig);
  db.close();
  const cases: [string, string, RegExp][] = [[badSig, 'entry 3', /LEDGER_BAD_SIGNATURE/]];

  const broken = copy('chain.db');
  forge(broken, 3, key, (e) => (e.prev_hash = 'ab'.repeat(32)));
  cases.push([broken, 'entry 3', /LEDGER_CHAIN_BROKEN/]);

  const gap = copy('gap.db');
  const g = new Database(gap);
  g.exec('DROP TRIGGER IF EXISTS entries_no_delete');
  g.prepare('DELETE FROM entries WHERE seq = 2').run();
  g.close();
  cases.push([gap, 'entry 3', /LEDGER_SEQ_GAP/]);

  const root = copy('root.db');
  forge(root, 4, key, (e) => {
    if (e.kind === 'day_close') e.body.merkle_root = 'cd'.repeat(32);
  });
  // The forged close changes its hash, so entry 5's link is re-forged too: only the root is wrong.
  const r2 = new Database(root, { readonly: true });
  const closeHash = Buffer.from(
    r2.prepare('SELECT entry_hash FROM entries WHERE seq = 4').pluck().get() as Uint8Array,
  ).toString('hex');
  r2.close();
  forge(root, 5, key, (e) => (e.prev_hash = closeHash));
  cases.push([root, 'entry 4', /LEDGER_BAD_MERKLE_ROOT/]);

  const over = copy('over.db');
  forge(over, 2, key, (e) => {
    if (e.kind === 'refund') e.body.amount_minor = 1400;
  });
  cases.push([over, 'entry 2', /LEDGER_REFUND_EXCEEDS_PAYMENT/]);

  for (const [file, where, why] of cases) {
    const r = ledger(['verify', file]);
    assert.equal(r.code, 1, `${file}: ${r.out}${r.err}`);
    assert.match(r.out, new RegExp(`FAILED .*first bad entry ${where.split(' ')[1]}:`), file);
    assert.match(r.out, why, file);
    assert.doesNotMatch(r.out + r.err, /\n\s+at /, 'no stack trace');
  }
});

test('verify --anchor catches entries cut off the end; --expect-key catches a ledger under another key', (t) => {
  const dir = tempDir(t);
  const { store, path } = openTestStore(dir);
  store.append('payment', payment(1));
  const last = store.append('payment', payment(2));
  store.close();
  const db = new Database(path);
  db.exec('DROP TRIGGER IF EXISTS entries_no_delete');
  db.prepare('DELETE FROM entries WHERE seq = 2').run();
  db.close();
  assert.equal(ledger(['verify', path]).code, 0);
  const r = ledger(['verify', path, '--anchor', `2:${last.entry_hash}`]);
  assert.equal(r.code, 1);
  assert.match(r.out, /cut off the end/);
  assert.equal(ledger(['verify', path, '--expect-key', 'ab'.repeat(32)]).code, 1);
});

test('a missing file, a file that is not SQLite and an SQLite file that is not a ledger: one line, exit 2', (t) => {
  const dir = tempDir(t);
  const junk = join(dir, 'junk.db');
  writeFileSync(junk, 'this is not a database, just text that is long enough to not be empty');
  const other = join(dir, 'other.db');
  new Database(other).exec('CREATE TABLE t (x)');
  for (const [file, expected] of [
    [join(dir, 'none.db'), /LEDGER_FILE_MISSING: no ledger at/],
    [junk, /LEDGER_FILE_CORRUPT: .* is not a readable SQLite ledger/],
    [other, /not a Smile to Pay ledger/],
  ] as const) {
    const r = ledger(['verify', file]);
    assert.equal(r.code, 2, file);
    assert.match(r.err, expected);
    assert.doesNotMatch(r.err, /\n\s+at /);
  }
  assert.equal(ledger(['verify']).code, 2);
  assert.equal(ledger(['export', junk, '--day', 'tuesday']).code, 2);
  assert.match(ledger(['bogus']).err, /unknown command "bogus"/);
});

test('export: a closed day as CSV and as JSON, and the open day by local date', (t) => {
  const { store, path } = mixedLedger(tempDir(t));
  store.close();
  const csv = ledger(['export', path, '--day', '2026-11-20', '--format', 'csv']);
  assert.equal(csv.code, 0, csv.err);
  const lines = csv.out.trim().split(/\r?\n/);
  assert.equal(
    lines[0],
    'seq,kind,created_at_ms,created_at,amount_minor,currency,method,payment_id,order_id,customer_id,payment_seq,reason,actor,tip_minor,net_minor,tax_minor,rates,items,entry_hash',
  );
  assert.match(lines.at(-1)!, /,day_close,/);
  const json = JSON.parse(ledger(['export', path, '--day', '2026-11-20', '--format', 'json']).out);
  assert.equal(json.closed, true);
  assert.equal(json.entries.length, lines.length - 1, 'the CSV and the JSON hold the same entries');
  assert.equal(json.entries.at(-1).entry.kind, 'day_close');
  const none = JSON.parse(ledger(['export', path, '--day', '2030-01-01', '--format', 'json']).out);
  assert.equal(none.entries.length, 0);
});

test('export of the open day: the entries since the last close whose local date is that day', (t) => {
  // One second a step from 23:59:57 UTC on the 20th (the first reading dates the new ledger
  // itself): two entries on the 20th, the rest on the 21st.
  const { store, path } = openTestStore(
    tempDir(t),
    undefined,
    'ledger.db',
    steppingClock(Date.UTC(2026, 10, 20, 23, 59, 57)),
  );
  for (let i = 0; i < 5; i++) store.append('payment', payment(i));
  store.close();
  const day20 = JSON.parse(ledger(['export', path, '--day', '2026-11-20', '--format', 'json']).out);
  const day21 = JSON.parse(ledger(['export', path, '--day', '2026-11-21', '--format', 'json']).out);
  assert.equal(day20.closed, false);
  assert.deepEqual(
    day20.entries.map((e: { entry: { seq: number } }) => e.entry.seq),
    [1, 2],
  );
  assert.deepEqual(
    day21.entries.map((e: { entry: { seq: number } }) => e.entry.seq),
    [3, 4, 5],
  );
});

test('stats: counts by kind and totals per currency', (t) => {
  const { store, path } = mixedLedger(tempDir(t), 12);
  store.close();
  const r = ledger(['stats', path, '--json']);
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  assert.equal(s.by_kind.key_rotation, 1);
  assert.equal(s.days_closed, 2);
  assert.equal(
    s.entries,
    Object.values(s.by_kind as Record<string, number>).reduce((a, b) => a + b, 0),
  );
  assert.match(ledger(['stats', path]).out, /EUR: \d+ payments, gross/);
});
