// The red team's kiosk and its forged camera. The kiosk is the demo store as `npm start` opens it
// (its embedded settlement server, its vision worker, the real HTTP + WebSocket transport on
// loopback) with the people the test names. The forged camera is what a script on a paired
// screen can send without any live face: camera frames synthesised from two still photos of the
// victim (one neutral, one smiling, as any social-media profile has), aligned on the eyes and
// cross-faded, with a little sensor noise and drift so no two frames are the same. It reacts to
// the host's "now smile" push as a person would: a human reaction time after it, the picture
// fades into the smile; when the prompt goes, back to neutral.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type KioskConfig } from '../../electron/config.js';
import { createLogger } from '../../electron/log.js';
import { openDemoKiosk, type DemoKiosk } from '../../scripts/demo-store.js';
import { fixturesDir, type DemoPerson } from '../../electron/host/demo/demo.js';
import { initNodeVision } from '../../native/backend.node.js';
import { decodeImage } from '../../native/image.node.js';
import { FacePipeline } from '../../vision/pipeline.js';
import { LedgerReader } from '../../ledger/store/reader.js';
import { describeFaces } from '../../scripts/demo-faces.js';
import { encodeFrame, FRAMES_IN_FLIGHT_MAX } from '../../electron/contract/frames.js';
import type { SessionView } from '../../electron/contract/api.js';
import type { RgbFrame } from '../../electron/contract/vision.js';
import {
  CUSTOMER_REACTION_MS,
  CUSTOMER_RELAX_MS,
  pairWithLink,
  SCREEN_PAINT_MS,
  WsClient,
} from '../helpers/kiosk-client.js';
import { encodeJpeg } from '../helpers/screen-frames.js';

export const photo = (person: string, n: number): Uint8Array =>
  readFileSync(join(fixturesDir(), 'faces', 'people', person, `${n}.png`));

/** A demo customer enrolled from some of a person's photos (the attack uses the others). */
export function personFrom(person: string, photos: number[], phone: string): DemoPerson {
  return {
    customer_id: `demo-${person}`,
    display_name: person.charAt(0).toUpperCase() + person.slice(1),
    phone,
    images: photos.map((n) => photo(person, n)),
  };
}

export interface RedKiosk {
  dir: string;
  kiosk: DemoKiosk;
  url: string;
  screen(): Promise<WsClient>;
  stranger(): Promise<WsClient>;
  payments(): { customer_id: string | undefined; amount_minor: number }[];
  close(): Promise<void>;
}

