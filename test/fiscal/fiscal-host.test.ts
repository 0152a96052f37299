// The kiosk's receipt carries the fiscal fields (through the real HTTP + WebSocket transport,
// with the demo store's real ledger and fiscal.db): transaction number, start and end, the
// signature counter, the till's and the signing unit's serials, the signature, and DSFinV-K's QR
// and the RKSV code, both of which `receipt-check` accepts against the kiosk's device key.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../electron/config.js';
import { createLogger } from '../../electron/log.js';
import { openDemoKiosk, type DemoKiosk } from '../../scripts/demo-store.js';
import { LedgerReader } from '../../ledger/store/reader.js';
import { main } from '../../ledger/cli/cli.js';
import { WsClient } from '../helpers/kiosk-client.js';

let dir: string;
let kiosk: DemoKiosk;
let client: WsClient;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smile-fiscal-'));
  const config = loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0', SMILE_TIMEZONE: 'Europe/Berlin' } });
  kiosk = await openDemoKiosk({ config, log: createLogger({ level: 'silent' }), demoPeople: [], syncPollMs: 100 });
  client = await WsClient.connect(kiosk.http!.url);
});

after(async () => {
  client?.close();
  await kiosk?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a card payment at the counter: its receipt has the KassenSichV fields and two codes that verify', async () => {
  const s = kiosk.demoStaff!;
  const bo = (await client.ok('staffSignIn', { staff_id: s.cashier.staff_id, pin: s.cashier.pin })).token;
  const o = await client.ok('sendOrder', {
    token: bo,
    lines: [
      { item_id: 'ramen', quantity: 1 },
      { item_id: 'tea', quantity: 1 },
    ],
  });
  const paid = await client.ok('payOrder', { token: bo, order_id: o.order_id, method: 'card' });
  const r = await client.ok('staffReceipt', { token: bo, seq: paid.entry.seq });
  const f = r.fiscal;
  assert.ok(f, 'the receipt has its fiscal block');
  assert.equal(f.transaction_number, paid.entry.seq);
  assert.equal(f.unit_failed, false);
  assert.equal(f.training, false);
  assert.ok(f.signature_counter !== null && f.signature_counter >= 1);
  assert.ok(f.end_ms >= f.start_ms);
  assert.equal(f.algorithm, 'ed25519');
  assert.match(f.qr_code, /^V0;/);
  assert.match(f.rksv_code, /^_ED1-AT0_/);
  assert.equal(r.by_rate.length, 2, 'VAT per rate');
  assert.deepEqual(
    r.payments.map((p) => p.method),
    ['card'],
  );
  const reader = new LedgerReader(join(dir, 'ledger.db'));
  const key = reader.keys[reader.keys.length - 1]!.public_key;
  reader.close();
  for (const code of [f.qr_code, f.rksv_code]) {
    const said: string[] = [];
    const exit = await main(['receipt-check', code, '--key', key, '--ledger', join(dir, 'ledger.db')], (x) =>
      said.push(x),
    );
    assert.equal(exit, 0, said.join('\n'));
  }
});
