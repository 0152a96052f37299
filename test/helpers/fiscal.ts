// A fiscal log and recorder beside a test ledger (fiscal.db in the same folder, as the kiosk
// keeps it), signed by the software unit over the ledger's device key; and a reader of the
// RFC 4180 CSV the exports write.
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DeviceKey } from '../../ledger/keys/device-key.js';
import { FiscalLog } from '../../ledger/fiscal/fiscal-log.js';
import { FiscalRecorder, type LedgerView } from '../../ledger/fiscal/recorder.js';
import { SoftwareSigningUnit, unitSerialOf, type SigningUnit } from '../../ledger/fiscal/signing-unit.js';
import { KIOSK } from './ledger.js';

export function openFiscalFor(
  dir: string,
  ledger: LedgerView,
  key: DeviceKey,
  wrap: (u: SigningUnit) => SigningUnit = (u) => u,
): { log: FiscalLog; recorder: FiscalRecorder; turnoverKey: Uint8Array } {
  const log = FiscalLog.open(join(dir, 'fiscal.db'));
  const unit = wrap(new SoftwareSigningUnit(key, log.maxCounter(unitSerialOf(key.publicKey))));
  const turnoverKey = randomBytes(32);
  const recorder = new FiscalRecorder({ log, unit, kioskId: KIOSK, timezone: 'Europe/Berlin', turnoverKey });
  recorder.begin(ledger);
  return { log, recorder, turnoverKey };
}

/** Rows of a CSV file as objects by column name (the exports' quoting: "" inside quotes). */
export function readCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (quoted && c === '"') quoted = false;
    else if (quoted) cell += c;
    else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      records.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  const [head, ...rest] = records;
  return rest.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i] ?? ''])));
}

/** Minor units from an export's "12.34" / "-0.50". */
export const minorOf = (s: string | undefined): number => {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(s ?? '');
  if (!m) throw new Error(`not an amount: ${JSON.stringify(s)}`);
  return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number(m[3]));
};
