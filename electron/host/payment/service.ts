// The kiosk's service layer: one object with a handler per call of the API contract, used by
// both transports (Electron IPC and HTTP/WebSocket). It owns the payment path end to end:
// order -> liveness session over the host's own observations of the paired screen's camera
// frames (face-sessions.ts) -> 1:N match (with the phone-digits step-up, its wrong entries
// counted) -> offline limits and freezes -> a signed, durable ledger entry -> receipt. The
// renderer never decides: it sends camera frames and shows what this layer answers.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  isPayable,
  type ApiErrorCode,
  type CallName,
  type KioskStatus,
  type OrderEvent,
  type Receipt,
  type RequestOf,
  type ResponseOf,
  type SessionView,
} from '../../contract/api.js';
import type { FaceConfig } from '../../face/config.js';
import { identify, identifyAmong, type MatchDecision } from '../../face/decision.js';
import { enrol as enrolFace } from '../../face/enrol.js';
import { TEMPLATE_KEY_BYTES } from '../../face/template-crypto.js';
import type { LedgerStore } from '../../../ledger/store/store.js';
import type { KioskLimits, KioskState } from '../../../ledger/sync/kiosk-state.js';
import type { SyncWorker } from '../../../ledger/sync/worker.js';
import { authorizeFacePayment } from '../../../ledger/sync/offline-limits.js';
import { zoneClock, type ZoneClock } from '../manager/day-report.js';
import { ApiFault } from '../fault.js';
import { FaceSessions, type ScreenLink, type Session } from './face-sessions.js';
import type { HostVision } from '../vision/host-vision.js';
import type { SecurityLimits } from '../security/limits.js';
import type { Caller } from '../pairing/access.js';
import { PairingError, type PairingDesk } from '../pairing/pairing.js';
import { StaffError } from '../staff/directory.js';
import type { OrderBook } from '../orders/orders.js';
import { initialsOf, phoneLast4, type CustomerDirectory } from './customers.js';
import { encodeTemplates, type Gallery } from './gallery.js';
import type { SelfCheck } from '../self-check.js';
import type { StaffDesk } from '../staff/staff-desk.js';
import type { KioskModeLeft } from '../staff/team.js';
import type { IntegrityDesk } from '../manager/integrity.js';
import type { PrivacyDesk } from '../manager/privacy.js';

/** The consent text version the renderer shows (renderer/i18n: consent.*). */
export const CONSENT_TEXT_VERSION = 'consent-2026-01';
export const CONSENT_RETENTION_DAYS = 365;
export const CONSENT_PURPOSE =
  "Identify the customer by face to pay at this merchant's kiosks; deleted on request or after the retention period.";

export interface KioskParts {
  log: Logger;
  store: LedgerStore;
  state: KioskState;
  worker: SyncWorker | null;
  gallery: Gallery;
  customers: CustomerDirectory;
  orders: OrderBook;
  selfCheck: SelfCheck;
  /** The cashier's and manager's calls (staff-desk.ts). */
  desk: StaffDesk;
  settlementUrl: () => string | null;
  /** The kiosk's configured offline limits (config.limits); the stricter of these and the server's apply. */
  localLimits?: () => KioskLimits;
  /** After an enrolment reached the server (the demo store tops the new wallet up). */
  onEnrolled?: (customerId: string) => Promise<void>;
  /** The manager's integrity and privacy panels (integrity.ts, privacy.ts). */
  integrity: IntegrityDesk;
  privacy: PrivacyDesk;
  /** Which screens are customer screens (pairing.ts). */
  pairing: PairingDesk;
  /** The host's vision worker, once it has started (null until then, or if it failed). */
  vision: () => HostVision | null;
  security: SecurityLimits;
  now?: () => number;
}

type Handlers = {
  [K in CallName]: (req: ResponseOfReq<K>, caller: Caller) => Promise<ResponseOf<K>> | ResponseOf<K>;
};
type ResponseOfReq<K extends CallName> = RequestOf<K>;

