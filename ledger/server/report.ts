// A merchant's daily settlement report: for one business day (UTC date of the entries),
// what was settled, declined and recorded, per currency, what the merchant is owed for
// the day, and the merchant's balances now (including what a regulator holds frozen).

import { sql } from 'kysely';
import { heldAccount, merchantAccount, type Services } from './context.js';

export interface DailyReport {
  merchant_id: string;
  business_day: string;
  currencies: {
    currency: string;
    payments_settled: number;
    payments_settled_minor: number;
    payments_declined: number;
    payments_declined_minor: number;
    payments_recorded: number;
    payments_recorded_minor: number;
    reversals_settled_minor: number;
    net_settled_minor: number;
  }[];
  declines_by_reason: Record<string, number>;
  balance_minor: number;
  held_minor: number;
}

export async function dailyReport(s: Services, merchantId: string, businessDay: string): Promise<DailyReport> {
  const rows = await s.store.db
    .selectFrom('entries')
    .select([
      'kind',
      'status',
      'currency',
      sql<number>`count(*)`.as('n'),
      sql<number>`coalesce(sum(amount_minor), 0)`.as('total'),
    ])
    .where('merchant_id', '=', merchantId)
    .where('business_day', '=', businessDay)
    .where('currency', 'is not', null)
    .groupBy(['kind', 'status', 'currency'])
    .execute();
  const reasons = await s.store.db
    .selectFrom('entries')
    .select(['reason', sql<number>`count(*)`.as('n')])
    .where('merchant_id', '=', merchantId)
    .where('business_day', '=', businessDay)
    .where('status', '=', 'declined')
    .groupBy('reason')
    .execute();
  const byCurrency = new Map<string, DailyReport['currencies'][number]>();
  for (const r of rows) {
    const c = r.currency!;
    let t = byCurrency.get(c);
    if (t === undefined) {
      t = {
        currency: c,
        payments_settled: 0,
        payments_settled_minor: 0,
        payments_declined: 0,
        payments_declined_minor: 0,
        payments_recorded: 0,
        payments_recorded_minor: 0,
        reversals_settled_minor: 0,
        net_settled_minor: 0,
      };
      byCurrency.set(c, t);
    }
    const n = Number(r.n);
    const total = Number(r.total);
    if (r.kind === 'payment') {
      if (r.status === 'settled')
        [t.payments_settled, t.payments_settled_minor] = [t.payments_settled + n, t.payments_settled_minor + total];
      else if (r.status === 'declined')
        [t.payments_declined, t.payments_declined_minor] = [t.payments_declined + n, t.payments_declined_minor + total];
      else
        [t.payments_recorded, t.payments_recorded_minor] = [t.payments_recorded + n, t.payments_recorded_minor + total];
    } else if (r.status === 'settled') {
      t.reversals_settled_minor += total;
    }
  }
  for (const t of byCurrency.values()) t.net_settled_minor = t.payments_settled_minor - t.reversals_settled_minor;
  const accounts = await s.store.db
    .selectFrom('accounts')
    .select(['account_id', 'balance_minor'])
    .where('account_id', 'in', [merchantAccount(merchantId), heldAccount(merchantId)])
    .execute();
  const balance = (id: string): number => accounts.find((a) => a.account_id === id)?.balance_minor ?? 0;
  return {
    merchant_id: merchantId,
    business_day: businessDay,
    currencies: [...byCurrency.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1)),
    declines_by_reason: Object.fromEntries(reasons.map((r) => [r.reason ?? 'unknown', Number(r.n)])),
    balance_minor: balance(merchantAccount(merchantId)),
    held_minor: balance(heldAccount(merchantId)),
  };
}
