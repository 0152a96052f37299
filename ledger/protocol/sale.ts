// What was sold, priced: an order's lines with their tax rates, its discounts, and the totals
// per rate, in integer minor units. The kiosk prices every sale with priceSale(); the ledger's
// rules price the signed sale again from its inputs and refuse one whose amounts differ, so
// the store, `verify` and the settlement server all re-derive the same numbers. Runs anywhere.
//
// Pricing: `inclusive` (European menus: a price is gross, the tax is inside it) or `exclusive`
// (US: a price is net, the tax is added). Rounding: per `line` (each line's tax is rounded and
// the rates sum the lines) or per `receipt` (each rate's tax is rounded once, on the sum of its
// lines). Rounding is half up, on exact integers (BigInt): never a float.
//
// Discounts come off a line (its own) or the order (allocated over the lines in proportion to
// what is left of each, the largest remainders taking the odd units, ties to the earlier line),
// so every line knows its taxable base and a refund of one item knows what it cost.

import { AMOUNT_MINOR_MAX } from './money.js';

/** A rate is 0..100 %, in hundredths of a percent (basis points): 19 % is 1900, 5.5 % is 550. */
export const RATE_BP_MAX = 10_000;
export const SALE_LINES_MAX = 50;
export const LINE_OPTIONS_MAX = 8;
export const LINE_QUANTITY_MAX = 99;
export const SALE_DISCOUNTS_MAX = 20;
/** Distinct rates in one sale (and one day's close, per currency). */
export const SALE_RATES_MAX = 8;
/** An item's name as the receipt prints it (in the store's receipt language). */
export const LINE_NAME_LENGTH_MAX = 80;
export const DISCOUNT_REASON_LENGTH_MAX = 200;

export const PRICING_MODES = ['inclusive', 'exclusive'] as const;
export type Pricing = (typeof PRICING_MODES)[number];
export const ROUNDING_MODES = ['line', 'receipt'] as const;
export type Rounding = (typeof ROUNDING_MODES)[number];
/** Eat-in and take-away may tax the same item differently (Odoo's fiscal positions). */
export const SERVICE_MODES = ['eat_in', 'take_away'] as const;
export type Service = (typeof SERVICE_MODES)[number];

export interface LineOption {
  option_id: string;
  price_minor: number;
}

export interface SaleLine {
  item_id: string;
  name: string;
  quantity: number;
  /** The item's price plus its options', in the sale's pricing (gross if inclusive, net if exclusive). */
  unit_minor: number;
  options: LineOption[];
  tax_category: string;
  /** The rate's id (the receipt's tax letter, "A") and its value when the order was placed. */
  rate_id: string;
  rate_bp: number;
  /** quantity x unit_minor. */
  amount_minor: number;
  /** The line's own discounts plus its share of the order's. */
  discount_minor: number;
  /** Rounding per line only: this line's tax. */
  tax_minor?: number;
}

export interface SaleDiscount {
  /** The line it comes off (index into lines); absent for a discount of the whole order. */
  line?: number;
  kind: 'percent' | 'amount';
  /** Basis points of the line's amount (or the order's subtotal) for percent; minor units for amount. */
  value: number;
  amount_minor: number;
  reason: string;
  /** Who gave it ("cashier:bo", or the manager who approved it on the spot). */
  approved_by: string;
}

export interface RateTotal {
  rate_id: string;
  rate_bp: number;
  net_minor: number;
  tax_minor: number;
  gross_minor: number;
}

export interface Sale {
  pricing: Pricing;
  rounding: Rounding;
  service: Service;
  lines: SaleLine[];
  discounts: SaleDiscount[];
  /** One per rate of the lines, sorted by rate_id. */
  by_rate: RateTotal[];
  /** The sum of the rates' gross: what the customer owes, before any tip. */
  total_minor: number;
}

/** A line as the order book gives it: everything but what priceSale() computes. */
export type LineInput = Omit<SaleLine, 'amount_minor' | 'discount_minor' | 'tax_minor'>;
export type DiscountInput = Omit<SaleDiscount, 'amount_minor'>;
export interface SaleInput {
  pricing: Pricing;
  rounding: Rounding;
  service: Service;
  lines: LineInput[];
  discounts: DiscountInput[];
}

export type SaleErrorCode =
  | 'SALE_EMPTY'
  | 'SALE_TOO_LARGE'
  | 'SALE_LINE_INVALID'
  | 'SALE_RATE_INVALID'
  | 'SALE_DISCOUNT_INVALID'
  | 'SALE_DISCOUNT_EXCEEDS_LINE'
  | 'SALE_DISCOUNT_EXCEEDS_ORDER';

/** A sale that cannot be priced: an operating error for the kiosk, a bad entry for verify. */
export class SaleError extends Error {
  constructor(
    readonly code: SaleErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SaleError';
  }
}

// ---- exact arithmetic --------------------------------------------------------------------------

