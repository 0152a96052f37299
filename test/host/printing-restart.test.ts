// Proves that the print queue is durable and that the other printer kinds print: a receipt to a
// device-file printer (a file in the kiosk's printer-devices folder) holds the whole receipt; a
// receipt whose printer is away when the kiosk stops is printed after the restart, exactly once,
// with its drawer kick, and the earlier receipt is not printed again by the restarted kiosk; the day's close prints the
// Z report with the day's drawer openings.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../electron/config.js';
import { createLogger } from '../../electron/log.js';
import { openDemoKiosk, type DemoKiosk } from '../../scripts/demo-store.js';
import type { PrinterSetup } from '../../electron/contract/api.js';
import { WsClient } from '../helpers/kiosk-client.js';
import { decodeEscPos, textOf } from '../helpers/escpos-decode.js';
import { VirtualPrinter } from '../helpers/virtual-printer.js';

let dir: string;
let kiosk: DemoKiosk;
let client: WsClient;
let printer: VirtualPrinter;
let staffPins: DemoKiosk['demoStaff'] | undefined;
const config = (): ReturnType<typeof loadConfig> =>
  loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0', SMILE_TIMEZONE: 'Europe/Berlin' } });
const log = createLogger({ level: process.env.SMILE_TEST_LOG ?? 'silent' });

async function open(): Promise<{ bo: string; ana: string }> {
  kiosk = await openDemoKiosk({ config: config(), log, demoPeople: [] });
  client = await WsClient.connect(kiosk.http!.url);
  // The demo staff and their PINs are told on the first start only.
  staffPins ??= kiosk.demoStaff;
  const s = staffPins;
  assert.ok(s, 'the demo staff of the first start');
  return {
    bo: (await client.ok('staffSignIn', { staff_id: s.cashier.staff_id, pin: s.cashier.pin })).token,
    ana: (await client.ok('staffSignIn', { staff_id: s.manager.staff_id, pin: s.manager.pin })).token,
  };
}

const till = (address: PrinterSetup['address']): PrinterSetup => ({
  printer_id: 'till',
  name: 'Till',
  role: 'receipt',
  address,
  columns: 42,
  categories: [],
  language: 'en',
});

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smile-print-restart-'));
  printer = await VirtualPrinter.start();
});

after(async () => {
  client?.close();
  await kiosk?.close();
  await printer?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function pay(bo: string, method: 'cash' | 'card'): Promise<number> {
  const o = await client.ok('sendOrder', { token: bo, lines: [{ item_id: 'tea', quantity: 1 }] });
  return (await client.ok('payOrder', { token: bo, order_id: o.order_id, method })).entry.seq;
}

test('a device-file printer, a receipt waiting across a restart printed once after it (its drawer kick too), and the Z report on the day’s close', async () => {
  let { bo, ana } = await open();
  const devices = join(dir, 'printer-devices');
  mkdirSync(devices, { recursive: true });
  const lp = join(devices, 'lp0');
  writeFileSync(lp, '');
  await client.ok('setPrinter', { token: ana, printer: till({ kind: 'device', path: lp }), reason: 'usb' });
  const first = await pay(bo, 'card');
  assert.ok(await kiosk.services.printing.desk.drain(10_000));
  const fromFile = decodeEscPos(new Uint8Array(readFileSync(lp)));
  assert.equal(fromFile.cuts, 1);
  assert.ok(textOf(fromFile.slips[0]!).some((l) => l.includes(`Receipt No. ${first}`)));

  // The till now a network printer that is off; a payment's receipt waits; the kiosk stops.
  await printer.kill();
  await client.ok('setPrinter', {
    token: ana,
    printer: till({ kind: 'tcp', host: '127.0.0.1', port: printer.port }),
    reason: 'lan',
  });
  await client.ok('openShift', { token: bo, float_minor: 5_000 });
  const waiting = await pay(bo, 'cash');
  await new Promise((r) => setTimeout(r, 300));
  const before = (await client.ok('printers', { token: bo })).queue.printers[0]!;
  assert.ok(before.pending >= 1, 'the receipt waits');
  client.close();
  await kiosk.close();

  await printer.listen();
  ({ bo, ana } = await open());
  assert.ok(await kiosk.services.printing.desk.drain(15_000), 'printed after the restart');
  const d = decodeEscPos(printer.bytes(), { partial: true });
  const receipts = d.slips.filter((s) => s.cut && textOf(s).some((l) => l.includes(`Receipt No. ${waiting}`)));
  assert.equal(receipts.length, 1, 'the waiting receipt printed once');
  assert.ok(
    !d.slips.some((s) => textOf(s).some((l) => l.includes(`Receipt No. ${first}`))),
    'the earlier one not again',
  );
  const openings = (await client.ok('drawerOpenings', { token: bo })).openings;
  // Back within DRAWER_KICK_AGE_MS_MAX: the kick is sent once too, and recorded as kicked.
  assert.equal(d.kicks, 1);
  assert.deepEqual(
    openings.map((o) => [o.seq, o.reason, o.kicked_at_ms !== null]),
    [[waiting, 'cash_payment', true]],
  );

  // Counted: the float (a variance of the tea's cash is fine here).
  await client.ok('closeShift', { token: bo, counted: [{ denomination_minor: 5_000, count: 1 }] });
  const n0 = printer.sessions.length;
  await client.ok('closeDay', { token: ana });
  assert.ok(await kiosk.services.printing.desk.drain(10_000));
  const z = textOf(decodeEscPos(new Uint8Array(Buffer.concat(printer.sessions.slice(n0)))).slips[0]!);
  assert.ok(z.includes('Z report (day close)'), z.join('\n'));
  assert.ok(
    z.some((l) => /cash payment cashier:bo/.test(l)),
    'the day’s drawer opening in the Z report',
  );
});
