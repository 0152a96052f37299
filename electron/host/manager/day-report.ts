// The manager's day report: one business day of the ledger, filtered, with its totals (per
// currency, per settlement status, per local hour, per menu item) and the days that have entries.
// Plain functions over the real store; the role is checked by the caller (ReportService, reports.ts).
//
// Which entries make a business day, as `ledger export` has it: a closed day is the range its
// day_close signs (the close included), so its unfiltered totals are the Z report's; entries
// after the last close belong to their local date in the store's time zone. A day closed early
// whose date still took payments afterwards shows both parts. Every listed entry is read through
// LedgerStore.range, which verifies its signature and hash on the way out.
//
// Items: the signed payment names its order, not the order's lines; the lines are the kiosk's
// orders (OrderBook, kept on disk in orders.db for ORDERS_RETAINED_DAYS). by_item counts the
// payments whose order is known and agrees with the signed amount; `items_unknown` sums the rest
// (an order older than the retention, a payment taken on another kiosk, a lost orders.db), so
// the two together always equal the gross.
import {
  REPORT_DAYS_MAX,
  REPORT_ENTRIES_LISTED_MAX,
  REPORT_ENTRIES_READ_MAX,
  type DayEntry,
  type DayReport,
  type Order,
  type ReportEntry,
  type ReportFilters,
  type SettlementStatus,
} from '../../contract/api.js';
import { isTrainingEntry, type Entry } from '../../../ledger/protocol/entry.js';
import type { LedgerStore, StoredEntry } from '../../../ledger/store/store.js';
import type { KioskState } from '../../../ledger/sync/kiosk-state.js';
import { isCalendarDay, zoneClock, type ZoneClock } from '../../../ledger/protocol/zone-clock.js';
import { initialsOf } from '../payment/customers.js';
import { itemsOf, ratesAndTips, Totals } from './report-sums.js';

export { itemsOf, Totals } from './report-sums.js';
import { ApiFault } from '../fault.js';

/** Entries after the last close scanned for their dates, at most (newest first): a kiosk that
 * never closes its day keeps the picker to its most recent days instead of decoding everything. */
export const OPEN_SCAN_ENTRIES_MAX = 4 * REPORT_ENTRIES_READ_MAX;

export interface ReportSources {
  store: LedgerStore;
  /** The sync receipts: each money entry's settlement status. */
  state: Pick<KioskState, 'receipt'>;
  /** The kiosk's orders by id (unknown ids left out), for the items. */
  orders: (ids: readonly string[]) => ReadonlyMap<string, Order>;
  /** The customer's display name, if this kiosk knows them (for initials and the name filter). */
  customerName: (customerId: string) => string | undefined;
  nowMs: number;
}

// ---- which entries make a day ------------------------------------------------------------------

interface DayParts {
  /** The close of this day: its range and its own seq. */
  close: { first_seq: number; close_seq: number } | null;
  /** Seqs after the last close dated this day, ascending. */
  open: number[];
}

interface LedgerDays {
  byDay: Map<string, DayParts>;
  /** Some open entries were too old to scan. */
  truncated: boolean;
}

/** Every business day with entries: the closes, and the local dates of the entries after the last. */
export function ledgerDays(store: LedgerStore, clock: ZoneClock): LedgerDays {
  const byDay = new Map<string, DayParts>();
  const partsOf = (d: string): DayParts => {
    let p = byDay.get(d);
    if (!p) byDay.set(d, (p = { close: null, open: [] }));
    return p;
  };
  for (const { entry } of store.entriesOfKind('day_close')) {
    if (entry.kind === 'day_close')
      partsOf(entry.body.business_day).close = { first_seq: entry.body.first_seq, close_seq: entry.seq };
  }
  const openFrom = store.openDay().first_seq;
  const tip = store.tip().seq;
  const scanFrom = Math.max(openFrom, tip - OPEN_SCAN_ENTRIES_MAX + 1);
  for (const e of store.entries(scanFrom, tip)) partsOf(clock.day(e.created_at_ms)).open.push(e.seq);
  return { byDay, truncated: scanFrom > openFrom };
}

/** The day's entries, each verified on the way out. */
function readDay(store: LedgerStore, parts: DayParts | undefined): StoredEntry[] {
  if (!parts) return [];
  const count = (parts.close ? parts.close.close_seq - parts.close.first_seq + 1 : 0) + parts.open.length;
  if (count > REPORT_ENTRIES_READ_MAX) {
    throw new ApiFault(
      'REPORT_TOO_LARGE',
      `this day has ${count} entries, more than the ${REPORT_ENTRIES_READ_MAX} a report reads at once; use "ledger export" on the kiosk`,
    );
  }
  const out: StoredEntry[] = parts.close ? [...store.range(parts.close.first_seq, parts.close.close_seq)] : [];
  if (parts.open.length > 0) {
    const wanted = new Set(parts.open);
    for (const s of store.range(parts.open[0]!, parts.open[parts.open.length - 1]!))
      if (wanted.has(s.entry.seq)) out.push(s);
  }
  return out;
}

// ---- one entry as the report shows it ---------------------------------------------------------

