// The cashier's checkout of an order before it is paid: discounts and comps (off a line or the
// whole order, percent or an amount, with a reason; above limits.discount_cashier_max_minor a
// manager approves on the spot), eaten in or taken away (the lines' tax rates follow), and a
// bill split into equal shares. Once a part is paid the price is signed and none of these change it.
import { z } from 'zod';
import { ORDER_LINES_MAX, SALE_DISCOUNTS_MAX, SPLIT_SHARES_MAX } from '../constants.js';
import { call, id, reason, staffToken } from '../shapes.js';
import { Order, service } from './orders.js';

export const checkoutCalls = {
  /** A discount on the order (line: null) or one of its lines; the host checks its value
   * (DISCOUNT_INVALID), that it leaves something of the line and the order (DISCOUNT_EXCEEDS_*)
   * and the cashier's limit (STAFF_NEEDS_MANAGER). */
  addDiscount: call({
    channel: 'checkout:add-discount',
    timeout_ms: 3_000,
    request: z.object({
      token: staffToken,
      order_id: id,
      line: z
        .number()
        .int()
        .min(0)
        .max(ORDER_LINES_MAX - 1)
        .nullable(),
      kind: z.enum(['percent', 'amount']),
      /** Basis points for percent (1000: 10 %), minor units for an amount. */
      value: z.number().int(),
      reason,
    }),
    response: Order,
  }),
  removeDiscount: call({
    channel: 'checkout:remove-discount',
    timeout_ms: 3_000,
    request: z.object({
      token: staffToken,
      order_id: id,
      index: z
        .number()
        .int()
        .min(0)
        .max(SALE_DISCOUNTS_MAX - 1),
    }),
    response: Order,
  }),
  setService: call({
    channel: 'checkout:set-service',
    timeout_ms: 3_000,
    request: z.object({ token: staffToken, order_id: id, service }),
    response: Order,
  }),
  /** The bill in equal shares (null: one bill again); each share is paid by face, cash or card. */
  splitOrder: call({
    channel: 'checkout:split',
    timeout_ms: 3_000,
    request: z.object({
      token: staffToken,
      order_id: id,
      shares: z.number().int().min(2).max(SPLIT_SHARES_MAX).nullable(),
    }),
    response: Order,
  }),
} as const;
