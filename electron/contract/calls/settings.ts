// The manager's Settings panel: the limits and store settings a manager may change while the
// kiosk runs (offline limits, refund limit, step-up amount, the match threshold with the
// calibration's FAR and FRR beside it, languages, currency), each change a signed config entry.
import { z } from 'zod';
import { CALIBRATION_ROWS_MAX, SETTING_HISTORY_LISTED_MAX } from '../constants.js';
import { call, configValue, freeText, reason, seq, staffToken, text, timeMs } from '../shapes.js';
import { pricing, rateBp, rounding, service, taxId } from './orders.js';

/** The store's VAT: how prices are taxed and rounded, its rates, and each tax category's rate eaten in and taken away. */
export const TaxTable = z.object({
  pricing,
  rounding,
  service,
  rates: z.array(z.object({ rate_id: taxId, rate_bp: rateBp })).max(8),
  categories: z.array(z.object({ category_id: taxId, eat_in: taxId, take_away: taxId })).max(20),
});
export type TaxTable = z.infer<typeof TaxTable>;

/** A measured row of electron/face/calibration-faces.json: pairs accepted / refused at a threshold. */
export const CalibrationRow = z.object({
  threshold_milli: z.number().int().min(0).max(2_000),
  impostor_accepted: z.number().int().min(0),
  impostor_pairs: z.number().int().min(1),
  genuine_rejected: z.number().int().min(0),
  genuine_pairs: z.number().int().min(0),
  far_ci95: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]),
  frr_ci95: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]),
});
export type CalibrationRow = z.infer<typeof CalibrationRow>;

const settingKey = freeText(64);
const settingValue = z.union([z.number().int(), freeText(64)]);

export const SettingChange = z.object({
  seq,
  created_at_ms: timeMs,
  key: settingKey,
  value: configValue,
  previous: configValue.nullable(),
  changed_by: freeText(80),
  reason: text.nullable(),
});
export type SettingChange = z.infer<typeof SettingChange>;

export const settingsCalls = {
  /** Any staff: the limits a manager may change, with their current values and ranges. */
  settings: call({
    channel: 'settings:get',
    timeout_ms: 3_000,
    request: z.object({ token: staffToken }),
    response: z.object({
      settings: z
        .array(
          z.object({
            key: settingKey,
            value: z.number().int(),
            min: z.number().int(),
            max: z.number().int(),
            step: z.number().int().min(1).optional(),
          }),
        )
        .max(16),
      /** The text settings: languages ("en,de") and the currency (ISO 4217). */
      texts: z.array(z.object({ key: settingKey, value: freeText(64) })).max(8),
      /** The measured FAR/FRR at each threshold a manager may choose, with where it comes from. */
      calibration: z.object({
        source: text,
        people: z.number().int().min(0),
        images: z.number().int().min(0),
        caveat: text,
        rows: z.array(CalibrationRow).max(CALIBRATION_ROWS_MAX),
      }),
      /** Config entries (every change, who and when), newest first; a manager's only (empty for a cashier). */
      history: z.array(SettingChange).max(SETTING_HISTORY_LISTED_MAX),
      tax: TaxTable,
    }),
  }),
  /** Manager only: a rate's percentage (0-100 %, in basis points), or the rate a tax category takes
   * for a service; a signed config entry. Orders already placed keep their rates. */
  setTax: call({
    channel: 'settings:set-tax',
    timeout_ms: 5_000,
    request: z.object({
      token: staffToken,
      // Rates are checked by the host (TAX_RATE_INVALID names a value outside 0-100 %).
      change: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('rate'), rate_id: taxId, rate_bp: z.number().int() }),
        z.object({ kind: z.literal('category'), category_id: taxId, service: z.string().max(16), rate_id: taxId }),
      ]),
      reason,
    }),
    response: z.object({ seq, changed_by: z.string().max(80), tax: TaxTable }),
  }),
  /** Manager only: changes one limit within its range; recorded as a config entry naming the manager. */
  setSetting: call({
    channel: 'settings:set',
    timeout_ms: 5_000,
    request: z.object({
      token: staffToken,
      key: freeText(64, { minChars: 1 }),
      value: z.union([z.number().int(), freeText(64, { minChars: 1 })]),
      reason,
    }),
    response: z.object({
      seq,
      key: settingKey,
      previous: settingValue,
      value: settingValue,
      changed_by: freeText(80),
    }),
  }),
} as const;
