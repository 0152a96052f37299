// Proves refused: guessing a staff PIN past the lock-out by sending the guesses at once (sign-in,
// a PIN change and leaving kiosk mode), from one client or from a hundred; reading the staff
// list's roles without signing in; a manager PIN under 6 digits; and a lock-out that stays as
// short on the tenth time as on the first. Through the real transport (HTTP on loopback, the
// staff directory's real SQLite file, scrypt PINs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOCKOUT_MS, SIGN_IN_FAILURES_MAX } from '../../electron/host/staff/directory.js';
import type { ApiResult } from '../../electron/contract/api.js';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { hashPin } from '../../electron/host/staff/pin-hash.js';
import { call, clientAddress, codeOf, openHostKiosk, rowCount } from './kiosk-host.js';

const MANAGER_PIN = '739154';
const CASHIER_PIN = '4826';
const WRONG = (i: number): string => String(500_000 + i);

async function withStaff(t: Parameters<typeof openHostKiosk>[0], clock?: { ms: number }) {
  const host = await openHostKiosk(t, clock ? { options: { staffClock: () => clock.ms } } : {});
  await host.kiosk.staff.add({ staff_id: 'ana', display_name: 'Ana', role: 'manager' }, MANAGER_PIN);
  const ana = await host.kiosk.staff.signIn('ana', MANAGER_PIN);
  await host.kiosk.staff.add({ staff_id: 'bo', display_name: 'Bo', role: 'cashier' }, CASHIER_PIN, ana);
  return { ...host, anaToken: ana.token };
}

function tally(results: ApiResult<unknown>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) out[codeOf(r)] = (out[codeOf(r)] ?? 0) + 1;
  return out;
}

test('19 wrong PINs and the right one sent together: at most the lock-out allowance is checked, the right one is refused', async (t) => {
  const { url } = await withStaff(t);
  const guesses = [...Array.from({ length: 19 }, (_, i) => WRONG(i)), MANAGER_PIN];
  const results = await Promise.all(guesses.map((pin) => call(url, 'staffSignIn', { staff_id: 'ana', pin })));
  const counts = tally(results);
  assert.equal(
    counts.ok ?? 0,
    0,
    `the right PIN after ${SIGN_IN_FAILURES_MAX} wrong ones must not sign in: ${JSON.stringify(counts)}`,
  );
  assert.ok((counts.STAFF_PIN_WRONG ?? 0) <= SIGN_IN_FAILURES_MAX - 1, JSON.stringify(counts));
  assert.equal((counts.STAFF_PIN_WRONG ?? 0) + (counts.STAFF_LOCKED ?? 0), 20, JSON.stringify(counts));
  // And the member is locked now: the right PIN alone is refused too.
  assert.equal(codeOf(await call(url, 'staffSignIn', { staff_id: 'ana', pin: MANAGER_PIN })), 'STAFF_LOCKED');
});

test('99 wrong PINs and the right one from 100 clients at once: the lock-out holds', async (t) => {
  const { url } = await withStaff(t);
  const guesses = [...Array.from({ length: 99 }, (_, i) => WRONG(i)), MANAGER_PIN];
  const results = await Promise.all(
    guesses.map((pin, i) => call(url, 'staffSignIn', { staff_id: 'ana', pin }, { localAddress: clientAddress(i) })),
  );
  const counts = tally(results);
  assert.equal(counts.ok ?? 0, 0, JSON.stringify(counts));
  assert.ok((counts.STAFF_PIN_WRONG ?? 0) <= SIGN_IN_FAILURES_MAX - 1, JSON.stringify(counts));
  assert.equal(codeOf(await call(url, 'staffSignIn', { staff_id: 'ana', pin: MANAGER_PIN })), 'STAFF_LOCKED');
});

test('a PIN change with 19 wrong current PINs and the right one at once: locked, no change, the sign-in ends', async (t) => {
  const { url, kiosk } = await withStaff(t);
  const bo = await kiosk.staff.signIn('bo', CASHIER_PIN);
  const guesses = [...Array.from({ length: 19 }, (_, i) => String(7_100 + i * 7)), CASHIER_PIN];
  const results = await Promise.all(
    guesses.map((current_pin) => call(url, 'changeOwnPin', { token: bo.token, current_pin, new_pin: '5083' })),
  );
  const counts = tally(results);
  assert.equal(counts.ok ?? 0, 0, JSON.stringify(counts));
  assert.ok((counts.STAFF_PIN_WRONG ?? 0) <= SIGN_IN_FAILURES_MAX - 1, JSON.stringify(counts));
  // Neither the new PIN nor the old one signs in while locked.
  assert.equal(codeOf(await call(url, 'staffSignIn', { staff_id: 'bo', pin: '5083' })), 'STAFF_LOCKED');
  assert.equal(codeOf(await call(url, 'dayEntries', { token: bo.token })), 'STAFF_SESSION_INVALID');
});

test('leaving kiosk mode with 19 wrong manager PINs and the right one at once: locked, nothing recorded', async (t) => {
  const { url, dir, anaToken } = await withStaff(t);
  const entriesBefore = rowCount(join(dir, 'ledger.db'), 'entries');
  const guesses = [...Array.from({ length: 19 }, (_, i) => WRONG(i)), MANAGER_PIN];
  const results = await Promise.all(
    guesses.map((pin) => call(url, 'leaveKioskMode', { token: anaToken, pin, reason: 'guessing' })),
  );
  const counts = tally(results);
  assert.equal(counts.ok ?? 0, 0, JSON.stringify(counts));
  assert.ok((counts.STAFF_PIN_WRONG ?? 0) <= SIGN_IN_FAILURES_MAX - 1, JSON.stringify(counts));
  // The lock-out ended Ana's sign-ins, and nothing reached the ledger.
  assert.equal(codeOf(await call(url, 'integrity', { token: anaToken })), 'STAFF_SESSION_INVALID');
  assert.equal(rowCount(join(dir, 'ledger.db'), 'entries'), entriesBefore);
});

