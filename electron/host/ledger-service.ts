// Opens the kiosk's ledger with its device key: makes the key on first start, finishes a
// key rotation that a crash interrupted, checks the tail of the chain. Plain Node.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import {
  loadOrCreateDeviceKey,
  settlePendingKey,
  type DeviceKey,
  type KeyProtector,
} from '../../ledger/keys/device-key.js';
import { LedgerStore } from '../../ledger/store/store.js';
import { LedgerReader } from '../../ledger/store/reader.js';
import type { KioskConfig } from '../config.js';

/** Entries whose links and signatures are re-checked at every start (the self-check). */
export const STARTUP_TAIL_ENTRIES = 1_000;

export interface LedgerService {
  store: LedgerStore;
  /** The key the ledger signs with (after any interrupted rotation was settled). */
  key: DeviceKey;
  keyPath: string;
  ledgerPath: string;
  tailChecked: number;
}

export function openKioskLedger(config: KioskConfig, log: Logger, protector?: KeyProtector): LedgerService {
  const ledgerPath = join(config.data_dir, 'ledger.db');
  const keyPath = join(config.data_dir, 'device-key.json');
  let key: DeviceKey;
  if (existsSync(ledgerPath) && existsSync(keyPath)) {
    // The ledger says which key signs next; a pending rotation is settled against it.
    const reader = new LedgerReader(ledgerPath);
    const expected = reader.keys[reader.keys.length - 1]!.public_key;
    reader.close();
    key = settlePendingKey(keyPath, expected, protector);
  } else {
    const made = loadOrCreateDeviceKey(keyPath, protector);
    key = made.key;
    if (made.created) log.info({ key_path: keyPath, public_key: key.publicKeyHex }, 'device key created');
  }
  const store = LedgerStore.open({ path: ledgerPath, kioskId: config.kiosk_id, key, timezone: config.store.timezone });
  const { checked } = store.verifyTail(STARTUP_TAIL_ENTRIES);
  log.info(
    {
      ledger: ledgerPath,
      entries: store.count(),
      tail_checked: checked,
      public_key: key.publicKeyHex,
      ...store.pragmas(),
    },
    'ledger open',
  );
  return { store, key, keyPath, ledgerPath, tailChecked: checked };
}
