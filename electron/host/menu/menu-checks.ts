// The checks on one menu change's fields, each refusing with a typed code and a message that
// names the field, what it expected and what arrived. Nothing here writes.
import type { Localised } from './menu-records.js';
import { MENU_ID_LENGTH_MAX, MENU_NAME_LENGTH_MAX, MENU_PRICE_MINOR_MAX } from '../../contract/constants.js';
import { ApiFault } from '../fault.js';

/** No dots (they split a config key), no spaces: what a URL, a log line and a key all take. */
const MENU_ID = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
/** Control characters (a newline, a tab) in a name would break a receipt's line or a ticket. */
// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function checkId(field: string, v: string): string {
  if (v.length === 0 || v.length > MENU_ID_LENGTH_MAX || !MENU_ID.test(v))
    throw new ApiFault(
      'MENU_ID_INVALID',
      `${field}: expected 1..${MENU_ID_LENGTH_MAX} letters, digits or - (starting with a letter or digit), got ${JSON.stringify(v.slice(0, 80))}`,
    );
  return v;
}

/** English is required (the other languages fall back to it on screen when left empty). */
export function checkName(field: string, n: Localised): Localised {
  const out = { en: n.en.trim(), de: n.de.trim(), zh: n.zh.trim() };
  if (out.en.length === 0) throw new ApiFault('MENU_NAME_INVALID', `${field}.en: a name is needed, got an empty one`);
  for (const lang of ['en', 'de', 'zh'] as const) {
    const s = out[lang];
    if (s.length > MENU_NAME_LENGTH_MAX)
      throw new ApiFault(
        'MENU_NAME_INVALID',
        `${field}.${lang}: at most ${MENU_NAME_LENGTH_MAX} characters, got ${s.length}`,
      );
    if (CONTROL.test(s))
      throw new ApiFault('MENU_NAME_INVALID', `${field}.${lang}: a single line of text, got a control character`);
  }
  return out;
}

/** An item costs something (an order's total must be positive); an option may cost nothing. */
export function checkPrice(field: string, v: number, minMinor: 0 | 1): number {
  if (!Number.isSafeInteger(v) || v < minMinor || v > MENU_PRICE_MINOR_MAX)
    throw new ApiFault(
      'MENU_PRICE_INVALID',
      `${field}: expected whole minor units in ${minMinor}..${MENU_PRICE_MINOR_MAX}, got ${v}`,
    );
  return v;
}

export function tooLarge(what: string, max: number): never {
  throw new ApiFault('MENU_TOO_LARGE', `the menu holds at most ${max} ${what}; retire or change one instead`);
}