const SETTLED: ReadonlySet<string> = new Set(['settled', 'declined', 'recorded']);

/** One entry as the staff's day list shows it (the report adds the hour, the customer, and for a
 * refund or void its payment's method and order and its own settlement). */
export function dayEntryOf(
  { entry }: Pick<StoredEntry, 'entry'>,
  src: { store: Pick<LedgerStore, 'payment'>; state: Pick<KioskState, 'receipt'> },
): DayEntry {
  const e: Entry = entry;
  const at = { seq: e.seq, created_at_ms: e.created_at_ms };
  const none = {
    amount_minor: null,
    currency: null,
    method: null,
    order_id: null,
    payment_seq: null,
    refundable_minor: null,
    settlement: null,
    tip_minor: null,
    sale_seq: null,
    direction: null,
    variance_minor: null,
  } as const;
  switch (e.kind) {
    case 'payment': {
      const paid = src.store.payment(e.seq)!;
      return {
        ...at,
        ...none,
        kind: 'payment',
        amount_minor: e.body.amount_minor,
        currency: e.body.currency,
        method: e.body.method,
        order_id: e.body.order_id,
        payment_seq: null,
        refundable_minor: paid.amount_minor - paid.reversed_minor,
        actor: e.body.taken_by ?? null,
        reason: null,
        settlement: settlementOf(src.state, e.seq),
        tip_minor: e.body.tip_minor ?? null,
        sale_seq: paid.sale_seq,
      };
    }
    case 'refund':
    case 'void':
      return {
        ...at,
        ...none,
        kind: e.kind,
        amount_minor: e.body.amount_minor,
        currency: e.body.currency,
        payment_seq: e.body.payment_seq,
        actor: e.body.approved_by,
        reason: e.body.reason,
      };
    case 'day_close':
      return { ...at, ...none, kind: 'day_close', actor: e.body.closed_by, reason: `close of ${e.body.business_day}` };
    case 'config':
      return {
        ...at,
        ...none,
        kind: 'config',
        actor: e.body.changed_by,
        reason: `${e.body.key} = ${JSON.stringify(e.body.value)}`.slice(0, 500),
      };
    case 'key_rotation':
      return { ...at, ...none, kind: 'key_rotation', actor: null, reason: e.body.reason };
    case 'shift_open': {
      const b = e.body;
      return {
        ...at,
        ...none,
        kind: 'shift_open',
        amount_minor: b.float_minor,
        currency: b.currency,
        actor: b.opened_by,
        reason: null,
      };
    }
    case 'cash_move': {
      const b = e.body;
      return {
        ...at,
        ...none,
        kind: 'cash_move',
        amount_minor: b.amount_minor,
        currency: b.currency,
        direction: b.direction,
        actor: b.by,
        reason: b.reason,
      };
    }
    case 'shift_close': {
      const b = e.body;
      return {
        ...at,
        ...none,
        kind: 'shift_close',
        amount_minor: b.counted_minor,
        currency: b.currency,
        variance_minor: b.variance_minor,
        actor: b.closed_by,
        reason: null,
      };
    }
  }
}

/** A money entry's settlement as the server's receipt says, pending until one comes. */
function settlementOf(state: Pick<KioskState, 'receipt'>, seq: number): SettlementStatus {
  const status = state.receipt(seq)?.status;
  return status !== undefined && SETTLED.has(status) ? (status as SettlementStatus) : 'pending';
}

/** Turns stored entries into report rows; remembers the payments that refunds name. */
export function entryViewer(src: ReportSources, clock: ZoneClock): (s: StoredEntry) => ReportEntry {
  const payments = new Map<number, Entry | undefined>();
  const paymentAt = (seq: number): Entry | undefined => {
    if (!payments.has(seq)) payments.set(seq, src.store.get(seq)?.entry);
    return payments.get(seq);
  };
  const customer = (customerId: string | undefined): Pick<ReportEntry, 'customer_id' | 'customer_initials'> => {
    if (customerId === undefined) return { customer_id: null, customer_initials: null };
    const name = src.customerName(customerId);
    return { customer_id: customerId, customer_initials: name ? initialsOf(name).slice(0, 8) : null };
  };
  return (stored) => {
    const day = dayEntryOf(stored, src);
    const hour = clock.hour(day.created_at_ms);
    if (day.kind === 'payment') {
      const e = stored.entry;
      return { ...day, hour, ...customer(e.kind === 'payment' ? e.body.customer_id : undefined) };
    }
    if (day.kind === 'refund' || day.kind === 'void') {
      const paid = paymentAt(day.payment_seq);
      const p = paid?.kind === 'payment' ? paid.body : undefined;
      return {
        ...day,
        hour,
        method: p?.method ?? null,
        order_id: p?.order_id ?? null,
        settlement: settlementOf(src.state, day.seq),
        ...customer(p?.customer_id),
      };
    }
    return { ...day, hour, customer_id: null, customer_initials: null };
  };
}

// ---- filters ---------------------------------------------------------------------------------

