// Pricing an order: each line's tax rate from its item's tax category (eaten in or taken away,
// Odoo's fiscal positions), its discounts, and the totals per rate, by the ledger's own
// priceSale(), so that the sale the kiosk signs is the one the rules price again. And the split
// of a bill: what the next part pays.
import { cumulativeShare, priceSale, SaleError, type Sale, type SaleInput } from '../../../ledger/protocol/sale.js';
import * as sale from '../../../ledger/protocol/sale.js';
import type { Language, MenuCategory, MenuItem, Order } from '../../contract/api.js';
import {
  RATE_BP_MAX,
  SALE_DISCOUNTS_MAX,
  SALE_RATES_MAX,
  type ApiErrorCode,
  type OrderDiscount,
  type OrderLine,
} from '../../contract/api.js';
import { ApiFault } from '../fault.js';

// The contract's bounds are the ledger's (the contract imports nothing of the ledger).
if (
  RATE_BP_MAX !== sale.RATE_BP_MAX ||
  SALE_RATES_MAX !== sale.SALE_RATES_MAX ||
  SALE_DISCOUNTS_MAX !== sale.SALE_DISCOUNTS_MAX
)
  throw new Error('assertion failed: the contract and the ledger disagree on the bounds of a sale');

export type Service = sale.Service;
export interface TaxRate {
  rate_id: string;
  rate_bp: number;
}
export interface TaxCategory {
  category_id: string;
  eat_in: string;
  take_away: string;
}
/** The store's tax set-up as it stands (config, with the manager's changes). */
export interface TaxTable {
  pricing: sale.Pricing;
  rounding: sale.Rounding;
  service: Service;
  rates: TaxRate[];
  categories: TaxCategory[];
}

export function rateFor(table: TaxTable, categoryId: string, service: Service): TaxRate {
  const category = table.categories.find((c) => c.category_id === categoryId);
  if (!category)
    throw new ApiFault(
      'TAX_CATEGORY_UNKNOWN',
      `tax category ${JSON.stringify(categoryId)} is not one of the store's (${table.categories.map((c) => c.category_id).join(', ')})`,
    );
  const rate = table.rates.find((r) => r.rate_id === category[service]);
  if (!rate)
    throw new Error(`assertion failed: category ${categoryId} names rate ${category[service]}, which is not set up`);
  return rate;
}

const FAULT_OF: Record<sale.SaleErrorCode, ApiErrorCode> = {
  SALE_EMPTY: 'ORDER_EMPTY',
  SALE_TOO_LARGE: 'API_BAD_REQUEST',
  SALE_LINE_INVALID: 'API_BAD_REQUEST',
  SALE_RATE_INVALID: 'TAX_RATE_INVALID',
  SALE_DISCOUNT_INVALID: 'DISCOUNT_INVALID',
  SALE_DISCOUNT_EXCEEDS_LINE: 'DISCOUNT_EXCEEDS_LINE',
  SALE_DISCOUNT_EXCEEDS_ORDER: 'DISCOUNT_EXCEEDS_ORDER',
};

/** Runs `f`, answering a SaleError with its operating error's code. */
export function asFault<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof SaleError) throw new ApiFault(FAULT_OF[err.code], err.message);
    throw err;
  }
}

/** The name a signed line carries: the item's, in the store's receipt language. */
const signedName = (l: OrderLine, lang: Language): string =>
  (l.name[lang] || l.name.en).slice(0, sale.LINE_NAME_LENGTH_MAX) || l.item_id;

/** What the ledger prices an order from. Only for an order priced with tax (pricing set). */
export function saleInputOf(o: Order, lang: Language, discounts: readonly OrderDiscount[] = o.discounts): SaleInput {
  if (o.pricing === null || o.rounding === null)
    throw new Error(`assertion failed: order ${o.order_id} was placed before tax was priced`);
  return {
    pricing: o.pricing,
    rounding: o.rounding,
    service: o.service,
    lines: o.lines.map((l) => ({
      item_id: l.item_id,
      name: signedName(l, lang),
      quantity: l.quantity,
      unit_minor: l.unit_minor,
      options: l.options.map((x) => ({ option_id: x.option_id, price_minor: x.price_minor })),
      tax_category: l.tax_category!,
      rate_id: l.rate_id!,
      rate_bp: l.rate_bp!,
    })),
    discounts: discounts.map((d) => ({
      ...(d.line === null ? {} : { line: d.line }),
      kind: d.kind,
      value: d.value,
      reason: d.reason,
      approved_by: d.approved_by,
    })),
  };
}

/** The order's sale, priced (SaleError answered as its fault). */
export const saleOf = (o: Order, lang: Language, discounts?: readonly OrderDiscount[]): Sale =>
  asFault(() => priceSale(saleInputOf(o, lang, discounts)));

/** Writes the priced sale onto the order: each line's discount and tax, the discounts' amounts, the rates, the total.
 * `given` are the discounts it was priced with (in the sale's order): when each was given stays with it. */
export function applySale(o: Order, s: Sale, given: readonly OrderDiscount[] = o.discounts): void {
  s.lines.forEach((l, i) => {
    const line = o.lines[i]!;
    line.discount_minor = l.discount_minor;
    line.tax_minor = l.tax_minor ?? null;
  });
  o.discounts = s.discounts.map((d, i) => ({
    line: d.line ?? null,
    kind: d.kind,
    value: d.value,
    amount_minor: d.amount_minor,
    reason: d.reason,
    approved_by: d.approved_by,
    given_at_ms: given[i]?.given_at_ms ?? 0,
  }));
  o.by_rate = s.by_rate;
  o.total_minor = s.total_minor;
  o.next_part_minor = nextPartMinor(o);
}

/** What the next payment pays (tips aside): the next equal share of a split bill, or all that is left. */
export function nextPartMinor(o: Order): number {
  const due = o.total_minor - o.paid_minor;
  if (o.split_shares === null || o.parts.length >= o.split_shares - 1) return due;
  const k = o.parts.length;
  const share =
    cumulativeShare(o.total_minor, k + 1, o.split_shares) - cumulativeShare(o.total_minor, k, o.split_shares);
  return Math.min(share, due);
}

/** A menu fixed in code (a test's, or the demo's before the menu book): every item's category is on
 * the menu and its tax category is one of the store's. A wrong one is the programmer's mistake. */
export function checkFixedMenu(menu: MenuItem[], categories: MenuCategory[], tax: TaxTable): void {
  for (const m of menu) {
    if (!categories.some((c) => c.category_id === m.category_id))
      throw new Error(`menu item ${m.item_id}: category ${m.category_id} is not on the menu`);
    if (!tax.categories.some((c) => c.category_id === m.tax_category))
      throw new Error(
        `menu item ${m.item_id}: tax category ${m.tax_category} is not one of the store's (tax.categories: ${tax.categories.map((c) => c.category_id).join(', ')})`,
      );
  }
}
