// Orders on the kiosk: the menu, and a bounded book of recent orders in memory. An order's
// total is computed here from the menu (integer minor units), never taken from the renderer.
// Orders are working state; the money record is the ledger's signed payment, which names the
// order id, so an order lost on restart loses nothing that was paid.
import { randomUUID } from 'node:crypto';
import type { MenuItem, Order } from '../contract/api.js';
import { ApiFault } from './fault.js';

/** Orders kept in memory; the oldest finished ones are dropped first. */
export const ORDERS_KEPT_MAX = 500;

export const DEMO_MENU: MenuItem[] = [
  { item_id: 'ramen', name: { en: 'Tonkotsu ramen', de: 'Tonkotsu-Ramen', zh: '豚骨拉面' }, price_minor: 1_290 },
  { item_id: 'gyoza', name: { en: 'Gyoza (6)', de: 'Gyoza (6 Stück)', zh: '煎饺（6只）' }, price_minor: 590 },
  { item_id: 'edamame', name: { en: 'Edamame', de: 'Edamame', zh: '毛豆' }, price_minor: 390 },
  { item_id: 'tea', name: { en: 'Jasmine tea', de: 'Jasmintee', zh: '茉莉花茶' }, price_minor: 290 },
  { item_id: 'mochi', name: { en: 'Mochi ice cream', de: 'Mochi-Eis', zh: '麻薯冰淇淋' }, price_minor: 450 },
];

export class OrderBook {
  private readonly orders = new Map<string, Order>();
  private currentId: string | null = null;

  constructor(
    readonly menu: MenuItem[],
    readonly currency: string,
    private readonly now: () => number = Date.now,
  ) {}

  create(lines: { item_id: string; quantity: number }[]): Order {
    if (lines.length === 0) throw new ApiFault('ORDER_EMPTY', 'an order needs at least one line');
    const built = lines.map((l) => {
      const item = this.menu.find((m) => m.item_id === l.item_id);
      if (!item) throw new ApiFault('MENU_ITEM_UNKNOWN', `no menu item ${JSON.stringify(l.item_id)}`);
      const lineMinor = item.price_minor * l.quantity;
      if (!Number.isSafeInteger(lineMinor)) throw new ApiFault('API_BAD_REQUEST', `line ${item.item_id}: amount out of range`);
      return { item_id: item.item_id, name: item.name, quantity: l.quantity, unit_minor: item.price_minor, line_minor: lineMinor };
    });
    const total = built.reduce((s, l) => s + l.line_minor, 0);
    if (!Number.isSafeInteger(total) || total <= 0) throw new ApiFault('API_BAD_REQUEST', `order total ${total}: expected a positive safe integer`);
    const order: Order = { order_id: `o-${randomUUID()}`, lines: built, total_minor: total, currency: this.currency, status: 'open', created_at_ms: this.now(), paid_seq: null };
    this.orders.set(order.order_id, order);
    this.currentId = order.order_id;
    this.trim();
    return order;
  }

  get(orderId: string): Order {
    const o = this.orders.get(orderId);
    if (!o) throw new ApiFault('ORDER_NOT_FOUND', `no order ${orderId} on this kiosk`);
    return o;
  }

  /** The order the customer screen shows: the latest one still open. */
  current(): Order | null {
    const o = this.currentId === null ? undefined : this.orders.get(this.currentId);
    return o && o.status === 'open' ? o : null;
  }

  markPaid(orderId: string, seq: number): void {
    const o = this.get(orderId);
    o.status = 'paid';
    o.paid_seq = seq;
  }

  private trim(): void {
    if (this.orders.size <= ORDERS_KEPT_MAX) return;
    for (const [id, o] of this.orders) {
      if (this.orders.size <= ORDERS_KEPT_MAX) break;
      if (o.status !== 'open' || id !== this.currentId) this.orders.delete(id);
    }
  }
}
