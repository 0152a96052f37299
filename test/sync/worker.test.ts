// Proves the kiosk's side of sync: the offline limits (per payment, per customer per day
// not yet settled, the oldest unsynced entry younger than 24 hours) refuse face payment
// beyond them with a message a customer understands and let it through again once the
// server settles; receipts are stored only when signed by the server's key; the backoff
// stays within its bounds; and migration 0002 adds the sync tables to a kiosk ledger.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DeviceKey } from '../../ledger/keys/device-key.js';
import { LedgerStore } from '../../ledger/store/store.js';
import { LEDGER_SCHEMA_VERSION } from '../../ledger/store/migrate.js';
import { KioskState } from '../../ledger/sync/kiosk-state.js';
import { SyncWorker } from '../../ledger/sync/worker.js';
import { boxKeyFrom } from '../../ledger/keys/box-key.js';
import { authorizeFacePayment, DEFAULT_LIMITS, effectiveLimits } from '../../ledger/sync/offline-limits.js';
import { newBoxSecret } from '../../ledger/wire/sealed-box.js';
import { OFFLINE_CUSTOMER_DAY_MINOR_MAX_DEFAULT, OFFLINE_PAYMENT_MINOR_MAX_DEFAULT } from '../../ledger/wire/limits.js';
import type { SyncError } from '../../ledger/sync/http.js';
import { cleanup, facePayment, fundedCustomer, kiosk, serverWithMerchant, tempDir } from '../helpers/settle.js';

