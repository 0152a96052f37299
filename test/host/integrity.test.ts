// Proves the manager's integrity panel against real parts: a real ledger file, a real sync
// worker and a real settlement server on loopback. The server's receipts are counted as matched
// only when they name the hash of the entry we hold (settled, recorded, declined; pending
// before the upload), the payments it declined after the fact make the follow-up list with the
// customer's initials and the reason; "verify now" runs ledger/verify/verify.ts over the file, is
// recorded (who, when, result) in the ledger file so that it survives a restart, and names the
// first bad seq of a tampered row (an edited amount, an edited hash, which also unmatches its
// receipt); a fork the server refuses and a regulator's freeze are alarms with when and why; a
// cashier's or a forged token is refused; and through the kiosk's real transport the calls work.
import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { IntegrityService } from '../../electron/host/manager/integrity.js';
import { CustomerDirectory } from '../../electron/host/payment/customers.js';
import { ApiFault } from '../../electron/host/fault.js';
import { StaffDirectory } from '../../electron/host/staff/directory.js';
import { loadConfig } from '../../electron/config.js';
import { createLogger } from '../../electron/log.js';
import { openDemoKiosk } from '../../scripts/demo-store.js';
import { DeviceKey } from '../../ledger/keys/device-key.js';
import { toHex } from '../../ledger/protocol/hex.js';
import { LedgerStore } from '../../ledger/store/store.js';
import { SyncWorker } from '../../ledger/sync/worker.js';
import type { SyncError } from '../../ledger/sync/http.js';
import { addRegulatorKey } from '../../ledger/server/admin.js';
import { walletAccount } from '../../ledger/server/context.js';
import { FREEZE_DOMAIN, freezeBytes } from '../../ledger/wire/signing.js';
import type { FreezeRecord } from '../../ledger/wire/wire.js';
import {
  cashPayment,
  facePayment,
  fundedCustomer,
  kiosk,
  serverWithMerchant,
  tempDir,
  type TestKiosk,
} from '../helpers/settle.js';
import { pairWithLink, WsClient } from '../helpers/kiosk-client.js';

interface Desk {
  desk: IntegrityService;
  manager: string;
  cashier: string;
  customers: CustomerDirectory;
  close(): void;
}

/** The integrity desk over a test kiosk's ledger, with a staff directory of one manager and one cashier. */
async function deskFor(k: TestKiosk): Promise<Desk> {
  const dir = tempDir('stp-integrity-');
  const staff = new StaffDirectory(join(dir, 'staff.db'));
  await staff.add({ staff_id: 'ana', display_name: 'Ana', role: 'manager' }, '482615');
  const ana = await staff.signIn('ana', '482615');
  await staff.add({ staff_id: 'bo', display_name: 'Bo', role: 'cashier' }, '7391', ana);
  const bo = await staff.signIn('bo', '7391');
  const customers = new CustomerDirectory(join(dir, 'customers.db'));
  const desk = new IntegrityService({
    store: k.store,
    state: k.worker.state,
    staff,
    customers,
    ledgerPath: k.path,
    settlementUrl: () => 'http://127.0.0.1:1',
    lastSyncError: () => null,
  });
  return {
    desk,
    manager: ana.token,
    cashier: bo.token,
    customers,
    close() {
      staff.close();
      customers.close();
    },
  };
}

function faultCode(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof ApiFault) return err.code;
    throw err;
  }
  return 'ok';
}

/** A copy-free tamper: the append-only triggers dropped on the live file, as an attacker would. */
function tamper(path: string, sql: string, ...args: unknown[]): void {
  const db = new Database(path);
  for (const name of ['entries_no_update', 'entries_no_delete']) db.exec(`DROP TRIGGER IF EXISTS ${name}`);
  db.prepare(sql).run(...args);
  db.close();
}

