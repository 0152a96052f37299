// Who is asking. A kiosk signs every request with its registered Ed25519 key over method,
// path, body digest, a timestamp, a nonce and the server it is for (this service's public
// key); a request older (or newer) than REQUEST_AGE_MS_MAX is stale, and a nonce seen before
// is a replay: nonces live in the database, in the request's transaction, so that every
// server on one database refuses a nonce any of them accepted. Merchants and the operator
// present bearer tokens, stored only as SHA-256. The headers and the kiosk are checked
// before the body is read (gate.ts), the signature too: it covers the body's digest, which the
// request names in a header; once the body has arrived it must have that digest.

import type { FastifyRequest } from 'fastify';
import { SettleError } from './errors.js';
import { NONCE_HEX_LENGTH, REQUEST_AGE_MS_MAX, REQUEST_NONCE_RETAIN_MS } from '../wire/limits.js';
import {
  HEADER_KIOSK,
  HEADER_NONCE,
  HEADER_SIGNATURE,
  HEADER_BODY_SHA256,
  HEADER_TIMESTAMP,
  REQUEST_DOMAIN,
  requestMessage,
  sha256Hex,
  verifyDomain,
} from '../wire/signing.js';
import type { Services, Tx } from './context.js';

export interface SignedHeaders {
  kiosk_id: string;
  timestamp_ms: number;
  nonce: string;
  signature: string;
  /** The digest of the body the signature covers (the body must have it once read). */
  body_sha256: string;
}

