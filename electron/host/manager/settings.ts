// The kiosk's limits a manager may change while it runs: the offline limits and the
// cashier's refund limit. Each
// change is a `config` entry in the ledger (key, value, previous, changed_by, reason), so
// the ledger says who changed what and when; at start the values are the configured ones
// with every recorded change replayed over them. Each value stays within a safe range.
// Also the face match threshold (shown with the measured FAR of electron/face/calibration) and
// the step-up amount, which the matcher reads at each identification (matchConfig()), and the
// store's texts: the customer screen's languages and the currency (texts, not numbers).

import type { LedgerStore } from '../../../ledger/store/store.js';
import type { KioskLimits } from '../../../ledger/sync/kiosk-state.js';
import type { KioskConfig } from '../../config.js';
import { FACE_CONFIG, type FaceConfig } from '../../face/config.js';
import {
  CALIBRATION_GRID_MILLI,
  calibration,
  calibrationAt,
  matchConfigWith,
  type CalibrationRow,
} from '../../face/calibration.js';
import { isCurrency } from '../../../ledger/protocol/money.js';
import { isPayable, type OrderStatus } from '../../contract/api.js';
import { TaxSettings } from './tax-settings.js';

const HOUR_MS = 3_600_000;

/** What may be changed, and the range each must stay in (minor units, or ms). */
export const SETTING_RANGES = {
  offline_payment_max_minor: { min: 100, max: 100_000 },
  offline_customer_day_max_minor: { min: 100, max: 500_000 },
  // Square uploads offline payments within 24 h: never longer here, never under an hour.
  offline_unsynced_age_ms_max: { min: HOUR_MS, max: 24 * HOUR_MS },
  refund_cashier_max_minor: { min: 0, max: 100_000 },
  // A discount or comp above this needs a manager on the spot.
  discount_cashier_max_minor: { min: 0, max: 100_000 },
  // The match threshold, in thousandths of a descriptor distance, on the calibration's grid.
  // 0.60 is the descriptor's published operating point (calibration-faces.json: 3.1% of the
  // impostor comparisons accepted there): never higher. Under 0.45 more than one genuine
  // comparison in fifteen is refused (6.6% at 0.45, 9.9% at 0.43): a kiosk that refuses its customers.
  match_threshold_milli: { min: 450, max: 600, step: CALIBRATION_GRID_MILLI },
  // Payments at or above this amount always ask for the phone digits (0: every payment does).
  step_up_amount_minor: { min: 0, max: 100_000 },
  // 1: training mode (training.ts): receipts and entries marked, left out of the day's money.
  training_mode: { min: 0, max: 1 },
} as const;

export type SettingKey = keyof typeof SETTING_RANGES;
export const SETTING_KEYS = Object.keys(SETTING_RANGES) as SettingKey[];
export type Settings = Record<SettingKey, number>;

export class SettingError extends Error {
  readonly code = 'SETTING_INVALID';
}

/** A valid change that cannot be made now (the currency while the open day has money entries,
 * an order can still be paid, or the settlement server has no limits in the new currency). */
export class SettingRefused extends Error {
  readonly code = 'SETTING_REFUSED';
}

/** The settings that are texts: which languages the customer screen offers, and the currency. */
export const TEXT_SETTING_KEYS = ['store_languages', 'store_currency'] as const;
export type TextSettingKey = (typeof TEXT_SETTING_KEYS)[number];
export const STORE_LANGUAGES = ['en', 'de', 'zh'] as const;
export type StoreLanguage = (typeof STORE_LANGUAGES)[number];
/** Config entries listed as the settings' history, at most (the newest). */
export const SETTING_HISTORY_MAX = 50;

export interface SettingChange {
  seq: number;
  created_at_ms: number;
  key: string;
  value: string | number | boolean;
  previous: string | number | boolean | null;
  changed_by: string;
  reason: string | null;
}

/** "de,en" -> the languages in the screen's order, once each; an unknown one is refused. */
export function parseLanguages(text: string): StoreLanguage[] {
  const parts = text
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0);
  const bad = parts.filter((x) => !(STORE_LANGUAGES as readonly string[]).includes(x));
  if (bad.length > 0 || parts.length === 0)
    throw new SettingError(
      `store_languages: expected a comma-separated choice of ${STORE_LANGUAGES.join(', ')} (at least one), got ${JSON.stringify(text)}`,
    );
  return STORE_LANGUAGES.filter((l) => parts.includes(l));
}

/** What a currency change asks the rest of the kiosk (kiosk.ts wires both). Without them the
 * currency cannot change (a KioskSettings opened only to read the settings). */
