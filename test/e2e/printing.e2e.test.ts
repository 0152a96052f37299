// Proves the printers on the staff screens end to end in Debian's Chromium against a real kiosk
// host and two virtual printers on loopback: the staff screen's printer line shows each printer's
// state and queue in en/de/zh (a printer switched off shows as unreachable with its waiting job,
// and prints it when back), the receipt's re-print buttons print the receipt and the kitchen
// ticket again marked as re-prints; and the receipt as the printer received it (decoded from the
// captured ESC/POS bytes, drawn as a page) is screenshotted in English, German and Chinese, with its
// QR code's data the receipt's lookup, its German umlauts through the code page and its Chinese
// lines as raster images.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PrinterSetup } from '../../electron/contract/api.js';
import { decodeEscPos, textOf, type Slip } from '../helpers/escpos-decode.js';
import { slipHtml } from '../helpers/escpos-html.js';
import { VirtualPrinter } from '../helpers/virtual-printer.js';
import { ARTIFACTS_DIR, shotsAllLanguages } from './harness.js';
import { SKIP_WITHOUT_CHROMIUM, StaffKiosk } from './staff-kiosk.js';

const skip = SKIP_WITHOUT_CHROMIUM;
let env: StaffKiosk;
let till: VirtualPrinter;
let kitchen: VirtualPrinter;
let ana: string;
let bo: string;

const tillSetup = (language: PrinterSetup['language']): PrinterSetup => ({
  printer_id: 'till',
  name: 'Till',
  role: 'receipt',
  address: { kind: 'tcp', host: '127.0.0.1', port: till.port },
  columns: 42,
  categories: [],
  language,
});

before(async () => {
  if (skip) return;
  till = await VirtualPrinter.start();
  kitchen = await VirtualPrinter.start();
  env = await StaffKiosk.open('printing', { env: { SMILE_TIMEZONE: 'Europe/Berlin' } });
  ana = await env.token('manager');
  bo = await env.token('cashier');
  await env.client.ok('setPrinter', { token: ana, printer: tillSetup('en'), reason: 'the counter' });
  await env.client.ok('setPrinter', {
    token: ana,
    printer: {
      printer_id: 'kitchen',
      name: 'Kitchen',
      role: 'kitchen',
      address: { kind: 'tcp', host: '127.0.0.1', port: kitchen.port },
      columns: 42,
      categories: ['mains', 'sides'],
      language: 'de',
    },
    reason: 'the pass',
  });
});

after(async () => {
  await env?.close();
  await till?.close();
  await kitchen?.close();
});

const drain = (): Promise<boolean> => env.kiosk.services.printing.desk.drain(15_000);
const lastSlip = (p: VirtualPrinter): Slip =>
  decodeEscPos(new Uint8Array(p.sessions.at(-1)!), { partial: true }).slips[0]!;

async function pay(method: 'cash' | 'card' = 'cash'): Promise<number> {
  const o = await env.client.ok('sendOrder', {
    token: bo,
    lines: [
      { item_id: 'ramen', quantity: 1, options: ['egg'], note: 'extra spicy' },
      { item_id: 'tea', quantity: 2 },
    ],
  });
  return (await env.client.ok('payOrder', { token: bo, order_id: o.order_id, method })).entry.seq;
}

test(
  'the printer line shows each printer’s state and queue in three languages; the re-print buttons print the receipt and the ticket marked as re-prints',
  { skip },
  async () => {
    const seq = await pay();
    assert.ok(await drain());
    const page = await env.page();
    await env.signIn(page, 'cashier');
    await page.getByTestId('printer-till').and(page.locator('[data-state="ok"]')).waitFor({ timeout: 10_000 });
    const problems = await shotsAllLanguages(page, 'printing-line-ok');
    // The till printer switched off: a payment goes through, its receipt waits, the line says so.
    await till.kill();
    await pay('card');
    await page.getByTestId('printer-till').and(page.locator('[data-state="unreachable"]')).waitFor({ timeout: 15_000 });
    assert.equal(await page.getByTestId('printer-till').getAttribute('data-pending'), '1');
    problems.push(...(await shotsAllLanguages(page, 'printing-line-unreachable')));
    await till.listen();
    assert.ok(await drain());
    await page.getByTestId(`receipt-${seq}`).click();
    await page.getByTestId('staff-receipt').waitFor();
    const t0 = till.sessions.length;
    const k0 = kitchen.sessions.length;
    await page.getByTestId('reprint-receipt').click();
    await page.getByTestId('reprint-kitchen').click();
    await page.getByTestId('staff-notice').waitFor();
    assert.ok(await drain());
    assert.equal(till.sessions.length, t0 + 1);
    assert.equal(kitchen.sessions.length, k0 + 1);
    const receipt = textOf(lastSlip(till));
    assert.equal(receipt[0], '*** RE-PRINT ***');
    assert.ok(receipt.some((l) => l.includes(`Receipt No. ${seq}`)));
    const ticket = textOf(lastSlip(kitchen));
    assert.equal(ticket[0], '*** KOPIE ***', 'the kitchen prints in German');
    assert.ok(ticket.includes('+ Extra Ei') && ticket.includes('! extra spicy'), ticket.join('\n'));
    assert.deepEqual(problems, []);
  },
);

test('the printed receipt, decoded from the captured bytes, in English, German and Chinese', { skip }, async () => {
  const seq = await pay();
  assert.ok(await drain());
  const receipt = env.kiosk.services.receipts.bySeq(seq);
  // A page of its own (the kiosk's pages carry its content security policy).
  const page = await (await env.browser.newContext({ viewport: { width: 800, height: 1000 } })).newPage();
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const expect = { en: 'Total', de: 'Torstraße 1', zh: null } as const;
  for (const lang of ['en', 'de', 'zh'] as const) {
    await env.client.ok('setPrinter', { token: ana, printer: tillSetup(lang), reason: `paper in ${lang}` });
    await env.client.ok('reprint', { token: bo, what: 'receipt', seq });
    assert.ok(await drain());
    const slip = lastSlip(till);
    assert.ok(slip.cut, 'cut');
    assert.deepEqual(slip.qr, [receipt.lookup_url, receipt.fiscal?.qr_code], 'the lookup, then the DSFinV-K code');
    const images = slip.lines.filter((l) => 'image' in l).length;
    if (lang === 'zh') assert.ok(images >= 5, `the Chinese lines as raster images (${images})`);
    else {
      assert.equal(images, 0);
      assert.ok(
        textOf(slip).some((l) => l.includes(expect[lang])),
        textOf(slip).join('\n'),
      );
    }
    await page.setContent(await slipHtml(slip, 42, `receipt ${seq} ${lang}`));
    await page.getByTestId('paper').screenshot({ path: join(ARTIFACTS_DIR, `printed-receipt-${lang}.png`) });
  }
});
