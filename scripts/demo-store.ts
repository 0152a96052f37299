// The demo store's settlement server, for `npm start` with nothing configured, and the kiosk
// opened beside it: an embedded settlement server on SQLite in the data folder, with a merchant
// in this kiosk's currency and offline limits, that funds each demo wallet. It lives here, with
// the launcher (scripts/start.mjs) and the tests, because the settlement server is a separate
// program: the kiosk library (electron/) holds none of its code and only sees the
// DemoSettlement it is handed (electron/host/demo/demo.ts).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { startServer, type RunningServer } from '../ledger/server/server.js';
import { addMerchant, createToken, setLimits, topUp } from '../ledger/server/admin.js';
import { SettleError } from '../ledger/server/errors.js';
import type { KioskConfig } from '../electron/config.js';
import type { DemoSettlement, StartDemoSettlement } from '../electron/host/demo/demo.js';
import { openKiosk, type Kiosk, type KioskOptions } from '../electron/host/kiosk.js';

export const DEMO_MERCHANT_ID = 'demo-merchant';
/** Prepaid balance of each demo wallet (minor units). */
export const DEMO_WALLET_MINOR = 100_00;

/** The demo settlement server as its launcher holds it: the kiosk's view, and the server. */
export interface RunningDemoSettlement extends DemoSettlement {
  server: RunningServer;
}

/** A kiosk of the demo store, with the demo server it runs beside (null when it has a real one). */
export type DemoKiosk = Kiosk<RunningDemoSettlement>;

/** The port the demo server had last time (kept beside its data), so that the receipt QR codes
 * of earlier runs still resolve; null when there is none or it is not a port. */
function lastPort(dataDir: string): number | null {
  const file = join(dataDir, 'port');
  if (!existsSync(file)) return null;
  const port = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(port) && port > 0 && port < 65_536 ? port : null;
}

/** The embedded settlement server, with the demo merchant and this kiosk's limits. On the port
 * it had before unless `port` is given (0: any); a port taken by now falls back to any. */
export async function startDemoSettlement(
  config: KioskConfig,
  port?: number,
  log?: Logger,
): Promise<RunningDemoSettlement> {
  const dataDir = join(config.data_dir, 'demo-settle');
  const before = port ?? lastPort(dataDir) ?? 0;
  const start = (p: number): Promise<RunningServer> =>
    startServer({ dataDir, host: '127.0.0.1', port: p, verifyThreads: 0 });
  let server: RunningServer;
  try {
    server = await start(before);
  } catch (err) {
    if ((err as { code?: string }).code !== 'EADDRINUSE' || before === 0 || port !== undefined) throw err;
    log?.warn(
      { port: before },
      "the demo settlement server's port of the last run is taken; earlier receipt QR codes will not resolve",
    );
    server = await start(0);
  }
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'port'), `${new URL(server.url).port}\n`);
  const s = server.services;
  try {
    await addMerchant(s, DEMO_MERCHANT_ID, config.store.name, config.store.currency);
  } catch (err) {
    if (!(err instanceof SettleError && err.code === 'SETTLE_CONFLICT')) throw err;
  }
  await setLimits(s, DEMO_MERCHANT_ID, {
    currency: config.store.currency,
    payment_minor_max: config.limits.offline_payment_max_minor,
    customer_day_minor_max: config.limits.offline_customer_day_max_minor,
    unsynced_age_ms_max: config.limits.offline_unsynced_age_ms_max,
  });
  const token = await createToken(s, DEMO_MERCHANT_ID);
  return {
    server,
    url: server.url,
    token,
    walletMinor: DEMO_WALLET_MINOR,
    fund: async (customerId, currency) => void (await topUp(s, customerId, DEMO_WALLET_MINOR, currency)),
    close: () => server.close(),
  };
}
// The launcher's starter is the one the kiosk takes.
startDemoSettlement satisfies StartDemoSettlement<RunningDemoSettlement>;

/** openKiosk as `npm start` opens it: the demo store (when no settlement server is configured
 * and `demo` is not false) with its embedded settlement server. */
export function openDemoKiosk(o: Omit<KioskOptions<RunningDemoSettlement>, 'startDemoSettlement'>): Promise<DemoKiosk> {
  return openKiosk({ ...o, startDemoSettlement });
}
