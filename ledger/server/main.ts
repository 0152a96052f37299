// The settlement server's command line: start it, and administer it (merchants, merchant
// tokens, customers, wallet top-ups, offline limits, regulator keys, freezes, alarms,
// reports). Storage is SQLite in --data-dir unless DATABASE_URL names a PostgreSQL database.
// Run as `node bin/settle.js <command>` (or `npm run settle -- <command>`).

import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { loadOrCreateDeviceKey } from '../keys/device-key.js';
import { toHex } from '../protocol/hex.js';
import { closeServices, openServices, startServer, type ServerConfig } from './server.js';
import { addCustomer, addMerchant, addRegulatorKey, createToken, listAlarms, setLimits, topUp } from './admin.js';
import { deleteTemplates } from './customers.js';
import { applyFreeze } from './freezes.js';
import { dailyReport } from './report.js';
import { FREEZE_DOMAIN, freezeBytes } from '../wire/signing.js';
import { OFFLINE_UNSYNCED_AGE_MS_MAX } from '../wire/limits.js';
import type { FreezeRecord } from '../wire/wire.js';
import type { Services } from './context.js';

const USAGE = `usage: settle <command> [options]   (storage: DATABASE_URL, else SQLite in --data-dir)
  serve [--host 127.0.0.1] [--port 8787]
        (every server of one service on one PostgreSQL: the same --signing-key and --box-key)
  merchant add <merchant_id> --name <name> --currency <ISO 4217>
  token create <merchant_id>
  customer add <customer_id> --merchant <merchant_id>
  customer delete <customer_id>
  topup <customer_id> <amount_minor> --currency <ISO 4217>
  limits <merchant_id> --currency <c> --payment-max <minor> --day-max <minor> [--unsynced-age-ms <ms>]
  regulator keygen <key_file>            (the regulator's own key; prints its public key)
  regulator add-key <public_key_hex>
  freeze|unfreeze account <account_id> --reason <text> --regulator-key <key_file>
  freeze|unfreeze payment <entry_hash> --reason <text> --regulator-key <key_file>
  alarms
  report <merchant_id> <YYYY-MM-DD>
common: --data-dir <dir> (default var/settle)
        --signing-key <file> --box-key <file>   (default: server-signing-key.json and
        server-box-key.json in --data-dir; two files, so that a copy of the one is not the other)`;

class UsageError extends Error {}

function need(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new UsageError(`missing ${what}`);
  return value;
}

function int(value: string | undefined, what: string): number {
  const n = Number(need(value, what));
  if (!Number.isSafeInteger(n)) throw new UsageError(`${what}: expected an integer, got ${value}`);
  return n;
}

async function main(argv: string[]): Promise<void> {
  const { values: o, positionals: p } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string', default: 'var/settle' },
      'signing-key': { type: 'string' },
      'box-key': { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8787' },
      name: { type: 'string' },
      currency: { type: 'string' },
      merchant: { type: 'string' },
      reason: { type: 'string' },
      'regulator-key': { type: 'string' },
      'payment-max': { type: 'string' },
      'day-max': { type: 'string' },
      'unsynced-age-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (o.help === true || p.length === 0) {
    console.log(USAGE);
    return;
  }
  const config = {
    dataDir: o['data-dir']!,
    databaseUrl: process.env.DATABASE_URL,
    signingKeyPath: o['signing-key'],
    boxKeyPath: o['box-key'],
  };
  if (p[0] === 'serve') return serve(config, o.host!, int(o.port, '--port'));
  if (p[0] === 'regulator' && p[1] === 'keygen') {
    const { key, created } = loadOrCreateDeviceKey(need(p[2], 'key file'));
    console.log(JSON.stringify({ public_key: key.publicKeyHex, created }));
    return;
  }
  const s = await openServices({ ...config, verifyThreads: 0 });
  try {
    console.log(JSON.stringify(await admin(s, p, o)));
  } finally {
    await closeServices(s);
  }
}

async function admin(s: Services, p: string[], o: Record<string, string | boolean | undefined>): Promise<unknown> {
  const str = (k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  const cmd = `${p[0]} ${p[1] ?? ''}`.trim();
  switch (cmd) {
    case 'merchant add':
      await addMerchant(s, need(p[2], 'merchant_id'), need(str('name'), '--name'), need(str('currency'), '--currency'));
      return { merchant_id: p[2] };
    case 'token create':
      return { merchant_id: p[2], token: await createToken(s, need(p[2], 'merchant_id')) };
    case 'customer add':
      await addCustomer(s, need(p[2], 'customer_id'), need(str('merchant'), '--merchant'));
      return { customer_id: p[2] };
    case 'customer delete':
      return deleteTemplates(s, need(p[2], 'customer_id'), 'operator');
    case 'regulator add-key':
      await addRegulatorKey(s, need(p[2], 'public key'));
      return { public_key: p[2] };
    case 'alarms':
      return listAlarms(s);
  }
  switch (p[0]) {
    case 'topup':
      return topUp(s, need(p[1], 'customer_id'), int(p[2], 'amount_minor'), need(str('currency'), '--currency'));
    case 'limits': {
      const limits = {
        currency: need(str('currency'), '--currency'),
        payment_minor_max: int(str('payment-max'), '--payment-max'),
        customer_day_minor_max: int(str('day-max'), '--day-max'),
        unsynced_age_ms_max:
          str('unsynced-age-ms') === undefined
            ? OFFLINE_UNSYNCED_AGE_MS_MAX
            : int(str('unsynced-age-ms'), '--unsynced-age-ms'),
      };
      await setLimits(s, need(p[1], 'merchant_id'), limits);
      return { merchant_id: p[1], ...limits };
    }
    case 'report':
      return dailyReport(s, need(p[1], 'merchant_id'), need(p[2], 'business day'));
    case 'freeze':
    case 'unfreeze': {
      const targetType = p[1];
      if (targetType !== 'account' && targetType !== 'payment') throw new UsageError('freeze what: account or payment');
      const { key } = loadOrCreateDeviceKey(need(str('regulator-key'), '--regulator-key'));
      const record: FreezeRecord = {
        v: 1,
        freeze_id: randomUUID(),
        action: p[0],
        target_type: targetType,
        target_id: need(p[2], 'target'),
        reason: need(str('reason'), '--reason'),
        issued_at_ms: s.now(),
      };
      return applyFreeze(s, { record, signature: toHex(key.signWithDomain(FREEZE_DOMAIN, freezeBytes(record))) });
    }
  }
  throw new UsageError(`unknown command: ${p.join(' ')}`);
}

/** Production serving: no fault hooks (the crash tests start test/helpers/settle-serve-faults.ts instead). */
async function serve(config: ServerConfig, host: string, port: number): Promise<void> {
  const logger = process.env.SETTLE_LOG === 'off' ? false : { level: process.env.SETTLE_LOG ?? 'warn' };
  const server = await startServer({ ...config, host, port, logger });
  console.log(
    `settle: listening on ${server.url} (storage: ${server.services.store.dialect} ${server.services.store.where})`,
  );
  const shutdown = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const e = err as Error & { code?: string };
  console.error(err instanceof UsageError ? `${e.message}\n${USAGE}` : `settle: ${e.code ?? 'error'}: ${e.message}`);
  process.exit(err instanceof UsageError ? 2 : 1);
});
