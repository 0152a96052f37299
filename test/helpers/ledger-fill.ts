// Writes many signed entries into a kiosk ledger in one transaction, for benchmarks and
// long fault tests: the same rows LedgerStore.append writes (canonical bytes, signature,
// hash chain, derived columns), without an fsync per entry. LedgerStore reopens the file
// afterwards and checks its tip, so a wrong row would fail there.

import Database from 'better-sqlite3';
import { canonicalBytes } from '../../ledger/protocol/canonical.js';
import {
  ENTRY_VERSION,
  GENESIS_PREV_HASH,
  type BodyByKind,
  type Entry,
  type EntryKind,
} from '../../ledger/protocol/entry.js';
import { toHex } from '../../ledger/protocol/hex.js';
import { entryHash } from '../../ledger/keys/ed25519.js';
import type { DeviceKey } from '../../ledger/keys/device-key.js';
import { LedgerStore } from '../../ledger/store/store.js';
import { derivedColumns, ENTRY_ROW_COLUMNS } from '../../ledger/store/rows.js';

export type Draft = { [K in EntryKind]: { kind: K; body: BodyByKind[K] } }[EntryKind];

export function fillLedger(
  path: string,
  kioskId: string,
  key: DeviceKey,
  drafts: readonly Draft[],
  createdAtMs: number = Date.now(),
): void {
  LedgerStore.open({ path, kioskId, key }).close();
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    const tip = db.prepare('SELECT seq, entry_hash FROM entries ORDER BY seq DESC LIMIT 1').get() as
      { seq: number; entry_hash: Buffer } | undefined;
    let seq = tip?.seq ?? 0;
    let prev = tip === undefined ? GENESIS_PREV_HASH : tip.entry_hash.toString('hex');
    const insert = db.prepare(
      `INSERT INTO entries (${ENTRY_ROW_COLUMNS}) VALUES (@seq, @kind, @created_at_ms, @canonical, @signature, @entry_hash, @payment_id, @payment_seq, @amount_minor, @currency, @customer_id)`,
    );
    db.transaction(() => {
      for (const d of drafts) {
        seq++;
        const entry = {
          v: ENTRY_VERSION,
          kiosk_id: kioskId,
          seq,
          prev_hash: prev,
          kind: d.kind,
          created_at_ms: createdAtMs,
          body: d.body,
        } as Entry;
        const canonical = canonicalBytes(entry);
        const signature = key.signEntry(canonical);
        const hash = entryHash(canonical, signature);
        insert.run({ ...derivedColumns(entry), canonical, signature, entry_hash: hash });
        prev = toHex(hash);
      }
    })();
  } finally {
    db.close();
  }
  const store = LedgerStore.open({ path, kioskId, key });
  try {
    store.verifyTail(Math.min(drafts.length, 50));
  } finally {
    store.close();
  }
}
