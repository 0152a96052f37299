// Proves the manager's Settings and Team panels end to end in Debian's Chromium against a real
// kiosk host (demo store: its manager and cashier, a real ledger and staff.db): the manager
// changes the step-up amount and the face match threshold, sees the measured false-accept rate
// (with n and its 95% interval, from the committed calibration table) beside the slider change
// with it, and the host and the ledger have the change with the manager's name; the manager adds
// a cashier, who then signs in with the new PIN on the keypad and, like any cashier, sees no
// manager tabs; leaving kiosk mode asks for the manager's PIN on the keypad (a wrong one is
// refused, with nothing recorded), in browser mode is recorded and says there was no kiosk
// window, and a second time records nothing and says kiosk mode is already off; a cashier's
// settings call carries no history. Screenshots of each panel in en/de/zh go to artifacts/e2e/, and none overflows.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright';
import type { Kiosk } from '../../electron/host/kiosk.js';
import { calibrationAt } from '../../electron/face/calibration.js';
import { FACE_CONFIG } from '../../electron/face/config.js';
import { LedgerReader } from '../../ledger/store/reader.js';
import type { WsClient } from '../helpers/kiosk-client.js';
import { shotsAllLanguages } from './harness.js';
import { SKIP_WITHOUT_CHROMIUM, StaffKiosk } from './staff-kiosk.js';

const skip = SKIP_WITHOUT_CHROMIUM;
const MANAGER_TABS = ['manager', 'settings', 'team', 'menu'] as const;

let env: StaffKiosk;
let dir: string;
let kiosk: Kiosk;
let client: WsClient;
const layoutProblems: string[] = [];

before(async () => {
  if (skip) return;
  env = await StaffKiosk.open('settings');
  ({ dir, kiosk, client } = env);
});

after(() => env?.close());

const openPage = (): Promise<Page> => env.page();
const signInAs = (page: Page, staffId: string, pin: string): Promise<void> => env.signInAs(page, staffId, pin);

/** Panels' own boxes that are wider inside than they are: a text or a control that does not fit. */
async function clipped(page: Page, name: string): Promise<string[]> {
  const boxes =
    (await page.evaluate(`[...document.querySelectorAll('.settings-card, .settings-kiosk, .team-form, .settings-far')]
    .filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.getAttribute('data-testid') || el.className)`)) as string[];
  return boxes.map((b) => `${name}: ${b} clips its content`);
}

async function shots(page: Page, name: string): Promise<void> {
  layoutProblems.push(...(await shotsAllLanguages(page, name)));
  for (const lang of ['de', 'zh', 'en'] as const) {
    await page.getByTestId(`lang-${lang}`).click();
    await page.waitForFunction(`document.documentElement.lang === ${JSON.stringify(lang)}`);
    layoutProblems.push(...(await clipped(page, `${name} in ${lang}`)));
  }
}

/** The threshold the demo store starts at (the calibration's, in thousandths). */
const DEFAULT_MILLI = Math.round(FACE_CONFIG.match.accept_distance_max * 1000);

const pct = (x: number): string =>
  new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 2 }).format(x);

function farText(milli: number): string {
  const r = calibrationAt(milli)!;
  return `False accepts: ${r.impostor_accepted} of ${r.impostor_pairs} impostor pairs (${pct(r.impostor_accepted / r.impostor_pairs)}, 95% CI ${pct(r.far_ci95[0])} to ${pct(r.far_ci95[1])})`;
}

function lastConfig(): { key: string; value: unknown; changed_by: string } {
  const reader = new LedgerReader(join(dir, 'ledger.db'));
  try {
    const rows = [...reader.range(1, 10_000)].filter((s) => s.entry.kind === 'config');
    const e = rows[rows.length - 1]!.entry;
    assert.equal(e.kind, 'config');
    return e.body as { key: string; value: unknown; changed_by: string };
  } finally {
    reader.close();
  }
}

function configCount(): number {
  const reader = new LedgerReader(join(dir, 'ledger.db'));
  try {
    return [...reader.range(1, 10_000)].filter((s) => s.entry.kind === 'config').length;
  } finally {
    reader.close();
  }
}

