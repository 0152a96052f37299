// A WebSocket client of the kiosk's API for tests (Node's side of what renderer/api does in
// the page): calls, the host's pushes (orders, sessions), and camera frames as binary messages.
// It pairs as a browser does, through the one-time link the kiosk prints (the device token comes
// back as a cookie). And a customer who reacts to the prompt, played from a recording's real
// frames in real time: neutral frames back and forth until the host says "now smile", then,
// after a human reaction time, on into the smile; when the prompt goes, back to neutral.
import WebSocket from 'ws';
import type {
  ApiResult,
  CallName,
  MenuEvent,
  OrderEvent,
  RequestOf,
  ResponseOf,
  SessionView,
} from '../../electron/contract/api.js';
import { api, PUSH_FRAME_REFUSED, PUSH_MENU_CHANGED, PUSH_SESSION, WS_PATH } from '../../electron/contract/api.js';
import { SCREEN_COOKIE } from '../../electron/contract/constants.js';
import { encodeFrame, FRAMES_IN_FLIGHT_MAX } from '../../electron/contract/frames.js';
import { SECURITY_DEFAULTS } from '../../electron/host/security/limits.js';

/** Pushes a test client keeps, at most (the oldest are dropped). */
const PUSHES_KEPT_MAX = 1_000;

/** Spends a one-time pairing link as a browser would; returns the device token cookie. */
export async function pairWithLink(link: string): Promise<string> {
  const r = await fetch(link, { redirect: 'manual' });
  const set = r.headers.get('set-cookie') ?? '';
  const m = new RegExp(`${SCREEN_COOKIE}=([A-Za-z0-9_-]+)`).exec(set);
  if (r.status !== 303 || !m) throw new Error(`pairing link ${link}: HTTP ${r.status}, no device token`);
  return `${SCREEN_COOKIE}=${m[1]}`;
}

export class WsClient {
  private nextId = 1;
  private readonly waiting = new Map<number, (r: ApiResult<unknown>) => void>();
  /** The host's order pushes received on this socket, oldest first. */
  readonly pushes: OrderEvent[] = [];
  /** Session views pushed to this screen, oldest first. */
  readonly views: SessionView[] = [];
  /** The menu's pushes (an edit, an 86), oldest first. */
  readonly menuPushes: MenuEvent[] = [];
  /** Frames refused before any session could be named. */
  readonly refusedFrames: { seq: number | null; code: string; message: string }[] = [];
  private readonly pushWaiters = new Set<() => void>();
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString('utf8')) as
        { id: number; result: ApiResult<unknown> } | { push: string; event: unknown };
      if ('push' in msg) {
        if (msg.push === PUSH_SESSION) keep(this.views, msg.event as SessionView);
        else if (msg.push === PUSH_MENU_CHANGED) keep(this.menuPushes, msg.event as MenuEvent);
        else if (msg.push === PUSH_FRAME_REFUSED) keep(this.refusedFrames, msg.event as WsClient['refusedFrames'][0]);
        else keep(this.pushes, msg.event as OrderEvent);
        for (const w of this.pushWaiters) w();
        return;
      }
      this.waiting.get(msg.id)?.(msg.result);
      this.waiting.delete(msg.id);
    });
  }

  static connect(baseUrl: string, opts: { origin?: string; cookie?: string } = {}): Promise<WsClient> {
    const headers: Record<string, string> = { origin: opts.origin ?? baseUrl };
    if (opts.cookie) headers.cookie = opts.cookie;
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${WS_PATH}`, { headers });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new WsClient(ws)));
      ws.once('error', reject);
      ws.once('close', (code) => reject(new Error(`closed with ${code}`)));
    });
  }

  call<K extends CallName>(name: K, request: RequestOf<K>): Promise<ApiResult<ResponseOf<K>>> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, channel: api[name].channel, request }));
    return new Promise((resolve) => this.waiting.set(id, resolve as (r: ApiResult<unknown>) => void));
  }

  async ok<K extends CallName>(name: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
    const r = await this.call(name, request);
    if (!r.ok) throw new Error(`${name}: ${r.error.code}: ${r.error.message}`);
    return r.value;
  }

  /** Sends raw bytes as one binary message (a frame, or anything an attacker likes). */
  send(bytes: Uint8Array): void {
    this.ws.send(bytes, { binary: true });
  }

  /** The first push (kept or to come) that `match` accepts, or a rejection after `timeoutMs`. */
  nextPush(match: (e: OrderEvent) => boolean, timeoutMs = 2_000): Promise<OrderEvent> {
    return this.until(() => this.pushes.find(match), timeoutMs, 'order push');
  }

  /** The first session view (kept or to come) that `match` accepts. */
  nextView(match: (v: SessionView) => boolean, timeoutMs = 2_000): Promise<SessionView> {
    return this.until(() => this.views.find(match), timeoutMs, 'session view');
  }

  until<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const e = find();
        if (e === undefined) return;
        clearTimeout(timer);
        this.pushWaiters.delete(check);
        resolve(e);
      };
      const timer = setTimeout(() => {
        this.pushWaiters.delete(check);
        reject(new Error(`no matching ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pushWaiters.add(check);
    });
  }

  close(): void {
    this.ws.close();
  }
}

