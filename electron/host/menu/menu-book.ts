// The store's menu as data: categories, items and their options, with prices and tax categories,
// added, changed and retired by a manager, and items marked out of stock ("86") by staff. The
// ledger is its record: each change is one signed `config` entry (menu-records.ts) naming who
// and why, and at start the menu is the fold of those entries. Until the first change the menu
// is the seed (the demo menu); the first change writes the seed out as entries in the same
// transaction, so from then on the ledger alone says what the menu is, whatever the code ships.
//
// A change applies to orders placed after it: an order copies its lines' names and prices when it
// is placed (orders.ts), so a price change never alters an order already placed, nor its payment.
// Retired records are kept (the editor lists them; bringing one back is a change like any other);
// the customer screens see the live ones only.
import type { MenuCategory, MenuChange, MenuEditorView, MenuEvent, MenuItem } from '../../contract/api.js';
import {
  ITEM_OPTIONS_KEPT_MAX,
  ITEM_OPTIONS_MAX,
  MENU_CATEGORIES_KEPT_MAX,
  MENU_CATEGORIES_MAX,
  MENU_ITEMS_KEPT_MAX,
  MENU_ITEMS_MAX,
  TEXT_LENGTH_MAX,
} from '../../contract/api.js';
import type { LedgerStore } from '../../../ledger/store/store.js';
import { ApiFault } from '../fault.js';
import type { TaxTable } from '../orders/pricing.js';
import { checkId, checkName, checkPrice, tooLarge } from './menu-checks.js';
import {
  categoryKey,
  categoryValue,
  itemKey,
  itemValue,
  optionKey,
  optionValue,
  parseMenuKey,
  readCategory,
  readItem,
  readOption,
  SEEDED_KEY,
  stockKey,
  type CategoryRecord,
  type ItemRecord,
  type OptionRecord,
} from './menu-records.js';

/** Listeners on the menu (the transports: one per server, the Electron window), at most. */
export const MENU_LISTENERS_MAX = 8;

/** What the order book reads the menu from (a MenuBook, or a fixed menu in tests). */
export interface MenuSource {
  menu(): { categories: MenuCategory[]; items: MenuItem[] };
}

export interface MenuSeed {
  categories: readonly MenuCategory[];
  items: readonly MenuItem[];
}

type ConfigBody = {
  key: string;
  value: string | number | boolean;
  previous?: string | number | boolean;
  changed_by: string;
  reason: string;
};

export class MenuBook implements MenuSource {
  private categories = new Map<string, CategoryRecord>();
  private items = new Map<string, ItemRecord>();
  private readonly outOfStock = new Set<string>();
  private seeded = false;
  private revisionCount = 0;
  private live: { categories: MenuCategory[]; items: MenuItem[] } | null = null;
  private readonly listeners = new Set<(e: MenuEvent) => void>();

  constructor(
    private readonly store: LedgerStore,
    private readonly seed: MenuSeed,
    /** The store's tax set-up now: an item's tax category must be one of its categories. */
    private readonly tax: () => TaxTable,
  ) {
    this.replay();
  }

  /** The seed, then every menu entry in the ledger's order (the seed is dropped once written out). */
  private replay(): void {
    const entries = [...this.store.entriesOfKind('config')].flatMap(({ entry }) =>
      entry.kind === 'config' ? [entry.body] : [],
    );
    this.seeded = entries.some((b) => b.key === SEEDED_KEY);
    if (!this.seeded) this.loadSeed();
    for (const b of entries) {
      const k = parseMenuKey(b.key);
      if (k === null || k.kind === 'seeded') continue;
      if (k.kind === 'category') this.categories.set(k.category_id, readCategory(b.key, k.category_id, b.value));
      else if (k.kind === 'item') {
        const options = this.items.get(k.item_id)?.options ?? [];
        this.items.set(k.item_id, readItem(b.key, k.item_id, b.value, options));
      } else if (k.kind === 'option') {
        const item = this.items.get(k.item_id);
        if (!item) throw new Error(`assertion failed: config ${b.key}: an option of an item not on the menu`);
        const o = readOption(b.key, k.option_id, b.value);
        const at = item.options.findIndex((x) => x.option_id === o.option_id);
        if (at === -1) item.options.push(o);
        else item.options[at] = o;
      } else if (b.value === false) this.outOfStock.add(k.item_id);
      else this.outOfStock.delete(k.item_id);
    }
  }

