// The payment path, end to end: order -> a customer session at the camera (sessions.ts) over the
// host's own observations of the paired screen's camera frames -> 1:N match (with the
// phone-digits step-up, its wrong entries counted) -> offline limits and freezes -> a signed,
// durable ledger entry -> receipt. The renderer never decides: it sends camera frames and shows
// what this service answers. It answers the payment domain's calls
// (electron/contract/calls/payment.ts); cancel serves enrolment and deletion sessions too, whose
// own steps are enrolment.ts's and deletion.ts's. Only the paired screen's own sessions.
import type { Logger } from 'pino';
import { isPayable, type RequestOf, type ResponseOf, type SessionView } from '../../contract/api.js';
import type { FaceConfig } from '../../face/config.js';
import { identify, identifyAmong, type MatchDecision } from '../../face/decision.js';
import type { LedgerStore, StoredEntry } from '../../../ledger/store/store.js';
import type { KioskLimits, KioskState } from '../../../ledger/sync/kiosk-state.js';
import type { SyncWorker } from '../../../ledger/sync/worker.js';
import { authorizeFacePayment } from '../../../ledger/sync/offline-limits.js';
import { zoneClock, type ZoneClock } from '../../../ledger/protocol/zone-clock.js';
import { ApiFault } from '../fault.js';
import type { OrderBook } from '../orders/orders.js';
import type { DomainService } from '../transport/routes.js';
import { initialsOf } from './customers.js';
import type { Gallery } from './gallery.js';
import type { CustomerLookup } from './lookup.js';
import type { ReceiptService } from './receipts.js';
import type { CustomerSessions, Session } from './sessions.js';
import { requireScreen, type Caller } from '../pairing/access.js';
import { paymentBodyFor, recordPayment, tipOf, type PartChoice } from '../orders/order-payment.js';

/** Tip choices kept for open payment sessions, at most (the sessions' own bound, twice over). */
export const SESSION_TIPS_MAX = 16;

export interface PaymentParts {
  log: Logger;
  store: LedgerStore;
  state: KioskState;
  worker: SyncWorker | null;
  gallery: Gallery;
  lookup: CustomerLookup;
  orders: OrderBook;
  sessions: CustomerSessions;
  receipts: ReceiptService;
  /** The face match settings for this identification: a manager's change applies at the next one. */
  matchConfig: () => FaceConfig['match'];
  /** The kiosk's configured offline limits (config.limits); the stricter of these and the server's apply. */
  localLimits?: () => KioskLimits;
  now?: () => number;
}

export class PaymentService implements DomainService<'payment'> {
  private readonly now: () => number;
  /** Set when a programmer error stops the payment path; the kiosk is out of service. */
  outOfService: string | null = null;
  /** The store's local days (its time zone, as the ledger keeps it): "today" for the limits. */
  private readonly storeClock: ZoneClock;
  /** The tip each payment session's customer chose before the smile (kept beside the session:
   * the session itself is the camera's). */
  private readonly tips = new Map<string, PartChoice>();
  /** What each payment session's customer agreed to pay at "Smile to pay" (part and tip): a
   * payment of any other amount is refused (ORDER_CHANGED), as a card terminal fixes the amount
   * before the card is presented. A cashier's change to the bill during the smile (the split
   * undone, a discount taken off) made the face pay what the customer was never shown. */
  private readonly agreed = new Map<string, number>();

  /** The customer's sessions (shared with enrolment and deletion): the transports feed them frames. */
  get sessions(): CustomerSessions {
    return this.p.sessions;
  }

  constructor(private readonly p: PaymentParts) {
    this.now = p.now ?? Date.now;
    this.storeClock = zoneClock(p.store.timezone);
    // A payment's live face (the challenge accepted the host's observations) is matched at once.
    p.sessions.onLive = (s) => {
      if (s.descriptor)
        this.decide(
          s,
          identify(this.p.matchConfig(), this.p.gallery.current(), s.descriptor, {
            amount_minor: this.amountOf(s),
            paymentsOf: (c) => this.facePaymentsOf(c),
          }),
          false,
        );
    };
  }

  startPayment(req: RequestOf<'startPayment'>, caller?: Caller): SessionView {
    const screen = requireScreen(caller);
    this.assertInService();
    const order = this.p.orders.get(req.order_id);
    if (!isPayable(order)) throw new ApiFault('ORDER_NOT_OPEN', `order ${order.order_id} is ${order.status}`);
    const choice: PartChoice = {
      ...(req.tip_minor !== undefined ? { tip_minor: req.tip_minor } : {}),
      ...(req.tip_bp !== undefined ? { tip_bp: req.tip_bp } : {}),
    };
    tipOf(order.next_part_minor, choice);
    const s = this.p.sessions.start('payment', screen, order.order_id);
    this.tips.set(s.id, choice);
    this.agreed.set(s.id, this.amountOf(s));
    while (this.tips.size > SESSION_TIPS_MAX) this.tips.delete(this.tips.keys().next().value!);
    while (this.agreed.size > SESSION_TIPS_MAX) this.agreed.delete(this.agreed.keys().next().value!);
    this.p.orders.awaitPayment(order.order_id);
    return this.p.sessions.view(s);
  }

  /** What the session's customer pays: the order's next part and the tip they chose. */
  private amountOf(s: Session): number {
    const o = this.orderOf(s);
    const share = Math.min(o.next_part_minor, o.total_minor - o.paid_minor);
    return share + tipOf(share, this.tips.get(s.id) ?? {});
  }