function keep<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > PUSHES_KEPT_MAX) list.shift();
}

export const FRAME_MS = 1000 / 15;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface CustomerRun {
  view: SessionView;
  /** Prompts reacted to, frames sent, and frames the host dropped or refused (by code). */
  prompts: number;
  sent: number;
  refused: Record<string, number>;
  onsetAtMs: number | null;
}

/** What a screen adds before its customer can see a push: the latency the kiosk allows for
 * (security.prompt_display_latency_ms). A loopback client has no screen to paint, so it waits
 * this long, as the customer in front of a real screen would. */
export const SCREEN_PAINT_MS = SECURITY_DEFAULTS.prompt_display_latency_ms;
/** A customer's reaction to seeing "now smile", to the start of the smile. The loop sees the
 * push within a frame and the smile's onset frame goes 1..2 frames later, so the host counts
 * about 480 + 67..200 ms (its window: 420..770 ms, liveness.reaction_ms_*). */
export const CUSTOMER_REACTION_MS = 480;
/** A customer's reaction to the prompt going (the relax cue), to the start of relaxing: the
 * smile's frames step back to neutral in 3..4 frames (d0), so the host counts about
 * 200 + 200..330 ms (its window: 320..670 ms, liveness.relax_reaction_ms_*). */
export const CUSTOMER_RELAX_MS = 200;

/** Plays a recording's JPEG frames to a session in real time, as a live customer's camera
 * would: back and forth over neutral frames; `reactionMs` after each "now smile" the host
 * pushes is seen (SCREEN_PAINT_MS after it arrives), on into the smile, held; `relaxMs` after
 * the prompt is seen to go, back through the same frames to neutral. With `react: false` the
 * recording plays on its own schedule, back and forth. At most FRAMES_IN_FLIGHT_MAX frames
 * unanswered (a camera frame is skipped meanwhile, as the screen does). Stops at a decision or
 * after `framesMax` frames. */
