// A man in the middle on loopback, for the attack tests: an HTTP server that forwards every
// request to a target server, records what passed (method, path, headers, body bytes), and
// may rewrite the answer on its way back, as an attacker on the network path could.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface Proxy {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

/** Headers that belong to one hop, not to the request. */
const HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function startProxy(
  target: string,
  rewrite?: (req: Recorded, status: number, body: Buffer) => Buffer,
): Promise<Proxy> {
  const requests: Recorded[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const body = await readBody(req);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !HOP.has(k)) headers[k] = v;
      const rec: Recorded = { method: req.method!, path: req.url!, headers, body };
      requests.push(rec);
      try {
        const answer = await send(target, rec);
        const out = rewrite === undefined ? answer.body : rewrite(rec, answer.status, answer.body);
        res.writeHead(answer.status, { 'content-type': answer.contentType });
        res.end(out);
      } catch (err) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`proxy: ${(err as Error).message}`);
      }
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends a recorded request (again) to `target`, byte for byte: what a replay does. */
export async function send(
  target: string,
  rec: Recorded,
): Promise<{ status: number; contentType: string; body: Buffer; json: () => unknown }> {
  const res = await fetch(target.replace(/\/+$/, '') + rec.path, {
    method: rec.method,
    headers: rec.headers,
    body: rec.method === 'GET' || rec.method === 'HEAD' ? undefined : rec.body,
  });
  const body = Buffer.from(await res.arrayBuffer());
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? 'application/octet-stream',
    body,
    json: () => JSON.parse(body.toString('utf8')) as unknown,
  };
}