  /** The phone digits after a step-up. A wrong entry counts (per session, order and kiosk); a
   * cooldown refuses before any digits are compared, so the right ones then do not pay. */
  stepUp(req: RequestOf<'stepUp'>, caller?: Caller): SessionView {
    const sessions = this.p.sessions;
    const s = sessions.get(req.session_id, requireScreen(caller).screen_id, 'payment');
    if (s.phase !== 'step_up' || !s.descriptor)
      throw new ApiFault('SESSION_WRONG_STEP', `session ${s.id} is not waiting for phone digits (phase ${s.phase})`);
    if (sessions.digitsRefused(s)) return sessions.view(s);
    const among = this.p.lookup.withPhoneDigits(req.phone_last4);
    const d = identifyAmong(this.p.matchConfig(), this.p.gallery.current(), s.descriptor, among);
    if (d.outcome === 'refuse' && d.code === 'FACE_NOT_ENROLLED') sessions.wrongDigits(s);
    else this.decide(s, d, true);
    return sessions.view(s);
  }

  cancel(req: RequestOf<'cancel'>, caller?: Caller): ResponseOf<'cancel'> {
    return { cancelled: this.p.sessions.cancel(req.session_id, requireScreen(caller).screen_id) };
  }

  private orderOf(s: Session): ResponseOf<'getOrder'> {
    return this.p.orders.get(s.order_id!);
  }

  private facePaymentsOf(customerId: string): number {
    return this.p.store.paymentCountOf(customerId);
  }

  private decide(s: Session, d: MatchDecision, steppedUp: boolean): void {
    if (d.outcome === 'step_up') {
      s.phase = 'step_up';
      s.error = null;
      this.p.log.info({ session: s.id, reason: d.reason, distance: d.distance }, 'step-up: phone digits');
      return;
    }
    if (d.outcome === 'refuse') {
      // The nearest customer's distance, for the kiosk's log only (never to the screen: no oracle).
      this.p.log.info({ session: s.id, code: d.code, detail: d.detail }, 'face not matched');
      this.p.sessions.refuse(s, d.code, d.message);
      s.offer_enrolment = d.code === 'FACE_NOT_ENROLLED' && !steppedUp;
      return;
    }
    this.pay(s, d.customer_id, steppedUp);
  }

  /** Authorises and signs the payment; "Paid" is answered only after the commit is durable. */
  private pay(s: Session, customerId: string, steppedUp: boolean): void {
    const order = this.orderOf(s);
    if (!isPayable(order))
      return this.p.sessions.refuse(s, 'ORDER_NOT_OPEN', `order ${order.order_id} is ${order.status}`);
    let built: ReturnType<typeof paymentBodyFor>;
    try {
      const payer = { method: 'face' as const, customer_id: customerId, ...(steppedUp ? { step_up: true } : {}) };
      built = paymentBodyFor(this.p.store, this.p.orders, order, s.payment_id!, payer, this.tips.get(s.id) ?? {});
    } catch (err) {
      if (err instanceof ApiFault) return this.p.sessions.refuse(s, err.code, err.message);
      throw err;
    }
    const agreedMinor = this.agreed.get(s.id);
    if (agreedMinor === undefined || built.body.amount_minor !== agreedMinor)
      return this.p.sessions.refuse(
        s,
        'ORDER_CHANGED',
        `the bill changed while the customer was paying: ${agreedMinor ?? 'nothing'} shown at "Smile to pay", ${built.body.amount_minor} now; nothing was paid`,
      );
    const auth = authorizeFacePayment(this.p.state, {
      customer_id: customerId,
      amount_minor: built.body.amount_minor,
      currency: order.currency,
      now_ms: this.now(),
      day_start_ms: this.storeClock.bounds(this.storeClock.day(this.now())).start_ms,
      ...(this.p.localLimits ? { local_limits: this.p.localLimits() } : {}),
    });
    if (!auth.ok) return this.p.sessions.refuse(s, auth.code, auth.message);
    let stored: StoredEntry;
    try {
      stored = this.p.store.append('payment', built.body);
    } catch (err) {
      // Our own write failed a ledger rule: a programmer error. Stop taking payments, visibly.
      this.outOfService = `ledger append failed: ${(err as Error).message}`;
      this.p.log.error({ err, session: s.id }, 'payment path stopped');
      this.p.orders.refused(order.order_id, 'failed', 'KIOSK_OUT_OF_SERVICE', this.outOfService);
      throw new ApiFault('KIOSK_OUT_OF_SERVICE', 'This kiosk is out of service. Please pay at the counter.');
    }
    const seq = stored.entry.seq;
    recordPayment(this.p.orders, stored, built.share_minor, built.tip_minor);
    this.tips.delete(s.id);
    this.agreed.delete(s.id);
    const name = this.p.lookup.nameOf(customerId);
    s.customer_initials = name ? initialsOf(name) : null;
    s.receipt = this.p.receipts.bySeq(seq);
    s.error = null;
    s.phase = 'done';
    this.p.log.info(
      { session: s.id, seq, order: order.order_id, amount_minor: built.body.amount_minor, step_up: steppedUp },
      'paid',
    );
    this.p.worker?.syncSoon();
  }

  private assertInService(): void {
    if (this.outOfService !== null)
      throw new ApiFault('KIOSK_OUT_OF_SERVICE', 'This kiosk is out of service. Please pay at the counter.');
  }
}
