// Public receipt lookup, for the QR code on a customer's receipt: by entry hash, the entry
// as the kiosk signed it, the server's receipt with its signed batch and proof, and, once
// the kiosk has closed the entry's day, the entry's RFC 6962 inclusion proof in that day's
// tree (whose root the signed day_close entry carries).

import { fromHex, toHex } from '../protocol/hex.js';
import { inclusionProof, merkleRoot } from '../protocol/merkle.js';
import { assert } from '../protocol/errors.js';
import { SettleError } from './errors.js';
import type { ReceiptItem, SignedBatch } from '../wire/wire.js';
import { receiptsOf } from './upload.js';
import { transaction, type Services } from './context.js';

export interface ReceiptLookup {
  entry: { canonical: string; signature: string; entry_hash: string };
  receipt: ReceiptItem;
  batch: SignedBatch;
  inclusion: {
    day_close_seq: number;
    business_day: string;
    leaf_index: number;
    tree_size: number;
    root: string;
    proof: string[];
  } | null;
}

export async function lookupReceipt(s: Services, entryHashHex: string): Promise<ReceiptLookup> {
  return transaction(s, async (trx) => {
    const e = await trx
      .selectFrom('entries')
      .select(['kiosk_id', 'seq', 'canonical', 'signature'])
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
    let inclusion: ReceiptLookup['inclusion'] = null;
    if (close !== undefined) {
      const rows = await trx
        .selectFrom('entries')
        .select('entry_hash')
        .where('kiosk_id', '=', e.kiosk_id)
        .where('seq', '>=', close.first_seq)
        .where('seq', '<=', close.last_seq)
        .orderBy('seq')
        .execute();
      const leaves = rows.map((r) => fromHex(r.entry_hash, 32));
      assert(
        toHex(merkleRoot(leaves)) === close.merkle_root,
        `day ${close.business_day} of ${e.kiosk_id}: held entries hash to the closed root`,
      );
      const index = e.seq - close.first_seq;
      inclusion = {
        day_close_seq: close.seq,
        business_day: close.business_day,
        leaf_index: index,
        tree_size: leaves.length,
        root: close.merkle_root,
        proof: inclusionProof(leaves, index).map(toHex),
      };
    }
    return {
      entry: {
        canonical: Buffer.from(e.canonical).toString('base64'),
        signature: Buffer.from(e.signature).toString('hex'),
        entry_hash: entryHashHex,
      },
      receipt: receipts[0]!,
      batch: batches[0]!,
      inclusion,
    };
  });
}
