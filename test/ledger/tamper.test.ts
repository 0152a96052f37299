// Tamper evidence, as property tests on real SQLite files: any single-byte change to any
// stored entry (bytes, signature, hash or any query column), any deleted row and any
// reordering of rows is caught by verify, which names the entry. Both verify paths (one
// thread, worker threads) name the same first bad entry.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { tempDir } from '../helpers/tmp.js';
import { mixedLedger } from '../helpers/ledger.js';
import { verifyLedger } from '../../ledger/verify/verify.js';

let dir: string;
let pristine: string;
let rows: number;
let tip: { seq: number; entry_hash: string };
let copies = 0;

before(async () => {
  dir = tempDir({ after: (fn: () => void) => process.on('exit', fn) }, 'smile-tamper-');
  const made = mixedLedger(dir, 40);
  rows = made.store.count();
  made.store.close();
  pristine = made.path;
  const report = await verifyLedger(pristine);
  assert.equal(report.ok, true, 'the untouched ledger verifies');
  tip = report.tip!;
});

/** A copy of the pristine ledger with the append-only triggers removed, as an attacker would. */
function tamperable(): { path: string; db: Database.Database } {
  const path = join(dir, `copy-${copies++}.db`);
  copyFileSync(pristine, path);
  const db = new Database(path);
  for (const name of ['entries_no_update', 'entries_no_delete', 'meta_no_update', 'meta_no_delete'])
    db.exec(`DROP TRIGGER ${name}`);
  return { path, db };
}

const BLOB_COLUMNS = ['canonical', 'signature', 'entry_hash'] as const;
const VALUE_COLUMNS = [
  'kind',
  'created_at_ms',
  'payment_id',
  'payment_seq',
  'amount_minor',
  'currency',
  'customer_id',
] as const;

test("flipping any bit of any byte of an entry's bytes, signature or hash is caught at that entry", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.constantFrom(...BLOB_COLUMNS),
      fc.nat(),
      fc.integer({ min: 0, max: 7 }),
      async (seqPick, column, bytePick, bit) => {
        const seq = 1 + (seqPick % rows);
        const { path, db } = tamperable();
        const blob = Buffer.from(
          db.prepare(`SELECT ${column} FROM entries WHERE seq = ?`).pluck().get(seq) as Uint8Array,
        );
        blob[bytePick % blob.length]! ^= 1 << bit;
        db.prepare(`UPDATE entries SET ${column} = ? WHERE seq = ?`).run(blob, seq);
        db.close();
        const report = await verifyLedger(path, { workers: 1 });
        assert.equal(report.ok, false, `flip in ${column} of entry ${seq} went unnoticed`);
        assert.equal(report.fault!.seq, seq, `${column} of ${seq}: ${report.fault!.message}`);
      },
    ),
    { numRuns: 120 },
  );
});

test('changing any query column of any entry (a value, or NULL into a value) is caught at that entry', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.constantFrom(...VALUE_COLUMNS),
      async (seqPick, column) => {
        const seq = 1 + (seqPick % rows);
        const { path, db } = tamperable();
        const old = db.prepare(`SELECT ${column} FROM entries WHERE seq = ?`).pluck().get(seq) as
          string | number | null;
        const changed =
          typeof old === 'number'
            ? old + 1
            : old === null
              ? column === 'kind' || column === 'currency' || column.endsWith('_id')
                ? 'X'
                : 1
              : old === 'EUR'
                ? 'USD'
                : `${old}x`;
        db.prepare(`UPDATE entries SET ${column} = ? WHERE seq = ?`).run(changed, seq);
        db.close();
        const report = await verifyLedger(path, { workers: 1 });
        assert.equal(report.ok, false, `${column} of entry ${seq} changed unnoticed`);
        assert.ok(
          report.fault!.seq <= seq,
          `${column} of ${seq} reported at ${report.fault!.seq}: ${report.fault!.message}`,
        );
      },
    ),
    { numRuns: 60 },
  );
});

