// The kiosk's HTTP client for the settlement server: every request signed with the device
// key over method, path, body digest, a timestamp, a fresh nonce and the server it is for
// (the service's pinned key); every call bounded by a timeout; every answer either the typed
// body or a SyncError with the server's code. Plain http:// only on loopback: elsewhere the
// merchant token and every answer would cross the network in clear. Given several server
// addresses (servers of one service), a call that finds its server away or failing moves
// the next call to the next address.

import { randomBytes } from 'node:crypto';
import type { DeviceKey } from '../keys/device-key.js';
import { NONCE_HEX_LENGTH, SYNC_HTTP_TIMEOUT_MS } from '../wire/limits.js';
import {
  HEADER_KIOSK,
  HEADER_NONCE,
  HEADER_SIGNATURE,
  HEADER_BODY_SHA256,
  HEADER_TIMESTAMP,
  REQUEST_DOMAIN,
  requestMessage,
  sha256Hex,
} from '../wire/signing.js';
import type {
  EnrolRequest,
  EnrolResponse,
  RegisterResponse,
  ServerKeyAnswer,
  SignedFeedPage,
  UploadResponse,
  WireEntry,
} from '../wire/wire.js';
import { toHex } from '../protocol/hex.js';

export type SyncErrorCode =
  | 'SYNC_SERVER_UNREACHABLE'
  | 'SYNC_SERVER_REFUSED'
  | 'SYNC_SERVER_FAILED'
  | 'SYNC_BAD_RECEIPT'
  | 'SYNC_BAD_FEED'
  | 'SYNC_FORK_DETECTED'
  | 'SYNC_NOT_REGISTERED'
  | 'SYNC_INSECURE_URL'
  | 'SYNC_SERVER_KEY_UNPINNED'
  | 'SYNC_SERVER_KEY_MISMATCH';

export class SyncError extends Error {
  readonly code: SyncErrorCode;
  /** The HTTP status and the server's own code, when the server answered. */
  readonly status: number | undefined;
  readonly serverCode: string | undefined;

  constructor(code: SyncErrorCode, message: string, status?: number, serverCode?: string) {
    super(message);
    this.name = 'SyncError';
    this.code = code;
    this.status = status;
    this.serverCode = serverCode;
  }

  /** Worth retrying later: the server was away or failed, not a refusal of what we sent. */
  get retryable(): boolean {
    return this.code === 'SYNC_SERVER_UNREACHABLE' || this.code === 'SYNC_SERVER_FAILED';
  }
}

export interface HttpOptions {
  /** The server's address, or the addresses of several servers of one service (tried in turn). */
  baseUrl: string | readonly string[];
  kioskId: string;
  key: DeviceKey;
  /** The service's key (hex) that requests are signed for; undefined before it is pinned. */
  serverId: () => string | undefined;
  timeoutMs?: number;
  now?: () => number;
}

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Why a settlement server address is not safe to use, or null: https, or http on loopback only. */
export function insecureUrlProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `${JSON.stringify(url)} is not a URL`;
  }
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && LOOPBACK_HOSTS.test(u.hostname)) return null;
  if (u.protocol === 'http:')
    return `${u.origin}: plain http beyond loopback would send the merchant token and every answer in clear; use https`;
  return `${u.origin}: expected an https:// address`;
}

/** The signed headers of one request, for the server whose key is `serverId`. */
export function signRequest(
  key: DeviceKey,
  kioskId: string,
  serverId: string,
  method: string,
  path: string,
  body: Uint8Array,
  timestampMs: number,
  nonce?: string,
): Record<string, string> {
  const n = nonce ?? toHex(randomBytes(NONCE_HEX_LENGTH / 2));
  const bodySha256 = sha256Hex(body);
  const message = requestMessage({
    method,
    path,
    body_sha256: bodySha256,
    timestamp_ms: timestampMs,
    nonce: n,
    kiosk_id: kioskId,
    server_id: serverId,
  });
  return {
    [HEADER_KIOSK]: kioskId,
    [HEADER_TIMESTAMP]: String(timestampMs),
    [HEADER_NONCE]: n,
    [HEADER_BODY_SHA256]: bodySha256,
    [HEADER_SIGNATURE]: toHex(key.signWithDomain(REQUEST_DOMAIN, message)),
  };
}

