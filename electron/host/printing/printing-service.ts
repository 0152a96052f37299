// The printing domain's calls (contract/calls/printing.ts): the printers and their queues for any
// signed-in staff, a manager's set-up of a printer (a signed config entry), a staff re-print of a
// receipt or an order's kitchen tickets (marked on paper), the X report on paper, and the drawer's
// openings. Also opens the desk that prints (print-desk.ts) over the follower (print-follower.ts).
import type { RequestOf, ResponseOf, TillReport } from '../../contract/api.js';
import { DRAWER_OPENINGS_LISTED_MAX } from '../../contract/api.js';
import { ApiFault } from '../fault.js';
import { approverOf, type StaffDirectory } from '../staff/directory.js';
import type { DomainService } from '../transport/routes.js';
import { PrintDesk, type DeskParts } from './print-desk.js';
import { PrintFollower, type FollowerParts } from './print-follower.js';
import { PrintQueueFull } from './print-store.js';
import { xReportDoc } from './report-documents.js';

/** What the follower needs (print-follower.ts), the clock optional, and the service's own parts. */
export interface PrintingParts extends Omit<FollowerParts, 'now'> {
  staff: StaffDirectory;
  /** The till's X report (till.ts), as the member asking may read it. */
  tillReport: (token: string) => TillReport;
  now?: () => number;
  /** The desk's clock and waits (tests). */
  desk?: Pick<DeskParts, 'pollMs' | 'retryBaseMs' | 'retryCapMs'>;
}

export class PrintingService implements DomainService<'printing'> {
  readonly follower: PrintFollower;
  readonly desk: PrintDesk;
  private readonly now: () => number;

  constructor(private readonly p: PrintingParts) {
    this.now = p.now ?? Date.now;
    this.follower = new PrintFollower({ ...p, now: this.now });
    this.desk = new PrintDesk({
      log: p.log,
      jobs: p.jobs,
      printers: p.printers,
      follower: this.follower,
      now: this.now,
      ...p.desk,
    });
  }

  printers(req: RequestOf<'printers'>): ResponseOf<'printers'> {
    this.p.staff.require(req.token, 'cashier');
    return { setups: this.p.printers.list(), queue: this.desk.view() };
  }

  setPrinter(req: RequestOf<'setPrinter'>): ResponseOf<'setPrinter'> {
    const by = approverOf(this.p.staff.require(req.token, 'manager'));
    const seq = this.p.printers.set(req.printer, req.remove === true, by, req.reason);
    this.p.log.info({ printer: req.printer.printer_id, remove: req.remove === true, by, seq }, 'printer set up');
    return { seq, setups: this.p.printers.list() };
  }

  reprint(req: RequestOf<'reprint'>): ResponseOf<'reprint'> {
    this.p.staff.require(req.token, 'cashier');
    const stored = this.p.store.get(req.seq);
    if (!stored || stored.entry.kind !== 'payment')
      throw new ApiFault('RECEIPT_NOT_FOUND', `no payment at seq ${req.seq}`);
    // Catching up first keeps the order of the queue: the original before its re-print.
    this.follower.follow();
    const jobs = this.queued(() =>
      req.what === 'receipt'
        ? this.follower.receiptOf(req.seq, true)
        : this.follower.kitchenOf(stored.entry.kind === 'payment' ? stored.entry.body.order_id : '', true),
    );
    if (jobs === 0)
      throw new ApiFault(
        'PRINT_NOTHING',
        req.what === 'receipt'
          ? 'no receipt printer is set up'
          : `no kitchen station prints any line of the order of payment ${req.seq}`,
      );
    this.desk.tick();
    return { jobs };
  }

  printXReport(req: RequestOf<'printXReport'>): ResponseOf<'printXReport'> {
    const report = this.p.tillReport(req.token);
    const printer = this.p.printers.receiptPrinter();
    if (!printer) throw new ApiFault('PRINT_NOTHING', 'no receipt printer is set up');
    const since = report.shift?.seq ?? this.p.store.openDay().first_seq;
    const lang = printer.language ?? this.p.language();
    const doc = xReportDoc(report, lang, this.p.store.timezone, this.p.jobs.openings(since, 10_000));
    this.queued(() =>
      this.p.jobs.add(
        {
          printer_id: printer.printer_id,
          kind: 'x_report',
          ref: String(since),
          dedup_key: null,
          doc: JSON.stringify(doc),
          reprint: false,
        },
        this.now(),
      ),
    );
    this.desk.tick();
    return { jobs: 1 };
  }

  drawerOpenings(req: RequestOf<'drawerOpenings'>): ResponseOf<'drawerOpenings'> {
    this.p.staff.require(req.token, 'cashier');
    this.follower.follow();
    const since = req.since_seq ?? this.p.store.openShift()?.seq ?? this.p.store.openDay().first_seq;
    return { openings: this.p.jobs.openings(since, DRAWER_OPENINGS_LISTED_MAX) };
  }

  private queued<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof PrintQueueFull) throw new ApiFault('PRINT_QUEUE_FULL', err.message);
      throw err;
    }
  }
}