test('deleting any row is caught; a row cut off the end is caught against an anchor', async () => {
  for (let seq = 1; seq <= rows; seq++) {
    const { path, db } = tamperable();
    db.prepare('DELETE FROM entries WHERE seq = ?').run(seq);
    db.close();
    const report = await verifyLedger(path, { workers: 1, anchor: tip });
    assert.equal(report.ok, false, `deleting entry ${seq} went unnoticed`);
    // The gap shows at the entry after the hole (or, for a deleted key rotation, at the
    // first entry signed by the key it named); a cut-off tail at the anchor.
    assert.ok(
      report.fault!.seq === seq || report.fault!.seq === seq + 1,
      `deleted ${seq}, reported ${report.fault!.seq}: ${report.fault!.message}`,
    );
  }
  // Without an anchor, a shorter chain is still a valid chain: that is what anchors are for.
  const { path, db } = tamperable();
  db.prepare('DELETE FROM entries WHERE seq = ?').run(rows);
  db.close();
  assert.equal((await verifyLedger(path, { workers: 1 })).ok, true);
});

test('reordering rows (swapping the contents of any two) is caught at the first of them', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), async (p, q) => {
      const a = 1 + (p % rows);
      const b = 1 + (q % rows);
      fc.pre(a !== b);
      const { path, db } = tamperable();
      const cols =
        'kind, created_at_ms, canonical, signature, entry_hash, payment_id, payment_seq, amount_minor, currency, customer_id';
      const ra = db.prepare(`SELECT ${cols} FROM entries WHERE seq = ?`).get(a) as Record<string, unknown>;
      const rb = db.prepare(`SELECT ${cols} FROM entries WHERE seq = ?`).get(b) as Record<string, unknown>;
      db.transaction(() => {
        db.prepare('DELETE FROM entries WHERE seq IN (?, ?)').run(a, b);
        const ins = db.prepare(
          `INSERT INTO entries (seq, ${cols}) VALUES (@seq, @kind, @created_at_ms, @canonical, @signature, @entry_hash, @payment_id, @payment_seq, @amount_minor, @currency, @customer_id)`,
        );
        ins.run({ ...rb, seq: a });
        ins.run({ ...ra, seq: b });
      })();
      db.close();
      const report = await verifyLedger(path, { workers: 1 });
      assert.equal(report.ok, false);
      assert.equal(report.fault!.seq, Math.min(a, b), report.fault!.message);
    }),
    { numRuns: 40 },
  );
});

test("changing the ledger's identity (kiosk id or first key) is caught", async () => {
  for (const [key, value] of [
    ['kiosk_id', 'kiosk-evil'],
    ['genesis_public_key', 'ab'.repeat(32)],
  ]) {
    const { path, db } = tamperable();
    db.prepare('UPDATE ledger_meta SET value = ? WHERE key = ?').run(value, key);
    db.close();
    const report = await verifyLedger(path, { workers: 1 });
    assert.equal(report.ok, false, key);
    assert.equal(report.fault!.seq, 1, report.fault!.message);
  }
});

test('the worker-thread path names the same first bad entry as the single-thread path', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.constantFrom(...BLOB_COLUMNS),
      fc.nat(),
      async (seqPick, column, bytePick) => {
        const seq = 1 + (seqPick % rows);
        const { path, db } = tamperable();
        const blob = Buffer.from(
          db.prepare(`SELECT ${column} FROM entries WHERE seq = ?`).pluck().get(seq) as Uint8Array,
        );
        blob[bytePick % blob.length]! ^= 0x40;
        db.prepare(`UPDATE entries SET ${column} = ? WHERE seq = ?`).run(blob, seq);
        db.close();
        const one = await verifyLedger(path, { workers: 1 });
        const three = await verifyLedger(path, { workers: 3 });
        assert.equal(three.workers, 3);
        assert.deepEqual(three.fault, one.fault);
      },
    ),
    { numRuns: 8 },
  );
});