export async function openRedKiosk(
  people: DemoPerson[],
  security: Partial<KioskConfig['security']> = {},
): Promise<RedKiosk> {
  const dir = mkdtempSync(join(tmpdir(), 'smile-red-'));
  const config = loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0' } });
  const kiosk = await openDemoKiosk({
    config: { ...config, security: { ...config.security, ...security } },
    log: createLogger({ level: process.env.SMILE_TEST_LOG ?? 'silent' }),
    demoPeople: people,
    describeFaces,
    syncPollMs: 200,
  });
  assert.ok(await kiosk.visionReady, "the kiosk's vision worker started");
  const url = kiosk.http!.url;
  return {
    dir,
    kiosk,
    url,
    screen: async () => WsClient.connect(url, { cookie: await pairWithLink(kiosk.pairingLink()) }),
    stranger: () => WsClient.connect(url),
    payments: () => {
      const r = new LedgerReader(join(dir, 'ledger.db'));
      try {
        return [...r.range(1, 100_000)]
          .filter((e) => e.entry.kind === 'payment')
          .map((e) => {
            const b = e.entry.body as { customer_id?: string; amount_minor: number };
            return { customer_id: b.customer_id, amount_minor: b.amount_minor };
          });
      } finally {
        r.close();
      }
    },
    async close() {
      await kiosk.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

type Pt = { x: number; y: number };

function eyeCentres(landmarks: number[]): [Pt, Pt] {
  const c = (a: number, b: number): Pt => {
    let x = 0;
    let y = 0;
    for (let i = a; i < b; i++) {
      x += landmarks[2 * i]!;
      y += landmarks[2 * i + 1]!;
    }
    return { x: x / (b - a), y: y / (b - a) };
  };
  return [c(36, 42), c(42, 48)];
}

function bilinear(f: RgbFrame, x: number, y: number, c: number): number {
  const x0 = Math.max(0, Math.min(f.width - 2, Math.floor(x)));
  const y0 = Math.max(0, Math.min(f.height - 2, Math.floor(y)));
  const wx = Math.max(0, Math.min(1, x - x0));
  const wy = Math.max(0, Math.min(1, y - y0));
  const p = (xx: number, yy: number): number => f.data[(yy * f.width + xx) * 3 + c]!;
  return (
    (p(x0, y0) * (1 - wx) + p(x0 + 1, y0) * wx) * (1 - wy) + (p(x0, y0 + 1) * (1 - wx) + p(x0 + 1, y0 + 1) * wx) * wy
  );
}

/** The forged camera: JPEG frames from a neutral and a smiling still of one person. `smileAt(a)`
 * is the frame with the smiling picture faded in by `a` (0 neutral .. 1 smiling), frame `n` of
 * the stream (its noise and drift). Frames are 360 x 270, as the screen sends them. */
export async function stillsPuppet(
  neutralPng: Uint8Array,
  smilingPng: Uint8Array,
): Promise<(a: number, n: number) => Uint8Array> {
  const v = await initNodeVision();
  const N = decodeImage(neutralPng);
  const S = decodeImage(smilingPng);
  const fn = (await new FacePipeline(v.faceapi, v.backend).observe(N, 0)).face;
  const fs = (await new FacePipeline(v.faceapi, v.backend).observe(S, 0)).face;
  assert.ok(fn && fs, 'a face in each still');
  assert.ok(fn.smile < 0.3 && fs.smile > 0.9, `one neutral (${fn.smile}), one smiling (${fs.smile})`);
  // The similarity transform that carries N's eye line onto S's: S sampled in N's geometry.
  const [nl, nr] = eyeCentres(fn.landmarks);
  const [sl, sr] = eyeCentres(fs.landmarks);
  const scale = Math.hypot(sr.x - sl.x, sr.y - sl.y) / Math.hypot(nr.x - nl.x, nr.y - nl.y);
  const angle = Math.atan2(sr.y - sl.y, sr.x - sl.x) - Math.atan2(nr.y - nl.y, nr.x - nl.x);
  const ca = Math.cos(angle) * scale;
  const sa = Math.sin(angle) * scale;
  const W = 360;
  const H = 270;
  const k = 55 / Math.hypot(nr.x - nl.x, nr.y - nl.y); // eyes 55 px apart, as at a kiosk
  const cache = new Map<string, Uint8Array>();
  const make = (a: number, n: number): Uint8Array => {
    let seed = (n * 2654435761) >>> 0 || 1;
    const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const out = new Uint8Array(W * H * 3);
    const ox = W / 2 - (N.width * k) / 2 + 0.6 * Math.sin(n / 10);
    const oy = H / 2 - (N.height * k) / 2 + 0.4 * Math.cos(n / 13);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const nx = (x - ox) / k;
        const ny = (y - oy) / k;
        const inside = nx >= 0 && ny >= 0 && nx < N.width - 1 && ny < N.height - 1;
        const sx = sl.x + ca * (nx - nl.x) - sa * (ny - nl.y);
        const sy = sl.y + sa * (nx - nl.x) + ca * (ny - nl.y);
        const sIn = sx >= 0 && sy >= 0 && sx < S.width - 1 && sy < S.height - 1;
        for (let c = 0; c < 3; c++) {
          let val = 128;
          if (inside) {
            const p = bilinear(N, nx, ny, c);
            val = p * (1 - a) + (sIn ? bilinear(S, sx, sy, c) : p) * a;
          }
          out[(y * W + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(val + (rnd() - 0.5) * 4)));
        }
      }
    return encodeJpeg({ width: W, height: H, data: out });
  };
  // A bounded set of frames, made once (synthesis takes about 0.2 s a frame on a loaded core):
  // the neutral picture drifts back and forth over NEUTRAL_FRAMES, each fade level has a few.
  const frameAt = (a: number, n: number): Uint8Array => {
    const i = a === 0 ? pingPong(n, NEUTRAL_FRAMES) : n % LEVEL_FRAMES;
    const key = `${a.toFixed(3)}:${i}`;
    let jpeg = cache.get(key);
    if (!jpeg) cache.set(key, (jpeg = make(a, i)));
    return jpeg;
  };
  for (const a of PUPPET_LEVELS) for (let n = 0; n < (a === 0 ? 2 * NEUTRAL_FRAMES : LEVEL_FRAMES); n++) frameAt(a, n);
  return frameAt;
}

const NEUTRAL_FRAMES = 24;
const LEVEL_FRAMES = 3;
const pingPong = (n: number, period: number): number => {
  const m = n % (2 * period - 2);
  return m < period ? m : 2 * period - 2 - m;
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const FRAME_MS = 1000 / 15;
/** Frames to fade into the smile (the net saturates at about 0.8) and back out of it. */
const RISE_FRAMES = 6;
const FALL_FRAMES = 8;
const PUPPET_LEVELS = [
  ...new Set([
    ...Array.from({ length: RISE_FRAMES + 1 }, (_, i) => i / RISE_FRAMES),
    ...Array.from({ length: FALL_FRAMES + 1 }, (_, i) => i / FALL_FRAMES),
  ]),
];

/** Plays the forged camera to a session in real time (capture times are the true send times:
 * nothing for the frame clock to refuse), reacting `reactionMs` after each "now smile" and
 * `relaxMs` after the prompt goes, as the live customers of the tests do (a puppeteer times
 * its fades like a human would), until the
 * session leaves looking/prompt. Returns the last view and the prompts it answered. */
export async function playPuppet(
  client: WsClient,
  start: SessionView,
  frameAt: (a: number, n: number) => Uint8Array,
  // Its fade reaches a full smile in RISE_FRAMES: it starts half of them early, so the smile
  // crosses the threshold about when a customer's onset would.
  reactionMs = SCREEN_PAINT_MS + CUSTOMER_REACTION_MS - (RISE_FRAMES * FRAME_MS) / 2,
  relaxMs = SCREEN_PAINT_MS + CUSTOMER_RELAX_MS,
  framesMax = 450,
): Promise<{ view: SessionView; prompts: number }> {
  const from = client.views.length;
  const mine = (): SessionView[] => client.views.slice(from).filter((v) => v.session_id === start.session_id);
  let view = start;
  let acked = -1;
  let seq = 0;
  let a = 0;
  let mode: 'neutral' | 'waiting' | 'rising' | 'relaxing' = 'neutral';
  let reactAt = 0;
  let relaxAt: number | null = null;
  let prompts = 0;
  for (let n = 0; n < framesMax; n++) {
    const t0 = Date.now();
    for (const v of mine().slice(-8)) if (v.frame) acked = Math.max(acked, v.frame.seq);
    view = mine().at(-1) ?? view;
    if (view.phase !== 'looking' && view.phase !== 'prompt') break;
    if (mode === 'neutral' && view.prompt) {
      mode = 'waiting';
      reactAt = Date.now() + reactionMs;
    }
    if (mode === 'waiting' && Date.now() >= reactAt) {
      mode = 'rising';
      relaxAt = null;
      prompts += 1;
    }
    if (mode === 'rising') a = Math.min(1, a + 1 / RISE_FRAMES);
    if (mode === 'rising' && a >= 1 && !view.prompt) {
      relaxAt ??= Date.now() + relaxMs;
      if (Date.now() >= relaxAt) mode = 'relaxing';
    }
    if (mode === 'relaxing') {
      a = Math.max(0, a - 1 / FALL_FRAMES);
      if (a === 0) mode = 'neutral';
    }
    if (seq - 1 - acked < FRAMES_IN_FLIGHT_MAX) {
      client.send(encodeFrame({ tag: start.frame_tag, seq, captured_at_ms: Date.now(), jpeg: frameAt(a, n) }));
      seq += 1;
    }
    await sleep(Math.max(0, FRAME_MS - (Date.now() - t0)));
  }
  try {
    view = await client.nextView(
      (v) => v.session_id === start.session_id && v.phase !== 'looking' && v.phase !== 'prompt',
      3_000,
    );
  } catch {
    view = mine().at(-1) ?? view;
  }
  return { view, prompts };
}

/** Codes a loaded 2-core machine causes (frames late or missed): the puppet simply tries again. */
export const RETRY_CODES = /^FACE_(TRACK_BROKEN|STALLED|NO_SMILE|SMILE_TOO_FAST|NO_NEUTRAL|SMILED_EARLY|FROZEN)$/;
