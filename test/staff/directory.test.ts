// Staff sign-in: PINs are stored only as scrypt hashes; five wrong PINs lock a member out
// for five minutes (the right PIN included); sessions end after idle time; a cashier
// cannot do a manager's work; and the approver string is what the ledger records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/tmp.js';
import { LOCKOUT_MS, SIGN_IN_FAILURES_MAX, StaffDirectory, StaffError } from '../../electron/host/staff/directory.js';
import { pinProblem } from '../../electron/host/staff/pin-hash.js';

const code = (c: string) => (err: unknown) => err instanceof StaffError && err.code === c;

function directory(dir: string) {
  let clock = Date.UTC(2026, 10, 21, 9, 0, 0);
  const staff = new StaffDirectory(join(dir, 'staff.db'), { now: () => clock, idle_sign_out_ms: 60_000 });
  return { staff, advance: (ms: number) => (clock += ms) };
}

test('the first member must be a manager; later ones need a manager signed in; PINs rest as scrypt hashes', async (t) => {
  const dir = tempDir(t);
  const { staff } = directory(dir);
  await assert.rejects(
    staff.add({ staff_id: 'bo', display_name: 'Bo', role: 'cashier' }, '4826'),
    code('STAFF_FORBIDDEN'),
  );
  await staff.add({ staff_id: 'ana', display_name: 'Ana', role: 'manager' }, '739154');
  await assert.rejects(
    staff.add({ staff_id: 'bo', display_name: 'Bo', role: 'cashier' }, '4826'),
    code('STAFF_SESSION_INVALID'),
  );
  const ana = await staff.signIn('ana', '739154');
  await staff.add({ staff_id: 'bo', display_name: 'Bo', role: 'cashier' }, '4826', ana);
  await assert.rejects(
    staff.add({ staff_id: 'bo', display_name: 'Bo 2', role: 'cashier' }, '4826', ana),
    code('STAFF_EXISTS'),
  );
  await assert.rejects(
    staff.add({ staff_id: 'cy', display_name: 'Cy', role: 'cashier' }, '1234', ana),
    code('STAFF_PIN_INVALID'),
  );
  const bo = await staff.signIn('bo', '4826');
  await assert.rejects(
    staff.add({ staff_id: 'cy', display_name: 'Cy', role: 'cashier' }, '5083', bo),
    code('STAFF_FORBIDDEN'),
  );
  assert.deepEqual(
    staff.list().map((m) => m.staff_id),
    ['ana', 'bo'],
  );
  staff.close();
  const raw = new Database(join(dir, 'staff.db'), { readonly: true });
  const hashes = raw.prepare('SELECT pin_hash FROM staff').pluck().all() as string[];
  raw.close();
  for (const h of hashes) {
    assert.match(h, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    assert.doesNotMatch(h, /739154|4826/);
  }
});

test(`${SIGN_IN_FAILURES_MAX} wrong PINs lock the member out, even against the right PIN, until the lock-out ends`, async (t) => {
  const { staff, advance } = directory(tempDir(t));
  await staff.add({ staff_id: 'ana', display_name: 'Ana', role: 'manager' }, '739154');
  for (let i = 1; i < SIGN_IN_FAILURES_MAX; i++)
    await assert.rejects(staff.signIn('ana', '0000'), code('STAFF_PIN_WRONG'));
  await assert.rejects(staff.signIn('ana', '0000'), code('STAFF_LOCKED'));
  await assert.rejects(staff.signIn('ana', '739154'), code('STAFF_LOCKED'));
  advance(LOCKOUT_MS + 1);
  const s = await staff.signIn('ana', '739154');
  assert.equal(s.role, 'manager');
  // A success clears the count: four more wrong PINs do not lock.
  for (let i = 1; i < SIGN_IN_FAILURES_MAX; i++)
    await assert.rejects(staff.signIn('ana', '1111'), code('STAFF_PIN_WRONG'));
  await staff.signIn('ana', '739154');
  await assert.rejects(staff.signIn('nobody', '739154'), code('STAFF_UNKNOWN'));
  staff.close();
});

test('sessions end after idle time and on sign-out; a cashier cannot approve what needs a manager', async (t) => {
  const { staff, advance } = directory(tempDir(t));
  await staff.add({ staff_id: 'ana', display_name: 'Ana', role: 'manager' }, '739154');
  const ana = await staff.signIn('ana', '739154');
  await staff.add({ staff_id: 'bo', display_name: 'Bo', role: 'cashier' }, '4826', ana);
  const bo = await staff.signIn('bo', '4826');
  assert.equal(staff.approver(bo.token, 'cashier'), 'cashier:bo');
  assert.throws(() => staff.approver(bo.token, 'manager'), code('STAFF_FORBIDDEN'));
  assert.equal(staff.approver(ana.token, 'cashier'), 'manager:ana', "a manager may do a cashier's work");
  advance(59_000);
  staff.member(ana.token);
  advance(59_000);
  assert.equal(staff.member(ana.token).staff_id, 'ana', 'use keeps a sign-in open');
  assert.throws(() => staff.member(bo.token), code('STAFF_SESSION_INVALID'), 'idle for 118 s');
  staff.signOut(ana.token);
  assert.throws(() => staff.member(ana.token), code('STAFF_SESSION_INVALID'));
  assert.throws(() => staff.member('forged-token'), code('STAFF_SESSION_INVALID'));
  staff.close();
});

test('PIN rules: 4-8 digits, not one repeated digit, not a run', () => {
  for (const bad of ['123', '123456789', '12a4', '', '0000', '1234', '987654'])
    assert.notEqual(pinProblem(bad), null, bad);
  for (const good of ['7391', '48260', '19283746']) assert.equal(pinProblem(good), null, good);
});
