// Proves a bill split by items on the counter screen, end to end in Debian's Chromium against a real kiosk host (demo store in Berlin, German VAT, a real ledger): the cashier picks one ramen and one tea of an order of two each for the first guest, who pays in cash; the second guest's items are paid by card; each part is its own signed payment naming the order and its items, the order is paid when the parts cover it, units already paid are refused (SPLIT_EXCEEDS_DUE, nothing written), and `ledger verify` passes. Screenshots of the picker in en/de/zh go to artifacts/e2e/split-items-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright';
import type { Entry } from '../../ledger/protocol/entry.js';
import { LedgerReader } from '../../ledger/store/reader.js';
import { shotsAllLanguages } from './harness.js';
import { SKIP_WITHOUT_CHROMIUM, StaffKiosk } from './staff-kiosk.js';

const skip = SKIP_WITHOUT_CHROMIUM;
let env: StaffKiosk;
let cashier: Page;
const layoutProblems: string[] = [];

before(async () => {
  if (skip) return;
  env = await StaffKiosk.open('split-items', { env: { SMILE_TIMEZONE: 'Europe/Berlin' } });
  cashier = await env.page();
  await env.signIn(cashier, 'cashier');
});

after(() => env?.close());

function payments(orderId: string): Extract<Entry, { kind: 'payment' }>[] {
  const reader = new LedgerReader(join(env.dir, 'ledger.db'));
  try {
    return [...reader.range(1, 10_000)]
      .map((s) => s.entry)
      .filter((e): e is Extract<Entry, { kind: 'payment' }> => e.kind === 'payment' && e.body.order_id === orderId);
  } finally {
    reader.close();
  }
}

/** Opens the picker and chooses `quantities` (by item id) of the order's lines. */
async function choose(quantities: Record<string, number>): Promise<void> {
  await cashier.getByTestId('split-items-open').click();
  await cashier.getByTestId('split-items').waitFor();
  for (const [itemId, quantity] of Object.entries(quantities)) {
    const row = cashier.locator(`[data-testid^="split-line-"][data-item-id="${itemId}"]`).first();
    const line = (await row.getAttribute('data-testid'))!.slice('split-line-'.length);
    await cashier.getByTestId(`split-qty-${line}`).fill(String(quantity));
  }
}

test(
  'a bill split by items: each guest pays their own ramen and tea, each part its own signed entry',
  { skip },
  async () => {
    await cashier.getByTestId('build-item-ramen').click();
    await cashier.getByTestId('edit-plus').click();
    await cashier.getByTestId('edit-add').click();
    await cashier.getByTestId('build-cat-drinks').click();
    await cashier.getByTestId('build-item-tea').click();
    await cashier.getByTestId('edit-plus').click();
    await cashier.getByTestId('edit-add').click();
    await cashier.getByTestId('build-send').click();
    await cashier.getByTestId('checkout').waitFor({ timeout: 10_000 });
    const orderId = (await cashier.getByTestId('checkout').getAttribute('data-order-id'))!;
    const o = env.kiosk.orders.get(orderId);
    assert.equal(o.total_minor, 2 * 1_290 + 2 * 290, 'two ramen at 12.90 (7 %), two teas at 2.90 (19 %)');

    await choose({ ramen: 1, tea: 1 });
    assert.equal(await cashier.getByTestId('split-items-chosen').getAttribute('data-units'), '2');
    assert.equal(await cashier.getByTestId('pay-part').isDisabled(), true, 'an amount or items, not both');
    layoutProblems.push(...(await shotsAllLanguages(cashier, 'split-items-01-picker')));
    await cashier.getByTestId('pay-cash').click();
    await cashier.locator(`[data-testid="checkout"][data-status="partly_paid"]`).waitFor({ timeout: 10_000 });
    const first = payments(orderId);
    assert.equal(first.length, 1);
    assert.deepEqual(
      first[0]!.body.items?.map((x) => [o.lines[x.line]!.item_id, x.quantity]),
      [
        ['ramen', 1],
        ['tea', 1],
      ],
    );
    assert.equal(first[0]!.body.amount_minor, 1_290 + 290, 'the first guest paid their ramen and tea');
    assert.equal(env.kiosk.orders.get(orderId).paid_minor, 1_580);
    layoutProblems.push(...(await shotsAllLanguages(cashier, 'split-items-02-partly-paid')));

    // Two teas are not left: refused with its code, nothing signed.
    await choose({ tea: 2 });
    await cashier.getByTestId('pay-card').click();
    await cashier.locator('.error', { hasText: 'more than is left' }).first().waitFor({ timeout: 5_000 });
    assert.equal(payments(orderId).length, 1, 'nothing written for units already paid');
    layoutProblems.push(...(await shotsAllLanguages(cashier, 'split-items-03-refused')));

    await cashier.getByTestId('split-items-cancel').click();
    await choose({ ramen: 1, tea: 1 });
    await cashier.getByTestId('pay-card').click();
    for (let i = 0; i < 50 && env.kiosk.orders.get(orderId).status !== 'paid'; i++)
      await new Promise((r) => setTimeout(r, 100));
    const paid = env.kiosk.orders.get(orderId);
    assert.equal(paid.status, 'paid', 'the parts cover the bill');
    const all = payments(orderId);
    assert.deepEqual(
      all.map((e) => [e.body.method, e.body.amount_minor, e.body.sale_seq ?? null]),
      [
        ['cash', 1_580, null],
        ['card', 1_580, all[0]!.seq],
      ],
      'two entries, the second naming the first (which carries the sale)',
    );
    const verify = spawnSync(process.execPath, ['bin/ledger.js', 'verify', join(env.dir, 'ledger.db')], {
      encoding: 'utf8',
    });
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
    assert.deepEqual(layoutProblems, []);
  },
);
