// The menu and the customer's own orders at the kiosk (the cashier's are on the board,
// board.ts). The host prices every line from the menu, in integer minor units; the screens
// only ask for items, options and quantities.
import { z } from 'zod';
import {
  ITEM_OPTIONS_MAX,
  LINE_NOTE_MAX,
  LINE_QUANTITY_MAX,
  MENU_CATEGORIES_MAX,
  MENU_ITEMS_MAX,
  ORDER_LINES_MAX,
  ORDER_NOTE_MAX,
  ORDER_STATUSES,
} from '../constants.js';
import { call, currency, freeText, id, Localised, minor, text, timeMs } from '../shapes.js';

export const MenuCategory = z.object({ category_id: id, name: Localised });
export type MenuCategory = z.infer<typeof MenuCategory>;
/** An option adds its price (0 or more) to the item's. */
export const MenuOption = z.object({ option_id: id, name: Localised, price_minor: minor });
export type MenuOption = z.infer<typeof MenuOption>;
export const MenuItem = z.object({
  item_id: id,
  category_id: id,
  name: Localised,
  price_minor: minor,
  options: z.array(MenuOption).max(ITEM_OPTIONS_MAX),
});
export type MenuItem = z.infer<typeof MenuItem>;

/** A line as the screens ask for it: the host prices it from the menu. */
export const LineRequest = z.object({
  item_id: id,
  quantity: z.number().int().min(1).max(LINE_QUANTITY_MAX),
  options: z.array(id).max(ITEM_OPTIONS_MAX).optional(),
  note: freeText(LINE_NOTE_MAX, { trim: true }).optional(),
});
export type LineRequest = z.infer<typeof LineRequest>;

/** unit_minor is the item's price plus its options'; line_minor is unit_minor x quantity. */
export const OrderLine = z.object({
  item_id: id,
  name: Localised,
  options: z.array(MenuOption).max(ITEM_OPTIONS_MAX),
  note: freeText(LINE_NOTE_MAX).nullable(),
  quantity: z.number().int().min(1).max(LINE_QUANTITY_MAX),
  unit_minor: minor,
  line_minor: minor,
});
export type OrderLine = z.infer<typeof OrderLine>;

export const Order = z.object({
  order_id: id,
  lines: z.array(OrderLine).max(ORDER_LINES_MAX),
  total_minor: minor,
  currency,
  status: z.enum(ORDER_STATUSES),
  created_at_ms: timeMs,
  updated_at_ms: timeMs,
  paid_seq: z.number().int().min(1).nullable(),
  /** Who built it: the customer at the kiosk, or the cashier at the counter (sent to the screen). */
  source: z.enum(['kiosk', 'counter']),
  note: freeText(ORDER_NOTE_MAX).nullable(),
  /** declined or failed: why (FACE_*, OFFLINE_*, KIOSK_OUT_OF_SERVICE...), with the host's message. */
  reason: z.object({ code: z.string().max(64), message: text }).nullable(),
});
export type Order = z.infer<typeof Order>;

/** The server push: one order as it is now, and which order the customer screen should show. */
export const OrderEvent = z.object({ order: Order, current_order_id: id.nullable() });
export type OrderEvent = z.infer<typeof OrderEvent>;

export const orderCalls = {
  menu: call({
    channel: 'orders:menu',
    timeout_ms: 3_000,
    request: z.object({}),
    response: z.object({
      categories: z.array(MenuCategory).max(MENU_CATEGORIES_MAX),
      items: z.array(MenuItem).max(MENU_ITEMS_MAX),
      currency,
    }),
  }),
  createOrder: call({
    channel: 'orders:create',
    timeout_ms: 3_000,
    request: z.object({ lines: z.array(LineRequest).min(1).max(ORDER_LINES_MAX) }),
    response: Order,
  }),
  currentOrder: call({
    channel: 'orders:current',
    timeout_ms: 3_000,
    request: z.object({}),
    response: Order.nullable(),
  }),
  getOrder: call({ channel: 'orders:get', timeout_ms: 3_000, request: z.object({ order_id: id }), response: Order }),
} as const;
