// `verify`: re-derives a whole ledger from its stored bytes and names the first bad entry
// and why. Nothing in the file is trusted but the bytes and signatures: every derived
// column is checked against the bytes, every signature against the key schedule that
// the (themselves verified) key_rotation entries make, every link, seq, refund and day
// close against the entries before it.
//
// Speed: the per-row checks (decode, canonical form, Ed25519, SHA-256, columns) are
// independent, so a large ledger is cut into seq ranges checked in worker threads, one per
// core; the sequential rules then run over the results in order on this thread. The
// first fault by seq wins, whichever half found it, so the answer does not depend on how
// the work was split (the tests compare both paths).
//
// What verify cannot see alone: rows cut off the end of the ledger leave a shorter chain
// that is still valid. Pass an anchor (a seq and its entry_hash from a receipt, a Z report
// or the settlement server) to prove the ledger reaches at least that far.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import type { Entry } from '../protocol/entry.js';
import { LedgerError } from '../protocol/errors.js';
import { toHex } from '../protocol/hex.js';
import {
  applyToPayment,
  checkNext,
  genesisTip,
  keyAfter,
  paymentStateOf,
  type ChainContext,
  type ChainTip,
  type PaymentState,
} from '../protocol/rules.js';
import type { OpenShift } from '../protocol/rules-shift.js';
import { openDatabase } from '../store/store.js';
import { nodeMerkle } from '../keys/ed25519.js';
import { keySchedule, readLedgerMeta } from '../store/reader.js';
import { asFault, verifyRange, type KeySpanHex, type RangeFault, type RangeResult } from './verify-range.js';

/**
 * Below this many entries one thread is faster: starting a worker under tsx (its own loader
 * thread, the modules compiled again) costs about a second here, and two workers halve the
 * per-row time (about 75 us), so they pay off from roughly 26,000 entries.
 */
export const VERIFY_PARALLEL_ENTRIES_MIN = 30_000;
/** Worker threads at most, whatever the core count. */
export const VERIFY_WORKERS_MAX = 8;

export interface VerifyOptions {
  /** Prove the ledger reaches this entry, with this hash. */
  anchor?: { seq: number; entry_hash: string };
  /** Expect the ledger's first key to be this one (hex), e.g. the key registered with the server. */
  expectedGenesisKey?: string;
  /** 1 forces the single-threaded path; default one worker per core. */
  workers?: number;
}

export interface VerifyReport {
  ok: boolean;
  path: string;
  kiosk_id: string | null;
  entries_checked: number;
  tip: { seq: number; entry_hash: string } | null;
  days_closed: number;
  key_rotations: number;
  workers: number;
  elapsed_ms: number;
  fault: RangeFault | null;
}

export async function verifyLedger(path: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  if (!existsSync(path)) throw new LedgerError('LEDGER_FILE_MISSING', `no ledger at ${path}`);
  const db = openDatabase(path, { create: false, readonly: true });
  let meta: Map<string, string>;
  let keys: KeySpanHex[];
  let bounds: { n: number; lo: number | null; hi: number | null };
  try {
    meta = readLedgerMeta(db, path);
    keys = keySchedule(db, meta.get('genesis_public_key')!);
    bounds = db.prepare('SELECT count(*) AS n, min(seq) AS lo, max(seq) AS hi FROM entries').get() as typeof bounds;
  } finally {
    db.close();
  }
  const kioskId = meta.get('kiosk_id')!;
  const report = (
    fault: RangeFault | null,
    checked: number,
    tip: ChainTip | null,
    days: number,
    workers: number,
  ): VerifyReport => ({
    ok: fault === null,
    path,
    kiosk_id: kioskId,
    entries_checked: checked,
    tip: tip === null || tip.seq === 0 ? null : { seq: tip.seq, entry_hash: tip.entry_hash },
    days_closed: days,
    key_rotations: keys.length - 1,
    workers,
    elapsed_ms: Math.round(performance.now() - started),
    fault,
  });

  if (options.expectedGenesisKey !== undefined && options.expectedGenesisKey !== meta.get('genesis_public_key')) {
    return report(
      {
        seq: 0,
        code: 'LEDGER_WRONG_KEY',
        message: `the ledger's first key is ${meta.get('genesis_public_key')}, expected ${options.expectedGenesisKey}`,
      },
      0,
      null,
      0,
      0,
    );
  }

  const hi = Math.max(bounds.hi ?? 0, 0);
  const lo = Math.min(bounds.lo ?? 1, 1);
  const workerCount = chooseWorkers(bounds.n, options.workers);
  const ranges = splitRange(lo, hi, workerCount);
  const results =
    workerCount <= 1
      ? ranges.map(([a, b]) => verifyRange(path, a, b, keys))
      : await Promise.all(ranges.map(([a, b]) => inWorker(path, a, b, keys)));

  const chain = new MemoryChain(kioskId, meta.get('genesis_public_key')!, options.anchor?.seq);
  for (const result of results) {
    for (let i = 0; i < result.entries.length; i++) {
      const entry = result.entries[i]!;
      const hash = result.hashes.subarray(i * 32, i * 32 + 32);
      try {
        chain.add(entry, hash);
      } catch (err) {
        return report(asFault(err, entry.seq), chain.count, chain.tip, chain.days, workerCount);
      }
    }
    if (result.fault !== null) return report(result.fault, chain.count, chain.tip, chain.days, workerCount);
  }
  if (chain.count !== bounds.n) {
    // Rows outside 1..max(seq) (say, seq 0 or a negative seq) are not part of any range read.
    return report(
      {
        seq: chain.tip.seq + 1,
        code: 'LEDGER_SEQ_GAP',
        message: `the file holds ${bounds.n} entries, the chain from seq 1 only ${chain.count}`,
      },
      chain.count,
      chain.tip,
      chain.days,
      workerCount,
    );
  }
  if (options.anchor !== undefined) {
    const { seq, entry_hash } = options.anchor;
    const held = chain.anchorHash;
    if (held === null) {
      return report(
        {
          seq,
          code: 'LEDGER_SEQ_GAP',
          message: `entry ${seq}: the anchor names it, but the ledger ends at ${chain.tip.seq} (entries were cut off the end)`,
        },
        chain.count,
        chain.tip,
        chain.days,
        workerCount,
      );
    }
    if (toHex(held) !== entry_hash) {
      return report(
        { seq, code: 'LEDGER_CHAIN_BROKEN', message: `entry ${seq}: its hash differs from the anchor's ${entry_hash}` },
        chain.count,
        chain.tip,
        chain.days,
        workerCount,
      );
    }
  }
  return report(null, chain.count, chain.tip, chain.days, workerCount);
}

