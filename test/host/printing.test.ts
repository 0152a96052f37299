// Proves the kiosk's printing through its real transport, a real ledger and two virtual printers
// on loopback (TCP servers that keep the bytes, decoded as a printer would): a manager sets the
// printers up (signed config entries; a cashier, a second receipt printer and a device outside
// the allowed paths refused, nothing written); a card payment prints a receipt with its lines,
// VAT per rate, payment and the verification URL as a QR code, then a cut, and no drawer kick;
// the kitchen station gets its lines with options and note; cash payments, a cash refund and a
// pay-in/out kick the drawer (before the receipt) and a card refund does not; each opening is
// recorded with who and why and printed in the X report; a printer killed in the middle of a job
// and back prints the job once, marked as a re-print; a staff re-print is marked; a printer away
// or out of paper blocks no payment and shows in the status; the queue's bound refuses with a code.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../electron/config.js';
import { createLogger } from '../../electron/log.js';
import { openDemoKiosk, type DemoKiosk } from '../../scripts/demo-store.js';
import type { ApiResult, PrinterSetup } from '../../electron/contract/api.js';
import { PRINT_JOBS_PENDING_MAX, type PrintStore } from '../../electron/host/printing/print-store.js';
import { WsClient } from '../helpers/kiosk-client.js';
import { decodeEscPos, textOf, type Slip } from '../helpers/escpos-decode.js';
import { VirtualPrinter } from '../helpers/virtual-printer.js';

let dir: string;
let kiosk: DemoKiosk;
let client: WsClient;
let bo: string;
let ana: string;
let till: VirtualPrinter;
let kitchen: VirtualPrinter;

const code = <T>(r: ApiResult<T>): string => (r.ok ? 'ok' : r.error.code);
const tip = (): number => kiosk.services.day.dayEntries({ token: ana }).entries[0]?.seq ?? 0;

const receiptPrinter = (port: number, language: PrinterSetup['language'] = 'en'): PrinterSetup => ({
  printer_id: 'till',
  name: 'Till',
  role: 'receipt',
  address: { kind: 'tcp', host: '127.0.0.1', port },
  columns: 42,
  categories: [],
  language,
});

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smile-printing-'));
  const config = loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0', SMILE_TIMEZONE: 'Europe/Berlin' } });
  kiosk = await openDemoKiosk({
    config,
    log: createLogger({ level: process.env.SMILE_TEST_LOG ?? 'silent' }),
    demoPeople: [],
  });
  client = await WsClient.connect(kiosk.http!.url);
  const s = kiosk.demoStaff!;
  bo = (await client.ok('staffSignIn', { staff_id: s.cashier.staff_id, pin: s.cashier.pin })).token;
  ana = (await client.ok('staffSignIn', { staff_id: s.manager.staff_id, pin: s.manager.pin })).token;
  till = await VirtualPrinter.start();
  kitchen = await VirtualPrinter.start();
});

