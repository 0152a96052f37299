// Proves refused: bad input of any shape to every call of the kiosk (the pairing calls
// included), over both transports of browser mode (POST /api/call/<channel> and the WebSocket),
// from a paired customer screen and from an unpaired page: random bodies, and each call's valid
// request mutated (a JSON subtree replaced, removed or added; lone surrogates, NUL, huge numbers,
// prototype keys), with a real manager's token or a made-up one; raw bodies that are not JSON,
// the wrong content type, oversized; the pairing routes (a link's secret, a claim's body);
// garbage text messages; and binary camera frames, random or a real session's frame mutated
// (header fields, the JPEG's bytes, truncated, oversized), from paired screens and unpaired
// pages. Each answer is a success or a typed error {ok: false, error: {code, message}} with a
// code of the contract, never a 5xx, never API_INTERNAL, never a stack or a path; each frame is
// answered by its session's view or a typed refusal; the kiosk stays up; and a refusal stores
// nothing (the ledger's entries and tip, the orders, the staff, the customers, the privacy
// records, the paired screens, as before). A real kiosk on loopback with its real SQLite files
// and its real vision worker. FUZZ_RUNS sets the runs per property.
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
import { PAIR_CLAIM_PATH, PAIR_LINK_PATH } from '../../electron/contract/constants.js';
import { encodeFrame, FRAME_MESSAGE_BYTES_MAX } from '../../electron/contract/frames.js';
import { SessionView } from '../../electron/contract/calls/payment.js';
import { screenFrames } from '../helpers/screen-frames.js';
import { SAMPLES, SAMPLE_TOKEN } from './call-samples.js';
import {
  clientAddress,
  openHostKiosk,
  openSocket,
  pairScreen,
  raw,
  type HostKiosk,
  type RawSocket,
} from './kiosk-host.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
// A failure prints its seed: FUZZ_SEED=<seed> runs every property from it again.
if (process.env.FUZZ_SEED !== undefined) fc.configureGlobal({ seed: Number(process.env.FUZZ_SEED) });
const CALLS = Object.keys(api) as CallName[];
/**
 * The HTTP property also checks that a third of the calls got past the schema, which few requests
 * do (a paired screen, the real token and harmless mutations all at once). At 300 runs for 61 calls
 * one run saw 20 get there (21 needed) and failed; a dozen tries per call reached 41 of 61.
 */
const HTTP_RUNS = Math.max(RUNS, 12 * CALLS.length);
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
  for (const mutation of ms) {
    // A copy of the value each time: two mutations may share one (fast-check's shrinking), and
    // inserting it into itself made a cycle that no request can carry.
    const m = { ...mutation, value: structuredClone(mutation.value) };
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
    q('screens.db', 'SELECT screen_id, token_sha256, label, revoked_at_ms FROM screens ORDER BY screen_id'),
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
  // A paired customer screen's device token: the customer's calls reach their handlers with it.
  const cookie = await pairScreen(h);
  return { h, token, cookie };
}

interface Fuzzed {
  name: CallName;
  realToken: boolean;
  /** From the paired customer screen (its cookie), or an unpaired page. */
  paired: boolean;
  mutations: Mutation[];
  random: Json | null;
  client: number;
}

const request: fc.Arbitrary<Fuzzed> = fc.record({
  name: fc.constantFrom(...CALLS),
  realToken: fc.boolean(),
  paired: fc.boolean(),
  mutations: fc.array(mutation, { minLength: 0, maxLength: 4 }),
  random: fc.option(weird, { freq: 4 }),
  client: fc.nat({ max: 199 }),
});

/** Refusals that come before a call's handler: the schema, the rate limits, the pairing check. */
const BEFORE_HANDLER = ['API_BAD_REQUEST', 'API_RATE_LIMITED', 'SCREEN_NOT_PAIRED', 'API_SENDER_REFUSED'];

function bodyOf(r: Fuzzed, token: string): Json {
  if (r.random !== null) return r.random;
  const sample = JSON.parse(
    JSON.stringify(SAMPLES[r.name]).replaceAll(SAMPLE_TOKEN, r.realToken ? token : SAMPLE_TOKEN),
  ) as Json;
  return mutate(sample, r.mutations);
}

