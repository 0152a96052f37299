// Proves refused: a configured step-up amount that the kiosk silently ignores (the operator sets
// limits.step_up_amount_minor and payments above it are still not asked for the phone digits,
// because another number decides), and a configured limit outside the range its setting allows.
// Through the real transport (HTTP on loopback, the settings call) and a real config file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, STEP_UP_AMOUNT_MINOR_DEFAULT } from '../../electron/config.js';
import { FACE_CONFIG } from '../../electron/face/config.js';
import { call, openHostKiosk } from './kiosk-host.js';
import { tempDir } from '../helpers/tmp.js';

async function stepUpSetting(env: Record<string, string>, t: Parameters<typeof openHostKiosk>[0]): Promise<number> {
  const h = await openHostKiosk(t, { env });
  await h.kiosk.staff.add({ staff_id: 'ana', display_name: 'Ana', role: 'manager' }, '739154');
  const ana = await h.kiosk.staff.signIn('ana', '739154');
  const r = await call<{ settings: { key: string; value: number }[] }>(h.url, 'settings', { token: ana.token });
  assert.ok(r.ok, JSON.stringify(r));
  const shown = r.value.settings.find((s) => s.key === 'step_up_amount_minor')!.value;
  // What the panel shows is what the matcher reads at the next payment.
  assert.equal(h.kiosk.settings.matchConfig().step_up_amount_minor_min, shown);
  return shown;
}

test('limits.step_up_amount_minor in the config file is the step-up amount the matcher uses', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'smile.config.json');
  writeFileSync(file, JSON.stringify({ limits: { step_up_amount_minor: 1_000 } }));
  assert.equal(await stepUpSetting({ SMILE_CONFIG: file }, t), 1_000);
});

test('with nothing configured there is one step-up amount: the face decision default, 50.00', async (t) => {
  assert.equal(STEP_UP_AMOUNT_MINOR_DEFAULT, FACE_CONFIG.match.step_up_amount_minor_min);
  assert.equal(loadConfig({ env: {}, cwd: tempDir(t) }).limits.step_up_amount_minor, 5_000);
  assert.equal(await stepUpSetting({}, t), 5_000);
});

test('a configured limit outside the range its setting allows stops start-up with its name', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'smile.config.json'), JSON.stringify({ limits: { refund_cashier_max_minor: 500_000 } }));
  assert.throws(() => loadConfig({ env: {}, cwd: dir }), /limits\.refund_cashier_max_minor: expected 0\.\.100000/);
});
