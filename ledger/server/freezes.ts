// A regulator's freezes: an account (a wallet or a merchant) or one payment. Each order is a
// record signed by a regulator key that the operator registered (the operator holds only
// its public half, so cannot forge one); the server keeps every record and its signature.
// Freezing a settled payment moves its amount from the merchant to the merchant's held
// account; unfreezing moves it back. Both are published to the kiosks.

import { randomUUID } from 'node:crypto';
import { canonicalize } from '../protocol/canonical.js';
import { SettleError } from './errors.js';
import { REQUEST_AGE_MS_MAX } from '../wire/limits.js';
import { FREEZE_DOMAIN, freezeBytes, verifyDomain } from '../wire/signing.js';
import type { FreezeRecord, SignedFreeze } from '../wire/wire.js';
import { appendFeed } from './feed-events.js';
import { Books } from './money.js';
import {
  businessDayOf,
  heldAccount,
  lockRows,
  merchantAccount,
  transaction,
  type Services,
  type Tx,
} from './context.js';

export async function applyFreeze(s: Services, signed: SignedFreeze): Promise<{ freeze_id: string; frozen: boolean }> {
  const r = signed.record;
  const now = s.now();
  if (Math.abs(now - r.issued_at_ms) > REQUEST_AGE_MS_MAX) {
    throw new SettleError(
      'SETTLE_REQUEST_STALE',
      `freeze issued ${now - r.issued_at_ms} ms from the server's clock; at most ${REQUEST_AGE_MS_MAX} ms is accepted`,
    );
  }
  const keys = await s.store.db
    .selectFrom('regulator_keys')
    .select('public_key')
    .where('revoked_at_ms', 'is', null)
    .execute();
  const signer = keys.find((k) => verifyDomain(FREEZE_DOMAIN, k.public_key, freezeBytes(r), signed.signature));
  if (signer === undefined)
    throw new SettleError('SETTLE_BAD_SIGNATURE', 'the freeze is not signed by a registered regulator key');
  return transaction(s, async (trx) => {
    const seen = await trx
      .selectFrom('freezes')
      .select('freeze_id')
      .where('freeze_id', '=', r.freeze_id)
      .executeTakeFirst();
    if (seen !== undefined)
      throw new SettleError('SETTLE_REQUEST_REPLAYED', `freeze ${r.freeze_id} was already applied`);
    const merchantId = r.target_type === 'payment' ? await freezePayment(s, trx, r) : await checkAccount(s, trx, r);
    const frozen = r.action === 'freeze';
    const state = {
      target_type: r.target_type,
      target_id: r.target_id,
      frozen: frozen ? 1 : 0,
      reason: r.reason,
      updated_at_ms: now,
    };
    await trx
      .insertInto('freeze_state')
      .values(state)
      .onConflict((oc) => oc.columns(['target_type', 'target_id']).doUpdateSet(state))
      .execute();
    await trx
      .insertInto('freezes')
      .values({
        freeze_id: r.freeze_id,
        action: r.action,
        target_type: r.target_type,
        target_id: r.target_id,
        reason: r.reason,
        issued_at_ms: r.issued_at_ms,
        record: canonicalize(r),
        signature: signed.signature,
        regulator_key: signer.public_key,
        received_at_ms: now,
      })
      .execute();
    await appendFeed(s, trx, merchantId, 'freeze', {
      target_type: r.target_type,
      target_id: r.target_id,
      frozen,
      reason: r.reason,
    });
    return { freeze_id: r.freeze_id, frozen };
  });
}

async function checkAccount(s: Services, trx: Tx, r: FreezeRecord): Promise<string | null> {
  // Locked as an upload locks it: an upload on any server that settles from this account
  // waits for the freeze to commit, then reads it (Books.load reads freezes after its locks).
  const account = await trx
    .selectFrom('accounts')
    .select(['kind', 'owner_id'])
    .where('account_id', '=', r.target_id)
    .$if(lockRows(s), (q) => q.forUpdate())
    .executeTakeFirst();
  if (account === undefined || (account.kind !== 'wallet' && account.kind !== 'merchant')) {
    throw new SettleError('SETTLE_BAD_FREEZE', `target ${r.target_id}: expected a wallet or merchant account`);
  }
  await currentState(trx, r);
  // A wallet's freeze reaches every kiosk (a customer may pay anywhere); a merchant's, its own.
  return account.kind === 'merchant' ? account.owner_id : null;
}

async function currentState(trx: Tx, r: FreezeRecord): Promise<void> {
  const st = await trx
    .selectFrom('freeze_state')
    .select('frozen')
    .where('target_type', '=', r.target_type)
    .where('target_id', '=', r.target_id)
    .executeTakeFirst();
  const frozenNow = st?.frozen === 1;
  if (frozenNow === (r.action === 'freeze')) {
    throw new SettleError(
      'SETTLE_CONFLICT',
      `${r.target_type} ${r.target_id} is ${frozenNow ? 'frozen' : 'not frozen'} already`,
    );
  }
}

/** Holds (or releases) a settled payment's amount on the merchant's held account. */
async function freezePayment(s: Services, trx: Tx, r: FreezeRecord): Promise<string> {
  const p = await trx
    .selectFrom('entries')
    .select(['kiosk_id', 'seq', 'merchant_id', 'kind', 'status', 'amount_minor', 'currency'])
    .where('entry_hash', '=', r.target_id)
    .executeTakeFirst();
  if (p === undefined || p.kind !== 'payment')
    throw new SettleError('SETTLE_BAD_FREEZE', `target ${r.target_id}: expected the entry hash of an uploaded payment`);
  await currentState(trx, r);
  if (p.status === 'settled') {
    const reversed = await trx
      .selectFrom('entries')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_minor'), eb.lit(0)).as('total'))
      .where('kiosk_id', '=', p.kiosk_id)
      .where('payment_seq', '=', p.seq)
      .where('status', '=', 'settled')
      .executeTakeFirstOrThrow();
    const amount = p.amount_minor! - Number(reversed.total);
    if (amount > 0) {
      const [from, to] =
        r.action === 'freeze'
          ? [merchantAccount(p.merchant_id), heldAccount(p.merchant_id)]
          : [heldAccount(p.merchant_id), merchantAccount(p.merchant_id)];
      const books = await Books.load(s, trx, [from, to], []);
      const movement = { debit_account_id: from, credit_account_id: to, amount_minor: amount, currency: p.currency! };
      books.move(movement);
      const now = s.now();
      await trx
        .insertInto('transfers')
        .values({
          transfer_id: `${r.action}:${r.freeze_id}:${randomUUID()}`,
          ...movement,
          kind: r.action === 'freeze' ? 'hold' : 'release',
          business_day: businessDayOf(now),
          created_at_ms: now,
        })
        .execute();
      await books.save(trx);
    }
  }
  return p.merchant_id;
}
