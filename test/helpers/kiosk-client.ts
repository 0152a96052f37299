// A WebSocket client of the kiosk's API for tests (Node's side of what renderer/api does in
// the page), and a customer who reacts to the prompt, played from real observations of a
// recording: neutral frames back and forth until the host's prompt, then, after a human
// reaction time, on into the smile.
import WebSocket from 'ws';
import type {
  ApiResult,
  CallName,
  OrderEvent,
  RequestOf,
  ResponseOf,
  SessionView,
} from '../../electron/contract/api.js';
import { api, WS_PATH } from '../../electron/contract/api.js';
import type { FaceObservation } from '../../electron/contract/vision.js';

/** Order pushes a test client keeps, at most (the oldest are dropped). */
const PUSHES_KEPT_MAX = 1_000;

export class WsClient {
  private nextId = 1;
  private readonly waiting = new Map<number, (r: ApiResult<unknown>) => void>();
  /** The host's order pushes received on this socket, oldest first. */
  readonly pushes: OrderEvent[] = [];
  private readonly pushWaiters = new Set<() => void>();
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString('utf8')) as
        { id: number; result: ApiResult<unknown> } | { push: string; event: OrderEvent };
      if ('push' in msg) {
        this.pushes.push(msg.event);
        if (this.pushes.length > PUSHES_KEPT_MAX) this.pushes.shift();
        for (const w of this.pushWaiters) w();
        return;
      }
      this.waiting.get(msg.id)?.(msg.result);
      this.waiting.delete(msg.id);
    });
  }

  static connect(baseUrl: string, origin = baseUrl): Promise<WsClient> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${WS_PATH}`, { headers: { origin } });
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

  /** The first push (kept or to come) that `match` accepts, or a rejection after `timeoutMs`. */
  nextPush(match: (e: OrderEvent) => boolean, timeoutMs = 2_000): Promise<OrderEvent> {
    const found = this.pushes.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const e = this.pushes.find(match);
        if (!e) return;
        clearTimeout(timer);
        this.pushWaiters.delete(check);
        resolve(e);
      };
      const timer = setTimeout(() => {
        this.pushWaiters.delete(check);
        reject(new Error(`no matching push within ${timeoutMs} ms (${this.pushes.length} received)`));
      }, timeoutMs);
      this.pushWaiters.add(check);
    });
  }

  close(): void {
    this.ws.close();
  }
}

export const FRAME_MS = 1000 / 15;

/** Plays observations of a recording to a session as a live customer would: back and forth
 * over neutral frames; `reactionMs` after each prompt's moment, on into the smile, held; when
 * the round is over (the prompt withdrawn), back through the same frames to neutral. With
 * `react: false` the recording plays on its own schedule, back and forth. Stops at a
 * decision or after `framesMax` frames. */
export async function playCustomer(
  client: WsClient,
  sessionId: string,
  obs: FaceObservation[],
  opts: { onset: number | null; neutralTo?: number; react: boolean; reactionMs?: number; framesMax?: number },
): Promise<{ view: SessionView; prompts: number; onsetAtMs: number | null }> {
  const reactionMs = opts.reactionMs ?? 400;
  const framesMax = opts.framesMax ?? 400;
  const onset = opts.onset ?? obs.length - 1;
  const neutralTo = opts.neutralTo ?? onset - 1;
  const neutralFrom = Math.max(0, neutralTo - 4);
  // The smile is held on its first two frames, so that ending it (the relax cue) is one step away.
  const smileTo = Math.min(obs.length - 1, onset + 1);
  let i = opts.react ? neutralFrom : 0;
  let dir = 1;
  let t = 1_000;
  let mode: 'neutral' | 'rising' | 'relaxing' = 'neutral';
  let reactingTo: number | null = null;
  let relaxAt: number | null = null;
  let prompts = 0;
  let onsetAtMs: number | null = null;
  let view: SessionView | null = null;
  for (let n = 0; n < framesMax; n++) {
    view = await client.ok('observe', {
      session_id: sessionId,
      observation: { ...obs[i]!, frame_seq: n, captured_at_ms: t },
    });
    if (view.phase !== 'looking' && view.phase !== 'prompt') break;
    t += FRAME_MS;
    if (!opts.react) {
      // Back and forth over the whole recording: a face that goes on, never cut.
      if (i + dir >= obs.length || i + dir < 0) dir = -dir;
      i += dir;
      continue;
    }
    const promptAt = view.prompt_at_ms;
    if (mode === 'neutral' && promptAt !== null && promptAt !== reactingTo && t >= promptAt + reactionMs) {
      mode = 'rising';
      reactingTo = promptAt;
      prompts += 1;
    } else if (mode === 'rising' && promptAt !== reactingTo) {
      // The prompt ended (the relax cue, or the round passed) with the frame just sent: relax a
      // reaction time later.
      relaxAt ??= t - FRAME_MS + reactionMs;
      if (t >= relaxAt) {
        mode = 'relaxing';
        relaxAt = null;
      }
    }
    if (mode === 'rising') {
      if (i >= onset) onsetAtMs ??= t;
      if (i < smileTo) i += 1;
      else i = smileTo - 1;
    } else if (mode === 'relaxing') {
      if (i > neutralTo) i -= 1;
      else mode = 'neutral';
    } else {
      if (i + dir > neutralTo || i + dir < neutralFrom) dir = -dir;
      i += dir;
    }
  }
  return { view: view!, prompts, onsetAtMs };
}
