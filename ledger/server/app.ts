// The settlement server's HTTP face (Fastify): routes with schemas for params, query, body
// and answers; bounds on every string, number and array; bodies over the limit refused with
// 413; one error handler that answers {error: {code, message}} with the right status and
// hides the internals of a 5xx. Every route calls one service function; on any error that
// function's transaction rolls back, so nothing is stored.

import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { ENTRY_BYTES_MAX, ID_LENGTH_MAX } from '../protocol/entry.js';
import { LedgerError } from '../protocol/errors.js';
import { CanonicalError } from '../protocol/canonical.js';
import { SettleError } from './errors.js';
import {
  FEED_ITEMS_MAX,
  REASON_LENGTH_MAX,
  SYNC_BATCH_ENTRIES_MAX,
  SYNC_BODY_BYTES_MAX,
  TEMPLATES_SEALED_BYTES_MAX,
  UPLOADS_IN_FLIGHT_MAX,
} from '../wire/limits.js';
import { sha256Hex } from '../wire/signing.js';
import type { EnrolRequest, RegisterRequest, SignedFreeze, UploadRequest } from '../wire/wire.js';
import { authenticateKiosk, bearerToken, merchantOfToken } from './auth.js';
import { register } from './register.js';
import { upload } from './upload.js';
import { readFeed } from './feed.js';
import { deleteTemplates, enrol } from './customers.js';
import { applyFreeze } from './freezes.js';
import { lookupReceipt } from './lookup.js';
import { dailyReport } from './report.js';
import type { Services } from './context.js';

const id = {
  type: 'string',
  minLength: 1,
  maxLength: ID_LENGTH_MAX,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:@-]*$',
} as const;
const hex32 = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const hex64 = { type: 'string', pattern: '^[0-9a-f]{128}$' } as const;
const text = { type: 'string', minLength: 1, maxLength: REASON_LENGTH_MAX } as const;
const timeMs = { type: 'integer', minimum: 0, maximum: 8_000_000_000_000 } as const;
const b64 = (maxLength: number) =>
  ({ type: 'string', minLength: 1, maxLength, pattern: '^[A-Za-z0-9+/]*={0,2}$' }) as const;
const obj = (properties: Record<string, unknown>, required: string[] = Object.keys(properties)) =>
  ({ type: 'object', additionalProperties: false, required, properties }) as const;

const errorBody = obj({ error: obj({ code: { type: 'string' }, message: { type: 'string' } }) });
const errors = {
  400: errorBody,
  401: errorBody,
  403: errorBody,
  404: errorBody,
  409: errorBody,
  413: errorBody,
  415: errorBody,
  422: errorBody,
  500: errorBody,
  503: errorBody,
};

const sealedBox = obj({
  ephemeral_public_key: b64(64),
  nonce: b64(32),
  ciphertext: b64(Math.ceil(TEMPLATES_SEALED_BYTES_MAX / 3) * 4),
});
const receipt = obj(
  {
    v: { type: 'integer' },
    kiosk_id: { type: 'string' },
    seq: { type: 'integer' },
    entry_hash: { type: 'string' },
    status: { type: 'string' },
    reason: { type: 'string' },
    decided_at_ms: { type: 'integer' },
  },
  ['v', 'kiosk_id', 'seq', 'entry_hash', 'status', 'decided_at_ms'],
);
const receiptItem = obj(
  {
    receipt,
    batch_id: { type: 'string' },
    leaf_index: { type: 'integer' },
    proof: { type: 'array', items: { type: 'string' } },
  },
  ['receipt', 'batch_id', 'leaf_index'],
);
const signedBatch = obj({
  head: obj({
    v: { type: 'integer' },
    type: { type: 'string' },
    batch_id: { type: 'string' },
    kiosk_id: { type: 'string' },
    first_seq: { type: 'integer' },
    tree_size: { type: 'integer' },
    root: { type: 'string' },
    signed_at_ms: { type: 'integer' },
  }),
  signature: { type: 'string' },
});

