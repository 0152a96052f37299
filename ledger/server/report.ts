// A merchant's daily settlement report: for one business day (the local date of the entries in
// the merchant's time zone), what was settled, declined and recorded, per currency, what the
// merchant is owed for the day, the day's takings per VAT rate and its tips (from the signed
// entries themselves; a declined payment was not paid, so it is left out of both), and the
// merchant's balances now (including what a regulator holds frozen).

import { sql } from 'kysely';
import { decodeEntry } from '../store/rows.js';
import { RateSums } from '../protocol/rate-sums.js';
import { isCalendarDay, zoneClock } from '../protocol/zone-clock.js';
import { SettleError } from './errors.js';
import { heldAccount, merchantAccount, type Services } from './context.js';

/** Money entries one report decodes for its rates and tips, at most (a busy store's day is a few thousand). */
export const REPORT_ENTRIES_DECODED_MAX = 200_000;

export interface DailyReport {
  merchant_id: string;
  business_day: string;
  /** The zone the day is counted in, and its bounds. */
  timezone: string;
  day_start_ms: number;
  day_end_ms: number;
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
  /** Payments less refunds and voids per currency and rate, declined entries left out. */
  by_rate: {
    currency: string;
    rate_id: string;
    rate_bp: number;
    net_minor: number;
    tax_minor: number;
    gross_minor: number;
  }[];
  tips: { currency: string; tips_minor: number }[];
  balance_minor: number;
  held_minor: number;
}

export async function dailyReport(s: Services, merchantId: string, businessDay: string): Promise<DailyReport> {
  if (!isCalendarDay(businessDay)) throw new SettleError('SETTLE_BAD_REQUEST', `${businessDay} is not a date`);
  const merchant = await s.store.db
    .selectFrom('merchants')
    .select(['timezone'])
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  const timezone = merchant?.timezone ?? 'UTC';
  const { start_ms: from, end_ms: to } = zoneClock(timezone).bounds(businessDay);
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
    .where('created_at_ms', '>=', from)
    .where('created_at_ms', '<', to)
    .where('currency', 'is not', null)
    .where('kind', 'in', ['payment', 'refund', 'void'])
    .groupBy(['kind', 'status', 'currency'])
    .execute();
  const reasons = await s.store.db
    .selectFrom('entries')
    .select(['reason', sql<number>`count(*)`.as('n')])
    .where('merchant_id', '=', merchantId)
    .where('created_at_ms', '>=', from)
    .where('created_at_ms', '<', to)
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
    timezone,
    day_start_ms: from,
    day_end_ms: to,
    currencies: [...byCurrency.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1)),
    declines_by_reason: Object.fromEntries(reasons.map((r) => [r.reason ?? 'unknown', Number(r.n)])),
    ...(await ratesAndTips(s, merchantId, from, to)),
    balance_minor: balance(merchantAccount(merchantId)),
    held_minor: balance(heldAccount(merchantId)),
  };
}

/** The day's takings per rate and its tips, from the signed bytes of its money entries. */
async function ratesAndTips(
  s: Services,
  merchantId: string,
  from: number,
  to: number,
): Promise<Pick<DailyReport, 'by_rate' | 'tips'>> {
  const count = await s.store.db
    .selectFrom('entries')
    .select(sql<number>`count(*)`.as('n'))
    .where('merchant_id', '=', merchantId)
    .where('created_at_ms', '>=', from)
    .where('created_at_ms', '<', to)
    .where('kind', 'in', ['payment', 'refund', 'void'])
    .executeTakeFirstOrThrow();
  if (Number(count.n) > REPORT_ENTRIES_DECODED_MAX)
    throw new SettleError(
      'SETTLE_BAD_REQUEST',
      `the day has ${count.n} money entries, more than the ${REPORT_ENTRIES_DECODED_MAX} a report reads`,
    );
  const rows = await s.store.db
    .selectFrom('entries')
    .select(['seq', 'canonical'])
    .where('merchant_id', '=', merchantId)
    .where('created_at_ms', '>=', from)
    .where('created_at_ms', '<', to)
    .where('kind', 'in', ['payment', 'refund', 'void'])
    .where('status', '<>', 'declined')
    .execute();
  const sums = new RateSums();
  for (const r of rows) sums.addEntry(decodeEntry(new Uint8Array(r.canonical), r.seq));
  return { by_rate: sums.byRate(), tips: sums.tips() };
}
