// Orders on the kiosk: the menu, and a bounded book of recent orders in memory, written through
// to an OrderStore when one is given (a restart keeps the board, and the lines behind past
// payments). An order's total is computed here from the menu (integer minor units), never taken
// from the renderer. Orders are working state; the money record is the ledger's signed payment,
// which names the order id, so an order lost in a crash loses nothing that was paid.
import { randomUUID } from 'node:crypto';
import {
  isPayable,
  ORDERS_KEPT_MAX,
  type LineRequest,
  type MenuCategory,
  type MenuItem,
  type Order,
  type OrderEvent,
  type OrderLine,
  type OrderStatus,
} from '../../contract/api.js';
import { ApiFault } from '../fault.js';
import type { OrderStore } from './order-store.js';
import type { LedgerStore } from '../../../ledger/store/store.js';

/** Orders kept in memory (the contract's bound: the last 200); the oldest are dropped first. */
export { ORDERS_KEPT_MAX };
/** Listeners on the book (the transports: one per server), at most. */
export const ORDER_BOOK_LISTENERS_MAX = 8;
/** Orders the customer screens made and nobody has started paying ('new', from the kiosk), at
 * most: a customer builds one at a time, a kiosk has a screen or two. A new one beyond this
 * drops the oldest (it took no money), so that createOrder, which needs no sign-in, cannot push
 * the board's real orders out of the ORDERS_KEPT_MAX it keeps. */
export const KIOSK_ORDERS_OPEN_MAX = 8;

export const DEMO_CATEGORIES: MenuCategory[] = [
  { category_id: 'mains', name: { en: 'Mains', de: 'Hauptgerichte', zh: '主食' } },
  { category_id: 'sides', name: { en: 'Sides', de: 'Beilagen', zh: '小吃' } },
  { category_id: 'drinks', name: { en: 'Drinks', de: 'Getränke', zh: '饮品' } },
  { category_id: 'desserts', name: { en: 'Desserts', de: 'Desserts', zh: '甜品' } },
];

export const DEMO_MENU: MenuItem[] = [
  {
    item_id: 'ramen',
    category_id: 'mains',
    name: { en: 'Tonkotsu ramen', de: 'Tonkotsu-Ramen', zh: '豚骨拉面' },
    price_minor: 1_290,
    options: [
      { option_id: 'egg', name: { en: 'Extra egg', de: 'Extra Ei', zh: '加蛋' }, price_minor: 150 },
      { option_id: 'chashu', name: { en: 'Extra chashu', de: 'Extra Chashu', zh: '加叉烧' }, price_minor: 300 },
      {
        option_id: 'no-onion',
        name: { en: 'No spring onion', de: 'Ohne Frühlingszwiebeln', zh: '不要葱' },
        price_minor: 0,
      },
      { option_id: 'spicy', name: { en: 'Spicy', de: 'Scharf', zh: '辣' }, price_minor: 0 },
    ],
  },
  {
    item_id: 'gyoza',
    category_id: 'sides',
    name: { en: 'Gyoza (6)', de: 'Gyoza (6 Stück)', zh: '煎饺（6只）' },
    price_minor: 590,
    options: [{ option_id: 'chili-oil', name: { en: 'Chili oil', de: 'Chiliöl', zh: '辣油' }, price_minor: 50 }],
  },
  {
    item_id: 'edamame',
    category_id: 'sides',
    name: { en: 'Edamame', de: 'Edamame', zh: '毛豆' },
    price_minor: 390,
    options: [],
  },
  {
    item_id: 'tea',
    category_id: 'drinks',
    name: { en: 'Jasmine tea', de: 'Jasmintee', zh: '茉莉花茶' },
    price_minor: 290,
    options: [{ option_id: 'iced', name: { en: 'Iced', de: 'Mit Eis', zh: '冰' }, price_minor: 0 }],
  },
  {
    item_id: 'mochi',
    category_id: 'desserts',
    name: { en: 'Mochi ice cream', de: 'Mochi-Eis', zh: '麻薯冰淇淋' },
    price_minor: 450,
    options: [],
  },
];

