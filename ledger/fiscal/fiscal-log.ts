// fiscal.db: the signing unit's log, kept beside the ledger (`<data_dir>/fiscal.db`) as a TSE
// keeps its own log beside the till. What it holds is not money: every amount in it is derived
// from a signed ledger entry (receipt-data.ts), and `ledger export` checks it against them.
// Durable as the ledger is (WAL, synchronous FULL, append-only triggers).

import type Database from 'better-sqlite3';
import { migrate, type Migration } from '../store/migrate.js';
import { openDatabase } from '../store/store.js';
import * as m0001 from './migrations/0001-fiscal-log.js';

export const FISCAL_MIGRATIONS: readonly Migration[] = [m0001];

export interface FiscalReceiptRow {
  seq: number;
  kind: 'payment' | 'refund' | 'void';
  start_ms: number;
  end_ms: number;
  unit_serial: string;
  signature_counter: number | null;
  process_type: string;
  process_data: string;
  failed: 0 | 1;
  training: 0 | 1;
  turnover_minor: number;
  qr_code: string;
  rksv_code: string;
}

export interface FiscalUnitRow {
  serial: string;
  algorithm: string;
  public_key: string;
  first_at_ms: number;
}

export interface OutageRow {
  id: number;
  event: 'start' | 'end';
  unit_serial: string;
  at_ms: number;
  first_seq: number;
  reason: string;
}

/** An outage as the law asks for it: when the unit failed, when it was back (null: still out). */
export interface Outage {
  unit_serial: string;
  start_ms: number;
  end_ms: number | null;
  first_seq: number;
  reason: string;
}

export class FiscalLog {
  private constructor(readonly db: Database.Database) {}

  static open(path: string): FiscalLog {
    const db = openDatabase(path, { create: true });
    migrate(db, FISCAL_MIGRATIONS, 'fiscal.db');
    return new FiscalLog(db);
  }

  static openReadonly(path: string): FiscalLog {
    return new FiscalLog(openDatabase(path, { create: false, readonly: true }));
  }

  close(): void {
    this.db.close();
  }

  meta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM fiscal_meta WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row?.value;
  }

  setMetaOnce(key: string, value: string): void {
    this.db.prepare('INSERT OR IGNORE INTO fiscal_meta (key, value) VALUES (?, ?)').run(key, value);
  }

  last(): FiscalReceiptRow | undefined {
    return this.db.prepare('SELECT * FROM fiscal_receipts ORDER BY seq DESC LIMIT 1').get() as
      FiscalReceiptRow | undefined;
  }

  get(seq: number): FiscalReceiptRow | undefined {
    return this.db.prepare('SELECT * FROM fiscal_receipts WHERE seq = ?').get(seq) as FiscalReceiptRow | undefined;
  }

  range(first: number, last: number): FiscalReceiptRow[] {
    return this.db
      .prepare('SELECT * FROM fiscal_receipts WHERE seq BETWEEN ? AND ? ORDER BY seq')
      .all(first, last) as FiscalReceiptRow[];
  }

  maxCounter(serial: string): number {
    const row = this.db
      .prepare('SELECT max(signature_counter) AS c FROM fiscal_receipts WHERE unit_serial = ?')
      .get(serial) as { c: number | null };
    return row.c ?? 0;
  }

  units(): FiscalUnitRow[] {
    return this.db.prepare('SELECT * FROM fiscal_units ORDER BY first_at_ms').all() as FiscalUnitRow[];
  }

  outageOpen(): boolean {
    const row = this.db.prepare('SELECT event FROM fiscal_outages ORDER BY id DESC LIMIT 1').get() as
      { event: string } | undefined;
    return row?.event === 'start';
  }

  outages(): Outage[] {
    const rows = this.db.prepare('SELECT * FROM fiscal_outages ORDER BY id').all() as OutageRow[];
    const out: Outage[] = [];
    for (const r of rows) {
      if (r.event === 'start')
        out.push({
          unit_serial: r.unit_serial,
          start_ms: r.at_ms,
          end_ms: null,
          first_seq: r.first_seq,
          reason: r.reason,
        });
      else if (out.length > 0) out[out.length - 1]!.end_ms = r.at_ms;
    }
    return out;
  }

  /** One receipt, with the unit that signed it and the outage it opens or ends, in one commit. */
  write(row: FiscalReceiptRow, unit: FiscalUnitRow | null, outage: Omit<OutageRow, 'id'> | null): void {
    this.db
      .transaction(() => {
        if (unit)
          this.db
            .prepare(
              'INSERT OR IGNORE INTO fiscal_units (serial, algorithm, public_key, first_at_ms) VALUES (@serial, @algorithm, @public_key, @first_at_ms)',
            )
            .run(unit);
        if (outage)
          this.db
            .prepare(
              'INSERT INTO fiscal_outages (event, unit_serial, at_ms, first_seq, reason) VALUES (@event, @unit_serial, @at_ms, @first_seq, @reason)',
            )
            .run(outage);
        this.db
          .prepare(
            `INSERT INTO fiscal_receipts (seq, kind, start_ms, end_ms, unit_serial, signature_counter, process_type,
               process_data, failed, training, turnover_minor, qr_code, rksv_code)
             VALUES (@seq, @kind, @start_ms, @end_ms, @unit_serial, @signature_counter, @process_type,
               @process_data, @failed, @training, @turnover_minor, @qr_code, @rksv_code)`,
          )
          .run(row);
      })
      .immediate();
  }
}
