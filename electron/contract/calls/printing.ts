// The store's printers and the cash drawer (electron/host/printing): the receipt printer (which
// also opens the drawer) and the kitchen stations' printers, configured by a manager (each change
// a signed config entry), the print queue's state per printer, a staff re-print of a receipt or a
// kitchen ticket (marked as a re-print on paper), the X report on paper, and the drawer's
// openings (who, why, when). Nothing here opens the drawer: only a cash payment, a cash refund and
// a pay-in/out do, on the host.
import { z } from 'zod';
import { actor, call, count, freeText, id, reason, seq, staffToken, text, timeMs } from '../shapes.js';

/** Printers a store configures, at most (a receipt printer and a few kitchen stations). */
export const PRINTERS_MAX = 8;
/** Menu categories one kitchen station prints, at most. */
export const STATION_CATEGORIES_MAX = 32;
/** Drawer openings a list answers, at most (the newest). */
export const DRAWER_OPENINGS_LISTED_MAX = 200;

export const printerId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'a-z, 0-9 and -, at most 32');

/** Where a printer is: a network printer's raw port (9100), or a device file (USB, serial). */
export const PrinterAddress = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('tcp'),
    host: z.string().regex(/^[A-Za-z0-9.:-]{1,253}$/, 'a host name or an IP address'),
    port: z.number().int().min(1).max(65_535),
  }),
  z.object({
    kind: z.literal('device'),
    path: z.string().regex(/^\/[A-Za-z0-9._/-]{1,199}$/, 'an absolute path'),
  }),
]);
export type PrinterAddress = z.infer<typeof PrinterAddress>;

export const PrinterSetup = z.object({
  printer_id: printerId,
  name: freeText(60, { trim: true, minChars: 1 }),
  /** receipt: receipts, reports and the drawer (one such printer); kitchen: a station's tickets. */
  role: z.enum(['receipt', 'kitchen']),
  address: PrinterAddress,
  /** Characters a line holds: 42 on 80 mm paper (font A), 32 on 58 mm. */
  columns: z.union([z.literal(32), z.literal(42), z.literal(48)]),
  /** A kitchen station: the menu categories it prints. */
  categories: z.array(id).max(STATION_CATEGORIES_MAX),
  /** The paper's language; null: the store's first language. */
  language: z.enum(['en', 'de', 'zh']).nullable(),
});
export type PrinterSetup = z.infer<typeof PrinterSetup>;

export const PrinterState = z.object({
  printer_id: printerId,
  name: freeText(60),
  role: z.enum(['receipt', 'kitchen']),
  pending: count,
  failed: count,
  /** ok: the last job printed (or none yet); else why the last attempt did not. */
  state: z.enum(['ok', 'unknown', 'unreachable', 'paper_out', 'offline']),
  last_error: text.nullable(),
  last_printed_at_ms: timeMs.nullable(),
});
export type PrinterState = z.infer<typeof PrinterState>;

export const PrintQueueView = z.object({
  printers: z.array(PrinterState).max(PRINTERS_MAX),
  /** Jobs refused because the queue was full since start (staff re-print them). */
  refused: count,
});
export type PrintQueueView = z.infer<typeof PrintQueueView>;

export const DrawerOpening = z.object({
  seq,
  reason: z.enum(['cash_payment', 'cash_refund', 'pay_in', 'pay_out']),
  by: actor,
  /** The order, the refunded payment's seq, or the pay-in/out's reason. */
  ref: freeText(500),
  requested_at_ms: timeMs,
  /** When the printer took the kick; null: not (yet) sent, printer away. */
  kicked_at_ms: timeMs.nullable(),
});
export type DrawerOpening = z.infer<typeof DrawerOpening>;

export const printingCalls = {
  /** Any signed-in staff: the printers, and their queues (pending, failed, why). */
  printers: call({
    channel: 'printing:printers',
    timeout_ms: 3_000,
    request: z.object({ token: staffToken }),
    response: z.object({ setups: z.array(PrinterSetup).max(PRINTERS_MAX), queue: PrintQueueView }),
  }),
  /** Manager only: a printer added or changed (or removed, with remove), as a signed config entry. */
  setPrinter: call({
    channel: 'printing:set-printer',
    timeout_ms: 5_000,
    request: z.object({
      token: staffToken,
      printer: PrinterSetup,
      remove: z.boolean().optional(),
      reason,
    }),
    response: z.object({ seq, setups: z.array(PrinterSetup).max(PRINTERS_MAX) }),
  }),
  /** Any signed-in staff: a payment's receipt, or its order's kitchen tickets, printed again and
   * marked as a re-print. PRINT_QUEUE_FULL when the queue holds its bound. */
  reprint: call({
    channel: 'printing:reprint',
    timeout_ms: 3_000,
    request: z.object({ token: staffToken, what: z.enum(['receipt', 'kitchen']), seq }),
    response: z.object({ jobs: z.number().int().min(0).max(PRINTERS_MAX) }),
  }),
  /** Any signed-in staff: the shift's X report on the receipt printer. */
  printXReport: call({
    channel: 'printing:x-report',
    timeout_ms: 5_000,
    request: z.object({ token: staffToken }),
    response: z.object({ jobs: z.number().int().min(0).max(1) }),
  }),
  /** Any signed-in staff: the drawer's openings since an entry (the open shift's, by default). */
  drawerOpenings: call({
    channel: 'printing:drawer-openings',
    timeout_ms: 3_000,
    request: z.object({ token: staffToken, since_seq: seq.optional() }),
    response: z.object({ openings: z.array(DrawerOpening).max(DRAWER_OPENINGS_LISTED_MAX) }),
  }),
} as const;
