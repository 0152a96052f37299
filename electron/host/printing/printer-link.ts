// Bytes to one printer, with a time limit on every step. A network printer (its raw port, 9100):
// connect, ask the paper sensor (DLE EOT 4) and refuse to print on an empty roll, write the job,
// then ask the printer's status (DLE EOT 1) and wait for its answer: a printer answers in order,
// so the answer says every byte before it was taken; a connection that drops before it (the
// printer switched off mid-job) is a failure, and the job is sent again. A printer that never
// answers status requests (some do not on the network port) is printed to anyway: its answer's
// absence is "unknown", not an error. A device file (USB /dev/usb/lp0, serial): written and
// closed within the write limit; it has no status to ask.
import { lstat, open } from 'node:fs/promises';
import { Socket } from 'node:net';
import type { PrinterAddress } from '../../contract/api.js';

/** A printer on the shop's network answers a connect in well under a second; 3 s is one that is off. */
export const PRINTER_CONNECT_TIMEOUT_MS = 3_000;
/** A job (at most PRINT_JOB_BYTES_MAX) is taken at the printer's speed: a long receipt with a raster
 * logo or Chinese lines in 2-3 s on a 250 mm/s printer; 15 s is a printer that is stuck. */
export const PRINTER_WRITE_TIMEOUT_MS = 15_000;
/** A status request is answered in milliseconds by a printer that answers them at all. */
export const PRINTER_STATUS_TIMEOUT_MS = 1_500;

const DLE_EOT_PRINTER = Buffer.from([0x10, 0x04, 0x01]);
const DLE_EOT_PAPER = Buffer.from([0x10, 0x04, 0x04]);

export type LinkFailure = 'unreachable' | 'paper_out' | 'offline';

export class PrinterLinkError extends Error {
  constructor(
    readonly failure: LinkFailure,
    message: string,
    /** Bytes of the job written before it failed (the paper may hold part of it). */
    readonly bytesSent: number,
  ) {
    super(message);
  }
}

export interface SendResult {
  /** Whether the printer answered its status after the job (false: it never answers them). */
  confirmed: boolean;
}

export async function sendToPrinter(address: PrinterAddress, bytes: Uint8Array): Promise<SendResult> {
  if (address.kind === 'device') return writeDevice(address.path, bytes);
  return sendTcp(address.host, address.port, bytes);
}

async function writeDevice(path: string, bytes: Uint8Array): Promise<SendResult> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new PrinterLinkError('unreachable', `${path}: no write within ${PRINTER_WRITE_TIMEOUT_MS} ms`, 0)),
      PRINTER_WRITE_TIMEOUT_MS,
    );
  });
  const write = (async () => {
    let file;
    try {
      file = await open(path, 'a');
    } catch (err) {
      throw new PrinterLinkError('unreachable', `${path}: ${(err as Error).message}`, 0);
    }
    try {
      await refuseNonPrinter(path, file);
      await file.write(bytes);
      return { confirmed: false };
    } catch (err) {
      throw new PrinterLinkError('unreachable', `${path}: ${(err as Error).message}`, 0);
    } finally {
      await file.close();
    }
  })();
  try {
    return await Promise.race([write, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** A printer's device is a character device (a link to one is how a technician names it); a plain
 * file only as itself, with no other name: a symbolic or hard link in printer-devices to the
 * ledger (or any other file) would have receipts appended to it (red team 3). */
async function refuseNonPrinter(path: string, file: Awaited<ReturnType<typeof open>>): Promise<void> {
  const st = await file.stat();
  if (st.isCharacterDevice()) return;
  const link = await lstat(path);
  if (!st.isFile() || link.isSymbolicLink() || st.nlink !== 1)
    throw new Error('not a printer: a link to a file that is not a character device');
}

/** One connection: replies read as they come, every wait bounded, the socket always destroyed. */
class Connection {
  private readonly socket = new Socket();
  private received: number[] = [];
  private closedWhy: string | null = null;
  private wake: (() => void) | null = null;
  written = 0;

  constructor(private readonly where: string) {
    this.socket.on('data', (d: Buffer) => {
      this.received.push(...d);
      this.wake?.();
    });
    this.socket.on('close', () => {
      this.closedWhy ??= 'the printer closed the connection';
      this.wake?.();
    });
    this.socket.on('error', (err) => {
      this.closedWhy = err.message;
      this.wake?.();
    });
  }

  connect(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.socket.destroy();
        reject(this.fail('unreachable', `no connection within ${PRINTER_CONNECT_TIMEOUT_MS} ms`));
      }, PRINTER_CONNECT_TIMEOUT_MS);
      this.socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.once('error', (err) => {
        clearTimeout(timer);
        reject(this.fail('unreachable', err.message));
      });
      this.socket.connect(port, host);
    });
  }

  fail(failure: LinkFailure, why: string): PrinterLinkError {
    return new PrinterLinkError(failure, `${this.where}: ${why}`, this.written);
  }

  write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(this.fail('unreachable', `the job not taken within ${PRINTER_WRITE_TIMEOUT_MS} ms`)),
        PRINTER_WRITE_TIMEOUT_MS,
      );
      this.written += bytes.length;
      this.socket.write(bytes, (err) => {
        clearTimeout(timer);
        if (err) reject(this.fail('unreachable', err.message));
        else resolve();
      });
    });
  }

  /** The status byte answering `request`; null when none came in time (a printer that never answers). */
  async status(request: Buffer): Promise<number | null> {
    this.received = [];
    this.socket.write(request);
    const deadline = Date.now() + PRINTER_STATUS_TIMEOUT_MS;
    while (this.received.length === 0) {
      if (this.closedWhy !== null) throw this.fail('unreachable', this.closedWhy);
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
    return this.received[0]!;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

async function sendTcp(host: string, port: number, bytes: Uint8Array): Promise<SendResult> {
  const c = new Connection(`${host}:${port}`);
  try {
    await c.connect(host, port);
    // Paper: bits 5 and 6 of DLE EOT 4 are the roll-end sensor (Epson's ESC/POS reference).
    const paper = await c.status(DLE_EOT_PAPER);
    if (paper !== null && (paper & 0x60) === 0x60) throw c.fail('paper_out', 'out of paper');
    // Printer: bit 3 of DLE EOT 1 is "offline" (the cover open, the feed button held).
    const before = await c.status(DLE_EOT_PRINTER);
    if (before !== null && (before & 0x08) !== 0) throw c.fail('offline', 'the printer is offline (cover open?)');
    await c.write(bytes);
    const after = await c.status(DLE_EOT_PRINTER);
    // A printer that answered before the job and not after it may have lost the job.
    if (after === null && before !== null) throw c.fail('unreachable', 'no answer after the job');
    return { confirmed: after !== null };
  } finally {
    c.destroy();
  }
}