/** Refuses filters that can match nothing by mistake (a range turned round). */
export function checkFilters(f: ReportFilters): void {
  if (f.amount_min_minor !== undefined && f.amount_max_minor !== undefined && f.amount_min_minor > f.amount_max_minor) {
    throw new ApiFault(
      'API_BAD_REQUEST',
      `amount_min_minor ${f.amount_min_minor} is more than amount_max_minor ${f.amount_max_minor}`,
    );
  }
  if (f.from_ms !== undefined && f.to_ms !== undefined && f.from_ms >= f.to_ms) {
    throw new ApiFault('API_BAD_REQUEST', `from_ms ${f.from_ms} is not before to_ms ${f.to_ms}`);
  }
}

/** A customer filter: their id or name contains it, or their initials begin with its letters. */
export function customerMatches(query: string, customerId: string, name: string | undefined): boolean {
  const q = query.trim().toLowerCase();
  if (q === '') return true;
  if (customerId.toLowerCase().includes(q)) return true;
  if (name === undefined) return false;
  if (name.toLowerCase().includes(q)) return true;
  const letters = q.replace(/[\s.]/g, '');
  return letters.length > 0 && initialsOf(name).replace(/\./g, '').toLowerCase().startsWith(letters);
}

export function matches(
  e: ReportEntry,
  f: ReportFilters,
  customerName: (customerId: string) => string | undefined,
): boolean {
  if (f.kinds && !f.kinds.includes(e.kind)) return false;
  if (f.settlement && (e.settlement === null || !f.settlement.includes(e.settlement))) return false;
  if (f.method && (e.method === null || !f.method.includes(e.method))) return false;
  if (
    f.customer !== undefined &&
    (e.customer_id === null || !customerMatches(f.customer, e.customer_id, customerName(e.customer_id)))
  )
    return false;
  if (f.amount_min_minor !== undefined && (e.amount_minor === null || e.amount_minor < f.amount_min_minor))
    return false;
  if (f.amount_max_minor !== undefined && (e.amount_minor === null || e.amount_minor > f.amount_max_minor))
    return false;
  if (f.from_ms !== undefined && e.created_at_ms < f.from_ms) return false;
  if (f.to_ms !== undefined && e.created_at_ms >= f.to_ms) return false;
  return true;
}

// ---- the report ------------------------------------------------------------------------------

export function dayReport(src: ReportSources, businessDay: string | undefined, filters: ReportFilters = {}): DayReport {
  const clock = zoneClock(src.store.timezone);
  const today = clock.day(src.nowMs);
  const day = businessDay ?? today;
  if (!isCalendarDay(day)) throw new ApiFault('DAY_INVALID', `${day} is not a date`);
  if (day > today)
    throw new ApiFault('DAY_INVALID', `business day ${day} has not begun (today is ${today} in ${src.store.timezone})`);
  checkFilters(filters);

  const days = ledgerDays(src.store, clock);
  const parts = days.byDay.get(day);
  const stored = readDay(src.store, parts);
  const view = entryViewer(src, clock);
  const all = stored.map(view);
  const matched = all.filter((e) => matches(e, filters, src.customerName));
  const signed = new Map(stored.map((s) => [s.entry.seq, s.entry]));
  // Training entries are listed, never counted: no money changed hands.
  const money = matched.filter((e) => !isTrainingEntry(signed.get(e.seq)!));

  const totals = new Totals();
  const bySettlement = new Map<SettlementStatus, Totals>();
  const byHour = Array.from({ length: 24 }, () => new Totals());
  for (const e of money) {
    totals.add(e);
    byHour[e.hour]!.add(e);
    if (e.settlement !== null) {
      let t = bySettlement.get(e.settlement);
      if (!t) bySettlement.set(e.settlement, (t = new Totals()));
      t.add(e);
    }
  }
  const bounds = clock.bounds(day);
  const listed = matched.slice(-REPORT_ENTRIES_LISTED_MAX).reverse();
  const dayList = [...days.byDay.entries()]
    .map(([d, p]) => ({
      business_day: d,
      closed: p.close !== null,
      entry_count: (p.close ? p.close.close_seq - p.close.first_seq + 1 : 0) + p.open.length,
    }))
    .sort((a, b) => (a.business_day < b.business_day ? 1 : -1));

  return {
    business_day: day,
    timezone: src.store.timezone,
    closed: (parts?.close ?? null) !== null,
    day_close_seq: parts?.close?.close_seq ?? null,
    day_start_ms: bounds.start_ms,
    day_end_ms: bounds.end_ms,
    day_entry_count: all.length,
    matched_count: matched.length,
    entries: listed,
    truncated: matched.length > listed.length,
    totals: totals.list(),
    by_settlement: [...bySettlement.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .flatMap(([settlement, t]) => t.list().map((x) => ({ settlement, ...x }))),
    by_hour: byHour.map((t, hour) => ({ hour, ...bounds.hours[hour]!, totals: t.list() })),
    ...ratesAndTips(money, signed),
    ...itemsOf(money, src.orders, signed),
    days: dayList.slice(0, REPORT_DAYS_MAX),
    days_truncated: days.truncated || dayList.length > REPORT_DAYS_MAX,
  };
}
