// Money and menu names in the customer's language.
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../i18n.js';

export type Money = (minor: number, currency: string) => string;

export function useMoney(): Money {
  const { i18n } = useTranslation();
  return (minor, currency) => formatMoney(minor, currency, i18n.language);
}

/** A menu item's or category's name in the language, else in English. */
export function nameIn(m: { name: Record<string, string> }, lng: string): string {
  return m.name[lng] || m.name.en || '';
}
