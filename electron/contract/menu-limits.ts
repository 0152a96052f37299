// The menu editor's bounds (no zod, no I/O: the screens import it at run time, the host checks
// every change against it). Each menu change is one signed config entry whose value is the
// record as it now stands, as JSON text: the ledger's config value holds at most
// TEXT_LENGTH_MAX (500) characters, and its key at most ID_LENGTH_MAX (64), which bound these.
import { ID_LENGTH_MAX, ITEM_OPTIONS_MAX, MENU_CATEGORIES_MAX, MENU_ITEMS_MAX, TEXT_LENGTH_MAX } from './constants.js';

/** A category's, item's or option's id: "menu.option.<item>.<option>" must fit a config key. */
export const MENU_ID_LENGTH_MAX = 24;
/** A name in one language: a menu board's line, not a description. Three of them, escaped as
 * JSON, with the record's other fields, must fit one config value. */
export const MENU_NAME_LENGTH_MAX = 48;
/** An item's or option's price: 10,000.00 in a two-decimal currency. A price above it is a typo
 * (an extra zero or two), and the order's total stays far inside AMOUNT_MINOR_MAX. */
export const MENU_PRICE_MINOR_MAX = 1_000_000;
/** Records kept with the retired ones (live ones are bounded by the menu call's
 * MENU_CATEGORIES_MAX, MENU_ITEMS_MAX and ITEM_OPTIONS_MAX) (the editor lists them, a manager may bring one back):
 * a menu changed over years, not a list without end. */
export const MENU_CATEGORIES_KEPT_MAX = 2 * MENU_CATEGORIES_MAX;
export const MENU_ITEMS_KEPT_MAX = 2 * MENU_ITEMS_MAX;
export const ITEM_OPTIONS_KEPT_MAX = 2 * ITEM_OPTIONS_MAX;
/** The JSON of the largest record: three names of MENU_NAME_LENGTH_MAX, each character escaped
 * at worst to two ("\\\""), and the fields around them. */
const RECORD_CHARS_MAX = 3 * (2 * MENU_NAME_LENGTH_MAX + 8) + 2 * MENU_ID_LENGTH_MAX + 120;
if (RECORD_CHARS_MAX > TEXT_LENGTH_MAX)
  throw new Error('assertion failed: a menu record may not fit one config value (TEXT_LENGTH_MAX)');
if ('menu.option.'.length + 2 * MENU_ID_LENGTH_MAX + 1 > ID_LENGTH_MAX)
  throw new Error("assertion failed: a menu option's config key may not fit ID_LENGTH_MAX");
