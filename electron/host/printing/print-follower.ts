// Turns the ledger's new entries into print jobs: a payment's receipt (and, on the bill's first
// payment, the kitchen stations' tickets), the drawer's kick and its record on a cash payment, a
// refund of a cash payment and a pay-in/out (never on anything else: a card or face payment, a
// void, a report), and the Z report on a day's close. It reads entries after the payment is
// committed, on the printing desk's clock, so a payment never waits for paper; the jobs and the
// cursor move in one transaction of print.db, so an entry's jobs are queued exactly once, also
// across a restart between the payment and its receipt. A full queue refuses a job (counted,
// shown in the status): the payment stands, and staff re-print it.
import type { Logger } from 'pino';
import type { LedgerStore, StoredEntry } from '../../../ledger/store/store.js';
import type { Order, Receipt } from '../../contract/api.js';
import { DRAWER_DOC, kitchenDoc, receiptDoc, type PrintDoc } from './documents.js';
import type { PrinterBook } from './printer-config.js';
import { PrintQueueFull, type DrawerOpeningRow, type NewJob, type PrintStore } from './print-store.js';
import type { PaperLanguage } from './print-texts.js';
import { zReportDoc } from './report-documents.js';

/** Entries read in one pass (a kiosk back from a long stop catches up over a few passes). */
export const FOLLOW_ENTRIES_MAX = 200;

export interface FollowerParts {
  log: Logger;
  store: LedgerStore;
  jobs: PrintStore;
  printers: PrinterBook;
  receipt: (seq: number) => Receipt;
  order: (orderId: string) => Order | null;
  categoryOf: (itemId: string) => string | null;
  optionName: (itemId: string, optionId: string, lang: PaperLanguage) => string | null;
  language: () => PaperLanguage;
  now: () => number;
}

export class PrintFollower {
  /** Jobs refused by a full queue since start. */
  refused = 0;

  constructor(private readonly p: FollowerParts) {
    // A new print.db follows from the ledger's tip: the past is not printed.
    if (p.jobs.cursor() === null) p.jobs.setCursor(p.store.tip().seq);
  }

  /** One pass: the entries after the cursor, at most FOLLOW_ENTRIES_MAX. */
  follow(): number {
    const from = (this.p.jobs.cursor() ?? 0) + 1;
    const tip = this.p.store.tip().seq;
    if (tip < from) return 0;
    const last = Math.min(tip, from + FOLLOW_ENTRIES_MAX - 1);
    const entries = [...this.p.store.range(from, last)];
    this.p.jobs.atomically(() => {
      for (const s of entries) {
        try {
          this.entry(s);
        } catch (err) {
          // An entry the printing cannot read (a programmer error here) must not stop the others'.
          this.p.log.error({ err, seq: s.entry.seq }, 'no print jobs for this entry');
        }
      }
      this.p.jobs.setCursor(last);
    });
    return entries.length;
  }

  private lang(printerLang: PaperLanguage | null): PaperLanguage {
    return printerLang ?? this.p.language();
  }

  /** Queues a job; at the queue's bound an automatic job is counted as refused, a re-print's
   * refusal (PrintQueueFull) goes to the member of staff who asked. */
  private queue(job: NewJob): number | null {
    try {
      return this.p.jobs.add(job, this.p.now());
    } catch (err) {
      if (!(err instanceof PrintQueueFull) || job.reprint) throw err;
      this.refused += 1;
      this.p.log.warn({ kind: job.kind, ref: job.ref, code: err.code }, err.message);
      return null;
    }
  }