describe('offline limits on the kiosk', () => {
  it('refuses face payment over the per-payment and per-day limits and when sync is overdue, in words a customer understands', async () => {
    const dir = tempDir('stp-limits-');
    let clock = Date.UTC(2026, 10, 21, 9, 0, 0);
    const store = LedgerStore.open({
      path: join(dir, 'ledger.db'),
      kioskId: 'k-limits',
      key: DeviceKey.generate(),
      now: () => clock,
    });
    const state = new KioskState(join(dir, 'ledger.db'));
    try {
      const ask = (customer: string, amount: number) =>
        authorizeFacePayment(state, { customer_id: customer, amount_minor: amount, currency: 'EUR', now_ms: clock });
      assert.deepEqual(ask('jo', OFFLINE_PAYMENT_MINOR_MAX_DEFAULT), { ok: true });
      const over = ask('jo', OFFLINE_PAYMENT_MINOR_MAX_DEFAULT + 1);
      assert.equal(!over.ok && over.code, 'OFFLINE_PAYMENT_OVER_LIMIT');
      assert.equal(
        !over.ok && over.message,
        'Face payment here is limited to 50.00 EUR per payment. Please pay by card or cash.',
      );

      store.append('payment', facePayment('jo', 4_000));
      store.append('payment', facePayment('jo', 4_000));
      store.append('payment', facePayment('kim', 4_000));
      const day = ask('jo', OFFLINE_CUSTOMER_DAY_MINOR_MAX_DEFAULT - 8_000 + 1);
      assert.equal(!day.ok && day.code, 'OFFLINE_DAY_OVER_LIMIT');
      assert.match(!day.ok ? day.message : '', /today's face payment limit .* Please pay by card or cash/);
      assert.deepEqual(ask('kim', 1_000), { ok: true }, 'the day limit is per customer');
      clock += 24 * 3_600_000 - 1;
      assert.deepEqual(
        ask('jo', 1_000),
        { ok: true },
        'a new day, a new allowance (and the oldest entry is not yet 24 h old)',
      );
      clock += 2;
      const overdue = ask('jo', 100);
      assert.equal(!overdue.ok && overdue.code, 'OFFLINE_SYNC_OVERDUE');
      assert.match(!overdue.ok ? overdue.message : '', /offline too long/);
    } finally {
      state.close();
      store.close();
      cleanup(dir);
    }
  });

  it('"today" for the per-customer limit is the store\'s local day when the kiosk says when it began', () => {
    const dir = tempDir('stp-local-day-');
    // Shanghai (UTC+8): 07:00 local is 23:00 UTC the day before; 10:00 local is 02:00 UTC.
    let clock = Date.UTC(2026, 10, 20, 23, 0, 0);
    const localMidnight = Date.UTC(2026, 10, 20, 16, 0, 0);
    const store = LedgerStore.open({
      path: join(dir, 'ledger.db'),
      kioskId: 'k-local-day',
      key: DeviceKey.generate(),
      timezone: 'Asia/Shanghai',
      now: () => clock,
    });
    const state = new KioskState(join(dir, 'ledger.db'));
    try {
      store.append('payment', facePayment('jo', 4_000));
      store.append('payment', facePayment('jo', 4_000));
      clock = Date.UTC(2026, 10, 21, 2, 0, 0);
      const amount = OFFLINE_CUSTOMER_DAY_MINOR_MAX_DEFAULT - 8_000 + 1;
      const local = authorizeFacePayment(state, {
        customer_id: 'jo',
        amount_minor: amount,
        currency: 'EUR',
        now_ms: clock,
        day_start_ms: localMidnight,
      });
      assert.equal(!local.ok && local.code, 'OFFLINE_DAY_OVER_LIMIT', 'the 07:00 payments are today in Shanghai');
      assert.deepEqual(
        authorizeFacePayment(state, { customer_id: 'jo', amount_minor: amount, currency: 'EUR', now_ms: clock }),
        { ok: true },
        'by UTC days they were yesterday',
      );
      assert.throws(
        () =>
          authorizeFacePayment(state, {
            customer_id: 'jo',
            amount_minor: 1,
            currency: 'EUR',
            now_ms: clock,
            day_start_ms: clock + 1,
          }),
        /not within the day before/,
      );
    } finally {
      state.close();
      store.close();
      cleanup(dir);
    }
  });

  it("the kiosk's own configured limits apply, and where the server sent limits too the stricter of each wins", () => {
    const server = { payment_minor_max: 4_000, customer_day_minor_max: 20_000, unsynced_age_ms_max: 86_400_000 };
    const local = { payment_minor_max: 6_000, customer_day_minor_max: 9_000, unsynced_age_ms_max: 3_600_000 };
    assert.deepEqual(effectiveLimits(undefined, local), local);
    assert.deepEqual(effectiveLimits(server, undefined), server);
    assert.deepEqual(effectiveLimits(undefined, undefined), DEFAULT_LIMITS);
    assert.deepEqual(effectiveLimits(server, local), {
      payment_minor_max: 4_000,
      customer_day_minor_max: 9_000,
      unsynced_age_ms_max: 3_600_000,
    });
    const dir = tempDir('stp-local-limits-');
    const store = LedgerStore.open({ path: join(dir, 'ledger.db'), kioskId: 'k-local', key: DeviceKey.generate() });
    const state = new KioskState(join(dir, 'ledger.db'));
    try {
      const ask = (amount: number) =>
        authorizeFacePayment(state, {
          customer_id: 'jo',
          amount_minor: amount,
          currency: 'EUR',
          now_ms: Date.now(),
          local_limits: { ...local, payment_minor_max: 1_500 },
        });
      assert.deepEqual(ask(1_500), { ok: true });
      const over = ask(1_501);
      assert.equal(
        !over.ok && over.message,
        'Face payment here is limited to 15.00 EUR per payment. Please pay by card or cash.',
      );
    } finally {
      state.close();
      store.close();
      cleanup(dir);
    }
  });

  it('counts only what the server has not settled: after a sync the allowance is back', async () => {
    const { server, s, token } = await serverWithMerchant({ dataDir: tempDir() });
    try {
      await fundedCustomer(s, 'lea', 50_000);
      const k = await kiosk(server.url, token);
      k.store.append('payment', facePayment('lea', 5_000));
      k.store.append('payment', facePayment('lea', 5_000));
      const ask = () =>
        authorizeFacePayment(k.worker.state, {
          customer_id: 'lea',
          amount_minor: 100,
          currency: 'EUR',
          now_ms: Date.now(),
        });
      assert.equal(ask().ok, false);
      await k.worker.syncOnce();
      assert.deepEqual(ask(), { ok: true });
      await k.close();
    } finally {
      await server.close();
    }
  });
});

describe('the sync worker', () => {
  it('stores receipts only under the pinned server key', async () => {
    const { server, s, token } = await serverWithMerchant({ dataDir: tempDir() });
    try {
      await fundedCustomer(s, 'max', 5_000);
      const k = await kiosk(server.url, token);
      k.store.append('payment', facePayment('max', 100));
      const impostor = DeviceKey.generate().publicKeyHex;
      k.worker.state.setState('server_public_key', impostor);
      // Requests are signed for the pinned server, so this server refuses them (a server that
      // answered anyway would fail the receipt check: test/security/settlement.test.ts).
      const signedForAnother = (err: SyncError): boolean =>
        err.code === 'SYNC_SERVER_REFUSED' && err.serverCode === 'SETTLE_BAD_SIGNATURE';
      await assert.rejects(k.worker.uploadPending(), signedForAnother);
      assert.equal(k.worker.state.syncedSeq(), 0, 'nothing stored');
      await assert.rejects(k.worker.pullFeed(), signedForAnother);
      const pinned = new SyncWorker({
        ledgerPath: k.path,
        kioskId: k.kioskId,
        key: k.key,
        boxKey: k.boxKey,
        serverUrl: server.url,
        serverPublicKeyHex: impostor,
      });
      await assert.rejects(pinned.register(token), (err: SyncError) => err.code === 'SYNC_SERVER_KEY_MISMATCH');
      pinned.close();
      k.worker.state.setState('server_public_key', s.keys.publicKeyHex);
      await k.worker.syncOnce();
      assert.equal(k.worker.state.receipt(1)?.status, 'settled');
      await k.close();
    } finally {
      await server.close();
    }
  });

  it('backs off exponentially with full jitter, never past the cap', () => {
    const dir = tempDir('stp-backoff-');
    const key = DeviceKey.generate();
    LedgerStore.open({ path: join(dir, 'l.db'), kioskId: 'k-b', key }).close();
    let r = 0.999;
    const w = new SyncWorker({
      ledgerPath: join(dir, 'l.db'),
      kioskId: 'k-b',
      key,
      boxKey: boxKeyFrom(newBoxSecret()),
      serverUrl: 'http://127.0.0.1:9',
      retryBaseMs: 100,
      retryCapMs: 5_000,
      random: () => r,
    });
    const waits: number[] = [];
    for (let f = 0; f < 12; f++) {
      w.failures = f;
      waits.push(w.backoffMs());
    }
    assert.deepEqual(waits.slice(0, 6), [99, 199, 399, 799, 1598, 3196]);
    assert.ok(waits.every((ms) => ms <= 5_000));
    r = 0;
    assert.equal(w.backoffMs(), 0, 'full jitter reaches down to zero');
    w.close();
    cleanup(dir);
  });

  it('migration 0002 adds the sync tables beside the entries', () => {
    const dir = tempDir('stp-mig-');
    LedgerStore.open({ path: join(dir, 'l.db'), kioskId: 'k-m', key: DeviceKey.generate() }).close();
    const db = new Database(join(dir, 'l.db'));
    assert.equal(db.pragma('user_version', { simple: true }), LEDGER_SCHEMA_VERSION);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'sync_%' ORDER BY name")
      .pluck()
      .all() as string[];
    assert.deepEqual(tables, [
      'sync_batches',
      'sync_freezes',
      'sync_gallery',
      'sync_limits',
      'sync_receipts',
      'sync_state',
    ]);
    db.close();
    cleanup(dir);
  });
});
