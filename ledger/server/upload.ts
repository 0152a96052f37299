// A kiosk's upload: its entries, in order, in one bounded batch. Outside the database the
// server decodes every entry (strict canonical bytes) and checks every signature; inside one
// transaction it locks the kiosk's chain, tells replays from forks, checks the chain rules
// from what it already holds, settles each new entry, stores entries, transfers, balances
// and the signed receipt batch, and moves the kiosk's tip. Either all of it commits or none.
//
// Idempotent: an entry already held under its seq with the same hash answers with the
// receipt stored for it, byte for byte, and moves nothing. A different entry under a held
// seq, validly signed, is a fork: the batch is refused and an alarm is recorded.

import { sql } from 'kysely';
import { canonicalize } from '../protocol/canonical.js';
import type { Entry } from '../protocol/entry.js';
import { LedgerError, assert } from '../protocol/errors.js';
import { toHex } from '../protocol/hex.js';
import { merkleRoot } from '../protocol/merkle.js';
import { checkNext, keyAfter, type ChainTip } from '../protocol/rules.js';
import { decodeEntry } from '../store/rows.js';
import { entryHash } from '../keys/ed25519.js';
import { SettleError } from './errors.js';
import { SYNC_BATCH_ENTRIES_MAX } from '../wire/limits.js';
import { RECEIPT_BATCH_DOMAIN, batchHeadBytes, rootAndProofs, signDomain } from '../wire/signing.js';
import type {
  Receipt,
  ReceiptBatchHead,
  ReceiptItem,
  ReceiptStatus,
  SignedBatch,
  UploadResponse,
  WireEntry,
} from '../wire/wire.js';
import { recordNonce, type KioskAuth } from './auth.js';
import { BatchContext } from './chain.js';
import { Books, accountsFor, decide, recordAlarms, type Decision } from './money.js';
import { businessDayOf, lockRows, transaction, type Services, type Tx } from './context.js';
import type { EntryTable, TransferTable } from './db/schema.js';
import type { VerifyItem } from './verify-pool.js';

