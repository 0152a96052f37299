// What the paper says, in the store's languages (en, de, zh): the labels of receipts, kitchen
// tickets and the X and Z reports, money as integer minor units written out (never through a
// float), and times in the store's time zone. The host's own table, not the screens' locale
// files: the paper is printed by the host, and no text of it comes from a screen.
import { zoneClock } from '../../../ledger/protocol/zone-clock.js';

export type PaperLanguage = 'en' | 'de' | 'zh';

const LABELS = {
  receipt: { en: 'Receipt', de: 'Beleg', zh: '收据' },
  reprint: { en: '*** RE-PRINT ***', de: '*** KOPIE ***', zh: '*** 重印 ***' },
  number: { en: 'No.', de: 'Nr.', zh: '编号' },
  order: { en: 'Order', de: 'Bestellung', zh: '订单' },
  vat_id: { en: 'VAT ID', de: 'USt-IdNr.', zh: '税号' },
  subtotal: { en: 'Subtotal', de: 'Zwischensumme', zh: '小计' },
  discount: { en: 'Discount', de: 'Rabatt', zh: '折扣' },
  total: { en: 'Total', de: 'Summe', zh: '合计' },
  tip: { en: 'Tip', de: 'Trinkgeld', zh: '小费' },
  vat: { en: 'VAT', de: 'MwSt.', zh: '增值税' },
  net: { en: 'net', de: 'netto', zh: '净额' },
  gross: { en: 'gross', de: 'brutto', zh: '总额' },
  paid: { en: 'Paid', de: 'Bezahlt', zh: '已付' },
  cash: { en: 'Cash', de: 'Bar', zh: '现金' },
  card: { en: 'Card', de: 'Karte', zh: '银行卡' },
  face: { en: 'Smile to Pay', de: 'Smile to Pay', zh: '刷脸支付' },
  check: { en: 'Check this receipt:', de: 'Beleg prüfen:', zh: '验证此收据：' },
  eat_in: { en: 'Eat in', de: 'Im Haus', zh: '堂食' },
  take_away: { en: 'Take away', de: 'Außer Haus', zh: '外带' },
  note: { en: 'Note', de: 'Notiz', zh: '备注' },
  kitchen: { en: 'Kitchen ticket', de: 'Küchenbon', zh: '厨房单' },
  x_report: { en: 'X report (shift)', de: 'X-Bericht (Schicht)', zh: 'X报表（班次）' },
  z_report: { en: 'Z report (day close)', de: 'Z-Bericht (Tagesabschluss)', zh: 'Z报表（日结）' },
  shift_by: { en: 'Shift of', de: 'Schicht von', zh: '班次' },
  opened: { en: 'Opened', de: 'Geöffnet', zh: '开班' },
  float: { en: 'Float', de: 'Wechselgeld', zh: '备用金' },
  cash_sales: { en: 'Cash sales', de: 'Barverkäufe', zh: '现金销售' },
  cash_refunds: { en: 'Cash refunds', de: 'Barerstattungen', zh: '现金退款' },
  pay_ins: { en: 'Pay-ins', de: 'Einlagen', zh: '存入' },
  pay_outs: { en: 'Pay-outs', de: 'Entnahmen', zh: '取出' },
  tips: { en: 'Tips', de: 'Trinkgelder', zh: '小费' },
  expected: { en: 'Cash expected', de: 'Soll-Bestand', zh: '应有现金' },
  counted: { en: 'Counted', de: 'Gezählt', zh: '清点' },
  variance: { en: 'Variance', de: 'Differenz', zh: '差额' },
  payments: { en: 'Payments', de: 'Zahlungen', zh: '付款' },
  refunds: { en: 'Refunds', de: 'Erstattungen', zh: '退款' },
  voids: { en: 'Voids', de: 'Stornos', zh: '作废' },
  drawer: { en: 'Drawer openings', de: 'Schubladenöffnungen', zh: '钱箱打开' },
  cash_payment: { en: 'cash payment', de: 'Barzahlung', zh: '现金付款' },
  cash_refund: { en: 'cash refund', de: 'Barerstattung', zh: '现金退款' },
  pay_in: { en: 'pay-in', de: 'Einlage', zh: '存入' },
  pay_out: { en: 'pay-out', de: 'Entnahme', zh: '取出' },
  closed_by: { en: 'Closed by', de: 'Abgeschlossen von', zh: '结账人' },
  entries: { en: 'Entries', de: 'Buchungen', zh: '条目' },
  none: { en: '(none)', de: '(keine)', zh: '（无）' },
  // The fiscal block (KassenSichV § 6), as the receipt page words it (renderer/locales/fiscal.ts).
  f_start: { en: 'Transaction start', de: 'Vorgangsbeginn', zh: '交易开始' },
  f_end: { en: 'Transaction end', de: 'Vorgangsende', zh: '交易结束' },
  f_transaction: { en: 'Transaction number', de: 'Transaktionsnummer', zh: '交易编号' },
  f_counter: { en: 'Signature counter', de: 'Signaturzähler', zh: '签名计数器' },
  f_till: { en: 'Till serial number', de: 'Seriennummer der Kasse', zh: '收银机序列号' },
  f_unit: { en: 'Signing unit serial number', de: 'Seriennummer der Sicherheitseinrichtung', zh: '安全装置序列号' },
  f_signature: { en: 'Signature', de: 'Prüfwert', zh: '签名' },
  f_unit_failed: {
    en: 'Signing unit failed (Sicherheitseinrichtung ausgefallen): this receipt is not signed.',
    de: 'Sicherheitseinrichtung ausgefallen: dieser Beleg ist nicht signiert.',
    zh: '安全装置故障（Sicherheitseinrichtung ausgefallen）：此小票未签名。',
  },
  f_qr: { en: 'Receipt code (DSFinV-K)', de: 'Belegcode (DSFinV-K)', zh: '小票码（DSFinV-K）' },
  f_training: {
    en: '*** TRAINING: not a sale, no money was taken ***',
    de: '*** Trainingsbuchung: kein Umsatz, kein Geld ***',
    zh: '*** 培训：非销售，未收款 ***',
  },
} as const satisfies Record<string, Record<PaperLanguage, string>>;

