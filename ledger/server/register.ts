// Kiosk registration: a merchant token (what the merchant's manager types in once, checked
// before the body is read) enrols a kiosk's Ed25519 public key and X25519 box key. The
// request is signed with the key being enrolled, so a token alone cannot enrol a key nobody
// holds. Registering again with the same keys is harmless; another key under a registered
// kiosk id is refused, also when two servers receive the two registrations at once.

import type { FastifyRequest } from 'fastify';
import { GENESIS_PREV_HASH } from '../protocol/entry.js';
import { SettleError } from './errors.js';
import type { RegisterRequest, RegisterResponse } from '../wire/wire.js';
import { checkBodyDigest, checkFresh, checkSignature, recordNonce, signedHeaders } from './auth.js';
import { transaction, type Services } from './context.js';

export async function register(
  s: Services,
  req: FastifyRequest,
  merchantId: string,
  body: RegisterRequest,
): Promise<RegisterResponse> {
  const h = signedHeaders(req);
  if (h.kiosk_id !== body.kiosk_id)
    throw new SettleError(
      'SETTLE_BAD_REQUEST',
      `kiosk_id ${body.kiosk_id} in the body, ${h.kiosk_id} in the signed headers`,
    );
  checkFresh(s, h);
  checkBodyDigest(req, h);
  checkSignature(s, req, h, body.public_key);
  return transaction(s, async (trx) => {
    await recordNonce(s, trx, h);
    const answer = (tipSeq: number): RegisterResponse => ({
      kiosk_id: body.kiosk_id,
      merchant_id: merchantId,
      server_public_key: s.keys.publicKeyHex,
      server_box_public_key: s.keys.boxPublicKeyHex,
      server_box_key_signature: s.keys.boxKeySignature,
      tip_seq: tipSeq,
    });
    const inserted = await trx
      .insertInto('kiosks')
      .values({
        kiosk_id: body.kiosk_id,
        merchant_id: merchantId,
        public_key: body.public_key,
        box_public_key: body.box_public_key,
        registered_at_ms: s.now(),
        tip_seq: 0,
        tip_hash: GENESIS_PREV_HASH,
        day_first_seq: 1,
        previous_business_day: null,
      })
      .onConflict((oc) => oc.column('kiosk_id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return answer(0);
    const existing = await trx
      .selectFrom('kiosks')
      .selectAll()
      .where('kiosk_id', '=', body.kiosk_id)
      .executeTakeFirstOrThrow();
    if (
      existing.merchant_id === merchantId &&
      existing.public_key === body.public_key &&
      existing.box_public_key === body.box_public_key
    )
      return answer(existing.tip_seq);
    throw new SettleError(
      'SETTLE_KIOSK_EXISTS',
      `kiosk ${body.kiosk_id} is registered already with other keys or another merchant`,
    );
  });
}
