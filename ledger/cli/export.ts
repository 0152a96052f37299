// `ledger export`: one business day's entries as CSV (for spreadsheets and accountants)
// or JSON (whole signed entries, checkable by anyone with the kiosk's public key). A v2 money
// entry's row carries its tip, its net and tax, and its amounts per rate
// ("A 19%: net 219 tax 42 gross 261 | B 7%: ..."); a sale's row its items ("2 x ramen [B]").
//
// A closed day is exactly the range its day_close names, plus the close itself. The open
// day (after the last close) is the entries whose local date, in the ledger's time zone,
// is the day asked for. Every row is verified on the way out.

import type { Entry } from '../protocol/entry.js';
import type { RateTotal } from '../protocol/sale.js';

/** "19%", "5.5%" from basis points, in integers. */
export function percent(bp: number): string {
  const hundredths = bp % 100;
  const whole = (bp - hundredths) / 100;
  return hundredths === 0 ? `${whole}%` : `${whole}.${String(hundredths).padStart(2, '0').replace(/0$/, '')}%`;
}
import { LedgerError } from '../protocol/errors.js';
import { zoneClock } from '../protocol/zone-clock.js';
import { decodeEntry } from '../store/rows.js';
import { LedgerReader, type ReadEntry } from '../store/reader.js';

export type ExportFormat = 'csv' | 'json';

export const CSV_COLUMNS = [
  'seq',
  'kind',
  'created_at_ms',
  'created_at',
  'amount_minor',
  'currency',
  'method',
  'payment_id',
  'order_id',
  'customer_id',
  'payment_seq',
  'reason',
  'actor',
  'tip_minor',
  'net_minor',
  'tax_minor',
  'rates',
  'items',
  'entry_hash',
] as const;

export function exportDay(path: string, day: string, format: ExportFormat): string {
  const reader = new LedgerReader(path);
  try {
    const { entries, close } = dayEntries(reader, day);
    if (format === 'json') {
      return (
        JSON.stringify(
          {
            kiosk_id: reader.kioskId,
            business_day: day,
            timezone: reader.timezone,
            closed: close !== null,
            public_keys: reader.keys,
            entries,
          },
          null,
          2,
        ) + '\n'
      );
    }
    return toCsv(entries.map((e) => csvRow(e)));
  } finally {
    reader.close();
  }
}

export function dayEntries(reader: LedgerReader, day: string): { entries: ReadEntry[]; close: ReadEntry | null } {
  const closes = reader.db
    .prepare("SELECT seq, canonical FROM entries WHERE kind = 'day_close' ORDER BY seq")
    .all() as { seq: number; canonical: Uint8Array }[];
  let openFrom = 1;
  for (const row of closes) {
    const close = decodeEntry(row.canonical, row.seq);
    if (close.kind !== 'day_close')
      throw new LedgerError('LEDGER_ROW_MISMATCH', `entry ${row.seq}: marked day_close, holds ${close.kind}`, row.seq);
    if (close.body.business_day === day) {
      const entries = [...reader.range(close.body.first_seq, row.seq)];
      return { entries, close: entries[entries.length - 1] ?? null };
    }
    openFrom = row.seq + 1;
  }
  const clock = zoneClock(reader.timezone);
  const entries = [...reader.range(openFrom, Number.MAX_SAFE_INTEGER)].filter(
    (e) => clock.day(e.entry.created_at_ms) === day,
  );
  return { entries, close: null };
}

function csvRow({ entry, entry_hash }: ReadEntry): Record<(typeof CSV_COLUMNS)[number], string | number> {
  const row = {
    seq: entry.seq,
    kind: entry.kind,
    created_at_ms: entry.created_at_ms,
    created_at: new Date(entry.created_at_ms).toISOString(),
    amount_minor: '',
    currency: '',
    method: '',
    payment_id: '',
    order_id: '',
    customer_id: '',
    payment_seq: '',
    reason: '',
    actor: '',
    tip_minor: '',
    net_minor: '',
    tax_minor: '',
    rates: '',
    items: '',
    entry_hash,
  } as Record<(typeof CSV_COLUMNS)[number], string | number>;
  const rated = (by: readonly RateTotal[] | undefined, tip: number | undefined): void => {
    if (by === undefined) return;
    Object.assign(row, {
      tip_minor: tip ?? 0,
      net_minor: by.reduce((s, r) => s + r.net_minor, 0),
      tax_minor: by.reduce((s, r) => s + r.tax_minor, 0),
      rates: by
        .map((r) => `${r.rate_id} ${percent(r.rate_bp)}: net ${r.net_minor} tax ${r.tax_minor} gross ${r.gross_minor}`)
        .join(' | '),
    });
  };
  const e: Entry = entry;
  switch (e.kind) {
    case 'payment':
      Object.assign(row, {
        amount_minor: e.body.amount_minor,
        currency: e.body.currency,
        method: e.body.method,
        payment_id: e.body.payment_id,
        order_id: e.body.order_id,
        customer_id: e.body.customer_id ?? '',
        actor: e.body.taken_by ?? '',
        items: (e.body.sale?.lines ?? []).map((l) => `${l.quantity} x ${l.item_id} [${l.rate_id}]`).join('; '),
      });
      rated(e.body.by_rate, e.body.tip_minor);
      break;
    case 'refund':
    case 'void':
      Object.assign(row, {
        amount_minor: e.body.amount_minor,
        currency: e.body.currency,
        payment_seq: e.body.payment_seq,
        reason: e.body.reason,
        actor: e.body.approved_by,
        items: (e.body.items ?? []).map((it) => `${it.quantity} x line ${it.line}`).join('; '),
      });
      rated(e.body.by_rate, e.body.tip_minor);
      break;
    case 'day_close':
      Object.assign(row, {
        reason: `close of ${e.body.business_day}: ${e.body.entry_count} entries, root ${e.body.merkle_root}`,
        actor: e.body.closed_by,
      });
      break;
    case 'key_rotation':
      Object.assign(row, { reason: e.body.reason });
      break;
    case 'config':
      Object.assign(row, {
        reason: `${e.body.key} = ${JSON.stringify(e.body.value)}${e.body.reason ? `: ${e.body.reason}` : ''}`,
        actor: e.body.changed_by,
      });
      break;
    case 'shift_open':
      Object.assign(row, {
        amount_minor: e.body.float_minor,
        currency: e.body.currency,
        reason: 'float',
        actor: e.body.opened_by,
      });
      break;
    case 'cash_move':
      Object.assign(row, {
        amount_minor: e.body.direction === 'in' ? e.body.amount_minor : -e.body.amount_minor,
        currency: e.body.currency,
        reason: `${e.body.direction === 'in' ? 'pay-in' : 'pay-out'}: ${e.body.reason}`,
        actor: e.body.by,
      });
      break;
    case 'shift_close':
      Object.assign(row, {
        amount_minor: e.body.counted_minor,
        currency: e.body.currency,
        reason: `shift of entry ${e.body.shift_seq}: expected ${e.body.expected_minor}, counted ${e.body.counted_minor}, variance ${e.body.variance_minor}`,
        actor: e.body.closed_by,
      });
      break;
  }
  return row;
}

/** RFC 4180 CSV; a cell that a spreadsheet would run as a formula is quoted with a leading '. */
export function toCsv(rows: Record<string, string | number>[]): string {
  const cell = (v: string | number): string => {
    let s = String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) lines.push(CSV_COLUMNS.map((c) => cell(row[c] ?? '')).join(','));
  return lines.join('\r\n') + '\r\n';
}