export class KioskService implements Handlers {
  readonly sessions: FaceSessions;
  private readonly now: () => number;
  /** Key for enrol()'s local sealed copy; the kiosk keeps no local copy, so it never leaves memory. */
  private readonly templateKey = randomBytes(TEMPLATE_KEY_BYTES);
  /** Set when a programmer error stops the payment path; the kiosk is out of service. */
  outOfService: string | null = null;

  /** The store's local days (its time zone, as the ledger keeps it): "today" for the limits. */
  private readonly storeClock: ZoneClock;

  constructor(private readonly p: KioskParts) {
    this.now = p.now ?? Date.now;
    this.storeClock = zoneClock(p.store.timezone);
    this.sessions = new FaceSessions({ log: p.log, limits: p.security, vision: p.vision, now: this.now });
    this.sessions.deciders = {
      accepted: (s) =>
        this.decidePayment(
          s,
          identify(this.matchConfig(), this.p.gallery.current(), s.descriptor!, {
            amount_minor: this.orderOf(s).total_minor,
            paymentsOf: (c) => this.facePaymentsOf(c),
          }),
          false,
        ),
      // The board shows why a face payment was refused (the order can still be paid another way).
      refused: (s, code, message) => {
        if (s.kind === 'payment' && s.order_id !== null) this.p.orders.refused(s.order_id, 'declined', code, message);
      },
    };
  }

  // ---- status ------------------------------------------------------------------------------

  async status(_req: RequestOf<'status'>, caller: Caller): Promise<KioskStatus> {
    return this.withSettings(await this.p.selfCheck.status(), caller);
  }

  async reportClient(req: RequestOf<'reportClient'>, caller: Caller): Promise<KioskStatus> {
    this.p.selfCheck.reportClient(req);
    return this.withSettings(await this.p.selfCheck.status(), caller);
  }

  /** The customer screen offers the languages and the currency a manager chose (settings), not only the file's. */
  private withSettings(status: Omit<KioskStatus, 'screen'>, caller: Caller): KioskStatus {
    return {
      ...status,
      store: { ...status.store, languages: this.p.desk.languages(), currency: this.p.orders.currency },
      screen: caller.screen
        ? { paired: true, screen_id: caller.screen.screen_id, label: caller.screen.label }
        : { paired: false, screen_id: null, label: null },
    };
  }

  /** The face match settings for this identification: a manager's change applies at the next one. */
  private matchConfig(): FaceConfig['match'] {
    return this.p.desk.matchConfig();
  }

  // ---- orders ------------------------------------------------------------------------------

  menu(): ResponseOf<'menu'> {
    return { categories: this.p.orders.categories, items: this.p.orders.menu, currency: this.p.orders.currency };
  }

  createOrder(req: RequestOf<'createOrder'>): ResponseOf<'createOrder'> {
    return this.p.orders.create(req.lines);
  }

  currentOrder(): ResponseOf<'currentOrder'> {
    return this.p.orders.current();
  }

  getOrder(req: RequestOf<'getOrder'>): ResponseOf<'getOrder'> {
    return this.p.orders.get(req.order_id);
  }

  /** Every change of every order, for the transports' server push; returns the unsubscribe. */
  onOrderChanged(listener: (e: OrderEvent) => void): () => void {
    return this.p.orders.onChange(listener);
  }

  // ---- sessions (face-sessions.ts owns them; only the caller's paired screen reaches its own) ----

  startPayment(req: RequestOf<'startPayment'>, caller: Caller): SessionView {
    const screen = requireScreen(caller);
    this.assertInService();
    const order = this.p.orders.get(req.order_id);
    if (!isPayable(order)) throw new ApiFault('ORDER_NOT_OPEN', `order ${order.order_id} is ${order.status}`);
    const s = this.sessions.open('payment', screen, order.order_id);
    this.p.orders.awaitPayment(order.order_id);
    return this.sessions.view(s);
  }

