// Assembles the kiosk host from its parts, for `npm start`, the Electron main process and the
// tests alike: the ledger and device key, the box key, the sync worker (registered with the
// settlement server, or the demo store's embedded one), the gallery, the customer directory,
// orders, the self-check, the domain services (services.ts), and (in browser mode) the HTTP transport.
//
// The demo store's settlement server is a separate program: the kiosk library never starts one
// itself. The launcher passes `startDemoSettlement` (scripts/demo-store.ts: npm start and the
// tests); without it, a kiosk with no settlement server configured runs without one.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { KeyProtector } from '../../ledger/keys/device-key.js';
import { loadOrCreateBoxKey } from '../../ledger/keys/box-key.js';
import { KioskState } from '../../ledger/sync/kiosk-state.js';
import { SyncWorker } from '../../ledger/sync/worker.js';
import type { KioskConfig } from '../config.js';
import { openKioskLedger } from './ledger-service.js';
import { openKioskFiscal } from './fiscal-service.js';
import { decideKeyProtection, type KeyProtection } from './key-protection.js';
import { CustomerDirectory } from './payment/customers.js';
import { Gallery } from './payment/gallery.js';
import { DEMO_CATEGORIES, DEMO_MENU, ledgerPaymentsSince, OrderBook } from './orders/orders.js';
import { OrderStore } from './orders/order-store.js';
import { MenuBook } from './menu/menu-book.js';
import { SelfCheck, VISION_FRAME_MS_MAX } from './self-check.js';
import { CONSENT_PURPOSE, CONSENT_RETENTION_DAYS, CONSENT_TEXT_VERSION } from '../contract/constants.js';
import { PrivacyService } from './manager/privacy.js';
import { KioskSettings } from './manager/settings.js';
import { StaffDirectory } from './staff/directory.js';
import { startHttp, type RunningHttp } from './transport/http-server.js';
import { loadOrCreateKioskTls } from './transport/tls-cert.js';
import { routeCalls, type Routes } from './transport/routes.js';
import { openServices, type KioskServices } from './services.js';
import { PairingDesk } from './pairing/pairing.js';
import { HostVision } from './vision/host-vision.js';
import { probeFrame } from './vision/probe-frame.js';
import { PAIR_LINK_PATH } from '../contract/constants.js';
import { PrintStore } from './printing/print-store.js';
import { PrinterBook } from './printing/printer-config.js';
import {
  DemoPhotosError,
  ensureDemoStaff,
  enrolDemoPeople,
  fixturesDir,
  peopleFrom,
  videoPerson,
  type DemoPerson,
  type DemoSettlement,
  type DescribeFaces,
  type DemoStaff,
  type StartDemoSettlement,
} from './demo/demo.js';

/** Between registration attempts while the settlement server is away at start. */
export const REGISTER_RETRY_MS = 5_000;

export interface KioskOptions<D extends DemoSettlement = DemoSettlement> {
  config: KioskConfig;
  log: Logger;
  /** Seals the device and box keys at rest (Electron's safeStorage); none in browser mode. */
  protector?: KeyProtector;
  /** Why that protector is weak (key-protection.ts keychainWeakness), or null when it is not. */
  protectorWeakness?: string | null;
  /** Demo store when no settlement server is configured (default true), if startDemoSettlement is given. */
  demo?: boolean;
  /** Starts the demo store's settlement server (scripts/demo-store.ts); the kiosk library has none. */
  startDemoSettlement?: StartDemoSettlement<D>;
  /** Demo customers: the fixtures (default), or the user's own photos folder. */
  demoPhotosDir?: string;
  /** Enrol the man of d0.mjpeg in the demo (default true). */
  demoVideoCustomer?: boolean;
  /** Exactly these demo people instead (tests). */
  demoPeople?: DemoPerson[];
  /** Photos -> descriptors for the demo enrolment (scripts/demo-faces.ts); none: no demo customers. */
  describeFaces?: DescribeFaces;
  /** Port of the embedded settlement server (default: any free one). */
  demoSettlementPort?: number;
  /** Serve browser mode over HTTP (default true; Electron's main process may pass false). */
  http?: boolean;
  startedAtMs?: number;
  /** The staff directory's clock (tests of lock-outs and sign-in lifetimes). */
  staffClock?: () => number;
  syncPollMs?: number;
  syncRetryCapMs?: number;
}

