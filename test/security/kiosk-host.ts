// What the attack tests under test/security share: a real kiosk host on loopback (real SQLite
// files in a temporary folder, the real HTTP + WebSocket transport), and a raw HTTP client
// that can speak from any loopback address (127.0.0.0/8 is all loopback on Linux, so each
// address is a different "client" to the kiosk) and over TLS with a pinned certificate.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { TestContext } from 'node:test';
import type { PeerCertificate } from 'node:tls';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { loadConfig, type KioskConfig } from '../../electron/config.js';
import { createLogger } from '../../electron/log.js';
import { openKiosk, type Kiosk, type KioskOptions } from '../../electron/host/kiosk.js';
import { api, HTTP_API_PREFIX, WS_PATH, type ApiResult, type CallName } from '../../electron/contract/api.js';
import { pairWithLink } from '../helpers/kiosk-client.js';
import { tempDir } from '../helpers/tmp.js';

export interface HostKiosk {
  kiosk: Kiosk;
  url: string;
  dir: string;
  config: KioskConfig;
}

/** A kiosk on a free loopback port, closed when the test ends. `env` is the configuration's
 * environment (SMILE_*), `options` anything else openKiosk takes. */
export async function openHostKiosk(
  t: TestContext | { after: (fn: () => void | Promise<void>) => void },
  o: { env?: Record<string, string>; options?: Partial<KioskOptions>; dir?: string } = {},
): Promise<HostKiosk> {
  const dir = o.dir ?? tempDir(t as TestContext, 'smile-sec-');
  const config = loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0', ...o.env } });
  const kiosk = await openKiosk({
    config,
    log: createLogger({ level: process.env.SMILE_TEST_LOG ?? 'silent' }),
    demo: false,
    ...o.options,
  });
  t.after(() => kiosk.close());
  return { kiosk, url: kiosk.http!.url, dir, config };
}

/** A paired customer screen's device token cookie (its one-time link spent, as a newcomer's
 * screen does): the customer's calls and camera frames need one (pairing/access.ts). */
export async function pairScreen(h: HostKiosk): Promise<string> {
  return pairWithLink(h.kiosk.pairingLink());
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface RawOptions {
  /** The loopback address the request comes from (a different client to the kiosk). */
  localAddress?: string;
  headers?: Record<string, string>;
  method?: string;
  /** TLS: the certificate to trust (PEM), or a check of the server's certificate. */
  ca?: string;
  checkServerIdentity?: (host: string, cert: PeerCertificate) => Error | undefined;
  servername?: string;
  timeoutMs?: number;
  /** A paired screen's device token cookie (pairScreen). */
  cookie?: string;
}

/** One HTTP(S) request with a raw body (a string is sent as it is; anything else as JSON). */
export function raw(url: string, body: unknown, o: RawOptions = {}): Promise<RawAnswer> {
  const u = new URL(url);
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const isTls = u.protocol === 'https:';
  const send = isTls ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: o.method ?? (payload === undefined ? 'GET' : 'POST'),
        headers: {
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...(o.cookie ? { cookie: o.cookie } : {}),
          ...o.headers,
        },
        ...(o.localAddress ? { localAddress: o.localAddress } : {}),
        ...(isTls
          ? {
              ...(o.ca ? { ca: o.ca } : {}),
              ...(o.checkServerIdentity ? { checkServerIdentity: o.checkServerIdentity } : {}),
              ...(o.servername ? { servername: o.servername } : {}),
            }
          : {}),
        timeout: o.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** A call over POST /api/call/<channel>, as a script or another device would make it. */
export async function call<T = unknown>(
  baseUrl: string,
  name: CallName,
  body: unknown,
  o: RawOptions = {},
): Promise<ApiResult<T>> {
  const r = await raw(`${baseUrl}${HTTP_API_PREFIX}${api[name].channel}`, body, o);
  if (r.json === undefined) throw new Error(`${name}: HTTP ${r.status}, not JSON: ${r.text.slice(0, 200)}`);
  return r.json as ApiResult<T>;
}

export const codeOf = (r: ApiResult<unknown>): string => (r.ok ? 'ok' : r.error.code);

/** The n-th client address on loopback (127.0.1.1, 127.0.1.2, ...): every one reaches a kiosk on 127.0.0.1. */
export const clientAddress = (n: number): string => `127.0.${1 + Math.floor(n / 250)}.${1 + (n % 250)}`;

/** Rows of a table in a SQLite file, read on its own connection (what is on disk). */
export function rowCount(path: string, table: string): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(`SELECT count(*) FROM "${table.replace(/"/g, '')}"`)
      .pluck()
      .get() as number;
  } finally {
    db.close();
  }
}

/** A WebSocket client of the kiosk from a given loopback address: its calls, and the order pushes it got. */
export interface RawSocket {
  ws: WebSocket;
  pushes: unknown[];
  call<T = unknown>(name: CallName, request: unknown): Promise<ApiResult<T>>;
  close(): void;
}

export function openSocket(
  baseUrl: string,
  o: { localAddress?: string; origin?: string; cookie?: string } = {},
): Promise<RawSocket> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${WS_PATH}`, {
    headers: { origin: o.origin ?? baseUrl, ...(o.cookie ? { cookie: o.cookie } : {}) },
    ...(o.localAddress ? { localAddress: o.localAddress } : {}),
  });
  const pushes: unknown[] = [];
  const waiting = new Map<number, (r: ApiResult<unknown>) => void>();
  let next = 1;
  ws.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString('utf8')) as { id?: number; result?: ApiResult<unknown>; push?: string };
    if (msg.push !== undefined) pushes.push(msg);
    else if (msg.id !== undefined) waiting.get(msg.id)?.(msg.result!);
  });
  const socket: RawSocket = {
    ws,
    pushes,
    call: <T>(name: CallName, request: unknown) => {
      const id = next++;
      ws.send(JSON.stringify({ id, channel: api[name].channel, request }));
      return new Promise<ApiResult<T>>((resolve) => waiting.set(id, resolve as (r: ApiResult<unknown>) => void));
    },
    close: () => ws.close(),
  };
  // A socket the kiosk refuses a seat is closed right after it opens (code 1013): wait a moment.
  return new Promise((resolve, reject) => {
    ws.once('open', () => setTimeout(() => resolve(socket), 100));
    ws.once('error', reject);
    ws.once('close', (code, why) => reject(new Error(`closed with ${code}: ${why.toString()}`)));
  });
}
