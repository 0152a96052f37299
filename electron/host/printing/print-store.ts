// The print queue on disk (<data_dir>/print.db): jobs and the drawer's openings, and the cursor
// of the ledger follower (print-follower.ts). Durability: a job (and the cursor that made it) is
// committed in one transaction, in WAL mode with synchronous=FULL, before anything is sent to a
// printer, so a kiosk that stops between a payment and its receipt prints the receipt after its
// restart, and one that stops mid-print sends the job again (marked as a re-print: the paper may
// hold half of it). Bounded: PRINT_JOBS_PENDING_MAX waiting jobs, and done jobs kept
// PRINT_JOBS_KEPT_DAYS for the re-print list.
import Database from 'better-sqlite3';
import { migrate } from '../../../ledger/store/migrate.js';
import * as m0001 from './migrations/0001-print-jobs.js';

export const PRINT_MIGRATIONS = [m0001] as const;

/** Jobs waiting at once, on all printers: a printer off for a busy evening (about 150 orders,
 * each a receipt and a ticket or two) fits; a printer off for days does not fill the disk. */
export const PRINT_JOBS_PENDING_MAX = 500;
/** Done and failed jobs are kept this long (a re-print copies the document of the job it repeats). */
export const PRINT_JOBS_KEPT_DAYS = 14;
const DAY_MS = 86_400_000;

export type JobKind = 'receipt' | 'kitchen' | 'x_report' | 'z_report' | 'drawer';
export type JobState = 'pending' | 'done' | 'failed';

export interface PrintJob {
  job_id: number;
  printer_id: string;
  kind: JobKind;
  ref: string;
  doc: string;
  reprint: boolean;
  state: JobState;
  attempts: number;
  bytes_sent: number;
  next_at_ms: number;
  created_at_ms: number;
  done_at_ms: number | null;
  last_error: string | null;
}

export interface NewJob {
  printer_id: string;
  kind: JobKind;
  ref: string;
  /** The automatic job of a ledger entry, queued once; null for a re-print or a report asked for. */
  dedup_key: string | null;
  doc: string;
  reprint: boolean;
}

export type DrawerReason = 'cash_payment' | 'cash_refund' | 'pay_in' | 'pay_out';
export interface DrawerOpeningRow {
  seq: number;
  reason: DrawerReason;
  by: string;
  ref: string;
  requested_at_ms: number;
  kicked_at_ms: number | null;
}

/** The queue holds PRINT_JOBS_PENDING_MAX: a new job is refused (PRINT_QUEUE_FULL), never dropped silently. */
export class PrintQueueFull extends Error {
  readonly code = 'PRINT_QUEUE_FULL';
}

interface JobRow extends Omit<PrintJob, 'reprint'> {
  reprint: number;
}
const jobOf = (r: JobRow): PrintJob => ({ ...r, reprint: r.reprint === 1 });

