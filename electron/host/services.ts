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
import type { KioskFiscal } from './fiscal-service.js';
import { PaymentService } from './payment/service.js';
import { CustomerSessions } from './payment/sessions.js';
import type { SelfCheck } from './self-check.js';
import { DayService } from './staff/day.js';
import type { StaffDirectory } from './staff/directory.js';
import { zoneClock } from '../../ledger/protocol/zone-clock.js';
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
import { PrintingService, type PrintingParts } from './printing/printing-service.js';
import type { PrintStore } from './printing/print-store.js';
import type { PrinterBook } from './printing/printer-config.js';
import type { PaperLanguage } from './printing/print-texts.js';
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
  /** A cashier's discounts in a business day, together, at most (config limits.discount_cashier_day_max_minor). */
  discountCashierDayMaxMinor?: () => number;
  /** The receipt's merchant: name, address, VAT id (config store.*). */
  merchant?: () => { name: string; address: string; vat_id: string };
  /** After an enrolment reached the server (the demo store tops the new wallet up). */
  onEnrolled?: (customerId: string) => Promise<void>;
  /** Which screens are customer screens (pairing/pairing.ts). */
  pairing: PairingDesk;
  /** The host's vision worker, once it has started and timed itself (null until then, or failed). */
  vision: () => HostVision | null;
  security: SecurityLimits;
  /** The print queue (<data_dir>/print.db) and the store's printers (printing/). */
  printing: { jobs: PrintStore; printers: PrinterBook; desk?: PrintingParts['desk'] };
  /** The fiscal log beside the ledger (fiscal-service.ts); absent in tests that need none. */
  fiscal?: KioskFiscal;
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
    ...(p.fiscal ? { fiscal: p.fiscal } : {}),
  });
  const till = new TillService({ log, staff, store, worker, currency: () => orders.currency, now });
  const printing = new PrintingService({
    log,
    store,
    staff,
    ...p.printing,
    receipt: (seq) => receipts.bySeq(seq),
    order: (orderId) => {
      try {
        return orders.get(orderId);
      } catch {
        return null;
      }
    },
    categoryOf: (itemId) => orders.menu.find((i) => i.item_id === itemId)?.category_id ?? null,
    optionName: (itemId, optionId, lang) =>
      orders.menu.find((i) => i.item_id === itemId)?.options.find((o) => o.option_id === optionId)?.name[lang] ?? null,
    language: () => settings.languages()[0] as PaperLanguage,
    tillReport: (token) => till.tillReport({ token }),
    now,
  });
  return {
    status: new StatusService({
      selfCheck: p.selfCheck,
      languages: () => settings.languages(),
      currency: () => orders.currency,
      printing: () => printing.desk.view(),
    }),
    orders: new OrderService(orders, p.tipChoicesBp, (token) => staff.isOpen(token)),
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
      discountCashierDayMaxMinor: p.discountCashierDayMaxMinor ?? (() => 2_000),
      dayStartMs: (ms) => zoneClock(store.timezone).dayStartMs(ms),
      now,
    }),
    till,
    pairing: new PairingService(p.pairing),
    printing,
    menu: new MenuService({ log, staff, menu: p.menu, now }),
  } satisfies Services;
}
