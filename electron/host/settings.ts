// The kiosk's limits a manager may change while it runs: the offline limits and the
// cashier's refund limit. Each
// change is a `config` entry in the ledger (key, value, previous, changed_by, reason), so
// the ledger says who changed what and when; at start the values are the configured ones
// with every recorded change replayed over them. Each value stays within a safe range.

import type { LedgerStore } from '../../ledger/store/store.js';
import type { KioskLimits } from '../../ledger/sync/kiosk-state.js';
import type { KioskConfig } from '../config.js';

const HOUR_MS = 3_600_000;

/** What may be changed, and the range each must stay in (minor units, or ms). */
export const SETTING_RANGES = {
  offline_payment_max_minor: { min: 100, max: 100_000 },
  offline_customer_day_max_minor: { min: 100, max: 500_000 },
  // Square uploads offline payments within 24 h: never longer here, never under an hour.
  offline_unsynced_age_ms_max: { min: HOUR_MS, max: 24 * HOUR_MS },
  refund_cashier_max_minor: { min: 0, max: 100_000 },
} as const;

export type SettingKey = keyof typeof SETTING_RANGES;
export const SETTING_KEYS = Object.keys(SETTING_RANGES) as SettingKey[];
export type Settings = Record<SettingKey, number>;

export class SettingError extends Error {
  readonly code = 'SETTING_INVALID';
}

export class KioskSettings {
  private readonly values: Settings;

  constructor(
    config: KioskConfig,
    private readonly store: LedgerStore,
  ) {
    this.values = {
      offline_payment_max_minor: config.limits.offline_payment_max_minor,
      offline_customer_day_max_minor: config.limits.offline_customer_day_max_minor,
      offline_unsynced_age_ms_max: config.limits.offline_unsynced_age_ms_max,
      refund_cashier_max_minor: config.limits.refund_cashier_max_minor,
    };
    // Changes recorded in the ledger win over the file: they are what a manager did here.
    for (const { entry } of store.entriesOfKind('config')) {
      if (entry.kind !== 'config') continue;
      const key = entry.body.key as SettingKey;
      if (key in SETTING_RANGES && typeof entry.body.value === 'number') this.values[key] = entry.body.value;
    }
  }

  current(): Settings {
    return { ...this.values };
  }

  get(key: SettingKey): number {
    return this.values[key];
  }

  /** The offline limits, as the sync layer's authorizeFacePayment takes them. */
  localLimits(): KioskLimits {
    return {
      payment_minor_max: this.values.offline_payment_max_minor,
      customer_day_minor_max: this.values.offline_customer_day_max_minor,
      unsynced_age_ms_max: this.values.offline_unsynced_age_ms_max,
    };
  }

  /** Changes one setting, recorded as a signed config entry; returns its seq. */
  set(key: string, value: number, changedBy: string, reason: string): { seq: number; previous: number; value: number } {
    if (!(key in SETTING_RANGES)) throw new SettingError(`unknown setting ${JSON.stringify(key)}; expected one of ${SETTING_KEYS.join(', ')}`);
    const k = key as SettingKey;
    const { min, max } = SETTING_RANGES[k];
    if (!Number.isSafeInteger(value) || value < min || value > max) throw new SettingError(`${k}: expected an integer in ${min}..${max}, got ${value}`);
    const next = { ...this.values, [k]: value };
    if (next.offline_payment_max_minor > next.offline_customer_day_max_minor) {
      throw new SettingError('offline_payment_max_minor must not exceed offline_customer_day_max_minor');
    }
    const previous = this.values[k];
    const stored = this.store.append('config', { key: k, value, previous, changed_by: changedBy, reason });
    this.values[k] = value;
    return { seq: stored.entry.seq, previous, value };
  }
}