  private entry(s: StoredEntry): void {
    const e = s.entry;
    const seq = e.seq;
    if (e.kind === 'payment') {
      // The drawer first: the cashier holds the customer's cash while the receipt prints.
      if (e.body.method === 'cash')
        this.drawer({
          seq,
          reason: 'cash_payment',
          by: e.body.taken_by ?? 'kiosk',
          ref: `order ${e.body.order_id}`,
          requested_at_ms: e.created_at_ms,
        });
      this.receiptOf(seq);
      if (e.body.sale !== undefined) this.kitchenOf(e.body.order_id, false);
    } else if (e.kind === 'refund') {
      if (this.p.store.payment(e.body.payment_seq)?.method === 'cash')
        this.drawer({
          seq,
          reason: 'cash_refund',
          by: e.body.approved_by,
          ref: `payment #${e.body.payment_seq}: ${e.body.reason}`,
          requested_at_ms: e.created_at_ms,
        });
    } else if (e.kind === 'cash_move') {
      this.drawer({
        seq,
        reason: e.body.direction === 'in' ? 'pay_in' : 'pay_out',
        by: e.body.by,
        ref: e.body.reason,
        requested_at_ms: e.created_at_ms,
      });
    } else if (e.kind === 'day_close') {
      const printer = this.p.printers.receiptPrinter();
      if (!printer) return;
      const b = e.body;
      const doc = zReportDoc(
        {
          business_day: b.business_day,
          day_close_seq: seq,
          first_seq: b.first_seq,
          last_seq: b.last_seq,
          entry_count: b.entry_count,
          merkle_root: b.merkle_root,
          totals: b.totals,
          by_rate: b.by_rate ?? [],
          cash: b.cash ?? [],
          closed_by: b.closed_by,
          closed_at_ms: e.created_at_ms,
        },
        this.lang(printer.language),
        this.p.store.timezone,
        this.p.jobs.openings(b.first_seq, 10_000),
      );
      this.queue({
        printer_id: printer.printer_id,
        kind: 'z_report',
        ref: String(seq),
        dedup_key: `z:${seq}`,
        doc: JSON.stringify(doc),
        reprint: false,
      });
    }
  }

  /** The receipt of the payment at `seq`, on the receipt printer (none set up: nothing). */
  receiptOf(seq: number, reprint = false): number {
    const printer = this.p.printers.receiptPrinter();
    if (!printer) return 0;
    const lang = this.lang(printer.language);
    const doc = receiptDoc(this.p.receipt(seq), {
      lang,
      timeZone: this.p.store.timezone,
      optionName: (item, option) => this.p.optionName(item, option, lang),
    });
    const id = this.queue({
      printer_id: printer.printer_id,
      kind: 'receipt',
      ref: String(seq),
      dedup_key: reprint ? null : `receipt:${seq}`,
      doc: JSON.stringify(doc),
      reprint,
    });
    return id === null ? 0 : 1;
  }

  /** The order's tickets, one per station that prints any of its lines. */
  kitchenOf(orderId: string, reprint: boolean): number {
    const order = this.p.order(orderId);
    if (!order) return 0;
    let queued = 0;
    for (const printer of this.p.printers.kitchenPrinters()) {
      const doc: PrintDoc | null = kitchenDoc(order, {
        lang: this.lang(printer.language),
        timeZone: this.p.store.timezone,
        station: printer.name,
        categoryOf: this.p.categoryOf,
        categories: printer.categories,
        atMs: this.p.now(),
      });
      if (!doc) continue;
      const id = this.queue({
        printer_id: printer.printer_id,
        kind: 'kitchen',
        ref: orderId,
        dedup_key: reprint ? null : `kitchen:${orderId}:${printer.printer_id}`,
        doc: JSON.stringify(doc),
        reprint,
      });
      if (id !== null) queued += 1;
    }
    return queued;
  }

  private drawer(o: Omit<DrawerOpeningRow, 'kicked_at_ms'>): void {
    const printer = this.p.printers.receiptPrinter();
    const jobId = printer
      ? this.queue({
          printer_id: printer.printer_id,
          kind: 'drawer',
          ref: String(o.seq),
          dedup_key: `drawer:${o.seq}`,
          doc: JSON.stringify(DRAWER_DOC),
          reprint: false,
        })
      : null;
    this.p.jobs.recordOpening(o, jobId);
  }
}