export interface CurrencyChecks {
  /** The orders kept (the OrderBook's list); the payable ones were priced in their currency. */
  orders: () => readonly { order_id: string; status: OrderStatus; currency: string }[];
  /** The settlement server's offline limits for a currency (KioskState.limits): defined only
   * for a currency the merchant settles in, i.e. has wallets and limits in. */
  serverLimits: (currency: string) => KioskLimits | undefined;
}

/** A key of SETTING_RANGES itself, never one of Object.prototype's ("constructor", "toString"). */
export const isSettingKey = (key: string): key is SettingKey => Object.hasOwn(SETTING_RANGES, key);

export class KioskSettings {
  private readonly values: Settings;
  private readonly texts: Record<TextSettingKey, string>;
  /** The store's VAT rates and categories (tax-settings.ts). */
  readonly tax: TaxSettings;

  constructor(
    config: KioskConfig,
    private readonly store: LedgerStore,
    private readonly checks: CurrencyChecks | null = null,
  ) {
    this.tax = new TaxSettings(config.tax, store);
    this.values = {
      offline_payment_max_minor: config.limits.offline_payment_max_minor,
      offline_customer_day_max_minor: config.limits.offline_customer_day_max_minor,
      offline_unsynced_age_ms_max: config.limits.offline_unsynced_age_ms_max,
      refund_cashier_max_minor: config.limits.refund_cashier_max_minor,
      discount_cashier_max_minor: config.limits.discount_cashier_max_minor,
      match_threshold_milli: Math.round(FACE_CONFIG.match.accept_distance_max * 1000),
      step_up_amount_minor: config.limits.step_up_amount_minor,
      training_mode: 0,
    };
    this.texts = { store_languages: config.store.languages.join(','), store_currency: config.store.currency };
    // Changes recorded in the ledger win over the file: they are what a manager did here.
    for (const { entry } of store.entriesOfKind('config')) {
      if (entry.kind !== 'config') continue;
      const key = entry.body.key;
      if (isSettingKey(key) && typeof entry.body.value === 'number') this.values[key] = entry.body.value;
      const textKey = entry.body.key as TextSettingKey;
      if (TEXT_SETTING_KEYS.includes(textKey) && typeof entry.body.value === 'string')
        this.texts[textKey] = entry.body.value;
    }
  }

  current(): Settings {
    return { ...this.values };
  }

  get(key: SettingKey): number {
    return this.values[key];
  }

  /** A money limit as it applies to an amount in `currency`. The limits are minor units of the
   * store's currency: they say nothing of an amount in another (a payment of an earlier day, before
   * the currency changed; 2,000 yen is not 20.00 euros), which gets the strict side, 0: no cashier
   * refunds it, and (were a face payment ever in it) every payment steps up. */
  limitIn(key: 'refund_cashier_max_minor' | 'step_up_amount_minor', currency: string): number {
    return currency === this.texts.store_currency ? this.values[key] : 0;
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
    if (!isSettingKey(key))
      throw new SettingError(`unknown setting ${JSON.stringify(key)}; expected one of ${SETTING_KEYS.join(', ')}`);
    const k = key;
    const range = SETTING_RANGES[k];
    const { min, max } = range;
    if (!Number.isSafeInteger(value) || value < min || value > max)
      throw new SettingError(`${k}: expected an integer in ${min}..${max}, got ${value}`);
    if ('step' in range && (value - min) % range.step !== 0)
      throw new SettingError(`${k}: expected a multiple of ${range.step} (the calibration's grid), got ${value}`);
    if (k === 'match_threshold_milli' && calibrationAt(value) === undefined)
      throw new Error(`assertion failed: ${value} is in range but has no calibration row`);
    const next = { ...this.values, [k]: value };
    if (next.offline_payment_max_minor > next.offline_customer_day_max_minor) {
      throw new SettingError('offline_payment_max_minor must not exceed offline_customer_day_max_minor');
    }
    const previous = this.values[k];
    const stored = this.store.append('config', { key: k, value, previous, changed_by: changedBy, reason });
    this.values[k] = value;
    return { seq: stored.entry.seq, previous, value };
  }

  /** The face match settings as the matcher takes them, with the manager's threshold and
   * step-up amount (read at every identification, so a change applies to the next payment). */
  matchConfig(): FaceConfig['match'] {
    return matchConfigWith(this.values.match_threshold_milli, this.values.step_up_amount_minor);
  }