function freezeOrder(
  regulator: DeviceKey,
  action: 'freeze' | 'unfreeze',
  targetId: string,
  reason: string,
): { record: FreezeRecord; signature: string } {
  const record: FreezeRecord = {
    v: 1,
    freeze_id: randomUUID(),
    action,
    target_type: 'account',
    target_id: targetId,
    reason,
    issued_at_ms: Date.now(),
  };
  return { record, signature: toHex(regulator.signWithDomain(FREEZE_DOMAIN, freezeBytes(record))) };
}

async function post(url: string, body: unknown): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.text();
  return res.status;
}

describe('integrity panel', () => {
  it('matches receipts to entries, lists declined payments for follow-up, and verify now names the first bad seq of a tampered row', async () => {
    const { server, s, token } = await serverWithMerchant({ dataDir: tempDir() });
    const k = await kiosk(server.url, token);
    const d = await deskFor(k);
    try {
      await fundedCustomer(s, 'fay', 5_000);
      await fundedCustomer(s, 'gus', 100);
      d.customers.put({
        customer_id: 'gus',
        display_name: 'Gus Fring',
        phone_last4: '0042',
        enrolled_at_ms: Date.now(),
      });
      const fayPaid = k.store.append('payment', facePayment('fay', 1_200)); // 1 settled
      k.store.append('payment', facePayment('gus', 900)); // 2 declined: 100 in the wallet
      k.store.append('payment', cashPayment(500)); // 3 recorded
      k.store.append('refund', {
        payment_seq: fayPaid.entry.seq,
        amount_minor: 200,
        currency: 'EUR',
        reason: 'cold soup',
        approved_by: 'manager:ana',
      }); // 4 settled
      k.store.append('payment', facePayment('zed', 300)); // 5 declined: no such customer

      const before = d.desk.integrity({ token: d.manager });
      assert.deepEqual(
        before.receipts,
        { settled: 0, recorded: 0, declined: 0, pending: 5, mismatched: 0 },
        'nothing is receipted before the upload',
      );
      assert.equal(before.verified, null, 'never verified');
      assert.deepEqual(before.alarms, []);

      await k.worker.syncOnce();
      k.store.append('payment', facePayment('fay', 700)); // 6 pending
      const r = d.desk.integrity({ token: d.manager });
      assert.deepEqual(r.receipts, { settled: 2, recorded: 1, declined: 2, pending: 1, mismatched: 0 });
      assert.deepEqual(r.ledger, { entries: 6, tip_seq: 6 });
      assert.equal(r.follow_up_total, 2);
      assert.deepEqual(
        r.follow_up.map((f) => [f.seq, f.kind, f.amount_minor, f.currency, f.method, f.customer_initials, f.reason]),
        [
          [5, 'payment', 300, 'EUR', 'face', null, 'SETTLE_UNKNOWN_CUSTOMER'],
          [2, 'payment', 900, 'EUR', 'face', 'G.F.', 'SETTLE_INSUFFICIENT_FUNDS'],
        ],
        'newest first, with the initials of a customer this kiosk knows',
      );
      assert.ok(r.follow_up.every((f) => f.declined_at_ms >= f.created_at_ms));

      // Only a manager: a cashier and a forged token are refused, and nothing is recorded.
      assert.equal(
        faultCode(() => d.desk.integrity({ token: d.cashier })),
        'STAFF_FORBIDDEN',
      );
      await assert.rejects(d.desk.verifyNow({ token: d.cashier }), (e: ApiFault) => e.code === 'STAFF_FORBIDDEN');
      await assert.rejects(
        d.desk.verifyNow({ token: 'A'.repeat(43) }),
        (e: ApiFault) => e.code === 'STAFF_SESSION_INVALID',
      );
      assert.equal(d.desk.lastVerification(), null);

      const t0 = Date.now();
      const ok = await d.desk.verifyNow({ token: d.manager });
      assert.deepEqual(
        [ok.ok, ok.entries, ok.tip_seq, ok.anchor_seq, ok.first_bad_seq, ok.code, ok.by],
        [true, 6, 6, 5, null, null, 'manager:ana'],
      );
      assert.ok(ok.at_ms >= t0 && ok.at_ms <= Date.now());
      // Kept in the ledger file: a desk opened afresh (a restart) sees the same verification.
      const again = await deskFor(k);
      assert.deepEqual(again.desk.integrity({ token: again.manager }).verified, ok);
      again.close();

      // Someone edits the amount of entry 3 in the file: verify names entry 3.
      tamper(k.path, 'UPDATE entries SET amount_minor = 5 WHERE seq = 3');
      const bad = await d.desk.verifyNow({ token: d.manager });
      assert.equal(bad.ok, false);
      assert.equal(bad.first_bad_seq, 3, bad.message ?? '');
      assert.ok(bad.code !== null && bad.message !== null);
      const afterTamper = d.desk.integrity({ token: d.manager });
      assert.deepEqual(afterTamper.verified, bad);
      assert.deepEqual(
        afterTamper.alarms.map((a) => [a.kind, a.target]),
        [['chain_broken', '3']],
      );
      assert.equal(afterTamper.receipts.mismatched, 0, 'the stored hash still matches its receipt');

      // Then the stored hash of entry 2: its receipt no longer matches, and verify names entry 2.
      tamper(k.path, 'UPDATE entries SET entry_hash = ? WHERE seq = 2', Buffer.alloc(32, 7));
      const worse = await d.desk.verifyNow({ token: d.manager });
      assert.equal(worse.first_bad_seq, 2, worse.message ?? '');
      const last = d.desk.integrity({ token: d.manager });
      assert.deepEqual(last.receipts, { settled: 2, recorded: 1, declined: 1, pending: 1, mismatched: 1 });
      assert.deepEqual(
        last.alarms.map((a) => [a.kind, a.target]),
        [
          ['chain_broken', '2'],
          ['receipt_mismatch', '2'],
        ],
      );
    } finally {
      d.close();
      await k.close();
      await server.close();
    }
  });

  it("a fork the server refused and a regulator freeze are alarms with when and why; the frozen wallet's payment is followed up", async () => {
    const { server, s, token } = await serverWithMerchant({ dataDir: tempDir() });
    const regulator = DeviceKey.generate();
    await addRegulatorKey(s, regulator.publicKeyHex);
    await fundedCustomer(s, 'fay', 5_000);
    const k = await kiosk(server.url, token);
    const d = await deskFor(k);
    // The same kiosk restored from an old copy: its key and id, a different entry 1.
    const clonePath = join(tempDir('stp-clone-'), 'ledger.db');
    const clone = LedgerStore.open({ path: clonePath, kioskId: k.kioskId, key: k.key });
    const cloneWorker = new SyncWorker({
      ledgerPath: clonePath,
      kioskId: k.kioskId,
      key: k.key,
      boxKey: k.boxKey,
      serverUrl: server.url,
    });
    const cloneDesk = await deskFor({ ...k, path: clonePath, store: clone, worker: cloneWorker });
    try {
      k.store.append('payment', facePayment('fay', 1_000));
      await k.worker.syncOnce();

      cloneWorker.state.setState('server_public_key', k.worker.state.state('server_public_key')!);
      clone.append('payment', facePayment('fay', 4_000));
      const t0 = Date.now();
      await assert.rejects(cloneWorker.uploadPending(), (e: SyncError) => e.code === 'SYNC_FORK_DETECTED');
      await assert.rejects(cloneWorker.uploadPending(), (e: SyncError) => e.code === 'SYNC_FORK_DETECTED');
      const forks = cloneDesk.desk.integrity({ token: cloneDesk.manager }).alarms;
      assert.equal(forks.length, 1);
      assert.equal(forks[0]!.kind, 'fork');
      assert.equal(forks[0]!.count, 2, 'both refusals counted');
      assert.match(forks[0]!.detail, /SETTLE_FORK_DETECTED: entry 1/);
      assert.ok(forks[0]!.at_ms! >= t0 && forks[0]!.at_ms! <= Date.now());
      assert.deepEqual(d.desk.integrity({ token: d.manager }).alarms, [], 'the real kiosk has no fork');

      // A regulator freezes fay's wallet: the feed brings it, the panel shows it with why and when.
      assert.equal(
        await post(
          `${server.url}/v1/freezes`,
          freezeOrder(regulator, 'freeze', walletAccount('fay'), 'order 2026/17 of the regulator'),
        ),
        200,
      );
      const t1 = Date.now();
      await k.worker.pullFeed();
      const frozen = d.desk.integrity({ token: d.manager }).alarms;
      assert.deepEqual(
        frozen.map((a) => [a.kind, a.target, a.detail]),
        [['freeze', walletAccount('fay'), 'order 2026/17 of the regulator']],
      );
      assert.ok(frozen[0]!.at_ms! >= t1 && frozen[0]!.at_ms! <= Date.now(), 'when this kiosk learnt of it');

      // A payment taken before the kiosk knew is declined by the server: on the follow-up list.
      k.store.append('payment', facePayment('fay', 300));
      await k.worker.syncOnce();
      assert.deepEqual(
        d.desk.integrity({ token: d.manager }).follow_up.map((f) => [f.seq, f.reason]),
        [[2, 'SETTLE_ACCOUNT_FROZEN']],
      );

      assert.equal(
        await post(`${server.url}/v1/freezes`, freezeOrder(regulator, 'unfreeze', walletAccount('fay'), 'lifted')),
        200,
      );
      await k.worker.pullFeed();
      assert.deepEqual(d.desk.integrity({ token: d.manager }).alarms, [], 'an unfreeze clears the alarm');
    } finally {
      cloneDesk.close();
      cloneWorker.close();
      clone.close();
      d.close();
      await k.close();
      await server.close();
    }
  });
});

