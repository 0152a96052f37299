// A self-check's detail in the screen's language: the host's key and values when this screen
// has a text for the key, else the host's English detail (a failure's own message).
import type { i18n as I18n, TFunction } from 'i18next';
import type { Check } from '../../electron/contract/api.js';

export function checkText(c: Check, t: TFunction, i18n: I18n): string {
  const key = c.say ? `checks.${c.say.key}` : null;
  if (!c.say || !key || !i18n.exists(key)) return c.detail;
  const values: Record<string, string | number> = { ...c.say.values };
  if (typeof values.now_ms === 'number')
    values.now = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'medium' }).format(
      values.now_ms,
    );
  return t(key, values);
}