after(async () => {
  client?.close();
  await kiosk?.close();
  await till?.close();
  await kitchen?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Waits for every queued job to be sent (or the time to pass). */
const drain = (ms = 10_000): Promise<boolean> => kiosk.services.printing.desk.drain(ms);

/** The slips printed by the connections from the `from`th on, each read on its own (one cut off
 * in the middle of a job ends where it was cut off). */
function slipsSince(p: VirtualPrinter, from: number): Slip[] {
  return p.sessions.slice(from).flatMap((b) => decodeEscPos(new Uint8Array(b), { partial: true }).slips);
}

async function payAtCounter(method: 'cash' | 'card', lines = [{ item_id: 'tea', quantity: 2 }]): Promise<number> {
  const o = await client.ok('sendOrder', { token: bo, lines });
  const r = await client.ok('payOrder', { token: bo, order_id: o.order_id, method });
  return r.entry.seq;
}

test('a manager sets up the printers as signed config entries; a cashier, a second receipt printer and a stray device path are refused, nothing written', async () => {
  const before = tip();
  assert.equal(
    code(await client.call('setPrinter', { token: bo, printer: receiptPrinter(till.port), reason: 'new till' })),
    'STAFF_FORBIDDEN',
  );
  const bad = {
    ...receiptPrinter(till.port),
    printer_id: 'bad',
    address: { kind: 'device' as const, path: '/etc/passwd' },
  };
  assert.equal(code(await client.call('setPrinter', { token: ana, printer: bad, reason: 'x' })), 'PRINTER_INVALID');
  const badPort = { ...receiptPrinter(till.port), address: { kind: 'tcp' as const, host: '127.0.0.1', port: 70_000 } };
  assert.equal(code(await client.call('setPrinter', { token: ana, printer: badPort, reason: 'x' })), 'API_BAD_REQUEST');
  assert.equal(tip(), before, 'nothing written');
  const set = await client.ok('setPrinter', {
    token: ana,
    printer: receiptPrinter(till.port),
    reason: 'the counter printer',
  });
  assert.equal(set.seq, before + 1);
  const station: PrinterSetup = {
    printer_id: 'kitchen',
    name: 'Hot kitchen',
    role: 'kitchen',
    address: { kind: 'tcp', host: '127.0.0.1', port: kitchen.port },
    columns: 42,
    categories: ['mains', 'sides'],
    language: 'en',
  };
  await client.ok('setPrinter', { token: ana, printer: station, reason: 'the pass' });
  const second = { ...station, printer_id: 'till-2', role: 'receipt' as const };
  assert.equal(code(await client.call('setPrinter', { token: ana, printer: second, reason: 'x' })), 'PRINTER_INVALID');
  const listed = await client.ok('printers', { token: bo });
  assert.deepEqual(
    listed.setups.map((p) => p.printer_id),
    ['kitchen', 'till'],
  );
});

test('a card payment prints the receipt (lines, VAT per rate, payment, the QR of its lookup, a cut) with no drawer kick; the station prints its lines with options and note', async () => {
  const t0 = till.sessions.length;
  const k0 = kitchen.sessions.length;
  const seq = await payAtCounter('card', [
    { item_id: 'ramen', quantity: 1, options: ['egg'], note: 'no bamboo' } as never,
    { item_id: 'tea', quantity: 2 },
  ]);
  assert.ok(await drain(), 'the queue drained');
  const slips = slipsSince(till, t0);
  assert.equal(slips.length, 1, 'one slip');
  const [slip] = slips as [Slip];
  const lines = textOf(slip);
  const receipt = kiosk.services.receipts.bySeq(seq);
  assert.ok(
    lines.some((l) => l.includes(`Receipt No. ${seq}`)),
    lines.join('\n'),
  );
  assert.ok(
    lines.some((l) => /^1 x .*ramen B\s+\d+\.\d\d EUR$/i.test(l)),
    lines.join('\n'),
  );
  assert.ok(lines.includes('+ Extra egg'), 'the option by name');
  assert.ok(lines.some((l) => /^2 x .*tea A/i.test(l)));
  for (const r of receipt.by_rate)
    assert.ok(
      lines.some((l) => l.startsWith(`${r.rate_id} VAT`)),
      `VAT ${r.rate_id}`,
    );
  assert.ok(lines.some((l) => l.startsWith(`Paid Card #${seq}`)));
  assert.ok(receipt.fiscal, 'the kiosk keeps a fiscal log');
  assert.deepEqual(slip.qr, [receipt.lookup_url, receipt.fiscal.qr_code], 'the lookup, then the DSFinV-K code');
  assert.ok(lines.includes(`Transaction number: ${receipt.fiscal.transaction_number}`), lines.join('\n'));
  assert.ok(lines.includes(`Signature counter: ${receipt.fiscal.signature_counter}`), lines.join('\n'));
  assert.ok(lines.includes(receipt.fiscal.unit_serial.slice(0, 32)), 'the signing unit serial, printed whole');
  assert.ok(slip.cut);
  assert.equal(slip.kicks, 0, 'no drawer kick on a card payment');
  const ticket = slipsSince(kitchen, k0);
  assert.equal(ticket.length, 1);
  const tl = textOf(ticket[0]!);
  assert.ok(
    tl.some((l) => l.includes(receipt.order_id)),
    'the order number',
  );
  assert.ok(
    tl.some((l) => /^1 x .*ramen/i.test(l)) && tl.includes('+ Extra egg') && tl.includes('! no bamboo'),
    tl.join('\n'),
  );
  assert.ok(!tl.some((l) => /Tea/.test(l)), 'a drink is not the hot kitchen’s');
});

test('the drawer opens on a cash payment, a cash refund and a pay-in/out, never on a card refund; each opening recorded with who and why, and in the X report', async () => {
  await client.ok('openShift', { token: bo, float_minor: 10_000 });
  const t0 = till.sessions.length;
  const cash = await payAtCounter('cash');
  const card = await payAtCounter('card');
  await client.ok('refund', { token: bo, payment_seq: cash, amount_minor: 100, reason: 'cold tea' });
  await client.ok('refund', { token: bo, payment_seq: card, amount_minor: 100, reason: 'cold tea' });
  await client.ok('cashMove', { token: bo, direction: 'out', amount_minor: 500, reason: 'bread' });
  assert.ok(await drain());
  const d = decodeEscPos(new Uint8Array(Buffer.concat(till.sessions.slice(t0))));
  assert.equal(d.kicks, 3, 'cash payment, cash refund, pay-out');
  assert.equal(d.slips.filter((s) => s.cut).length, 2, 'two receipts');
  const openings = (await client.ok('drawerOpenings', { token: bo })).openings;
  assert.deepEqual(openings.map((o) => [o.reason, o.by]).reverse(), [
    ['cash_payment', 'cashier:bo'],
    ['cash_refund', 'cashier:bo'],
    ['pay_out', 'cashier:bo'],
  ]);
  assert.ok(openings.every((o) => o.kicked_at_ms !== null));
  assert.match(openings[0]!.ref, /bread/);
  const x0 = till.sessions.length;
  await client.ok('printXReport', { token: bo });
  assert.ok(await drain());
  const x = textOf(slipsSince(till, x0)[0]!);
  assert.ok(x.includes('X report (shift)') && x.includes('Drawer openings: 3'), x.join('\n'));
  assert.ok(x.some((l) => /pay-out cashier:bo bread/.test(l)));
});

test('a printer killed in the middle of a receipt and back prints it once, marked as a re-print; a staff re-print is marked too', async () => {
  const t0 = till.sessions.length;
  till.dieAfterBytes = 120;
  const seq = await payAtCounter('card');
  // The printer comes back a moment later, on the same port.
  await new Promise((r) => setTimeout(r, 300));
  await till.listen();
  assert.ok(await drain(15_000), 'printed once the printer was back');
  const slips = slipsSince(till, t0);
  const cut = slips.filter((s) => s.cut);
  assert.equal(cut.length, 1, 'one whole receipt');
  assert.equal(slips.filter((s) => !s.cut).length, 1, 'the first try was cut off');
  assert.equal(till.sessions.length - t0, 2, 'two connections: the one cut off, the one that printed');
  const lines = textOf(cut[0]!);
  assert.equal(lines[0], '*** RE-PRINT ***');
  assert.ok(lines.some((l) => l.includes(`Receipt No. ${seq}`)));
  const r0 = till.sessions.length;
  assert.deepEqual(await client.ok('reprint', { token: bo, what: 'receipt', seq }), { jobs: 1 });
  assert.ok(await drain());
  const again = textOf(slipsSince(till, r0)[0]!);
  assert.equal(again[0], '*** RE-PRINT ***');
  assert.equal(code(await client.call('reprint', { token: bo, what: 'receipt', seq: 99_999 })), 'RECEIPT_NOT_FOUND');
});

test('a printer away or out of paper never blocks a payment: the job waits, the status shows it, and prints when the printer is back', async () => {
  till.paperOut = true;
  const t0 = Date.now();
  await payAtCounter('card');
  assert.ok(Date.now() - t0 < 2_000, 'the payment did not wait for paper');
  await new Promise((r) => setTimeout(r, 400));
  const status = await client.ok('status', {});
  const p = status.printing!.printers.find((x) => x.printer_id === 'till')!;
  assert.equal(p.state, 'paper_out');
  assert.ok(p.pending >= 1);
  till.paperOut = false;
  assert.ok(await drain(15_000));
  await till.kill();
  const t1 = Date.now();
  await payAtCounter('card');
  assert.ok(Date.now() - t1 < 2_000, 'the payment did not wait for an unreachable printer');
  await new Promise((r) => setTimeout(r, 400));
  const s2 = (await client.ok('printers', { token: bo })).queue.printers.find((x) => x.printer_id === 'till')!;
  assert.equal(s2.state, 'unreachable');
  assert.equal(s2.pending, 1);
  await till.listen();
  assert.ok(await drain(15_000));
});

test('the queue holds its bound: a re-print beyond it is refused with PRINT_QUEUE_FULL', async () => {
  await till.kill();
  const seq = await payAtCounter('card');
  const jobs = (
    kiosk.services.printing as unknown as {
      p: { jobs: PrintStore };
    }
  ).p.jobs;
  while (jobs.pendingCount() < PRINT_JOBS_PENDING_MAX)
    jobs.add(
      {
        printer_id: 'till',
        kind: 'x_report',
        ref: 'fill',
        dedup_key: null,
        doc: '{"lang":"en","blocks":[],"cut":true,"kick":false}',
        reprint: false,
      },
      Date.now(),
    );
  assert.equal(code(await client.call('reprint', { token: bo, what: 'receipt', seq })), 'PRINT_QUEUE_FULL');
});
