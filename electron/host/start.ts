// `npm start` in plain Node: the kiosk host. Today it opens and checks the ledger with the
// device key and reports its state; the screens, the camera flow and the settlement link
// are built on top of it (see README, "State of the kiosk").

import { loadConfig, ConfigError } from '../config.js';
import { createLogger } from '../log.js';
import { openKioskLedger } from './ledger-service.js';
import { formatMoney } from '../../ledger/protocol/money.js';
import { LedgerError } from '../../ledger/protocol/errors.js';

export function main(): number {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`smile-to-pay: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const log = createLogger({ level: config.log_level });
  try {
    const service = openKioskLedger(config, log);
    const tip = service.store.tip();
    process.stdout.write(
      [
        `Smile to Pay kiosk host — ${config.store.name} (${config.kiosk_id})`,
        `  ledger:   ${service.ledgerPath}, ${service.store.count()} entries, tip seq ${tip.seq}, last ${service.tailChecked} re-verified`,
        `  key:      ${service.keyPath} (Ed25519 ${tip.public_key.slice(0, 16)}…)`,
        `  currency: ${config.store.currency} (offline limit per payment ${formatMoney(config.limits.offline_payment_max_minor, config.store.currency)})`,
        `  check it: node bin/ledger.js verify ${service.ledgerPath}`,
        '',
      ].join('\n'),
    );
    service.store.close();
    return 0;
  } catch (err) {
    if (err instanceof LedgerError) {
      log.error({ code: err.code, seq: err.seq }, err.message);
      process.stderr.write(`smile-to-pay: out of service: ${err.code}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
