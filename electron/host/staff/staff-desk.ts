// The staff side of the service layer: the cashier's and the manager's calls. Every call but
// the sign-in names a session token; the role is checked by StaffDirectory.require() before
// anything is read or written, and every entry that moves money records who approved it
// ("cashier:bo", "manager:ana") in the signed ledger entry itself. Refunds and voids above
// limits.refund_cashier_max_minor need a manager's session; closing and exporting a day is a
// manager's alone. Operating errors (wrong PIN, not a payment, more than is left) are checked
// here before the append, so a refusal is a code and never a ledger fault.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  DAY_ENTRIES_LISTED_MAX,
  EXPORT_CHARS_MAX,
  isPayable,
  ORDERS_KEPT_MAX,
  type ApiErrorCode,
  type DayEntry,
  type RequestOf,
  type ResponseOf,
  type ZReport,
} from '../../contract/api.js';
import { dayTotals } from '../../../ledger/protocol/rules.js';
import { exportDay } from '../../../ledger/cli/export.js';
import { zoneClock } from '../../../ledger/protocol/zone-clock.js';
import type { LedgerStore, StoredEntry } from '../../../ledger/store/store.js';
import { LedgerReader } from '../../../ledger/store/reader.js';
import type { KioskState } from '../../../ledger/sync/kiosk-state.js';
import type { SyncWorker } from '../../../ledger/sync/worker.js';
import { StaffError, type Role, type StaffDirectory, type StaffMember } from './directory.js';
import { ApiFault } from '../fault.js';
import type { OrderBook } from '../orders/orders.js';
import {
  SETTING_KEYS,
  SETTING_RANGES,
  SettingError,
  SettingRefused,
  TEXT_SETTING_KEYS,
  type KioskSettings,
} from '../manager/settings.js';
import { calibration } from '../../face/calibration.js';
import type { FaceConfig } from '../../face/config.js';
import { TeamDesk } from './team.js';
import { dayEntryOf, dayReport } from '../manager/day-report.js';

export interface StaffDeskParts {
  log: Logger;
  staff: StaffDirectory;
  store: LedgerStore;
  state: KioskState;
  orders: OrderBook;
  worker: SyncWorker | null;
  /** A refund or void above this (minor units, any currency) needs a manager. */
  refundCashierMaxMinor: () => number;
  /** The limits a manager may change. */
  settings: KioskSettings;
  now?: () => number;
}

/** StaffDirectory's codes that the contract answers with; the rest are input faults. */
const STAFF_CODES: ReadonlySet<string> = new Set([
  'STAFF_UNKNOWN',
  'STAFF_PIN_WRONG',
  'STAFF_LOCKED',
  'STAFF_SESSION_INVALID',
  'STAFF_FORBIDDEN',
]);

function asFault(err: unknown): unknown {
  if (!(err instanceof StaffError)) return err;
  return new ApiFault(STAFF_CODES.has(err.code) ? (err.code as ApiErrorCode) : 'API_BAD_REQUEST', err.message);
}

export class StaffDesk {
  private readonly now: () => number;

  constructor(private readonly p: StaffDeskParts) {
    this.now = p.now ?? Date.now;
  }

  // ---- sign-in -------------------------------------------------------------------------------

  list(): ResponseOf<'staffList'> {
    return { staff: this.p.staff.list() };
  }

  async signIn(req: RequestOf<'staffSignIn'>): Promise<ResponseOf<'staffSignIn'>> {
    try {
      const s = await this.p.staff.signIn(req.staff_id, req.pin);
      this.p.log.info({ staff: s.staff_id, role: s.role }, 'staff signed in');
      return {
        staff_id: s.staff_id,
        display_name: s.display_name,
        role: s.role,
        token: s.token,
        signed_in_at_ms: s.signed_in_at_ms,
        idle_sign_out_ms: this.p.staff.idleMs,
      };
    } catch (err) {
      if (err instanceof StaffError) this.p.log.info({ staff: req.staff_id, code: err.code }, 'staff sign-in refused');
      throw asFault(err);
    }
  }

  signOut(req: RequestOf<'staffSignOut'>): ResponseOf<'staffSignOut'> {
    this.p.staff.signOut(req.token);
    return { signed_out: true };
  }

