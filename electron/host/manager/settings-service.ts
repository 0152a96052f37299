// The manager's Settings panel (the settings domain's calls): the limits and store settings with
// their ranges and the face calibration's measured error rates, which any member of staff may
// read, and a manager's change of one, signed into the ledger as a config entry naming them
// (settings.ts keeps the values and checks each change).
import type { Logger } from 'pino';
import type { RequestOf, ResponseOf } from '../../contract/api.js';
import { calibration } from '../../face/calibration.js';
import { ApiFault } from '../fault.js';
import { approverOf, type StaffDirectory } from '../staff/directory.js';
import type { DomainService } from '../transport/routes.js';
import {
  SETTING_KEYS,
  SETTING_RANGES,
  SettingError,
  SettingRefused,
  TEXT_SETTING_KEYS,
  type KioskSettings,
} from './settings.js';

export interface SettingsParts {
  log: Logger;
  staff: StaffDirectory;
  settings: KioskSettings;
}

export class SettingsService implements DomainService<'settings'> {
  constructor(private readonly p: SettingsParts) {}

  /** Any staff: the values; the history (who changed what, and who left kiosk mode) only a manager. */
  settings(req: RequestOf<'settings'>): ResponseOf<'settings'> {
    const me = this.p.staff.require(req.token, 'cashier');
    const values = this.p.settings.current();
    const cal = calibration();
    return {
      settings: SETTING_KEYS.map((key) => ({ key, value: values[key], ...SETTING_RANGES[key] })),
      texts: TEXT_SETTING_KEYS.map((key) => ({ key, value: this.p.settings.text(key) })),
      calibration: {
        source: cal.source,
        people: cal.people,
        images: cal.images,
        caveat: cal.caveat,
        rows: this.p.settings.calibrationRows(),
      },
      history: me.role === 'manager' ? this.p.settings.history() : [],
      tax: this.p.settings.tax.table(),
    };
  }

  /** Manager only: a VAT rate's percentage, or the rate a tax category takes eaten in or taken away. */
  setTax(req: RequestOf<'setTax'>): ResponseOf<'setTax'> {
    const changedBy = approverOf(this.p.staff.require(req.token, 'manager'));
    const t = this.p.settings.tax;
    const r =
      req.change.kind === 'rate'
        ? t.setRate(req.change.rate_id, req.change.rate_bp, changedBy, req.reason)
        : t.setCategory(req.change.category_id, req.change.service, req.change.rate_id, changedBy, req.reason);
    this.p.log.info({ change: req.change, previous: r.previous, changed_by: changedBy, seq: r.seq }, 'tax changed');
    return { seq: r.seq, changed_by: changedBy, tax: t.table() };
  }

  /** Manager only: one limit changed, signed into the ledger as a config entry naming the manager. */
  setSetting(req: RequestOf<'setSetting'>): ResponseOf<'setSetting'> {
    const changedBy = approverOf(this.p.staff.require(req.token, 'manager'));
    try {
      const r =
        typeof req.value === 'string'
          ? this.p.settings.setText(req.key, req.value, changedBy, req.reason)
          : this.p.settings.set(req.key, req.value, changedBy, req.reason);
      this.p.log.info(
        { key: req.key, previous: r.previous, value: r.value, changed_by: changedBy, seq: r.seq },
        'setting changed',
      );
      return { seq: r.seq, key: req.key, previous: r.previous, value: r.value, changed_by: changedBy };
    } catch (err) {
      if (err instanceof SettingError) throw new ApiFault('API_BAD_REQUEST', err.message);
      if (err instanceof SettingRefused) throw new ApiFault('SETTING_REFUSED', err.message);
      throw err;
    }
  }
}