test('random and mutated requests to every call over HTTP: typed answers, nothing stored on refusal', async (t) => {
  const { h, token, cookie } = await fuzzKiosk(t);
  let refusals = 0;
  const handled = new Set<string>();
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const body = bodyOf(r, token);
      const before = disk(h);
      const res = await raw(`${h.url}${HTTP_API_PREFIX}${api[r.name].channel}`, JSON.stringify(body), {
        localAddress: clientAddress(r.client),
        ...(r.paired ? { cookie } : {}),
      });
      const answer = typed(r.name, res.status, res.json, `HTTP ${r.name} ${JSON.stringify(body).slice(0, 200)}`);
      // Reached past the schema (a success, or a refusal of the call's own).
      if (answer.ok || !BEFORE_HANDLER.includes(answer.error.code)) handled.add(r.name);
      if (!answer.ok) {
        refusals++;
        assert.equal(disk(h), before, `${r.name} was refused (${answer.error.code}) but stored something`);
      }
    }),
    { numRuns: HTTP_RUNS },
  );
  t.diagnostic(
    `${HTTP_RUNS} requests, ${refusals} refused, ${handled.size} of ${CALLS.length} calls reached their handler`,
  );
  assert.ok(refusals > HTTP_RUNS / 2, `${refusals} refusals`);
  assert.ok(handled.size >= CALLS.length / 3, `${handled.size} of ${CALLS.length} calls reached their handler`);
});

test('random and mutated requests to every call over the WebSocket: typed answers, nothing stored on refusal', async (t) => {
  const { h, token, cookie } = await fuzzKiosk(t);
  const sockets = new Map<string, RawSocket>();
  t.after(() => [...sockets.values()].forEach((s) => s.close()));
  const socketOf = async (client: number, paired: boolean): Promise<RawSocket> => {
    const n = client % 3; // a few devices, each with its seats: a paired screen's and a page's
    const key = `${n} ${paired}`;
    let s = sockets.get(key);
    if (!s || s.ws.readyState !== s.ws.OPEN)
      sockets.set(
        key,
        (s = await openSocket(h.url, { localAddress: clientAddress(n), ...(paired ? { cookie } : {}) })),
      );
    return s;
  };
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const body = bodyOf(r, token);
      const before = disk(h);
      const answer = typed(r.name, 200, await (await socketOf(r.client, r.paired)).call(r.name, body), `WS ${r.name}`);
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
  // The pairing routes: a claim's body of any shape is a typed answer; a link's secret of any
  // form is refused (a page, not JSON) and pairs nothing. From many devices (each rate-limited).
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        weird.map((v) => JSON.stringify(v)),
        fc.string({ unit: 'binary', maxLength: 200 }),
      ),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.nat({ max: 199 }),
      async (claim, secret, client) => {
        const o = {
          localAddress: clientAddress(client),
          headers: { 'content-type': 'application/json', origin: h.url },
        };
        const res = await raw(`${h.url}${PAIR_CLAIM_PATH}`, claim, o);
        typed('pairClaim', res.status, res.json, `claim ${claim.slice(0, 80)}`);
        const link = await raw(`${h.url}${PAIR_LINK_PATH}${encodeURIComponent(secret)}`, undefined, {
          localAddress: clientAddress(client),
        });
        assert.ok(link.status >= 400 && link.status < 500, `link ${JSON.stringify(secret)}: HTTP ${link.status}`);
        assert.equal(link.headers['set-cookie'], undefined, 'no device token for a made-up link');
      },
    ),
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
  for (const a of answers as { result?: unknown; push?: string; event?: { code: string } }[]) {
    // A binary message is a camera frame: an unpaired page's is refused as such, by push.
    if (a.push !== undefined) assert.deepEqual([a.push, a.event?.code], ['session:frame-refused', 'SCREEN_NOT_PAIRED']);
    else typed('ws', 200, a.result, `ws ${JSON.stringify(a).slice(0, 100)}`);
  }
  assert.equal((await s.call('status', {})).ok, true, 'the socket still answers');
  assert.equal(disk(h), before);
});

/** A binary message to fuzz: random bytes, or a frame of a real session (or a made-up tag) with
 * its bytes then overwritten, cut or padded. */
interface FuzzedFrame {
  random: Uint8Array | null;
  realTag: boolean;
  seq: number;
  clockSkewMs: number;
  picture: number;
  edits: { at: number; bytes: Uint8Array }[];
  cutTo: number | null;
  screen: number;
  paired: boolean;
}

const fuzzedFrame: fc.Arbitrary<FuzzedFrame> = fc.record({
  random: fc.option(fc.uint8Array({ maxLength: 600 }), { freq: 4 }),
  realTag: fc.boolean(),
  seq: fc.oneof(fc.nat({ max: 50 }), fc.constantFrom(0, 0xffffffff)),
  clockSkewMs: fc.oneof(fc.integer({ min: -5_000, max: 5_000 }), fc.constantFrom(0, 1e12, -1e12)),
  picture: fc.nat(),
  edits: fc.array(fc.record({ at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }), {
    maxLength: 3,
  }),
  cutTo: fc.option(fc.nat(), { freq: 3 }),
  screen: fc.nat({ max: 3 }),
  paired: fc.nat({ max: 3 }).map((n) => n !== 0),
});

/** Frames as short as the screens' bound allows between two frames of one screen (client-limits.ts). */
const FRAME_GAP_MS = 40;

