// The operator's powers, shared by the CLI and the tests: merchants, merchant tokens, wallet
// top-ups, offline limits, regulator keys. Each is one transaction; money moves only as a
// transfer (a top-up is external -> wallet), never by editing a balance.

import { randomBytes, randomUUID } from 'node:crypto';
import { amountProblem, isCurrency } from '../protocol/money.js';
import { SettleError } from './errors.js';
import { sha256Hex } from '../wire/signing.js';
import { formatMerchantToken } from '../wire/merchant-token.js';
import { appendFeed } from './feed-events.js';
import { Books } from './money.js';
import {
  businessDayOf,
  externalAccount,
  heldAccount,
  merchantAccount,
  transaction,
  walletAccount,
  type Services,
} from './context.js';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$/;

function checkId(what: string, id: string): void {
  if (!ID.test(id))
    throw new SettleError(
      'SETTLE_BAD_REQUEST',
      `${what}: expected an identifier of 1..64 letters, digits or ._:@-, got ${JSON.stringify(id.slice(0, 80))}`,
    );
}

function checkCurrency(currency: string): void {
  if (!isCurrency(currency))
    throw new SettleError('SETTLE_BAD_REQUEST', `expected an ISO 4217 currency code, got ${JSON.stringify(currency)}`);
}

export async function addMerchant(s: Services, merchantId: string, name: string, currency: string): Promise<void> {
  checkId('merchant_id', merchantId);
  checkCurrency(currency);
  const now = s.now();
  await transaction(s, async (trx) => {
    const exists = await trx
      .selectFrom('merchants')
      .select('merchant_id')
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (exists !== undefined) throw new SettleError('SETTLE_CONFLICT', `merchant ${merchantId} exists already`);
    await trx.insertInto('merchants').values({ merchant_id: merchantId, name, currency, created_at_ms: now }).execute();
    await trx
      .insertInto('accounts')
      .values([
        {
          account_id: merchantAccount(merchantId),
          kind: 'merchant',
          owner_id: merchantId,
          currency,
          balance_minor: 0,
          created_at_ms: now,
        },
        {
          account_id: heldAccount(merchantId),
          kind: 'held',
          owner_id: merchantId,
          currency,
          balance_minor: 0,
          created_at_ms: now,
        },
      ])
      .execute();
  });
}

/**
 * Makes a merchant token; the token is returned once and only its SHA-256 is kept. It
 * carries the fingerprint of this server's signing key, which the kiosk pins at registration.
 */
export async function createToken(s: Services, merchantId: string): Promise<string> {
  const token = formatMerchantToken(randomBytes(32).toString('base64url'), s.keys.publicKeyHex);
  await transaction(s, async (trx) => {
    const m = await trx
      .selectFrom('merchants')
      .select('merchant_id')
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (m === undefined) throw new SettleError('SETTLE_NOT_FOUND', `no merchant ${merchantId}`);
    await trx
      .insertInto('merchant_tokens')
      .values({
        token_sha256: sha256Hex(new TextEncoder().encode(token)),
        merchant_id: merchantId,
        created_at_ms: s.now(),
        revoked_at_ms: null,
      })
      .execute();
  });
  return token;
}

/** Creates a customer with an empty wallet in the merchant's currency (enrolment does this too). */
export async function addCustomer(s: Services, customerId: string, merchantId: string): Promise<void> {
  checkId('customer_id', customerId);
  await transaction(s, async (trx) => {
    const m = await trx
      .selectFrom('merchants')
      .select('currency')
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (m === undefined) throw new SettleError('SETTLE_NOT_FOUND', `no merchant ${merchantId}`);
    const exists = await trx
      .selectFrom('customers')
      .select('customer_id')
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    if (exists !== undefined) throw new SettleError('SETTLE_CONFLICT', `customer ${customerId} exists already`);
    const now = s.now();
    await trx
      .insertInto('customers')
      .values({
        customer_id: customerId,
        merchant_id: merchantId,
        currency: m.currency,
        status: 'active',
        created_at_ms: now,
        deleted_at_ms: null,
      })
      .execute();
    await trx
      .insertInto('accounts')
      .values({
        account_id: walletAccount(customerId),
        kind: 'wallet',
        owner_id: customerId,
        currency: m.currency,
        balance_minor: 0,
        created_at_ms: now,
      })
      .execute();
  });
}