export class PrintStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    migrate(this.db, PRINT_MIGRATIONS, 'print.db');
  }

  close(): void {
    this.db.close();
  }

  /** Runs `fn` in one IMMEDIATE transaction (jobs, an opening and the cursor together). */
  atomically<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  cursor(): number | null {
    const r = this.db.prepare('SELECT seq FROM print_cursor WHERE one = 1').get() as { seq: number } | undefined;
    return r?.seq ?? null;
  }

  setCursor(seq: number): void {
    this.db
      .prepare('INSERT INTO print_cursor (one, seq) VALUES (1, ?) ON CONFLICT (one) DO UPDATE SET seq = excluded.seq')
      .run(seq);
  }

  pendingCount(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM print_jobs WHERE state = 'pending'").get() as { n: number }).n;
  }

  /** Queues a job (PrintQueueFull at the bound). An automatic job already queued is not queued
   * again: its job id is answered. */
  add(job: NewJob, nowMs: number): number {
    if (job.dedup_key !== null) {
      const had = this.db.prepare('SELECT job_id FROM print_jobs WHERE dedup_key = ?').get(job.dedup_key) as
        { job_id: number } | undefined;
      if (had) return had.job_id;
    }
    const pending = this.pendingCount();
    if (pending >= PRINT_JOBS_PENDING_MAX)
      throw new PrintQueueFull(`the print queue holds ${pending} jobs, its bound (PRINT_JOBS_PENDING_MAX)`);
    const r = this.db
      .prepare(
        `INSERT INTO print_jobs (printer_id, kind, ref, dedup_key, doc, reprint, state, next_at_ms, created_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
      )
      .run(job.printer_id, job.kind, job.ref, job.dedup_key, job.doc, job.reprint ? 1 : 0, nowMs, nowMs);
    return Number(r.lastInsertRowid);
  }

  /** The oldest due job of each printer: a printer prints in order, one job at a time. */
  due(nowMs: number): PrintJob[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM print_jobs WHERE job_id IN (
           SELECT min(job_id) FROM print_jobs WHERE state = 'pending' GROUP BY printer_id)
         AND next_at_ms <= ?`,
      )
      .all(nowMs) as JobRow[];
    return rows.map(jobOf);
  }

  get(jobId: number): PrintJob | null {
    const r = this.db.prepare('SELECT * FROM print_jobs WHERE job_id = ?').get(jobId) as JobRow | undefined;
    return r ? jobOf(r) : null;
  }

  /** The newest job of a kind for what it printed (a receipt's seq, an order's id). */
  latest(kind: JobKind, ref: string): PrintJob[] {
    const rows = this.db
      .prepare('SELECT * FROM print_jobs WHERE kind = ? AND ref = ? AND reprint = 0 ORDER BY job_id')
      .all(kind, ref) as JobRow[];
    return rows.map(jobOf);
  }

  /** Before a job's bytes go out: one more attempt, and how many bytes have ever reached the printer. */
  attempt(jobId: number): void {
    this.db.prepare('UPDATE print_jobs SET attempts = attempts + 1 WHERE job_id = ?').run(jobId);
  }

  sent(jobId: number, bytes: number): void {
    this.db.prepare('UPDATE print_jobs SET bytes_sent = max(bytes_sent, ?) WHERE job_id = ?').run(bytes, jobId);
  }

  done(jobId: number, nowMs: number): void {
    this.db
      .prepare("UPDATE print_jobs SET state = 'done', done_at_ms = ?, last_error = NULL WHERE job_id = ?")
      .run(nowMs, jobId);
    this.db.prepare('UPDATE drawer_openings SET kicked_at_ms = ? WHERE job_id = ?').run(nowMs, jobId);
  }

  retry(jobId: number, nextAtMs: number, error: string): void {
    this.db
      .prepare('UPDATE print_jobs SET next_at_ms = ?, last_error = ? WHERE job_id = ?')
      .run(nextAtMs, error.slice(0, 500), jobId);
  }

  fail(jobId: number, nowMs: number, error: string): void {
    this.db
      .prepare("UPDATE print_jobs SET state = 'failed', done_at_ms = ?, last_error = ? WHERE job_id = ?")
      .run(nowMs, error.slice(0, 500), jobId);
  }

  /** Per printer: jobs waiting, jobs given up on, the last error and the last print. */
  counts(): { printer_id: string; pending: number; failed: number; last_done_ms: number | null }[] {
    return this.db
      .prepare(
        `SELECT printer_id,
                sum(state = 'pending') AS pending,
                sum(state = 'failed') AS failed,
                max(CASE WHEN state = 'done' THEN done_at_ms END) AS last_done_ms
         FROM print_jobs GROUP BY printer_id`,
      )
      .all() as { printer_id: string; pending: number; failed: number; last_done_ms: number | null }[];
  }

  /** Done and failed jobs older than PRINT_JOBS_KEPT_DAYS. */
  prune(nowMs: number): number {
    return this.db
      .prepare("DELETE FROM print_jobs WHERE state != 'pending' AND done_at_ms < ?")
      .run(nowMs - PRINT_JOBS_KEPT_DAYS * DAY_MS).changes;
  }

  recordOpening(o: Omit<DrawerOpeningRow, 'kicked_at_ms'>, jobId: number | null): void {
    this.db
      .prepare(
        'INSERT OR IGNORE INTO drawer_openings (seq, reason, by_staff, ref, requested_at_ms, job_id) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(o.seq, o.reason, o.by, o.ref, o.requested_at_ms, jobId);
  }

  openings(sinceSeq: number, limit: number): DrawerOpeningRow[] {
    return this.db
      .prepare(
        `SELECT seq, reason, by_staff AS by, ref, requested_at_ms, kicked_at_ms FROM drawer_openings
         WHERE seq >= ? ORDER BY seq DESC LIMIT ?`,
      )
      .all(sinceSeq, limit) as DrawerOpeningRow[];
  }
}
