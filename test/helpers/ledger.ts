// Builders for real ledgers on real SQLite files, for the ledger tests.
import { join } from 'node:path';
import { DeviceKey } from '../../ledger/keys/device-key.js';
import { LedgerStore } from '../../ledger/store/store.js';
import type { PaymentBody } from '../../ledger/protocol/entry.js';

export const KIOSK = 'kiosk-test-1';

/** A clock that moves one second per reading, from a fixed start. */
export function steppingClock(startMs = Date.UTC(2026, 10, 20, 9, 0, 0), stepMs = 1000): () => number {
  let t = startMs - stepMs;
  return () => (t += stepMs);
}

export function openTestStore(
  dir: string,
  key = DeviceKey.generate(),
  name = 'ledger.db',
  now = steppingClock(),
): { store: LedgerStore; key: DeviceKey; path: string } {
  const path = join(dir, name);
  return { store: LedgerStore.open({ path, kioskId: KIOSK, key, now }), key, path };
}

export function payment(n: number, amountMinor = 1250, overrides: Partial<PaymentBody> = {}): PaymentBody {
  const body: PaymentBody = {
    payment_id: `pay-${n}`,
    order_id: `order-${n}`,
    amount_minor: amountMinor,
    currency: 'EUR',
    method: 'face',
    customer_id: `cust-${n % 7}`,
    ...overrides,
  };
  // An override of undefined removes the field (JSON has no undefined).
  for (const k of Object.keys(body) as (keyof PaymentBody)[]) if (body[k] === undefined) delete body[k];
  return body;
}

/**
 * A ledger with every kind of entry: payments (face and cash), refunds, a void, a config
 * change, a key rotation and day closes. Returns the store, still open.
 */
export function mixedLedger(dir: string, payments = 30): { store: LedgerStore; path: string; keys: DeviceKey[] } {
  const { store, key, path } = openTestStore(dir);
  for (let i = 0; i < payments; i++) {
    const paid = store.append(
      'payment',
      i % 5 === 4
        ? payment(i, 900 + i, { method: 'cash', customer_id: undefined, taken_by: 'cashier:bo' })
        : payment(i, 1000 + i),
    );
    const { seq } = paid.entry;
    const amount = paid.entry.kind === 'payment' ? paid.entry.body.amount_minor : 0;
    if (i === 3)
      store.append('refund', {
        payment_seq: seq - 1,
        amount_minor: 300,
        currency: 'EUR',
        reason: 'soup was cold',
        approved_by: 'cashier:bo',
      });
    if (i === 6)
      store.append('void', {
        payment_seq: seq,
        amount_minor: amount,
        currency: 'EUR',
        reason: 'double charge',
        approved_by: 'manager:ana',
      });
    if (i === 10) store.closeDay('2026-11-20', 'manager:ana');
    if (i === 12)
      store.append('config', {
        key: 'offline_payment_max_minor',
        value: 5000,
        previous: 3000,
        changed_by: 'manager:ana',
        reason: 'busy weekend',
      });
  }
  const next = DeviceKey.generate();
  store.rotateKey(next, 'scheduled rotation');
  store.append('payment', payment(1000, 777));
  store.closeDay('2026-11-21', 'manager:ana');
  store.append('payment', payment(1001, 555));
  return { store, path, keys: [key, next] };
}
