// Entry signatures are most of an upload's CPU (an Ed25519 verification is about 0.1 ms
// here). The server checks them on a small pool of worker threads, so that verifying one
// kiosk's batch overlaps the database work of another's. Jobs are split across the
// threads; a pool of zero threads verifies on the main thread (the CLI's admin commands).

import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { ENTRY_SIGNING_DOMAIN, verifyEntrySignature } from '../keys/ed25519.js';

/** Threads at most: the machine's cores (a verification thread is busy or idle, never blocked). */
export const VERIFY_THREADS_MAX = 8;
/** A job smaller than this per thread is not split: the messaging would cost more than it saves. */
const SPLIT_MIN_ITEMS = 32;

interface Pending {
  resolve: (valid: Uint8Array) => void;
  reject: (err: Error) => void;
}

export interface VerifyItem {
  message: Uint8Array;
  signature: Uint8Array;
  publicKeyHex: string;
}

export class VerifyPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private turn = 0;

  constructor(threads: number = Math.min(VERIFY_THREADS_MAX, availableParallelism())) {
    for (let i = 0; i < Math.min(threads, VERIFY_THREADS_MAX); i++) {
      const w = new Worker(new URL('./verify-worker.mjs', import.meta.url));
      w.on('message', (m: { id: number; valid: Uint8Array }) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.resolve(m.valid);
      });
      w.on('error', (err) => {
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      });
      w.unref();
      this.workers.push(w);
    }
  }

  /** Whether each entry signature is valid (domain-separated as ledger entries). */
  async verifyEntries(items: readonly VerifyItem[]): Promise<boolean[]> {
    if (this.workers.length === 0 || items.length === 0) {
      return items.map((it) => verifyEntrySignature(Buffer.from(it.publicKeyHex, 'hex'), it.message, it.signature));
    }
    const parts = Math.max(1, Math.min(this.workers.length, Math.floor(items.length / SPLIT_MIN_ITEMS)));
    const size = Math.ceil(items.length / parts);
    const chunks: Promise<Uint8Array>[] = [];
    for (let start = 0; start < items.length; start += size) chunks.push(this.run(items.slice(start, start + size)));
    const results = await Promise.all(chunks);
    const out: boolean[] = [];
    for (const r of results) for (const v of r) out.push(v === 1);
    return out;
  }

  private run(items: readonly VerifyItem[]): Promise<Uint8Array> {
    const id = this.nextId++;
    const worker = this.workers[this.turn++ % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({
        id,
        domain: ENTRY_SIGNING_DOMAIN,
        messages: items.map((i) => i.message),
        signatures: items.map((i) => i.signature),
        keys: items.map((i) => i.publicKeyHex),
      });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}