/** a / b rounded half up, for a >= 0 and b > 0. */
export function divRound(a: bigint, b: bigint): bigint {
  return (2n * a + b) / (2n * b);
}

const num = (v: bigint): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new SaleError('SALE_TOO_LARGE', `an amount of ${v} minor units is out of range`);
  return n;
};

/** The tax inside `base` (inclusive) or on top of it (exclusive), rounded half up. */
export function taxOf(baseMinor: number, rateBp: number, pricing: Pricing): number {
  const base = BigInt(baseMinor);
  const bp = BigInt(rateBp);
  return num(pricing === 'inclusive' ? divRound(base * bp, 10_000n + bp) : divRound(base * bp, 10_000n));
}

/**
 * Splits `total` over `weights` in proportion, each share floor(total x w / W) and the units
 * left over to the largest remainders (ties to the lower index). Shares sum to `total`; a share
 * never exceeds its weight when total <= W.
 */
export function allocate(totalMinor: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + BigInt(w), 0n);
  if (totalMinor === 0 || sum === 0n) return weights.map(() => 0);
  const total = BigInt(totalMinor);
  const shares = weights.map((w) => (total * BigInt(w)) / sum);
  const remainders = weights.map((w, i) => ({ i, r: (total * BigInt(w)) % sum }));
  let left = total - shares.reduce((s, x) => s + x, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    shares[i]! += 1n;
    left -= 1n;
  }
  return shares.map(num);
}

/** round(whole x part / of), cumulative shares: share(a) + share(b) = share(a + b) for portions
 * counted from the start, and share(of) = whole. */
export function cumulativeShare(wholeMinor: number, part: number, of: number): number {
  if (part === of) return wholeMinor;
  if (of === 0) return 0;
  return num(divRound(BigInt(wholeMinor) * BigInt(part), BigInt(of)));
}

// ---- pricing ---------------------------------------------------------------------------------

function checkInput(input: SaleInput): void {
  const bad = (code: SaleErrorCode, why: string): never => {
    throw new SaleError(code, why);
  };
  if (input.lines.length === 0) bad('SALE_EMPTY', 'a sale needs at least one line');
  if (input.lines.length > SALE_LINES_MAX) bad('SALE_TOO_LARGE', `more than ${SALE_LINES_MAX} lines`);
  if (input.discounts.length > SALE_DISCOUNTS_MAX) bad('SALE_TOO_LARGE', `more than ${SALE_DISCOUNTS_MAX} discounts`);
  const rates = new Map<string, number>();
  input.lines.forEach((l, i) => {
    if (!Number.isSafeInteger(l.quantity) || l.quantity < 1 || l.quantity > LINE_QUANTITY_MAX)
      bad('SALE_LINE_INVALID', `line ${i}: quantity ${l.quantity}, expected 1..${LINE_QUANTITY_MAX}`);
    if (!Number.isSafeInteger(l.unit_minor) || l.unit_minor < 0 || l.unit_minor > AMOUNT_MINOR_MAX)
      bad('SALE_LINE_INVALID', `line ${i}: unit price ${l.unit_minor}, expected 0..${AMOUNT_MINOR_MAX} minor units`);
    const options = l.options.reduce((s, o) => s + o.price_minor, 0);
    if (options > l.unit_minor)
      bad('SALE_LINE_INVALID', `line ${i}: its options cost ${options}, more than its unit price ${l.unit_minor}`);
    if (!Number.isSafeInteger(l.rate_bp) || l.rate_bp < 0 || l.rate_bp > RATE_BP_MAX)
      bad('SALE_RATE_INVALID', `line ${i}: rate ${l.rate_bp} bp, expected 0..${RATE_BP_MAX} (0..100 %)`);
    const seen = rates.get(l.rate_id);
    if (seen !== undefined && seen !== l.rate_bp)
      bad('SALE_RATE_INVALID', `rate ${l.rate_id} is ${seen} bp on one line and ${l.rate_bp} bp on line ${i}`);
    rates.set(l.rate_id, l.rate_bp);
  });
  if (rates.size > SALE_RATES_MAX) bad('SALE_TOO_LARGE', `${rates.size} rates, at most ${SALE_RATES_MAX}`);
  input.discounts.forEach((d, i) => {
    if (d.line !== undefined && (!Number.isSafeInteger(d.line) || d.line < 0 || d.line >= input.lines.length))
      bad('SALE_DISCOUNT_INVALID', `discount ${i}: line ${d.line} is not a line of the sale`);
    const max = d.kind === 'percent' ? RATE_BP_MAX : AMOUNT_MINOR_MAX;
    if (!Number.isSafeInteger(d.value) || d.value < 1 || d.value > max)
      bad('SALE_DISCOUNT_INVALID', `discount ${i}: ${d.kind} ${d.value}, expected 1..${max}`);
  });
}

