// The live order board (cashier or manager): an order the cashier builds is sent to the
// customer screen, the board lists the orders kept, and a paid order moves through the
// kitchen's steps. Every change reaches every screen as a push (the transports subscribe to
// OrderBook.onChange).
import type { Logger } from 'pino';
import { ORDERS_KEPT_MAX, type RequestOf, type ResponseOf } from '../../contract/api.js';
import { approverOf, type StaffDirectory } from '../staff/directory.js';
import type { DomainService } from '../transport/routes.js';
import type { OrderBook } from './orders.js';

export interface BoardParts {
  log: Logger;
  staff: StaffDirectory;
  orders: OrderBook;
}

export class BoardService implements DomainService<'board'> {
  constructor(private readonly p: BoardParts) {}

  /** The cashier's order, sent to the customer screen: it becomes the current order there. */
  sendOrder(req: RequestOf<'sendOrder'>): ResponseOf<'sendOrder'> {
    const by = approverOf(this.p.staff.require(req.token, 'cashier'));
    const order = this.p.orders.create(req.lines, {
      source: 'counter',
      status: 'awaiting_payment',
      ...(req.note !== undefined ? { note: req.note } : {}),
      ...(req.service !== undefined ? { service: req.service } : {}),
    });
    this.p.log.info(
      { order: order.order_id, amount_minor: order.total_minor, by },
      'order sent to the customer screen',
    );
    return order;
  }

  orderBoard(req: RequestOf<'orderBoard'>): ResponseOf<'orderBoard'> {
    this.p.staff.require(req.token, 'cashier');
    return { orders: this.p.orders.list().slice(0, ORDERS_KEPT_MAX), kept_max: ORDERS_KEPT_MAX };
  }

  advanceOrder(req: RequestOf<'advanceOrder'>): ResponseOf<'advanceOrder'> {
    const by = approverOf(this.p.staff.require(req.token, 'cashier'));
    const order = this.p.orders.advance(req.order_id, req.status);
    this.p.log.info({ order: order.order_id, status: order.status, by }, 'order moved on');
    return order;
  }
}
