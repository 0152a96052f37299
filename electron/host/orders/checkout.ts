// The cashier's checkout (the checkout domain's calls): discounts and comps on an order before it
// is paid, with the cashier's limit on all of an order's discounts together (above it, a
// manager's sign-in approves on the spot, as for refunds), eaten in or taken away, and the bill split into equal shares. The order book prices
// each change with the ledger's own pricing, so what the screens show is what will be signed.
import type { Logger } from 'pino';
import type { RequestOf, ResponseOf } from '../../contract/api.js';
import { ApiFault } from '../fault.js';
import { approverOf, type StaffDirectory } from '../staff/directory.js';
import type { DomainService } from '../transport/routes.js';
import type { OrderBook } from './orders.js';

export interface CheckoutParts {
  log: Logger;
  staff: StaffDirectory;
  orders: OrderBook;
  /** A discount above this (minor units) needs a manager. */
  discountCashierMaxMinor: () => number;
  /** A cashier's discounts in one business day, together, at most; more needs a manager. */
  discountCashierDayMaxMinor: () => number;
  /** Where the business day of `ms` began (the store's zone). */
  dayStartMs: (ms: number) => number;
  now?: () => number;
}

export class CheckoutService implements DomainService<'checkout'> {
  constructor(private readonly p: CheckoutParts) {}

  addDiscount(req: RequestOf<'addDiscount'>): ResponseOf<'addDiscount'> {
    const member = this.p.staff.require(req.token, 'cashier');
    const max = req.kind === 'percent' ? 10_000 : 100_000_000_000;
    if (!Number.isSafeInteger(req.value) || req.value < 1 || req.value > max)
      throw new ApiFault(
        'DISCOUNT_INVALID',
        `a ${req.kind} discount of ${req.value}: expected 1..${max} ${req.kind === 'percent' ? 'basis points (100 %)' : 'minor units'}`,
      );
    const approvedBy = approverOf(member);
    const nowMs = (this.p.now ?? Date.now)();
    const order = this.p.orders.addDiscount(
      req.order_id,
      {
        line: req.line,
        kind: req.kind,
        value: req.value,
        reason: req.reason,
        approved_by: approvedBy,
        given_at_ms: nowMs,
      },
      // The limit is on what comes off the order, however it is split: all its discounts (by
      // anyone) with this one. Checked per discount, a cashier stacked 20 under it.
      (amountMinor, orderMinor) => {
        const cashierMax = this.p.discountCashierMaxMinor();
        if (orderMinor > cashierMax && member.role !== 'manager')
          throw new ApiFault(
            'STAFF_NEEDS_MANAGER',
            `a discount of ${amountMinor} minor units brings order ${req.order_id}'s discounts to ${orderMinor}, above the cashier's limit of ${cashierMax}: a manager must sign in to approve it`,
          );
        // And on all a cashier gives in a day: under the per-order limit on every order, 40 orders
        // of 5.00 each went without a manager (red team 2). Counted from the orders as they are
        // now, in this same synchronous call as the write, so two at once cannot both pass.
        if (member.role === 'manager') return;
        const dayMax = this.p.discountCashierDayMaxMinor();
        const given = this.p.orders.discountsGivenSince(approvedBy, this.p.dayStartMs(nowMs));
        if (given + amountMinor > dayMax)
          throw new ApiFault(
            'STAFF_NEEDS_MANAGER',
            `${approvedBy} has given ${given} minor units of discounts today; ${amountMinor} more is above the cashier's day limit of ${dayMax}: a manager must sign in to approve it`,
          );
      },
    );
    const d = order.discounts.at(-1)!;
    this.p.log.info(
      { order: order.order_id, line: d.line, kind: d.kind, amount_minor: d.amount_minor, approved_by: approvedBy },
      'discount given',
    );
    return order;
  }

  removeDiscount(req: RequestOf<'removeDiscount'>): ResponseOf<'removeDiscount'> {
    const by = approverOf(this.p.staff.require(req.token, 'cashier'));
    const order = this.p.orders.removeDiscount(req.order_id, req.index);
    this.p.log.info({ order: order.order_id, index: req.index, by }, 'discount taken off');
    return order;
  }

  setService(req: RequestOf<'setService'>): ResponseOf<'setService'> {
    this.p.staff.require(req.token, 'cashier');
    return this.p.orders.setService(req.order_id, req.service);
  }

  splitOrder(req: RequestOf<'splitOrder'>): ResponseOf<'splitOrder'> {
    const by = approverOf(this.p.staff.require(req.token, 'cashier'));
    const order = this.p.orders.split(req.order_id, req.shares);
    this.p.log.info({ order: order.order_id, shares: req.shares, by }, 'bill split');
    return order;
  }
}
