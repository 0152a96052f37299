// The kiosk's service layer: one object with a handler per call of the API contract, used by
// both transports (Electron IPC and HTTP/WebSocket). It owns the payment path end to end:
// order -> liveness session over the renderer's observations -> 1:N match (with the phone-digits
// step-up) -> offline limits and freezes -> a signed, durable ledger entry -> receipt. The
// renderer never decides: it sends observations and shows what this layer answers.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  isPayable,
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
import { enrol as enrolFace, ENROL_CAPTURES_MIN } from '../../face/enrol.js';
import { TEMPLATE_KEY_BYTES } from '../../face/template-crypto.js';
import type { LedgerStore } from '../../../ledger/store/store.js';
import type { KioskLimits, KioskState } from '../../../ledger/sync/kiosk-state.js';
import type { SyncWorker } from '../../../ledger/sync/worker.js';
import { authorizeFacePayment } from '../../../ledger/sync/offline-limits.js';
import { zoneClock, type ZoneClock } from '../../../ledger/protocol/zone-clock.js';
import { ApiFault } from '../fault.js';
import { FaceSession } from './face-session.js';
import type { OrderBook } from '../orders/orders.js';
import { initialsOf, phoneLast4, type CustomerDirectory } from './customers.js';
import { encodeTemplates, type Gallery } from './gallery.js';
import type { SelfCheck } from '../self-check.js';
import type { StaffDesk } from '../staff/staff-desk.js';
import type { KioskModeLeft } from '../staff/team.js';
import type { IntegrityDesk } from '../manager/integrity.js';
import type { PrivacyDesk } from '../manager/privacy.js';

/** Sessions open at once (one kiosk screen, plus a few abandoned ones); more are refused. */
export const SESSIONS_MAX = 8;
/** A session is dropped this long after its last frame or step (host clock). */
export const SESSION_IDLE_MS_MAX = 60_000;
/** The consent text version the renderer shows (renderer/i18n: consent.*). */
export const CONSENT_TEXT_VERSION = 'consent-2026-01';
export const CONSENT_RETENTION_DAYS = 365;
export const CONSENT_PURPOSE =
  "Identify the customer by face to pay at this merchant's kiosks; deleted on request or after the retention period.";

interface Session {
  id: string;
  kind: SessionView['kind'];
  face: FaceSession;
  phase: SessionView['phase'];
  order_id: string | null;
  payment_id: string | null;
  descriptor: number[] | null;
  error: SessionView['error'];
  offer_enrolment: boolean;
  receipt: Receipt | null;
  customer_initials: string | null;
  touched_ms: number;
}

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
  now?: () => number;
}

type Handlers = { [K in CallName]: (req: ResponseOfReq<K>) => Promise<ResponseOf<K>> | ResponseOf<K> };
type ResponseOfReq<K extends CallName> = RequestOf<K>;

