// Parts of a priced sale, and parts of a payment: what a split payment pays of its sale, and
// what a refund or a void takes back of its payment, per rate. Runs anywhere.
//
// Everything is counted in gross per rate, cumulatively, so that the parts of a whole always sum
// to it exactly, whatever the rounding:
// - a part by amount is spread over the rates in proportion to what is left of each (allocate());
// - a part by items takes k more units of a line: the line's gross after t + k units less after
//   t units, each rounded half up (cumulativeShare), so all its units together are the line;
// - the tax of a part is the reference's tax at the gross taken after it, less at the gross
//   taken before it (again cumulative), so the last part takes exactly the tax that is left.
// A line's gross is its base when prices include tax, its base plus its tax when rounding per
// line, and its share of its rate's gross by base when rounding per receipt.

import { allocate, baseOf, cumulativeShare, SaleError, type RateTotal, type Sale } from './sale.js';

/** Units of one line of the sale that a part pays for or a refund takes back. */
export interface ItemTake {
  line: number;
  quantity: number;
}

/** Gross taken so far per rate_id. */
export type Taken = ReadonlyMap<string, number>;

/** Each line's gross (see above); they sum to the sale's total. */
export function lineGrosses(sale: Sale): number[] {
  if (sale.pricing === 'inclusive') return sale.lines.map(baseOf);
  if (sale.rounding === 'line') return sale.lines.map((l) => baseOf(l) + (l.tax_minor ?? 0));
  const out = sale.lines.map(() => 0);
  for (const rate of sale.by_rate) {
    const idx = sale.lines.flatMap((l, i) => (l.rate_id === rate.rate_id ? [i] : []));
    const shares = allocate(
      rate.gross_minor,
      idx.map((i) => baseOf(sale.lines[i]!)),
    );
    idx.forEach((i, k) => (out[i] = shares[k]!));
  }
  return out;
}

/** What is left of each rate of `ref` after `taken`. */
export function leftByRate(ref: readonly RateTotal[], taken: Taken): RateTotal[] {
  return ref.map((r) => {
    const g = taken.get(r.rate_id) ?? 0;
    const taxTaken = cumulativeShare(r.tax_minor, g, r.gross_minor);
    const gross = r.gross_minor - g;
    const tax = r.tax_minor - taxTaken;
    return { ...r, gross_minor: gross, tax_minor: tax, net_minor: gross - tax };
  });
}

/** The per-rate totals of taking `gross` (per rate_id) of `ref` after `taken`: each rate's tax by
 * cumulative share. Rates taken from are listed, sorted by rate_id; none may take more than is left. */
export function rateTotalsOf(ref: readonly RateTotal[], taken: Taken, gross: Taken): RateTotal[] {
  const out: RateTotal[] = [];
  for (const r of ref) {
    const g = gross.get(r.rate_id) ?? 0;
    if (g === 0) continue;
    const before = taken.get(r.rate_id) ?? 0;
    if (g < 0 || before + g > r.gross_minor)
      throw new SaleError(
        'SALE_DISCOUNT_INVALID',
        `rate ${r.rate_id}: taking ${g} after ${before} of ${r.gross_minor}`,
      );
    const tax =
      cumulativeShare(r.tax_minor, before + g, r.gross_minor) - cumulativeShare(r.tax_minor, before, r.gross_minor);
    out.push({ rate_id: r.rate_id, rate_bp: r.rate_bp, net_minor: g - tax, tax_minor: tax, gross_minor: g });
  }
  for (const id of gross.keys())
    if (!ref.some((r) => r.rate_id === id) && (gross.get(id) ?? 0) !== 0)
      throw new SaleError('SALE_RATE_INVALID', `rate ${id} is not a rate of what is taken from`);
  return out;
}

/** Taking `amountMinor` (gross, at most what is left) spread over the rates by what is left of each. */
export function takeAmount(ref: readonly RateTotal[], taken: Taken, amountMinor: number): RateTotal[] {
  const left = leftByRate(ref, taken);
  const total = left.reduce((s, r) => s + r.gross_minor, 0);
  if (amountMinor < 0 || amountMinor > total)
    throw new SaleError('SALE_DISCOUNT_INVALID', `taking ${amountMinor} of the ${total} left`);
  const shares = allocate(
    amountMinor,
    left.map((r) => r.gross_minor),
  );
  return rateTotalsOf(ref, taken, new Map(left.map((r, i) => [r.rate_id, shares[i]!])));
}

/** The gross per rate of taking `items` of the sale's lines, after `qtyTaken` units of each line
 * were taken before (by earlier parts, or earlier refunds). Refuses more units than a line has
 * (code SALE_LINE_INVALID: the caller names it). */
export function itemsGross(
  sale: Sale,
  grosses: readonly number[],
  qtyTaken: readonly number[],
  items: readonly ItemTake[],
): Map<string, number> {
  const out = new Map<string, number>();
  const seen = new Set<number>();
  for (const it of items) {
    const line = sale.lines[it.line];
    if (line === undefined || seen.has(it.line))
      throw new SaleError('SALE_LINE_INVALID', `line ${it.line} is not a line of the sale, or named twice`);
    seen.add(it.line);
    const before = qtyTaken[it.line] ?? 0;
    if (it.quantity < 1 || before + it.quantity > line.quantity)
      throw new SaleError(
        'SALE_LINE_INVALID',
        `line ${it.line} (${line.item_id}): ${it.quantity} more of ${line.quantity} sold, ${before} taken already`,
      );
    const g = grosses[it.line]!;
    const portion = cumulativeShare(g, before + it.quantity, line.quantity) - cumulativeShare(g, before, line.quantity);
    out.set(line.rate_id, (out.get(line.rate_id) ?? 0) + portion);
  }
  return out;
}

export const sumGross = (rates: readonly RateTotal[]): number => rates.reduce((s, r) => s + r.gross_minor, 0);

/** Adds the gross of `rates` to `taken` (in place). */
export function addTaken(taken: Map<string, number>, rates: readonly RateTotal[]): void {
  for (const r of rates) taken.set(r.rate_id, (taken.get(r.rate_id) ?? 0) + r.gross_minor);
}