test('staffList without a sign-in names who may sign in, never their roles; signed in, the roles', async (t) => {
  const { url, anaToken } = await withStaff(t);
  const open = await call<{ staff: { staff_id: string; display_name: string; role?: unknown }[] }>(
    url,
    'staffList',
    {},
  );
  assert.ok(open.ok);
  assert.deepEqual(
    open.value.staff.map((m) => [m.staff_id, m.display_name, m.role ?? null]),
    [
      ['ana', 'Ana', null],
      ['bo', 'Bo', null],
    ],
  );
  const signed = await call<{ staff: { staff_id: string; role: string }[] }>(url, 'staffList', { token: anaToken });
  assert.ok(signed.ok);
  assert.deepEqual(
    signed.value.staff.map((m) => [m.staff_id, m.role]),
    [
      ['ana', 'manager'],
      ['bo', 'cashier'],
    ],
  );
});

test("a manager's PIN is at least 6 digits: adding, resetting and changing one to 4 digits is refused; a cashier's may be 4", async (t) => {
  const { url, anaToken, kiosk } = await withStaff(t);
  const add = (role: 'manager' | 'cashier', staff_id: string, pin: string) =>
    call(url, 'teamAdd', { token: anaToken, staff_id, display_name: staff_id, role, pin });
  assert.equal(codeOf(await add('manager', 'cy', '5083')), 'STAFF_PIN_INVALID');
  assert.equal(codeOf(await add('manager', 'cy', '50831')), 'STAFF_PIN_INVALID');
  assert.equal(codeOf(await add('manager', 'cy', '508319')), 'ok');
  assert.equal(codeOf(await add('cashier', 'di', '6194')), 'ok');
  assert.equal(
    codeOf(await call(url, 'teamResetPin', { token: anaToken, staff_id: 'cy', pin: '6194' })),
    'STAFF_PIN_INVALID',
  );
  assert.equal(
    codeOf(await call(url, 'changeOwnPin', { token: anaToken, current_pin: MANAGER_PIN, new_pin: '6194' })),
    'STAFF_PIN_INVALID',
  );
  // The directory itself refuses it too (the first manager, made at set-up).
  await assert.rejects(
    kiosk.staff.add(
      { staff_id: 'ed', display_name: 'Ed', role: 'manager' },
      '6194',
      await kiosk.staff.signIn('ana', MANAGER_PIN),
    ),
    (e: unknown) => (e as { code?: string }).code === 'STAFF_PIN_INVALID',
  );
});

test('lock-outs grow on repeat: the second lock-out lasts twice the first, the third four times', async (t) => {
  const clock = { ms: Date.UTC(2026, 10, 21, 9, 0, 0) };
  const { url } = await withStaff(t, clock);
  const lockFor = async (): Promise<number> => {
    let last: ApiResult<unknown> | null = null;
    for (let i = 0; i < SIGN_IN_FAILURES_MAX; i++)
      last = await call(url, 'staffSignIn', { staff_id: 'bo', pin: WRONG(i).slice(0, 4) });
    assert.equal(codeOf(last!), 'STAFF_LOCKED');
    return !last!.ok ? (last!.error.details?.locked_for_ms ?? 0) : 0;
  };
  const first = await lockFor();
  assert.equal(first, LOCKOUT_MS);
  clock.ms += first + 1;
  const second = await lockFor();
  assert.equal(second, 2 * LOCKOUT_MS);
  clock.ms += second + 1;
  assert.equal(await lockFor(), 4 * LOCKOUT_MS);
});

test("a manager PIN of 4 digits from before the rule signs in for a cashier's work only, until changed to 6 digits", async (t) => {
  const { url, dir } = await withStaff(t);
  // A staff.db written by an earlier version: Ana's PIN was 4 digits then.
  const db = new Database(join(dir, 'staff.db'));
  db.prepare("UPDATE staff SET pin_hash = ? WHERE staff_id = 'ana'").run(await hashPin('4826'));
  db.close();
  const signed = await call<{ token: string; pin_change_required: boolean }>(url, 'staffSignIn', {
    staff_id: 'ana',
    pin: '4826',
  });
  assert.ok(signed.ok);
  assert.equal(signed.value.pin_change_required, true);
  const token = signed.value.token;
  assert.equal(codeOf(await call(url, 'dayEntries', { token })), 'ok', "a cashier's work goes on");
  for (const [name, body] of [
    ['teamList', { token }],
    ['closeDay', { token }],
    ['integrity', { token }],
    ['teamResetPin', { token, staff_id: 'bo', pin: '6194' }],
  ] as const)
    assert.equal(codeOf(await call(url, name, body)), 'STAFF_PIN_CHANGE_REQUIRED', name);
  assert.equal(
    codeOf(await call(url, 'changeOwnPin', { token, current_pin: '4826', new_pin: '5083' })),
    'STAFF_PIN_INVALID',
    'still too short',
  );
  assert.equal(codeOf(await call(url, 'changeOwnPin', { token, current_pin: '4826', new_pin: '508361' })), 'ok');
  assert.equal(codeOf(await call(url, 'teamList', { token })), 'ok', 'the same sign-in, now with a manager PIN');
});
