// The menu and the customer's own orders at the kiosk (the cashier's are on the board,
// board.ts). The host prices every line from the menu, in integer minor units, with its tax
// rate (the item's tax category, eaten in or taken away) and its discounts; the screens only ask
// for items, options and quantities. An order records the parts paid of it (a split bill) and
// is paid when they cover it.
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
import {
  actor,
  call,
  currency,
  freeText,
  id,
  Localised,
  minor,
  paymentMethod,
  seq,
  staffToken,
  text,
  timeMs,
} from '../shapes.js';
import { RATE_BP_MAX, SALE_DISCOUNTS_MAX, SALE_RATES_MAX, SPLIT_SHARES_MAX, TIP_CHOICES_MAX } from '../constants.js';

/** A tax rate's id (the receipt's letter) or a tax category's id. */
export const taxId = z
  .string()
  .min(1)
  .max(16)
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'letters, digits or -');
export const rateBp = z.number().int().min(0).max(RATE_BP_MAX);
export const service = z.enum(['eat_in', 'take_away']);
export const pricing = z.enum(['inclusive', 'exclusive']);
export const rounding = z.enum(['line', 'receipt']);
/** One rate's net, tax and gross (a sale's, a payment's, a day's). */
export const RateTotal = z.object({
  rate_id: taxId,
  rate_bp: rateBp,
  net_minor: minor,
  tax_minor: minor,
  gross_minor: minor,
});
export type RateTotal = z.infer<typeof RateTotal>;

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
  /** Which of the store's tax categories it is in (food, drinks): the rate follows from it. */
  tax_category: taxId,
  /** Marked out of stock ("86") by staff: shown, but it cannot be ordered (absent: in stock). */
  out_of_stock: z.boolean().optional(),
});
export type MenuItem = z.infer<typeof MenuItem>;

/** A line as the screens ask for it: the host prices it from the menu. */
export const LineRequest = z.object({
  item_id: id,
  quantity: z.number().int().min(1).max(LINE_QUANTITY_MAX),
  options: z.array(id).max(ITEM_OPTIONS_MAX).optional(),
  // A note prints on the kitchen ticket and the receipt: one line, no control characters
  // (ESC/POS commands; red team 3).
  note: freeText(LINE_NOTE_MAX, { trim: true })
    // eslint-disable-next-line no-control-regex -- control characters are what this refuses
    .refine((t) => !/[\u0000-\u001f\u007f-\u009f]/.test(t), 'a single line of text, no control characters')
    .optional(),
});
export type LineRequest = z.infer<typeof LineRequest>;

/** unit_minor is the item's price plus its options'; line_minor is unit_minor x quantity. The tax
 * fields are null on orders placed before the kiosk priced tax (their payments carry no sale). */
export const OrderLine = z.object({
  item_id: id,
  name: Localised,
  options: z.array(MenuOption).max(ITEM_OPTIONS_MAX),
  note: freeText(LINE_NOTE_MAX).nullable(),
  quantity: z.number().int().min(1).max(LINE_QUANTITY_MAX),
  unit_minor: minor,
  line_minor: minor,
  tax_category: taxId.nullable().default(null),
  rate_id: taxId.nullable().default(null),
  rate_bp: rateBp.nullable().default(null),
  /** Its own discounts and its share of the order's. */
  discount_minor: minor.default(0),
  /** Rounding per line: the line's tax. */
  tax_minor: minor.nullable().default(null),
});
export type OrderLine = z.infer<typeof OrderLine>;

/** A discount or comp: off a line (its index) or the whole order; percent (basis points) or an amount. */
export const OrderDiscount = z.object({
  line: z
    .number()
    .int()
    .min(0)
    .max(ORDER_LINES_MAX - 1)
    .nullable(),
  kind: z.enum(['percent', 'amount']),
  value: z.number().int().min(1).max(100_000_000_000),
  amount_minor: minor,
  reason: text,
  approved_by: actor,
  /** When it was given (0: before this was recorded): a cashier's discounts are limited per day. */
  given_at_ms: timeMs.default(0),
});
export type OrderDiscount = z.infer<typeof OrderDiscount>;

/** A payment of the order: all of it, or one part of a split bill (share_minor of the bill, plus a tip). */
export const OrderPart = z.object({
  seq,
  method: paymentMethod,
  share_minor: minor,
  tip_minor: minor,
  amount_minor: minor,
});
export type OrderPart = z.infer<typeof OrderPart>;

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
  // ---- what is owed, and what was paid of it (defaults: orders placed before tax was priced) ----
  service: service.default('eat_in'),
  /** How its prices were taxed and rounded when it was placed; null for an order placed before. */
  pricing: pricing.nullable().default(null),
  rounding: rounding.nullable().default(null),
  discounts: z.array(OrderDiscount).max(SALE_DISCOUNTS_MAX).default([]),
  /** Net, tax and gross per rate of total_minor. */
  by_rate: z.array(RateTotal).max(SALE_RATES_MAX).default([]),
  /** Paid of total_minor so far (tips not counted), and the tips on top. */
  paid_minor: minor.default(0),
  tips_minor: minor.default(0),
  parts: z.array(OrderPart).max(SPLIT_SHARES_MAX).default([]),
  /** The payment that carries its signed sale (the first one paid), once one is. */
  sale_seq: seq.nullable().default(null),
  /** A bill split into equal shares: how many. */
  split_shares: z.number().int().min(2).max(SPLIT_SHARES_MAX).nullable().default(null),
  /** What the next payment pays of it, tips aside: the next equal share, a part the cashier set,
   * or all that is left. */
  next_part_minor: minor.default(0),
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
      /** The tips the customer screen offers before the smile (basis points of the part paid). */
      tip_choices_bp: z.array(rateBp).max(TIP_CHOICES_MAX),
    }),
  }),
  createOrder: call({
    channel: 'orders:create',
    timeout_ms: 3_000,
    request: z.object({ lines: z.array(LineRequest).min(1).max(ORDER_LINES_MAX), service: service.optional() }),
    response: Order,
  }),
  /** The order the customer screen shows. With a signed-in staff token it is in full; without
   * one (the customer screen) its discounts come without who approved them and why. */
  currentOrder: call({
    channel: 'orders:current',
    timeout_ms: 3_000,
    request: z.object({ token: staffToken.optional() }),
    response: Order.nullable(),
  }),
  /** One order by id; as currentOrder, in full only with a signed-in staff token. */
  getOrder: call({
    channel: 'orders:get',
    timeout_ms: 3_000,
    request: z.object({ order_id: id, token: staffToken.optional() }),
    response: Order,
  }),
} as const;
