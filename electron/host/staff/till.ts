// The till (the till domain's calls): one shift at a time at the kiosk's cash drawer, opened with
// a float, cash paid in and out with a reason, the X report at any time, and the close with a
// count by denomination. The figures are the ledger's own (rules-shift.ts's shiftFigures, the
// function the rules check a close with), so a close the kiosk signs is one the rules accept;
// refusals (a shift already open, none open, a pay-out above the cash expected, a move past what
// a close can sign, a coin or note the currency has not) are answered before anything is written.
import type { Logger } from 'pino';
import type { RequestOf, ResponseOf, TillReport } from '../../contract/api.js';
import { AMOUNT_MINOR_MAX, TILL_MOVES_LISTED_MAX } from '../../contract/api.js';
import { countProblem, countTotal, denominationsOf } from '../../../ledger/protocol/cash.js';
import type { CashCount, Entry } from '../../../ledger/protocol/entry.js';
import { RateSums } from '../../../ledger/protocol/rate-sums.js';
import { shiftFigures, type OpenShift } from '../../../ledger/protocol/rules-shift.js';
import type { LedgerStore } from '../../../ledger/store/store.js';
import type { SyncWorker } from '../../../ledger/sync/worker.js';
import { ApiFault } from '../fault.js';
import type { DomainService } from '../transport/routes.js';
import { approverOf, type StaffDirectory } from './directory.js';

export interface TillParts {
  log: Logger;
  staff: StaffDirectory;
  store: LedgerStore;
  worker: SyncWorker | null;
  /** The store's currency now: a shift is counted in it. */
  currency: () => string;
  now?: () => number;
}

export class TillService implements DomainService<'till'> {
  constructor(private readonly p: TillParts) {}

  openShift(req: RequestOf<'openShift'>): ResponseOf<'openShift'> {
    const by = approverOf(this.p.staff.require(req.token, 'cashier'));
    const open = this.p.store.openShift();
    if (open !== null)
      throw new ApiFault(
        'SHIFT_ALREADY_OPEN',
        `${open.body.opened_by}'s shift (entry ${open.seq}) is open: close it first`,
      );
    const stored = this.p.store.append('shift_open', {
      opened_by: by,
      currency: this.p.currency(),
      float_minor: req.float_minor,
    });
    this.p.log.info({ seq: stored.entry.seq, by, float_minor: req.float_minor }, 'shift opened');
    this.p.worker?.syncSoon();
    return this.report();
  }

  cashMove(req: RequestOf<'cashMove'>): ResponseOf<'cashMove'> {
    const by = approverOf(this.p.staff.require(req.token, 'cashier'));
    const open = this.openOrRefuse();
    const figures = this.figures(open);
    if (req.direction === 'out' && req.amount_minor > figures.expected_minor)
      throw new ApiFault(
        'CASH_PAYOUT_EXCEEDS_DRAWER',
        `a pay-out of ${req.amount_minor} is more than the ${figures.expected_minor} the drawer should hold`,
      );
    // The close signs the shift's pay-ins and pay-outs, and the report shows its cash expected,
    // each at most AMOUNT_MINOR_MAX: a move past that was appended, and then neither the shift
    // nor (DAY_SHIFT_OPEN) the day could ever be closed.
    const sum = req.direction === 'in' ? figures.pay_ins_minor : figures.pay_outs_minor;
    const expected = figures.expected_minor + (req.direction === 'in' ? req.amount_minor : 0);
    if (sum + req.amount_minor > AMOUNT_MINOR_MAX || expected > AMOUNT_MINOR_MAX)
      throw new ApiFault(
        'CASH_MOVE_TOO_LARGE',
        `a pay-${req.direction} of ${req.amount_minor} takes the shift's pay-${req.direction}s to ${sum + req.amount_minor} and its cash expected to ${expected}: a shift records at most ${AMOUNT_MINOR_MAX}`,
      );
    const stored = this.p.store.append('cash_move', {
      shift_seq: open.seq,
      direction: req.direction,
      amount_minor: req.amount_minor,
      currency: open.body.currency,
      reason: req.reason,
      by,
    });
    this.p.log.info(
      { seq: stored.entry.seq, direction: req.direction, amount_minor: req.amount_minor, by },
      'cash moved',
    );
    this.p.worker?.syncSoon();
    return this.report();
  }

