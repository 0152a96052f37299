// The printing desk: sends the queue's jobs (print-store.ts) to their printers, one job at a time
// per printer and in order, with a bounded number of attempts and a growing wait between them;
// follows the ledger for new jobs (print-follower.ts); and answers what the status and the staff
// screens ask (each printer's queue and state). A printer that is off, out of paper or away holds
// its own jobs only: no payment waits for it, and the other printers print on. A job that failed
// after some of its bytes reached the printer is printed again marked as a re-print (the paper may
// hold half of it); a staff re-print is marked the same way.
import type { Logger } from 'pino';
import type { PrinterState, PrintQueueView } from '../../contract/api.js';
import { markedReprint, type PrintDoc } from './documents.js';
import { renderEscPos } from './escpos.js';
import type { PrinterBook } from './printer-config.js';
import { PrinterLinkError, sendToPrinter } from './printer-link.js';
import type { PrintFollower } from './print-follower.js';
import type { PrintJob, PrintStore } from './print-store.js';

/** Attempts of one job before it is given up on (listed as failed; staff re-print it): with the
 * waits below, about 15 minutes of a printer off, refilled or unplugged. */
export const PRINT_ATTEMPTS_MAX = 40;
/** The wait after a failed attempt doubles from this... */
export const PRINT_RETRY_BASE_MS = 500;
/** ...up to this: a printer switched back on prints within half a minute. */
export const PRINT_RETRY_CAP_MS = 30_000;
/** A drawer kick not sent within this is dropped (recorded as not kicked): a drawer that springs
 * open minutes after the sale, when the printer comes back, surprises whoever stands there. */
export const DRAWER_KICK_AGE_MS_MAX = 30_000;
/** How often the desk looks for new entries and due jobs. */
export const PRINT_POLL_MS = 200;

export interface DeskParts {
  log: Logger;
  jobs: PrintStore;
  printers: PrinterBook;
  follower: PrintFollower;
  now?: () => number;
  pollMs?: number;
  retryBaseMs?: number;
  retryCapMs?: number;
}

type LinkState = Pick<PrinterState, 'state' | 'last_error'>;

export class PrintDesk {
  private readonly now: () => number;
  private readonly busy = new Set<string>();
  private readonly link = new Map<string, LinkState>();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private closed = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly p: DeskParts) {
    this.now = p.now ?? Date.now;
  }

  start(): void {
    const pollMs = this.p.pollMs ?? PRINT_POLL_MS;
    this.timer = setInterval(() => this.tick(), pollMs);
    this.timer.unref();
    this.p.jobs.prune(this.now());
  }

  /** Stops taking new jobs to printers and waits for the ones being sent (each bounded by the link's timeouts). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** One round: new entries into jobs, then every printer's next due job, if it is not busy. */
  tick(): void {
    if (this.closed || this.ticking) return;
    this.ticking = true;
    try {
      while (this.p.follower.follow() > 0);
      for (const job of this.p.jobs.due(this.now())) {
        if (this.busy.has(job.printer_id)) continue;
        this.busy.add(job.printer_id);
        const sending = this.send(job).finally(() => {
          this.busy.delete(job.printer_id);
          this.inFlight.delete(sending);
        });
        this.inFlight.add(sending);
      }
    } catch (err) {
      this.p.log.error({ err }, 'the print desk could not look at its queue');
    } finally {
      this.ticking = false;
    }
  }

  /** Waits until no job is due or being sent (tests; a shutdown that wants its receipts out). */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = this.now() + timeoutMs;
    for (;;) {
      this.tick();
      if (this.inFlight.size === 0 && this.p.jobs.pendingCount() === 0) return true;
      if (this.now() >= deadline) return false;
      await Promise.race([...this.inFlight, new Promise((r) => setTimeout(r, 20))]);
    }
  }

  private async send(job: PrintJob): Promise<void> {
    const printer = this.p.printers.get(job.printer_id);
    const nowMs = this.now();
    if (!printer) {
      this.p.jobs.fail(job.job_id, nowMs, `PRINTER_UNKNOWN: printer ${job.printer_id} was removed`);
      return;
    }
    if (job.kind === 'drawer' && nowMs - job.created_at_ms > DRAWER_KICK_AGE_MS_MAX) {
      this.p.jobs.fail(job.job_id, nowMs, `PRINT_DRAWER_STALE: not sent within ${DRAWER_KICK_AGE_MS_MAX} ms`);
      return;
    }
    let bytes: Uint8Array;
    try {
      const doc = JSON.parse(job.doc) as PrintDoc;
      // A job of which some bytes reached the printer before is marked: the paper may hold part of it.
      const marked = job.kind !== 'drawer' && (job.reprint || job.bytes_sent > 0) ? markedReprint(doc) : doc;
      bytes = await renderEscPos(marked, printer.columns);
    } catch (err) {
      this.p.jobs.fail(job.job_id, this.now(), `PRINT_RENDER_FAILED: ${(err as Error).message}`);
      this.p.log.error({ err, job: job.job_id }, 'a print job could not be rendered');
      return;
    }
    this.p.jobs.attempt(job.job_id);
    try {
      const r = await sendToPrinter(printer.address, bytes);
      this.p.jobs.done(job.job_id, this.now());
      this.link.set(printer.printer_id, { state: r.confirmed ? 'ok' : 'unknown', last_error: null });
    } catch (err) {
      if (!(err instanceof PrinterLinkError)) throw err;
      if (err.bytesSent > 0) this.p.jobs.sent(job.job_id, err.bytesSent);
      this.link.set(printer.printer_id, { state: err.failure, last_error: err.message.slice(0, 300) });
      const attempts = job.attempts + 1;
      if (attempts >= PRINT_ATTEMPTS_MAX) {
        this.p.jobs.fail(job.job_id, this.now(), `after ${attempts} attempts: ${err.message}`);
        this.p.log.warn({ job: job.job_id, printer: printer.printer_id }, 'a print job was given up on');
        return;
      }
      const base = this.p.retryBaseMs ?? PRINT_RETRY_BASE_MS;
      const cap = this.p.retryCapMs ?? PRINT_RETRY_CAP_MS;
      this.p.jobs.retry(job.job_id, this.now() + Math.min(cap, base * 2 ** (attempts - 1)), err.message);
    }
  }

  /** Each printer's queue and state, for the status and the staff screens. */
  view(): PrintQueueView {
    const counts = new Map(this.p.jobs.counts().map((c) => [c.printer_id, c]));
    return {
      printers: this.p.printers.list().map((s) => {
        const c = counts.get(s.printer_id);
        const l = this.link.get(s.printer_id) ?? { state: 'unknown', last_error: null };
        return {
          printer_id: s.printer_id,
          name: s.name,
          role: s.role,
          pending: c?.pending ?? 0,
          failed: c?.failed ?? 0,
          state: l.state,
          last_error: l.last_error,
          last_printed_at_ms: c?.last_done_ms ?? null,
        };
      }),
      refused: this.p.follower.refused,
    };
  }
}
