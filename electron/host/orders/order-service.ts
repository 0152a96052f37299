// The customer's own orders at the kiosk (the orders domain's calls): the menu, an order built
// from it and priced by the order book, the current order, one order by id.
import type { RequestOf, ResponseOf } from '../../contract/api.js';
import type { DomainService } from '../transport/routes.js';
import type { OrderBook } from './orders.js';

export class OrderService implements DomainService<'orders'> {
  constructor(
    private readonly book: OrderBook,
    /** The tips the customer screen offers (config tips.choices_bp). */
    private readonly tipChoicesBp: () => number[] = () => [],
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
    return this.book.create(req.lines, req.service !== undefined ? { service: req.service } : {});
  }

  currentOrder(): ResponseOf<'currentOrder'> {
    return this.book.current();
  }

  getOrder(req: RequestOf<'getOrder'>): ResponseOf<'getOrder'> {
    return this.book.get(req.order_id);
  }
}
