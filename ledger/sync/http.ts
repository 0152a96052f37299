// The kiosk's HTTP client for the settlement server: every request signed with the device
// key over method, path, body digest, a timestamp and a fresh nonce; every call bounded by
// a timeout; every answer either the typed body or a SyncError with the server's code.

import { randomBytes } from 'node:crypto';
import type { DeviceKey } from '../keys/device-key.js';
import { NONCE_HEX_LENGTH, SYNC_HTTP_TIMEOUT_MS } from '../wire/limits.js';
import {
  HEADER_KIOSK,
  HEADER_NONCE,
  HEADER_SIGNATURE,
  HEADER_TIMESTAMP,
  REQUEST_DOMAIN,
  requestMessage,
  sha256Hex,
} from '../wire/signing.js';
import type {
  EnrolRequest,
  EnrolResponse,
  RegisterResponse,
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
  | 'SYNC_NOT_REGISTERED';

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
  baseUrl: string;
  kioskId: string;
  key: DeviceKey;
  timeoutMs?: number;
  now?: () => number;
}

/** The signed headers of one request. */
export function signRequest(
  key: DeviceKey,
  kioskId: string,
  method: string,
  path: string,
  body: Uint8Array,
  timestampMs: number,
  nonce?: string,
): Record<string, string> {
  const n = nonce ?? toHex(randomBytes(NONCE_HEX_LENGTH / 2));
  const message = requestMessage({
    method,
    path,
    body_sha256: sha256Hex(body),
    timestamp_ms: timestampMs,
    nonce: n,
    kiosk_id: kioskId,
  });
  return {
    [HEADER_KIOSK]: kioskId,
    [HEADER_TIMESTAMP]: String(timestampMs),
    [HEADER_NONCE]: n,
    [HEADER_SIGNATURE]: toHex(key.signWithDomain(REQUEST_DOMAIN, message)),
  };
}

export class SettleHttp {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: HttpOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? SYNC_HTTP_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
  }

  async request<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const bytes = body === undefined ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(body));
    const signed = signRequest(this.options.key, this.options.kioskId, method, path, bytes, this.now());
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: { ...signed, ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : bytes,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new SyncError(
        'SYNC_SERVER_UNREACHABLE',
        `${method} ${path}: the settlement server did not answer: ${(err as Error).message}`,
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
    if (res.ok) return JSON.parse(text) as T;
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

  register(merchantToken: string, boxPublicKeyHex: string): Promise<RegisterResponse> {
    return this.request(
      'POST',
      '/v1/kiosks',
      { kiosk_id: this.options.kioskId, public_key: this.options.key.publicKeyHex, box_public_key: boxPublicKeyHex },
      { authorization: `Bearer ${merchantToken}` },
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
