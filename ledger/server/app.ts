// The settlement server's HTTP face (Fastify): routes with schemas for params, query, body
// and answers; bounds on every string, number and array; a body limit per route, refused
// with 413; who may send a body checked before it is read, and its signature before it is
// parsed (gate.ts); one error handler that answers {error: {code, message}} with the right
// status and hides the internals of a 5xx. Every route calls one service function; on any
// error that function's transaction rolls back, so nothing is stored.

import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ENTRY_BYTES_MAX, ID_LENGTH_MAX } from '../protocol/entry.js';
import { LedgerError } from '../protocol/errors.js';
import { CanonicalError } from '../protocol/canonical.js';
import { SettleError } from './errors.js';
import {
  ENROL_BODY_BYTES_MAX,
  FEED_ITEMS_MAX,
  REASON_LENGTH_MAX,
  SMALL_BODY_BYTES_MAX,
  SYNC_BATCH_ENTRIES_MAX,
  SYNC_BODY_BYTES_MAX,
  TEMPLATES_SEALED_BYTES_MAX,
} from '../wire/limits.js';
import type { EnrolRequest, RegisterRequest, SignedFreeze, UploadRequest } from '../wire/wire.js';
import { installGate } from './gate.js';
import { classifyDatabaseError } from './db/errors.js';
import { register } from './register.js';
import { upload } from './upload.js';
import { readFeed } from './feed.js';
import { deleteTemplates, enrol } from './customers.js';
import { applyFreeze } from './freezes.js';
import { lookupReceipt } from './lookup.js';
import { dailyReport } from './report.js';
import type { Services } from './context.js';
import type { KioskAuth } from './auth.js';

