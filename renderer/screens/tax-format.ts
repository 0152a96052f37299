// Tax rates and signed amounts as every screen shows them: "19 %" and "5.5 %" from basis points
// (integers only), and an amount that may be negative (a day of refunds, a cash variance).
import type { Money } from './staff/desk.js';

/** "19", "5.5" from basis points, by integer arithmetic. */
export function percentOf(bp: number): string {
  const hundredths = bp % 100;
  const whole = (bp - hundredths) / 100;
  return hundredths === 0 ? String(whole) : `${whole}.${String(hundredths).padStart(2, '0').replace(/0$/, '')}`;
}

/** An amount with its sign: "−1.50 €" for a negative one. */
export function signedMoney(money: Money, minor: number, currency: string): string {
  return minor < 0 ? `−${money(-minor, currency)}` : money(minor, currency);
}

/** A tip of `bp` basis points of `partMinor`, rounded half up as the host rounds it (for display). */
export function tipPreview(partMinor: number, bp: number): number {
  return Math.floor((2 * partMinor * bp + 10_000) / 20_000);
}