  /** The measured FAR/FRR at every threshold a manager may choose. */
  calibrationRows(): CalibrationRow[] {
    const { min, max } = SETTING_RANGES.match_threshold_milli;
    return calibration().rows.filter((r) => r.threshold_milli >= min && r.threshold_milli <= max);
  }

  text(key: TextSettingKey): string {
    return this.texts[key];
  }

  languages(): StoreLanguage[] {
    return parseLanguages(this.texts.store_languages);
  }

  /** Changes a text setting, recorded as a signed config entry.
   *
   * The currency is only a label on amounts: the menu's price_minor and the offline limits are
   * plain minor units of whatever the currency is (a menu per currency is not built), so a change
   * re-prices nothing. It is refused unless it is safe to relabel:
   * - the open day has no payments, refunds or voids (a day's totals are per currency, and a Z
   *   report mixing the old and the new would confuse whoever reconciles it);
   * - no order can still be paid in another currency (it would be paid at its old label);
   * - the settlement server has sent offline limits for the new currency, which it does only for
   *   a currency the merchant settles in (face payments in any other would settle as declined,
   *   SETTLE_CURRENCY_MISMATCH, against the merchant's wallets).
   * The manager still checks the menu's prices and the limits, which keep their numbers. */
  setText(
    key: string,
    value: string,
    changedBy: string,
    reason: string,
  ): { seq: number; previous: string; value: string } {
    if (!(TEXT_SETTING_KEYS as readonly string[]).includes(key))
      throw new SettingError(
        `unknown setting ${JSON.stringify(key)}; expected one of ${[...SETTING_KEYS, ...TEXT_SETTING_KEYS].join(', ')}`,
      );
    const k = key as TextSettingKey;
    let next: string;
    if (k === 'store_languages') next = parseLanguages(value).join(',');
    else {
      next = value.trim().toUpperCase();
      if (!isCurrency(next))
        throw new SettingError(
          `store_currency: expected an ISO 4217 currency code such as EUR, got ${JSON.stringify(value)}`,
        );
      if (next !== this.texts.store_currency) this.refuseCurrencyChange(next);
    }
    const previous = this.texts[k];
    const stored = this.store.append('config', { key: k, value: next, previous, changed_by: changedBy, reason });
    this.texts[k] = next;
    return { seq: stored.entry.seq, previous, value: next };
  }

  /** Throws SettingRefused naming the first reason the currency cannot become `next` now. */
  private refuseCurrencyChange(next: string): void {
    const now = this.texts.store_currency;
    const moving = this.openDayMoneyEntries();
    if (moving > 0)
      throw new SettingRefused(
        `the open day has ${moving} payment, refund or void entries in ${now}: close the day first, then change the currency`,
      );
    if (this.checks === null)
      throw new SettingRefused(
        "this kiosk cannot check its open orders and the settlement server's limits here: change the currency on the running kiosk",
      );
    const open = this.checks.orders().filter((o) => isPayable(o) && o.currency !== next);
    if (open.length > 0) {
      const named = open
        .slice(0, 3)
        .map((o) => `${o.order_id} (${o.status}, ${o.currency})`)
        .join(', ');
      throw new SettingRefused(
        `${open.length} order(s) can still be paid in their old currency: ${named}${open.length > 3 ? ', ...' : ''}; take or settle their payment, then close the day and change the currency`,
      );
    }
    if (this.checks.serverLimits(next) === undefined) {
      throw new SettingRefused(
        `the settlement server has sent no offline limits for ${next}: the merchant does not settle in ${next}, so face payments would be declined; have the operator set up ${next} for this merchant, let the kiosk sync, then change the currency`,
      );
    }
  }

  private openDayMoneyEntries(): number {
    const first = this.store.openDay().first_seq;
    let n = 0;
    for (const e of this.store.entries(first, this.store.tip().seq))
      if (e.kind === 'payment' || e.kind === 'refund' || e.kind === 'void') n += 1;
    return n;
  }

  /** The newest config entries (every setting change, and leaving kiosk mode), newest first. */
  history(limit = SETTING_HISTORY_MAX): SettingChange[] {
    const out: SettingChange[] = [];
    for (const { entry } of this.store.entriesOfKind('config')) {
      if (entry.kind !== 'config') continue;
      const b = entry.body;
      out.push({
        seq: entry.seq,
        created_at_ms: entry.created_at_ms,
        key: b.key,
        value: b.value,
        previous: b.previous ?? null,
        changed_by: b.changed_by,
        reason: b.reason ?? null,
      });
      if (out.length > limit) out.shift();
    }
    return out.reverse();
  }
}