export interface Kiosk<D extends DemoSettlement = DemoSettlement> {
  /** One service per domain of the contract (services.ts). */
  services: KioskServices;
  /** Each call's handler, for the transports (transport/routes.ts). */
  routes: Routes;
  /** The order book: its changes are the transports' pushes. */
  orders: OrderBook;
  /** The menu, from the ledger (menu/menu-book.ts): its changes are pushes too. */
  menu: MenuBook;
  worker: SyncWorker | null;
  http: RunningHttp | null;
  demo: D | null;
  settlementUrl: string | null;
  customers: CustomerDirectory;
  staff: StaffDirectory;
  /** The limits a manager may change, as the payment path and the counter read them. */
  settings: KioskSettings;
  /** LAN mode: the SHA-256 fingerprint of the kiosk's certificate authority (staff devices pin it). */
  tlsAuthorityFingerprint: string | null;
  /** What protects the device and box keys at rest, in one line for the start message. */
  keyProtection: Pick<KeyProtection, 'strong' | 'statement'>;
  /** The demo manager and cashier with their PINs, when the demo store made them on this start. */
  demoStaff: DemoStaff | null;
  /** Why the demo customers were not enrolled on this start (a photo folder that cannot be read), one line. */
  demoProblem: string | null;
  pairing: PairingDesk;
  /** Browser mode: a new one-time link that pairs the first browser to open it (the start
   * message prints one; tests pair their pages with it, as a newcomer does). */
  pairingLink(): string;
  /** The host's vision worker once started and timed (null if it failed). */
  visionReady: Promise<HostVision | null>;
  close(): Promise<void>;
}

/** A vision check too slow at start is measured again this often, at most this many times. */
export const VISION_REMEASURE_MS = 3_000;
export const VISION_REMEASURE_MAX = 40;

