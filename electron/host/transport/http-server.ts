// Browser mode's transport: HTTP + WebSocket over the same routes as IPC (one handler per call,
// routes.ts). It serves the built renderer, the verified model files and TensorFlow.js's .wasm
// files, and the API: a WebSocket at /api/ws (the renderer's client: one socket, many calls,
// and the customer screen's camera frames as binary messages, frames.ts) and POST
// /api/call/<channel> (the same calls, for scripts and tests). Each connection's caller is the
// paired screen its device token cookie names (pairing.ts), or nobody: unpaired callers get
// the status page's calls only (access.ts). GET /pair/<secret> spends a one-time pairing link
// and POST /api/pair/claim collects a manager-approved pairing, both by setting that cookie
// (HttpOnly: the page's script never holds the token). Per client, calls and frames are
// bounded (client-limits.ts). Binds to loopback unless configured otherwise; beyond loopback
// (LAN mode) only over TLS with the kiosk's own certificate and an allow-list of host names.
// Against other web pages in the same browser (and DNS rebinding), the Host header must be one
// of this kiosk's names and an Origin one of its origins (origin-policy.ts).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import {
  CALL_BY_CHANNEL,
  HTTP_API_PREFIX,
  PUSH_ORDER_CHANGED,
  PUSH_MENU_CHANGED,
  type MenuEvent,
  REQUEST_BYTES_MAX,
  WS_IN_FLIGHT_MAX,
  WS_PATH,
  WsRequest,
  type ApiResult,
  type OrderEvent,
  type WsPush,
  type WsResponse,
} from '../../contract/api.js';
import {
  PAIR_CLAIM_PATH,
  PAIR_LINK_PATH,
  PUSH_FRAME_REFUSED,
  PUSH_SESSION,
  SCREEN_COOKIE,
  WS_CLIENTS_MAX,
  WS_PUSH_BUFFERED_BYTES_MAX,
} from '../../contract/constants.js';
import { FRAME_MESSAGE_BYTES_MAX } from '../../contract/frames.js';
import { MODELS_DIR } from '../../../native/models.node.js';
import { dispatch } from './dispatch.js';
import { ClientGuard, type SocketClient } from './client-limits.js';
import { hostAllowed, lanProblem, LOOPBACK_NAMES, originAllowed, originPolicy } from './origin-policy.js';
import type { Routes } from './routes.js';
import type { CustomerSessions } from '../payment/sessions.js';
import { NOBODY, type Caller } from '../pairing/access.js';
import { PairingError, type PairingDesk } from '../pairing/pairing.js';
import { ScreenClock } from '../payment/frame-clock.js';
import { customerEvent } from '../orders/order-view.js';

/** The device token cookie lasts as long as the pairing (revocation ends it, not time). */
const SCREEN_COOKIE_MAX_AGE_S = 10 * 365 * 24 * 3600;
/** A revoked screen's socket is sent the close frame, and cut this long after if its client has
 * not answered it (the ws library would otherwise wait 30 s). */
const REVOKED_CLOSE_GRACE_MS = 1_000;
/** A pairing's label from the browser's User-Agent, at most this long. */
const LABEL_FROM_AGENT_MAX = 60;

export const RENDERER_DIST_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'dist', 'renderer');
const require = createRequire(import.meta.url);
const WASM_DIR = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));