  startEnrolment(_req: RequestOf<'startEnrolment'>, caller: Caller): SessionView {
    return this.sessions.view(this.sessions.open('enrol', requireScreen(caller), null));
  }

  startDeletion(_req: RequestOf<'startDeletion'>, caller: Caller): SessionView {
    return this.sessions.view(this.sessions.open('delete', requireScreen(caller), null));
  }

  cancel(req: RequestOf<'cancel'>, caller: Caller): ResponseOf<'cancel'> {
    return { cancelled: this.sessions.cancel(req.session_id, requireScreen(caller).screen_id) };
  }

  /** The customers with these phone digits: enrolled here, or anywhere (the card in their templates). */
  private withPhoneDigits(last4: string): string[] {
    return [...new Set([...this.p.customers.withPhoneDigits(last4), ...this.p.gallery.withPhoneDigits(last4)])];
  }

  /** A customer's display name: from this kiosk's directory, or from their templates' card. */
  private nameOf(customerId: string): string | undefined {
    return this.p.customers.get(customerId)?.display_name ?? this.p.gallery.card(customerId)?.display_name;
  }

  /** The phone digits after a step-up. A wrong entry counts (per session, order and kiosk); a
   * cooldown refuses before any digits are compared, so the right ones then do not pay. */
  stepUp(req: RequestOf<'stepUp'>, caller: Caller): SessionView {
    const s = this.sessions.get(req.session_id, requireScreen(caller).screen_id, 'payment');
    if (s.phase !== 'step_up' || !s.descriptor)
      throw new ApiFault('SESSION_WRONG_STEP', `session ${s.id} is not waiting for phone digits (phase ${s.phase})`);
    if (this.digitsRefused(s)) return this.sessions.view(s);
    const d = identifyAmong(
      this.matchConfig(),
      this.p.gallery.current(),
      s.descriptor,
      this.withPhoneDigits(req.phone_last4),
    );
    if (d.outcome === 'refuse' && d.code === 'FACE_NOT_ENROLLED') this.wrongDigits(s);
    else this.decidePayment(s, d, true);
    return this.sessions.view(s);
  }

  /** A cooldown (the order's or the kiosk's) refuses the session before any digits count. */
  private digitsRefused(s: Session): boolean {
    const cooling = this.sessions.stepUps.check(s.kind === 'payment' ? s.order_id : null);
    if (!cooling) return false;
    this.p.log.warn({ session: s.id, retry_after_ms: cooling.retry_after_ms }, 'step-up refused: cooldown');
    this.sessions.refuse(s, cooling.code, cooling.message);
    return true;
  }

  /** Digits that match no such face: the same answer whatever the reason (no oracle). */
  private wrongDigits(s: Session): void {
    s.wrong_digits += 1;
    this.sessions.stepUps.wrong(s.kind === 'payment' ? s.order_id : null);
    const left = this.p.security.step_up_wrong_per_session_max - s.wrong_digits;
    this.p.log.info({ session: s.id, wrong: s.wrong_digits, left }, 'step-up: wrong digits');
    if (left <= 0)
      return this.sessions.refuse(
        s,
        'STEP_UP_WRONG',
        'Those digits do not match. Please pay at the counter or ask the staff.',
      );
    s.error = { code: 'STEP_UP_WRONG', message: `Those digits do not match: ${left} more tries.` };
  }

  private orderOf(s: Session): ResponseOf<'getOrder'> {
    return this.p.orders.get(s.order_id!);
  }

  private facePaymentsOf(customerId: string): number {
    return this.p.state.db
      .prepare("SELECT count(*) FROM entries WHERE kind = 'payment' AND customer_id = ?")
      .pluck()
      .get(customerId) as number;
  }

  private decidePayment(s: Session, d: MatchDecision, steppedUp: boolean): void {
    if (d.outcome === 'step_up') {
      s.phase = 'step_up';
      s.error = null;
      this.p.log.info({ session: s.id, reason: d.reason }, 'step-up: phone digits');
      return;
    }
    if (d.outcome === 'refuse') {
      this.sessions.refuse(s, d.code, d.message);
      s.offer_enrolment = d.code === 'FACE_NOT_ENROLLED' && !steppedUp;
      return;
    }
    this.pay(s, d.customer_id, steppedUp);
  }

