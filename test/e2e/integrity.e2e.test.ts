// Proves the manager's integrity and privacy panels end to end in Debian's Chromium against a
// real kiosk host (demo store: its manager and cashier, a real ledger, the embedded settlement
// server, demo customers enrolled through the real path): a cashier sees neither tab and the
// host refuses a cashier's token on every one of their calls; the manager's "verify now" shows
// OK with the ledger's entry count, and a regulator's freeze shows as a red alarm; the privacy
// search finds a demo customer with the consent record, the deletion asks for a reason and a
// confirmation (nothing is deleted before it), and afterwards the customer is gone from the
// search. Screenshots of each step in en/de/zh go to artifacts/e2e/, none overflowing sideways.
//
// The demo people's descriptors come from a stand-in describer (random unit vectors): these
// panels never look at faces.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright';
import { CONSENT_TEXT_VERSION } from '../../electron/contract/constants.js';
import type { DemoKiosk } from '../../scripts/demo-store.js';
import type { DemoPerson } from '../../electron/host/demo/demo.js';
import { DESCRIPTOR_DIMS } from '../../electron/face/matcher.js';
import { DeviceKey } from '../../ledger/keys/device-key.js';
import { toHex } from '../../ledger/protocol/hex.js';
import { addRegulatorKey } from '../../ledger/server/admin.js';
import { walletAccount } from '../../ledger/server/context.js';
import { FREEZE_DOMAIN, freezeBytes } from '../../ledger/wire/signing.js';
import type { FreezeRecord } from '../../ledger/wire/wire.js';
import type { WsClient } from '../helpers/kiosk-client.js';
import { shotsAllLanguages } from './harness.js';
import { SKIP_WITHOUT_CHROMIUM, StaffKiosk, type StaffRole } from './staff-kiosk.js';

const skip = SKIP_WITHOUT_CHROMIUM;

const PEOPLE: DemoPerson[] = [
  { customer_id: 'demo-d0', display_name: 'Daniel Ortiz', phone: '+49 151 5550 0042', images: [new Uint8Array(1)] },
  { customer_id: 'demo-hana', display_name: 'Hana Kim', phone: '+49 151 5550 1001', images: [new Uint8Array(1)] },
];

