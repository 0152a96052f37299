// Training mode through the kiosk's real transport: only a manager turns it on (a signed config
// entry; a cashier is refused and nothing is written); a sale and its refund made under it are
// signed with `training: true`, their receipts are marked and their RKSV counter says TRA, and
// they are left out of the day's money: the day report's totals, the Z report (the signed day
// close) and the DSFinV-K Z tables, which list them as AVTraining. Older entries still verify.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../electron/config.js';
import { createLogger } from '../../electron/log.js';
import { openDemoKiosk, type DemoKiosk } from '../../scripts/demo-store.js';
import type { ApiResult } from '../../electron/contract/api.js';
import { LedgerReader } from '../../ledger/store/reader.js';
import { verifyLedger } from '../../ledger/verify/verify.js';
import { RKSV_TRAINING_COUNTER } from '../../ledger/fiscal/rksv-code.js';
import { main } from '../../ledger/cli/cli.js';
import { minorOf, readCsv } from '../helpers/fiscal.js';
import { WsClient } from '../helpers/kiosk-client.js';

let dir: string;
let kiosk: DemoKiosk;
let client: WsClient;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smile-training-'));
  const config = loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0', SMILE_TIMEZONE: 'Europe/Berlin' } });
  kiosk = await openDemoKiosk({ config, log: createLogger({ level: 'silent' }), demoPeople: [], syncPollMs: 100 });
  client = await WsClient.connect(kiosk.http!.url);
});

after(async () => {
  client?.close();
  await kiosk?.close();
  rmSync(dir, { recursive: true, force: true });
});

const code = <T>(r: ApiResult<T>): string => (r.ok ? 'ok' : r.error.code);

test('training entries are marked and left out of the day report, the Z report and the export totals', async () => {
  const s = kiosk.demoStaff!;
  const bo = (await client.ok('staffSignIn', { staff_id: s.cashier.staff_id, pin: s.cashier.pin })).token;
  const ana = (await client.ok('staffSignIn', { staff_id: s.manager.staff_id, pin: s.manager.pin })).token;
  const sell = async () => {
    const o = await client.ok('sendOrder', {
      token: bo,
      lines: [
        { item_id: 'ramen', quantity: 1 },
        { item_id: 'tea', quantity: 1 },
      ],
    });
    return (await client.ok('payOrder', { token: bo, order_id: o.order_id, method: 'card' })).entry;
  };
  const real = await sell();

  const before = (await client.ok('dayEntries', { token: ana })).entries.length;
  for (const bad of [
    { token: bo, value: 1 },
    { token: ana, value: 2 },
    { token: ana, value: -1 },
  ]) {
    assert.notEqual(
      code(await client.call('setSetting', { ...bad, key: 'training_mode', reason: 'staff training' })),
      'ok',
    );
    assert.equal(
      (await client.ok('dayEntries', { token: ana })).entries.length,
      before,
      'a refused change writes nothing',
    );
  }
  await client.ok('setSetting', { token: ana, key: 'training_mode', value: 1, reason: 'new staff training' });
  const practice = await sell();
  const left = await client.ok('refundable', { token: bo, payment_seq: practice.seq });
  const refund = await client.ok('refund', {
    token: bo,
    payment_seq: practice.seq,
    items: [{ line: left.lines.findIndex((l) => l.item_id === 'tea'), quantity: 1 }],
    reason: 'practice refund',
  });
  await client.ok('setSetting', { token: ana, key: 'training_mode', value: 0, reason: 'training over' });
  const real2 = await sell();

  const reader = new LedgerReader(join(dir, 'ledger.db'));
  const signed = (seq: number) => [...reader.range(seq, seq)][0]!.entry;
  const trainingOf = (seq: number) => (signed(seq).body as { training?: boolean }).training === true;
  assert.deepEqual([real.seq, practice.seq, refund.entry.seq, real2.seq].map(trainingOf), [false, true, true, false]);
  reader.close();

  const receipt = await client.ok('staffReceipt', { token: bo, seq: practice.seq });
  assert.equal(receipt.fiscal?.training, true);
  assert.equal(receipt.fiscal?.rksv_code.split('_')[10], RKSV_TRAINING_COUNTER);
  assert.equal((await client.ok('staffReceipt', { token: bo, seq: real2.seq })).fiscal?.training, false);

  const realMinor = real.amount_minor + real2.amount_minor;
  const report = await client.ok('dayReport', { token: ana });
  assert.equal(report.totals[0]!.gross_minor, realMinor, 'the day report counts only the real sales');
  assert.equal(report.totals[0]!.net_minor, realMinor);
  const z = await client.ok('closeDay', { token: ana });
  assert.equal(z.totals[0]!.gross_minor, realMinor, 'the Z report counts only the real sales');
  assert.equal(z.totals[0]!.payment_count, 2);
  assert.equal(
    z.by_rate.reduce((sum, r) => sum + r.gross_minor, 0),
    realMinor,
  );

  const verified = await verifyLedger(join(dir, 'ledger.db'));
  assert.equal(verified.ok, true, JSON.stringify(verified.fault));

  const out = join(dir, 'dsfinvk');
  const said: string[] = [];
  const day = z.business_day;
  assert.equal(
    await main(
      ['export', join(dir, 'ledger.db'), '--format', 'dsfinvk', '--from', day, '--to', day, '--out', out],
      (x) => said.push(x),
    ),
    0,
  );
  const bons = readCsv(readFileSync(join(out, 'transactions.csv'), 'utf8'));
  assert.deepEqual(
    bons.map((b) => b.BON_TYP),
    ['Beleg', 'AVTraining', 'AVTraining', 'Beleg'],
  );
  const [cz] = readCsv(readFileSync(join(out, 'cashpointclosing.csv'), 'utf8'));
  assert.equal(minorOf(cz!.Z_SE_ZAHLUNGEN), realMinor);
});