export async function openKiosk<D extends DemoSettlement = DemoSettlement>(o: KioskOptions<D>): Promise<Kiosk<D>> {
  const { config, log } = o;
  const startedAtMs = o.startedAtMs ?? Date.now();
  // What protects the keys at rest, decided before either is read (a refusal names the fix).
  const keys = decideKeyProtection({
    protector: o.protector,
    weakness: o.protectorWeakness ?? null,
    allowWeak: config.keys.allow_weak_protection,
    realMoney: config.settlement.url !== null,
  });
  (keys.strong ? log.info : log.warn).call(log, { strong: keys.strong }, keys.statement);
  const ledger = openKioskLedger(config, log, keys.protector);
  const fiscal = openKioskFiscal(config.data_dir, ledger.store, ledger.key, log);
  // The sync worker signs its requests with the ledger's device key.
  const key = ledger.key;
  const boxKey = loadOrCreateBoxKey(join(config.data_dir, 'box-key.json'), keys.protector);
  const customers = new CustomerDirectory(join(config.data_dir, 'customers.db'));
  const staff = new StaffDirectory(join(config.data_dir, 'staff.db'), o.staffClock ? { now: o.staffClock } : {});
  const pairing = new PairingDesk({ path: join(config.data_dir, 'screens.db'), limits: config.security, staff, log });
  // The vision worker loads and verifies the models while the rest starts; the self-check waits
  // for it and its speed test (below).
  let vision: HostVision | null = null;
  let remeasureTimer: NodeJS.Timeout | undefined;
  const visionStarted = HostVision.start({ log }).then(
    (v) => v,
    (err: unknown) => {
      log.error({ err }, 'the vision worker did not start: no face payments');
      return null;
    },
  );
  const useDemo = config.settlement.url === null && (o.demo ?? true);
  if (useDemo && !o.startDemoSettlement)
    log.warn('no settlement server is configured (settlement.url) and no demo one was given: running without one');
  const demo = useDemo && o.startDemoSettlement ? await o.startDemoSettlement(config, o.demoSettlementPort, log) : null;
  const settlementUrl = config.settlement.url ?? demo?.url ?? null;
  const token = config.settlement.merchant_token ?? demo?.token ?? null;
  const worker = settlementUrl
    ? new SyncWorker({
        ledgerPath: ledger.ledgerPath,
        kioskId: config.kiosk_id,
        key,
        boxKey,
        serverUrl: settlementUrl,
        // The server's key pinned by configuration (else by the merchant token's fingerprint).
        serverPublicKeyHex: config.settlement.server_public_key ?? undefined,
        pollIntervalMs: o.syncPollMs ?? 5_000,
        ...(o.syncRetryCapMs ? { retryCapMs: o.syncRetryCapMs, retryBaseMs: Math.min(250, o.syncRetryCapMs / 2) } : {}),
      })
    : null;
  const state = worker?.state ?? new KioskState(ledger.ledgerPath);
  // The privacy service needs the gallery and the gallery asks it whom to leave out: set below.
  let deletions: PrivacyService | null = null;
  const gallery = new Gallery(state, boxKey.secret, {
    // A deletion asked for here and not yet confirmed by the server: never matched meanwhile.
    excluded: () => deletions?.deletedIds() ?? new Set<string>(),
    onUnreadable: (customer, reason) =>
      log.warn({ customer, reason }, 'templates unreadable: customer left out of matching'),
  });
  // The manager's privacy panel: consent records and deletions, queued for the server.
  const privacy = new PrivacyService({
    log,
    kioskId: config.kiosk_id,
    path: join(config.data_dir, 'privacy.db'),
    staff,
    customers,
    state,
    gallery,
    worker,
  });
  deletions = privacy;

  let registerTimer: NodeJS.Timeout | undefined;
  let closed = false;
  const register = async (): Promise<boolean> => {
    if (!worker) return false;
    if (state.state('server_public_key') !== undefined) return true;
    if (token === null) {
      log.warn('settlement.merchant_token is not set: this kiosk cannot register with the settlement server');
      return false;
    }
    try {
      await worker.register(token);
      log.info({ server: settlementUrl }, 'registered with the settlement server');
      return true;
    } catch (err) {
      log.warn(
        { code: (err as { code?: string }).code, message: (err as Error).message },
        'registration failed; retrying',
      );
      return false;
    }
  };
  const startSync = async (): Promise<void> => {
    if (closed || !worker) return;
    if (await register()) {
      worker.start();
      return;
    }
    registerTimer = setTimeout(() => void startSync(), REGISTER_RETRY_MS);
  };

  let demoProblem: string | null = null;
  if (worker && demo && (await register())) {
    let people: DemoPerson[] = [];
    try {
      people =
        o.demoPeople ??
        (o.demoPhotosDir ? peopleFrom(o.demoPhotosDir) : peopleFrom(join(fixturesDir(), 'faces', 'people')));
      if (!o.demoPeople && !o.demoPhotosDir && (o.demoVideoCustomer ?? true)) people.unshift(videoPerson());
    } catch (err) {
      if (!(err instanceof DemoPhotosError)) throw err;
      people = [];
      demoProblem = err.message;
      log.warn({ path: err.path, code: err.code }, err.message);
    }
    if (!o.describeFaces) log.warn('no face describer given: the demo store starts without customers');
    else if (people.some((p) => !customers.get(p.customer_id))) {
      const t0 = Date.now();
      const r = await enrolDemoPeople({
        worker,
        customers,
        settlement: demo,
        currency: config.store.currency,
        people,
        log,
        describeFaces: o.describeFaces,
      });
      // The demo set-up sent the server this consent record for them; the privacy panel shows it.
      for (const id of r.enrolled)
        privacy.recordConsent(id, {
          text_version: CONSENT_TEXT_VERSION,
          language: null,
          purpose: CONSENT_PURPOSE,
          retention_days: CONSENT_RETENTION_DAYS,
          agreed_at_ms: customers.get(id)?.enrolled_at_ms ?? Date.now(),
          source: 'demo',
        });
      log.info({ enrolled: r.enrolled.length, skipped: r.skipped, ms: Date.now() - t0 }, 'demo customers enrolled');
    }
  }
  await startSync();

  // The limits and store settings a manager may change while the kiosk runs, each change a config entry.
  // A currency change asks the order book (declared below; asked only later) and the server's limits.
  const settings: KioskSettings = new KioskSettings(config, ledger.store, {
    orders: () => orders.list(),
    serverLimits: (c) => state.limits(c),
  });
  const orderStore = new OrderStore(join(config.data_dir, 'orders.db'));
  const printJobs = new PrintStore(join(config.data_dir, 'print.db'));
  // The menu is the ledger's (each change a config entry); the demo menu seeds it.
  const menu = new MenuBook(ledger.store, { categories: DEMO_CATEGORIES, items: DEMO_MENU }, () =>
    settings.tax.table(),
  );
  const orders = new OrderBook(
    menu,
    () => settings.text('store_currency'),
    Date.now,
    DEMO_CATEGORIES,
    orderStore,
    // New orders take the rates as they stand; signed lines are named in the store's first language.
    () => ({ tax: settings.tax.table(), language: settings.languages()[0]! }),
  );
  const reconciled = orders.reconcile(ledgerPaymentsSince(ledger.store));
  if (reconciled.length > 0)
    log.warn({ orders: reconciled }, 'orders found paid in the ledger after a restart: marked paid');
  const selfCheck = new SelfCheck({
    kioskId: config.kiosk_id,
    store: { name: config.store.name, currency: config.store.currency, languages: config.store.languages },
    demo: demo !== null,
    // tfjs-node is a Node backend: the browser then chooses for itself.
    visionBackend: config.vision.backend === 'tfjs-node' ? 'auto' : config.vision.backend,
    ledger: ledger.store,
    state,
    tailChecked: ledger.tailChecked,
    settlementUrl: () => settlementUrl,
    lastSyncError: () => (worker?.lastError ? `${worker.lastError.code}: ${worker.lastError.message}` : null),
    startedAtMs,
  });
  // The demo store gives whoever enrols at the kiosk the demo balance, so they can pay at once.
  const onEnrolled = demo
    ? (customerId: string): Promise<void> => demo.fund(customerId, config.store.currency)
    : undefined;
  // The demo store needs someone to sign in to the staff screens: a manager and a cashier.
  const demoStaff = demo ? await ensureDemoStaff(staff, log) : null;
  privacy.start();
  const visionReady = visionStarted.then(async (v) => {
    if (!v) {
      selfCheck.reportVision({ ok: false, backend: 'none', frame_ms: 0, detail: 'the vision worker did not start' });
      return null;
    }
    const probe = probeFrame();
    const measure = async (): Promise<number> => {
      try {
        const frameMs = probe ? await v.measure(probe) : 0;
        selfCheck.reportVision({ ok: true, backend: v.backend, frame_ms: frameMs, detail: probe ? '' : 'not timed' });
        return frameMs;
      } catch (err) {
        selfCheck.reportVision({
          ok: false,
          backend: v.backend,
          frame_ms: 0,
          detail: (err as Error).message.slice(0, 300),
        });
        return Number.POSITIVE_INFINITY;
      }
    };
    // Too slow right after start (the machine still busy booting, the kernels just compiled):
    // measured again a while later, a bounded number of times, before the kiosk is used.
    const remeasure = async (attempt: number): Promise<void> => {
      if (closed || attempt > VISION_REMEASURE_MAX) return;
      if ((await measure()) <= VISION_FRAME_MS_MAX) return;
      remeasureTimer = setTimeout(() => void remeasure(attempt + 1), VISION_REMEASURE_MS);
    };
    if ((await measure()) > VISION_FRAME_MS_MAX)
      remeasureTimer = setTimeout(() => void remeasure(1), VISION_REMEASURE_MS);
    // Sessions get frames observed only once the speed test is out of the worker's way.
    vision = v;
    return v;
  });
  const services = openServices({
    log,
    store: ledger.store,
    ledgerPath: ledger.ledgerPath,
    fiscal,
    state,
    worker,
    gallery,
    customers,
    staff,
    orders,
    menu,
    settings,
    selfCheck,
    privacy,
    settlementUrl: () => settlementUrl,
    lastSyncError: () => (worker?.lastError ? `${worker.lastError.code}: ${worker.lastError.message}` : null),
    tipChoicesBp: () => config.tips.choices_bp,
    discountCashierDayMaxMinor: () => config.limits.discount_cashier_day_max_minor,
    merchant: () => ({ name: config.store.name, address: config.store.address, vat_id: config.store.vat_id }),
    pairing,
    vision: () => vision,
    security: config.security,
    printing: { jobs: printJobs, printers: new PrinterBook(ledger.store, config.data_dir) },
    ...(onEnrolled ? { onEnrolled } : {}),
  });
  services.printing.desk.start();
  const routes = routeCalls(services);
  // LAN mode: the kiosk's own certificate for the names staff devices use (and loopback's, for
  // this machine's own browser); they pin its authority's fingerprint when they are set up.
  const lanTls = config.http.tls
    ? loadOrCreateKioskTls(config.data_dir, config.kiosk_id, [
        ...config.http.allowed_hosts,
        '127.0.0.1',
        'localhost',
        '::1',
      ])
    : null;
  if (lanTls)
    log.info({ hosts: lanTls.hosts, ca_sha256: lanTls.caFingerprint256 }, 'TLS: the kiosk authority staff devices pin');
  const http =
    o.http === false
      ? null
      : await startHttp({
          host: config.http.host,
          port: config.http.port,
          routes,
          onOrderChanged: (listener) => orders.onChange(listener),
          onMenuChanged: (listener) => menu.onChange(listener),
          staffSignedIn: (token) => staff.isOpen(token),
          sessions: services.payment.sessions,
          pairing,
          log,
          ...(lanTls ? { tls: lanTls, allowedHosts: config.http.allowed_hosts } : {}),
        });

  return {
    services,
    routes,
    orders,
    menu,
    worker,
    http,
    demo,
    settlementUrl,
    customers,
    staff,
    settings,
    keyProtection: { strong: keys.strong, statement: keys.statement },
    tlsAuthorityFingerprint: lanTls?.caFingerprint256 ?? null,
    demoStaff,
    demoProblem,
    pairing,
    visionReady,
    pairingLink() {
      if (!http) throw new Error('assertion failed: a pairing link needs browser mode (the HTTP transport)');
      return `${http.url}${PAIR_LINK_PATH}${pairing.issueLink().secret}`;
    },
    async close() {
      closed = true;
      clearTimeout(registerTimer);
      clearTimeout(remeasureTimer);
      await http?.close();
      await services.printing.desk.close();
      printJobs.close();
      services.payment.sessions.close();
      await (await visionStarted)?.close();
      pairing.close();
      await privacy.close();
      await worker?.stop();
      if (worker) worker.close();
      else state.close();
      customers.close();
      staff.close();
      orderStore.close();
      fiscal.close();
      ledger.store.close();
      await demo?.close();
    },
  };
}
