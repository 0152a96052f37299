// The till's cash: the coins and notes a drawer can be counted in, per currency, and a count's
// total. A count names each denomination it found; one the currency does not have is refused
// (a typo in a count must not pass as money). Runs anywhere.

import type { CashCount } from './entry.js';

/** Coins and notes in circulation, in minor units, ascending (ECB, Fed, BoE, SNB, PBoC, BoJ). */
export const DENOMINATIONS: Readonly<Record<string, readonly number[]>> = {
  EUR: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000],
  USD: [1, 5, 10, 25, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000],
  GBP: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000],
  CHF: [5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 100_000],
  CNY: [10, 50, 100, 500, 1_000, 2_000, 5_000, 10_000],
  JPY: [1, 5, 10, 50, 100, 500, 1_000, 2_000, 5_000, 10_000],
};

/** Pieces of one denomination in a count, at most (a drawer, not a vault). */
export const CASH_PIECES_MAX = 100_000;

export function denominationsOf(currency: string): readonly number[] | undefined {
  return Object.hasOwn(DENOMINATIONS, currency) ? DENOMINATIONS[currency] : undefined;
}

/** Why a count is not one (an unknown denomination, one named twice, a count out of range), or null. */
export function countProblem(currency: string, counted: readonly CashCount[]): string | null {
  const known = denominationsOf(currency);
  if (known === undefined) return `no coins and notes are known for ${currency}`;
  const seen = new Set<number>();
  for (const c of counted) {
    if (!known.includes(c.denomination_minor))
      return `${c.denomination_minor} is not a coin or note of ${currency} (they are ${known.join(', ')})`;
    if (seen.has(c.denomination_minor)) return `${c.denomination_minor} is counted twice`;
    seen.add(c.denomination_minor);
    if (!Number.isSafeInteger(c.count) || c.count < 0 || c.count > CASH_PIECES_MAX)
      return `${c.count} pieces of ${c.denomination_minor}: expected 0..${CASH_PIECES_MAX}`;
  }
  return null;
}

export const countTotal = (counted: readonly CashCount[]): number =>
  counted.reduce((s, c) => s + c.denomination_minor * c.count, 0);
