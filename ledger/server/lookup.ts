// Public receipt lookup, for the QR code on a customer's receipt: by entry hash, what a
// receipt holder needs and nothing about who paid (never the entry's body, whose customer
// id the kiosk signed): kind, amount, currency, time, status (and why declined), signed by
// the server; the server's receipt with its signed batch and proof; and, once the kiosk has
// closed the entry's day, the entry's RFC 6962 inclusion proof in that day's tree (whose
// root the kiosk's signed day_close carries).
//
// The day's tree is built once per closed day and kept (DayTreeCache): a closed day's
// entries never change (a different entry under a held seq is a fork, refused), so a kept
// tree is right in every server process. Anonymous lookups are rate-limited (gate.ts).

import { canonicalBytes } from '../protocol/canonical.js';
import { fromHex, toHex } from '../protocol/hex.js';
import { assert } from '../protocol/errors.js';
import { nodeMerkle } from '../keys/ed25519.js';
import { SettleError } from './errors.js';
import { LOOKUP_TREE_LEAVES_CACHED_MAX, LOOKUP_TREES_CACHED_MAX } from '../wire/limits.js';
import { RECEIPT_LOOKUP_DOMAIN, signDomain } from '../wire/signing.js';
import type { DayInclusion, ReceiptFacts, ReceiptLookupAnswer, ReceiptStatus } from '../wire/wire.js';
import { receiptsOf } from './upload.js';
import type { DayCloseTable } from './db/schema.js';
import type { Services, Tx } from './context.js';

const HASH_BYTES = 32;

/** An RFC 6962 tree kept level by level, each level one buffer of 32-byte nodes (an odd last node moves up as it is). */
interface DayTree {
  levels: Buffer[];
  leaves: number;
}

/** Closed days' trees, least recently used first out, bounded in days and in leaves. */
export class DayTreeCache {
  /** Trees built so far (the tests read it: one per closed day, however many lookups). */
  built = 0;
  private readonly trees = new Map<string, DayTree>();
  private leaves = 0;

  constructor(
    private readonly daysMax = LOOKUP_TREES_CACHED_MAX,
    private readonly leavesMax = LOOKUP_TREE_LEAVES_CACHED_MAX,
  ) {}

  async inclusion(trx: Tx, close: DayCloseTable, seq: number): Promise<DayInclusion> {
    const key = `${close.kiosk_id}\n${close.seq}`;
    let tree = this.trees.get(key);
    if (tree === undefined) {
      tree = await this.build(trx, close);
      this.keep(key, tree);
    } else {
      this.trees.delete(key);
      this.trees.set(key, tree);
    }
    const index = seq - close.first_seq;
    return {
      day_close_seq: close.seq,
      business_day: close.business_day,
      leaf_index: index,
      tree_size: tree.leaves,
      root: close.merkle_root,
      proof: proofOf(tree, index),
    };
  }

  private async build(trx: Tx, close: DayCloseTable): Promise<DayTree> {
    const rows = await trx
      .selectFrom('entries')
      .select('entry_hash')
      .where('kiosk_id', '=', close.kiosk_id)
      .where('seq', '>=', close.first_seq)
      .where('seq', '<=', close.last_seq)
      .orderBy('seq')
      .execute();
    assert(rows.length === close.last_seq - close.first_seq + 1, `day ${close.business_day}: every entry is held`);
    let level = Buffer.alloc(rows.length * HASH_BYTES);
    rows.forEach((r, i) => level.set(nodeMerkle.leafHash(fromHex(r.entry_hash, HASH_BYTES)), i * HASH_BYTES));
    const levels = [level];
    while (level.length > HASH_BYTES) {
      const n = level.length / HASH_BYTES;
      const up = Buffer.alloc(Math.ceil(n / 2) * HASH_BYTES);
      for (let i = 0; i + 1 < n; i += 2)
        up.set(nodeMerkle.nodeHash(node(level, i), node(level, i + 1)), (i / 2) * HASH_BYTES);
      if (n % 2 === 1) up.set(node(level, n - 1), ((n - 1) / 2) * HASH_BYTES);
      levels.push(up);
      level = up;
    }
    assert(
      toHex(node(level, 0)) === close.merkle_root,
      `day ${close.business_day} of ${close.kiosk_id}: held entries hash to the closed root`,
    );
    this.built++;
    return { levels, leaves: rows.length };
  }

  private keep(key: string, tree: DayTree): void {
    if (tree.leaves > this.leavesMax) return;
    while (this.trees.size >= this.daysMax || this.leaves + tree.leaves > this.leavesMax) {
      const [oldest, t] = this.trees.entries().next().value!;
      this.trees.delete(oldest);
      this.leaves -= t.leaves;
    }
    this.trees.set(key, tree);
    this.leaves += tree.leaves;
  }
}

const node = (level: Buffer, i: number): Uint8Array => level.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES);

/** The audit path of leaf `index`, leaf first: the sibling at each level where there is one. */
function proofOf(tree: DayTree, index: number): string[] {
  const path: string[] = [];
  let i = index;
  for (const level of tree.levels.slice(0, -1)) {
    const sibling = i ^ 1;
    if (sibling < level.length / HASH_BYTES) path.push(toHex(node(level, sibling)));
    i >>= 1;
  }
  return path;
}

export async function lookupReceipt(s: Services, entryHashHex: string): Promise<ReceiptLookupAnswer> {
  return s.store.db.transaction().execute(async (trx) => {
    const e = await trx
      .selectFrom('entries')
      .select([
        'kiosk_id',
        'seq',
        'kind',
        'amount_minor',
        'currency',
        'created_at_ms',
        'status',
        'reason',
        'received_at_ms',
      ])
      .where('entry_hash', '=', entryHashHex)
      .executeTakeFirst();
    if (e === undefined)
      throw new SettleError('SETTLE_NOT_FOUND', `no entry with hash ${entryHashHex} has reached the server`);
    const { receipts, batches } = await receiptsOf(trx, e.kiosk_id, [e.seq]);
    const close = await trx
      .selectFrom('day_closes')
      .selectAll()
      .where('kiosk_id', '=', e.kiosk_id)
      .where('first_seq', '<=', e.seq)
      .where('last_seq', '>=', e.seq)
      .executeTakeFirst();
    const facts: ReceiptFacts = {
      v: 1,
      type: 'receipt_lookup',
      entry_hash: entryHashHex,
      kind: e.kind,
      amount_minor: e.amount_minor,
      currency: e.currency,
      created_at_ms: e.created_at_ms,
      status: e.status as ReceiptStatus,
      decided_at_ms: e.received_at_ms,
      looked_up_at_ms: s.now(),
      inclusion: close === undefined ? null : await s.dayTrees.inclusion(trx, close, e.seq),
    };
    if (e.reason !== null) facts.reason = e.reason;
    const signature = signDomain(RECEIPT_LOOKUP_DOMAIN, s.keys.signing, canonicalBytes(facts));
    return { ...facts, signature, receipt: receipts[0]!, batch: batches[0]! };
  });
}
