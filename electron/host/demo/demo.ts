// The demo store's kiosk side, for `npm start` with nothing configured: demo customers enrolled
// from the repository's fixtures (test/fixtures: the eight people's photos, and the man of
// d0.mjpeg from the recording's neutral frames) or from the user's own photos (--photos DIR, one
// folder of photos per person), each with a funded wallet and a phone number for the step-up,
// and a demo manager and cashier. Enrolment happens once per data folder; later starts reuse it.
//
// The demo's settlement server is not here: it is a separate program, and the kiosk library
// (electron/, what tsconfig.electron.json compiles) holds none of it. The launcher
// (scripts/demo-store.ts, used by scripts/start.mjs and the tests) starts it and hands the kiosk
// a DemoSettlement: its URL, a merchant token, and how to fund a wallet.
import { randomInt } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { SyncWorker } from '../../../ledger/sync/worker.js';
import { splitMjpeg } from '../../../native/mjpeg.js';
import type { KioskConfig } from '../../config.js';
import { phoneLast4, type CustomerDirectory } from '../payment/customers.js';
import { encodeTemplates } from '../payment/gallery.js';
import type { StaffDirectory } from '../staff/directory.js';
import { MANAGER_PIN_DIGITS_MIN, pinProblem } from '../staff/pin-hash.js';
import { CONSENT_PURPOSE, CONSENT_RETENTION_DAYS, CONSENT_TEXT_VERSION } from '../../contract/constants.js';

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

/** The demo store's settlement server, as the kiosk sees it: started by the launcher
 * (scripts/demo-store.ts), in the launcher's process. */
export interface DemoSettlement {
  url: string;
  /** A merchant token for this kiosk's registration. */
  token: string;
  /** What fund() puts in a wallet (minor units of the store's currency). */
  walletMinor: number;
  /** Puts the demo balance in a customer's wallet (a demo customer, or one who enrolled here). */
  fund(customerId: string, currency: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts the demo settlement server for this kiosk's config: on `port` when given, else on the
 * port it had last time (so earlier receipt QR codes still resolve). */
export type StartDemoSettlement<D extends DemoSettlement = DemoSettlement> = (
  config: KioskConfig,
  port: number | undefined,
  log: Logger,
) => Promise<D>;

export interface DemoPerson {
  customer_id: string;
  display_name: string;
  phone: string;
  /** Encoded images (JPEG or PNG). */
  images: Uint8Array[];
}

const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.png']);
/** Frames of d0.mjpeg the demo template is made from (neutral, before his smile). */
const VIDEO_FRAMES = [0, 3, 6];

const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'not a folder',
  EISDIR: 'a folder, not a photo',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'a loop of symbolic links',
};

/** A demo photo folder, or a photo in it, that cannot be read: the kiosk starts without demo
 * customers and says so in one line, naming it. */
export class DemoPhotosError extends Error {
  readonly code = 'DEMO_PHOTOS_UNREADABLE';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`cannot read the demo photos at ${path} (${reason}): the kiosk starts without demo customers`);
    this.name = 'DemoPhotosError';
  }
}

/** `read()`, with a file-system failure turned into a DemoPhotosError naming `path`. */
function readDemo<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DemoPhotosError(path, (code && FS_REASONS[code]) ?? code ?? (err as Error).message);
  }
}

/** People from a folder laid out as NAME/*.jpg|png (the fixtures' faces/people, or the user's).
 * Throws DemoPhotosError for a folder or photo that cannot be read. */
export function peopleFrom(dir: string): DemoPerson[] {
  const names = readDemo(dir, () => readdirSync(dir))
    .filter((n) => readDemo(join(dir, n), () => statSync(join(dir, n))).isDirectory())
    .sort()
    .slice(0, DEMO_PEOPLE_MAX);
  return names.map((name, i) => {
    const folder = join(dir, name);
    return {
      customer_id: `demo-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.slice(0, 64),
      display_name: name.charAt(0).toUpperCase() + name.slice(1),
      phone: `+49 151 5550 ${String(1000 + i)}`,
      images: readDemo(folder, () => readdirSync(folder))
        .filter((f) => IMAGE_EXT.has(extname(f).toLowerCase()))
        .sort()
        .slice(0, DEMO_PHOTOS_PER_PERSON_MAX)
        .map((f) => readDemo(join(folder, f), () => readFileSync(join(folder, f)))),
    };
  });
}

/** The man of d0.mjpeg, from the recording's first frames (neutral, before his smile). Throws
 * DemoPhotosError when the recording cannot be read or is too short. */
export function videoPerson(fixtures = fixturesDir()): DemoPerson {
  const path = join(fixtures, 'video', 'd0.mjpeg');
  const frames = splitMjpeg(readDemo(path, () => readFileSync(path)));
  const images = VIDEO_FRAMES.map((i) => frames[i]);
  if (images.some((f) => f === undefined))
    throw new DemoPhotosError(path, `only ${frames.length} frames; the demo uses frames ${VIDEO_FRAMES.join(', ')}`);
  return { ...DEMO_VIDEO_CUSTOMER, images: images as Uint8Array[] };
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
    if (o.settlement) await o.settlement.fund(person.customer_id, o.currency).catch(() => undefined);
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