const schemas = {
  register: {
    body: obj({ kiosk_id: id, public_key: hex32, box_public_key: hex32 }),
    response: {
      200: obj({
        kiosk_id: { type: 'string' },
        merchant_id: { type: 'string' },
        server_public_key: { type: 'string' },
        server_box_public_key: { type: 'string' },
        tip_seq: { type: 'integer' },
      }),
      ...errors,
    },
  },
  upload: {
    body: obj({
      entries: {
        type: 'array',
        minItems: 1,
        maxItems: SYNC_BATCH_ENTRIES_MAX,
        items: obj({ canonical: b64(Math.ceil(ENTRY_BYTES_MAX / 3) * 4), signature: hex64 }),
      },
    }),
    response: {
      200: obj({
        kiosk_id: { type: 'string' },
        tip_seq: { type: 'integer' },
        receipts: { type: 'array', items: receiptItem },
        batches: { type: 'array', items: signedBatch },
      }),
      ...errors,
    },
  },
  feed: {
    querystring: obj(
      { after: { type: 'string', pattern: '^\\d{1,15}$' }, limit: { type: 'string', pattern: '^\\d{1,4}$' } },
      ['after'],
    ),
    response: errors,
  },
  enrol: {
    body: obj({
      customer_id: id,
      consent: obj({
        text_version: id,
        purpose: text,
        retention_days: { type: 'integer', minimum: 1, maximum: 3650 },
        agreed_at_ms: timeMs,
        kiosk_id: id,
      }),
      templates: sealedBox,
    }),
    response: {
      200: obj({
        customer_id: { type: 'string' },
        wallet_account_id: { type: 'string' },
        currency: { type: 'string' },
      }),
      ...errors,
    },
  },
  deletion: {
    params: obj({ customer_id: id }),
    body: obj({ reason: text }, []),
    response: { 200: obj({ customer_id: { type: 'string' }, deleted_at_ms: { type: 'integer' } }), ...errors },
  },
  freeze: {
    body: obj({
      record: obj({
        v: { type: 'integer', const: 1 },
        freeze_id: id,
        action: { type: 'string', enum: ['freeze', 'unfreeze'] },
        target_type: { type: 'string', enum: ['account', 'payment'] },
        target_id: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._:@-]*$' },
        reason: text,
        issued_at_ms: timeMs,
      }),
      signature: hex64,
    }),
    response: { 200: obj({ freeze_id: { type: 'string' }, frozen: { type: 'boolean' } }), ...errors },
  },
  receipt: { params: obj({ entry_hash: hex32 }), response: errors },
  report: {
    params: obj({ merchant_id: id, business_day: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } }),
    response: errors,
  },
};

