// Proves the settlement CLI (bin/settle.js, as an operator runs it) administers a server on
// SQLite and on PostgreSQL (DATABASE_URL): merchants, tokens, customers, top-ups, limits,
// a regulator key and a freeze signed with it, alarms and the daily report; and that it
// refuses a bad command with its usage and a failed one with the error's code.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BACKENDS, storageFor, usePostgres, type StorageConfig } from '../helpers/settle.js';

const pg = usePostgres();
const run = promisify(execFile);

async function settle(storage: StorageConfig, ...args: string[]): Promise<unknown> {
  const env = { ...process.env, ...(storage.databaseUrl === undefined ? {} : { DATABASE_URL: storage.databaseUrl }) };
  const { stdout } = await run(process.execPath, ['bin/settle.js', ...args, '--data-dir', storage.dataDir], { env });
  return JSON.parse(stdout) as unknown;
}

for (const backend of BACKENDS) {
  describe(`settle CLI on ${backend}`, () => {
    it('administers merchants, customers, money, limits and freezes', async () => {
      const storage = await storageFor(backend, pg);
      await settle(storage, 'merchant', 'add', 'm1', '--name', 'Noodle Bar', '--currency', 'EUR');
      const { token } = (await settle(storage, 'token', 'create', 'm1')) as { token: string };
      assert.match(token, /^stp1\.[A-Za-z0-9_-]{43}\.[0-9a-f]{32}$/, 'a secret and the fingerprint of the server key');
      await settle(storage, 'customer', 'add', 'c1', '--merchant', 'm1');
      assert.deepEqual(await settle(storage, 'topup', 'c1', '2500', '--currency', 'EUR'), { balance_minor: 2500 });
      await settle(storage, 'limits', 'm1', '--currency', 'EUR', '--payment-max', '3000', '--day-max', '6000');
      const keyFile = join(storage.dataDir, 'regulator.key');
      const { public_key } = (await settle(storage, 'regulator', 'keygen', keyFile)) as { public_key: string };
      await settle(storage, 'regulator', 'add-key', public_key);
      assert.deepEqual(
        (
          (await settle(
            storage,
            'freeze',
            'account',
            'wallet:c1',
            '--reason',
            'court order 7',
            '--regulator-key',
            keyFile,
          )) as { frozen: boolean }
        ).frozen,
        true,
      );
      await assert.rejects(settle(storage, 'topup', 'c1', '100', '--currency', 'EUR'), (err: { stderr: string }) =>
        /SETTLE_NOT_ALLOWED: wallet of c1 is frozen/.test(err.stderr),
      );
      await settle(storage, 'unfreeze', 'account', 'wallet:c1', '--reason', 'order lifted', '--regulator-key', keyFile);
      assert.deepEqual(await settle(storage, 'topup', 'c1', '100', '--currency', 'EUR'), { balance_minor: 2600 });
      assert.deepEqual(await settle(storage, 'alarms'), []);
      const report = (await settle(storage, 'report', 'm1', '2026-11-21')) as {
        merchant_id: string;
        balance_minor: number;
      };
      assert.equal(report.merchant_id, 'm1');
      await assert.rejects(
        settle(storage, 'merchant', 'fly'),
        (err: { code: number; stderr: string }) => err.code === 2 && /usage: settle/.test(err.stderr),
      );
    });
  });
}