export type LabelKey = keyof typeof LABELS;

export const label = (lang: PaperLanguage, key: LabelKey): string => LABELS[key][lang];

/** Digits after the separator of a currency (ISO 4217's minor unit), from the platform's table. */
function fractionDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** 1250 EUR -> "12.50 EUR" (en, zh) or "12,50 EUR" (de): integer arithmetic only. */
export function money(amountMinor: number, currency: string, lang: PaperLanguage): string {
  if (!Number.isSafeInteger(amountMinor))
    throw new Error(`assertion failed: an amount in minor units, got ${amountMinor}`);
  const digits = fractionDigits(currency);
  const sign = amountMinor < 0 ? '-' : '';
  const abs = Math.abs(amountMinor);
  const unit = 10 ** digits;
  const major = Math.floor(abs / unit);
  const frac = digits === 0 ? '' : (lang === 'de' ? ',' : '.') + String(abs % unit).padStart(digits, '0');
  return `${sign}${major}${frac} ${currency}`;
}

/** A rate in basis points as a percentage: 1900 -> "19%", 750 -> "7.5%" ("7,5%" in German). */
export function percent(rateBp: number, lang: PaperLanguage): string {
  const whole = Math.floor(rateBp / 100);
  const rest = rateBp % 100;
  if (rest === 0) return `${whole}%`;
  const frac = String(rest).padStart(2, '0').replace(/0$/, '');
  return `${whole}${lang === 'de' ? ',' : '.'}${frac}%`;
}

/** A time on paper: "2026-12-07 14:05" in the store's zone (the store clock's local time). */
export function paperTime(ms: number, timeZone: string): string {
  return zoneClock(timeZone).localTime(ms).slice(0, 16).replace('T', ' ');
}