  tillReport(req: RequestOf<'tillReport'>): ResponseOf<'tillReport'> {
    this.p.staff.require(req.token, 'cashier');
    return this.report();
  }

  closeShift(req: RequestOf<'closeShift'>): ResponseOf<'closeShift'> {
    const member = this.p.staff.require(req.token, 'cashier');
    const by = approverOf(member);
    const open = this.openOrRefuse();
    // One drawer, one holder: the count (and its variance, signed as the shift's) is the
    // opener's to make, or a manager's; another cashier's count of someone else's drawer is not.
    if (member.role !== 'manager' && open.body.opened_by !== by)
      throw new ApiFault(
        'STAFF_NEEDS_MANAGER',
        `${open.body.opened_by} opened this shift (entry ${open.seq}): ${by} may not close it; ${open.body.opened_by} or a manager counts and closes it`,
      );
    const counted: CashCount[] = [...req.counted]
      .filter((c) => c.count !== 0)
      .sort((a, b) => a.denomination_minor - b.denomination_minor);
    const problem = countProblem(open.body.currency, req.counted);
    if (problem !== null) throw new ApiFault('CASH_DENOMINATION_UNKNOWN', `the count: ${problem}`);
    const figures = this.figures(open);
    const total = countTotal(counted);
    const stored = this.p.store.append('shift_close', {
      shift_seq: open.seq,
      closed_by: by,
      ...figures,
      counted,
      counted_minor: total,
      variance_minor: total - figures.expected_minor,
    });
    this.p.log.info(
      { seq: stored.entry.seq, expected_minor: figures.expected_minor, counted_minor: total, by },
      'shift closed',
    );
    this.p.worker?.syncSoon();
    return this.report();
  }

  private openOrRefuse(): OpenShift {
    const open = this.p.store.openShift();
    if (open === null) throw new ApiFault('SHIFT_NOT_OPEN', 'no shift is open: open one with its float first');
    return open;
  }

  private figures(open: OpenShift): ReturnType<typeof shiftFigures> {
    return shiftFigures(
      open.body,
      this.p.store.entries(open.seq + 1, this.p.store.tip().seq),
      (s) => this.p.store.payment(s)?.method,
    );
  }

  /** The open shift, else the last one closed in the open day, with its breakdown. */
  private report(): TillReport {
    const store = this.p.store;
    const currency = this.p.currency();
    const first = store.openDay().first_seq;
    const entries = [...store.entries(first, store.tip().seq)];
    const lastOpen = entries.findLast((e) => e.kind === 'shift_open');
    const base: TillReport = {
      open: store.openShift() !== null,
      shift: null,
      denominations: [...(denominationsOf(currency) ?? [])],
      by_method: [],
      by_rate: [],
      tips_by_staff: [],
      moves: [],
      generated_at_ms: (this.p.now ?? Date.now)(),
    };
    if (lastOpen === undefined || lastOpen.kind !== 'shift_open') return base;
    const during = entries.filter((e) => e.seq > lastOpen.seq);
    const close = during.find((e) => e.kind === 'shift_close');
    const inShift = close ? during.filter((e) => e.seq < close.seq) : during;
    const figures = shiftFigures(lastOpen.body, inShift, (s) => store.payment(s)?.method);
    return {
      ...base,
      shift: {
        seq: lastOpen.seq,
        opened_by: lastOpen.body.opened_by,
        opened_at_ms: lastOpen.created_at_ms,
        currency: figures.currency,
        float_minor: figures.float_minor,
        cash_sales_minor: figures.cash_sales_minor,
        cash_refunds_minor: figures.cash_refunds_minor,
        pay_ins_minor: figures.pay_ins_minor,
        pay_outs_minor: figures.pay_outs_minor,
        tips_minor: figures.tips_minor,
        expected_minor: figures.expected_minor,
        closed:
          close?.kind === 'shift_close'
            ? {
                seq: close.seq,
                closed_by: close.body.closed_by,
                closed_at_ms: close.created_at_ms,
                counted: close.body.counted,
                counted_minor: close.body.counted_minor,
                variance_minor: close.body.variance_minor,
              }
            : null,
      },
      ...breakdown(inShift, lastOpen.body.opened_by),
    };
  }
}

