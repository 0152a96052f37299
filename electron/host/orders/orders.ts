// Orders on the kiosk: the menu, and a bounded book of recent orders in memory, written through
// to an OrderStore when one is given (a restart keeps the board, and the lines behind past
// payments). An order's total is computed here from the menu (integer minor units), with each
// line's tax rate and the order's discounts (pricing.ts), never taken from the renderer. Orders
// are working state; the money record is the ledger's signed payment, which carries the sale
// (the lines, their rates, the discounts), so an order lost in a crash loses nothing that was paid.
import { randomUUID } from 'node:crypto';
import {
  isPayable,
  ORDERS_KEPT_MAX,
  SPLIT_SHARES_MAX,
  type Language,
  type LineRequest,
  type MenuCategory,
  type MenuItem,
  type Order,
  type OrderDiscount,
  type OrderEvent,
  type OrderLine,
  type OrderPart,
  type OrderStatus,
} from '../../contract/api.js';
import { ApiFault } from '../fault.js';
import type { OrderStore } from './order-store.js';
import type { LedgerStore } from '../../../ledger/store/store.js';
import { DEFAULT_TAX } from '../../config.js';
import { DEMO_CATEGORIES } from './demo-menu.js';
import type { MenuSource } from '../menu/menu-book.js';
import { applySale, checkFixedMenu, nextPartMinor, rateFor, saleOf, type Service, type TaxTable } from './pricing.js';

/** Orders kept in memory (the contract's bound: the last 200); the oldest are dropped first. */
export { ORDERS_KEPT_MAX };
/** Listeners on the book (the transports: one per server), at most. */
export const ORDER_BOOK_LISTENERS_MAX = 8;
/** Orders the customer screens made and nobody has started paying ('new', from the kiosk), at
 * most: a customer builds one at a time, a kiosk has a screen or two. A new one beyond this
 * drops the oldest (it took no money), so that createOrder, which needs no sign-in, cannot push
 * the board's real orders out of the ORDERS_KEPT_MAX it keeps. */
export const KIOSK_ORDERS_OPEN_MAX = 8;

export { DEMO_CATEGORIES, DEMO_MENU } from './demo-menu.js';

/** How new orders are priced now: the store's tax table, and the language signed lines are named in. */
export interface PricingPolicy {
  tax: TaxTable;
  language: Language;
}
export const DEFAULT_PRICING: PricingPolicy = {
  tax: structuredClone({ ...DEFAULT_TAX, rates: DEFAULT_TAX.rates, categories: DEFAULT_TAX.categories }),
  language: 'en',
};

/** A payment in the ledger, as OrderBook.reconcile reads it. */
export interface LedgerPart extends OrderPart {
  order_id: string;
  /** The payment that carries its sale, if it has one. */
  sale_seq: number | null;
}

/** The ledger's payments from a time on, as OrderBook.reconcile reads them. */
export function ledgerPaymentsSince(store: LedgerStore): (createdAtMs: number) => Iterable<LedgerPart> {
  return function* (since) {
    for (const p of store.entriesOfKindSince('payment', since)) {
      const e = p.entry;
      if (e.kind !== 'payment') continue;
      const tip = e.body.tip_minor ?? 0;
      yield {
        order_id: e.body.order_id,
        seq: e.seq,
        method: e.body.method,
        amount_minor: e.body.amount_minor,
        tip_minor: tip,
        share_minor: e.body.amount_minor - tip,
        sale_seq: e.body.sale !== undefined ? e.seq : (e.body.sale_seq ?? null),
      };
    }
  };
}

/** The kitchen's steps: a paid order moves forward one at a time. */
const NEXT: Partial<Record<OrderStatus, OrderStatus>> = { paid: 'preparing', preparing: 'ready', ready: 'collected' };

export class OrderBook {
  private readonly source: MenuSource;
  private readonly orders = new Map<string, Order>();
  private readonly currencyNow: () => string;
  private currentId: string | null = null;
  private readonly listeners = new Set<(e: OrderEvent) => void>();

  constructor(
    /** The store's menu (menu/menu-book.ts), or a fixed one. */
    menu: MenuItem[] | MenuSource,
    /** The store's currency, or how to read it now (a manager may change it between days). */
    currency: string | (() => string),
    private readonly now: () => number = Date.now,
    categories: MenuCategory[] = DEMO_CATEGORIES,
    private readonly store: OrderStore | null = null,
    /** The tax table and receipt language now (a manager may change a rate between orders). */
    readonly pricing: () => PricingPolicy = () => DEFAULT_PRICING,
  ) {
    this.currencyNow = typeof currency === 'string' ? () => currency : currency;
    this.source = Array.isArray(menu) ? { menu: () => ({ categories, items: menu }) } : menu;
    if (Array.isArray(menu)) checkFixedMenu(menu, categories, pricing().tax);
    // The board as it was; no order is on the customer screen after a restart.
    for (const o of store?.latest(ORDERS_KEPT_MAX) ?? []) this.orders.set(o.order_id, o);
  }

