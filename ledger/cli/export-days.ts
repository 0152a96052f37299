// The business days of a date range for the fiscal exports (DSFinV-K, DEP): each day's entries
// (a closed day exactly as its day_close names them), its close and the close's number (DSFinV-K's
// Z_NR: the count of closes up to it), read and verified through LedgerReader. Also the fiscal log
// beside the ledger (fiscal.db) and the check that each of its rows says what its signed entry says.

import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { LedgerError } from '../protocol/errors.js';
import { isCalendarDay } from '../protocol/zone-clock.js';
import type { Entry, PaymentMethod } from '../protocol/entry.js';
import type { LedgerReader, ReadEntry } from '../store/reader.js';
import { FiscalLog, type FiscalReceiptRow } from '../fiscal/fiscal-log.js';
import { isReceiptEntry, processData, receiptData, type ReceiptData } from '../fiscal/receipt-data.js';
import { isTraining } from '../fiscal/recorder.js';
import { dayEntries } from './export.js';

/** A range longer than this is refused: an export is per month or year, not per decade. */
export const EXPORT_DAYS_MAX = 400;

export interface ExportDay {
  day: string;
  entries: ReadEntry[];
  close: ReadEntry | null;
  /** The close's number among all closes (1 for the first), null for a day not closed yet. */
  z_nr: number | null;
}

export interface ExportReceipt {
  read: ReadEntry;
  data: ReceiptData;
  training: boolean;
  fiscal: FiscalReceiptRow | null;
}

export function daysOf(from: string, to: string): string[] {
  for (const d of [from, to])
    if (!isCalendarDay(d)) throw new LedgerError('LEDGER_EXPORT_RANGE', `expected a date YYYY-MM-DD, got ${d}`);
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
    if (days.length > EXPORT_DAYS_MAX)
      throw new LedgerError('LEDGER_EXPORT_RANGE', `at most ${EXPORT_DAYS_MAX} days in one export`);
  }
  if (days.length === 0) throw new LedgerError('LEDGER_EXPORT_RANGE', `--from ${from} is after --to ${to}`);
  return days;
}

export function exportDays(reader: LedgerReader, from: string, to: string): ExportDay[] {
  const closes = (
    reader.db.prepare("SELECT seq FROM entries WHERE kind = 'day_close' ORDER BY seq").all() as { seq: number }[]
  ).map((r) => r.seq);
  return daysOf(from, to).map((day) => {
    const { entries, close } = dayEntries(reader, day);
    return { day, entries, close, z_nr: close ? closes.indexOf(close.entry.seq) + 1 : null };
  });
}

export function fiscalPathFor(ledgerPath: string, given: string | undefined): string {
  return given ?? join(dirname(ledgerPath), 'fiscal.db');
}

export function openFiscal(path: string): FiscalLog | null {
  return existsSync(path) ? FiscalLog.openReadonly(path) : null;
}

/** The receipts of a day, each with the fiscal row that signed it, checked against its entry. */
export function dayReceipts(reader: LedgerReader, fiscal: FiscalLog | null, day: ExportDay): ExportReceipt[] {
  const methodOf = (seq: number): PaymentMethod | undefined => {
    const [r] = [...reader.range(seq, seq)];
    return r?.entry.kind === 'payment' ? r.entry.body.method : undefined;
  };
  return day.entries.flatMap((read) => {
    const e: Entry = read.entry;
    if (!isReceiptEntry(e)) return [];
    const data = receiptData(e, methodOf);
    const row = fiscal?.get(e.seq) ?? null;
    if (row && (row.process_data !== processData(data) || row.kind !== e.kind))
      throw new LedgerError(
        'LEDGER_FISCAL_MISMATCH',
        `fiscal.db row ${e.seq} does not say what the signed entry says (${row.process_data})`,
        e.seq,
      );
    return [{ read, data, training: isTraining(e), fiscal: row }];
  });
}

/** RFC 4180 CSV of `rows` under `columns`; a cell a spreadsheet would run as a formula gets a '. */
export function csvTable(columns: readonly string[], rows: Record<string, string | number>[]): string {
  const cell = (v: string | number | undefined): string => {
    let s = String(v ?? '');
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && !/^-\d+(\.\d+)?$/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}
