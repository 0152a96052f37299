// Proves refused, on SQLite and on PostgreSQL (a real settlement server on loopback): random and mutated requests to every route of the server —
// bodies (JSON subtrees replaced, removed, added; raw and truncated bytes; lone surrogates,
// NUL, huge numbers), headers (signed, unsigned, garbled, stale) and path parameters (any
// text, broken percent-encodings) — each get a success or a typed error {error: {code,
// message}} with a 4xx (or 503 busy), never a 5xx with internals, never a crash; and a
// refusal stores nothing (every table's row count and every balance as before).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { DeviceKey } from '../../ledger/keys/device-key.js';
import { fromHex, toHex } from '../../ledger/protocol/hex.js';
import { addRegulatorKey } from '../../ledger/server/admin.js';
import type { RunningServer } from '../../ledger/server/server.js';
import type { Services } from '../../ledger/server/context.js';
import type { SettleDatabase } from '../../ledger/server/db/schema.js';
import { signRequest } from '../../ledger/sync/http.js';
import { seal, boxPublicKey, newBoxSecret } from '../../ledger/wire/sealed-box.js';
import { FREEZE_DOMAIN, freezeBytes } from '../../ledger/wire/signing.js';
import type { FreezeRecord } from '../../ledger/wire/wire.js';
import {
  BACKENDS,
  MERCHANT,
  cashPayment,
  facePayment,
  fundedCustomer,
  handSigned,
  kiosk,
  serverWithMerchant,
  storageFor,
  usePostgres,
  type TestKiosk,
} from '../helpers/settle.js';

const pg = usePostgres();
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
// A failure prints its seed: FUZZ_SEED=<seed> runs every property from it again.
if (process.env.FUZZ_SEED !== undefined) fc.configureGlobal({ seed: Number(process.env.FUZZ_SEED) });

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Strings that have broken servers elsewhere: NUL, lone surrogates, controls, long, empty. */
const nasty = fc.constantFrom(
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\u202E',
  '\n',
  '',
  ' ',
  'x'.repeat(5_000),
  '../../etc/passwd',
  "'; drop table entries; --",
  '%00',
  '__proto__',
);
const weird: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue() as fc.Arbitrary<Json>,
  nasty,
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom<Json>(-1, 0, 1.5, 2 ** 53, -(2 ** 63), 1e308, null, true, [], {}, [[[]]]),
);

interface Mutation {
  op: 'replace' | 'delete' | 'add';
  pick: number;
  key: string;
  value: Json;
}
const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('replace', 'delete', 'add'),
  pick: fc.nat(),
  key: fc.oneof(fc.string({ maxLength: 12 }), nasty),
  value: weird,
});

/** Every container in a JSON value, with its path, in a stable order. */
function containers(v: Json, out: (Json[] | { [k: string]: Json })[] = []): (Json[] | { [k: string]: Json })[] {
  if (typeof v === 'object' && v !== null) {
    out.push(v);
    for (const c of Array.isArray(v) ? v : Object.values(v)) containers(c, out);
  }
  return out;
}

function mutate(body: Json, ms: readonly Mutation[]): Json {
  let v = structuredClone(body);
  for (const mutation of ms) {
    // A copy of the value each time: two mutations may hold one value (fast-check shares them
    // when shrinking), and inserting it into itself made a cycle that no request can carry.
    const m = { ...mutation, value: structuredClone(mutation.value) };
    const all = containers(v);
    if (all.length === 0) return m.value;
    const c = all[m.pick % all.length]!;
    const keys = Array.isArray(c) ? c.map((_, i) => String(i)) : Object.keys(c);
    const key = m.op === 'add' || keys.length === 0 ? m.key : keys[m.pick % keys.length]!;
    if (Array.isArray(c)) {
      const i = Number(key);
      if (m.op === 'delete' && Number.isInteger(i)) c.splice(i, 1);
      else if (Number.isInteger(i) && i < c.length) c[i] = m.value;
      else c.push(m.value);
    } else if (m.op === 'delete') delete c[key];
    else Object.defineProperty(c, key, { value: m.value, enumerable: true, writable: true, configurable: true });
    if (c === v && m.op === 'replace' && m.pick % 7 === 0) v = m.value; // sometimes the whole body
  }
  return v;
}

