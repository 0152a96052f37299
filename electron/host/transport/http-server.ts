// Browser mode's transport: HTTP + WebSocket over the same routes as IPC (one handler per call). It serves the built
// renderer, the verified model files and TensorFlow.js's .wasm files, and the API: a WebSocket
// at /api/ws (the renderer's client: one socket, many calls, camera-rate observations) and
// POST /api/call/<channel> (the same calls, for scripts and tests). Binds to loopback unless
// configured otherwise; beyond loopback (LAN mode) only over TLS with the kiosk's own
// certificate and an allow-list of host names. Against other web pages in the same browser (and
// DNS rebinding), the Host header must be one of this kiosk's names and a WebSocket's Origin one
// of its origins (origin-policy.ts).
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
  REQUEST_BYTES_MAX,
  WS_IN_FLIGHT_MAX,
  WS_PATH,
  WsRequest,
  type ApiResult,
  type OrderEvent,
  type WsPush,
  type WsResponse,
} from '../../contract/api.js';
import { WS_CLIENTS_MAX, WS_PUSH_BUFFERED_BYTES_MAX } from '../../contract/constants.js';
import { MODELS_DIR } from '../../../native/models.node.js';
import { dispatch } from './dispatch.js';
import { ClientGuard, type SocketClient } from './client-limits.js';
import { hostAllowed, lanProblem, LOOPBACK_NAMES, originAllowed, originPolicy } from './origin-policy.js';
import type { Routes } from './routes.js';

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
  log: Logger;
  rendererDir?: string;
  /** LAN mode: the kiosk's certificate chain and key (tls-cert.ts), and its authority's PEM,
   * served at /tls/kiosk-ca.pem for staff devices to install (and check its fingerprint). */
  tls?: { cert: string; key: string; caCert: string };
  /** The names staff devices use beyond loopback (http.allowed_hosts). */
  allowedHosts?: readonly string[];
  /** Whether a staff token is signed in now (without keeping it so): order pushes go to the
   * kiosk's own machine and to signed-in staff screens only (client-limits.ts). */
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

  await app.register(fastifyWebsocket, { options: { maxPayload: REQUEST_BYTES_MAX } });
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
  // Server push: every order change goes to the screens that may see orders (the board, the
  // customer screen). A socket too slow to take its pushes is closed rather than buffered without bound.
  const sockets = new Set<WebSocket>();
  const unsubscribe = o.onOrderChanged((event) => {
    const frame = JSON.stringify({ push: PUSH_ORDER_CHANGED, event } satisfies WsPush);
    for (const s of sockets) {
      const client = clients.get(s);
      if (s.readyState !== s.OPEN || !client || !guard.pushAllowed(client)) continue;
      if (s.bufferedAmount > WS_PUSH_BUFFERED_BYTES_MAX) {
        s.close(1013, 'too slow for the order pushes; reconnect');
        continue;
      }
      s.send(frame);
    }
  });
  app.addHook('onClose', async () => {
    unsubscribe();
  });

  // The Origin is checked before the upgrade: a foreign page never gets a socket.
  app.get(WS_PATH, { websocket: true, preValidation: refuseForeign }, (socket, req) => {
    const client = guard.admit(req.socket.remoteAddress);
    if ('refused' in client) {
      socket.close(1013, client.refused.slice(0, 120));
      return;
    }
    clients.set(socket, client);
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      guard.release(client);
    });
    let inFlight = 0;
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      const reply = (r: WsResponse): void => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(r));
      };
      let msg: WsRequest;
      try {
        if (isBinary) throw new Error('binary frames are not part of the protocol');
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
      const limited = guard.refusal(client.address, CALL_BY_CHANNEL.get(msg.channel));
      if (limited) return reply({ id: msg.id, result: refused(limited) });
      guard.note(client, msg.request);
      inFlight++;
      void dispatch(o.routes, o.log, msg.channel, msg.request).then((result) => {
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
    const limited = guard.refusal(req.socket.remoteAddress, CALL_BY_CHANNEL.get(req.params.channel));
    if (limited) return reply.code(429).send(refused(limited));
    return dispatch(o.routes, o.log, req.params.channel, req.body);
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