/** The discount's amount off `of` minor units. */
const discountAmount = (d: DiscountInput, ofMinor: number): number =>
  d.kind === 'percent' ? num(divRound(BigInt(ofMinor) * BigInt(d.value), 10_000n)) : d.value;

/**
 * Prices a sale: each line's amount and discount (its own and its share of the order's), each
 * line's tax when rounding per line, the totals per rate and the total. Throws SaleError for a
 * discount above its line or the order, a rate outside 0..100 %, or a sale that is not one.
 */
export function priceSale(input: SaleInput): Sale {
  checkInput(input);
  const amounts = input.lines.map((l) => num(BigInt(l.unit_minor) * BigInt(l.quantity)));
  const lineOff = amounts.map(() => 0);
  const discounts: SaleDiscount[] = [];
  for (const d of input.discounts) {
    if (d.line === undefined) continue;
    const off = discountAmount(d, amounts[d.line]!);
    if (off < 1) throw new SaleError('SALE_DISCOUNT_INVALID', `a discount of ${d.value} takes nothing off`);
    lineOff[d.line]! += off;
    if (lineOff[d.line]! > amounts[d.line]!)
      throw new SaleError(
        'SALE_DISCOUNT_EXCEEDS_LINE',
        `line ${d.line} (${input.lines[d.line]!.item_id}): discounts of ${lineOff[d.line]} on an amount of ${amounts[d.line]}`,
      );
  }
  const afterLine = amounts.map((a, i) => a - lineOff[i]!);
  const subtotal = afterLine.reduce((s, a) => s + a, 0);
  let orderOff = 0;
  for (const d of input.discounts) if (d.line === undefined) orderOff += discountAmount(d, subtotal);
  if (orderOff >= subtotal && input.discounts.some((d) => d.line === undefined))
    throw new SaleError(
      'SALE_DISCOUNT_EXCEEDS_ORDER',
      `order discounts of ${orderOff} on a subtotal of ${subtotal}: something must be left to pay`,
    );
  const orderShares = allocate(orderOff, afterLine);
  // Each discount's own amount, in the order given (order discounts on the subtotal after line discounts).
  for (const d of input.discounts) {
    const off = discountAmount(d, d.line === undefined ? subtotal : amounts[d.line]!);
    if (off < 1) throw new SaleError('SALE_DISCOUNT_INVALID', `a discount of ${d.value} takes nothing off`);
    discounts.push({ ...d, amount_minor: off });
  }
  const lines: SaleLine[] = input.lines.map((l, i) => {
    const line: SaleLine = { ...l, amount_minor: amounts[i]!, discount_minor: lineOff[i]! + orderShares[i]! };
    if (input.rounding === 'line') line.tax_minor = taxOf(baseOf(line), l.rate_bp, input.pricing);
    return line;
  });
  const byRate = ratesOf(lines, input.pricing, input.rounding);
  const total = byRate.reduce((s, r) => s + r.gross_minor, 0);
  if (total <= 0)
    throw new SaleError('SALE_DISCOUNT_EXCEEDS_ORDER', `the discounts leave ${total} to pay: something must be left`);
  if (total > AMOUNT_MINOR_MAX) throw new SaleError('SALE_TOO_LARGE', `a total of ${total} minor units`);
  return {
    pricing: input.pricing,
    rounding: input.rounding,
    service: input.service,
    lines,
    discounts,
    by_rate: byRate,
    total_minor: total,
  };
}

/** What a line is taxed on, in the sale's pricing: its amount less its discounts. */
export const baseOf = (l: Pick<SaleLine, 'amount_minor' | 'discount_minor'>): number =>
  l.amount_minor - l.discount_minor;

/** The lines' totals per rate, sorted by rate_id. */
function ratesOf(lines: readonly SaleLine[], pricing: Pricing, rounding: Rounding): RateTotal[] {
  const byId = new Map<string, { rate_bp: number; base: number; tax: number }>();
  for (const l of lines) {
    const r = byId.get(l.rate_id) ?? { rate_bp: l.rate_bp, base: 0, tax: 0 };
    r.base += baseOf(l);
    r.tax += l.tax_minor ?? 0;
    byId.set(l.rate_id, r);
  }
  return [...byId.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([rateId, r]) => {
      const tax = rounding === 'line' ? r.tax : taxOf(r.base, r.rate_bp, pricing);
      const gross = pricing === 'inclusive' ? r.base : r.base + tax;
      return { rate_id: rateId, rate_bp: r.rate_bp, net_minor: gross - tax, tax_minor: tax, gross_minor: gross };
    });
}

/** The inputs a signed sale was priced from (what the rules price again). */
export function inputOf(sale: Sale): SaleInput {
  return {
    pricing: sale.pricing,
    rounding: sale.rounding,
    service: sale.service,
    lines: sale.lines.map(({ amount_minor: _a, discount_minor: _d, tax_minor: _t, ...l }) => l),
    discounts: sale.discounts.map(({ amount_minor: _a, ...d }) => d),
  };
}