/** Tops a prepaid wallet up: a transfer from the external top-up account of the currency. */
export async function topUp(
  s: Services,
  customerId: string,
  amountMinor: number,
  currency: string,
): Promise<{ balance_minor: number }> {
  const problem = amountProblem(amountMinor);
  if (problem !== null) throw new SettleError('SETTLE_BAD_REQUEST', problem);
  checkCurrency(currency);
  const wallet = walletAccount(customerId);
  const external = externalAccount(currency);
  return transaction(s, async (trx) => {
    const now = s.now();
    await trx
      .insertInto('accounts')
      .values({
        account_id: external,
        kind: 'external',
        owner_id: 'topups',
        currency,
        balance_minor: 0,
        created_at_ms: now,
      })
      .onConflict((oc) => oc.column('account_id').doNothing())
      .execute();
    const books = await Books.load(s, trx, [wallet, external], []);
    const row = books.accounts.get(wallet);
    if (row === undefined) throw new SettleError('SETTLE_NOT_FOUND', `no wallet for customer ${customerId}`);
    if (row.currency !== currency)
      throw new SettleError('SETTLE_BAD_REQUEST', `wallet of ${customerId} holds ${row.currency}, not ${currency}`);
    if (books.isFrozen(wallet))
      throw new SettleError('SETTLE_NOT_ALLOWED', `wallet of ${customerId} is frozen by the regulator`);
    const movement = { debit_account_id: external, credit_account_id: wallet, amount_minor: amountMinor, currency };
    books.move(movement);
    await trx
      .insertInto('transfers')
      .values({
        transfer_id: `topup:${randomUUID()}`,
        ...movement,
        kind: 'topup',
        business_day: businessDayOf(now),
        created_at_ms: now,
      })
      .execute();
    await books.save(trx);
    return { balance_minor: row.balance_minor };
  });
}

export interface Limits {
  currency: string;
  payment_minor_max: number;
  customer_day_minor_max: number;
  unsynced_age_ms_max: number;
}

/** Sets a merchant's offline limits and publishes them to its kiosks. */
export async function setLimits(s: Services, merchantId: string, limits: Limits): Promise<void> {
  checkCurrency(limits.currency);
  for (const k of ['payment_minor_max', 'customer_day_minor_max', 'unsynced_age_ms_max'] as const) {
    if (!Number.isSafeInteger(limits[k]) || limits[k] < 0)
      throw new SettleError('SETTLE_BAD_REQUEST', `${k}: expected a non-negative safe integer, got ${limits[k]}`);
  }
  if (limits.payment_minor_max > limits.customer_day_minor_max) {
    throw new SettleError(
      'SETTLE_BAD_REQUEST',
      `payment_minor_max ${limits.payment_minor_max} above customer_day_minor_max ${limits.customer_day_minor_max}`,
    );
  }
  await transaction(s, async (trx) => {
    const row = { merchant_id: merchantId, ...limits, updated_at_ms: s.now() };
    await trx
      .insertInto('limits')
      .values(row)
      .onConflict((oc) => oc.columns(['merchant_id', 'currency']).doUpdateSet(row))
      .execute();
    await appendFeed(s, trx, merchantId, 'limits', { ...limits });
  });
}

export async function addRegulatorKey(s: Services, publicKeyHex: string): Promise<void> {
  if (!/^[0-9a-f]{64}$/.test(publicKeyHex))
    throw new SettleError('SETTLE_BAD_REQUEST', 'expected an Ed25519 public key of 64 hex digits');
  await transaction(s, (trx) =>
    trx
      .insertInto('regulator_keys')
      .values({ public_key: publicKeyHex, added_at_ms: s.now(), revoked_at_ms: null })
      .onConflict((oc) => oc.column('public_key').doNothing())
      .execute(),
  );
}

export async function listAlarms(
  s: Services,
): Promise<{ alarm_id: number; kind: string; kiosk_id: string; seq: number; detail: string; created_at_ms: number }[]> {
  return s.store.db.selectFrom('alarms').selectAll().orderBy('alarm_id').execute();
}