/** The page's Content Security Policy: our own origin only; WASM compiled, never eval. */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export interface HttpOptions {
  host: string;
  port: number;
  /** Each call's handler (routes.ts). */
  routes: Routes;
  /** Every change of every order, pushed to every screen; returns the unsubscribe. */
  onOrderChanged: (listener: (e: OrderEvent) => void) => () => void;
  /** Every change of the menu (an edit, an 86), pushed to every screen: the menu is public. */
  onMenuChanged?: (listener: (e: MenuEvent) => void) => () => void;
  /** The customer's sessions: the paired screens' frames go in, their views come back out. */
  sessions: CustomerSessions;
  pairing: PairingDesk;
  log: Logger;
  rendererDir?: string;
  /** LAN mode: the kiosk's certificate chain and key (tls-cert.ts), and its authority's PEM,
   * served at /tls/kiosk-ca.pem for staff devices to install (and check its fingerprint). */
  tls?: { cert: string; key: string; caCert: string };
  /** The names staff devices use beyond loopback (http.allowed_hosts). */
  allowedHosts?: readonly string[];
  /** Whether a staff token is signed in now (without keeping it so): order pushes go to the
   * kiosk's own machine, paired customer screens and signed-in staff screens only
   * (client-limits.ts). */
  staffSignedIn?: (token: string) => boolean;
}

export interface RunningHttp {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

export async function startHttp(o: HttpOptions): Promise<RunningHttp> {
  const rendererDir = o.rendererDir ?? RENDERER_DIST_DIR;
  const allowedHosts = o.allowedHosts ?? [];
  const problem = lanProblem(o.host, o.tls !== undefined, allowedHosts);
  if (problem !== null) throw new Error(`refusing to serve browser mode: ${problem}`);
  const common = {
    logger: false,
    bodyLimit: REQUEST_BYTES_MAX,
    requestTimeout: 30_000,
    return503OnClosing: true,
    // The router's own refusals (a path it cannot decode, a parameter over its length) in the
    // contract's envelope too.
    frameworkErrors: (err: Error, _req: FastifyRequest, reply: FastifyReply) =>
      void reply.code(400).send({ ok: false, error: { code: 'API_BAD_REQUEST', message: err.message.slice(0, 200) } }),
  };
  const app = (o.tls
    ? Fastify({ ...common, https: { key: o.tls.key, cert: o.tls.cert } })
    : Fastify(common)) as unknown as FastifyInstance;
  // Whatever Fastify refuses before a call is dispatched (a body that is not JSON, too large, of
  // another type, a prototype key, a broken path) is answered in the contract's envelope, and
  // anything that fails inside is API_INTERNAL without its internals (the log has them).
  app.setErrorHandler(async (err: { statusCode?: number; message?: string }, req, reply) => {
    const status =
      typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) o.log.error({ err, url: req.url.slice(0, 200) }, 'HTTP request failed');
    const code = status === 413 ? 'API_TOO_LARGE' : status === 500 ? 'API_INTERNAL' : 'API_BAD_REQUEST';
    const message =
      status === 500 ? 'internal error; the details are in the kiosk log' : (err.message ?? '').slice(0, 200);
    return reply.code(status).send({ ok: false, error: { code, message } });
  });
  const policy = originPolicy({ tls: o.tls !== undefined, port: o.port, allowedHosts });
  /** A browser's request from one of this kiosk's own pages (never compared with its own Host). */
  const sameOrigin = (req: FastifyRequest): boolean => originAllowed(req.headers.origin, policy);

  // DNS rebinding: a page from elsewhere that resolves its name to the kiosk still sends its own
  // name in Host. Only this kiosk's names are served, loopback's and http.allowed_hosts.
  app.addHook('onRequest', async (req, reply) => {
    if (!hostAllowed(req.headers.host, policy)) {
      const host = req.headers.host ?? '';
      await reply.code(421).send({
        error: { code: 'API_SENDER_REFUSED', message: `Host ${JSON.stringify(host.slice(0, 80))} is not this kiosk` },
      });
    }
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('content-security-policy', contentSecurityPolicy());
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(self), microphone=(), geolocation=()');
    if (o.tls) reply.header('strict-transport-security', 'max-age=31536000');
    return payload;
  });

