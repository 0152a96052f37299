// The demo store, for `npm start` with nothing configured: an embedded settlement server on
// SQLite in the data folder, a merchant with this kiosk's currency and offline limits, and
// demo customers enrolled from the repository's fixtures (test/fixtures) (the eight people's photos, and the man of
// d0.mjpeg from the recording's neutral frames) or from the user's own photos (--photos DIR,
// one folder of photos per person). Each gets a funded wallet and a phone number for the
// step-up. Enrolment happens once per data folder; later starts reuse it.
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { startServer, type RunningServer } from '../../../ledger/server/server.js';
import { addMerchant, createToken, setLimits, topUp } from '../../../ledger/server/admin.js';
import { SettleError } from '../../../ledger/server/errors.js';
import type { SyncWorker } from '../../../ledger/sync/worker.js';
import { splitMjpeg } from '../../../native/mjpeg.js';
import type { KioskConfig } from '../../config.js';
import { phoneLast4, type CustomerDirectory } from '../payment/customers.js';
import { encodeTemplates } from '../payment/gallery.js';
import type { StaffDirectory } from '../staff/directory.js';
import { MANAGER_PIN_DIGITS_MIN, pinProblem } from '../staff/pin-hash.js';
import { CONSENT_PURPOSE, CONSENT_RETENTION_DAYS, CONSENT_TEXT_VERSION } from '../../contract/constants.js';

export const DEMO_MERCHANT_ID = 'demo-merchant';
/** Prepaid balance of each demo wallet (minor units). */
export const DEMO_WALLET_MINOR = 100_00;
/** Photos per demo person used for the template; more only slow the first start. */
export const DEMO_PHOTOS_PER_PERSON_MAX = 3;
export const DEMO_PEOPLE_MAX = 32;
/** The customer in the fixture recording d0.mjpeg: the one who smiles to pay in the demo. */
export const DEMO_VIDEO_CUSTOMER = {
  customer_id: 'demo-d0',
  display_name: 'Daniel Ortiz',
  phone: '+49 151 5550 0042',
} as const;

/** The repository's test fixtures (test/fixtures: faces, attacks, camera streams; their sources
 * and licences are in its SOURCES.md), found from this file, not from the working folder;
 * SMILE_FIXTURES_DIR points elsewhere. */
export function fixturesDir(): string {
  return resolve(process.env.SMILE_FIXTURES_DIR ?? fileURLToPath(new URL('../../../test/fixtures', import.meta.url)));
}

export interface DemoSettlement {
  server: RunningServer;
  url: string;
  token: string;
  close(): Promise<void>;
}

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
export async function startDemoSettlement(config: KioskConfig, port?: number, log?: Logger): Promise<DemoSettlement> {
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
  return { server, url: server.url, token, close: () => server.close() };
}

export interface DemoPerson {
  customer_id: string;
  display_name: string;
  phone: string;
  /** Encoded images (JPEG or PNG). */
  images: Uint8Array[];
}

const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.png']);

