// The menu's records as the ledger keeps them: one signed `config` entry per change, its key
// naming the record (`menu.category.<id>`, `menu.item.<id>`, `menu.option.<item>.<option>`,
// `menu.stock.<item>`) and its value the record as it now stands (JSON text; the stock a
// boolean). A record's whole state in each entry makes the replay a plain fold: the last entry of
// a key is the record. `menu.seeded` marks that the seed menu (the demo menu) was written out as
// entries, in the same transaction as the first change: from then on the menu is the ledger's
// alone. Ids have no dots, so a key splits one way only.
/** A name in the screens' three languages. */
export interface Localised {
  en: string;
  de: string;
  zh: string;
}

export interface CategoryRecord {
  category_id: string;
  name: Localised;
  retired: boolean;
}
export interface OptionRecord {
  option_id: string;
  name: Localised;
  price_minor: number;
  retired: boolean;
}
export interface ItemRecord {
  item_id: string;
  category_id: string;
  name: Localised;
  price_minor: number;
  tax_category: string;
  retired: boolean;
  options: OptionRecord[];
}

export const SEEDED_KEY = 'menu.seeded';
export const categoryKey = (id: string): string => `menu.category.${id}`;
export const itemKey = (id: string): string => `menu.item.${id}`;
export const optionKey = (itemId: string, optionId: string): string => `menu.option.${itemId}.${optionId}`;
export const stockKey = (itemId: string): string => `menu.stock.${itemId}`;

/** The config value of each record (what the entry signs). Keys in a fixed order. */
export const categoryValue = (c: CategoryRecord): string => JSON.stringify({ name: c.name, retired: c.retired });
export const itemValue = (i: ItemRecord): string =>
  JSON.stringify({
    category_id: i.category_id,
    name: i.name,
    price_minor: i.price_minor,
    tax_category: i.tax_category,
    retired: i.retired,
  });
export const optionValue = (o: OptionRecord): string =>
  JSON.stringify({ name: o.name, price_minor: o.price_minor, retired: o.retired });

export type MenuKey =
  | { kind: 'category'; category_id: string }
  | { kind: 'item'; item_id: string }
  | { kind: 'option'; item_id: string; option_id: string }
  | { kind: 'stock'; item_id: string }
  | { kind: 'seeded' };

/** A config key of the menu's, or null for any other config entry. */
export function parseMenuKey(key: string): MenuKey | null {
  if (key === SEEDED_KEY) return { kind: 'seeded' };
  const parts = key.split('.');
  if (parts[0] !== 'menu') return null;
  if (parts.length === 3 && parts[1] === 'category') return { kind: 'category', category_id: parts[2]! };
  if (parts.length === 3 && parts[1] === 'item') return { kind: 'item', item_id: parts[2]! };
  if (parts.length === 3 && parts[1] === 'stock') return { kind: 'stock', item_id: parts[2]! };
  if (parts.length === 4 && parts[1] === 'option') return { kind: 'option', item_id: parts[2]!, option_id: parts[3]! };
  return null;
}

/** Our own signed value read back: anything else is a programmer error (or a forged ledger, which
 * verify names first), so it stops the kiosk rather than showing a menu it cannot trust. */
function recordOf(key: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'string') throw new Error(`assertion failed: config ${key}: expected a JSON text`);
  const parsed: unknown = JSON.parse(value);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`assertion failed: config ${key}: expected a JSON object`);
  return parsed as Record<string, unknown>;
}

function localised(key: string, v: unknown): Localised {
  const n = v as Partial<Localised> | null;
  if (typeof n?.en !== 'string' || typeof n.de !== 'string' || typeof n.zh !== 'string')
    throw new Error(`assertion failed: config ${key}: a name in en, de and zh`);
  return { en: n.en, de: n.de, zh: n.zh };
}

function int(key: string, v: unknown): number {
  if (!Number.isSafeInteger(v) || (v as number) < 0) throw new Error(`assertion failed: config ${key}: a price`);
  return v as number;
}

export function readCategory(key: string, id: string, value: unknown): CategoryRecord {
  const r = recordOf(key, value);
  return { category_id: id, name: localised(key, r.name), retired: r.retired === true };
}

export function readItem(key: string, id: string, value: unknown, options: OptionRecord[]): ItemRecord {
  const r = recordOf(key, value);
  if (typeof r.category_id !== 'string' || typeof r.tax_category !== 'string')
    throw new Error(`assertion failed: config ${key}: a category and a tax category`);
  return {
    item_id: id,
    category_id: r.category_id,
    name: localised(key, r.name),
    price_minor: int(key, r.price_minor),
    tax_category: r.tax_category,
    retired: r.retired === true,
    options,
  };
}

export function readOption(key: string, id: string, value: unknown): OptionRecord {
  const r = recordOf(key, value);
  return {
    option_id: id,
    name: localised(key, r.name),
    price_minor: int(key, r.price_minor),
    retired: r.retired === true,
  };
}
