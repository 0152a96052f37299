// The customer's languages, with i18next: English, German and Chinese. The texts live in
// renderer/locales/, one bundle per screen (the customer's, the host's error codes, the board,
// the staff screens, the manager's panels), merged here; money is formatted and parsed here too.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { mergeTree, type Tree } from './locales/bundle.js';
import { BUNDLES } from './locales/index.js';

export const LANGUAGES = ['en', 'de', 'zh'] as const;

export function initI18n(lng: string): typeof i18next {
  void i18next.use(initReactI18next).init({
    lng,
    fallbackLng: 'en',
    resources: {
      en: { translation: BUNDLES.reduce((t, b) => mergeTree(t, b.en), {} as Tree) },
      de: { translation: BUNDLES.reduce((t, b) => mergeTree(t, b.de), {} as Tree) },
      zh: { translation: BUNDLES.reduce((t, b) => mergeTree(t, b.zh), {} as Tree) },
    },
    interpolation: { escapeValue: false },
  });
  return i18next;
}

/** The currency's minor-unit digits (2 for EUR, 0 for JPY). */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Money in the store's currency, formatted for the language: integer minor units in. */
export function formatMoney(amountMinor: number, currency: string, lng: string): string {
  const digits = currencyDigits(currency);
  const locale = lng === 'zh' ? 'zh-CN' : lng === 'de' ? 'de-DE' : 'en-GB';
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amountMinor / 10 ** digits);
}

/** An amount as staff type it ("12.50", "12,5", "12") to integer minor units, by joining the
 * digits as text (never through a float); null when it is not an amount in that currency
 * (more decimals than the currency has, thousands separators, signs, letters). */
export function parseMoney(text: string, currency: string): number | null {
  const digits = currencyDigits(currency);
  const m = /^(\d{1,12})(?:[.,](\d*))?$/.exec(text.trim().replace(/[\s\u00a0]/g, ''));
  if (!m) return null;
  const fraction = m[2] ?? '';
  if (fraction.length > digits) return null;
  const minor = Number(m[1]! + fraction.padEnd(digits, '0'));
  return Number.isSafeInteger(minor) ? minor : null;
}
