// Proves refused: a staff sign-in kept alive for ever by steady use (a token copied off a screen,
// or a script calling every minute), and a manager who sets another manager's PIN to sign in as
// them unseen (the integrity panel shows it as an alarm). Through the real transport (HTTP on
// loopback) and the staff directory's real SQLite file, on the directory's own clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IDLE_SIGN_OUT_MS_DEFAULT, SIGN_IN_LIFETIME_MS_MAX } from '../../electron/host/staff/directory.js';
import type { IntegrityReport } from '../../electron/contract/api.js';
import { call, codeOf, openHostKiosk } from './kiosk-host.js';

const ANA_PIN = '739154';
const CY_PIN = '508361';

async function twoManagers(t: Parameters<typeof openHostKiosk>[0], clock: { ms: number }) {
  const host = await openHostKiosk(t, { options: { staffClock: () => clock.ms } });
  await host.kiosk.staff.add({ staff_id: 'ana', display_name: 'Ana', role: 'manager' }, ANA_PIN);
  const ana = await host.kiosk.staff.signIn('ana', ANA_PIN);
  await host.kiosk.staff.add({ staff_id: 'cy', display_name: 'Cy', role: 'manager' }, CY_PIN, ana);
  await host.kiosk.staff.add({ staff_id: 'bo', display_name: 'Bo', role: 'cashier' }, '4826', ana);
  return host;
}

test('a sign-in used every minute still ends at its absolute lifetime', async (t) => {
  const clock = { ms: Date.UTC(2026, 10, 21, 8, 0, 0) };
  const { url } = await twoManagers(t, clock);
  const signed = await call<{ token: string; expires_at_ms: number }>(url, 'staffSignIn', {
    staff_id: 'bo',
    pin: '4826',
  });
  assert.ok(signed.ok);
  const token = signed.value.token;
  assert.equal(signed.value.expires_at_ms, clock.ms + SIGN_IN_LIFETIME_MS_MAX);
  const step = IDLE_SIGN_OUT_MS_DEFAULT / 2;
  let used = 0;
  for (let t0 = 0; t0 + step <= SIGN_IN_LIFETIME_MS_MAX; t0 += step) {
    clock.ms += step;
    assert.equal(codeOf(await call(url, 'dayEntries', { token })), 'ok', `in use after ${t0 + step} ms`);
    used++;
  }
  assert.ok(used > 10);
  clock.ms += step;
  assert.equal(codeOf(await call(url, 'dayEntries', { token })), 'STAFF_SESSION_INVALID');
});

test("a manager who sets another manager's PIN raises an alarm on the integrity panel; a cashier's PIN does not", async (t) => {
  const clock = { ms: Date.now() };
  const { url } = await twoManagers(t, clock);
  const ana = await call<{ token: string }>(url, 'staffSignIn', { staff_id: 'ana', pin: ANA_PIN });
  assert.ok(ana.ok);
  const token = ana.value.token;
  const alarms = async () => {
    const r = await call<IntegrityReport>(url, 'integrity', { token });
    assert.ok(r.ok, JSON.stringify(r));
    return r.value.alarms.filter((a) => a.kind === 'manager_pin_reset');
  };
  assert.deepEqual(await alarms(), []);
  assert.equal(codeOf(await call(url, 'teamResetPin', { token, staff_id: 'bo', pin: '6194' })), 'ok');
  assert.deepEqual(await alarms(), [], "a cashier's forgotten PIN is a manager's everyday job");
  assert.equal(codeOf(await call(url, 'teamResetPin', { token, staff_id: 'cy', pin: '618204' })), 'ok');
  // Ana now knows Cy's PIN and signs in as her:
  assert.equal(codeOf(await call(url, 'staffSignIn', { staff_id: 'cy', pin: '618204' })), 'ok');
  const raised = await alarms();
  assert.equal(raised.length, 1);
  assert.equal(raised[0]!.target, 'manager:cy');
  assert.match(raised[0]!.detail, /manager:ana set the PIN of manager cy/);
  // A PIN change does not clear it (Ana, knowing the PIN, could make that change herself).
  const cy = await call<{ token: string }>(url, 'staffSignIn', { staff_id: 'cy', pin: '618204' });
  assert.ok(cy.ok);
  assert.equal(
    codeOf(await call(url, 'changeOwnPin', { token: cy.value.token, current_pin: '618204', new_pin: '720593' })),
    'ok',
  );
  assert.equal((await alarms()).length, 1);
});