type Signing = 'valid' | 'none' | 'garbled' | 'stale' | 'other-key';
const signing = fc.constantFrom<Signing>('valid', 'valid', 'valid', 'none', 'garbled', 'stale', 'other-key');

/** A body as bytes: the mutated JSON mostly, else raw bytes or cut-off JSON. */
const bodyBytes = (base: () => Json): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.array(mutation, { maxLength: 3 }).map((ms) => enc(mutate(base(), ms))) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 600 }) },
    { weight: 1, arbitrary: fc.nat().map((n) => enc(base()).slice(0, n % (enc(base()).length + 1))) },
  );

const enc = (v: Json): Uint8Array => new TextEncoder().encode(JSON.stringify(v) ?? 'null');

/** A path segment: any text, encoded, or raw percent-escapes that need not be UTF-8. */
const segment = (valid: () => string): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(null).map(() => valid()) },
    { weight: 2, arbitrary: fc.string({ maxLength: 80 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 8 }).map(percent) },
  );
const percent = (bytes: number[]): string => bytes.map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

interface Answer {
  status: number;
  text: string;
}

const TABLES: (keyof SettleDatabase)[] = [
  'merchants',
  'merchant_tokens',
  'kiosks',
  'request_nonces',
  'entries',
  'receipt_batches',
  'day_closes',
  'transfers',
  'customers',
  'consents',
  'templates',
  'deletions',
  'freezes',
  'freeze_state',
  'regulator_keys',
  'feed_events',
  'limits',
];

async function snapshot(s: Services): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) {
    const r = await s.store.db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  for (const a of await s.store.db.selectFrom('accounts').select(['account_id', 'balance_minor']).execute())
    out[a.account_id] = a.balance_minor;
  return out;
}

const ERROR_CODE = /^(SETTLE|LEDGER|CANONICAL)_[A-Z_]+$/;

/** The answer's contract: success, or a typed 4xx/503 error with a code and no internals. */
function checkAnswer(what: string, a: Answer): boolean {
  assert.ok(a.status < 500 || a.status === 503, `${what}: ${a.status} ${a.text.slice(0, 300)}`);
  const body = JSON.parse(a.text) as { error?: { code: unknown; message: unknown } };
  if (a.status === 200) return true;
  assert.ok(a.status >= 400, `${what}: status ${a.status}`);
  assert.deepEqual(Object.keys(body), ['error'], `${what}: ${a.text.slice(0, 200)}`);
  assert.deepEqual(Object.keys(body.error!).sort(), ['code', 'message']);
  assert.match(String(body.error!.code), ERROR_CODE, what);
  const message = String(body.error!.message);
  assert.ok(!/node_modules|\n\s+at |\.ts:\d+|SELECT |INSERT /i.test(message), `${what}: internals in ${message}`);
  if (a.status === 503) assert.equal(body.error!.code, 'SETTLE_BUSY');
  return false;
}