/** The ledger's payments from a time on, as OrderBook.reconcile reads them. */
export function ledgerPaymentsSince(
  store: LedgerStore,
): (createdAtMs: number) => Iterable<{ order_id: string; seq: number }> {
  return function* (since) {
    for (const p of store.entriesOfKindSince('payment', since))
      if (p.entry.kind === 'payment') yield { order_id: p.entry.body.order_id, seq: p.entry.seq };
  };
}

/** The kitchen's steps: a paid order moves forward one at a time. */
const NEXT: Partial<Record<OrderStatus, OrderStatus>> = { paid: 'preparing', preparing: 'ready', ready: 'collected' };

export class OrderBook {
  private readonly orders = new Map<string, Order>();
  private readonly currencyNow: () => string;
  private currentId: string | null = null;
  private readonly listeners = new Set<(e: OrderEvent) => void>();

  constructor(
    readonly menu: MenuItem[],
    /** The store's currency, or how to read it now (a manager may change it between days). */
    currency: string | (() => string),
    private readonly now: () => number = Date.now,
    readonly categories: MenuCategory[] = DEMO_CATEGORIES,
    private readonly store: OrderStore | null = null,
  ) {
    this.currencyNow = typeof currency === 'string' ? () => currency : currency;
    for (const m of menu) {
      if (!categories.some((c) => c.category_id === m.category_id))
        throw new Error(`menu item ${m.item_id}: category ${m.category_id} is not on the menu`);
    }
    // The board as it was; no order is on the customer screen after a restart.
    for (const o of store?.latest(ORDERS_KEPT_MAX) ?? []) this.orders.set(o.order_id, o);
  }

  /** After a restart: an order restored as payable whose payment is in the ledger (the kiosk
   * stopped between the signed append and the order's own write) is paid, so it cannot be paid
   * twice. `paymentsSince(ms)` gives the ledger's payments created from then on. Returns the
   * orders it marked paid. */
  reconcile(paymentsSince: (createdAtMs: number) => Iterable<{ order_id: string; seq: number }>): string[] {
    const open = [...this.orders.values()].filter((o) => isPayable(o));
    if (open.length === 0) return [];
    const byId = new Map(open.map((o) => [o.order_id, o]));
    const since = Math.min(...open.map((o) => o.created_at_ms));
    const fixed: string[] = [];
    for (const p of paymentsSince(since)) {
      const o = byId.get(p.order_id);
      if (!o || !isPayable(o)) continue;
      this.markPaid(o.order_id, p.seq);
      fixed.push(o.order_id);
    }
    return fixed;
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

  /** One line priced from the menu: the item's price plus its options', times the quantity. */
  private line(l: LineRequest): OrderLine {
    const item = this.menu.find((m) => m.item_id === l.item_id);
    if (!item) throw new ApiFault('MENU_ITEM_UNKNOWN', `no menu item ${JSON.stringify(l.item_id)}`);
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
    return {
      item_id: item.item_id,
      name: item.name,
      options,
      note,
      quantity: l.quantity,
      unit_minor: unit,
      line_minor: lineMinor,
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
    opts: { source?: Order['source']; note?: string; status?: 'new' | 'awaiting_payment' } = {},
  ): Order {
    if (lines.length === 0) throw new ApiFault('ORDER_EMPTY', 'an order needs at least one line');
    const built = lines.map((l) => this.line(l));
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
    };
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
    if (o.status === 'awaiting_payment' || !isPayable(o)) return;
    o.status = 'awaiting_payment';
    o.reason = null;
    this.changed(o);
  }

  /** A face payment refused (declined) or the kiosk unable to take it (failed), with why. */
  refused(orderId: string, status: 'declined' | 'failed', code: string, message: string): void {
    const o = this.orders.get(orderId);
    if (!o || !isPayable(o)) return;
    o.status = status;
    o.reason = { code: code.slice(0, 64), message: message.slice(0, 500) };
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