  /** The member behind the token, if their role allows `role`; a StaffError becomes its code. */
  private member(token: string, role: Role): StaffMember {
    try {
      return this.p.staff.require(token, role);
    } catch (err) {
      throw asFault(err);
    }
  }

  // ---- the day's entries -----------------------------------------------------------------------

  today(): string {
    return zoneClock(this.p.store.timezone).day(this.now());
  }

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
      totals: dayTotals(this.p.store.entries(first, last)),
    };
  }

  private view(s: StoredEntry): DayEntry {
    return dayEntryOf(s, this.p);
  }

  // ---- money ---------------------------------------------------------------------------------

  payOrder(req: RequestOf<'payOrder'>): ResponseOf<'payOrder'> {
    const takenBy = this.approver(this.member(req.token, 'cashier'));
    const order = this.p.orders.get(req.order_id);
    if (!isPayable(order)) throw new ApiFault('ORDER_NOT_OPEN', `order ${order.order_id} is ${order.status}`);
    const stored = this.p.store.append('payment', {
      payment_id: `p-${randomUUID()}`,
      order_id: order.order_id,
      amount_minor: order.total_minor,
      currency: order.currency,
      method: req.method,
      taken_by: takenBy,
    });
    this.p.orders.markPaid(order.order_id, stored.entry.seq);
    this.p.log.info(
      {
        seq: stored.entry.seq,
        order: order.order_id,
        method: req.method,
        amount_minor: order.total_minor,
        taken_by: takenBy,
      },
      'paid at the counter',
    );
    this.p.worker?.syncSoon();
    return { order: this.p.orders.get(order.order_id), entry: this.view(stored) };
  }

  // ---- the live order board ------------------------------------------------------------------

  /** The cashier's order, sent to the customer screen: it becomes the current order there. */
  sendOrder(req: RequestOf<'sendOrder'>): ResponseOf<'sendOrder'> {
    const by = this.approver(this.member(req.token, 'cashier'));
    const order = this.p.orders.create(req.lines, {
      source: 'counter',
      status: 'awaiting_payment',
      ...(req.note !== undefined ? { note: req.note } : {}),
    });
    this.p.log.info(
      { order: order.order_id, amount_minor: order.total_minor, by },
      'order sent to the customer screen',
    );
    return order;
  }

  orderBoard(req: RequestOf<'orderBoard'>): ResponseOf<'orderBoard'> {
    this.member(req.token, 'cashier');
    return { orders: this.p.orders.list().slice(0, ORDERS_KEPT_MAX), kept_max: ORDERS_KEPT_MAX };
  }

  advanceOrder(req: RequestOf<'advanceOrder'>): ResponseOf<'advanceOrder'> {
    const by = this.approver(this.member(req.token, 'cashier'));
    const order = this.p.orders.advance(req.order_id, req.status);
    this.p.log.info({ order: order.order_id, status: order.status, by }, 'order moved on');
    return order;
  }

  refund(req: RequestOf<'refund'>): ResponseOf<'refund'> {
    return this.reverse('refund', req.token, req.payment_seq, req.amount_minor, req.reason);
  }

  voidPayment(req: RequestOf<'voidPayment'>): ResponseOf<'voidPayment'> {
    return this.reverse('void', req.token, req.payment_seq, null, req.reason);
  }

  /** A refund (amount given) or a void (all that is left), approved by the session's member. */
  private reverse(
    kind: 'refund' | 'void',
    token: string,
    paymentSeq: number,
    amountMinor: number | null,
    reason: string,
  ): ResponseOf<'refund'> {
    const member = this.member(token, 'cashier');
    const paid = this.p.store.payment(paymentSeq);
    if (paid === undefined)
      throw new ApiFault('PAYMENT_NOT_FOUND', `entry ${paymentSeq} is not a payment on this kiosk`);
    const leftMinor = paid.amount_minor - paid.reversed_minor;
    if (leftMinor === 0)
      throw new ApiFault(
        'PAYMENT_ALREADY_REVERSED',
        `payment ${paymentSeq} of ${paid.amount_minor} was refunded or voided in full already`,
      );
    const amount = amountMinor ?? leftMinor;
    if (amount > leftMinor) {
      throw new ApiFault(
        'REFUND_EXCEEDS_PAYMENT',
        `a ${kind} of ${amount} is more than the ${leftMinor} left of payment ${paymentSeq} (paid ${paid.amount_minor}, refunded ${paid.reversed_minor})`,
      );
    }
    const cashierMax = this.p.refundCashierMaxMinor();
    if (amount > cashierMax && member.role !== 'manager') {
      throw new ApiFault(
        'STAFF_NEEDS_MANAGER',
        `a ${kind} of ${amount} ${paid.currency} minor units is above the cashier's limit of ${cashierMax}: a manager must sign in to approve it`,
      );
    }
    const approvedBy = this.approver(member);
    const stored = this.p.store.append(kind, {
      payment_seq: paymentSeq,
      amount_minor: amount,
      currency: paid.currency,
      reason,
      approved_by: approvedBy,
    });
    this.p.log.info(
      { seq: stored.entry.seq, kind, payment_seq: paymentSeq, amount_minor: amount, approved_by: approvedBy },
      'payment reversed',
    );
    this.p.worker?.syncSoon();
    return { entry: this.view(stored), approved_by: approvedBy };
  }

  private approver(m: StaffMember): string {
    return `${m.role}:${m.staff_id}`;
  }

  // ---- the day's close -----------------------------------------------------------------------

  closeDay(req: RequestOf<'closeDay'>): ZReport {
    const closedBy = this.approver(this.member(req.token, 'manager'));
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

  /** Any staff: the values; the history (who changed what, and who left kiosk mode) only a manager. */
  settings(req: RequestOf<'settings'>): ResponseOf<'settings'> {
    const me = this.member(req.token, 'cashier');
    const values = this.p.settings.current();
    const cal = calibration();
    return {
      settings: SETTING_KEYS.map((key) => ({ key, value: values[key], ...SETTING_RANGES[key] })),
      texts: TEXT_SETTING_KEYS.map((key) => ({ key, value: this.p.settings.text(key) })),
      calibration: {
        source: cal.source,
        people: cal.people,
        images: cal.images,
        caveat: cal.caveat,
        rows: this.p.settings.calibrationRows(),
      },
      history: me.role === 'manager' ? this.p.settings.history() : [],
    };
  }

  /** The face match settings the next identification uses (the manager's threshold and step-up amount). */
  matchConfig(): FaceConfig['match'] {
    return this.p.settings.matchConfig();
  }

  /** The customer screen's languages, as the manager set them. */
  languages(): ('en' | 'de' | 'zh')[] {
    return this.p.settings.languages();
  }

  private teamDesk: TeamDesk | null = null;
  /** Staff management and leaving kiosk mode (team.ts), over the same directory and ledger. */
  get team(): TeamDesk {
    this.teamDesk ??= new TeamDesk({ log: this.p.log, staff: this.p.staff, store: this.p.store, now: this.now });
    return this.teamDesk;
  }

  /** Manager only: one limit changed, signed into the ledger as a config entry naming the manager. */
  setSetting(req: RequestOf<'setSetting'>): ResponseOf<'setSetting'> {
    const changedBy = this.approver(this.member(req.token, 'manager'));
    try {
      const r =
        typeof req.value === 'string'
          ? this.p.settings.setText(req.key, req.value, changedBy, req.reason)
          : this.p.settings.set(req.key, req.value, changedBy, req.reason);
      this.p.log.info(
        { key: req.key, previous: r.previous, value: r.value, changed_by: changedBy, seq: r.seq },
        'setting changed',
      );
      return { seq: r.seq, key: req.key, previous: r.previous, value: r.value, changed_by: changedBy };
    } catch (err) {
      if (err instanceof SettingError) throw new ApiFault('API_BAD_REQUEST', err.message);
      if (err instanceof SettingRefused) throw new ApiFault('SETTING_REFUSED', err.message);
      throw err;
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

  /** Manager only: one business day filtered, with its totals (day-report.ts). */
  dayReport(
    req: RequestOf<'dayReport'>,
    customerName: (customerId: string) => string | undefined,
  ): ResponseOf<'dayReport'> {
    this.member(req.token, 'manager');
    return dayReport(
      {
        store: this.p.store,
        state: this.p.state,
        orders: (ids) => this.p.orders.byIds(ids),
        customerName,
        nowMs: this.now(),
      },
      req.business_day,
      req.filters ?? {},
    );
  }
}
