// Proves refused: bad input of any shape to every call of the kiosk, over both transports of
// browser mode (POST /api/call/<channel> and the WebSocket): random bodies, and each call's valid
// request mutated (a JSON subtree replaced, removed or added; lone surrogates, NUL, huge numbers,
// prototype keys), with a real manager's token or a made-up one; raw bodies that are not JSON,
// the wrong content type, oversized; binary and garbage WebSocket frames. Each answer is a success
// or a typed error {ok: false, error: {code, message}} with a code of the contract, never a 5xx,
// never API_INTERNAL, never a stack or a path; the kiosk stays up; and a refusal stores nothing
// (the ledger's entries and tip, the orders, the staff, the customers, the privacy records, as
// before). A real kiosk on loopback with its real SQLite files. FUZZ_RUNS sets the runs per property.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import {
  api,
  API_ERROR_CODES,
  HTTP_API_PREFIX,
  REQUEST_BYTES_MAX,
  type ApiResult,
  type CallName,
} from '../../electron/contract/api.js';
import { SAMPLES, SAMPLE_TOKEN } from './call-samples.js';
import { clientAddress, openHostKiosk, openSocket, raw, type HostKiosk, type RawSocket } from './kiosk-host.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const CALLS = Object.keys(api) as CallName[];
const CODES: ReadonlySet<string> = new Set(API_ERROR_CODES);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const nasty = fc.constantFrom<Json>(
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\u202E',
  '',
  ' ',
  'x'.repeat(5_000),
  '../../etc/passwd',
  "'; drop table entries; --",
  '__proto__',
  'constructor',
  -1,
  0,
  1.5,
  2 ** 53,
  -(2 ** 63),
  1e308,
  null,
  true,
  [],
  {},
  [[[]]],
);
const weird: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  nasty,
  fc.string({ unit: 'binary', maxLength: 30 }),
);

/** Every container of a JSON value, in a stable order. */
function containers(v: Json, out: (Json[] | { [k: string]: Json })[] = []): (Json[] | { [k: string]: Json })[] {
  if (typeof v === 'object' && v !== null) {
    out.push(v);
    for (const c of Array.isArray(v) ? v : Object.values(v)) containers(c, out);
  }
  return out;
}

interface Mutation {
  op: 'replace' | 'delete' | 'add';
  pick: number;
  key: string;
  value: Json;
}
const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('replace', 'delete', 'add'),
  pick: fc.nat(),
  key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'token', 'toString')),
  value: weird,
});

function mutate(sample: Json, ms: Mutation[]): Json {
  const copy = structuredClone(sample);
  for (const m of ms) {
    const all = containers(copy);
    const c = all[m.pick % all.length]!;
    const keys = Array.isArray(c) ? c.map((_, i) => i) : Object.keys(c);
    if (m.op === 'add' || keys.length === 0) {
      if (Array.isArray(c)) c.push(m.value);
      else Object.defineProperty(c, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      continue;
    }
    const k = keys[m.pick % keys.length]!;
    if (m.op === 'delete') {
      if (Array.isArray(c)) c.splice(k as number, 1);
      else delete (c as Record<string, Json>)[k as string];
    } else (c as Record<string | number, Json>)[k] = m.value;
  }
  return copy;
}

/** What is on disk, less what a refusal may rightly record (wrong PINs counted against a member). */
function disk(h: HostKiosk): string {
  const q = (file: string, sql: string): unknown => {
    const db = new Database(join(h.dir, file), { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all();
    } finally {
      db.close();
    }
  };
  return JSON.stringify([
    q('ledger.db', 'SELECT count(*) AS n, max(seq) AS tip, hex(max(entry_hash)) AS h FROM entries'),
    q('orders.db', 'SELECT count(*) AS n, sum(length(body)) AS b FROM orders'),
    q('staff.db', 'SELECT staff_id, display_name, role, pin_hash, disabled FROM staff ORDER BY staff_id'),
    q('staff.db', 'SELECT count(*) AS n FROM staff_audit'),
    q('customers.db', "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'"),
    q('privacy.db', "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
  ]);
}

/** The property every answer must hold. */
function typed(name: string, status: number, body: unknown, what: string): ApiResult<unknown> {
  assert.ok(status < 500, `${what}: HTTP ${status} ${JSON.stringify(body).slice(0, 300)}`);
  const r = body as ApiResult<unknown>;
  assert.ok(
    r !== null && typeof r === 'object' && typeof r.ok === 'boolean',
    `${what}: not an answer: ${JSON.stringify(body).slice(0, 300)}`,
  );
  if (!r.ok) {
    assert.ok(CODES.has(r.error.code), `${what}: code ${r.error.code} is not the contract's`);
    assert.notEqual(r.error.code, 'API_INTERNAL', `${what}: ${name} failed inside: ${r.error.message}`);
    assert.equal(typeof r.error.message, 'string');
    assert.doesNotMatch(
      r.error.message,
      /\n\s+at |\/work\/|node_modules|\.ts:\d+/,
      `${what}: internals in ${r.error.message}`,
    );
  }
  return r;
}

async function fuzzKiosk(t: Parameters<typeof openHostKiosk>[0]) {
  const h = await openHostKiosk(t);
  await h.kiosk.staff.add({ staff_id: 'ana', display_name: 'Ana', role: 'manager' }, '739154');
  const token = (await h.kiosk.staff.signIn('ana', '739154')).token;
  return { h, token };
}

interface Fuzzed {
  name: CallName;
  realToken: boolean;
  mutations: Mutation[];
  random: Json | null;
  client: number;
}

const request: fc.Arbitrary<Fuzzed> = fc.record({
  name: fc.constantFrom(...CALLS),
  realToken: fc.boolean(),
  mutations: fc.array(mutation, { minLength: 0, maxLength: 4 }),
  random: fc.option(weird, { freq: 4 }),
  client: fc.nat({ max: 199 }),
});

function bodyOf(r: Fuzzed, token: string): Json {
  if (r.random !== null) return r.random;
  const sample = JSON.parse(
    JSON.stringify(SAMPLES[r.name]).replaceAll(SAMPLE_TOKEN, r.realToken ? token : SAMPLE_TOKEN),
  ) as Json;
  return mutate(sample, r.mutations);
}

test('random and mutated requests to every call over HTTP: typed answers, nothing stored on refusal', async (t) => {
  const { h, token } = await fuzzKiosk(t);
  let refusals = 0;
  const handled = new Set<string>();
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const body = bodyOf(r, token);
      const before = disk(h);
      const res = await raw(`${h.url}${HTTP_API_PREFIX}${api[r.name].channel}`, JSON.stringify(body), {
        localAddress: clientAddress(r.client),
      });
      const answer = typed(r.name, res.status, res.json, `HTTP ${r.name} ${JSON.stringify(body).slice(0, 200)}`);
      // Reached past the schema (a success, or a refusal of the call's own).
      if (answer.ok || !['API_BAD_REQUEST', 'API_RATE_LIMITED'].includes(answer.error.code)) handled.add(r.name);
      if (!answer.ok) {
        refusals++;
        assert.equal(disk(h), before, `${r.name} was refused (${answer.error.code}) but stored something`);
      }
    }),
    { numRuns: RUNS },
  );
  assert.ok(refusals > RUNS / 2, `${refusals} refusals`);
  assert.ok(handled.size >= CALLS.length / 3, `${handled.size} of ${CALLS.length} calls reached their handler`);
});

