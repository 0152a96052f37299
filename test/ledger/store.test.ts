// The SQLite store: what it accepts, what it refuses and why, and what it promises about
// durability, append-only storage, day closes and key rotation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/tmp.js';
import { KIOSK, mixedLedger, openTestStore, payment } from '../helpers/ledger.js';
import {
  DeviceKey,
  loadDeviceKey,
  loadOrCreateDeviceKey,
  pendingKeyPath,
  settlePendingKey,
  writeKeyFile,
  newSecretKey,
} from '../../ledger/keys/device-key.js';
import { LedgerStore } from '../../ledger/store/store.js';
import { LedgerError } from '../../ledger/protocol/errors.js';
import { fromHex } from '../../ledger/protocol/hex.js';
import { verifyInclusion } from '../../ledger/protocol/merkle.js';
import { verifyLedger } from '../../ledger/verify/verify.js';

const code = (c: string) => (err: unknown) => err instanceof LedgerError && err.code === c;

test('the store runs in WAL mode with synchronous=FULL, so each append is fsynced before it returns', (t) => {
  const { store } = openTestStore(tempDir(t));
  assert.deepEqual(store.pragmas(), { journal_mode: 'wal', synchronous: 2 });
  store.close();
});

test('appends chain: gapless seq from 1, prev_hash is the previous entry_hash, and each reads back verified', (t) => {
  const { store } = openTestStore(tempDir(t));
  const a = store.append('payment', payment(1));
  const b = store.append('payment', payment(2));
  assert.equal(a.entry.seq, 1);
  assert.equal(a.entry.prev_hash, '0'.repeat(64));
  assert.equal(b.entry.seq, 2);
  assert.equal(b.entry.prev_hash, a.entry_hash);
  assert.deepEqual(store.get(2), b);
  assert.equal(store.get(3), undefined);
  store.close();
});

test('the store refuses bad entries with a code that names the fault, and stores nothing for them', (t) => {
  const { store } = openTestStore(tempDir(t));
  store.append('payment', payment(1, 1000));
  const refusals: [string, () => unknown][] = [
    ['LEDGER_ENTRY_INVALID', () => store.append('payment', payment(2, 12.5))],
    ['LEDGER_ENTRY_INVALID', () => store.append('payment', payment(2, -5))],
    ['LEDGER_ENTRY_INVALID', () => store.append('payment', payment(2, 100, { currency: 'EURO' }))],
    ['LEDGER_ENTRY_INVALID', () => store.append('payment', payment(2, 100, { customer_id: undefined }))],
    ['LEDGER_ENTRY_INVALID', () => store.append('payment', { ...payment(2), extra: 1 } as never)],
    ['LEDGER_DUPLICATE_PAYMENT', () => store.append('payment', payment(1, 1000))],
    [
      'LEDGER_UNKNOWN_PAYMENT',
      () => store.append('refund', { payment_seq: 9, amount_minor: 1, currency: 'EUR', reason: 'x', approved_by: 'm' }),
    ],
    [
      'LEDGER_CURRENCY_MISMATCH',
      () => store.append('refund', { payment_seq: 1, amount_minor: 1, currency: 'USD', reason: 'x', approved_by: 'm' }),
    ],
    [
      'LEDGER_REFUND_EXCEEDS_PAYMENT',
      () =>
        store.append('refund', { payment_seq: 1, amount_minor: 1001, currency: 'EUR', reason: 'x', approved_by: 'm' }),
    ],
    [
      'LEDGER_REFUND_EXCEEDS_PAYMENT',
      () => store.append('void', { payment_seq: 1, amount_minor: 10, currency: 'EUR', reason: 'x', approved_by: 'm' }),
    ],
  ];
  for (const [expected, attempt] of refusals) assert.throws(attempt, code(expected), expected);
  assert.equal(store.count(), 1, 'nothing was stored for the refused entries');
  store.close();
});

test('refunds and voids together can never exceed their payment', (t) => {
  const { store } = openTestStore(tempDir(t));
  store.append('payment', payment(1, 1000));
  store.append('refund', {
    payment_seq: 1,
    amount_minor: 400,
    currency: 'EUR',
    reason: 'one dish missing',
    approved_by: 'cashier:bo',
  });
  store.append('refund', {
    payment_seq: 1,
    amount_minor: 100,
    currency: 'EUR',
    reason: 'late',
    approved_by: 'cashier:bo',
  });
  assert.throws(
    () => store.append('refund', { payment_seq: 1, amount_minor: 501, currency: 'EUR', reason: 'x', approved_by: 'm' }),
    code('LEDGER_REFUND_EXCEEDS_PAYMENT'),
  );
  store.append('void', {
    payment_seq: 1,
    amount_minor: 500,
    currency: 'EUR',
    reason: 'rest cancelled',
    approved_by: 'manager:ana',
  });
  assert.throws(
    () => store.append('refund', { payment_seq: 1, amount_minor: 1, currency: 'EUR', reason: 'x', approved_by: 'm' }),
    code('LEDGER_REFUND_EXCEEDS_PAYMENT'),
  );
  store.close();
});

test('the ledger tables are append-only: UPDATE and DELETE are refused by triggers', (t) => {
  const { store, path } = openTestStore(tempDir(t));
  store.append('payment', payment(1));
  store.close();
  const db = new Database(path);
  assert.throws(() => db.prepare('UPDATE entries SET amount_minor = 1').run(), /LEDGER_APPEND_ONLY/);
  assert.throws(() => db.prepare('DELETE FROM entries').run(), /LEDGER_APPEND_ONLY/);
  assert.throws(() => db.prepare("UPDATE ledger_meta SET value = 'x'").run(), /LEDGER_APPEND_ONLY/);
  db.close();
});

