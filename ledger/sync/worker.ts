// The kiosk's sync worker: uploads the entries the server has not receipted, in order, in
// bounded batches; checks every receipt (the batch head signed by the pinned server key,
// the receipt's inclusion in it, its seq and entry hash) before storing it; pulls the
// signed updates feed and applies it (gallery, freezes, limits). When the server is away it
// retries with exponential backoff and full jitter; the kiosk keeps taking payments within
// its offline limits meanwhile. A refusal (a fork, a rule broken) is not retried blindly:
// it is kept as the last error for the operator, and retried at the slowest pace.
//
// The server's key is pinned, never taken on first use: from the configuration, or from the
// fingerprint the merchant token carries; registration sends the token only to a server
// that shows the pinned key, and takes its template key only signed by that key.

import type { DeviceKey } from '../keys/device-key.js';
import { assert } from '../protocol/errors.js';
import { fromHex } from '../protocol/hex.js';
import {
  FEED_ITEMS_MAX,
  SYNC_BATCH_ENTRIES_MAX,
  SYNC_RETRY_BASE_MS,
  SYNC_RETRY_CAP_MS,
  TEMPLATES_PLAIN_BYTES_MAX,
} from '../wire/limits.js';
import {
  FEED_DOMAIN,
  SERVER_BOX_KEY_DOMAIN,
  batchSignatureValid,
  boxKeyStatement,
  feedPageBytes,
  receiptInBatch,
  verifyDomain,
  wholeBatch,
} from '../wire/signing.js';
import { serverKeyFingerprint, tokenFingerprint } from '../wire/merchant-token.js';
import { open, seal } from '../wire/sealed-box.js';
import type { ConsentRecord, EnrolResponse, SignedBatch, SignedFeedPage, UploadResponse } from '../wire/wire.js';
import { canonicalize } from '../protocol/canonical.js';
import { SettleHttp, SyncError } from './http.js';
import { KioskState, type PendingEntry } from './kiosk-state.js';
import type { BoxKey } from '../keys/box-key.js';

export interface SyncWorkerOptions {
  ledgerPath: string;
  kioskId: string;
  key: DeviceKey;
  boxKey: BoxKey;
  /** The settlement server, or several servers of one service (the next is tried when one is away). */
  serverUrl: string | readonly string[];
  /** The server's Ed25519 key, pinned by configuration; else the one the merchant token's fingerprint pinned at registration. */
  serverPublicKeyHex?: string | undefined;
  batchEntriesMax?: number;
  /** Between syncs when all is well. */
  pollIntervalMs?: number;
  retryBaseMs?: number;
  retryCapMs?: number;
  httpTimeoutMs?: number;
  now?: () => number;
  random?: () => number;
}

export interface SyncReport {
  uploaded: number;
  settled: number;
  declined: number;
  feed_items: number;
}

export class SyncWorker {
  readonly state: KioskState;
  readonly http: SettleHttp;
  private readonly batchMax: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Consecutive failures, for the backoff. */
  failures = 0;
  lastError: SyncError | undefined;

  constructor(private readonly options: SyncWorkerOptions) {
    this.batchMax = options.batchEntriesMax ?? SYNC_BATCH_ENTRIES_MAX;
    assert(
      this.batchMax >= 1 && this.batchMax <= SYNC_BATCH_ENTRIES_MAX,
      `batchEntriesMax in 1..${SYNC_BATCH_ENTRIES_MAX}`,
    );
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    const http = {
      baseUrl: options.serverUrl,
      kioskId: options.kioskId,
      key: options.key,
      serverId: () => this.options.serverPublicKeyHex ?? this.state.state('server_public_key'),
      now: this.now,
    };
    // Before the ledger is opened: an address that is not safe throws here, leaving nothing open.
    this.http = new SettleHttp(
      options.httpTimeoutMs === undefined ? http : { ...http, timeoutMs: options.httpTimeoutMs },
    );
    this.state = new KioskState(options.ledgerPath);
  }

  private serverKey(): string {
    const key = this.options.serverPublicKeyHex ?? this.state.state('server_public_key');
    if (key === undefined)
      throw new SyncError(
        'SYNC_NOT_REGISTERED',
        `kiosk ${this.options.kioskId} is not registered: no server key to check receipts with`,
      );
    return key;
  }