for (const backend of BACKENDS) {
  describe(`fuzzing every route of the settlement server on ${backend}`, () => {
    let server: RunningServer;
    let s: Services;
    let token: string;
    let k: TestKiosk;
    const regulator = DeviceKey.generate();
    const other = DeviceKey.generate();

    before(async () => {
      ({ server, s, token } = await serverWithMerchant(await storageFor(backend, pg)));
      await addRegulatorKey(s, regulator.publicKeyHex);
      await fundedCustomer(s, 'zed', 1_000_000);
      k = await kiosk(server.url, token);
      k.store.append('payment', facePayment('zed', 100));
      await k.worker.syncOnce();
    });
    after(async () => {
      await k.close();
      // The server survived every request and still answers.
      assert.equal((await fetch(`${server.url}/v1/health`)).status, 200);
      await server.close();
    });

    /** Sends one request and checks it: the answer's contract, and nothing stored on a refusal. */
    async function exchange(
      what: string,
      method: 'GET' | 'POST',
      path: string,
      body: Uint8Array | undefined,
      mode: Signing,
      extra: Record<string, string> = {},
    ): Promise<boolean> {
      const before = await snapshot(s);
      const alarms = await s.store.db.selectFrom('alarms').select('alarm_id').execute();
      const bytes = body ?? new Uint8Array(0);
      let headers: Record<string, string> = {};
      if (mode !== 'none') {
        const ts = mode === 'stale' ? Date.now() - 3_600_000 : Date.now();
        const key = mode === 'other-key' ? other : k.key;
        headers = signRequest(key, k.kioskId, s.keys.publicKeyHex, method, path, bytes, ts);
        if (mode === 'garbled')
          headers['x-stp-signature'] = headers['x-stp-signature']!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
      }
      const res = await fetch(server.url + path, {
        method,
        headers: { ...headers, ...extra, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body,
      });
      const answer = { status: res.status, text: await res.text() };
      const ok = checkAnswer(`${what} ${method} ${path.slice(0, 80)}`, answer);
      if (!ok) {
        assert.deepEqual(
          await snapshot(s),
          before,
          `${what}: a refusal stored something: ${answer.text.slice(0, 200)}`,
        );
        const code = (JSON.parse(answer.text) as { error: { code: string } }).error.code;
        const now = await s.store.db.selectFrom('alarms').select('alarm_id').execute();
        if (code !== 'SETTLE_FORK_DETECTED') assert.equal(now.length, alarms.length, `${what}: an alarm on ${code}`);
      }
      return ok;
    }

    it('uploads: mutated batches and hand-signed entries with random fields', async () => {
      const tip = async () =>
        s.store.db
          .selectFrom('kiosks')
          .select(['tip_seq', 'tip_hash'])
          .where('kiosk_id', '=', k.kioskId)
          .executeTakeFirstOrThrow();
      const field = fc.oneof(weird, fc.constantFrom<Json>('EUR', 'face', 'cash', 'zed', 100, 'p1'));
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            // A signed entry whose payment fields are random: the server's entry checks, deep.
            fc.record({
              kind: fc.constant('entry' as const),
              fields: fc.dictionary(
                fc.constantFrom(
                  'payment_id',
                  'order_id',
                  'amount_minor',
                  'currency',
                  'method',
                  'customer_id',
                  'taken_by',
                  'step_up',
                  'extra',
                ),
                field,
              ),
            }),
            fc.record({ kind: fc.constant('batch' as const), bytes: fc.constant(null) }),
          ),
          fc.array(mutation, { maxLength: 3 }),
          signing,
          async (g, ms, mode) => {
            const t = await tip();
            const base = g.kind === 'entry' ? { ...cashPayment(100), ...g.fields } : facePayment('zed', 100);
            let e: ReturnType<typeof handSigned>;
            try {
              e = handSigned(k.key, k.kioskId, t.tip_seq + 1, t.tip_hash, 'payment', base as never);
            } catch {
              return; // a value the kiosk could not even sign (no canonical form): nothing to send
            }
            const body =
              g.kind === 'entry' ? { entries: [e.wire] } : mutate({ entries: [e.wire as unknown as Json] }, ms);
            await exchange('upload', 'POST', '/v1/entries', enc(body as Json), mode);
          },
        ),
        { numRuns: RUNS * 2 },
      );
    });

    it('enrolments, deletions, feed pages: mutated bodies, queries and path parameters', async () => {
      const enrolBody = (): Json => {
        const id = `c-${randomUUID().slice(0, 8)}`;
        return {
          customer_id: id,
          consent: {
            text_version: 'v1',
            purpose: 'face pay',
            retention_days: 365,
            agreed_at_ms: Date.now(),
            kiosk_id: k.kioskId,
          },
          templates: seal(new Uint8Array(512), fromHex(s.keys.boxPublicKeyHex, 32), id) as unknown as Json,
        };
      };
      await fc.assert(
        fc.asyncProperty(bodyBytes(enrolBody), signing, async (body, mode) => {
          await exchange('enrol', 'POST', '/v1/customers', body, mode);
        }),
        { numRuns: RUNS },
      );
      await fc.assert(
        fc.asyncProperty(
          segment(() => 'zed-not-here'),
          bodyBytes(() => ({ reason: 'asked' })),
          signing,
          async (id, body, mode) => {
            await exchange('deletion', 'POST', `/v1/customers/${id}/deletion`, body, mode);
          },
        ),
        { numRuns: RUNS },
      );
      const q = fc.oneof(
        fc.nat().map(String),
        fc.string({ maxLength: 20 }).map(encodeURIComponent),
        fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 4 }).map(percent),
      );
      await fc.assert(
        fc.asyncProperty(q, q, fc.boolean(), signing, async (after, limit, withLimit, mode) => {
          await exchange(
            'feed',
            'GET',
            `/v1/feed?after=${after}${withLimit ? `&limit=${limit}` : ''}`,
            undefined,
            mode,
          );
        }),
        { numRuns: RUNS },
      );
    });

    it('registrations, freezes, receipts and reports: the routes without a kiosk signature', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(mutation, { maxLength: 3 }),
          fc.constantFrom('valid', 'none', 'bad-token'),
          async (ms, mode) => {
            const key = DeviceKey.generate();
            const raw = mutate(
              {
                kiosk_id: `k-f-${randomUUID().slice(0, 8)}`,
                public_key: key.publicKeyHex,
                box_public_key: toHex(boxPublicKey(newBoxSecret())),
              },
              ms,
            );
            const body = enc(raw);
            const kioskId =
              typeof (raw as { kiosk_id?: unknown })?.kiosk_id === 'string'
                ? (raw as { kiosk_id: string }).kiosk_id
                : 'k-f';
            const headers = /^[\x20-\x7e]{1,64}$/.test(kioskId)
              ? signRequest(key, kioskId, s.keys.publicKeyHex, 'POST', '/v1/kiosks', body, Date.now())
              : {};
            const auth: Record<string, string> =
              mode === 'none'
                ? {}
                : {
                    authorization: `Bearer ${mode === 'valid' ? token : 'stp1.nope-nope-nope-nope-nope.00000000000000000000000000000000'}`,
                  };
            await exchange('register', 'POST', '/v1/kiosks', body, 'none', { ...headers, ...auth });
          },
        ),
        { numRuns: RUNS },
      );
      const record = (): FreezeRecord => ({
        v: 1,
        freeze_id: randomUUID(),
        action: 'freeze',
        target_type: 'account',
        target_id: 'wallet:zed',
        reason: 'fuzz',
        issued_at_ms: Date.now(),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { maxLength: 3 }), fc.boolean(), async (ms, resign) => {
          const r = mutate(record() as unknown as Json, ms) as unknown as FreezeRecord;
          let signature = toHex(regulator.signWithDomain(FREEZE_DOMAIN, freezeBytes(record())));
          try {
            if (resign) signature = toHex(regulator.signWithDomain(FREEZE_DOMAIN, freezeBytes(r)));
          } catch {
            // not canonicalisable: sent with the signature of another record
          }
          const ok = await exchange(
            'freeze',
            'POST',
            '/v1/freezes',
            enc({ record: r as unknown as Json, signature }),
            'none',
          );
          if (ok) {
            // Undo a freeze that went through, so that later cases start from the same books.
            const back = {
              ...(r as FreezeRecord),
              freeze_id: randomUUID(),
              action: r.action === 'freeze' ? 'unfreeze' : 'freeze',
              issued_at_ms: Date.now(),
            } as FreezeRecord;
            await exchange(
              'unfreeze',
              'POST',
              '/v1/freezes',
              enc({
                record: back as unknown as Json,
                signature: toHex(regulator.signWithDomain(FREEZE_DOMAIN, freezeBytes(back))),
              }),
              'none',
            );
          }
        }),
        { numRuns: RUNS },
      );
      const paid = k.store.get(1)!.entry_hash;
      await fc.assert(
        fc.asyncProperty(
          segment(() => paid),
          async (hash) => {
            await exchange('receipt', 'GET', `/v1/receipts/${hash}`, undefined, 'none');
          },
        ),
        { numRuns: RUNS },
      );
      await fc.assert(
        fc.asyncProperty(
          segment(() => MERCHANT),
          segment(() => '2026-01-01'),
          fc.boolean(),
          async (m, day, withToken) => {
            await exchange(
              'report',
              'GET',
              `/v1/merchants/${m}/reports/${day}`,
              undefined,
              'none',
              withToken ? { authorization: `Bearer ${token}` } : {},
            );
          },
        ),
        { numRuns: RUNS },
      );
      for (const path of ['/v1/health', '/v1/server-key', '/v1/nothing', '/%zz', '/v1/receipts/'])
        await exchange('plain', 'GET', path, undefined, 'none');
    });
  });
}
