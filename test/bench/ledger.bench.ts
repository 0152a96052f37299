// bench:ledger — durable signed appends (one payment per transaction, as the kiosk does)
// and `verify` of a 100,000-entry ledger. Prints each round and the medians; the last line
// is one JSON object: {"bench":"ledger","durable_appends_per_s":N,"verify_entries_per_s":N}.
//
//   npm run bench:ledger [-- --appends 2000 --rounds 5 --verify-entries 100000]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DeviceKey } from '../../ledger/keys/device-key.js';
import { LedgerStore } from '../../ledger/store/store.js';
import { verifyLedger } from '../../ledger/verify/verify.js';

const { values } = parseArgs({
  options: {
    appends: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '5' },
    'verify-entries': { type: 'string', default: '100000' },
    dir: { type: 'string' },
  },
});
const APPENDS = Number(values.appends);
const ROUNDS = Number(values.rounds);
const VERIFY_ENTRIES = Number(values['verify-entries']);
const dir = mkdtempSync(join(values.dir ?? tmpdir(), 'smile-bench-ledger-'));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const body = (n: number) => ({
  payment_id: `p-${n}`,
  order_id: `o-${n}`,
  amount_minor: 1000 + (n % 997),
  currency: 'EUR',
  method: 'face' as const,
  customer_id: `c-${n % 500}`,
});

try {
  const appendRates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const store = LedgerStore.open({
      path: join(dir, `append-${r}.db`),
      kioskId: 'kiosk-bench',
      key: DeviceKey.generate(),
    });
    const t0 = performance.now();
    for (let i = 0; i < APPENDS; i++) store.append('payment', body(i));
    const ms = performance.now() - t0;
    store.close();
    appendRates.push((APPENDS / ms) * 1000);
    console.log(
      `append round ${r + 1}: ${APPENDS} durable appends in ${ms.toFixed(0)} ms = ${appendRates.at(-1)!.toFixed(0)}/s`,
    );
  }

  const path = join(dir, 'verify.db');
  const store = LedgerStore.open({ path, kioskId: 'kiosk-bench', key: DeviceKey.generate() });
  const t0 = performance.now();
  for (let done = 0; done < VERIFY_ENTRIES;) {
    const n = Math.min(1000, VERIFY_ENTRIES - done);
    store.appendAll(Array.from({ length: n }, (_, i) => ({ kind: 'payment' as const, body: body(done + i) })));
    done += n;
    if (done % 20_000 === 0 && done < VERIFY_ENTRIES)
      store.closeDay(`2026-01-${String(done / 20_000).padStart(2, '0')}`, 'manager:bench');
  }
  store.close();
  console.log(`built a ${VERIFY_ENTRIES}-entry ledger (with day closes) in ${(performance.now() - t0).toFixed(0)} ms`);

  const verifyRates: number[] = [];
  const singleRates: number[] = [];
  for (let r = 0; r < 3; r++) {
    const parallel = await verifyLedger(path);
    if (!parallel.ok) throw new Error(`benchmark ledger failed verification: ${parallel.fault?.message}`);
    verifyRates.push((parallel.entries_checked / parallel.elapsed_ms) * 1000);
    const single = await verifyLedger(path, { workers: 1 });
    singleRates.push((single.entries_checked / single.elapsed_ms) * 1000);
    console.log(
      `verify round ${r + 1}: ${parallel.entries_checked} entries, ${parallel.workers} workers ${parallel.elapsed_ms} ms = ${verifyRates.at(-1)!.toFixed(0)}/s; one thread ${single.elapsed_ms} ms = ${singleRates.at(-1)!.toFixed(0)}/s`,
    );
  }
  const appendsPerS = Math.round(median(appendRates));
  const verifyPerS = Math.round(median(verifyRates));
  console.log(`median durable appends/s: ${appendsPerS} (target >= 2000)`);
  console.log(
    `median verify entries/s: ${verifyPerS} (target >= 15000); one thread ${Math.round(median(singleRates))}/s, ratio ${(median(verifyRates) / median(singleRates)).toFixed(2)}`,
  );
  console.log(
    JSON.stringify({ bench: 'ledger', durable_appends_per_s: appendsPerS, verify_entries_per_s: verifyPerS }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
