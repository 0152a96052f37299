// The menu as a manager edits it, and the cashier's "86" (out of stock) and back. The customer
// screens read the menu as before (orders.ts `menu`: live items only, with out_of_stock), and
// are told of every change by a push (PUSH_MENU_CHANGED), on which they read it again. Each
// change is a signed config entry naming who and why; the host checks every field (names, ids,
// prices, the tax category, the menu bounds of constants.ts) and answers a typed MENU_* code.
import { z } from 'zod';
import { TEXT_LENGTH_MAX } from '../constants.js';
import {
  ITEM_OPTIONS_KEPT_MAX,
  MENU_CATEGORIES_KEPT_MAX,
  MENU_ITEMS_KEPT_MAX,
  MENU_NAME_LENGTH_MAX,
} from '../constants.js';
import { call, freeText, minor, reason, seq, staffToken, timeMs } from '../shapes.js';
import { taxId } from './orders.js';

/** Ids and names as they arrive: the host checks them (MENU_ID_INVALID, MENU_NAME_INVALID), so
 * that a screen shows what was wrong in its own words rather than a schema's path. */
const rawId = freeText(64);
const rawName = z.object({
  en: freeText(4 * MENU_NAME_LENGTH_MAX),
  de: freeText(4 * MENU_NAME_LENGTH_MAX),
  zh: freeText(4 * MENU_NAME_LENGTH_MAX),
});
/** Prices as they arrive: any integer, checked by the host (MENU_PRICE_INVALID). */
const rawPrice = z.number().int();
const op = z.enum(['add', 'change']);

export const MenuChange = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('category'), op, category_id: rawId, name: rawName, retired: z.boolean() }),
  z.object({
    kind: z.literal('item'),
    op,
    item_id: rawId,
    category_id: rawId,
    name: rawName,
    price_minor: rawPrice,
    tax_category: rawId,
    retired: z.boolean(),
  }),
  z.object({
    kind: z.literal('option'),
    op,
    item_id: rawId,
    option_id: rawId,
    name: rawName,
    price_minor: rawPrice,
    retired: z.boolean(),
  }),
]);
export type MenuChange = z.infer<typeof MenuChange>;

const name = z.object({
  en: freeText(MENU_NAME_LENGTH_MAX),
  de: freeText(MENU_NAME_LENGTH_MAX),
  zh: freeText(MENU_NAME_LENGTH_MAX),
});
const menuId = freeText(64);
export const EditorOption = z.object({ option_id: menuId, name, price_minor: minor, retired: z.boolean() });
export const EditorItem = z.object({
  item_id: menuId,
  category_id: menuId,
  name,
  price_minor: minor,
  tax_category: taxId,
  retired: z.boolean(),
  in_stock: z.boolean(),
  options: z.array(EditorOption).max(ITEM_OPTIONS_KEPT_MAX),
});
export type EditorItem = z.infer<typeof EditorItem>;
export const EditorCategory = z.object({ category_id: menuId, name, retired: z.boolean() });
export type EditorCategory = z.infer<typeof EditorCategory>;
/** The whole menu as the editor shows it: retired records too, and the store's tax categories. */
export const MenuEditorView = z.object({
  categories: z.array(EditorCategory).max(MENU_CATEGORIES_KEPT_MAX),
  items: z.array(EditorItem).max(MENU_ITEMS_KEPT_MAX),
  tax_categories: z.array(taxId).max(20),
  /** Counts up with every change (the push carries it). */
  revision: z.number().int().min(0),
});
export type MenuEditorView = z.infer<typeof MenuEditorView>;

/** The push on every change: screens read the menu again. */
export const MenuEvent = z.object({ revision: z.number().int().min(0) });
export type MenuEvent = z.infer<typeof MenuEvent>;

export const menuCalls = {
  /** Manager only: the menu with its retired records, for the editor. */
  menuEditor: call({
    channel: 'menu:editor',
    timeout_ms: 3_000,
    request: z.object({ token: staffToken }),
    response: MenuEditorView,
  }),
  /** Manager only: adds or changes (retires, brings back) one category, item or option; a signed
   * config entry. Orders already placed keep their prices. */
  menuChange: call({
    channel: 'menu:change',
    timeout_ms: 5_000,
    request: z.object({ token: staffToken, change: MenuChange, reason }),
    response: z.object({ seq, changed_by: freeText(80), menu: MenuEditorView }),
  }),
  /** Any signed-in staff: an item out of stock ("86") or back; a signed config entry. Nothing is
   * written when it is already so (seq null). */
  menuStock: call({
    channel: 'menu:stock',
    timeout_ms: 3_000,
    request: z.object({
      token: staffToken,
      item_id: rawId,
      in_stock: z.boolean(),
      reason: freeText(TEXT_LENGTH_MAX, { trim: true }).optional(),
    }),
    response: z.object({
      seq: seq.nullable(),
      item_id: menuId,
      in_stock: z.boolean(),
      changed_by: freeText(80),
      at_ms: timeMs,
    }),
  }),
} as const;