/** People from a folder laid out as NAME/*.jpg|png (the fixtures' faces/people, or the user's). */
export function peopleFrom(dir: string): DemoPerson[] {
  const names = readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isDirectory())
    .sort()
    .slice(0, DEMO_PEOPLE_MAX);
  return names.map((name, i) => ({
    customer_id: `demo-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.slice(0, 64),
    display_name: name.charAt(0).toUpperCase() + name.slice(1),
    phone: `+49 151 5550 ${String(1000 + i)}`,
    images: readdirSync(join(dir, name))
      .filter((f) => IMAGE_EXT.has(extname(f).toLowerCase()))
      .sort()
      .slice(0, DEMO_PHOTOS_PER_PERSON_MAX)
      .map((f) => readFileSync(join(dir, name, f))),
  }));
}

/** The man of d0.mjpeg, from the recording's first frames (neutral, before his smile). */
export function videoPerson(fixtures = fixturesDir()): DemoPerson {
  const frames = splitMjpeg(readFileSync(join(fixtures, 'video', 'd0.mjpeg')));
  return { ...DEMO_VIDEO_CUSTOMER, images: [frames[0]!, frames[3]!, frames[6]!] };
}

export interface DemoEnrolOptions {
  worker: SyncWorker;
  customers: CustomerDirectory;
  settlement: DemoSettlement | null;
  currency: string;
  people: DemoPerson[];
  log: Logger;
  /** Photos -> descriptors (scripts/demo-faces.ts: the face pipeline in Node). */
  describeFaces: DescribeFaces;
}

export type DescribeFaces = (images: Uint8Array[]) => Promise<number[][]>;

/** Enrols the demo people through the real path: descriptors, server enrolment, feed. */
export async function enrolDemoPeople(o: DemoEnrolOptions): Promise<{ enrolled: string[]; skipped: string[] }> {
  const enrolled: string[] = [];
  const skipped: string[] = [];
  for (const person of o.people) {
    if (o.customers.get(person.customer_id)) continue;
    const descriptors = await o.describeFaces(person.images);
    if (descriptors.length === 0) {
      skipped.push(person.customer_id);
      o.log.warn({ customer: person.customer_id }, 'demo person skipped: no usable face in the photos');
      continue;
    }
    try {
      await o.worker.enrol(
        person.customer_id,
        encodeTemplates(descriptors, { phone_last4: phoneLast4(person.phone)!, display_name: person.display_name }),
        {
          text_version: CONSENT_TEXT_VERSION,
          purpose: CONSENT_PURPOSE,
          retention_days: CONSENT_RETENTION_DAYS,
          agreed_at_ms: Date.now(),
        },
      );
    } catch (err) {
      // Enrolled on an earlier start whose directory write did not happen: keep going.
      if (!String((err as Error).message).includes('SETTLE_CONFLICT')) throw err;
    }
    if (o.settlement)
      await topUp(o.settlement.server.services, person.customer_id, DEMO_WALLET_MINOR, o.currency).catch(
        () => undefined,
      );
    o.customers.put({
      customer_id: person.customer_id,
      display_name: person.display_name,
      phone_last4: phoneLast4(person.phone)!,
      enrolled_at_ms: Date.now(),
    });
    enrolled.push(person.customer_id);
  }
  await o.worker.pullFeed();
  return { enrolled, skipped };
}

/** The demo staff made on a first start: PINs are random, shown once in the start message. */
export interface DemoStaff {
  manager: { staff_id: string; display_name: string; pin: string };
  cashier: { staff_id: string; display_name: string; pin: string };
}
export const DEMO_MANAGER = { staff_id: 'ana', display_name: 'Ana (manager)' } as const;
export const DEMO_CASHIER = { staff_id: 'bo', display_name: 'Bo (cashier)' } as const;
/** The demo cashier's PIN digits; the manager's are the fewest a manager's PIN may have. */
export const DEMO_PIN_DIGITS = 4;
export const DEMO_MANAGER_PIN_DIGITS = MANAGER_PIN_DIGITS_MIN;

/** A random PIN that the directory's rules accept (not 0000, not 1234). */
export function randomPin(digits = DEMO_PIN_DIGITS): string {
  for (;;) {
    const pin = Array.from({ length: digits }, () => String(randomInt(10))).join('');
    if (pinProblem(pin) === null) return pin;
  }
}

/** Makes the demo manager and cashier when there is no staff yet; null when there is. */
export async function ensureDemoStaff(staff: StaffDirectory, log: Logger): Promise<DemoStaff | null> {
  if (staff.count() > 0) return null;
  const made: DemoStaff = {
    manager: { ...DEMO_MANAGER, pin: randomPin(DEMO_MANAGER_PIN_DIGITS) },
    cashier: { ...DEMO_CASHIER, pin: randomPin() },
  };
  await staff.add({ ...DEMO_MANAGER, role: 'manager' }, made.manager.pin);
  const manager = await staff.signIn(DEMO_MANAGER.staff_id, made.manager.pin);
  await staff.add({ ...DEMO_CASHIER, role: 'cashier' }, made.cashier.pin, manager);
  staff.signOut(manager.token);
  log.info({ manager: DEMO_MANAGER.staff_id, cashier: DEMO_CASHIER.staff_id }, 'demo staff created');
  return made;
}