test('a day close carries the count, totals and Merkle root, and every entry of the day has a proof', (t) => {
  const { store } = openTestStore(tempDir(t));
  store.append('payment', payment(1, 1000));
  store.append('payment', payment(2, 2500, { currency: 'USD' }));
  store.append('refund', {
    payment_seq: 1,
    amount_minor: 200,
    currency: 'EUR',
    reason: 'cold',
    approved_by: 'cashier:bo',
  });
  const close = store.closeDay('2026-11-20', 'manager:ana');
  assert.equal(close.entry.kind, 'day_close');
  if (close.entry.kind !== 'day_close') return;
  const body = close.entry.body;
  assert.equal(body.entry_count, 3);
  assert.deepEqual(body.totals, [
    { currency: 'EUR', gross_minor: 1000, net_minor: 800, payment_count: 1, refunds_minor: 200, voids_minor: 0 },
    { currency: 'USD', gross_minor: 2500, net_minor: 2500, payment_count: 1, refunds_minor: 0, voids_minor: 0 },
  ]);
  for (let seq = 1; seq <= 3; seq++) {
    const p = store.inclusionProofFor(seq)!;
    const leaf = fromHex(store.get(seq)!.entry_hash);
    assert.ok(
      verifyInclusion(
        leaf,
        p.leaf_index,
        p.tree_size,
        p.proof.map((h) => fromHex(h)),
        fromHex(body.merkle_root),
      ),
      `proof of ${seq}`,
    );
  }
  assert.equal(store.inclusionProofFor(4), undefined, 'the close itself is in the next day');
  // The next close starts after this one, and its day must come later.
  store.append('payment', payment(3));
  assert.throws(() => store.closeDay('2026-11-20', 'manager:ana'), code('LEDGER_BAD_DAY_CLOSE'));
  const next = store.closeDay('2026-11-21', 'manager:ana');
  assert.equal(next.entry.kind === 'day_close' && next.entry.body.first_seq, 5);
  store.close();
});

test('an empty day can be closed, with the empty tree root', (t) => {
  const { store } = openTestStore(tempDir(t));
  const close = store.closeDay('2026-11-20', 'manager:ana');
  assert.equal(
    close.entry.kind === 'day_close' && close.entry.body.merkle_root,
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
  store.close();
});

test('key rotation: signed by the old key, names the new one; afterwards only the new key can append', async (t) => {
  const dir = tempDir(t);
  const { store, path, keys } = mixedLedger(dir);
  store.close();
  assert.throws(() => LedgerStore.open({ path, kioskId: KIOSK, key: keys[0]! }), code('LEDGER_WRONG_KEY'));
  const reopened = LedgerStore.open({ path, kioskId: KIOSK, key: keys[1]! });
  reopened.append('payment', payment(5000));
  reopened.close();
  assert.throws(
    () => LedgerStore.open({ path, kioskId: 'another-kiosk', key: keys[1]! }),
    code('LEDGER_KIOSK_MISMATCH'),
  );
  const report = await verifyLedger(path);
  assert.equal(report.ok, true, JSON.stringify(report.fault));
  assert.equal(report.key_rotations, 1);
  assert.equal(report.days_closed, 2);
});

test('a database from a newer version of the program is refused with a clear error', (t) => {
  const dir = tempDir(t);
  const { store, path, key } = openTestStore(dir);
  store.close();
  const db = new Database(path);
  db.pragma('user_version = 99');
  db.close();
  assert.throws(
    () => LedgerStore.open({ path, kioskId: KIOSK, key }),
    (err) => code('LEDGER_SCHEMA_TOO_NEW')(err) && /newer than this program/.test((err as Error).message),
  );
});

test('the device key file is made with mode 0600, and refused if others can read it', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'keys', 'device-key.json');
  const { key, created } = loadOrCreateDeviceKey(path);
  assert.equal(created, true);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(loadOrCreateDeviceKey(path).key.publicKeyHex, key.publicKeyHex);
  chmodSync(path, 0o644);
  assert.throws(
    () => loadDeviceKey(path),
    (err) => code('LEDGER_KEY_FILE')(err) && /chmod 600/.test((err as Error).message),
  );
  chmodSync(path, 0o600);
  writeFileSync(path, '{"v":1,"algorithm":"ed25519","public_key":"00","secret_key":"zz"}', { mode: 0o600 });
  assert.throws(() => loadDeviceKey(path));
});

test('a key rotation interrupted by a crash settles at the next start, whichever side of the commit it stopped', (t) => {
  const dir = tempDir(t);
  const keyPath = join(dir, 'device-key.json');
  const first = loadOrCreateDeviceKey(keyPath).key;
  // Crash before the rotation entry committed: the pending key is dropped.
  writeKeyFile(pendingKeyPath(keyPath), newSecretKey());
  assert.equal(settlePendingKey(keyPath, first.publicKeyHex).publicKeyHex, first.publicKeyHex);
  assert.equal(existsSync(pendingKeyPath(keyPath)), false);
  // Crash after it committed: the ledger expects the pending key, which becomes the key.
  const next = writeKeyFile(pendingKeyPath(keyPath), newSecretKey());
  assert.equal(settlePendingKey(keyPath, next.publicKeyHex).publicKeyHex, next.publicKeyHex);
  assert.equal(loadDeviceKey(keyPath).publicKeyHex, next.publicKeyHex);
  void DeviceKey;
});
