// The kiosk's domain services, one per domain of the contract (electron/contract/calls/), over
// the parts the kiosk opened (kiosk.ts): the table the dispatcher routes every call through
// (transport/routes.ts). The customer's sessions at the camera are shared by the payment,
// enrolment and deletion services; the staff directory by every staff service.
import type { Logger } from 'pino';
import type { LedgerStore } from '../../ledger/store/store.js';
import type { KioskState } from '../../ledger/sync/kiosk-state.js';
import type { SyncWorker } from '../../ledger/sync/worker.js';
import { IntegrityService } from './manager/integrity.js';
import type { PrivacyService } from './manager/privacy.js';
import { ReportService } from './manager/reports.js';
import type { KioskSettings } from './manager/settings.js';
import { SettingsService } from './manager/settings-service.js';
import { BoardService } from './orders/board.js';
import { OrderService } from './orders/order-service.js';
import type { OrderBook } from './orders/orders.js';
import type { CustomerDirectory } from './payment/customers.js';
import { DeletionService } from './payment/deletion.js';
import { EnrolmentService } from './payment/enrolment.js';
import type { Gallery } from './payment/gallery.js';
import { customerLookup } from './payment/lookup.js';
import { ReceiptService } from './payment/receipts.js';
import { PaymentService } from './payment/service.js';
import { CustomerSessions } from './payment/sessions.js';
import type { SelfCheck } from './self-check.js';
import { DayService } from './staff/day.js';
import type { StaffDirectory } from './staff/directory.js';
import { SignInService } from './staff/sign-in.js';
import { TeamService } from './staff/team.js';
import { TillService } from './staff/till.js';
import { CheckoutService } from './orders/checkout.js';
import { StatusService } from './status.js';
import type { Services } from './transport/routes.js';
import type { PairingDesk } from './pairing/pairing.js';
import { PairingService } from './pairing/pairing-service.js';
import type { HostVision } from './vision/host-vision.js';
import type { SecurityLimits } from './security/limits.js';
import type { MenuBook } from './menu/menu-book.js';
import { MenuService } from './menu/menu-service.js';

export interface ServiceParts {
  log: Logger;
  store: LedgerStore;
  ledgerPath: string;
  state: KioskState;
  worker: SyncWorker | null;
  gallery: Gallery;
  customers: CustomerDirectory;
  staff: StaffDirectory;
  orders: OrderBook;
  /** The menu the order book reads (menu/menu-book.ts). */
  menu: MenuBook;
  settings: KioskSettings;
  selfCheck: SelfCheck;
  /** Opened before the services: the gallery asks it whom to leave out. */
  privacy: PrivacyService;
  settlementUrl: () => string | null;
  lastSyncError: () => string | null;
  /** The tips the customer screen offers (config tips.choices_bp). */
  tipChoicesBp?: () => number[];
  /** The receipt's merchant: name, address, VAT id (config store.*). */
  merchant?: () => { name: string; address: string; vat_id: string };
  /** After an enrolment reached the server (the demo store tops the new wallet up). */
  onEnrolled?: (customerId: string) => Promise<void>;
  /** Which screens are customer screens (pairing/pairing.ts). */
  pairing: PairingDesk;
  /** The host's vision worker, once it has started and timed itself (null until then, or failed). */
  vision: () => HostVision | null;
  security: SecurityLimits;
  now?: () => number;
}

export type KioskServices = ReturnType<typeof openServices>;

export function openServices(p: ServiceParts) {
  const { log, store, state, worker, gallery, customers, staff, orders, settings, privacy } = p;
  const now = p.now ?? Date.now;
  const lookup = customerLookup(customers, gallery);
  const sessions = new CustomerSessions({ log, orders, now, limits: p.security, vision: p.vision });
  const matchConfig = (): ReturnType<KioskSettings['matchConfig']> => settings.matchConfig();
  const receipts = new ReceiptService({
    store,
    state,
    lookup,
    staff,
    settlementUrl: p.settlementUrl,
    ...(p.merchant ? { merchant: p.merchant } : {}),
  });
  return {
    status: new StatusService({
      selfCheck: p.selfCheck,
      languages: () => settings.languages(),
      currency: () => orders.currency,
    }),
    orders: new OrderService(orders, p.tipChoicesBp),
    payment: new PaymentService({
      log,
      store,
      state,
      worker,
      gallery,
      lookup,
      orders,
      sessions,
      receipts,
      matchConfig,
      localLimits: () => settings.localLimits(),
      now,
    }),
    receipts,
    enrolment: new EnrolmentService({
      log,
      sessions,
      gallery,
      customers,
      worker,
      privacy,
      matchConfig,
      ...(p.onEnrolled ? { onEnrolled: p.onEnrolled } : {}),
      now,
    }),
    deletion: new DeletionService({ log, sessions, gallery, customers, lookup, worker, privacy, matchConfig }),
    signIn: new SignInService({ log, staff }),
    day: new DayService({
      log,
      staff,
      store,
      state,
      orders,
      worker,
      refundCashierMaxMinor: (currency) => settings.limitIn('refund_cashier_max_minor', currency),
      receipts,
      now,
    }),
    reports: new ReportService({ staff, store, state, orders, lookup, now }),
    settings: new SettingsService({ log, staff, settings }),
    team: new TeamService({ log, staff, store, now }),
    board: new BoardService({ log, staff, orders }),
    integrity: new IntegrityService({
      store,
      state,
      staff,
      customers,
      ledgerPath: p.ledgerPath,
      settlementUrl: p.settlementUrl,
      lastSyncError: p.lastSyncError,
      now,
    }),
    privacy,
    checkout: new CheckoutService({
      log,
      staff,
      orders,
      discountCashierMaxMinor: () => settings.get('discount_cashier_max_minor'),
    }),
    till: new TillService({ log, staff, store, worker, currency: () => orders.currency, now }),
    pairing: new PairingService(p.pairing),
    menu: new MenuService({ log, staff, menu: p.menu, now }),
  } satisfies Services;
}
