// The sums of a day report's matched entries: per currency (Totals), per rate and tips (from the
// signed per-rate amounts), and per menu item (from the signed sales, else the kiosk's orders).
// Plain functions over report rows and their signed entries.
import {
  DAY_TOTALS_MAX,
  REPORT_ITEMS_MAX,
  type DayReport,
  type Order,
  type ReportEntry,
  type ReportTotal,
} from '../../contract/api.js';
import type { Entry } from '../../../ledger/protocol/entry.js';
import { RateSums } from '../../../ledger/protocol/rate-sums.js';

// ---- totals ----------------------------------------------------------------------------------

/** Per-currency totals of report rows (payments, refunds, voids), sorted by currency. */
export class Totals {
  private readonly byCurrency = new Map<string, ReportTotal>();

  add(e: ReportEntry): void {
    if (e.kind !== 'payment' && e.kind !== 'refund' && e.kind !== 'void') return;
    let t = this.byCurrency.get(e.currency);
    if (!t)
      this.byCurrency.set(
        e.currency,
        (t = {
          currency: e.currency,
          entry_count: 0,
          payment_count: 0,
          gross_minor: 0,
          refunds_minor: 0,
          voids_minor: 0,
          net_minor: 0,
        }),
      );
    t.entry_count += 1;
    if (e.kind === 'payment') {
      t.payment_count += 1;
      t.gross_minor += e.amount_minor;
      t.net_minor += e.amount_minor;
    } else if (e.kind === 'refund') {
      t.refunds_minor += e.amount_minor;
      t.net_minor -= e.amount_minor;
    } else if (e.kind === 'void') {
      t.voids_minor += e.amount_minor;
      t.net_minor -= e.amount_minor;
    }
  }

  list(): ReportTotal[] {
    const out = [...this.byCurrency.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1));
    if (out.length > DAY_TOTALS_MAX)
      throw new Error(`assertion failed: ${out.length} currencies in one day, the ledger allows ${DAY_TOTALS_MAX}`);
    return out;
  }
}

type ItemRow = DayReport['by_item'][number];

/** The matched payments' items: a payment carrying its sale (v2) from its signed lines (a split
 * bill's later parts add nothing: the first carries the whole bill); a v1 payment from its order,
 * one whose order is unknown counted as unknown. */
export function itemsOf(
  payments: readonly ReportEntry[],
  orders: (ids: readonly string[]) => ReadonlyMap<string, Order>,
  signed: ReadonlyMap<number, Entry> = new Map(),
): Pick<DayReport, 'by_item' | 'items_unknown'> {
  const byOrder = orders([
    ...new Set(payments.flatMap((p) => (p.kind === 'payment' && p.order_id !== null ? [p.order_id] : []))),
  ]);
  const rows = new Map<string, ItemRow>();
  const unknown = new Map<string, { currency: string; payment_count: number; gross_minor: number }>();
  for (const p of payments) {
    if (p.kind !== 'payment' || p.amount_minor === null || p.currency === null) continue;
    const e = signed.get(p.seq);
    if (e?.kind === 'payment' && e.body.by_rate !== undefined) {
      const o = p.order_id === null ? undefined : byOrder.get(p.order_id);
      for (const [i, l] of (e.body.sale?.lines ?? []).entries()) {
        const key = `${l.item_id}\u0000${p.currency}`;
        const name = o?.lines[i]?.item_id === l.item_id ? o.lines[i]!.name : { en: l.name, de: l.name, zh: l.name };
        const row = rows.get(key) ?? { item_id: l.item_id, name, currency: p.currency, quantity: 0, gross_minor: 0 };
        row.quantity += l.quantity;
        row.gross_minor += l.amount_minor - l.discount_minor;
        rows.set(key, row);
      }
      continue;
    }
    const order = p.order_id === null ? undefined : byOrder.get(p.order_id);
    if (!order || order.currency !== p.currency || order.total_minor !== p.amount_minor) {
      const u = unknown.get(p.currency) ?? { currency: p.currency, payment_count: 0, gross_minor: 0 };
      u.payment_count += 1;
      u.gross_minor += p.amount_minor;
      unknown.set(p.currency, u);
      continue;
    }
    for (const l of order.lines) {
      const key = `${l.item_id}\u0000${order.currency}`;
      const row = rows.get(key) ?? {
        item_id: l.item_id,
        name: l.name,
        currency: order.currency,
        quantity: 0,
        gross_minor: 0,
      };
      row.quantity += l.quantity;
      row.gross_minor += l.line_minor;
      rows.set(key, row);
    }
  }
  const byItem = [...rows.values()]
    .sort((a, b) => b.gross_minor - a.gross_minor || (a.item_id < b.item_id ? -1 : 1))
    .slice(0, REPORT_ITEMS_MAX);
  return { by_item: byItem, items_unknown: [...unknown.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1)) };
}

/** Takings per rate and tips of the matched money entries, from their signed per-rate amounts. */
export function ratesAndTips(
  matched: readonly ReportEntry[],
  signed: ReadonlyMap<number, Entry>,
): Pick<DayReport, 'by_rate' | 'tips'> {
  const sums = new RateSums();
  for (const m of matched) {
    const e = signed.get(m.seq);
    if (e !== undefined) sums.addEntry(e);
  }
  return { by_rate: sums.byRate(), tips: sums.tips() };
}