test('random and mutated requests to every call over the WebSocket: typed answers, nothing stored on refusal', async (t) => {
  const { h, token } = await fuzzKiosk(t);
  const sockets = new Map<number, RawSocket>();
  t.after(() => [...sockets.values()].forEach((s) => s.close()));
  const socketOf = async (client: number): Promise<RawSocket> => {
    const n = client % 6; // a few devices, each with its seats
    let s = sockets.get(n);
    if (!s || s.ws.readyState !== s.ws.OPEN)
      sockets.set(n, (s = await openSocket(h.url, { localAddress: clientAddress(n) })));
    return s;
  };
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const body = bodyOf(r, token);
      const before = disk(h);
      const answer = typed(r.name, 200, await (await socketOf(r.client)).call(r.name, body), `WS ${r.name}`);
      if (!answer.ok)
        assert.equal(disk(h), before, `${r.name} was refused (${answer.error.code}) but stored something`);
    }),
    { numRuns: RUNS },
  );
});

test('bodies that are not requests (not JSON, the wrong type, too large, unknown channels) and garbage frames: typed refusals, the kiosk stays up', async (t) => {
  const { h } = await fuzzKiosk(t);
  const before = disk(h);
  const post = (path: string, text: string, type = 'application/json') =>
    raw(`${h.url}${path}`, text, { headers: { 'content-type': type } });
  const cases: [string, string, string?][] = [
    [`${HTTP_API_PREFIX}staff:list`, '{'],
    [`${HTTP_API_PREFIX}staff:list`, '{"a":'],
    [`${HTTP_API_PREFIX}staff:list`, 'null'],
    [`${HTTP_API_PREFIX}staff:list`, '"\\ud800"'],
    [`${HTTP_API_PREFIX}staff:list`, '[1,2,3]'],
    [`${HTTP_API_PREFIX}staff:list`, 'hello', 'text/plain'],
    [`${HTTP_API_PREFIX}staff:list`, '<x/>', 'application/xml'],
    [`${HTTP_API_PREFIX}staff:list`, JSON.stringify({ pad: 'x'.repeat(REQUEST_BYTES_MAX) })],
    [`${HTTP_API_PREFIX}no:such-call`, '{}'],
    [`${HTTP_API_PREFIX}${'x'.repeat(500)}`, '{}'],
    [`${HTTP_API_PREFIX}%E0%A4%A`, '{}'],
    [`${HTTP_API_PREFIX}__proto__`, '{}'],
  ];
  for (const [path, text, type] of cases) {
    const res = await post(path, text, type);
    typed(path, res.status, res.json, `POST ${path.slice(0, 60)} ${text.slice(0, 40)}`);
  }
  await fc.assert(
    fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), async (text) => {
      const res = await post(`${HTTP_API_PREFIX}staff:sign-in`, text);
      typed('staffSignIn', res.status, res.json, `raw ${JSON.stringify(text).slice(0, 80)}`);
    }),
    { numRuns: RUNS },
  );
  // The WebSocket: garbage and binary frames are answered, the socket and the kiosk stay.
  const s = await openSocket(h.url);
  t.after(() => s.close());
  const answers: unknown[] = [];
  s.ws.on('message', (d: Buffer) => answers.push(JSON.parse(d.toString('utf8'))));
  for (const frame of [
    '{',
    'null',
    '[]',
    '{"id":-1,"channel":"kiosk:status"}',
    '{"id":1,"channel":5}',
    'x'.repeat(1000),
  ])
    s.ws.send(frame);
  s.ws.send(Buffer.from([0, 1, 2, 3]), { binary: true });
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(answers.length >= 7, `${answers.length} answers`);
  for (const a of answers) typed('ws', 200, (a as { result: unknown }).result, `ws ${JSON.stringify(a).slice(0, 100)}`);
  assert.equal((await s.call('status', {})).ok, true, 'the socket still answers');
  assert.equal(disk(h), before);
});