const id = {
  type: 'string',
  minLength: 1,
  maxLength: ID_LENGTH_MAX,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:@-]*$',
} as const;
const hex32 = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const hex64 = { type: 'string', pattern: '^[0-9a-f]{128}$' } as const;
// Free text: no control characters (PostgreSQL refuses NUL) and no lone surrogates (they
// have no UTF-8 form): refused here, with the field named, not deep in a query.
const text = {
  type: 'string',
  minLength: 1,
  maxLength: REASON_LENGTH_MAX,
  pattern: '^[^\\p{Cc}\\p{Cs}]*$',
} as const;
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
  429: errorBody,
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
        server_box_key_signature: { type: 'string' },
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
  receipt: {
    params: obj({ entry_hash: hex32 }),
    // Only these fields leave the server, whatever the service function returns.
    response: {
      200: obj(
        {
          v: { type: 'integer' },
          type: { type: 'string' },
          entry_hash: { type: 'string' },
          kind: { type: 'string' },
          amount_minor: { type: ['integer', 'null'] },
          currency: { type: ['string', 'null'] },
          created_at_ms: { type: 'integer' },
          status: { type: 'string' },
          reason: { type: 'string' },
          decided_at_ms: { type: 'integer' },
          looked_up_at_ms: { type: 'integer' },
          inclusion: {
            anyOf: [
              { type: 'null' },
              obj({
                day_close_seq: { type: 'integer' },
                business_day: { type: 'string' },
                leaf_index: { type: 'integer' },
                tree_size: { type: 'integer' },
                root: { type: 'string' },
                proof: { type: 'array', items: { type: 'string' } },
              }),
            ],
          },
          signature: { type: 'string' },
          receipt: receiptItem,
          batch: signedBatch,
        },
        [
          'v',
          'type',
          'entry_hash',
          'kind',
          'amount_minor',
          'currency',
          'created_at_ms',
          'status',
          'decided_at_ms',
          'looked_up_at_ms',
          'inclusion',
          'signature',
          'receipt',
          'batch',
        ],
      ),
      ...errors,
    },
  },
  serverKey: {
    response: {
      200: obj({
        public_key: { type: 'string' },
        box_public_key: { type: 'string' },
        box_key_signature: { type: 'string' },
      }),
      ...errors,
    },
  },
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
    bodyLimit: SMALL_BODY_BYTES_MAX,
    requestTimeout: 60_000,
    connectionTimeout: 60_000,
    keepAliveTimeout: 10_000,
    return503OnClosing: true,
    // Errors Fastify answers before routing (a path that is not valid percent-encoding) get our body too.
    frameworkErrors: (err, _req, reply) => {
      const { status, code, message } = classify(err);
      void (reply as FastifyReply).code(status).send({ error: { code, message } });
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false } },
  });

  // Bodies are read as bytes (the request signature covers their digest) and parsed only
  // once the gate has checked who sent them.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  installGate(app, s);

  app.setErrorHandler((err: FastifyError | Error, req, reply) => {
    const { status, code, message } = classify(err);
    if (status >= 500 && code !== 'SETTLE_BUSY') req.log.error({ err }, 'internal error');
    else if (classifyDatabaseError(err) !== null) req.log.warn({ err }, 'database conflict answered as a code');
    void reply.code(status).send({ error: { code, message } });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply
      .code(404)
      .send({ error: { code: 'SETTLE_ROUTE_NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
  });

  const kiosk = (req: FastifyRequest): KioskAuth => {
    if (req.kiosk === undefined) throw new Error('assertion failed: the gate authenticated the kiosk');
    return req.kiosk;
  };
  const merchant = (req: FastifyRequest): string => {
    if (req.merchantId === undefined) throw new Error('assertion failed: the gate checked the token');
    return req.merchantId;
  };

  app.get('/v1/health', async () => ({ ok: true, storage: s.store.dialect }));
  app.get('/v1/server-key', { schema: schemas.serverKey }, async () => ({
    public_key: s.keys.publicKeyHex,
    box_public_key: s.keys.boxPublicKeyHex,
    box_key_signature: s.keys.boxKeySignature,
  }));

  app.post('/v1/kiosks', { schema: schemas.register, config: { auth: 'token' } }, async (req) =>
    register(s, req, merchant(req), req.body as RegisterRequest),
  );

  app.post(
    '/v1/entries',
    { schema: schemas.upload, bodyLimit: SYNC_BODY_BYTES_MAX, config: { auth: 'kiosk', upload: true } },
    async (req) => upload(s, kiosk(req), (req.body as UploadRequest).entries),
  );

  app.get('/v1/feed', { schema: schemas.feed, config: { auth: 'kiosk' } }, async (req) => {
    const q = req.query as { after: string; limit?: string };
    const limit = Math.min(Number(q.limit ?? FEED_ITEMS_MAX), FEED_ITEMS_MAX);
    if (limit < 1) throw new SettleError('SETTLE_BAD_REQUEST', `limit: expected 1..${FEED_ITEMS_MAX}`);
    return readFeed(s, kiosk(req), Number(q.after), limit);
  });

  app.post(
    '/v1/customers',
    { schema: schemas.enrol, bodyLimit: ENROL_BODY_BYTES_MAX, config: { auth: 'kiosk' } },
    async (req) => enrol(s, kiosk(req), req.body as EnrolRequest),
  );

  app.post(
    '/v1/customers/:customer_id/deletion',
    { schema: schemas.deletion, config: { auth: 'kiosk' } },
    async (req) => {
      const auth = kiosk(req);
      const { customer_id } = req.params as { customer_id: string };
      return deleteTemplates(s, customer_id, `kiosk:${auth.kiosk_id}`, auth);
    },
  );

  app.post('/v1/freezes', { schema: schemas.freeze }, async (req) => applyFreeze(s, req.body as SignedFreeze));

  app.get('/v1/receipts/:entry_hash', { schema: schemas.receipt, config: { lookup: true } }, async (req) =>
    lookupReceipt(s, (req.params as { entry_hash: string }).entry_hash),
  );

  app.get(
    '/v1/merchants/:merchant_id/reports/:business_day',
    { schema: schemas.report, config: { auth: 'token' } },
    async (req) => {
      const p = req.params as { merchant_id: string; business_day: string };
      const merchantId = merchant(req);
      if (merchantId !== p.merchant_id)
        throw new SettleError(
          'SETTLE_NOT_ALLOWED',
          `this token belongs to merchant ${merchantId}, not ${p.merchant_id}`,
        );
      return dailyReport(s, p.merchant_id, p.business_day);
    },
  );

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
  const db = classifyDatabaseError(err);
  if (db !== null) return db;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500)
    return { status: fe.statusCode, code: 'SETTLE_BAD_REQUEST', message: fe.message };
  return {
    status: 500,
    code: 'SETTLE_INTERNAL',
    message: 'internal error; the operator has the details in the server log',
  };
}