  /**
   * Registers this kiosk with a merchant token; remembers the server's keys. The server must
   * show the pinned key (the configured one, or the one whose fingerprint the token carries)
   * before the token is sent, and its template key must be signed by that key.
   */
  async register(merchantToken: string): Promise<void> {
    const configured = this.options.serverPublicKeyHex;
    const fingerprint = tokenFingerprint(merchantToken);
    if (configured === undefined && fingerprint === null)
      throw new SyncError(
        'SYNC_SERVER_KEY_UNPINNED',
        "the merchant token carries no fingerprint of the server's key and none is configured (settlement.server_public_key): a key taken on first use could be anyone's",
      );
    const mismatch = (why: string): SyncError => new SyncError('SYNC_SERVER_KEY_MISMATCH', `registration: ${why}`);
    // What arrives is not trusted yet: not even its type.
    const short = (v: unknown): string => `${String(v).slice(0, 16)}…`;
    const shown = await this.http.serverKey();
    const pinned = configured ?? String(shown.public_key);
    if (configured !== undefined && shown.public_key !== configured)
      throw mismatch(`the server shows key ${short(shown.public_key)}, not the configured ${short(configured)}`);
    if (fingerprint !== null && (!/^[0-9a-f]{64}$/.test(pinned) || serverKeyFingerprint(pinned) !== fingerprint))
      throw mismatch(`the server's key ${short(pinned)} does not have the token's fingerprint ${fingerprint}`);
    const r = await this.http.register(merchantToken, this.options.boxKey.publicKeyHex, pinned);
    if (r.server_public_key !== pinned)
      throw mismatch(`the answer names key ${short(r.server_public_key)}, not the pinned ${short(pinned)}`);
    if (
      typeof r.server_box_public_key !== 'string' ||
      typeof r.server_box_key_signature !== 'string' ||
      !/^[0-9a-f]{64}$/.test(r.server_box_public_key) ||
      !verifyDomain(SERVER_BOX_KEY_DOMAIN, pinned, boxKeyStatement(r.server_box_public_key), r.server_box_key_signature)
    )
      throw mismatch("the server's template key is not signed by its pinned key");
    this.state.setState('server_public_key', pinned);
    this.state.setState('server_box_public_key', r.server_box_public_key);
    this.state.setState('merchant_id', r.merchant_id);
  }

  /** Uploads every unreceipted entry, batch by batch. */
  async uploadPending(): Promise<Omit<SyncReport, 'feed_items'>> {
    const report = { uploaded: 0, settled: 0, declined: 0 };
    for (;;) {
      const batch = this.state.pending(this.batchMax);
      if (batch.length === 0) return report;
      let response: UploadResponse;
      try {
        response = await this.http.upload(
          batch.map((e) => ({
            canonical: Buffer.from(e.canonical).toString('base64'),
            signature: Buffer.from(e.signature).toString('hex'),
          })),
        );
      } catch (err) {
        // A fork is kept as an alarm for the manager (the last error alone is overwritten).
        if (err instanceof SyncError && err.code === 'SYNC_FORK_DETECTED')
          this.state.recordFork(err.message, this.now());
        throw err;
      }
      const texts = this.checkUpload(batch, response);
      this.state.storeReceipts(response.receipts, texts, response.batches, this.now());
      report.uploaded += batch.length;
      for (const r of response.receipts) {
        if (r.receipt.status === 'settled') report.settled++;
        else if (r.receipt.status === 'declined') report.declined++;
      }
    }
  }

  /** Checks an upload's answer; returns each receipt's canonical text (the leaf that was checked). */
  private checkUpload(sent: readonly PendingEntry[], response: UploadResponse): string[] {
    const bad = (why: string): never => {
      throw new SyncError('SYNC_BAD_RECEIPT', `upload of entries ${sent[0]!.seq}..${sent.at(-1)!.seq}: ${why}`);
    };
    const key = this.serverKey();
    const batches = new Map<string, SignedBatch>();
    for (const b of response.batches) {
      if (b.head.kiosk_id !== this.options.kioskId) bad(`batch ${b.head.batch_id} is for kiosk ${b.head.kiosk_id}`);
      if (!batchSignatureValid(b, key)) bad(`batch ${b.head.batch_id} is not signed by the server key`);
      batches.set(b.head.batch_id, b);
    }
    if (response.receipts.length !== sent.length)
      bad(`${response.receipts.length} receipts for ${sent.length} entries`);
    const whole = new Map<string, Uint8Array[]>();
    const texts: string[] = [];
    const encoder = new TextEncoder();
    response.receipts.forEach((item, i) => {
      const e = sent[i]!;
      const r = item.receipt;
      if (r.kiosk_id !== this.options.kioskId || r.seq !== e.seq || r.entry_hash !== e.entry_hash)
        bad(`receipt ${i} is for ${r.kiosk_id}/${r.seq}, not entry ${e.seq} as sent`);
      const batch = batches.get(item.batch_id);
      if (batch === undefined)
        bad(`receipt for entry ${e.seq} names batch ${item.batch_id}, which is not in the answer`);
      const text = canonicalize(r);
      texts.push(text);
      if (item.proof !== undefined) {
        if (!receiptInBatch(encoder.encode(text), item.leaf_index, item.proof, batch!))
          bad(`receipt for entry ${e.seq} is not in its signed batch`);
        return;
      }
      // No proof: the answer holds the whole batch, in leaf order; its tree is rebuilt below.
      const leaves = whole.get(item.batch_id) ?? [];
      if (item.leaf_index !== leaves.length)
        bad(`receipt for entry ${e.seq} is leaf ${item.leaf_index}, expected ${leaves.length}`);
      leaves.push(encoder.encode(text));
      whole.set(item.batch_id, leaves);
    });
    for (const [batchId, leaves] of whole) {
      if (!wholeBatch(leaves, batches.get(batchId)!)) bad(`receipts of batch ${batchId} do not make its signed root`);
    }
    return texts;
  }