  /** Authorises and signs the payment; "Paid" is answered only after the commit is durable. */
  private pay(s: Session, customerId: string, steppedUp: boolean): void {
    const order = this.orderOf(s);
    if (!isPayable(order))
      return this.sessions.refuse(s, 'ORDER_NOT_OPEN', `order ${order.order_id} is ${order.status}`);
    const auth = authorizeFacePayment(this.p.state, {
      customer_id: customerId,
      amount_minor: order.total_minor,
      currency: order.currency,
      now_ms: this.now(),
      day_start_ms: this.storeClock.bounds(this.storeClock.day(this.now())).start_ms,
      ...(this.p.localLimits ? { local_limits: this.p.localLimits() } : {}),
    });
    if (!auth.ok) return this.sessions.refuse(s, auth.code, auth.message);
    let seq: number;
    try {
      const stored = this.p.store.append('payment', {
        payment_id: s.payment_id!,
        order_id: order.order_id,
        amount_minor: order.total_minor,
        currency: order.currency,
        method: 'face',
        customer_id: customerId,
        ...(steppedUp ? { step_up: true } : {}),
      });
      seq = stored.entry.seq;
    } catch (err) {
      // Our own write failed a ledger rule: a programmer error. Stop taking payments, visibly.
      this.outOfService = `ledger append failed: ${(err as Error).message}`;
      this.p.log.error({ err, session: s.id }, 'payment path stopped');
      this.p.orders.refused(order.order_id, 'failed', 'KIOSK_OUT_OF_SERVICE', this.outOfService);
      throw new ApiFault('KIOSK_OUT_OF_SERVICE', 'This kiosk is out of service. Please pay at the counter.');
    }
    this.p.orders.markPaid(order.order_id, seq);
    const name = this.nameOf(customerId);
    s.customer_initials = name ? initialsOf(name) : null;
    s.receipt = this.receipt({ seq });
    s.error = null;
    s.phase = 'done';
    this.p.log.info(
      { session: s.id, seq, order: order.order_id, amount_minor: order.total_minor, step_up: steppedUp },
      'paid',
    );
    this.p.worker?.syncSoon();
  }

  private assertInService(): void {
    if (this.outOfService !== null)
      throw new ApiFault('KIOSK_OUT_OF_SERVICE', 'This kiosk is out of service. Please pay at the counter.');
  }

  receipt(req: RequestOf<'receipt'>, _caller?: Caller): Receipt {
    const stored = this.p.store.get(req.seq);
    if (!stored || stored.entry.kind !== 'payment')
      throw new ApiFault('RECEIPT_NOT_FOUND', `no payment at seq ${req.seq}`);
    const body = stored.entry.body as {
      payment_id: string;
      order_id: string;
      amount_minor: number;
      currency: string;
      customer_id?: string;
      step_up?: boolean;
    };
    const name = body.customer_id ? this.nameOf(body.customer_id) : undefined;
    const status = this.p.state.receipt(req.seq)?.status;
    const base = this.p.settlementUrl();
    return {
      seq: stored.entry.seq,
      entry_hash: stored.entry_hash,
      payment_id: body.payment_id,
      order_id: body.order_id,
      amount_minor: body.amount_minor,
      currency: body.currency,
      created_at_ms: stored.entry.created_at_ms,
      customer_initials: name ? initialsOf(name) : '',
      step_up: body.step_up === true,
      lookup_url: base ? `${base.replace(/\/$/, '')}/v1/receipts/${stored.entry_hash}` : null,
      settlement: status === 'settled' ? 'settled' : status === 'declined' ? 'declined' : 'pending',
    };
  }

  // ---- enrolment and deletion ----------------------------------------------------------------