interface Decoded {
  entry: Entry;
  canonical: Buffer;
  signature: Buffer;
  hash: string;
  signatureValid: boolean;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes a batch and checks its signatures (on the verify threads), without the database. */
export async function decodeBatch(
  s: Services,
  kioskId: string,
  publicKeyHex: string,
  items: readonly WireEntry[],
): Promise<Decoded[]> {
  if (items.length === 0 || items.length > SYNC_BATCH_ENTRIES_MAX) {
    throw new SettleError(
      'SETTLE_BAD_REQUEST',
      `a batch holds 1..${SYNC_BATCH_ENTRIES_MAX} entries, got ${items.length}`,
    );
  }
  let key = publicKeyHex;
  const out: Omit<Decoded, 'signatureValid'>[] = [];
  const verify: VerifyItem[] = [];
  for (const [i, item] of items.entries()) {
    if (!BASE64.test(item.canonical))
      throw new SettleError('SETTLE_BAD_REQUEST', `entries[${i}].canonical: expected base64`);
    const canonical = Buffer.from(item.canonical, 'base64');
    if (canonical.toString('base64') !== item.canonical)
      throw new SettleError('SETTLE_BAD_REQUEST', `entries[${i}].canonical: expected canonical base64`);
    const entry = decodeEntry(canonical, i);
    if (entry.kiosk_id !== kioskId) {
      throw new LedgerError(
        'LEDGER_KIOSK_MISMATCH',
        `entry ${entry.seq}: kiosk_id ${entry.kiosk_id} uploaded by kiosk ${kioskId}`,
        entry.seq,
      );
    }
    const prev = out[i - 1];
    if (prev !== undefined && entry.seq !== prev.entry.seq + 1) {
      throw new SettleError(
        'SETTLE_BATCH_NOT_CONSECUTIVE',
        `entries[${i}]: expected seq ${prev.entry.seq + 1} after ${prev.entry.seq}, got ${entry.seq}`,
      );
    }
    const signature = Buffer.from(item.signature, 'hex');
    verify.push({ message: canonical, signature, publicKeyHex: key });
    key = keyAfter(entry, key);
    out.push({ entry, canonical, signature, hash: Buffer.from(entryHash(canonical, signature)).toString('hex') });
  }
  const valid = await s.verify.verifyEntries(verify);
  return out.map((d, i) => ({ ...d, signatureValid: valid[i]! }));
}

/** Thrown inside the transaction so that it rolls back; the alarm is written after. */
class ForkDetected extends Error {
  constructor(
    readonly seq: number,
    readonly heldHash: string,
    readonly offered: Decoded,
  ) {
    super(
      `entry ${seq}: the server holds entry ${heldHash.slice(0, 16)}… under this seq, and kiosk signed a different one, ${offered.hash.slice(0, 16)}…`,
    );
  }
}

export async function upload(s: Services, auth: KioskAuth, items: readonly WireEntry[]): Promise<UploadResponse> {
  const decoded = await decodeBatch(s, auth.kiosk_id, auth.public_key, items);
  try {
    return await transaction(s, (trx) => uploadInTransaction(s, trx, auth, decoded));
  } catch (err) {
    if (!(err instanceof ForkDetected)) throw err;
    await transaction(s, (trx) =>
      trx
        .insertInto('alarms')
        .values({
          kind: 'fork',
          kiosk_id: auth.kiosk_id,
          seq: err.seq,
          created_at_ms: s.now(),
          detail: canonicalize({
            held_entry_hash: err.heldHash,
            offered_entry_hash: err.offered.hash,
            offered_canonical: err.offered.canonical.toString('base64'),
            offered_signature: err.offered.signature.toString('hex'),
          }),
        })
        .execute(),
    );
    throw new SettleError('SETTLE_FORK_DETECTED', err.message);
  }
}

async function uploadInTransaction(s: Services, trx: Tx, auth: KioskAuth, decoded: Decoded[]): Promise<UploadResponse> {
  await recordNonce(s, trx, auth);
  const kiosk = await trx
    .selectFrom('kiosks')
    .selectAll()
    .where('kiosk_id', '=', auth.kiosk_id)
    .$if(lockRows(s), (q) => q.forUpdate())
    .executeTakeFirstOrThrow();
  if (kiosk.public_key !== auth.public_key) {
    throw new SettleError(
      'SETTLE_CONFLICT',
      `kiosk ${kiosk.kiosk_id} rotated its key while this request was in flight; sign again and retry`,
    );
  }
  const held = decoded.filter((d) => d.entry.seq <= kiosk.tip_seq);
  const fresh = decoded.filter((d) => d.entry.seq > kiosk.tip_seq);
  const heldReceipts = await checkHeld(trx, kiosk.kiosk_id, held);

  let newReceipts: ReceiptItem[] = [];
  let newBatch: SignedBatch | undefined;
  if (fresh.length > 0) {
    ({ receipts: newReceipts, batch: newBatch } = await settleFresh(s, trx, kiosk, fresh));
  }
  const replayed = await receiptsOf(trx, kiosk.kiosk_id, heldReceipts);
  if (s.faults.pauseInTransactionMs !== undefined && fresh.length > 0) {
    s.faults.onPause?.();
    await new Promise((resolve) => setTimeout(resolve, s.faults.pauseInTransactionMs));
  }
  const tipSeq = Math.max(kiosk.tip_seq, fresh.at(-1)?.entry.seq ?? 0);
  return {
    kiosk_id: kiosk.kiosk_id,
    tip_seq: tipSeq,
    receipts: [...replayed.receipts, ...newReceipts],
    batches: newBatch === undefined ? replayed.batches : [...replayed.batches, newBatch],
  };
}

/** Entries the server already holds: the same hash is a replay, another validly signed one a fork. */
async function checkHeld(trx: Tx, kioskId: string, held: Decoded[]): Promise<number[]> {
  const found: number[] = [];
  if (held.length === 0) return found;
  const rows = await trx
    .selectFrom('entries')
    .select(['seq', 'entry_hash'])
    .where('kiosk_id', '=', kioskId)
    .where('seq', '>=', held[0]!.entry.seq)
    .where('seq', '<=', held.at(-1)!.entry.seq)
    .execute();
  const bySeq = new Map(rows.map((r) => [r.seq, r]));
  for (const d of held) {
    const row = bySeq.get(d.entry.seq);
    assert(row !== undefined, `entry ${d.entry.seq} at or below the tip is held`);
    if (row.entry_hash === d.hash) {
      found.push(d.entry.seq);
      continue;
    }
    if (!d.signatureValid) {
      throw new LedgerError(
        'LEDGER_BAD_SIGNATURE',
        `entry ${d.entry.seq}: the signature does not verify under the kiosk's key`,
        d.entry.seq,
      );
    }
    throw new ForkDetected(d.entry.seq, row.entry_hash, d);
  }
  return found;
}

interface KioskRow {
  kiosk_id: string;
  merchant_id: string;
  public_key: string;
  tip_seq: number;
  tip_hash: string;
  day_first_seq: number;
  previous_business_day: string | null;
}

async function settleFresh(
  s: Services,
  trx: Tx,
  kiosk: KioskRow,
  fresh: Decoded[],
): Promise<{ receipts: ReceiptItem[]; batch: SignedBatch }> {
  const first = fresh[0]!.entry.seq;
  if (first !== kiosk.tip_seq + 1) {
    throw new LedgerError(
      'LEDGER_SEQ_GAP',
      `entry ${first}: expected seq ${kiosk.tip_seq + 1} after ${kiosk.tip_seq}, the last entry the server holds`,
      first,
    );
  }
  const ctx = new BatchContext({ first_seq: kiosk.day_first_seq, previous_business_day: kiosk.previous_business_day });
  const entries = fresh.map((d) => d.entry);
  await ctx.load(trx, kiosk.kiosk_id, entries);
  const frozenCandidates = [...ctx.payments.values()].map((p) => p.entry_hash);
  const books = await Books.load(s, trx, accountsFor(kiosk.merchant_id, entries, ctx.payments), frozenCandidates);

  let tip: ChainTip = {
    kiosk_id: kiosk.kiosk_id,
    seq: kiosk.tip_seq,
    entry_hash: kiosk.tip_hash,
    public_key: kiosk.public_key,
  };
  const now = s.now();
  const batchId = `${kiosk.kiosk_id}:${first}`;
  const decisions: Decision[] = [];
  const receipts: Receipt[] = [];
  const receiptTexts: string[] = [];
  for (const d of fresh) {
    const e = d.entry;
    checkNext(e, tip, ctx);
    if (!d.signatureValid) {
      throw new LedgerError(
        'LEDGER_BAD_SIGNATURE',
        `entry ${e.seq}: the signature does not verify under the kiosk's key ${tip.public_key.slice(0, 16)}…`,
        e.seq,
      );
    }
    const decision = decide(e, kiosk.merchant_id, books, ctx.payments);
    decisions.push(decision);
    ctx.accept(e, d.hash, decision);
    const receipt: Receipt = {
      v: 1,
      kiosk_id: kiosk.kiosk_id,
      seq: e.seq,
      entry_hash: d.hash,
      status: decision.status,
      decided_at_ms: now,
    };
    if (decision.reason !== undefined) receipt.reason = decision.reason;
    receipts.push(receipt);
    receiptTexts.push(canonicalize(receipt));
    tip = { kiosk_id: tip.kiosk_id, seq: e.seq, entry_hash: d.hash, public_key: keyAfter(e, tip.public_key) };
  }

  const encoder = new TextEncoder();
  const root = merkleRoot(receiptTexts.map((t) => encoder.encode(t)));
  const head: ReceiptBatchHead = {
    v: 1,
    type: 'receipt_batch',
    batch_id: batchId,
    kiosk_id: kiosk.kiosk_id,
    first_seq: first,
    tree_size: receipts.length,
    root: toHex(root),
    signed_at_ms: now,
  };
  const signature = signDomain(RECEIPT_BATCH_DOMAIN, s.keys.signing, batchHeadBytes(head));

  const rows: EntryTable[] = fresh.map((d, i) => entryRow(d, kiosk.merchant_id, receipts[i]!, now));
  const transfers: TransferTable[] = [];
  fresh.forEach((d, i) => {
    const m = decisions[i]!.movement;
    if (m === undefined) return;
    transfers.push({
      transfer_id: `${kiosk.kiosk_id}:${d.entry.seq}`,
      ...m,
      kind: d.entry.kind,
      business_day: businessDayOf(d.entry.created_at_ms),
      created_at_ms: now,
    });
  });
  await trx
    .insertInto('receipt_batches')
    .values({
      batch_id: batchId,
      kiosk_id: kiosk.kiosk_id,
      first_seq: first,
      tree_size: head.tree_size,
      root: head.root,
      signed_at_ms: now,
      signature,
    })
    .execute();
  await trx.insertInto('entries').values(rows).execute();
  if (transfers.length > 0) await trx.insertInto('transfers').values(transfers).execute();
  await books.save(trx);
  await recordAlarms(trx, kiosk.kiosk_id, entries, decisions, now);
  const closes = fresh.filter((d) => d.entry.kind === 'day_close');
  for (const d of closes) {
    const e = d.entry;
    assert(e.kind === 'day_close', 'filtered to day closes');
    await trx
      .insertInto('day_closes')
      .values({
        kiosk_id: kiosk.kiosk_id,
        seq: e.seq,
        business_day: e.body.business_day,
        first_seq: e.body.first_seq,
        last_seq: e.body.last_seq,
        merkle_root: e.body.merkle_root,
      })
      .execute();
  }
  await trx
    .updateTable('kiosks')
    .set({
      tip_seq: tip.seq,
      tip_hash: tip.entry_hash,
      public_key: tip.public_key,
      day_first_seq: ctx.open.first_seq,
      previous_business_day: ctx.open.previous_business_day,
    })
    .where('kiosk_id', '=', kiosk.kiosk_id)
    .execute();
  return {
    receipts: receipts.map((receipt, i) => ({ receipt, batch_id: batchId, leaf_index: i })),
    batch: { head, signature },
  };
}

function entryRow(d: Decoded, merchantId: string, receipt: Receipt, now: number): EntryTable {
  assert(receipt.decided_at_ms === now, 'a receipt is decided when its entry is received');
  const e = d.entry;
  const row: EntryTable = {
    kiosk_id: e.kiosk_id,
    seq: e.seq,
    merchant_id: merchantId,
    kind: e.kind,
    created_at_ms: e.created_at_ms,
    business_day: businessDayOf(e.created_at_ms),
    canonical: d.canonical,
    signature: d.signature,
    entry_hash: d.hash,
    payment_id: null,
    payment_seq: null,
    amount_minor: null,
    currency: null,
    customer_id: null,
    status: receipt.status,
    reason: receipt.reason ?? null,
    received_at_ms: now,
  };
  if (e.kind === 'payment') {
    row.payment_id = e.body.payment_id;
    row.amount_minor = e.body.amount_minor;
    row.currency = e.body.currency;
    row.customer_id = e.body.customer_id ?? null;
  } else if (e.kind === 'refund' || e.kind === 'void') {
    row.payment_seq = e.body.payment_seq;
    row.amount_minor = e.body.amount_minor;
    row.currency = e.body.currency;
  }
  return row;
}

/** The stored receipts of held entries, each with its signed batch and its proof in it. */
export async function receiptsOf(
  trx: Tx,
  kioskId: string,
  seqs: readonly number[],
): Promise<{ receipts: ReceiptItem[]; batches: SignedBatch[] }> {
  if (seqs.length === 0) return { receipts: [], batches: [] };
  const lo = Math.min(...seqs);
  const hi = Math.max(...seqs);
  const heads = await trx
    .selectFrom('receipt_batches')
    .selectAll()
    .where('kiosk_id', '=', kioskId)
    .where('first_seq', '<=', hi)
    .where(sql<number>`first_seq + tree_size`, '>', lo)
    .orderBy('first_seq')
    .execute();
  const wanted = new Set(seqs);
  const batches: SignedBatch[] = [];
  const bySeq = new Map<number, ReceiptItem>();
  const encoder = new TextEncoder();
  for (const h of heads) {
    const rows = await trx
      .selectFrom('entries')
      .select(['seq', 'entry_hash', 'status', 'reason', 'received_at_ms'])
      .where('kiosk_id', '=', kioskId)
      .where('seq', '>=', h.first_seq)
      .where('seq', '<', h.first_seq + h.tree_size)
      .orderBy('seq')
      .execute();
    assert(rows.length === h.tree_size, `batch ${h.batch_id} holds all its ${h.tree_size} receipts`);
    const receipts = rows.map((r) => storedReceipt(kioskId, r));
    const { root, proofs } = rootAndProofs(receipts.map((r) => encoder.encode(canonicalize(r))));
    assert(toHex(root) === h.root, `batch ${h.batch_id}: stored receipts hash to its signed root`);
    const { signature, ...head } = h;
    batches.push({ head: { v: 1, type: 'receipt_batch', ...head }, signature });
    rows.forEach((r, i) => {
      if (wanted.has(r.seq))
        bySeq.set(r.seq, { receipt: receipts[i]!, batch_id: h.batch_id, leaf_index: i, proof: proofs[i]!.map(toHex) });
    });
  }
  return { receipts: seqs.map((seq) => bySeq.get(seq)!), batches };
}

/** The receipt of a stored entry, rebuilt from its columns (the same canonical bytes as first signed). */
function storedReceipt(
  kioskId: string,
  r: { seq: number; entry_hash: string; status: string; reason: string | null; received_at_ms: number },
): Receipt {
  const receipt: Receipt = {
    v: 1,
    kiosk_id: kioskId,
    seq: r.seq,
    entry_hash: r.entry_hash,
    status: r.status as ReceiptStatus,
    decided_at_ms: r.received_at_ms,
  };
  if (r.reason !== null) receipt.reason = r.reason;
  return receipt;
}