/** Refuses (CASH_MOVE_TOO_LARGE) a payment or refund that would take the open shift's cash sales,
 * cash refunds, tips or cash expected past AMOUNT_MINOR_MAX: its close signs each of them, so
 * past it neither the shift nor (DAY_SHIFT_OPEN) the day could be closed, and the X report
 * broke its contract (red team 2: a float near the bound, then a cash sale). No shift open: no
 * drawer to count, nothing to refuse. */
export function refuseShiftOverflow(
  store: LedgerStore,
  change: { cash_in_minor?: number; cash_out_minor?: number; tip_minor?: number },
  what: string,
): void {
  const open = store.openShift();
  if (open === null) return;
  const f = shiftFigures(open.body, store.entries(open.seq + 1, store.tip().seq), (s) => store.payment(s)?.method);
  const cashIn = change.cash_in_minor ?? 0;
  const cashOut = change.cash_out_minor ?? 0;
  const after = {
    cash_sales_minor: f.cash_sales_minor + cashIn,
    cash_refunds_minor: f.cash_refunds_minor + cashOut,
    tips_minor: f.tips_minor + (change.tip_minor ?? 0),
    expected_minor: f.expected_minor + cashIn - cashOut,
  };
  const over = Object.entries(after).find(([, v]) => v > AMOUNT_MINOR_MAX || v < -AMOUNT_MINOR_MAX);
  if (over !== undefined)
    throw new ApiFault(
      'CASH_MOVE_TOO_LARGE',
      `${what} takes the open shift's ${over[0]} to ${over[1]}: a shift records at most ${AMOUNT_MINOR_MAX} (its float is ${open.body.float_minor}); close the shift first`,
    );
}

/** Payments by method, takings per rate, tips by who took them, and the pay-ins and pay-outs. */
function breakdown(
  entries: readonly Entry[],
  shiftHolder: string,
): Pick<TillReport, 'by_method' | 'by_rate' | 'tips_by_staff' | 'moves'> {
  const methods = new Map<string, { payment_count: number; amount_minor: number }>();
  const rates = new RateSums();
  const tips = new Map<string, { tips_minor: number; payment_count: number }>();
  const moves: TillReport['moves'] = [];
  for (const e of entries) {
    if (e.kind === 'payment') {
      const m = methods.get(e.body.method) ?? { payment_count: 0, amount_minor: 0 };
      m.payment_count += 1;
      m.amount_minor += e.body.amount_minor;
      methods.set(e.body.method, m);
      rates.addRates(e.body.currency, e.body.by_rate ?? [], 1);
      if ((e.body.tip_minor ?? 0) > 0) {
        const who = e.body.taken_by ?? shiftHolder;
        const t = tips.get(who) ?? { tips_minor: 0, payment_count: 0 };
        t.tips_minor += e.body.tip_minor!;
        t.payment_count += 1;
        tips.set(who, t);
      }
    } else if (e.kind === 'refund' || e.kind === 'void') rates.addRates(e.body.currency, e.body.by_rate ?? [], -1);
    else if (e.kind === 'cash_move')
      moves.push({
        seq: e.seq,
        direction: e.body.direction,
        amount_minor: e.body.amount_minor,
        reason: e.body.reason,
        by: e.body.by,
        created_at_ms: e.created_at_ms,
      });
  }
  return {
    by_method: [...methods.entries()].map(([method, m]) => ({ method: method as 'face' | 'cash' | 'card', ...m })),
    by_rate: rates.byRate(),
    tips_by_staff: [...tips.entries()]
      .map(([staff, t]) => ({ staff, ...t }))
      .sort((a, b) => (a.staff < b.staff ? -1 : 1)),
    moves: moves.slice(-TILL_MOVES_LISTED_MAX).reverse(),
  };
}