export async function playCustomer(
  client: WsClient,
  start: SessionView,
  jpegs: Uint8Array[],
  opts: {
    onset: number | null;
    neutralTo?: number;
    react: boolean;
    reactionMs?: number;
    relaxMs?: number;
    framesMax?: number;
  },
): Promise<CustomerRun> {
  const reactionMs = SCREEN_PAINT_MS + (opts.reactionMs ?? CUSTOMER_REACTION_MS);
  const relaxMs = SCREEN_PAINT_MS + (opts.relaxMs ?? CUSTOMER_RELAX_MS);
  const framesMax = opts.framesMax ?? 450;
  const onset = opts.onset ?? jpegs.length - 1;
  const neutralTo = opts.neutralTo ?? onset - 1;
  const neutralFrom = Math.max(0, neutralTo - 4);
  const smileTo = Math.min(jpegs.length - 1, onset + 3);
  let i = opts.react ? neutralFrom : 0;
  let dir = 1;
  let mode: 'neutral' | 'rising' | 'relaxing' = 'neutral';
  let reactAtMs: number | null = null;
  let relaxAtMs: number | null = null;
  let prompts = 0;
  let onsetAtMs: number | null = null;
  let seq = 0;
  const refused: Record<string, number> = {};
  const viewsFrom = client.views.length;
  const mine = (): SessionView[] => client.views.slice(viewsFrom).filter((v) => v.session_id === start.session_id);
  let view = start;
  let acked = -1;
  for (let n = 0; n < framesMax; n++) {
    const t0 = Date.now();
    for (const v of mine().slice(-8)) {
      if (v.frame && v.frame.seq > acked) {
        acked = v.frame.seq;
        if (v.frame.outcome !== 'observed')
          refused[v.frame.code ?? v.frame.outcome] = (refused[v.frame.code ?? v.frame.outcome] ?? 0) + 1;
      }
    }
    view = mine().at(-1) ?? view;
    if (view.phase !== 'looking' && view.phase !== 'prompt') break;
    if (seq - 1 - acked < FRAMES_IN_FLIGHT_MAX) {
      client.send(encodeFrame({ tag: start.frame_tag, seq, captured_at_ms: Date.now(), jpeg: jpegs[i]! }));
      seq += 1;
    }
    if (!opts.react) {
      // Back and forth over the whole recording: a face that goes on, never cut.
      if (i + dir >= jpegs.length || i + dir < 0) dir = -dir;
      i += dir;
    } else {
      if (mode === 'neutral' && view.prompt && reactAtMs === null) reactAtMs = Date.now() + reactionMs;
      if (mode === 'neutral' && reactAtMs !== null && Date.now() >= reactAtMs) {
        mode = 'rising';
        prompts += 1;
        relaxAtMs = null;
      } else if (mode === 'rising' && !view.prompt) {
        relaxAtMs ??= Date.now() + relaxMs;
        if (Date.now() >= relaxAtMs) {
          mode = 'relaxing';
          reactAtMs = null;
        }
      }
      if (mode === 'rising') {
        if (i >= onset) onsetAtMs ??= Date.now();
        i = i < smileTo ? i + 1 : smileTo - 1;
      } else if (mode === 'relaxing') {
        if (i > neutralTo) i -= 1;
        else mode = 'neutral';
      } else {
        // Once the prompt is seen, the face keeps to the last neutral frames, so that its smile
        // begins when the customer reacts, not when a walk through the neutral frames ends.
        const from = reactAtMs === null ? neutralFrom : Math.max(neutralFrom, neutralTo - 1);
        if (i + dir > neutralTo || i + dir < from) dir = i < from ? 1 : -dir;
        i += dir;
      }
    }
    await sleep(Math.max(0, FRAME_MS - (Date.now() - t0)));
  }
  // The decision may come with the last frames' answers.
  try {
    view = await client.nextView(
      (v) => v.session_id === start.session_id && v.phase !== 'looking' && v.phase !== 'prompt',
      3_000,
    );
  } catch {
    view = mine().at(-1) ?? view;
  }
  return { view, prompts, sent: seq, refused, onsetAtMs };
}

/** Codes a live customer can get on an overloaded machine (frames late or missed): like a
 * customer, a test tries again, up to LIVE_ATTEMPTS_MAX times, and says so. */
export const RETRYABLE_LIVE = /^FACE_(TRACK_BROKEN|STALLED|NO_SMILE|SMILE_TOO_FAST|NO_NEUTRAL|SMILED_EARLY)$/;
export const LIVE_ATTEMPTS_MAX = 3;

/** A new session (`start`) played live until its phase leaves looking/prompt; on a refusal the
 * loaded machine can cause, another session, at most LIVE_ATTEMPTS_MAX in all. */
export async function playLive(
  client: WsClient,
  start: () => Promise<SessionView>,
  jpegs: Uint8Array[],
  opts: Parameters<typeof playCustomer>[3],
): Promise<CustomerRun & { start: SessionView }> {
  for (let attempt = 1; ; attempt++) {
    const s = await start();
    const run = await playCustomer(client, s, jpegs, opts);
    const code = run.view.error?.code ?? '';
    if (run.view.phase !== 'refused' || !RETRYABLE_LIVE.test(code) || attempt >= LIVE_ATTEMPTS_MAX)
      return { ...run, start: s };
    console.log(`# attempt ${attempt} refused as ${code}; trying again`);
  }
}