/**
 * The sequential rules over entries held in memory: verify's ChainContext. It keeps the
 * entries and hashes of the open day only (a day close and a shift's close need them; nothing
 * later does), and of earlier days just what refunds need: each payment's amount and what was
 * reversed, and each sale's entries (its payments and their reversals).
 */
class MemoryChain implements ChainContext {
  tip: ChainTip;
  count = 0;
  days = 0;
  /** The hash of the anchor's entry, once reached. */
  anchorHash: Uint8Array | null = null;
  private dayEntries: Entry[] = [];
  private dayHashes: Uint8Array[] = [];
  private readonly payments = new Map<number, PaymentState>();
  private readonly paymentIds = new Set<string>();
  /** Each sale's payment, its parts and their reversals, by the sale's seq. */
  private readonly sales = new Map<number, Entry[]>();
  private shift: OpenShift | null = null;
  private open = { first_seq: 1, previous_business_day: null as string | null };

  constructor(
    kioskId: string,
    genesisKey: string,
    private readonly anchorSeq?: number,
  ) {
    this.tip = genesisTip(kioskId, genesisKey);
  }

  add(entry: Entry, hash: Uint8Array): void {
    checkNext(entry, this.tip, this, nodeMerkle);
    const hashHex = toHex(hash);
    if (entry.kind === 'payment') {
      const state = paymentStateOf(entry);
      this.payments.set(entry.seq, state);
      this.paymentIds.add(entry.body.payment_id);
      if (state.sale_seq === entry.seq) this.sales.set(entry.seq, [entry]);
      else if (state.sale_seq !== null) this.sales.get(state.sale_seq)!.push(entry);
    } else if (entry.kind === 'refund' || entry.kind === 'void') {
      const paid = this.payments.get(entry.body.payment_seq)!;
      applyToPayment(entry, paid);
      if (paid.sale_seq !== null) this.sales.get(paid.sale_seq)!.push(entry);
    } else if (entry.kind === 'shift_open') this.shift = { seq: entry.seq, body: entry.body };
    else if (entry.kind === 'shift_close') this.shift = null;
    if (entry.kind === 'day_close') {
      this.open = { first_seq: entry.seq + 1, previous_business_day: entry.body.business_day };
      this.days++;
      this.dayEntries = [];
      this.dayHashes = [];
    } else {
      this.dayEntries.push(entry);
      this.dayHashes.push(new Uint8Array(hash));
    }
    if (entry.seq === this.anchorSeq) this.anchorHash = new Uint8Array(hash);
    this.tip = {
      kiosk_id: this.tip.kiosk_id,
      seq: entry.seq,
      entry_hash: hashHex,
      public_key: keyAfter(entry, this.tip.public_key),
    };
    this.count++;
  }

  payment(seq: number): PaymentState | undefined {
    return this.payments.get(seq);
  }
  hasPaymentId(paymentId: string): boolean {
    return this.paymentIds.has(paymentId);
  }
  saleEntries(saleSeq: number): Iterable<Entry> {
    return this.sales.get(saleSeq) ?? [];
  }
  openShift(): OpenShift | null {
    return this.shift;
  }
  openDay() {
    return this.open;
  }
  entryHashes(first: number, last: number): Uint8Array[] {
    return this.dayHashes.slice(first - this.open.first_seq, last - this.open.first_seq + 1);
  }
  entries(first: number, last: number): Iterable<Entry> {
    return this.dayEntries.slice(first - this.open.first_seq, last - this.open.first_seq + 1);
  }
}

function chooseWorkers(entries: number, requested: number | undefined): number {
  if (requested !== undefined) return Math.max(1, Math.min(requested, VERIFY_WORKERS_MAX));
  if (entries < VERIFY_PARALLEL_ENTRIES_MIN) return 1;
  return Math.max(1, Math.min(availableParallelism(), VERIFY_WORKERS_MAX));
}

function splitRange(lo: number, hi: number, parts: number): [number, number][] {
  if (hi < lo) return [[lo, lo - 1]];
  const size = Math.ceil((hi - lo + 1) / parts);
  const out: [number, number][] = [];
  for (let a = lo; a <= hi; a += size) out.push([a, Math.min(hi, a + size - 1)]);
  return out;
}

const workerUrl = new URL(
  import.meta.url.endsWith('.ts') ? './verify-worker.ts' : './verify-worker.js',
  import.meta.url,
);

/** Starts a worker on `url`; under tsx (TypeScript sources) it first registers tsx's loader in the worker. */
function startWorker(url: URL, workerData: unknown): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData });
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

function inWorker(path: string, first: number, last: number, keys: KeySpanHex[]): Promise<RangeResult> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(workerUrl, { path, first, last, keys });
    worker.once('message', (result: RangeResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`verify worker for entries ${first}..${last} exited with code ${code}`));
    });
  });
}
