// Enrolment and deletion of customers' face templates. A kiosk uploads a new customer's
// templates sealed to the server's X25519 key, with the consent record; the server checks
// that the box opens (and its size), keeps it sealed as it came (at rest, encrypted), makes
// the customer and an empty wallet, and publishes the enrolment to the merchant's kiosks,
// each of which receives the templates sealed again to its own key. A deletion removes the
// templates and keeps only the record that they were deleted.

import { canonicalize } from '../protocol/canonical.js';
import { SettleError } from './errors.js';
import { TEMPLATES_PLAIN_BYTES_MAX } from '../wire/limits.js';
import { open } from '../wire/sealed-box.js';
import type { EnrolRequest, EnrolResponse, SealedBox } from '../wire/wire.js';
import { recordNonce, type KioskAuth } from './auth.js';
import { appendFeed } from './feed-events.js';
import { transaction, walletAccount, type Services } from './context.js';

export async function enrol(s: Services, auth: KioskAuth, req: EnrolRequest): Promise<EnrolResponse> {
  if (req.consent.kiosk_id !== auth.kiosk_id) {
    throw new SettleError(
      'SETTLE_BAD_REQUEST',
      `consent.kiosk_id ${req.consent.kiosk_id}: expected the enrolling kiosk ${auth.kiosk_id}`,
    );
  }
  const plain = open(req.templates, s.keys.boxSecret, req.customer_id);
  if (plain === null)
    throw new SettleError(
      'SETTLE_BAD_TEMPLATES',
      `templates of ${req.customer_id} do not open with the server's key (sealed to another key, or for another customer)`,
    );
  if (plain.length === 0 || plain.length > TEMPLATES_PLAIN_BYTES_MAX) {
    throw new SettleError(
      'SETTLE_BAD_TEMPLATES',
      `templates: expected 1..${TEMPLATES_PLAIN_BYTES_MAX} bytes, got ${plain.length}`,
    );
  }
  plain.fill(0);
  return transaction(s, async (trx) => {
    await recordNonce(s, trx, auth);
    const m = await trx
      .selectFrom('merchants')
      .select('currency')
      .where('merchant_id', '=', auth.merchant_id)
      .executeTakeFirstOrThrow();
    const exists = await trx
      .selectFrom('customers')
      .select('customer_id')
      .where('customer_id', '=', req.customer_id)
      .executeTakeFirst();
    const deleted = await trx
      .selectFrom('deletions')
      .select('customer_id')
      .where('customer_id', '=', req.customer_id)
      .executeTakeFirst();
    if (exists !== undefined || deleted !== undefined)
      throw new SettleError(
        'SETTLE_CONFLICT',
        `customer ${req.customer_id} exists already (or was deleted: enrol under a new id)`,
      );
    const now = s.now();
    await trx
      .insertInto('customers')
      .values({
        customer_id: req.customer_id,
        merchant_id: auth.merchant_id,
        currency: m.currency,
        status: 'active',
        created_at_ms: now,
        deleted_at_ms: null,
      })
      .execute();
    await trx
      .insertInto('accounts')
      .values({
        account_id: walletAccount(req.customer_id),
        kind: 'wallet',
        owner_id: req.customer_id,
        currency: m.currency,
        balance_minor: 0,
        created_at_ms: now,
      })
      .execute();
    await trx
      .insertInto('consents')
      .values({ customer_id: req.customer_id, ...req.consent, received_at_ms: now })
      .execute();
    await trx
      .insertInto('templates')
      .values({ customer_id: req.customer_id, sealed: canonicalize(req.templates), created_at_ms: now })
      .execute();
    await appendFeed(s, trx, auth.merchant_id, 'customer_enrolled', {
      customer_id: req.customer_id,
      merchant_id: auth.merchant_id,
      enrolled_at_ms: now,
    });
    return { customer_id: req.customer_id, wallet_account_id: walletAccount(req.customer_id), currency: m.currency };
  });
}

/** Deletes a customer's templates everywhere (the server's copy now, the kiosks' at their next sync). */
export async function deleteTemplates(
  s: Services,
  customerId: string,
  requestedBy: string,
  auth?: KioskAuth,
): Promise<{ customer_id: string; deleted_at_ms: number }> {
  return transaction(s, async (trx) => {
    if (auth !== undefined) await recordNonce(s, trx, auth);
    const c = await trx
      .selectFrom('customers')
      .select(['merchant_id', 'status'])
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    if (c === undefined) throw new SettleError('SETTLE_NOT_FOUND', `no customer ${customerId}`);
    if (auth !== undefined && auth.merchant_id !== c.merchant_id) {
      throw new SettleError(
        'SETTLE_NOT_ALLOWED',
        `customer ${customerId} enrolled with merchant ${c.merchant_id}, not ${auth.merchant_id}`,
      );
    }
    const done = await trx
      .selectFrom('deletions')
      .select('deleted_at_ms')
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    if (done !== undefined) return { customer_id: customerId, deleted_at_ms: done.deleted_at_ms };
    const now = s.now();
    await trx.deleteFrom('templates').where('customer_id', '=', customerId).execute();
    await trx
      .updateTable('customers')
      .set({ status: 'deleted', deleted_at_ms: now })
      .where('customer_id', '=', customerId)
      .execute();
    await trx
      .insertInto('deletions')
      .values({ customer_id: customerId, requested_by: requestedBy, deleted_at_ms: now })
      .execute();
    await appendFeed(s, trx, c.merchant_id, 'customer_deleted', { customer_id: customerId, deleted_at_ms: now });
    return { customer_id: customerId, deleted_at_ms: now };
  });
}

export function parseSealed(text: string): SealedBox {
  return JSON.parse(text) as SealedBox;
}
