// Takings per currency and tax rate, and tips per currency, summed from signed money entries:
// a payment adds its per-rate amounts and tip, a refund or void takes its own away. One sum for
// the v2 day close (rules-shift.ts), the kiosk's day report and the server's daily report, in
// one order (currency, rate id, rate), so that the three agree to the row. Runs anywhere.

import type { DayRateTotal, Entry } from './entry.js';
import type { RateTotal } from './sale.js';

export class RateSums {
  private readonly rates = new Map<string, DayRateTotal>();
  private readonly tipsByCurrency = new Map<string, number>();

  /** Adds (sign 1) or takes away (sign -1) per-rate amounts in `currency`. */
  addRates(currency: string, list: readonly RateTotal[], sign: 1 | -1): void {
    for (const r of list) {
      const key = `${currency}\u0000${r.rate_id}\u0000${String(r.rate_bp).padStart(5, '0')}`;
      const t = this.rates.get(key) ?? {
        currency,
        rate_id: r.rate_id,
        rate_bp: r.rate_bp,
        net_minor: 0,
        tax_minor: 0,
        gross_minor: 0,
      };
      t.net_minor += sign * r.net_minor;
      t.tax_minor += sign * r.tax_minor;
      t.gross_minor += sign * r.gross_minor;
      this.rates.set(key, t);
    }
  }

  addTip(currency: string, tipMinor: number, sign: 1 | -1): void {
    if (tipMinor !== 0) this.tipsByCurrency.set(currency, (this.tipsByCurrency.get(currency) ?? 0) + sign * tipMinor);
  }

  /** A payment, refund or void: its per-rate amounts and its tip (other kinds add nothing). */
  addEntry(e: Entry): void {
    if (e.kind !== 'payment' && e.kind !== 'refund' && e.kind !== 'void') return;
    const sign = e.kind === 'payment' ? 1 : -1;
    this.addRates(e.body.currency, e.body.by_rate ?? [], sign);
    this.addTip(e.body.currency, e.body.tip_minor ?? 0, sign);
  }

  byRate(): DayRateTotal[] {
    return [...this.rates.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, t]) => t);
  }

  tips(): { currency: string; tips_minor: number }[] {
    return [...this.tipsByCurrency.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([currency, tips_minor]) => ({ currency, tips_minor }));
  }
}