export class SettleHttp {
  private readonly bases: string[];
  /** The address the next call goes to. */
  private current = 0;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: HttpOptions) {
    const urls = typeof options.baseUrl === 'string' ? [options.baseUrl] : [...options.baseUrl];
    if (urls.length === 0) throw new RangeError('SettleHttp: expected at least one server address');
    for (const url of urls) {
      const problem = insecureUrlProblem(url);
      if (problem !== null) throw new SyncError('SYNC_INSECURE_URL', `settlement server ${problem}`);
    }
    this.bases = urls.map((u) => u.replace(/\/+$/, ''));
    this.timeoutMs = options.timeoutMs ?? SYNC_HTTP_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
  }

  /** The address the next call goes to. */
  get baseUrl(): string {
    return this.bases[this.current]!;
  }

  async request<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    serverId: string | null | undefined = this.options.serverId(),
  ): Promise<T> {
    const bytes = body === undefined ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(body));
    if (serverId === undefined)
      throw new SyncError('SYNC_NOT_REGISTERED', `${method} ${path}: no pinned server key to sign the request for`);
    const signed =
      serverId === null
        ? {}
        : signRequest(this.options.key, this.options.kioskId, serverId, method, path, bytes, this.now());
    const base = this.baseUrl;
    try {
      return await this.send<T>(base, method, path, body, bytes, { ...signed, ...headers });
    } catch (err) {
      // The server is away or failing: the next call (the worker's retry) goes to the next one.
      if (err instanceof SyncError && err.retryable) this.current = (this.current + 1) % this.bases.length;
      throw err;
    }
  }

  private async send<T>(
    base: string,
    method: string,
    path: string,
    body: unknown,
    bytes: Uint8Array,
    headers: Record<string, string>,
  ): Promise<T> {
    let res: Response;
    try {
      res = await fetch(base + path, {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : bytes,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const why = cause === undefined ? '' : ` (${cause.code ?? cause.message ?? String(cause)})`;
      throw new SyncError(
        'SYNC_SERVER_UNREACHABLE',
        `${method} ${path}: the settlement server did not answer: ${(err as Error).message}${why}`,
      );
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new SyncError(
        'SYNC_SERVER_UNREACHABLE',
        `${method} ${path}: the answer was cut off: ${(err as Error).message}`,
      );
    }
    if (res.ok) {
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new SyncError('SYNC_SERVER_FAILED', `${method} ${path}: ${res.status} with a body that is not JSON`);
      }
    }
    let code = 'UNKNOWN';
    let message = text.slice(0, 300);
    try {
      const e = (JSON.parse(text) as { error: { code: string; message: string } }).error;
      code = e.code;
      message = e.message;
    } catch {
      // not our error body: a proxy, or a server that died mid-answer
    }
    const kind: SyncErrorCode =
      res.status >= 500
        ? 'SYNC_SERVER_FAILED'
        : code === 'SETTLE_FORK_DETECTED'
          ? 'SYNC_FORK_DETECTED'
          : 'SYNC_SERVER_REFUSED';
    throw new SyncError(kind, `${method} ${path}: ${res.status} ${code}: ${message}`, res.status, code);
  }

  /** The server's keys as it states them (unsigned: the caller checks them against its pin). */
  serverKey(): Promise<ServerKeyAnswer> {
    return this.request('GET', '/v1/server-key', undefined, {}, null);
  }

  /** Registers, signed for the server whose key is `serverKeyHex` (checked against the pin before). */
  register(merchantToken: string, boxPublicKeyHex: string, serverKeyHex: string): Promise<RegisterResponse> {
    return this.request(
      'POST',
      '/v1/kiosks',
      { kiosk_id: this.options.kioskId, public_key: this.options.key.publicKeyHex, box_public_key: boxPublicKeyHex },
      { authorization: `Bearer ${merchantToken}` },
      serverKeyHex,
    );
  }

  upload(entries: WireEntry[]): Promise<UploadResponse> {
    return this.request('POST', '/v1/entries', { entries });
  }

  feed(after: number, limit: number): Promise<SignedFeedPage> {
    return this.request('GET', `/v1/feed?after=${after}&limit=${limit}`);
  }

  enrol(body: EnrolRequest): Promise<EnrolResponse> {
    return this.request('POST', '/v1/customers', body);
  }

  deleteCustomer(customerId: string, reason: string): Promise<{ customer_id: string; deleted_at_ms: number }> {
    return this.request('POST', `/v1/customers/${encodeURIComponent(customerId)}/deletion`, { reason });
  }
}