export interface KioskAuth extends SignedHeaders {
  merchant_id: string;
  public_key: string;
  box_public_key: string;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$/;

function header(req: FastifyRequest, name: string): string {
  const v = req.headers[name];
  if (typeof v !== 'string' || v.length === 0)
    throw new SettleError('SETTLE_UNAUTHENTICATED', `expected a signed request: header ${name} is missing`);
  return v;
}

export function signedHeaders(req: FastifyRequest): SignedHeaders {
  const kioskId = header(req, HEADER_KIOSK);
  const ts = header(req, HEADER_TIMESTAMP);
  const nonce = header(req, HEADER_NONCE);
  const signature = header(req, HEADER_SIGNATURE);
  if (!ID.test(kioskId))
    throw new SettleError(
      'SETTLE_UNAUTHENTICATED',
      `header ${HEADER_KIOSK}: expected a kiosk id, got ${JSON.stringify(kioskId.slice(0, 80))}`,
    );
  if (!/^\d{1,16}$/.test(ts))
    throw new SettleError(
      'SETTLE_UNAUTHENTICATED',
      `header ${HEADER_TIMESTAMP}: expected milliseconds since 1970, got ${JSON.stringify(ts.slice(0, 40))}`,
    );
  if (!new RegExp(`^[0-9a-f]{${NONCE_HEX_LENGTH}}$`).test(nonce))
    throw new SettleError('SETTLE_UNAUTHENTICATED', `header ${HEADER_NONCE}: expected ${NONCE_HEX_LENGTH} hex digits`);
  if (!/^[0-9a-f]{128}$/.test(signature))
    throw new SettleError('SETTLE_BAD_SIGNATURE', `header ${HEADER_SIGNATURE}: expected 128 hex digits`);
  const bodySha256 = req.headers[HEADER_BODY_SHA256];
  if (typeof bodySha256 !== 'string' || !/^[0-9a-f]{64}$/.test(bodySha256))
    throw new SettleError(
      'SETTLE_BAD_SIGNATURE',
      `header ${HEADER_BODY_SHA256}: expected the SHA-256 (64 hex digits) of the body the signature covers`,
    );
  return { kiosk_id: kioskId, timestamp_ms: Number(ts), nonce, signature, body_sha256: bodySha256 };
}

/** Refuses a request whose timestamp is outside the window around the server's clock. */
export function checkFresh(s: Services, h: SignedHeaders): void {
  const age = s.now() - h.timestamp_ms;
  if (Math.abs(age) > REQUEST_AGE_MS_MAX) {
    throw new SettleError(
      'SETTLE_REQUEST_STALE',
      `request timestamp is ${age} ms from the server's clock; at most ${REQUEST_AGE_MS_MAX} ms is accepted`,
    );
  }
}

/** Checks the signature under `publicKeyHex`, over the body digest the headers name and this
 * server's id: before the body is read (checkBodyDigest compares the body once it has come). */
export function checkSignature(s: Services, req: FastifyRequest, h: SignedHeaders, publicKeyHex: string): void {
  const message = requestMessage({
    method: req.method,
    path: req.url,
    body_sha256: h.body_sha256,
    timestamp_ms: h.timestamp_ms,
    nonce: h.nonce,
    kiosk_id: h.kiosk_id,
    server_id: s.keys.publicKeyHex,
  });
  if (!verifyDomain(REQUEST_DOMAIN, publicKeyHex, message, h.signature)) {
    throw new SettleError(
      'SETTLE_BAD_SIGNATURE',
      `the request signature does not verify under the key registered for kiosk ${h.kiosk_id}, for this server`,
    );
  }
}

/** The body that arrived (its digest, gate.ts) is the one the signature covers. */
export function checkBodyDigest(req: FastifyRequest, h: SignedHeaders): void {
  const actual = req.bodySha256 ?? sha256Hex(new Uint8Array(0));
  if (actual !== h.body_sha256)
    throw new SettleError(
      'SETTLE_BAD_SIGNATURE',
      `the body's SHA-256 is ${actual}, not the ${h.body_sha256} its signature covers: changed on the way`,
    );
}

/** The registered kiosk a request claims to come from, and a fresh timestamp: checked before the body is read. */
export async function identifyKiosk(s: Services, req: FastifyRequest): Promise<KioskAuth> {
  const h = signedHeaders(req);
  checkFresh(s, h);
  const kiosk = await s.store.db
    .selectFrom('kiosks')
    .select(['merchant_id', 'public_key', 'box_public_key'])
    .where('kiosk_id', '=', h.kiosk_id)
    .executeTakeFirst();
  if (kiosk === undefined) throw new SettleError('SETTLE_UNKNOWN_KIOSK', `kiosk ${h.kiosk_id} is not registered here`);
  return { ...h, ...kiosk };
}

/** Records the request's nonce in `trx`; a nonce already there (committed by any server) is a replay, refused. */
export async function recordNonce(s: Services, trx: Tx, h: SignedHeaders): Promise<void> {
  const result = await trx
    .insertInto('request_nonces')
    .values({ kiosk_id: h.kiosk_id, nonce: h.nonce, expires_at_ms: h.timestamp_ms + REQUEST_NONCE_RETAIN_MS })
    .onConflict((oc) => oc.columns(['kiosk_id', 'nonce']).doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) {
    throw new SettleError(
      'SETTLE_REQUEST_REPLAYED',
      `request nonce ${h.nonce} of kiosk ${h.kiosk_id} was already used: a replayed request is refused`,
    );
  }
}

/**
 * Deletes nonces past their retention, in a statement of its own (never inside a request's
 * transaction, where two servers' deletes could wait on each other). A nonce is kept until
 * no server within REQUEST_AGE_MS_MAX of this clock would accept its request.
 */
export async function pruneNonces(s: Services): Promise<number> {
  const r = await s.store.db.deleteFrom('request_nonces').where('expires_at_ms', '<', s.now()).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export function bearerToken(req: FastifyRequest): string {
  const v = req.headers.authorization;
  const m = typeof v === 'string' ? /^Bearer ([A-Za-z0-9_.-]{16,160})$/.exec(v) : null;
  if (m === null)
    throw new SettleError('SETTLE_BAD_TOKEN', 'expected an Authorization: Bearer <merchant token> header');
  return m[1]!;
}

/** The merchant a bearer token belongs to, unless it is unknown or revoked. */
export async function merchantOfToken(s: Services, token: string): Promise<string> {
  const row = await s.store.db
    .selectFrom('merchant_tokens')
    .select('merchant_id')
    .where('token_sha256', '=', sha256Hex(new TextEncoder().encode(token)))
    .where('revoked_at_ms', 'is', null)
    .executeTakeFirst();
  if (row === undefined) throw new SettleError('SETTLE_BAD_TOKEN', 'the merchant token is unknown or revoked');
  return row.merchant_id;
}