test('random and mutated camera frames from paired screens and unpaired pages: a view or a typed refusal each, nothing stored', async (t) => {
  const { h } = await fuzzKiosk(t);
  assert.ok(await h.kiosk.visionReady, "the kiosk's vision worker started");
  const d0 = screenFrames('d0.mjpeg');
  // Four paired screens, each with a live payment session (its frame tag), and an unpaired page.
  const screens: { s: RawSocket; tag: string; lastSentMs: number }[] = [];
  for (let i = 0; i < 4; i++) {
    const cookie = await pairScreen(h);
    const s = await openSocket(h.url, { localAddress: clientAddress(i), cookie });
    const order = await s.call<{ order_id: string }>('createOrder', { lines: [{ item_id: 'tea', quantity: 1 }] });
    assert.ok(order.ok, JSON.stringify(order));
    const session = await s.call<SessionView>('startPayment', { order_id: order.value.order_id });
    assert.ok(session.ok, JSON.stringify(session));
    screens.push({ s, tag: session.value.frame_tag, lastSentMs: 0 });
  }
  const unpaired = await openSocket(h.url, { localAddress: clientAddress(9) });
  t.after(() => [unpaired, ...screens.map((x) => x.s)].forEach((s) => s.close()));
  const before = disk(h);
  let sent = 0;
  await fc.assert(
    fc.asyncProperty(fuzzedFrame, async (f) => {
      let bytes: Uint8Array;
      if (f.random !== null) bytes = f.random;
      else {
        const tag = f.realTag ? screens[f.screen]!.tag : '0123456789abcdef';
        const jpeg = d0[f.picture % d0.length]!;
        bytes = encodeFrame({ tag, seq: f.seq, captured_at_ms: Date.now() + f.clockSkewMs, jpeg });
        for (const e of f.edits)
          bytes.set(e.bytes.subarray(0, bytes.length - (e.at % bytes.length)), e.at % bytes.length);
        if (f.cutTo !== null) bytes = bytes.subarray(0, f.cutTo % (bytes.length + 1));
      }
      const target = f.paired ? screens[f.screen]! : null;
      if (target) {
        // At a camera's pace per screen, so that most frames are looked at, not rate-limited.
        const waitMs = target.lastSentMs + FRAME_GAP_MS - Date.now();
        if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
        target.lastSentMs = Date.now();
      }
      (target?.s ?? unpaired).ws.send(bytes, { binary: true });
      sent++;
    }),
    { numRuns: RUNS },
  );
  await new Promise((r) => setTimeout(r, 1_500));
  // Every push a frame caused: a view of the screen's own session, or a typed refusal.
  const seen: Record<string, number> = {};
  for (const s of [unpaired, ...screens.map((x) => x.s)]) {
    for (const p of s.pushes as { push: string; event: unknown }[]) {
      if (p.push === 'session:view') {
        const v = SessionView.parse(p.event);
        const code = v.frame?.code ?? v.frame?.outcome ?? 'view';
        seen[code] = (seen[code] ?? 0) + 1;
        if (v.error) assert.notEqual(v.error.code, 'API_INTERNAL');
      } else if (p.push === 'session:frame-refused') {
        const e = p.event as { code: string; message: string };
        assert.match(e.code, /^[A-Z][A-Z0-9_]{2,63}$/, JSON.stringify(e));
        assert.doesNotMatch(e.message, /\n\s+at |\/work\/|node_modules|\.ts:\d+/, `internals in ${e.message}`);
        seen[e.code] = (seen[e.code] ?? 0) + 1;
      } else if (p.push !== 'orders:changed') assert.fail(`an unknown push ${p.push}`);
    }
  }
  console.log(`# ${sent} frames: ${JSON.stringify(seen)}`);
  assert.ok((seen.SCREEN_NOT_PAIRED ?? 0) > 0, 'frames from the unpaired page were refused as such');
  assert.ok((seen.FRAME_MALFORMED ?? 0) > 0, 'malformed frames were refused as such');
  // The kiosk stays up, every socket still answers, nothing stored.
  for (const s of [unpaired, ...screens.map((x) => x.s)]) {
    if (s.ws.readyState === s.ws.OPEN) assert.equal((await s.call('status', {})).ok, true);
  }
  assert.equal(disk(h), before);
  // A message over the frames' bound closes its own socket (1009), and no other.
  const big = await openSocket(h.url, { localAddress: clientAddress(5), cookie: await pairScreen(h) });
  const closed = new Promise<number>((r) => big.ws.once('close', (code) => r(code)));
  big.ws.send(new Uint8Array(FRAME_MESSAGE_BYTES_MAX + 1), { binary: true });
  assert.equal(await closed, 1009);
  assert.equal((await screens[0]!.s.call('status', {})).ok, true, 'the other sockets stay');
});