export class KioskService implements Handlers {
  private readonly sessions = new Map<string, Session>();
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
  }

  // ---- status ------------------------------------------------------------------------------

  async status(): Promise<KioskStatus> {
    return this.withSettings(await this.p.selfCheck.status());
  }

  async reportClient(req: RequestOf<'reportClient'>): Promise<KioskStatus> {
    this.p.selfCheck.reportClient(req);
    return this.withSettings(await this.p.selfCheck.status());
  }

  /** The customer screen offers the languages and the currency a manager chose (settings), not only the file's. */
  private withSettings(status: KioskStatus): KioskStatus {
    return {
      ...status,
      store: { ...status.store, languages: this.p.desk.languages(), currency: this.p.orders.currency },
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

  // ---- sessions ----------------------------------------------------------------------------

  private open(kind: Session['kind'], orderId: string | null): Session {
    this.expire();
    if (this.sessions.size >= SESSIONS_MAX)
      throw new ApiFault(
        'SESSIONS_FULL',
        `${SESSIONS_MAX} sessions open; cancel one or wait ${SESSION_IDLE_MS_MAX / 1000} s`,
      );
    const s: Session = {
      id: `s-${randomUUID()}`,
      kind,
      face: new FaceSession(),
      phase: 'looking',
      order_id: orderId,
      // Made before the payment is attempted, so a retried append cannot pay twice.
      payment_id: kind === 'payment' ? `p-${randomUUID()}` : null,
      descriptor: null,
      error: null,
      offer_enrolment: false,
      receipt: null,
      customer_initials: null,
      touched_ms: this.now(),
    };
    this.sessions.set(s.id, s);
    return s;
  }

  /** Drops idle sessions, and decided ones (done or refused: nothing more can happen in them). */
  private expire(): void {
    const t = this.now();
    for (const [id, s] of this.sessions) {
      if (t - s.touched_ms > SESSION_IDLE_MS_MAX || s.phase === 'done' || s.phase === 'refused')
        this.sessions.delete(id);
    }
  }

  private session(id: string, kind?: Session['kind']): Session {
    const s = this.sessions.get(id);
    if (!s || (kind && s.kind !== kind))
      throw new ApiFault('SESSION_NOT_FOUND', `no ${kind ?? ''} session ${id} (finished, cancelled or expired)`);
    s.touched_ms = this.now();
    return s;
  }

  private view(s: Session): SessionView {
    const st = s.face.state;
    return {
      session_id: s.id,
      kind: s.kind,
      phase: s.phase,
      hint: s.phase === 'looking' || s.phase === 'prompt' ? s.face.hint : null,
      prompt_at_ms:
        st.status === 'waiting' || st.status === 'prompt' || st.status === 'accepted' ? st.prompt_at_ms : null,
      error: s.error,
      offer_enrolment: s.offer_enrolment,
      receipt: s.receipt,
      captures: s.kind === 'enrol' ? { good: s.face.captures.length, needed: ENROL_CAPTURES_MIN } : null,
      customer_initials: s.customer_initials,
    };
  }

  private refuse(s: Session, code: string, message: string): void {
    s.phase = 'refused';
    s.error = { code, message };
    this.p.log.info({ session: s.id, kind: s.kind, code }, 'session refused');
    // The board shows why a face payment was refused (the order can still be paid another way).
    if (s.kind === 'payment' && s.order_id !== null) this.p.orders.refused(s.order_id, 'declined', code, message);
  }

  startPayment(req: RequestOf<'startPayment'>): SessionView {
    this.assertInService();
    const order = this.p.orders.get(req.order_id);
    if (!isPayable(order)) throw new ApiFault('ORDER_NOT_OPEN', `order ${order.order_id} is ${order.status}`);
    const s = this.open('payment', order.order_id);
    this.p.orders.awaitPayment(order.order_id);
    return this.view(s);
  }

  startEnrolment(): SessionView {
    return this.view(this.open('enrol', null));
  }

  startDeletion(): SessionView {
    return this.view(this.open('delete', null));
  }

  cancel(req: RequestOf<'cancel'>): ResponseOf<'cancel'> {
    return { cancelled: this.sessions.delete(req.session_id) };
  }

  observe(req: RequestOf<'observe'>): SessionView {
    const s = this.session(req.session_id);
    if (s.phase !== 'looking' && s.phase !== 'prompt') return this.view(s); // late frames after a decision
    const st = s.face.push(req.observation);
    // Several rounds: prompt, smile, relax (looking again), next prompt.
    if (st.status === 'prompt' || st.status === 'waiting') s.phase = st.status === 'prompt' ? 'prompt' : 'looking';
    if (st.status === 'refused') {
      this.p.log.info({ session: s.id, detail: st.detail, trace: s.face.liveness.log.slice(-10) }, 'liveness refused');
      this.refuse(s, st.code, st.message);
    }
    if (st.status === 'accepted') {
      s.descriptor = st.descriptor;
      this.p.log.info(
        { session: s.id, kind: s.kind, reaction_ms: Math.round(st.reaction_ms), good_frames: st.good_frames },
        'liveness passed',
      );
      if (s.kind === 'payment')
        this.decidePayment(
          s,
          identify(this.matchConfig(), this.p.gallery.current(), st.descriptor, {
            amount_minor: this.orderOf(s).total_minor,
            paymentsOf: (c) => this.facePaymentsOf(c),
          }),
          false,
        );
      else if (s.kind === 'enrol') s.phase = 'details';
      else s.phase = 'step_up';
    }
    return this.view(s);
  }

  /** The customers with these phone digits: enrolled here, or anywhere (the card in their templates). */
  private withPhoneDigits(last4: string): string[] {
    return [...new Set([...this.p.customers.withPhoneDigits(last4), ...this.p.gallery.withPhoneDigits(last4)])];
  }

  /** A customer's display name: from this kiosk's directory, or from their templates' card. */
  private nameOf(customerId: string): string | undefined {
    return this.p.customers.get(customerId)?.display_name ?? this.p.gallery.card(customerId)?.display_name;
  }

  stepUp(req: RequestOf<'stepUp'>): SessionView {
    const s = this.session(req.session_id, 'payment');
    if (s.phase !== 'step_up' || !s.descriptor)
      throw new ApiFault('SESSION_WRONG_STEP', `session ${s.id} is not waiting for phone digits (phase ${s.phase})`);
    this.decidePayment(
      s,
      identifyAmong(this.matchConfig(), this.p.gallery.current(), s.descriptor, this.withPhoneDigits(req.phone_last4)),
      true,
    );
    return this.view(s);
  }

  private orderOf(s: Session): ResponseOf<'getOrder'> {
    return this.p.orders.get(s.order_id!);
  }

  private facePaymentsOf(customerId: string): number {
    return this.p.store.paymentCountOf(customerId);
  }

  private decidePayment(s: Session, d: MatchDecision, steppedUp: boolean): void {
    if (d.outcome === 'step_up') {
      s.phase = 'step_up';
      this.p.log.info({ session: s.id, reason: d.reason }, 'step-up: phone digits');
      return;
    }
    if (d.outcome === 'refuse') {
      this.refuse(s, d.code, d.message);
      s.offer_enrolment = d.code === 'FACE_NOT_ENROLLED' && !steppedUp;
      return;
    }
    this.pay(s, d.customer_id, steppedUp);
  }

  /** Authorises and signs the payment; "Paid" is answered only after the commit is durable. */
  private pay(s: Session, customerId: string, steppedUp: boolean): void {
    const order = this.orderOf(s);
    if (!isPayable(order)) return this.refuse(s, 'ORDER_NOT_OPEN', `order ${order.order_id} is ${order.status}`);
    const auth = authorizeFacePayment(this.p.state, {
      customer_id: customerId,
      amount_minor: order.total_minor,
      currency: order.currency,
      now_ms: this.now(),
      day_start_ms: this.storeClock.bounds(this.storeClock.day(this.now())).start_ms,
      ...(this.p.localLimits ? { local_limits: this.p.localLimits() } : {}),
    });
    if (!auth.ok) return this.refuse(s, auth.code, auth.message);
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

  receipt(req: RequestOf<'receipt'>): Receipt {
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

  async finishEnrolment(req: RequestOf<'finishEnrolment'>): Promise<SessionView> {
    const s = this.session(req.session_id, 'enrol');
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
      this.refuse(s, r.code, r.message);
      return this.view(s);
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
      this.refuse(
        s,
        'ENROL_NEEDS_SERVER',
        'The enrolment could not reach the settlement server. Please try again later.',
      );
      return this.view(s);
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
    return this.view(s);
  }

  async finishDeletion(req: RequestOf<'finishDeletion'>): Promise<SessionView> {
    const s = this.session(req.session_id, 'delete');
    if (s.phase !== 'step_up' || !s.descriptor)
      throw new ApiFault('SESSION_WRONG_STEP', `deletion ${s.id} has no live face yet (phase ${s.phase})`);
    const d = identifyAmong(
      this.matchConfig(),
      this.p.gallery.current(),
      s.descriptor,
      this.withPhoneDigits(req.phone_last4),
    );
    if (d.outcome !== 'accept') {
      this.refuse(
        s,
        d.outcome === 'refuse' ? d.code : 'FACE_AMBIGUOUS',
        d.outcome === 'refuse' ? d.message : 'Not sure who this is: ask the staff.',
      );
      return this.view(s);
    }
    const worker = this.p.worker;
    if (!worker) throw new ApiFault('DELETE_NEEDS_SERVER', 'Deletion needs the settlement server; none is configured.');
    try {
      const done = await worker.http.deleteCustomer(d.customer_id, 'customer request at the kiosk');
      this.p.privacy.recordCustomerDeletion(d.customer_id, done.deleted_at_ms);
    } catch (err) {
      this.p.log.warn({ code: (err as { code?: string }).code }, 'deletion failed');
      this.refuse(
        s,
        'DELETE_NEEDS_SERVER',
        'The deletion could not reach the settlement server. Please try again later or ask the staff.',
      );
      return this.view(s);
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
    s.phase = 'done';
    return this.view(s);
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