test(
  'the manager changes the step-up amount and the match threshold, with the measured FAR beside the slider',
  { skip },
  async () => {
    const page = await openPage();
    const ana = kiosk.demoStaff!.manager;
    await signInAs(page, ana.staff_id, ana.pin);
    await page.getByTestId('staff-tab-settings').click();
    await page.getByTestId('settings-panel').waitFor();
    await shots(page, 'settings-01-panel');

    // Step-up amount: 50.00 -> 30.00, with a reason.
    assert.equal(await page.getByTestId('setting-value-step_up_amount_minor').textContent(), 'Now: €50.00');
    await page.getByTestId('setting-input-step_up_amount_minor').fill('30');
    await page.getByTestId('setting-save-step_up_amount_minor').click();
    assert.equal(
      await page.getByTestId('settings-problem').textContent(),
      'Say why: the reason is recorded.',
      'a change needs a reason',
    );
    await page.getByTestId('setting-reason-step_up_amount_minor').fill('lunch rush');
    await page.getByTestId('setting-save-step_up_amount_minor').click();
    await page.getByText('Now: €30.00').waitFor();
    assert.match(
      (await page.getByTestId('staff-notice').textContent()) ?? '',
      /€50\.00 → €30\.00, entry #\d+, manager:ana/,
    );
    // The notice follows a change of language.
    await page.getByTestId('lang-de').click();
    assert.match(
      (await page.getByTestId('staff-notice').textContent()) ?? '',
      /50,00\s€ → 30,00\s€, Eintrag #\d+, manager:ana/,
    );
    await page.getByTestId('lang-en').click();
    assert.deepEqual(lastConfig(), {
      key: 'step_up_amount_minor',
      value: 3_000,
      previous: 5_000,
      changed_by: 'manager:ana',
      reason: 'lunch rush',
    });

    // Threshold: the FAR beside the slider is the measured row at the slider's value.
    assert.equal(await page.getByTestId('threshold-far-text').textContent(), farText(DEFAULT_MILLI));
    await page.getByTestId('threshold-slider').fill('600');
    assert.equal(await page.getByTestId('threshold-chosen').textContent(), '0.600');
    assert.equal(await page.getByTestId('threshold-far-text').textContent(), farText(600));
    await page.getByTestId('threshold-slider').fill('500');
    assert.equal(await page.getByTestId('threshold-far-text').textContent(), farText(500));
    const frr500 = calibrationAt(500)!;
    assert.match(
      (await page.getByTestId('threshold-frr-text').textContent()) ?? '',
      new RegExp(`^False rejects: ${frr500.genuine_rejected} of ${frr500.genuine_pairs} genuine pairs`),
    );
    await page.getByTestId('threshold-slider').fill('550');
    await page.getByTestId('setting-reason-match_threshold_milli').fill('stricter after a look-alike complaint');
    await shots(page, 'settings-02-threshold-far');
    await page.getByTestId('setting-save-match_threshold_milli').click();
    await page.getByTestId('setting-value-match_threshold_milli').getByText('Now: 0.550').waitFor();
    assert.deepEqual(lastConfig(), {
      key: 'match_threshold_milli',
      value: 550,
      previous: DEFAULT_MILLI,
      changed_by: 'manager:ana',
      reason: 'stricter after a look-alike complaint',
    });
    // The host has both (as any staff screen reads them), and the history lists them newest first.
    const bo = await client.ok('staffSignIn', { staff_id: 'bo', pin: kiosk.demoStaff!.cashier.pin });
    const s = await client.ok('settings', { token: bo.token });
    assert.equal(s.settings.find((x) => x.key === 'match_threshold_milli')!.value, 550);
    assert.equal(s.settings.find((x) => x.key === 'step_up_amount_minor')!.value, 3_000);
    const history = page.getByTestId('settings-history').locator('tbody tr');
    assert.equal(await history.count(), 2);
    assert.match(
      (await history.first().textContent()) ?? '',
      new RegExp(
        `manager:anaFace match threshold${(DEFAULT_MILLI / 1000).toFixed(3).replace('.', '\\.')} → 0\\.550stricter`,
      ),
    );
    await shots(page, 'settings-03-history');

    assert.deepEqual(s.history, [], 'a cashier sees no history');
    assert.equal(
      (
        await client.ok('settings', {
          token: (await client.ok('staffSignIn', { staff_id: ana.staff_id, pin: ana.pin })).token,
        })
      ).history.length,
      2,
    );

    // Leaving kiosk mode: the manager's PIN again, on the keypad. A wrong one: refused, nothing recorded.
    const typePin = async (pin: string): Promise<void> => {
      const pad = page.getByTestId('leave-kiosk-mode-pin');
      for (const d of pin) await pad.getByTestId(`key-${d}`).click();
      await pad.getByTestId('key-OK').click();
    };
    await page.getByTestId('leave-kiosk-mode').click();
    await page.getByTestId('leave-kiosk-mode-pin').waitFor();
    await shots(page, 'settings-04-kiosk-mode-pin');
    await typePin(ana.pin === '9071' ? '9072' : '9071');
    await page.getByTestId('settings-problem').getByText('Wrong PIN. Try again.').waitFor();
    assert.equal(lastConfig().key, 'match_threshold_milli', 'a wrong PIN records nothing');
    assert.equal(
      await page.getByTestId('leave-kiosk-mode-pin').getByTestId('digits').textContent(),
      '••••',
      'the keypad starts empty again',
    );
    // The right one: in a browser there is no kiosk window; the host records it anyway.
    await typePin(ana.pin);
    assert.match(
      (await page.getByTestId('kiosk-mode-left').textContent()) ?? '',
      /^Recorded \(entry #\d+, manager:ana\)\. This screen runs in a browser/,
    );
    assert.equal(await page.getByTestId('leave-kiosk-mode-confirm').count(), 0);
    assert.equal(lastConfig().key, 'kiosk_mode');
    await shots(page, 'settings-04-kiosk-mode-left');
    const entries = configCount();
    // A second time: already off, nothing new recorded, and the screen says so.
    await page.getByTestId('leave-kiosk-mode').click();
    await typePin(ana.pin);
    await page
      .getByTestId('kiosk-mode-left')
      .getByText(/^Kiosk mode is already off \(entry #\d+, manager:ana\)\. Nothing new was recorded\.$/)
      .waitFor();
    assert.equal(configCount(), entries);
    await page.close();
  },
);

test('the manager adds a cashier, who signs in with the new PIN and sees no manager tabs', { skip }, async () => {
  const page = await openPage();
  const ana = kiosk.demoStaff!.manager;
  await signInAs(page, ana.staff_id, ana.pin);
  await page.getByTestId('staff-tab-team').click();
  await page.getByTestId('team-panel').waitFor();
  await page.getByTestId('team-add-name').fill('Dee Lopez');
  await page.getByTestId('team-add-id').fill('dee');
  await page.getByTestId('team-add-pin').fill('1234');
  await page.getByTestId('team-add-pin2').fill('1234');
  await page.getByTestId('team-add-submit').click();
  assert.equal(
    await page.getByTestId('team-problem').textContent(),
    "Choose a harder PIN: a manager's has 6 to 8 digits, a cashier's 4 to 8; no repeated digits or runs such as 1234.",
    'the host refuses a run',
  );
  await page.getByTestId('team-add-pin').fill('5083');
  await page.getByTestId('team-add-pin2').fill('5038');
  await page.getByTestId('team-add-submit').click();
  assert.equal(await page.getByTestId('team-problem').textContent(), 'The two PINs differ.');
  await page.getByTestId('team-add-pin2').fill('5083');
  await page.getByTestId('team-add-submit').click();
  await page.getByTestId('team-member-dee').waitFor();
  assert.equal(await page.getByTestId('team-state-dee').textContent(), 'active');
  assert.match((await page.getByTestId('team-audit').textContent()) ?? '', /manager:anaaddeddee/);
  await shots(page, 'settings-05-team');
  await page.getByTestId('staff-sign-out').click();

  await signInAs(page, 'dee', '5083');
  assert.equal(await page.getByTestId('screen-staff-day').getAttribute('data-role'), 'cashier');
  assert.match((await page.getByTestId('staff-who').textContent()) ?? '', /Dee Lopez/);
  for (const tab of MANAGER_TABS)
    assert.equal(await page.getByTestId(`staff-tab-${tab}`).count(), 0, `no ${tab} tab for a cashier`);
  // Her own PIN, changed by her (the current one first), works at the next sign-in.
  await page.getByTestId('staff-tab-pin').click();
  await page.getByTestId('team-own-current').fill('5083');
  await page.getByTestId('team-own-next').fill('7391');
  await page.getByTestId('team-own-next2').fill('7391');
  await page.getByTestId('team-own-submit').click();
  await page.getByText('Your PIN is changed.').waitFor();
  await shots(page, 'settings-07-cashier-own-pin');
  await page.getByTestId('staff-sign-out').click();
  await signInAs(page, 'dee', '7391');
  assert.equal(await page.getByTestId('screen-staff-day').getAttribute('data-role'), 'cashier');
  await page.close();
});

test('the demo cashier sees no manager tabs, and the host refuses them the manager calls', { skip }, async () => {
  const page = await openPage();
  const bo = kiosk.demoStaff!.cashier;
  await signInAs(page, bo.staff_id, bo.pin);
  for (const tab of MANAGER_TABS)
    assert.equal(await page.getByTestId(`staff-tab-${tab}`).count(), 0, `no ${tab} tab for a cashier`);
  await shots(page, 'settings-06-cashier-day');
  const token = (await client.ok('staffSignIn', { staff_id: bo.staff_id, pin: bo.pin })).token;
  const r = await client.call('teamList', { token });
  assert.equal(r.ok ? 'ok' : r.error.code, 'STAFF_FORBIDDEN');
  await page.close();
});

test('no settings or team screen breaks its layout in any language', { skip }, () => {
  assert.deepEqual(layoutProblems, []);
});