describe('integrity calls through the kiosk host', () => {
  let dir: string;
  let host: Awaited<ReturnType<typeof openDemoKiosk>>;
  let client: WsClient;
  before(async () => {
    dir = tempDir('smile-integrity-host-');
    const config = loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0' } });
    host = await openDemoKiosk({
      config,
      log: createLogger({ level: process.env.SMILE_TEST_LOG ?? 'silent' }),
      demoPeople: [],
      syncPollMs: 100,
    });
    client = await WsClient.connect(host.http!.url, { cookie: await pairWithLink(host.pairingLink()) });
  });
  after(async () => {
    client?.close();
    await host?.close();
  });

  it('a manager verifies over the WebSocket and sees the counter payment receipted; a cashier is refused', async () => {
    const ana = await client.ok('staffSignIn', { staff_id: 'ana', pin: host.demoStaff!.manager.pin });
    const bo = await client.ok('staffSignIn', { staff_id: 'bo', pin: host.demoStaff!.cashier.pin });
    const order = await client.ok('createOrder', { lines: [{ item_id: 'tea', quantity: 2 }] });
    await client.ok('payOrder', { token: bo.token, order_id: order.order_id, method: 'cash' });
    let report = await client.ok('integrity', { token: ana.token });
    for (let i = 0; i < 100 && report.receipts.recorded < 1; i++) {
      await new Promise((r) => setTimeout(r, 100));
      report = await client.ok('integrity', { token: ana.token });
    }
    assert.deepEqual(report.receipts, { settled: 0, recorded: 1, declined: 0, pending: 0, mismatched: 0 });
    const v = await client.ok('verifyNow', { token: ana.token });
    assert.deepEqual([v.ok, v.entries, v.anchor_seq, v.by], [true, 1, 1, 'manager:ana']);
    for (const call of ['integrity', 'verifyNow'] as const) {
      const r = await client.call(call, { token: bo.token });
      assert.equal(r.ok ? 'ok' : r.error.code, 'STAFF_FORBIDDEN', call);
    }
  });
});
