// The Reports panel's filter form as typed, and how it becomes the host's ReportFilters: the
// amounts parsed in the store's currency, and the hours turned into times inside the report's
// day (which the host's first answer bounds).
import type { DayReport, ReportFilters } from '../../../electron/contract/api.js';
import { parseMoney } from '../../i18n.js';

export const KINDS = ['payment', 'refund', 'void', 'day_close', 'config', 'key_rotation'] as const;
export const SETTLEMENTS = ['pending', 'settled', 'declined', 'recorded'] as const;
export const METHODS = ['face', 'cash', 'card'] as const;
export const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** The filter form as typed; turned into ReportFilters when applied. */
export interface Form {
  kinds: string[];
  settlement: string;
  method: string;
  customer: string;
  amountMin: string;
  amountMax: string;
  /** Local hours, inclusive; '' for the whole day. */
  fromHour: string;
  toHour: string;
}

export const EMPTY: Form = {
  kinds: [],
  settlement: '',
  method: '',
  customer: '',
  amountMin: '',
  amountMax: '',
  fromHour: '',
  toHour: '',
};

export type Problem = 'amountInvalid' | 'amountOrder' | 'timeOrder' | 'tooLarge';

/** The form's filters except time; null and the problem when an amount is not one. */
export function baseFilters(f: Form, currency: string): { filters: ReportFilters } | { problem: Problem } {
  const out: ReportFilters = {};
  if (f.kinds.length > 0) out.kinds = f.kinds as ReportFilters['kinds'];
  if (f.settlement) out.settlement = [f.settlement as (typeof SETTLEMENTS)[number]];
  if (f.method) out.method = [f.method as (typeof METHODS)[number]];
  if (f.customer.trim()) out.customer = f.customer.trim().slice(0, 64);
  for (const [text, key] of [
    [f.amountMin, 'amount_min_minor'],
    [f.amountMax, 'amount_max_minor'],
  ] as const) {
    if (!text.trim()) continue;
    const minor = parseMoney(text, currency);
    if (minor === null) return { problem: 'amountInvalid' };
    out[key] = minor;
  }
  if (
    out.amount_min_minor !== undefined &&
    out.amount_max_minor !== undefined &&
    out.amount_min_minor > out.amount_max_minor
  )
    return { problem: 'amountOrder' };
  if (f.fromHour && f.toHour && Number(f.fromHour) > Number(f.toHour)) return { problem: 'timeOrder' };
  return { filters: out };
}

/** The form's hours as absolute times inside the report's day (an hour a DST change skips takes the next one). */
export function timeFilters(f: Form, r: DayReport): Pick<ReportFilters, 'from_ms' | 'to_ms'> {
  const out: Pick<ReportFilters, 'from_ms' | 'to_ms'> = {};
  if (f.fromHour)
    out.from_ms = r.by_hour.slice(Number(f.fromHour)).find((h) => h.start_ms !== null)?.start_ms ?? r.day_end_ms;
  if (f.toHour)
    out.to_ms =
      [...r.by_hour.slice(0, Number(f.toHour) + 1)].reverse().find((h) => h.end_ms !== null)?.end_ms ??
      r.day_start_ms + 1;
  return out;
}
