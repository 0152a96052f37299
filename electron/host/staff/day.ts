// The open business day at the counter (the day domain's calls): its entries with their totals,
// orders paid by cash or card, refunds and voids, and the manager's close of the day (the signed
// Z report) and exports. Every call names a sign-in's token; the role is checked by
// StaffDirectory.require() before anything is read or written, and every entry that moves money
// records who took or approved it ("cashier:bo", "manager:ana") in the signed entry itself.
// Refunds and voids above limits.refund_cashier_max_minor need a manager's sign-in; closing and
// exporting a day is a manager's alone. Operating errors (not a payment, more than is left) are
// checked here before the append, so a refusal is a code and never a ledger fault.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  DAY_ENTRIES_LISTED_MAX,
  EXPORT_CHARS_MAX,
  isPayable,
  type DayEntry,
  type RequestOf,
  type ResponseOf,
  type ZReport,
} from '../../contract/api.js';
import { dayTotalsV2 } from '../../../ledger/protocol/rules-shift.js';
import { dayTotals } from '../../../ledger/protocol/rules.js';
import { ENTRY_VERSION_SALES, type DayTotal } from '../../../ledger/protocol/entry.js';
import type { ItemTake } from '../../../ledger/protocol/portion.js';
import { paymentBodyFor, recordPayment } from '../orders/order-payment.js';
import { refundableOf, reversalBody } from './reversals.js';
import { markReversal } from '../manager/training.js';
import { exportDay } from '../../../ledger/cli/export.js';
import { zoneClock } from '../../../ledger/protocol/zone-clock.js';
import type { LedgerStore, StoredEntry } from '../../../ledger/store/store.js';
import { LedgerReader } from '../../../ledger/store/reader.js';
import type { KioskState } from '../../../ledger/sync/kiosk-state.js';
import type { SyncWorker } from '../../../ledger/sync/worker.js';
import { approverOf, type Role, type StaffDirectory, type StaffMember } from './directory.js';
import { ApiFault } from '../fault.js';
import type { OrderBook } from '../orders/orders.js';
import type { DomainService } from '../transport/routes.js';
import type { ReceiptService } from '../payment/receipts.js';
import { dayEntryOf } from '../manager/day-report.js';
import { refuseShiftOverflow } from './till.js';

export interface DayParts {
  log: Logger;
  staff: StaffDirectory;
  store: LedgerStore;
  state: KioskState;
  orders: OrderBook;
  worker: SyncWorker | null;
  /** The payments' receipts (the staff print them again: any payment's, by its seq). */
  receipts: Pick<ReceiptService, 'bySeq'>;
  /** What a cashier may return without a manager, in minor units of `currency` (0 in a currency
   * the limit is not stated in: KioskSettings.limitIn), per payment and per cashier per day. */
  refundCashierMaxMinor: (currency: string) => number;
  now?: () => number;
}

export class DayService implements DomainService<'day'> {
  private readonly now: () => number;

  constructor(private readonly p: DayParts) {
    this.now = p.now ?? Date.now;
  }

  /** The member behind the token, if their role allows `role` (else a StaffError: its code is the answer). */
  private member(token: string, role: Role): StaffMember {
    return this.p.staff.require(token, role);
  }

  // ---- the day's entries -----------------------------------------------------------------------

  private today(): string {
    return zoneClock(this.p.store.timezone).day(this.now());
  }

  /** The open day's entries, newest first, with the day's totals. */
  dayEntries(req: RequestOf<'dayEntries'>): ResponseOf<'dayEntries'> {
    this.member(req.token, 'cashier');
    const first = this.p.store.openDay().first_seq;
    const last = this.p.store.tip().seq;
    const from = Math.max(first, last - DAY_ENTRIES_LISTED_MAX + 1);
    const entries = [...this.p.store.range(from, last)].map((s) => this.view(s)).reverse();
    return {
      business_day: this.today(),
      first_seq: first,
      entries,
      truncated: from > first,
      totals: this.openTotals(first, last),
    };
  }

  /** The open day's totals as its close will sign them (with tips, for a day of sales). */
  private openTotals(first: number, last: number): DayTotal[] {
    const entries = [...this.p.store.entries(first, last)];
    return entries.some((e) => e.v === ENTRY_VERSION_SALES)
      ? dayTotalsV2(entries, (s) => this.p.store.payment(s)?.method).totals
      : dayTotals(entries);
  }

  private view(s: StoredEntry): DayEntry {
    return dayEntryOf(s, this.p);
  }

