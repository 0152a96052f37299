// What a request must show before the server reads its body, and in what order:
//
//   1. onRequest, headers only: the anonymous routes' rate limit; for a kiosk's route its
//      signed headers, a fresh timestamp, a registered kiosk and its signature over the
//      body digest the headers name (and this server's id); for a merchant's route its
//      bearer token; then the uploads-in-flight bound, so that only a kiosk's own signed
//      upload holds a slot (an anonymous client who knows a kiosk id from a receipt could
//      otherwise fill them all by trickling unsigned bodies in). A refusal here answers at
//      once; a body of at most 16 KiB is read and dropped after the answer, a bigger one is
//      not read and the connection closes.
//   2. the body, as bytes, up to the route's own limit (a few KiB but for uploads and
//      enrolments), never parsed yet.
//   3. preValidation: the bytes must have the digest the signature covers; only then
//      JSON.parse, then the route's schema.
//
// The public routes that carry a body (a registration is signed by the key it enrols, a
// freeze by a regulator) are parsed before their signature can be checked: their limit is
// a few KiB, and a registration needs a merchant token first.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SettleError } from './errors.js';
import {
  LOOKUP_ALL_PER_S,
  LOOKUP_BURST_MAX,
  LOOKUP_CLIENTS_TRACKED_MAX,
  LOOKUP_PER_S,
  UPLOADS_IN_FLIGHT_MAX,
} from '../wire/limits.js';
import { sha256Hex } from '../wire/signing.js';
import {
  bearerToken,
  checkBodyDigest,
  checkSignature,
  identifyKiosk,
  merchantOfToken,
  type KioskAuth,
} from './auth.js';
import { RateLimiter } from './rate-limit.js';
import type { Services } from './context.js';

export type RouteAuth = 'kiosk' | 'token' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
    /** Counted against UPLOADS_IN_FLIGHT_MAX from its first byte to its answer. */
    upload?: boolean;
    /** An anonymous read, rate-limited per client address. */
    lookup?: boolean;
  }
  interface FastifyRequest {
    kiosk?: KioskAuth;
    merchantId?: string;
    /** SHA-256 of the body's bytes, hex (of no bytes for a request without a body). */
    bodySha256?: string;
  }
}

const EMPTY_SHA256 = sha256Hex(new Uint8Array(0));
/** A request refused before its body is read keeps its connection when its body is at most
 * this long (read and dropped: cheap, and the client gets its answer rather than a reset). */
export const REFUSED_BODY_DRAINED_BYTES_MAX = 16 * 1024;

export function installGate(app: FastifyInstance, s: Services): void {
  const lookups = new RateLimiter({
    burst_max: LOOKUP_BURST_MAX,
    per_s: LOOKUP_PER_S,
    all_per_s: LOOKUP_ALL_PER_S,
    clients_tracked_max: LOOKUP_CLIENTS_TRACKED_MAX,
  });
  let uploadsInFlight = 0;

  const beforeBody = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const config = req.routeOptions.config;
    if (config.lookup === true) {
      const waitS = lookups.take(req.ip, s.now());
      if (waitS !== null) {
        void reply.header('retry-after', String(waitS));
        throw new SettleError('SETTLE_RATE_LIMITED', `too many lookups from this address; retry in ${waitS} s`);
      }
    }
    if (config.auth === 'kiosk') {
      const kiosk = await identifyKiosk(s, req);
      checkSignature(s, req, kiosk, kiosk.public_key);
      req.kiosk = kiosk;
    } else if (config.auth === 'token') req.merchantId = await merchantOfToken(s, bearerToken(req));
    if (config.upload === true) {
      if (uploadsInFlight >= UPLOADS_IN_FLIGHT_MAX) {
        void reply.header('retry-after', '1');
        throw new SettleError('SETTLE_BUSY', `${UPLOADS_IN_FLIGHT_MAX} uploads are in progress; retry in a moment`);
      }
      uploadsInFlight++;
      reply.raw.once('close', () => uploadsInFlight--);
    }
  };

  app.addHook('onRequest', async (req, reply) => {
    try {
      await beforeBody(req, reply);
    } catch (err) {
      // A small body announced by its length is read to its end after the answer (Node's server
      // discards it), so that the client reads the refusal: closing a socket with unread bytes
      // sends a TCP reset, and the client saw ECONNRESET instead of, say, SETTLE_STALE. A bigger
      // or unannounced body is not read: the connection closes.
      const declared = Number(req.headers['content-length'] ?? Number.NaN);
      if (!(declared <= REFUSED_BODY_DRAINED_BYTES_MAX)) void reply.header('connection', 'close');
      throw err;
    }
  });

  app.addHook('preValidation', async (req) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : undefined;
    req.bodySha256 = raw === undefined ? EMPTY_SHA256 : sha256Hex(raw);
    if (req.kiosk !== undefined) checkBodyDigest(req, req.kiosk);
    if (raw === undefined) return;
    try {
      req.body = JSON.parse(raw.toString('utf8')) as unknown;
    } catch (err) {
      throw new SettleError('SETTLE_BAD_JSON', `the body is not JSON: ${(err as Error).message.slice(0, 200)}`);
    }
  });
}