  async finishEnrolment(req: RequestOf<'finishEnrolment'>, caller: Caller): Promise<SessionView> {
    const s = this.sessions.get(req.session_id, requireScreen(caller).screen_id, 'enrol');
    if (s.phase !== 'details')
      throw new ApiFault('SESSION_WRONG_STEP', `enrolment ${s.id} has no live captures yet (phase ${s.phase})`);
    // The consent shown must be the current text, checked before anything is sent or stored.
    this.p.privacy.requireCurrentConsent(req.consent.text_version);
    const last4 = phoneLast4(req.phone);
    if (last4 === null) throw new ApiFault('ENROL_PHONE_INVALID', 'a phone number needs at least 6 digits');
    const worker = this.p.worker;
    if (!worker) throw new ApiFault('ENROL_NEEDS_SERVER', 'Enrolment needs the settlement server; none is configured.');
    const customerId = `c-${randomUUID()}`;
    const index = this.p.gallery.current();
    const r = enrolFace(this.matchConfig(), index, this.templateKey, customerId, s.face.captures, true);
    if (!r.ok) {
      this.sessions.refuse(s, r.code, r.message);
      return this.sessions.view(s);
    }
    try {
      await worker.enrol(
        customerId,
        encodeTemplates(r.descriptors, { phone_last4: last4, display_name: req.display_name }),
        {
          text_version: CONSENT_TEXT_VERSION,
          purpose: CONSENT_PURPOSE,
          retention_days: CONSENT_RETENTION_DAYS,
          agreed_at_ms: this.now(),
        },
      );
    } catch (err) {
      index.remove(customerId);
      this.p.log.warn(
        { code: (err as { code?: string }).code, message: (err as Error).message },
        'enrolment upload failed',
      );
      this.sessions.refuse(
        s,
        'ENROL_NEEDS_SERVER',
        'The enrolment could not reach the settlement server. Please try again later.',
      );
      return this.sessions.view(s);
    }
    this.p.customers.put({
      customer_id: customerId,
      display_name: req.display_name,
      phone_last4: last4,
      enrolled_at_ms: this.now(),
    });
    // What the customer agreed to, in the language the consent screen showed (privacy panel).
    this.p.privacy.recordConsent(customerId, {
      text_version: req.consent.text_version,
      language: req.consent.language,
      purpose: CONSENT_PURPOSE,
      retention_days: CONSENT_RETENTION_DAYS,
      agreed_at_ms: this.now(),
      source: 'kiosk',
    });
    await this.p
      .onEnrolled?.(customerId)
      .catch((err: unknown) =>
        this.p.log.warn({ customer: customerId, message: (err as Error).message }, 'after-enrolment step failed'),
      );
    try {
      await worker.pullFeed();
      this.p.gallery.invalidate();
    } catch {
      // The kiosk matches the new customer already (enrol() added them); the feed catches up later.
    }
    s.customer_initials = initialsOf(req.display_name);
    s.phase = 'done';
    this.p.log.info({ session: s.id, customer: customerId, captures: r.descriptors.length }, 'enrolled');
    return this.sessions.view(s);
  }

