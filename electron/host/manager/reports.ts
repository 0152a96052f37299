// The manager's Reports panel (the reports domain's call): one business day of the ledger,
// filtered, with its totals (day-report.ts builds it), for a manager only.
import type { RequestOf, ResponseOf } from '../../contract/api.js';
import type { LedgerStore } from '../../../ledger/store/store.js';
import type { KioskState } from '../../../ledger/sync/kiosk-state.js';
import type { OrderBook } from '../orders/orders.js';
import type { CustomerLookup } from '../payment/lookup.js';
import type { StaffDirectory } from '../staff/directory.js';
import type { DomainService } from '../transport/routes.js';
import { dayReport } from './day-report.js';

export interface ReportParts {
  staff: StaffDirectory;
  store: LedgerStore;
  state: KioskState;
  orders: OrderBook;
  lookup: CustomerLookup;
  now?: () => number;
}

export class ReportService implements DomainService<'reports'> {
  constructor(private readonly p: ReportParts) {}

  /** Manager only: one business day (default today, in the store's time zone), filtered, with totals. */
  dayReport(req: RequestOf<'dayReport'>): ResponseOf<'dayReport'> {
    this.p.staff.require(req.token, 'manager');
    return dayReport(
      {
        store: this.p.store,
        state: this.p.state,
        orders: (ids) => this.p.orders.byIds(ids),
        customerName: (customerId) => this.p.lookup.nameOf(customerId),
        nowMs: (this.p.now ?? Date.now)(),
      },
      req.business_day,
      req.filters ?? {},
    );
  }
}