  private loadSeed(): void {
    const known = new Set(this.tax().categories.map((c) => c.category_id));
    for (const c of this.seed.categories)
      this.categories.set(c.category_id, { category_id: c.category_id, name: { ...c.name }, retired: false });
    for (const m of this.seed.items) {
      if (!this.categories.has(m.category_id))
        throw new Error(`seed menu item ${m.item_id}: category ${m.category_id} is not on the menu`);
      if (!known.has(m.tax_category))
        throw new Error(
          `seed menu item ${m.item_id}: tax category ${m.tax_category} is not one of the store's (${[...known].join(', ')})`,
        );
      this.items.set(m.item_id, {
        item_id: m.item_id,
        category_id: m.category_id,
        name: { ...m.name },
        price_minor: m.price_minor,
        tax_category: m.tax_category,
        retired: false,
        options: m.options.map((o) => ({ ...o, name: { ...o.name }, retired: false })),
      });
    }
  }

  /** The seed as entries, written once before the first change (in its transaction). */
  private seedEntries(changedBy: string): ConfigBody[] {
    const reason = 'the menu as the kiosk shipped it, written once before the first change';
    const out: ConfigBody[] = [];
    for (const c of this.categories.values())
      out.push({ key: categoryKey(c.category_id), value: categoryValue(c), changed_by: changedBy, reason });
    for (const i of this.items.values()) {
      out.push({ key: itemKey(i.item_id), value: itemValue(i), changed_by: changedBy, reason });
      for (const o of i.options)
        out.push({ key: optionKey(i.item_id, o.option_id), value: optionValue(o), changed_by: changedBy, reason });
    }
    out.push({ key: SEEDED_KEY, value: out.length, changed_by: changedBy, reason });
    return out;
  }

  /** Appends the change (after the seed, the first time), durably, and only then applies it. */
  private write(body: ConfigBody, apply: () => void): number {
    if (typeof body.value === 'string' && body.value.length > TEXT_LENGTH_MAX)
      throw new ApiFault('MENU_TOO_LARGE', `${body.key}: the record is over ${TEXT_LENGTH_MAX} characters as written`);
    const bodies = this.seeded ? [body] : [...this.seedEntries(body.changed_by), body];
    const stored = this.store.appendAll(bodies.map((b) => ({ kind: 'config' as const, body: b })));
    this.seeded = true;
    apply();
    this.live = null;
    this.revisionCount += 1;
    const event: MenuEvent = { revision: this.revisionCount };
    for (const l of this.listeners) l(event);
    return stored.at(-1)!.entry.seq;
  }

  // ---- reading -----------------------------------------------------------------------------

  get revision(): number {
    return this.revisionCount;
  }

  /** What the customer screens and the order builder list: live categories, their live items
   * with their live options, each item marked when it is out of stock. */
  menu(): { categories: MenuCategory[]; items: MenuItem[] } {
    if (this.live) return this.live;
    const cats = [...this.categories.values()].filter((c) => !c.retired);
    const open = new Set(cats.map((c) => c.category_id));
    const items = [...this.items.values()]
      .filter((i) => !i.retired && open.has(i.category_id))
      .map((i): MenuItem => ({
        item_id: i.item_id,
        category_id: i.category_id,
        name: { ...i.name },
        price_minor: i.price_minor,
        tax_category: i.tax_category,
        options: i.options
          .filter((o) => !o.retired)
          .map((o) => ({ option_id: o.option_id, name: { ...o.name }, price_minor: o.price_minor })),
        ...(this.outOfStock.has(i.item_id) ? { out_of_stock: true } : {}),
      }));
    this.live = { categories: cats.map((c) => ({ category_id: c.category_id, name: { ...c.name } })), items };
    return this.live;
  }

