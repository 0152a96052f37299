// Proves that a printer set up as a file in the kiosk's printer-devices folder cannot write into
// another file through a link: a symbolic or hard link there to the ledger gets no receipt bytes
// appended (the ledger's bytes are unchanged), while a plain file there and a character device print.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrinterLinkError, sendToPrinter } from '../../electron/host/printing/printer-link.js';

test('a link in printer-devices to the ledger is refused; a plain file and /dev/null print', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rt3-device-'));
  try {
    const ledger = join(dir, 'ledger.db');
    writeFileSync(ledger, 'SQLite format 3\u0000 the signed chain');
    const before = readFileSync(ledger);
    const devices = join(dir, 'printer-devices');
    mkdirSync(devices);
    symlinkSync(ledger, join(devices, 'lp-sym'));
    linkSync(ledger, join(devices, 'lp-hard'));
    const job = new Uint8Array([0x1b, 0x40, 0x41, 0x0a]);
    for (const name of ['lp-sym', 'lp-hard']) {
      await assert.rejects(
        sendToPrinter({ kind: 'device', path: join(devices, name) }, job),
        (e: unknown) => e instanceof PrinterLinkError && /not a printer/.test(e.message),
        name,
      );
    }
    assert.deepEqual(readFileSync(ledger), before, 'the ledger is unchanged');
    const plain = join(devices, 'lp0');
    await sendToPrinter({ kind: 'device', path: plain }, job);
    assert.deepEqual(new Uint8Array(readFileSync(plain)), job);
    await sendToPrinter({ kind: 'device', path: '/dev/null' }, job);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.todo(
  'a tcp printer on the kiosk itself (127.0.0.1:5432, the settlement server) is accepted by setPrinter: receipts are sent to loopback services (the virtual printer of the tests listens on loopback, so refusing loopback needs a test-only allowance)',
);