  /** Deletion on request: the live face and the phone digits, counted as a payment's are. */
  async finishDeletion(req: RequestOf<'finishDeletion'>, caller: Caller): Promise<SessionView> {
    const s = this.sessions.get(req.session_id, requireScreen(caller).screen_id, 'delete');
    if (s.phase !== 'step_up' || !s.descriptor)
      throw new ApiFault('SESSION_WRONG_STEP', `deletion ${s.id} has no live face yet (phase ${s.phase})`);
    if (this.digitsRefused(s)) return this.sessions.view(s);
    const d = identifyAmong(
      this.matchConfig(),
      this.p.gallery.current(),
      s.descriptor,
      this.withPhoneDigits(req.phone_last4),
    );
    if (d.outcome === 'refuse' && d.code === 'FACE_NOT_ENROLLED') {
      this.wrongDigits(s);
      return this.sessions.view(s);
    }
    if (d.outcome !== 'accept') {
      this.sessions.refuse(
        s,
        d.outcome === 'refuse' ? d.code : 'FACE_AMBIGUOUS',
        d.outcome === 'refuse' ? d.message : 'Not sure who this is: ask the staff.',
      );
      return this.sessions.view(s);
    }
    const worker = this.p.worker;
    if (!worker) throw new ApiFault('DELETE_NEEDS_SERVER', 'Deletion needs the settlement server; none is configured.');
    try {
      const done = await worker.http.deleteCustomer(d.customer_id, 'customer request at the kiosk');
      this.p.privacy.recordCustomerDeletion(d.customer_id, done.deleted_at_ms);
    } catch (err) {
      this.p.log.warn({ code: (err as { code?: string }).code }, 'deletion failed');
      this.sessions.refuse(
        s,
        'DELETE_NEEDS_SERVER',
        'The deletion could not reach the settlement server. Please try again later or ask the staff.',
      );
      return this.sessions.view(s);
    }
    const name = this.nameOf(d.customer_id);
    this.p.gallery.current().remove(d.customer_id);
    this.p.customers.remove(d.customer_id);
    try {
      await worker.pullFeed();
      this.p.gallery.invalidate();
    } catch {
      // removed from this kiosk's index already; the feed removes the template at the next sync
    }
    s.customer_initials = name ? initialsOf(name) : null;
    s.error = null;
    s.phase = 'done';
    return this.sessions.view(s);
  }

  // ---- pairing (pairing.ts; approving, listing and revoking are a manager's) ----------------------

  pairRequest(): ResponseOf<'pairRequest'> {
    return pairingCall(() => this.p.pairing.requestCode());
  }

  pairApprove(req: RequestOf<'pairApprove'>): Promise<ResponseOf<'pairApprove'>> {
    return pairingCall(() => this.p.pairing.approveCode(req.token, req.code, req.pin, req.label));
  }

  screensList(req: RequestOf<'screensList'>): ResponseOf<'screensList'> {
    return pairingCall(() => ({ screens: this.p.pairing.list(req.token) }));
  }

  screenRevoke(req: RequestOf<'screenRevoke'>): ResponseOf<'screenRevoke'> {
    return pairingCall(() => this.p.pairing.revoke(req.token, req.screen_id, req.reason));
  }

  // ---- staff screens (staff-desk.ts checks the session and role of each) ---------------------

  staffList(): ResponseOf<'staffList'> {
    return this.p.desk.list();
  }

  staffSignIn(req: RequestOf<'staffSignIn'>): Promise<ResponseOf<'staffSignIn'>> {
    return this.p.desk.signIn(req);
  }

  staffSignOut(req: RequestOf<'staffSignOut'>): ResponseOf<'staffSignOut'> {
    return this.p.desk.signOut(req);
  }

  dayEntries(req: RequestOf<'dayEntries'>): ResponseOf<'dayEntries'> {
    return this.p.desk.dayEntries(req);
  }

  payOrder(req: RequestOf<'payOrder'>): ResponseOf<'payOrder'> {
    return this.p.desk.payOrder(req);
  }

  refund(req: RequestOf<'refund'>): ResponseOf<'refund'> {
    return this.p.desk.refund(req);
  }

  voidPayment(req: RequestOf<'voidPayment'>): ResponseOf<'voidPayment'> {
    return this.p.desk.voidPayment(req);
  }

  closeDay(req: RequestOf<'closeDay'>): ResponseOf<'closeDay'> {
    return this.p.desk.closeDay(req);
  }

  settings(req: RequestOf<'settings'>): ResponseOf<'settings'> {
    return this.p.desk.settings(req);
  }

  setSetting(req: RequestOf<'setSetting'>): ResponseOf<'setSetting'> {
    return this.p.desk.setSetting(req);
  }

  // ---- staff management and kiosk mode (team.ts) ----

  teamList(req: RequestOf<'teamList'>): Promise<ResponseOf<'teamList'>> {
    return this.p.desk.team.list(req);
  }

