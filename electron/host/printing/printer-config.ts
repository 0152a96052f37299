// The store's printers, as a manager sets them up: each one a signed `config` entry
// (`printer.<id>` = the set-up as canonical JSON text, or "" once removed) naming who and why, so
// the ledger says who pointed the receipts where; at start the ledger's entries are replayed. At
// most one receipt printer (it also opens the drawer); kitchen stations each print their menu
// categories. A device file must be a printer's (/dev/usb/lp*, /dev/lp*, a serial port) or inside
// the kiosk's own printer-devices folder: a manager's set-up never names an arbitrary file to
// write to.
import { join, normalize } from 'node:path';
import type { LedgerStore } from '../../../ledger/store/store.js';
import { TEXT_LENGTH_MAX } from '../../../ledger/protocol/entry.js';
import { PRINTERS_MAX, PrinterSetup } from '../../contract/api.js';
import { ApiFault } from '../fault.js';

const KEY = /^printer\.([a-z0-9][a-z0-9-]{0,31})$/;
const DEVICE_PATHS = /^\/dev\/(usb\/lp\d{1,2}|lp\d{1,2}|ttyUSB\d{1,2}|ttyACM\d{1,2}|ttyS\d{1,2})$/;

export class PrinterBook {
  private readonly setups = new Map<string, PrinterSetup>();
  /** Where a test's or a technician's device files may be (a link to a printer's device). */
  readonly devicesDir: string;

  constructor(
    private readonly store: LedgerStore,
    dataDir: string,
  ) {
    this.devicesDir = join(dataDir, 'printer-devices');
    for (const { entry } of store.entriesOfKind('config')) {
      if (entry.kind !== 'config') continue;
      const k = KEY.exec(entry.body.key);
      if (!k || typeof entry.body.value !== 'string') continue;
      if (entry.body.value === '') this.setups.delete(k[1]!);
      else {
        const parsed = PrinterSetup.safeParse(safeJson(entry.body.value));
        if (parsed.success) this.setups.set(k[1]!, parsed.data);
      }
    }
  }

  list(): PrinterSetup[] {
    return [...this.setups.values()].sort((a, b) => a.printer_id.localeCompare(b.printer_id));
  }

  get(printerId: string): PrinterSetup | null {
    return this.setups.get(printerId) ?? null;
  }

  receiptPrinter(): PrinterSetup | null {
    return this.list().find((p) => p.role === 'receipt') ?? null;
  }

  kitchenPrinters(): PrinterSetup[] {
    return this.list().filter((p) => p.role === 'kitchen');
  }

  /** A manager's change, signed. Refused before anything is written: a second receipt printer,
   * more than PRINTERS_MAX, a device outside the allowed ones, removing one that is not there. */
  set(setup: PrinterSetup, remove: boolean, changedBy: string, reason: string): number {
    const id = setup.printer_id;
    const previous = this.setups.get(id);
    if (remove) {
      if (!previous) throw new ApiFault('PRINTER_UNKNOWN', `no printer ${id}: the store's are ${this.ids()}`);
    } else {
      this.check(setup);
      if (!previous && this.setups.size >= PRINTERS_MAX)
        throw new ApiFault('PRINTER_INVALID', `the store has ${this.setups.size} printers, at most ${PRINTERS_MAX}`);
    }
    const value = remove ? '' : JSON.stringify(canonical(setup));
    if (value.length > TEXT_LENGTH_MAX)
      throw new ApiFault(
        'PRINTER_INVALID',
        `the set-up is ${value.length} characters, a config entry holds ${TEXT_LENGTH_MAX}`,
      );
    const stored = this.store.append('config', {
      key: `printer.${id}`,
      value,
      ...(previous ? { previous: JSON.stringify(canonical(previous)) } : {}),
      changed_by: changedBy,
      reason,
    });
    if (remove) this.setups.delete(id);
    else this.setups.set(id, canonical(setup));
    return stored.entry.seq;
  }

  private check(setup: PrinterSetup): void {
    const other = this.receiptPrinter();
    if (setup.role === 'receipt' && other && other.printer_id !== setup.printer_id)
      throw new ApiFault(
        'PRINTER_INVALID',
        `${other.printer_id} is the receipt printer: one prints receipts and opens the drawer (change it, or make this one a kitchen station)`,
      );
    if (setup.address.kind === 'device') {
      const path = normalize(setup.address.path);
      const inOwn = path.startsWith(this.devicesDir + '/');
      if (path !== setup.address.path || (!DEVICE_PATHS.test(path) && !inOwn))
        throw new ApiFault(
          'PRINTER_INVALID',
          `device ${JSON.stringify(setup.address.path)}: expected a printer's device (/dev/usb/lp0, /dev/lp0, /dev/ttyUSB0, /dev/ttyACM0, /dev/ttyS0) or a file in ${this.devicesDir}`,
        );
    }
  }

  private ids(): string {
    return (
      this.list()
        .map((p) => p.printer_id)
        .join(', ') || '(none)'
    );
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The set-up with its fields in one order (the config entry's text is the same for the same set-up). */
function canonical(s: PrinterSetup): PrinterSetup {
  return {
    printer_id: s.printer_id,
    name: s.name,
    role: s.role,
    address:
      s.address.kind === 'tcp'
        ? { kind: 'tcp', host: s.address.host, port: s.address.port }
        : { kind: 'device', path: s.address.path },
    columns: s.columns,
    categories: s.role === 'kitchen' ? [...new Set(s.categories)].sort() : [],
    language: s.language,
  };
}
