// The store's VAT as a manager keeps it: the rates (a letter and a percentage: A 19 %, B 7 %) and
// which rate each tax category takes eaten in and taken away. The configured table, with every
// change recorded in the ledger replayed over it; each change is a signed `config` entry
// (`tax.rate.<id>` = basis points, `tax.category.<id>.eat-in|take-away` = a rate id) naming who and why.
// A change applies to orders placed after it: an order keeps the rate it was placed at.
import type { LedgerStore } from '../../../ledger/store/store.js';
import { RATE_BP_MAX, SERVICE_MODES } from '../../../ledger/protocol/sale.js';
import type { KioskConfig } from '../../config.js';
import { ApiFault } from '../fault.js';
import type { Service, TaxTable } from '../orders/pricing.js';

const RATE_KEY = /^tax\.rate\.([A-Za-z0-9-]+)$/;
const CATEGORY_KEY = /^tax\.category\.([A-Za-z0-9-]+)\.(eat-in|take-away)$/;
/** A service as a config key writes it (ledger ids have no underscore). */
const keyOf = (s: Service): string => s.replace('_', '-');

export class TaxSettings {
  private readonly t: TaxTable;

  constructor(
    config: KioskConfig['tax'],
    private readonly store: LedgerStore,
  ) {
    this.t = structuredClone({ ...config });
    for (const { entry } of store.entriesOfKind('config')) {
      if (entry.kind !== 'config') continue;
      const { key, value } = entry.body;
      const rate = RATE_KEY.exec(key);
      const cat = CATEGORY_KEY.exec(key);
      if (rate && typeof value === 'number') {
        const r = this.t.rates.find((x) => x.rate_id === rate[1]);
        if (r) r.rate_bp = value;
      } else if (cat && typeof value === 'string') {
        const c = this.t.categories.find((x) => x.category_id === cat[1]);
        if (c && this.t.rates.some((r) => r.rate_id === value)) c[cat[2]!.replace('-', '_') as Service] = value;
      }
    }
  }

  table(): TaxTable {
    return structuredClone(this.t);
  }

  /** A rate's percentage (basis points, 0..10000). Refused: a rate the store has not set up, a value outside 0-100 %. */
  setRate(
    rateId: string,
    rateBp: number,
    changedBy: string,
    reason: string,
  ): { seq: number; previous: number; value: number } {
    const r = this.t.rates.find((x) => x.rate_id === rateId);
    if (!r)
      throw new ApiFault(
        'TAX_RATE_UNKNOWN',
        `no rate ${JSON.stringify(rateId)}: the store's rates are ${this.t.rates.map((x) => x.rate_id).join(', ')}`,
      );
    if (!Number.isSafeInteger(rateBp) || rateBp < 0 || rateBp > RATE_BP_MAX)
      throw new ApiFault('TAX_RATE_INVALID', `a rate is 0 to 100 % (0..${RATE_BP_MAX} basis points), got ${rateBp}`);
    const previous = r.rate_bp;
    const stored = this.store.append('config', {
      key: `tax.rate.${rateId}`,
      value: rateBp,
      previous,
      changed_by: changedBy,
      reason,
    });
    r.rate_bp = rateBp;
    return { seq: stored.entry.seq, previous, value: rateBp };
  }

  /** Which rate a tax category takes for a service. Refused: an unknown category or rate. */
  setCategory(
    categoryId: string,
    service: string,
    rateId: string,
    changedBy: string,
    reason: string,
  ): { seq: number; previous: string; value: string } {
    const c = this.t.categories.find((x) => x.category_id === categoryId);
    if (!c)
      throw new ApiFault(
        'TAX_CATEGORY_UNKNOWN',
        `no tax category ${JSON.stringify(categoryId)}: the store's are ${this.t.categories.map((x) => x.category_id).join(', ')}`,
      );
    if (!(SERVICE_MODES as readonly string[]).includes(service))
      throw new ApiFault(
        'API_BAD_REQUEST',
        `service ${JSON.stringify(service)}: expected ${SERVICE_MODES.join(' or ')}`,
      );
    if (!this.t.rates.some((r) => r.rate_id === rateId))
      throw new ApiFault(
        'TAX_RATE_UNKNOWN',
        `no rate ${JSON.stringify(rateId)}: the store's rates are ${this.t.rates.map((x) => x.rate_id).join(', ')}`,
      );
    const s = service as Service;
    const previous = c[s];
    const stored = this.store.append('config', {
      key: `tax.category.${categoryId}.${keyOf(s)}`,
      value: rateId,
      previous,
      changed_by: changedBy,
      reason,
    });
    c[s] = rateId;
    return { seq: stored.entry.seq, previous, value: rateId };
  }
}