  /** The row of an entry just appended, of the kind it was appended as. */
  private viewOf<K extends DayEntry['kind']>(s: StoredEntry, kind: K): Extract<DayEntry, { kind: K }> {
    const row = this.view(s);
    if (row.kind !== kind) throw new Error(`assertion failed: appended a ${kind}, read back a ${row.kind}`);
    return row as Extract<DayEntry, { kind: K }>;
  }

  // ---- money ---------------------------------------------------------------------------------

  payOrder(req: RequestOf<'payOrder'>): ResponseOf<'payOrder'> {
    const takenBy = approverOf(this.member(req.token, 'cashier'));
    const order = this.p.orders.get(req.order_id);
    if (!isPayable(order)) throw new ApiFault('ORDER_NOT_OPEN', `order ${order.order_id} is ${order.status}`);
    const built = paymentBodyFor(
      this.p.store,
      this.p.orders,
      order,
      `p-${randomUUID()}`,
      { method: req.method, taken_by: takenBy },
      {
        ...(req.share_minor !== undefined ? { share_minor: req.share_minor } : {}),
        ...(req.items !== undefined ? { items: req.items } : {}),
        ...(req.tip_minor !== undefined ? { tip_minor: req.tip_minor } : {}),
        ...(req.tip_bp !== undefined ? { tip_bp: req.tip_bp } : {}),
      },
    );
    refuseShiftOverflow(
      this.p.store,
      { cash_in_minor: req.method === 'cash' ? built.body.amount_minor : 0, tip_minor: built.tip_minor },
      `a ${req.method} payment of ${built.body.amount_minor}`,
    );
    const stored = this.p.store.append('payment', built.body);
    recordPayment(this.p.orders, stored, built.share_minor, built.tip_minor);
    this.p.log.info(
      {
        seq: stored.entry.seq,
        order: order.order_id,
        method: req.method,
        amount_minor: built.body.amount_minor,
        tip_minor: built.tip_minor,
        taken_by: takenBy,
      },
      'paid at the counter',
    );
    this.p.worker?.syncSoon();
    return { order: this.p.orders.get(order.order_id), entry: this.viewOf(stored, 'payment') };
  }

  refund(req: RequestOf<'refund'>): ResponseOf<'refund'> {
    const what = {
      ...(req.amount_minor !== undefined ? { amount_minor: req.amount_minor } : {}),
      ...(req.items !== undefined ? { items: req.items } : {}),
    };
    return this.reverse('refund', req.token, req.payment_seq, what, req.reason);
  }

  voidPayment(req: RequestOf<'voidPayment'>): ResponseOf<'voidPayment'> {
    return this.reverse('void', req.token, req.payment_seq, {}, req.reason);
  }

  staffReceipt(req: RequestOf<'staffReceipt'>): ResponseOf<'staffReceipt'> {
    // Signed-in staff read any receipt by its seq (the token is checked here). receipt() is the
    // screens' call: without a token it needs the paired screen that made the payment, so this
    // reprint was refused as SCREEN_NOT_PAIRED since receipts were bound to their payment ids.
    this.member(req.token, 'cashier');
    return this.p.receipts.bySeq(req.seq);
  }

  refundable(req: RequestOf<'refundable'>): ResponseOf<'refundable'> {
    this.member(req.token, 'cashier');
    return refundableOf(this.p.store, req.payment_seq);
  }

  /** A refund (an amount, or items of the payment's sale) or a void (all that is left), approved by the session's member. */
  private reverse(
    kind: 'refund' | 'void',
    token: string,
    paymentSeq: number,
    what: { amount_minor?: number; items?: ItemTake[] },
    reason: string,
  ): ResponseOf<'refund'> {
    const member = this.member(token, 'cashier');
    const approvedBy = approverOf(member);
    const body = markReversal(this.p.store, reversalBody(this.p.store, kind, paymentSeq, what, reason, approvedBy));
    if (member.role !== 'manager') {
      // reversalBody refused a seq that is not a payment, and more than is left of it.
      const paid = this.p.store.payment(paymentSeq)!;
      this.withinCashierLimit(
        kind,
        { seq: paymentSeq, currency: body.currency, reversed_minor: paid.reversed_minor },
        body.amount_minor,
        approvedBy,
      );
    }
    if (this.p.store.payment(paymentSeq)?.method === 'cash')
      refuseShiftOverflow(
        this.p.store,
        { cash_out_minor: body.amount_minor },
        `a cash ${kind} of ${body.amount_minor}`,
      );
    const stored = this.p.store.append(kind, body);
    this.p.log.info(
      {
        seq: stored.entry.seq,
        kind,
        payment_seq: paymentSeq,
        amount_minor: body.amount_minor,
        approved_by: approvedBy,
      },
      'payment reversed',
    );
    this.p.worker?.syncSoon();
    return { entry: this.viewOf(stored, kind), approved_by: approvedBy };
  }