  teamAdd(req: RequestOf<'teamAdd'>): Promise<ResponseOf<'teamAdd'>> {
    return this.p.desk.team.add(req);
  }

  teamSetDisabled(req: RequestOf<'teamSetDisabled'>): Promise<ResponseOf<'teamSetDisabled'>> {
    return this.p.desk.team.setDisabled(req);
  }

  teamResetPin(req: RequestOf<'teamResetPin'>): Promise<ResponseOf<'teamResetPin'>> {
    return this.p.desk.team.resetPin(req);
  }

  teamUnlock(req: RequestOf<'teamUnlock'>): Promise<ResponseOf<'teamUnlock'>> {
    return this.p.desk.team.unlock(req);
  }

  changeOwnPin(req: RequestOf<'changeOwnPin'>): Promise<ResponseOf<'changeOwnPin'>> {
    return this.p.desk.team.changeOwnPin(req);
  }

  leaveKioskMode(req: RequestOf<'leaveKioskMode'>): Promise<ResponseOf<'leaveKioskMode'>> {
    return this.p.desk.team.leaveKioskMode(req);
  }

  /** The Electron shell leaves kiosk (full-screen) mode on this; returns the unsubscribe. */
  onKioskModeLeft(listener: (e: KioskModeLeft) => void): () => void {
    return this.p.desk.team.onKioskModeLeft(listener);
  }

  exportDay(req: RequestOf<'exportDay'>): ResponseOf<'exportDay'> {
    return this.p.desk.exportDay(req);
  }

  dayReport(req: RequestOf<'dayReport'>): ResponseOf<'dayReport'> {
    return this.p.desk.dayReport(req, (customerId) => this.nameOf(customerId));
  }

  sendOrder(req: RequestOf<'sendOrder'>): ResponseOf<'sendOrder'> {
    return this.p.desk.sendOrder(req);
  }

  orderBoard(req: RequestOf<'orderBoard'>): ResponseOf<'orderBoard'> {
    return this.p.desk.orderBoard(req);
  }

  advanceOrder(req: RequestOf<'advanceOrder'>): ResponseOf<'advanceOrder'> {
    return this.p.desk.advanceOrder(req);
  }

  // ---- the manager's integrity and privacy panels (manager only; checked in each desk) ----------

  integrity(req: RequestOf<'integrity'>): ResponseOf<'integrity'> {
    return this.p.integrity.report(req.token);
  }

  verifyNow(req: RequestOf<'verifyNow'>): Promise<ResponseOf<'verifyNow'>> {
    return this.p.integrity.verifyNow(req.token);
  }

  findCustomers(req: RequestOf<'findCustomers'>): ResponseOf<'findCustomers'> {
    return this.p.privacy.find(req.token, req.query);
  }

  deleteCustomer(req: RequestOf<'deleteCustomer'>): Promise<ResponseOf<'deleteCustomer'>> {
    return this.p.privacy.deleteCustomer(req.token, req.customer_id, req.reason);
  }

  consentRecords(req: RequestOf<'consentRecords'>): ResponseOf<'consentRecords'> {
    return this.p.privacy.consentRecords(req.token, req.customer_id);
  }
}

/** Runs a pairing call, its PairingError or StaffError as the contract's code. */
function pairingCall<T>(run: () => T): T {
  const convert = (err: unknown): unknown =>
    err instanceof PairingError || err instanceof StaffError
      ? new ApiFault(err.code as ApiErrorCode, err.message)
      : err;
  try {
    const r = run();
    return (r instanceof Promise ? r.catch((err: unknown) => Promise.reject(convert(err))) : r) as T;
  } catch (err) {
    throw convert(err);
  }
}

/** The caller's paired customer screen; the transports have refused unpaired callers already
 * (access.ts), so its absence here is a programmer error. */
function requireScreen(caller: Caller): ScreenLink {
  if (!caller.screen) throw new ApiFault('SCREEN_NOT_PAIRED', 'only a paired customer screen may do this');
  return caller.screen;
}