  /** Pulls the updates feed to its end, page by page, each page checked and applied atomically. */
  async pullFeed(): Promise<number> {
    const key = this.serverKey();
    let applied = 0;
    for (;;) {
      const after = this.state.feedCursor();
      const signed: SignedFeedPage = await this.http.feed(after, FEED_ITEMS_MAX);
      const p = signed.page;
      if (!verifyDomain(FEED_DOMAIN, key, feedPageBytes(p), signed.signature))
        throw new SyncError('SYNC_BAD_FEED', 'feed page is not signed by the server key');
      if (p.kiosk_id !== this.options.kioskId || p.after !== after || p.next_cursor < after)
        throw new SyncError('SYNC_BAD_FEED', `feed page for ${p.kiosk_id} after ${p.after}, asked for ${after}`);
      let last = after;
      for (const item of p.items) {
        if (item.cursor <= last || item.cursor > p.next_cursor)
          throw new SyncError('SYNC_BAD_FEED', `feed item cursor ${item.cursor} out of order after ${last}`);
        last = item.cursor;
        if (
          item.type === 'customer_enrolled' &&
          open(item.templates, this.options.boxKey.secret, item.customer_id) === null
        ) {
          throw new SyncError('SYNC_BAD_FEED', `templates of ${item.customer_id} do not open with this kiosk's key`);
        }
      }
      this.state.applyFeed(p.items, p.next_cursor, this.now());
      applied += p.items.length;
      if (p.next_cursor === after) return applied;
    }
  }

  async syncOnce(): Promise<SyncReport> {
    const up = await this.uploadPending();
    const feed_items = await this.pullFeed();
    return { ...up, feed_items };
  }

  /** Enrols a customer: templates sealed to the server's key, with the consent record. */
  async enrol(
    customerId: string,
    templates: Uint8Array,
    consent: Omit<ConsentRecord, 'kiosk_id'>,
  ): Promise<EnrolResponse> {
    if (templates.length === 0 || templates.length > TEMPLATES_PLAIN_BYTES_MAX)
      throw new RangeError(`templates: expected 1..${TEMPLATES_PLAIN_BYTES_MAX} bytes, got ${templates.length}`);
    const serverBox = this.state.state('server_box_public_key');
    if (serverBox === undefined) throw new SyncError('SYNC_NOT_REGISTERED', 'no server box key: register first');
    const sealed = seal(templates, fromHex(serverBox, 32), customerId);
    return this.http.enrol({
      customer_id: customerId,
      consent: { ...consent, kiosk_id: this.options.kioskId },
      templates: sealed,
    });
  }

  /** Full jitter: a random wait up to min(cap, base * 2^failures). */
  backoffMs(): number {
    const base = this.options.retryBaseMs ?? SYNC_RETRY_BASE_MS;
    const cap = this.options.retryCapMs ?? SYNC_RETRY_CAP_MS;
    return Math.floor(this.random() * Math.min(cap, base * 2 ** Math.min(this.failures, 30)));
  }

  /** Runs syncs until stop(): after each, waits the poll interval, or the backoff after a failure. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let waitMs = this.options.pollIntervalMs ?? 5_000;
        try {
          await this.syncOnce();
          this.failures = 0;
          this.lastError = undefined;
        } catch (err) {
          if (!(err instanceof SyncError)) throw err;
          this.lastError = err;
          this.failures++;
          this.state.setState('last_error', `${err.code}: ${err.message}`);
          waitMs = err.retryable ? this.backoffMs() : (this.options.retryCapMs ?? SYNC_RETRY_CAP_MS);
        }
        if (this.running)
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, waitMs);
            this.wake = () => {
              clearTimeout(t);
              resolve();
            };
          });
      }
    })();
  }

  /** Asks a running worker to sync now (after a payment, say). */
  syncSoon(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  close(): void {
    this.state.close();
  }
}