  // Binary frames are the largest messages; a text message is held to REQUEST_BYTES_MAX below.
  await app.register(fastifyWebsocket, {
    options: { maxPayload: Math.max(REQUEST_BYTES_MAX, FRAME_MESSAGE_BYTES_MAX) },
  });
  const callerOf = (req: FastifyRequest): Caller => {
    const screen = o.pairing.authenticate(cookie(req, SCREEN_COOKIE));
    return screen ? { screen: { ...screen, clock: new ScreenClock() } } : NOBODY;
  };
  const refuseForeign = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!sameOrigin(req))
      await reply
        .code(403)
        .send({ ok: false, error: { code: 'API_SENDER_REFUSED', message: 'cross-origin calls are refused' } });
  };
  // Per client: call rates, socket seats, and who gets the order pushes (client-limits.ts).
  const guard = new ClientGuard({
    wsClientsMax: WS_CLIENTS_MAX,
    ...(o.staffSignedIn ? { staffSignedIn: o.staffSignedIn } : {}),
  });
  const clients = new WeakMap<WebSocket, SocketClient>();
  const refused = (r: { code: string; message: string; retry_after_ms?: number }): ApiResult<never> => ({
    ok: false,
    error: {
      code: r.code,
      message: r.message,
      ...(r.retry_after_ms !== undefined ? { details: { retry_after_ms: r.retry_after_ms } } : {}),
    },
  });
  // Server push: every order change goes to the screens that may see orders (the board, staff,
  // the paired customer screens). A socket too slow to take its pushes is closed rather than
  // buffered without bound.
  const sockets = new Set<WebSocket>();
  // The customer screens' sockets by screen: their sessions' pushes go to them only.
  const screenSockets = new Map<string, Set<WebSocket>>();
  const unsubscribeSessions = o.sessions.onPush((screenId, push) => {
    const frame = JSON.stringify(
      ('view' in push
        ? { push: PUSH_SESSION, event: push.view }
        : { push: PUSH_FRAME_REFUSED, event: push.frame_refused }) satisfies WsPush,
    );
    for (const s of screenSockets.get(screenId) ?? []) {
      // A view is superseded by the next: a socket that cannot take it now misses this one only.
      if (s.readyState === s.OPEN && s.bufferedAmount <= WS_PUSH_BUFFERED_BYTES_MAX) s.send(frame);
    }
  });
  const unsubscribeRevoked = o.pairing.onRevoked((screenId) => {
    for (const s of screenSockets.get(screenId) ?? []) {
      s.close(4001, 'this screen is no longer paired');
      setTimeout(() => s.terminate(), REVOKED_CLOSE_GRACE_MS).unref();
    }
  });
  const unsubscribe = o.onOrderChanged((event) => {
    // A staff screen's socket gets the order in full; the customer screen's, without who
    // approved its discounts and why (order-view.ts).
    const staffFrame = JSON.stringify({ push: PUSH_ORDER_CHANGED, event } satisfies WsPush);
    const customerFrame = JSON.stringify({ push: PUSH_ORDER_CHANGED, event: customerEvent(event) } satisfies WsPush);
    for (const s of sockets) {
      const client = clients.get(s);
      if (s.readyState !== s.OPEN || !client || !guard.pushAllowed(client)) continue;
      const frame = guard.isStaff(client) ? staffFrame : customerFrame;
      if (s.bufferedAmount > WS_PUSH_BUFFERED_BYTES_MAX) {
        s.close(1013, 'too slow for the order pushes; reconnect');
        continue;
      }
      s.send(frame);
    }
  });
  // The menu is public (the `menu` call needs no sign-in): its pushes go to every socket.
  const unsubscribeMenu = o.onMenuChanged?.((event) => {
    const frame = JSON.stringify({ push: PUSH_MENU_CHANGED, event } satisfies WsPush);
    for (const s of sockets)
      if (s.readyState === s.OPEN && s.bufferedAmount <= WS_PUSH_BUFFERED_BYTES_MAX) s.send(frame);
  });
  app.addHook('onClose', async () => {
    unsubscribe();
    unsubscribeMenu?.();
    unsubscribeSessions();
    unsubscribeRevoked();
  });

  // The Origin is checked before the upgrade: a foreign page never gets a socket.
  app.get(WS_PATH, { websocket: true, preValidation: refuseForeign }, (socket, req) => {
    // The caller is fixed for the socket's life; a revocation closes it (above).
    const caller = callerOf(req);
    const screen = caller.screen;
    const client = guard.admit(req.socket.remoteAddress, screen?.screen_id ?? null);
    if ('refused' in client) {
      socket.close(1013, client.refused.slice(0, 120));
      return;
    }
    clients.set(socket, client);
    sockets.add(socket);
    if (screen) {
      let set = screenSockets.get(screen.screen_id);
      if (!set) screenSockets.set(screen.screen_id, (set = new Set()));
      set.add(socket);
    }
    socket.on('close', () => {
      sockets.delete(socket);
      guard.release(client);
      if (screen) screenSockets.get(screen.screen_id)?.delete(socket);
    });
    let inFlight = 0;
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      // Once closing (a revocation, the kiosk closing), the socket's caller no longer stands: a
      // client that never answers the close frame must not keep calling as the screen it was.
      if (socket.readyState !== socket.OPEN) return;
      const reply = (r: WsResponse): void => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(r));
      };
      if (isBinary) {
        // A camera frame: only a paired customer screen sends them (and only to its sessions).
        const receivedAtMs = Date.now();
        const refuseFrame = (code: string, message: string): void => {
          const refusal = { seq: null, code, message };
          if (socket.readyState === socket.OPEN)
            socket.send(JSON.stringify({ push: PUSH_FRAME_REFUSED, event: refusal } satisfies WsPush));
        };
        if (!screen) return refuseFrame('SCREEN_NOT_PAIRED', 'only a paired customer screen sends frames');
        // At camera rate, per screen, before the frame is parsed or queued (client-limits.ts).
        const limited = guard.frameRefusal(client);
        if (limited) return refuseFrame(limited.code, limited.message);
        o.sessions.frame(screen, new Uint8Array(data.buffer, data.byteOffset, data.byteLength), receivedAtMs);
        return;
      }
      let msg: WsRequest;
      try {
        if (data.length > REQUEST_BYTES_MAX) throw new Error(`${data.length} bytes, more than ${REQUEST_BYTES_MAX}`);
        msg = WsRequest.parse(JSON.parse(data.toString('utf8')));
      } catch (err) {
        reply({
          id: -1,
          result: {
            ok: false,
            error: { code: 'API_BAD_REQUEST', message: `not a request: ${(err as Error).message.slice(0, 200)}` },
          },
        });
        return;
      }
      if (inFlight >= WS_IN_FLIGHT_MAX) {
        reply({
          id: msg.id,
          result: {
            ok: false,
            error: { code: 'API_TOO_LARGE', message: `more than ${WS_IN_FLIGHT_MAX} calls in flight on this socket` },
          },
        });
        return;
      }
      const limited = guard.refusal(client.address, CALL_BY_CHANNEL.get(msg.channel), client.screenId);
      if (limited) return reply({ id: msg.id, result: refused(limited) });
      guard.note(client, msg.request);
      inFlight++;
      void dispatch(o.routes, o.log, msg.channel, msg.request, caller).then((result) => {
        inFlight--;
        reply({ id: msg.id, result });
      });
    });
  });

  app.post<{ Params: { channel: string } }>(`${HTTP_API_PREFIX}:channel`, async (req, reply) => {
    const origin = req.headers.origin;
    if (origin !== undefined && !sameOrigin(req))
      return reply
        .code(403)
        .send({ ok: false, error: { code: 'API_SENDER_REFUSED', message: 'cross-origin calls are refused' } });
    const caller = callerOf(req);
    const limited = guard.refusal(
      req.socket.remoteAddress,
      CALL_BY_CHANNEL.get(req.params.channel),
      caller.screen?.screen_id ?? null,
    );
    if (limited) return reply.code(429).send(refused(limited));
    return dispatch(o.routes, o.log, req.params.channel, req.body, caller);
  });

  // Pairing: the one-time link printed at start, and the claim of a manager-approved code.
  const setScreenCookie = (reply: FastifyReply, token: string): void => {
    reply.header(
      'set-cookie',
      `${SCREEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SCREEN_COOKIE_MAX_AGE_S}`,
    );
  };
  const labelOf = (req: FastifyRequest): string =>
    `browser ${(req.headers['user-agent'] ?? 'unknown').replace(/[^\x20-\x7e]/g, '').slice(0, LABEL_FROM_AGENT_MAX - 8)}`;
  app.get<{ Params: { secret: string } }>(`${PAIR_LINK_PATH}:secret`, async (req, reply) => {
    // A link's secret is guessed at a person's pace at most.
    const limited = guard.classRefusal(req.socket.remoteAddress, 'guess');
    if (limited) return reply.code(429).send(refused(limited));
    try {
      const paired = o.pairing.redeemLink(req.params.secret, labelOf(req));
      setScreenCookie(reply, paired.token);
      return reply.redirect('/', 303);
    } catch (err) {
      if (!(err instanceof PairingError)) throw err;
      return reply
        .code(403)
        .type('text/plain')
        .send(`${err.message}. A manager pairs this screen from a staff screen (Staff > Screens).\n`);
    }
  });
  app.post<{ Body: { request_id?: unknown } }>(PAIR_CLAIM_PATH, async (req, reply) => {
    if (!sameOrigin(req))
      return reply
        .code(403)
        .send({ ok: false, error: { code: 'API_SENDER_REFUSED', message: 'cross-origin calls are refused' } });
    // A screen waiting for its approval polls like a status page (PairScreen: every 2 s).
    const limited = guard.classRefusal(req.socket.remoteAddress, 'status');
    if (limited) return reply.code(429).send(refused(limited));
    const id = req.body?.request_id;
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(id))
      return reply
        .code(400)
        .send({ ok: false, error: { code: 'API_BAD_REQUEST', message: 'request_id: a pairing request id' } });
    try {
      const r = o.pairing.claim(id);
      if ('pending' in r) return reply.code(202).send({ ok: true, value: { paired: false } });
      setScreenCookie(reply, r.token);
      return reply.send({ ok: true, value: { paired: true, screen_id: r.screen.screen_id } });
    } catch (err) {
      if (!(err instanceof PairingError)) throw err;
      return reply.code(404).send({ ok: false, error: { code: err.code, message: err.message } });
    }
  });

  await app.register(fastifyStatic, {
    root: join(MODELS_DIR, 'weights'),
    prefix: '/models/weights/',
    decorateReply: false,
    index: false,
  });
  app.get('/models/manifest.json', (_req, reply) =>
    reply.type('application/json').send(require('../../../models/manifest.json') as object),
  );
  await app.register(fastifyStatic, {
    root: WASM_DIR,
    prefix: '/wasm/',
    decorateReply: false,
    index: false,
    allowedPath: (p) => p.endsWith('.wasm'),
  });
  if (existsSync(rendererDir)) {
    await app.register(fastifyStatic, { root: rendererDir, prefix: '/', decorateReply: false });
  } else {
    app.get('/', (_req, reply) =>
      reply.type('text/plain').send(`The screens are not built: run "npm run build:renderer" (vite) and reload.\n`),
    );
  }

  if (o.tls) {
    const caCert = o.tls.caCert;
    app.get('/tls/kiosk-ca.pem', (_req, reply) => reply.type('application/x-pem-file').send(caCert));
  }

  const address = await app.listen({ host: o.host, port: o.port });
  policy.port = Number(new URL(address).port);
  const loopbackOnly = LOOPBACK_NAMES.has(o.host.toLowerCase());
  const url = `${policy.scheme}://${loopbackOnly ? '127.0.0.1' : hostForUrl(allowedHosts[0]!)}:${policy.port}`;
  return { app, url, close: () => app.close() };
}

const hostForUrl = (h: string): string => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h);

/** One cookie's value from the Cookie header, or undefined. */
function cookie(req: FastifyRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
