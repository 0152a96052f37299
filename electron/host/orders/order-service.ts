// The customer's own orders at the kiosk (the orders domain's calls): the menu, an order built
// from it and priced by the order book, the current order, one order by id. An order read
// without a signed-in staff token comes without who approved its discounts and why (order-view.ts).
import type { RequestOf, ResponseOf } from '../../contract/api.js';
import type { DomainService } from '../transport/routes.js';
import type { OrderBook } from './orders.js';
import { customerView, orderFor } from './order-view.js';

export class OrderService implements DomainService<'orders'> {
  constructor(
    private readonly book: OrderBook,
    /** The tips the customer screen offers (config tips.choices_bp). */
    private readonly tipChoicesBp: () => number[] = () => [],
    /** Whether a staff token is signed in now (directory.ts isOpen). */
    private readonly staffSignedIn: (token: string) => boolean = () => false,
  ) {}

  menu(): ResponseOf<'menu'> {
    return {
      categories: this.book.categories,
      items: this.book.menu,
      currency: this.book.currency,
      tip_choices_bp: this.tipChoicesBp(),
    };
  }

  createOrder(req: RequestOf<'createOrder'>): ResponseOf<'createOrder'> {
    return customerView(this.book.create(req.lines, req.service !== undefined ? { service: req.service } : {}));
  }

  currentOrder(req: RequestOf<'currentOrder'>): ResponseOf<'currentOrder'> {
    const o = this.book.current();
    return o === null ? null : orderFor(o, req.token, this.staffSignedIn);
  }

  getOrder(req: RequestOf<'getOrder'>): ResponseOf<'getOrder'> {
    return orderFor(this.book.get(req.order_id), req.token, this.staffSignedIn);
  }
}
