// The kiosk's fiscal log: fiscal.db beside the ledger, the software signing unit over the
// device key, and the recorder that follows the ledger (ledger/fiscal/). follow() records every
// receipt entry committed since its last call; the receipt call runs it before it reads, and a
// timer runs it every FISCAL_FOLLOW_MS, so a refund or a void is signed within a second even if
// nobody prints it. It never throws into the payment path: a failed unit is recorded as an
// outage by the recorder; a failure of the log itself is logged and retried at the next call.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { DeviceKey } from '../../ledger/keys/device-key.js';
import type { LedgerStore } from '../../ledger/store/store.js';
import { FiscalLog, type FiscalReceiptRow, type Outage } from '../../ledger/fiscal/fiscal-log.js';
import { FiscalRecorder } from '../../ledger/fiscal/recorder.js';
import { SoftwareSigningUnit, unitSerialOf, type SigningUnit } from '../../ledger/fiscal/signing-unit.js';

/** How often the log catches up with the ledger: a receipt's end time is at most this late. */
export const FISCAL_FOLLOW_MS = 1_000;
const AES_KEY_DOMAIN = new TextEncoder().encode('smile-to-pay/fiscal/rksv-turnover-key/v1\n');

export interface KioskFiscal {
  follow(): void;
  get(seq: number): FiscalReceiptRow | undefined;
  outages(): Outage[];
  unit: SigningUnit;
  close(): void;
}

export function openKioskFiscal(
  dataDir: string,
  store: LedgerStore,
  key: DeviceKey,
  log: Logger,
  unitFor: (key: DeviceKey, counterStart: number) => SigningUnit = (k, c) => new SoftwareSigningUnit(k, c),
): KioskFiscal {
  const fiscal = FiscalLog.open(join(dataDir, 'fiscal.db'));
  const unit = unitFor(key, fiscal.maxCounter(unitSerialOf(key.publicKey)));
  // The RKSV turnover key: derived from the device key (Ed25519 signs deterministically), so it
  // is never stored; a registered till would register this key with the tax office.
  const turnoverKey = createHash('sha256')
    .update(key.signWithDomain(AES_KEY_DOMAIN, new TextEncoder().encode(store.kioskId)))
    .digest();
  const recorder = new FiscalRecorder({
    log: fiscal,
    unit,
    kioskId: store.kioskId,
    timezone: store.timezone,
    turnoverKey,
  });
  recorder.begin(store);
  const follow = (): void => {
    try {
      for (const row of recorder.catchUp(store))
        if (row.failed) log.warn({ seq: row.seq }, 'fiscal: receipt not signed, the signing unit is out');
    } catch (err) {
      log.error({ err }, 'fiscal: the log could not follow the ledger; retrying at the next call');
    }
  };
  const timer = setInterval(follow, FISCAL_FOLLOW_MS);
  timer.unref();
  return {
    follow,
    get: (seq) => fiscal.get(seq),
    outages: () => fiscal.outages(),
    unit,
    close: () => {
      clearInterval(timer);
      fiscal.close();
    },
  };
}
