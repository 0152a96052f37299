// `npm start`: the kiosk. Electron where its binary is installed; otherwise browser mode (the
// same host services over HTTP + WebSocket on loopback, the screens served to any Chromium),
// with a message that says why and gives the URL. With no settlement server configured it
// starts the demo store: an embedded settlement server on SQLite, the menu, and demo customers
// enrolled from the repository's test/fixtures (or the user's own photos: --photos DIR, one folder per
// person), so that a payment can happen within a minute of cloning. The embedded server is the
// launcher's (scripts/start.mjs hands main() scripts/demo-store.ts's startDemoSettlement): this
// library holds no settlement-server code.
//
//   npm start [-- --browser] [--photos DIR] [--no-demo]
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../config.js';
import { createLogger } from '../log.js';
import { LedgerError } from '../../ledger/protocol/errors.js';
import { formatMoney } from '../../ledger/protocol/money.js';
import { openKiosk } from './kiosk.js';
import { KeyProtectionError } from './key-protection.js';
import {
  DEMO_VIDEO_CUSTOMER,
  ensureDemoStaff,
  type DemoSettlement,
  type DescribeFaces,
  type StartDemoSettlement,
} from './demo/demo.js';
import { StaffDirectory } from './staff/directory.js';
import { RENDERER_DIST_DIR } from './transport/http-server.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where Electron's binary would be, or why there is none. Never requires 'electron' itself:
 * that package downloads its binary on first require, which fails offline. */
export function electronBinary(): { path: string } | { why: string } {
  const pkg = join(ROOT, 'node_modules', 'electron');
  if (!existsSync(pkg)) return { why: 'the electron package is not installed' };
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile))
    return {
      why: "Electron's binary was never downloaded (node_modules/electron/path.txt is missing; this machine cannot reach its download)",
    };
  const bin = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(bin)) return { why: `Electron's binary ${bin} is missing` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return { why: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  return { path: bin };
}

/** The newest modification time under a folder (the renderer's sources). */
function newestMs(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    newest = Math.max(newest, st.isDirectory() ? newestMs(path) : st.mtimeMs);
  }
  return newest;
}

/** Builds the screens with Vite when dist/renderer is missing (a fresh clone) or older than
 * the renderer's sources. */