  /** After a restart: an order restored as payable whose payment is in the ledger (the kiosk
   * stopped between the signed append and the order's own write) is paid, so it cannot be paid
   * twice. `paymentsSince(ms)` gives the ledger's payments created from then on. Returns the
   * orders it marked paid. */
  reconcile(paymentsSince: (createdAtMs: number) => Iterable<LedgerPart>): string[] {
    const open = [...this.orders.values()].filter((o) => isPayable(o));
    if (open.length === 0) return [];
    const byId = new Map(open.map((o) => [o.order_id, o]));
    const since = Math.min(...open.map((o) => o.created_at_ms));
    const fixed: string[] = [];
    for (const p of paymentsSince(since)) {
      const o = byId.get(p.order_id);
      if (!o || !isPayable(o) || o.parts.some((x) => x.seq === p.seq)) continue;
      if (o.pricing === null) this.markPaid(o.order_id, p.seq);
      else this.recordPart(o.order_id, p, p.sale_seq ?? p.seq);
      fixed.push(o.order_id);
    }
    return fixed;
  }

  /** The menu now (live items; each marked if out of stock) and its categories. */
  get menu(): MenuItem[] {
    return this.source.menu().items;
  }
  get categories(): MenuCategory[] {
    return this.source.menu().categories;
  }

  /** The currency new orders are priced in. */
  get currency(): string {
    return this.currencyNow();
  }

  /** Orders by id, from memory or, for older ones, the store (what was sold on a past day). */
  byIds(ids: readonly string[]): Map<string, Order> {
    const out = new Map<string, Order>();
    const rest: string[] = [];
    for (const id of ids) {
      const o = this.orders.get(id);
      if (o) out.set(id, structuredClone(o));
      else rest.push(id);
    }
    if (this.store && rest.length > 0) for (const [id, o] of this.store.byIds(rest)) out.set(id, o);
    return out;
  }

  /** One line priced from the menu: the item's price plus its options', times the quantity, at its tax rate. */
  private line(l: LineRequest, tax: TaxTable, service: Service): OrderLine {
    const item = this.menu.find((m) => m.item_id === l.item_id);
    if (!item) throw new ApiFault('MENU_ITEM_UNKNOWN', `no menu item ${JSON.stringify(l.item_id)}`);
    if (item.out_of_stock) throw new ApiFault('MENU_ITEM_OUT_OF_STOCK', `${item.item_id} is out of stock (86)`);
    const ids = l.options ?? [];
    if (new Set(ids).size !== ids.length)
      throw new ApiFault('MENU_OPTION_UNKNOWN', `line ${item.item_id}: an option chosen twice (${ids.join(', ')})`);
    const options = ids.map((id) => {
      const o = item.options.find((x) => x.option_id === id);
      if (!o)
        throw new ApiFault(
          'MENU_OPTION_UNKNOWN',
          `${item.item_id} has no option ${JSON.stringify(id)}${item.options.length ? ` (it has ${item.options.map((x) => x.option_id).join(', ')})` : ' (it has none)'}`,
        );
      return o;
    });
    const unit = options.reduce((s, o) => s + o.price_minor, item.price_minor);
    const lineMinor = unit * l.quantity;
    if (!Number.isSafeInteger(lineMinor))
      throw new ApiFault('API_BAD_REQUEST', `line ${item.item_id}: amount out of range`);
    const note = l.note?.trim() ? l.note.trim() : null;
    const rate = rateFor(tax, item.tax_category, service);
    return {
      item_id: item.item_id,
      name: item.name,
      options,
      note,
      quantity: l.quantity,
      unit_minor: unit,
      line_minor: lineMinor,
      tax_category: item.tax_category,
      rate_id: rate.rate_id,
      rate_bp: rate.rate_bp,
      discount_minor: 0,
      tax_minor: null,
    };
  }

