// The receipt page's fiscal block in Debian's Chromium, reprinted from the staff's day list: a
// card sale shows its KassenSichV fields (start, end, transaction number, signature counter, the
// till's and the signing unit's serials, the signature) and DSFinV-K's QR code, and a sale in
// training mode is marked TRAINING / Trainingsbuchung / 培训 at its top; screenshots of both print
// pages in en/de/zh go to artifacts/e2e/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { printShotsAllLanguages } from './harness.js';
import { SKIP_WITHOUT_CHROMIUM, StaffKiosk } from './staff-kiosk.js';

const skip = SKIP_WITHOUT_CHROMIUM;
let env: StaffKiosk;

before(async () => {
  if (!skip) env = await StaffKiosk.open('fiscal', { env: { SMILE_TIMEZONE: 'Europe/Berlin' } });
});
after(async () => {
  await env?.close();
});

test(
  'a receipt shows its fiscal fields and QR code; a training receipt is marked, in three languages',
  { skip },
  async () => {
    const bo = await env.token('cashier');
    const ana = await env.token('manager');
    const sell = async () => {
      const o = await env.client.ok('sendOrder', {
        token: bo,
        lines: [
          { item_id: 'ramen', quantity: 1 },
          { item_id: 'tea', quantity: 1 },
        ],
      });
      return (await env.client.ok('payOrder', { token: bo, order_id: o.order_id, method: 'card' })).entry;
    };
    const real = await sell();
    await env.client.ok('setSetting', { token: ana, key: 'training_mode', value: 1, reason: 'training' });
    const practice = await sell();
    await env.client.ok('setSetting', { token: ana, key: 'training_mode', value: 0, reason: 'done' });

    const page = await env.page();
    await env.signIn(page, 'manager');
    await page.getByTestId(`receipt-${real.seq}`).click();
    await page.getByTestId('receipt-fiscal').waitFor();
    await page.getByTestId('receipt-fiscal-qr').waitFor();
    assert.equal(await page.getByTestId('receipt-fiscal-txn').textContent(), String(real.seq));
    assert.match((await page.getByTestId('receipt-fiscal-counter').textContent()) ?? '', /^\d+$/);
    assert.match((await page.getByTestId('receipt-fiscal-unit').textContent()) ?? '', /^[0-9a-f]{64}$/);
    assert.match((await page.getByTestId('receipt-fiscal-qr').getAttribute('data-code')) ?? '', /^V0;/);
    assert.equal(await page.getByTestId('receipt-training').count(), 0);
    await printShotsAllLanguages(page, 'fiscal-01-receipt-print');
    await page.getByTestId('staff-receipt-close').click();

    await page.getByTestId(`receipt-${practice.seq}`).click();
    await page.getByTestId('receipt-training').waitFor();
    for (const [lang, mark] of [
      ['de', /Trainingsbuchung/],
      ['zh', /培训/],
      ['en', /TRAINING/],
    ] as const) {
      await page.getByTestId(`lang-${lang}`).click();
      await page.waitForFunction(`document.documentElement.lang === ${JSON.stringify(lang)}`);
      assert.match((await page.getByTestId('receipt-training').textContent()) ?? '', mark);
    }
    await printShotsAllLanguages(page, 'fiscal-02-training-receipt-print');
  },
);