function randomDescriptor(): number[] {
  const v = Array.from({ length: DESCRIPTOR_DIMS }, () => Math.random() - 0.5);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

let env: StaffKiosk;
let kiosk: DemoKiosk;
let client: WsClient;
const layoutProblems: string[] = [];

before(async () => {
  if (skip) return;
  env = await StaffKiosk.open('integrity', {
    options: { demoPeople: PEOPLE, describeFaces: async () => [randomDescriptor(), randomDescriptor()] },
  });
  ({ kiosk, client } = env);
});

after(() => env?.close());

const openPage = (): Promise<Page> => env.page();
const signIn = (page: Page, who: StaffRole): Promise<void> => env.signIn(page, who);
const token = (who: StaffRole): Promise<string> => env.token(who);

test(
  "a cashier sees neither panel, and the host refuses a cashier's token on each of their calls",
  { skip },
  async () => {
    const page = await openPage();
    await signIn(page, 'cashier');
    assert.equal(await page.getByTestId('staff-tab-integrity').count(), 0);
    assert.equal(await page.getByTestId('staff-tab-privacy').count(), 0);
    const bo = await token('cashier');
    const refused = [
      await client.call('integrity', { token: bo }),
      await client.call('verifyNow', { token: bo }),
      await client.call('findCustomers', { token: bo, query: 'orti' }),
      await client.call('consentRecords', { token: bo, customer_id: 'demo-d0' }),
      await client.call('deleteCustomer', { token: bo, customer_id: 'demo-d0', reason: 'asked' }),
    ].map((r) => (r.ok ? 'ok' : r.error.code));
    assert.deepEqual(refused, Array(5).fill('STAFF_FORBIDDEN'));
    await page.close();
  },
);

test(
  'the manager verifies the ledger now: OK with the entry count; a regulator freeze is a red alarm',
  { skip },
  async () => {
    // Two counter payments, so the ledger has entries to verify and receipts to match.
    const ana = await token('manager');
    for (const qty of [1, 2]) {
      const order = await client.ok('createOrder', { lines: [{ item_id: 'tea', quantity: qty }] });
      await client.ok('payOrder', { token: ana, order_id: order.order_id, method: 'cash' });
    }
    const s = kiosk.demo!.server.services;
    const regulator = DeviceKey.generate();
    await addRegulatorKey(s, regulator.publicKeyHex);
    const record: FreezeRecord = {
      v: 1,
      freeze_id: randomUUID(),
      action: 'freeze',
      target_type: 'account',
      target_id: walletAccount('demo-hana'),
      reason: 'order 2026/17 of the regulator',
      issued_at_ms: Date.now(),
    };
    const res = await fetch(`${kiosk.demo!.url}/v1/freezes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ record, signature: toHex(regulator.signWithDomain(FREEZE_DOMAIN, freezeBytes(record))) }),
    });
    assert.equal(res.status, 200);
    // The sync worker (every 200 ms) uploads the payments and pulls the freeze.
    for (let i = 0; i < 100; i++) {
      const r = await client.ok('integrity', { token: ana });
      if (r.receipts.pending === 0 && r.alarms.some((a) => a.kind === 'freeze')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const page = await openPage();
    await signIn(page, 'manager');
    await page.getByTestId('staff-tab-integrity').click();
    await page.getByTestId('panel-integrity').waitFor();
    await page.getByTestId('integrity-light-chain').waitFor();
    assert.equal(
      await page.getByTestId('integrity-light-chain').getAttribute('data-state'),
      'none',
      'never verified yet',
    );
    assert.equal(await page.getByTestId('integrity-receipts-recorded').getAttribute('data-count'), '2');
    assert.equal(await page.getByTestId('integrity-receipts-mismatched').getAttribute('data-count'), '0');
    const alarm = page.getByTestId('alarm-freeze');
    assert.equal(await alarm.getAttribute('data-target'), walletAccount('demo-hana'));
    assert.match((await alarm.textContent()) ?? '', /order 2026\/17 of the regulator/);
    assert.equal(
      await page.evaluate('getComputedStyle(document.querySelector(\'[data-testid="alarm-freeze"]\')).color'),
      'rgb(179, 38, 30)',
      'alarms in red',
    );

    await page.getByTestId('integrity-verify').click();
    const result = page.getByTestId('integrity-verify-result');
    await result.waitFor({ timeout: 30_000 });
    const entries = (await client.ok('integrity', { token: ana })).ledger.entries;
    assert.equal(entries, 2);
    assert.equal(await result.getAttribute('data-ok'), 'true');
    assert.equal(await result.getAttribute('data-entries'), String(entries));
    assert.match(
      (await result.textContent()) ?? '',
      /^Chain and signatures OK: 2 entries verified in \d+ ms, .*, by manager:ana\. Checked against the server receipt of entry 2\.$/,
    );
    await page.locator('[data-testid="integrity-light-chain"][data-state="ok"]').waitFor();
    layoutProblems.push(...(await shotsAllLanguages(page, 'integrity-01-verified')));
    await page.close();
  },
);

test(
  'privacy: the manager finds a demo customer, sees the consent record, and deletes after a confirmation; the customer disappears',
  { skip },
  async () => {
    const page = await openPage();
    await signIn(page, 'manager');
    await page.getByTestId('staff-tab-privacy').click();
    await page.getByTestId('panel-privacy').waitFor();
    await page.getByTestId('privacy-query').fill('orti');
    await page.getByTestId('privacy-search').click();
    const row = page.getByTestId('privacy-customer-demo-d0');
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /Daniel Ortiz.*•••• 0042/);
    layoutProblems.push(...(await shotsAllLanguages(page, 'privacy-01-found')));

    await page.getByTestId('privacy-consent-demo-d0').click();
    await page.getByTestId('privacy-record').waitFor();
    assert.equal(await page.getByTestId('privacy-record-version').textContent(), CONSENT_TEXT_VERSION);
    assert.equal(await page.getByTestId('privacy-record-template').textContent(), 'yes');
    layoutProblems.push(...(await shotsAllLanguages(page, 'privacy-02-consent')));

    // The deletion asks first: a reason, then "Delete now"; nothing is deleted before that.
    await page.getByTestId('privacy-delete-demo-d0').click();
    await page.getByTestId('privacy-confirm').waitFor();
    assert.equal(await page.getByTestId('privacy-confirm-yes').isDisabled(), true, 'no deletion without a reason');
    const ana = await token('manager');
    assert.equal(
      (await client.ok('consentRecords', { token: ana, customer_id: 'demo-d0' })).template_on_kiosk,
      true,
      'not deleted while asking',
    );
    await page.getByTestId('privacy-reason').fill('asked at the counter');
    layoutProblems.push(...(await shotsAllLanguages(page, 'privacy-03-confirm')));
    await page.getByTestId('privacy-confirm-yes').click();
    await page.getByTestId('privacy-none').waitFor({ timeout: 20_000 });
    assert.match(
      (await page.getByTestId('staff-notice').textContent()) ?? '',
      /The face data of Daniel Ortiz was deleted: deleted everywhere/,
    );
    assert.equal(await page.getByTestId('privacy-customer-demo-d0').count(), 0, 'gone from the search');
    layoutProblems.push(...(await shotsAllLanguages(page, 'privacy-04-deleted')));

    const record = await client.ok('consentRecords', { token: ana, customer_id: 'demo-d0' });
    assert.deepEqual(
      [record.template_on_kiosk, record.deletion?.status, record.deletion?.requested_by, record.deletion?.reason],
      [false, 'propagated', 'manager:ana', 'asked at the counter'],
    );
    // The other demo customer is untouched.
    await page.getByTestId('privacy-query').fill('hana');
    await page.getByTestId('privacy-search').click();
    await page.getByTestId('privacy-customer-demo-hana').waitFor();
    await page.close();
  },
);

test('no integrity or privacy screen breaks its layout in any language', { skip }, () => {
  assert.deepEqual(layoutProblems, []);
});