export interface AppOptions {
  services: Services;
  /** pino options, or false for none (tests). */
  logger?: boolean | Record<string, unknown>;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const s = options.services;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: SYNC_BODY_BYTES_MAX,
    requestTimeout: 60_000,
    connectionTimeout: 60_000,
    keepAliveTimeout: 10_000,
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false } },
  });

  // The request signature covers the body's digest, so the body is read as bytes, digested,
  // then parsed; malformed JSON is SETTLE_BAD_JSON.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: SYNC_BODY_BYTES_MAX },
    (req, body, done) => {
      const bytes = body as Buffer;
      (req as FastifyRequest & { bodySha256?: string }).bodySha256 = sha256Hex(bytes);
      try {
        done(null, JSON.parse(bytes.toString('utf8')));
      } catch (err) {
        done(
          new SettleError('SETTLE_BAD_JSON', `the body is not JSON: ${(err as Error).message.slice(0, 200)}`),
          undefined,
        );
      }
    },
  );

  app.setErrorHandler((err: FastifyError | Error, req, reply) => {
    const { status, code, message } = classify(err);
    if (status >= 500 && code !== 'SETTLE_BUSY') req.log.error({ err }, 'internal error');
    void reply.code(status).send({ error: { code, message } });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply
      .code(404)
      .send({ error: { code: 'SETTLE_ROUTE_NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
  });

  app.get('/v1/health', async () => ({ ok: true, storage: s.store.dialect }));
  app.get('/v1/server-key', async () => ({ public_key: s.keys.publicKeyHex, box_public_key: s.keys.boxPublicKeyHex }));

  app.post('/v1/kiosks', { schema: schemas.register }, async (req) =>
    register(s, req, bearerToken(req), req.body as RegisterRequest),
  );

  let uploadsInFlight = 0;
  app.post('/v1/entries', { schema: schemas.upload }, async (req, reply) => {
    if (uploadsInFlight >= UPLOADS_IN_FLIGHT_MAX) {
      void reply.header('retry-after', '1');
      throw new SettleError('SETTLE_BUSY', `${UPLOADS_IN_FLIGHT_MAX} uploads are in progress; retry in a moment`);
    }
    uploadsInFlight++;
    try {
      const auth = await authenticateKiosk(s, req);
      return await upload(s, auth, (req.body as UploadRequest).entries);
    } finally {
      uploadsInFlight--;
    }
  });

  app.get('/v1/feed', { schema: schemas.feed }, async (req) => {
    const auth = await authenticateKiosk(s, req);
    const q = req.query as { after: string; limit?: string };
    const limit = Math.min(Number(q.limit ?? FEED_ITEMS_MAX), FEED_ITEMS_MAX);
    if (limit < 1) throw new SettleError('SETTLE_BAD_REQUEST', `limit: expected 1..${FEED_ITEMS_MAX}`);
    return readFeed(s, auth, Number(q.after), limit);
  });

  app.post('/v1/customers', { schema: schemas.enrol }, async (req) => {
    const auth = await authenticateKiosk(s, req);
    return enrol(s, auth, req.body as EnrolRequest);
  });

  app.post('/v1/customers/:customer_id/deletion', { schema: schemas.deletion }, async (req) => {
    const auth = await authenticateKiosk(s, req);
    const { customer_id } = req.params as { customer_id: string };
    return deleteTemplates(s, customer_id, `kiosk:${auth.kiosk_id}`, auth);
  });

  app.post('/v1/freezes', { schema: schemas.freeze }, async (req) => applyFreeze(s, req.body as SignedFreeze));

  app.get('/v1/receipts/:entry_hash', { schema: schemas.receipt }, async (req) =>
    lookupReceipt(s, (req.params as { entry_hash: string }).entry_hash),
  );

  app.get('/v1/merchants/:merchant_id/reports/:business_day', { schema: schemas.report }, async (req) => {
    const p = req.params as { merchant_id: string; business_day: string };
    const merchantId = await merchantOfToken(s, bearerToken(req));
    if (merchantId !== p.merchant_id)
      throw new SettleError('SETTLE_NOT_ALLOWED', `this token belongs to merchant ${merchantId}, not ${p.merchant_id}`);
    return dailyReport(s, p.merchant_id, p.business_day);
  });

  await app.ready();
  return app;
}

const FASTIFY_CODES: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'SETTLE_BODY_TOO_LARGE' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'SETTLE_UNSUPPORTED_MEDIA' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'SETTLE_BAD_JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'SETTLE_BAD_REQUEST' },
};

function classify(err: FastifyError | Error): { status: number; code: string; message: string } {
  if (err instanceof SettleError) return { status: err.statusCode, code: err.code, message: err.message };
  if (err instanceof LedgerError)
    return { status: err.code === 'LEDGER_SEQ_GAP' ? 409 : 422, code: err.code, message: err.message };
  if (err instanceof CanonicalError) return { status: 422, code: err.code, message: err.message };
  const fe = err as FastifyError;
  if (fe.validation !== undefined)
    return {
      status: 400,
      code: 'SETTLE_BAD_REQUEST',
      message: `${fe.validationContext ?? 'request'}${fe.message.replace(/^(body|querystring|params|headers)/, '')}`,
    };
  const known = fe.code !== undefined ? FASTIFY_CODES[fe.code] : undefined;
  if (known !== undefined) return { ...known, message: fe.message };
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500)
    return { status: fe.statusCode, code: 'SETTLE_BAD_REQUEST', message: fe.message };
  return {
    status: 500,
    code: 'SETTLE_INTERNAL',
    message: 'internal error; the operator has the details in the server log',
  };
}
