// Crash safety: a child process appends payments and is killed with SIGKILL at random
// moments, many times over one ledger file. Afterwards every acknowledged payment is present
// exactly once, with the hash that was acknowledged, and the whole chain verifies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/tmp.js';
import { loadOrCreateDeviceKey } from '../../ledger/keys/device-key.js';
import { verifyLedger } from '../../ledger/verify/verify.js';

const APPENDER = fileURLToPath(new URL('./fixtures/appender.ts', import.meta.url));
const ROUNDS = 30;

function runAndKill(
  path: string,
  keyPath: string,
  round: number,
  killAfterMs: number,
): Promise<{ acks: string[]; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', APPENDER, path, keyPath, 'kiosk-crash', String(round)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      // Start the clock once the child is appending, so every round kills mid-stream.
      if (timer === undefined && out.includes('READY\n')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      // Only whole lines count: a line cut by the kill was never an acknowledgement.
      const lines = out
        .split('\n')
        .slice(0, -1)
        .filter((l) => l.startsWith('ACK '));
      resolve({ acks: lines, signal });
    });
  });
}

test('SIGKILL at random moments loses no acknowledged payment, duplicates none, and leaves a valid chain', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'ledger.db');
  const keyPath = join(dir, 'device-key.json');
  loadOrCreateDeviceKey(keyPath);
  const acknowledged = new Map<string, { seq: number; hash: string }>();
  for (let round = 0; round < ROUNDS; round++) {
    const { acks, signal } = await runAndKill(path, keyPath, round, 20 + Math.floor(Math.random() * 250));
    assert.equal(signal, 'SIGKILL', `round ${round} ended by the kill`);
    for (const line of acks) {
      const [, seq, hash, id] = line.split(' ');
      assert.equal(acknowledged.has(id!), false, `payment ${id} acknowledged twice`);
      acknowledged.set(id!, { seq: Number(seq), hash: hash! });
    }
  }
  assert.ok(acknowledged.size > ROUNDS, `enough appends were acknowledged (${acknowledged.size})`);

  const db = new Database(path, { readonly: true });
  const stored = db
    .prepare("SELECT payment_id, seq, hex(entry_hash) AS hash FROM entries WHERE kind = 'payment'")
    .all() as { payment_id: string; seq: number; hash: string }[];
  db.close();
  const byId = new Map<string, { seq: number; hash: string }[]>();
  for (const row of stored)
    byId.set(row.payment_id, [...(byId.get(row.payment_id) ?? []), { seq: row.seq, hash: row.hash.toLowerCase() }]);
  for (const [id, ack] of acknowledged) {
    const found = byId.get(id) ?? [];
    assert.equal(found.length, 1, `acknowledged payment ${id} is present exactly once`);
    assert.deepEqual(found[0], ack, `payment ${id} is the entry that was acknowledged`);
  }
  const report = await verifyLedger(path);
  assert.equal(report.ok, true, JSON.stringify(report.fault));
  t.diagnostic(
    `${ROUNDS} kills, ${acknowledged.size} acknowledged appends, ${report.entries_checked} entries verified (${report.entries_checked - acknowledged.size} committed but not yet acknowledged when killed)`,
  );
});