  /** Everything, retired records too, for the manager's editor. */
  editorView(): MenuEditorView {
    return {
      categories: [...this.categories.values()].map((c) => structuredClone(c)),
      items: [...this.items.values()].map((i) => ({
        ...structuredClone(i),
        in_stock: !this.outOfStock.has(i.item_id),
      })),
      tax_categories: this.tax().categories.map((c) => c.category_id),
      revision: this.revisionCount,
    };
  }

  onChange(listener: (e: MenuEvent) => void): () => void {
    if (this.listeners.size >= MENU_LISTENERS_MAX)
      throw new RangeError(`more than ${MENU_LISTENERS_MAX} listeners on the menu`);
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  // ---- changing ----------------------------------------------------------------------------

  /** One manager's change, checked whole before anything is written; returns the entry's seq. */
  change(c: MenuChange, changedBy: string, reason: string): number {
    if (c.kind === 'category') return this.changeCategory(c, changedBy, reason);
    if (c.kind === 'item') return this.changeItem(c, changedBy, reason);
    return this.changeOption(c, changedBy, reason);
  }

  private changeCategory(c: Extract<MenuChange, { kind: 'category' }>, by: string, reason: string): number {
    const id = checkId('category_id', c.category_id);
    const before = this.categories.get(id);
    const next: CategoryRecord = { category_id: id, name: checkName('name', c.name), retired: c.retired };
    this.existence('category', id, before, c.op);
    const live = [...this.categories.values()].filter((x) => !x.retired && x.category_id !== id).length;
    if (!before && this.categories.size >= MENU_CATEGORIES_KEPT_MAX)
      tooLarge('categories, retired ones too', MENU_CATEGORIES_KEPT_MAX);
    if (!next.retired && live >= MENU_CATEGORIES_MAX) tooLarge('live categories', MENU_CATEGORIES_MAX);
    if (next.retired) {
      const using = [...this.items.values()].filter((i) => !i.retired && i.category_id === id);
      if (using.length > 0)
        throw new ApiFault(
          'MENU_CATEGORY_IN_USE',
          `category ${id} still has ${using.length} live item(s) (${using
            .slice(0, 5)
            .map((i) => i.item_id)
            .join(', ')}): retire or move them first`,
        );
    }
    if (before && categoryValue(before) === categoryValue(next)) unchanged(`category ${id}`);
    return this.write(
      {
        key: categoryKey(id),
        value: categoryValue(next),
        ...previous(before && categoryValue(before)),
        changed_by: by,
        reason,
      },
      () => this.categories.set(id, next),
    );
  }

  private changeItem(c: Extract<MenuChange, { kind: 'item' }>, by: string, reason: string): number {
    const id = checkId('item_id', c.item_id);
    const before = this.items.get(id);
    const next: ItemRecord = {
      item_id: id,
      category_id: checkId('category_id', c.category_id),
      name: checkName('name', c.name),
      price_minor: checkPrice('price_minor', c.price_minor, 1),
      tax_category: c.tax_category,
      retired: c.retired,
      options: before?.options ?? [],
    };
    this.existence('item', id, before, c.op);
    const cat = this.categories.get(next.category_id);
    if (!cat)
      throw new ApiFault(
        'MENU_CATEGORY_UNKNOWN',
        `category_id: no category ${JSON.stringify(next.category_id)} (the menu's are ${[...this.categories.keys()].join(', ')})`,
      );
    if (cat.retired && !next.retired)
      throw new ApiFault('MENU_CATEGORY_RETIRED', `category_id: ${cat.category_id} is retired: bring it back first`);
    const known = this.tax().categories.map((x) => x.category_id);
    if (!known.includes(next.tax_category))
      throw new ApiFault(
        'TAX_CATEGORY_UNKNOWN',
        `tax_category: ${JSON.stringify(next.tax_category.slice(0, 64))} is not one of the store's tax categories (${known.join(', ')})`,
      );
    const live = [...this.items.values()].filter((x) => !x.retired && x.item_id !== id).length;
    if (!before && this.items.size >= MENU_ITEMS_KEPT_MAX) tooLarge('items, retired ones too', MENU_ITEMS_KEPT_MAX);
    if (!next.retired && live >= MENU_ITEMS_MAX) tooLarge('live items', MENU_ITEMS_MAX);
    if (before && itemValue(before) === itemValue(next)) unchanged(`item ${id}`);
    return this.write(
      { key: itemKey(id), value: itemValue(next), ...previous(before && itemValue(before)), changed_by: by, reason },
      () => this.items.set(id, next),
    );
  }

  private changeOption(c: Extract<MenuChange, { kind: 'option' }>, by: string, reason: string): number {
    const itemId = checkId('item_id', c.item_id);
    const id = checkId('option_id', c.option_id);
    const next: OptionRecord = {
      option_id: id,
      name: checkName('name', c.name),
      price_minor: checkPrice('price_minor', c.price_minor, 0),
      retired: c.retired,
    };
    const item = this.requireItem(itemId);
    const before = item.options.find((o) => o.option_id === id);
    this.existence('option', `${itemId}/${id}`, before, c.op);
    const live = item.options.filter((o) => !o.retired && o.option_id !== id).length;
    if (!before && item.options.length >= ITEM_OPTIONS_KEPT_MAX)
      tooLarge(`options on ${itemId}, retired ones too`, ITEM_OPTIONS_KEPT_MAX);
    if (!next.retired && live >= ITEM_OPTIONS_MAX) tooLarge(`live options on ${itemId}`, ITEM_OPTIONS_MAX);
    if (before && optionValue(before) === optionValue(next)) unchanged(`option ${itemId}/${id}`);
    return this.write(
      {
        key: optionKey(itemId, id),
        value: optionValue(next),
        ...previous(before && optionValue(before)),
        changed_by: by,
        reason,
      },
      () => {
        const at = item.options.findIndex((o) => o.option_id === id);
        if (at === -1) item.options.push(next);
        else item.options[at] = next;
      },
    );
  }

  /** Staff mark an item out of stock ("86") or back. Null when it already was so: nothing written. */
  setStock(itemId: string, inStock: boolean, by: string, reason: string): number | null {
    const id = checkId('item_id', itemId);
    this.requireItem(id);
    if (this.outOfStock.has(id) !== inStock) return null;
    return this.write({ key: stockKey(id), value: inStock, previous: !inStock, changed_by: by, reason }, () => {
      if (inStock) this.outOfStock.delete(id);
      else this.outOfStock.add(id);
    });
  }

  /** A live item (an option on a retired one, or a retired one's stock, is refused). */
  private requireItem(id: string): ItemRecord {
    const item = this.items.get(id);
    if (!item) throw new ApiFault('MENU_ITEM_UNKNOWN', `item_id: no menu item ${JSON.stringify(id)}`);
    if (item.retired) throw new ApiFault('MENU_ITEM_RETIRED', `item ${id} is retired: bring it back first`);
    return item;
  }

  /** add: the id must be new (MENU_ID_TAKEN, retired ones too); change: it must exist. */
  private existence(what: 'category' | 'item' | 'option', id: string, before: unknown, op: 'add' | 'change'): void {
    if (op === 'add' && before !== undefined)
      throw new ApiFault('MENU_ID_TAKEN', `${what} ${id} is already on the menu (perhaps retired): change it instead`);
    if (op === 'change' && before === undefined)
      throw new ApiFault(
        what === 'category' ? 'MENU_CATEGORY_UNKNOWN' : what === 'item' ? 'MENU_ITEM_UNKNOWN' : 'MENU_OPTION_UNKNOWN',
        `no ${what} ${id} on the menu to change: add it instead`,
      );
  }
}

const previous = (v: string | undefined): { previous?: string } => (v === undefined ? {} : { previous: v });

function unchanged(what: string): never {
  throw new ApiFault('MENU_UNCHANGED', `${what}: the change is the same as the menu already has; nothing written`);
}