  /** A cashier's limit is on what goes back, however it is split: all the refunds and voids of
   * one payment (by anyone) with this one, and all of this cashier's in the open day with this
   * one, each at most the limit; more needs a manager (STAFF_NEEDS_MANAGER). Several small
   * refunds and a void returned a whole payment when it was checked per refund. */
  private withinCashierLimit(
    kind: 'refund' | 'void',
    paid: { seq: number; currency: string; reversed_minor: number },
    amountMinor: number,
    cashier: string,
  ): void {
    const maxMinor = this.p.refundCashierMaxMinor(paid.currency);
    const needsManager = (why: string): never => {
      throw new ApiFault(
        'STAFF_NEEDS_MANAGER',
        `a ${kind} of ${amountMinor} ${paid.currency} minor units ${why}, above the cashier's limit of ${maxMinor}: a manager must sign in to approve it`,
      );
    };
    const paymentMinor = paid.reversed_minor + amountMinor;
    if (paymentMinor > maxMinor) needsManager(`brings payment ${paid.seq}'s refunds and voids to ${paymentMinor}`);
    const dayMinor = this.returnedToday(cashier, paid.currency) + amountMinor;
    if (dayMinor > maxMinor) needsManager(`brings ${cashier}'s refunds and voids today to ${dayMinor}`);
  }

  /** What `approver` refunded and voided in `currency` in the open day, in minor units. */
  private returnedToday(approver: string, currency: string): number {
    let sum = 0;
    for (const e of this.p.store.entries(this.p.store.openDay().first_seq, this.p.store.tip().seq))
      if ((e.kind === 'refund' || e.kind === 'void') && e.body.approved_by === approver && e.body.currency === currency)
        sum += e.body.amount_minor;
    return sum;
  }

  // ---- the day's close -----------------------------------------------------------------------

  closeDay(req: RequestOf<'closeDay'>): ZReport {
    const closedBy = approverOf(this.member(req.token, 'manager'));
    const today = this.today();
    const day = req.business_day ?? today;
    if (day > today)
      throw new ApiFault(
        'DAY_INVALID',
        `business day ${day} has not begun (today is ${today} in ${this.p.store.timezone})`,
      );
    const previous = this.p.store.openDay().previous_business_day;
    if (previous !== null && day <= previous)
      throw new ApiFault('DAY_ALREADY_CLOSED', `the last close was of ${previous}; ${day} cannot be closed after it`);
    const shift = this.p.store.openShift();
    if (shift !== null)
      throw new ApiFault(
        'DAY_SHIFT_OPEN',
        `the shift ${shift.body.opened_by} opened (entry ${shift.seq}) is still open: count and close it first`,
      );
    const stored = this.p.store.closeDay(day, closedBy);
    const e = stored.entry;
    if (e.kind !== 'day_close') throw new Error(`assertion failed: closeDay appended a ${e.kind}`);
    this.p.log.info({ seq: e.seq, business_day: day, entries: e.body.entry_count, closed_by: closedBy }, 'day closed');
    this.p.worker?.syncSoon();
    return {
      business_day: e.body.business_day,
      day_close_seq: e.seq,
      entry_hash: stored.entry_hash,
      first_seq: e.body.first_seq,
      last_seq: e.body.last_seq,
      entry_count: e.body.entry_count,
      merkle_root: e.body.merkle_root,
      totals: e.body.totals,
      by_rate: e.body.by_rate ?? [],
      cash: e.body.cash ?? [],
      closed_by: e.body.closed_by,
      signer_public_key: this.signerOf(e.seq),
      closed_at_ms: e.created_at_ms,
    };
  }

  /** The public key that signs `seq`, from the ledger's own key schedule. */
  private signerOf(seq: number): string {
    const reader = new LedgerReader(this.p.store.path);
    try {
      let key = reader.keys[0]!.public_key;
      for (const span of reader.keys) if (span.from_seq <= seq) key = span.public_key;
      return key;
    } finally {
      reader.close();
    }
  }

  exportDay(req: RequestOf<'exportDay'>): ResponseOf<'exportDay'> {
    this.member(req.token, 'manager');
    const content = exportDay(this.p.store.path, req.business_day, req.format);
    if (content.length > EXPORT_CHARS_MAX) {
      throw new ApiFault(
        'EXPORT_TOO_LARGE',
        `the export of ${req.business_day} is ${content.length} characters, more than ${EXPORT_CHARS_MAX}; use "ledger export" on the kiosk instead`,
      );
    }
    return { business_day: req.business_day, format: req.format, content };
  }
}