  /** Called with every change of every order; returns the unsubscribe. */
  onChange(listener: (e: OrderEvent) => void): () => void {
    if (this.listeners.size >= ORDER_BOOK_LISTENERS_MAX)
      throw new RangeError(`more than ${ORDER_BOOK_LISTENERS_MAX} listeners on the order book`);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(o: Order): void {
    o.updated_at_ms = this.now();
    this.store?.save(o);
    const event: OrderEvent = { order: structuredClone(o), current_order_id: this.current()?.order_id ?? null };
    for (const l of this.listeners) l(event);
  }

  create(
    lines: LineRequest[],
    opts: { source?: Order['source']; note?: string; status?: 'new' | 'awaiting_payment'; service?: Service } = {},
  ): Order {
    if (lines.length === 0) throw new ApiFault('ORDER_EMPTY', 'an order needs at least one line');
    const { tax, language } = this.pricing();
    const service = opts.service ?? tax.service;
    const built = lines.map((l) => this.line(l, tax, service));
    const total = built.reduce((s, l) => s + l.line_minor, 0);
    if (!Number.isSafeInteger(total) || total <= 0)
      throw new ApiFault('API_BAD_REQUEST', `order total ${total}: expected a positive safe integer`);
    const t = this.now();
    const note = opts.note?.trim() ? opts.note.trim() : null;
    const order: Order = {
      order_id: `o-${randomUUID()}`,
      lines: built,
      total_minor: total,
      currency: this.currency,
      status: opts.status ?? 'new',
      created_at_ms: t,
      updated_at_ms: t,
      paid_seq: null,
      source: opts.source ?? 'kiosk',
      note,
      reason: null,
      service,
      pricing: tax.pricing,
      rounding: tax.rounding,
      discounts: [],
      by_rate: [],
      paid_minor: 0,
      tips_minor: 0,
      parts: [],
      sale_seq: null,
      split_shares: null,
      next_part_minor: total,
    };
    applySale(order, saleOf(order, language));
    if (order.source === 'kiosk') this.dropAbandoned(KIOSK_ORDERS_OPEN_MAX - 1);
    this.orders.set(order.order_id, order);
    this.currentId = order.order_id;
    this.trim();
    this.changed(order);
    return order;
  }

  get(orderId: string): Order {
    const o = this.orders.get(orderId);
    if (!o) throw new ApiFault('ORDER_NOT_FOUND', `no order ${orderId} on this kiosk`);
    return o;
  }

  /** The order the customer screen shows: the latest one that can still be paid. */
  current(): Order | null {
    const o = this.currentId === null ? undefined : this.orders.get(this.currentId);
    return o && isPayable(o) ? o : null;
  }

  /** Every order kept, newest first (at most ORDERS_KEPT_MAX). */
  list(): Order[] {
    return [...this.orders.values()].reverse();
  }

  /** A payment has started on it (the customer pressed "Smile to pay"). */
  awaitPayment(orderId: string): void {
    const o = this.get(orderId);
    if (o.status === 'awaiting_payment' || o.status === 'partly_paid' || !isPayable(o)) return;
    o.status = 'awaiting_payment';
    o.reason = null;
    this.changed(o);
  }

  /** A face payment refused (declined) or the kiosk unable to take it (failed), with why. */
  refused(orderId: string, status: 'declined' | 'failed', code: string, message: string): void {
    const o = this.orders.get(orderId);
    if (!o || !isPayable(o)) return;
    // A split bill with parts paid stays partly paid; the refusal is its reason.
    if (o.parts.length === 0) o.status = status;
    o.reason = { code: code.slice(0, 64), message: message.slice(0, 500) };
    this.changed(o);
  }

  // ---- before the first payment: discounts, eat-in or take-away, the split --------------------

  /** The order as it may still change its price: payable, and no part paid yet. */
  private unpaid(orderId: string): Order {
    const o = this.get(orderId);
    if (!isPayable(o)) throw new ApiFault('ORDER_NOT_OPEN', `order ${orderId} is ${o.status}`);
    if (o.parts.length > 0)
      throw new ApiFault(
        'ORDER_PARTLY_PAID',
        `order ${orderId} has ${o.parts.length} part(s) paid: its price is signed`,
      );
    if (o.pricing === null)
      throw new ApiFault('ORDER_NOT_OPEN', `order ${orderId} was placed before tax was priced: pay it as it is`);
    return o;
  }

  /**
   * Adds a discount (its amount priced like the rest of the sale); `approve(amountMinor,
   * orderMinor)` runs before anything changes, with the new discount's amount and all the order's
   * discounts' with it, and may refuse (a cashier's limit). Returns the order repriced.
   */
  addDiscount(
    orderId: string,
    d: Omit<OrderDiscount, 'amount_minor'>,
    approve: (amountMinor: number, orderMinor: number) => void,
  ): Order {
    const o = this.unpaid(orderId);
    if (d.line !== null && d.line >= o.lines.length)
      throw new ApiFault('DISCOUNT_INVALID', `order ${orderId} has no line ${d.line} (it has ${o.lines.length})`);
    const discounts = [...o.discounts, { ...d, amount_minor: 0 }];
    const priced = saleOf(o, this.pricing().language, discounts);
    approve(
      priced.discounts.at(-1)!.amount_minor,
      priced.discounts.reduce((sum, x) => sum + x.amount_minor, 0),
    );
    applySale(o, priced, discounts);
    this.changed(o);
    return o;
  }

  /** What `approvedBy` took off orders in discounts given since `sinceMs` (their amounts now;
   * a discount taken off again is not counted). From the order store where there is one (every
   * order it holds, not only the board's), else the orders in memory. */
  discountsGivenSince(approvedBy: string, sinceMs: number): number {
    const orders = new Map((this.store?.updatedSince(sinceMs) ?? []).map((o) => [o.order_id, o]));
    for (const o of this.orders.values()) if (o.updated_at_ms >= sinceMs) orders.set(o.order_id, o);
    let sum = 0;
    for (const o of orders.values())
      for (const d of o.discounts) if (d.approved_by === approvedBy && d.given_at_ms >= sinceMs) sum += d.amount_minor;
    return sum;
  }

  removeDiscount(orderId: string, index: number): Order {
    const o = this.unpaid(orderId);
    if (index < 0 || index >= o.discounts.length)
      throw new ApiFault(
        'DISCOUNT_INVALID',
        `order ${orderId} has no discount ${index} (it has ${o.discounts.length})`,
      );
    const kept = o.discounts.filter((_, i) => i !== index);
    applySale(o, saleOf(o, this.pricing().language, kept), kept);
    this.changed(o);
    return o;
  }

  /** Eaten in or taken away: each line's rate follows its tax category's for that service. */
  setService(orderId: string, service: Service): Order {
    const o = this.unpaid(orderId);
    const { tax, language } = this.pricing();
    for (const l of o.lines) {
      const rate = rateFor(tax, l.tax_category!, service);
      l.rate_id = rate.rate_id;
      l.rate_bp = rate.rate_bp;
    }
    o.service = service;
    applySale(o, saleOf(o, language));
    this.changed(o);
    return o;
  }

  /** Splits the bill into `shares` equal shares (null: one bill again). Parts already paid count as shares. */
  split(orderId: string, shares: number | null): Order {
    const o = this.get(orderId);
    if (!isPayable(o)) throw new ApiFault('ORDER_NOT_OPEN', `order ${orderId} is ${o.status}`);
    if (shares !== null && (shares < 2 || shares > SPLIT_SHARES_MAX || shares <= o.parts.length))
      throw new ApiFault(
        'SPLIT_INVALID',
        `${shares} shares: expected 2..${SPLIT_SHARES_MAX}, and more than the ${o.parts.length} part(s) already paid`,
      );
    o.split_shares = shares;
    o.next_part_minor = nextPartMinor(o);
    this.changed(o);
    return o;
  }

  // ---- payments ---------------------------------------------------------------------------------

  /** A payment of the order (all of it, or one part): paid once the parts cover it. */
  recordPart(orderId: string, part: OrderPart, saleSeq: number): void {
    const o = this.get(orderId);
    o.parts.push({
      seq: part.seq,
      method: part.method,
      share_minor: part.share_minor,
      tip_minor: part.tip_minor,
      amount_minor: part.amount_minor,
    });
    o.paid_minor += part.share_minor;
    o.tips_minor += part.tip_minor;
    o.sale_seq = saleSeq;
    o.reason = null;
    if (o.paid_minor >= o.total_minor) {
      o.status = 'paid';
      o.paid_seq = part.seq;
    } else o.status = 'partly_paid';
    o.next_part_minor = nextPartMinor(o);
    this.changed(o);
  }

  markPaid(orderId: string, seq: number): void {
    const o = this.get(orderId);
    o.status = 'paid';
    o.paid_seq = seq;
    o.reason = null;
    this.changed(o);
  }

  /** paid -> preparing -> ready -> collected, one step at a time. */
  advance(orderId: string, to: OrderStatus): Order {
    const o = this.get(orderId);
    if (NEXT[o.status] !== to)
      throw new ApiFault(
        'ORDER_WRONG_STATUS',
        `order ${orderId} is ${o.status}; it cannot go to ${to}${NEXT[o.status] ? ` (next is ${NEXT[o.status]})` : ''}`,
      );
    o.status = to;
    this.changed(o);
    return o;
  }

  /** Drops the oldest kiosk orders nobody started paying until at most `keep` are left. */
  private dropAbandoned(keep: number): void {
    const open = [...this.orders.values()].filter((o) => o.source === 'kiosk' && o.status === 'new');
    for (const o of open.slice(0, Math.max(0, open.length - keep))) {
      this.orders.delete(o.order_id);
      this.store?.remove(o.order_id);
    }
  }

  private trim(): void {
    for (const id of this.orders.keys()) {
      if (this.orders.size <= ORDERS_KEPT_MAX) break;
      if (id !== this.currentId) this.orders.delete(id);
    }
  }
}
