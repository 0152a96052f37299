// The live order board (cashier or manager): the cashier builds an order and sends it to the
// customer screen, and moves paid orders through the kitchen's steps. Every change of an order
// also reaches every screen as a push (PUSH_ORDER_CHANGED).
import { z } from 'zod';
import { KITCHEN_STEPS, ORDER_LINES_MAX, ORDER_NOTE_MAX, ORDERS_KEPT_MAX } from '../constants.js';
import { call, freeText, id, staffToken } from '../shapes.js';
import { LineRequest, Order, service } from './orders.js';

export const boardCalls = {
  /** The cashier builds an order and sends it to the customer screen (awaiting_payment). */
  sendOrder: call({
    channel: 'orders:send-to-customer',
    timeout_ms: 3_000,
    request: z.object({
      token: staffToken,
      lines: z.array(LineRequest).min(1).max(ORDER_LINES_MAX),
      note: freeText(ORDER_NOTE_MAX, { trim: true }).optional(),
      service: service.optional(),
    }),
    response: Order,
  }),
  /** The orders kept (the last ORDERS_KEPT_MAX), newest first; changes then come as pushes. */
  orderBoard: call({
    channel: 'orders:board',
    timeout_ms: 3_000,
    request: z.object({ token: staffToken }),
    response: z.object({ orders: z.array(Order).max(ORDERS_KEPT_MAX), kept_max: z.number().int().min(1) }),
  }),
  /** A paid order to preparing, ready, collected: each step only from the one before. */
  advanceOrder: call({
    channel: 'orders:advance',
    timeout_ms: 3_000,
    request: z.object({ token: staffToken, order_id: id, status: z.enum(KITCHEN_STEPS) }),
    response: Order,
  }),
} as const;