/** Whether the process named in a build lock still runs (a lock without a pid yet is fresh). */
function lockHolderAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    // No pid yet: just made, or left by a builder killed between its two steps.
    try {
      return Date.now() - statSync(lock).mtimeMs < 10_000;
    } catch {
      return true; // gone already: the next mkdir decides
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

/** How long a caller waits for another process's build of the screens. */
export const RENDERER_BUILD_WAIT_MS_MAX = 5 * 60_000;

/** Builds the screens when the sources are newer than the build. Several processes may ask at
 * once (test files run in parallel, each with its own kiosk): one builds, under a lock directory
 * beside the output, and the others wait for it, then find the build fresh. Freshness is only
 * read under the lock, so nobody serves a build that another process is halfway through (vite
 * empties the output folder first). */
export async function ensureRendererBuilt(): Promise<void> {
  const index = join(RENDERER_DIST_DIR, 'index.html');
  // The screens' sources: renderer/, vision/, and the contract they import (constants.ts).
  const fresh = (): boolean =>
    existsSync(index) &&
    statSync(index).mtimeMs >=
      Math.max(...['renderer', 'vision', join('electron', 'contract')].map((dir) => newestMs(join(ROOT, dir))));
  const lock = `${RENDERER_DIST_DIR}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  for (const deadline = Date.now() + RENDERER_BUILD_WAIT_MS_MAX; ;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
    }
    // A lock whose builder is gone (killed, crashed) is taken over: moved aside under a name of
    // our own, so that two waiters never both remove it.
    if (!lockHolderAlive(lock)) {
      const aside = `${lock}.stale-${process.pid}-${Date.now()}`;
      try {
        renameSync(lock, aside);
        rmSync(aside, { recursive: true, force: true });
      } catch {
        // someone else moved it first
      }
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(
        `waited ${RENDERER_BUILD_WAIT_MS_MAX} ms for another build of the screens; if none is running, remove ${lock}`,
      );
    await new Promise((res) => setTimeout(res, 200));
  }
  try {
    if (fresh()) return;
    process.stdout.write('Building the screens (vite)...\n');
    const { build } = await import('vite');
    await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** What the launcher (scripts/start.mjs) brings: the face pipeline in Node for the demo
 * customers, and the demo settlement server. Without them the kiosk starts without either. */
export interface Launcher {
  describeFaces?: DescribeFaces;
  startDemoSettlement?: StartDemoSettlement;
}

export async function main(argv = process.argv.slice(2), launcher: Launcher = {}): Promise<number> {
  const { describeFaces, startDemoSettlement } = launcher;
  const t0 = Date.now();
  const { values: args } = parseArgs({
    args: argv,
    options: { browser: { type: 'boolean' }, photos: { type: 'string' }, 'no-demo': { type: 'boolean' } },
  });
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`smile-to-pay: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  await ensureRendererBuilt();
  const electron = args.browser ? { why: 'browser mode was asked for (--browser)' } : electronBinary();
  if ('path' in electron) {
    // The Electron kiosk holds no settlement server: the demo store's runs here, in the
    // launcher, and the kiosk is told where (as a configured one would be).
    // Its demo staff are made here too, and their PINs shown once, as in browser mode.
    let demo: DemoSettlement | null = null;
    if (config.settlement.url === null && !args['no-demo'] && startDemoSettlement) {
      const log = createLogger({ level: config.log_level });
      demo = await startDemoSettlement(config, undefined, log);
      mkdirSync(config.data_dir, { recursive: true });
      const staff = new StaffDirectory(join(config.data_dir, 'staff.db'));
      const made = await ensureDemoStaff(staff, log).finally(() => staff.close());
      if (made)
        process.stdout.write(
          `Staff sign-in: manager ${made.manager.staff_id} PIN ${made.manager.pin}, cashier ${made.cashier.staff_id} PIN ${made.cashier.pin} (shown only now).\n`,
        );
    }
    const child = spawn(electron.path, [join(ROOT, 'electron', 'main.ts')], {
      stdio: 'inherit',
      env: {
        ...process.env,
        NODE_OPTIONS: '--import tsx',
        ...(demo ? { SMILE_SETTLEMENT_URL: demo.url, SMILE_MERCHANT_TOKEN: demo.token } : {}),
      },
    });
    const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
    await demo?.close();
    return code;
  }
  const log = createLogger({ level: config.log_level });
  try {
    const kiosk = await openKiosk({
      config,
      log,
      demo: !args['no-demo'],
      ...(startDemoSettlement ? { startDemoSettlement } : {}),
      ...(describeFaces ? { describeFaces } : {}),
      ...(args.photos ? { demoPhotosDir: args.photos } : {}),
      startedAtMs: t0,
    });
    const url = kiosk.http!.url;
    if (kiosk.demoProblem) process.stderr.write(`smile-to-pay: ${kiosk.demoProblem}\n`);
    // The first run pairs its customer screen with one click, as Jupyter's token URL does; later
    // screens are paired by a manager (Staff > Screens), so a printed link is only for the first.
    const paired = kiosk.pairing.activeCount();
    process.stdout.write(
      [
        '',
        `Smile to Pay — ${config.store.name} (${config.kiosk_id})`,
        `  Browser mode, because ${electron.why}.`,
        paired === 0
          ? `  Open ${kiosk.pairingLink()} in Chromium or Chrome and allow the camera: this one-time link makes that browser the customer screen (valid ${Math.round(config.security.pairing_link_ttl_ms / 60_000)} min).`
          : `  Open ${url} on the paired customer screen (${paired} paired; a manager pairs another in Staff > Screens).`,
        `  Host ready in ${Date.now() - t0} ms; the screen's self-check says when payments can start.`,
        kiosk.tlsAuthorityFingerprint
          ? `  Staff devices: ${url}/?screen=staff over TLS; install ${url}/tls/kiosk-ca.pem on each and check its SHA-256 is ${kiosk.tlsAuthorityFingerprint}.`
          : '',
        `  Keys: ${kiosk.keyProtection.statement}.`,
        `  Settlement: ${kiosk.settlementUrl ?? 'none'}${kiosk.demo ? ' (embedded demo server)' : ''}; ${kiosk.customers.count()} customers enrolled.`,
        `  Currency ${config.store.currency}; offline limit per payment ${formatMoney(config.limits.offline_payment_max_minor, config.store.currency)}.`,
        kiosk.demoStaff
          ? `  Staff sign-in: manager ${kiosk.demoStaff.manager.staff_id} PIN ${kiosk.demoStaff.manager.pin}, cashier ${kiosk.demoStaff.cashier.staff_id} PIN ${kiosk.demoStaff.cashier.pin} (shown only now; the PINs rest as scrypt hashes in ${config.data_dir}/staff.db).`
          : `  Staff sign-in: ${kiosk.staff.count()} members of staff.`,
        kiosk.demo && kiosk.customers.get(DEMO_VIDEO_CUSTOMER.customer_id)
          ? `  Demo: the man of test/fixtures/video/d0.mjpeg is enrolled (phone digits 0042); each demo wallet holds ${formatMoney(kiosk.demo.walletMinor, config.store.currency)}.`
          : '',
        '  Stop with Ctrl-C.',
        '',
      ]
        .filter((l) => l !== '')
        .join('\n') + '\n',
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await kiosk.close();
    return 0;
  } catch (err) {
    if (err instanceof LedgerError) {
      log.error({ code: err.code, seq: err.seq }, err.message);
      process.stderr.write(`smile-to-pay: out of service: ${err.code}: ${err.message}\n`);
      return 1;
    }
    if (err instanceof KeyProtectionError) {
      process.stderr.write(`smile-to-pay: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
