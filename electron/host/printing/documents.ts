// What a job prints, as a document of simple blocks (a line, a line with an amount at its right
// edge, a rule, a QR code), built and localised when the job is queued and stored with it
// (print.db), so that the paper says what the ledger said when the entry was made, and a re-print
// repeats it. escpos.ts turns a document into the printer's bytes. The receipt prints what the
// kiosk's receipt has (payment/receipts.ts): the merchant, the number and time, the lines with
// their tax letter, discounts, VAT per rate, the tip, every payment of the bill, and the
// verification lookup as a printer QR code, then the fiscal fields and DSFinV-K's code. A kitchen ticket prints one station's lines of an
// order with their options and notes.
import type { Order, Receipt } from '../../contract/api.js';
import { label, money, paperTime, percent, type LabelKey, type PaperLanguage } from './print-texts.js';

export type Block =
  | { t: 'text'; text: string; align?: 'left' | 'center' | 'right'; bold?: boolean; big?: boolean }
  | { t: 'pair'; left: string; right: string; bold?: boolean }
  | { t: 'rule' }
  | { t: 'qr'; data: string }
  | { t: 'feed' };

export interface PrintDoc {
  /** The paper's language: which lines need a raster font is decided by their characters. */
  lang: PaperLanguage;
  blocks: Block[];
  /** Cut the paper after it (every document but a drawer kick). */
  cut: boolean;
  /** Open the cash drawer (a drawer job: nothing printed). */
  kick: boolean;
}

/**
 * Blocks one document holds, at most: a receipt of ORDER_LINES_MAX lines with all their options
 * and discounts (about 520 blocks), SPLIT_SHARES_MAX payments with tips and the fiscal block fits.
 */
export const DOC_BLOCKS_MAX = 700;

export const DRAWER_DOC: PrintDoc = { lang: 'en', blocks: [], cut: false, kick: true };

export function checkDoc(doc: PrintDoc): PrintDoc {
  if (doc.blocks.length > DOC_BLOCKS_MAX)
    throw new Error(`assertion failed: a document of ${doc.blocks.length} blocks, at most ${DOC_BLOCKS_MAX}`);
  return doc;
}

/** The order's number as the pass calls it out: the last 4 characters of its id, upper case (the
 * full id is printed below it). */
export const orderNumber = (orderId: string): string => orderId.slice(-4).toUpperCase();

const methodLabel = (lang: PaperLanguage, method: string): string =>
  method === 'cash' ? label(lang, 'cash') : method === 'card' ? label(lang, 'card') : label(lang, 'face');

export interface ReceiptContext {
  lang: PaperLanguage;
  timeZone: string;
  /** An option's name in the paper's language (the receipt holds the option's id). */
  optionName?: (itemId: string, optionId: string) => string | null;
}

export function receiptDoc(r: Receipt, c: ReceiptContext): PrintDoc {
  const { lang } = c;
  const m = (n: number): string => money(n, r.currency, lang);
  const b: Block[] = [];
  if (r.fiscal?.training) b.push({ t: 'text', text: label(lang, 'f_training'), align: 'center', bold: true });
  if (r.merchant.name) b.push({ t: 'text', text: r.merchant.name, align: 'center', bold: true, big: true });
  for (const line of r.merchant.address) b.push({ t: 'text', text: line, align: 'center' });
  if (r.merchant.vat_id) b.push({ t: 'text', text: `${label(lang, 'vat_id')} ${r.merchant.vat_id}`, align: 'center' });
  b.push({ t: 'feed' });
  b.push({ t: 'text', text: `${label(lang, 'receipt')} ${label(lang, 'number')} ${r.seq}`, bold: true });
  b.push({ t: 'text', text: paperTime(r.created_at_ms, c.timeZone) });
  b.push({ t: 'text', text: `${label(lang, 'order')} #${orderNumber(r.order_id)}` });
  b.push({ t: 'text', text: r.order_id });
  b.push({ t: 'rule' });
  if (r.sale) {
    for (const l of r.sale.lines) {
      b.push({ t: 'pair', left: `${l.quantity} x ${l.name} ${l.rate_id}`, right: m(l.amount_minor) });
      for (const o of l.options) b.push({ t: 'text', text: `  + ${c.optionName?.(l.item_id, o) ?? o}` });
      if (l.discount_minor > 0)
        b.push({ t: 'pair', left: `  ${label(lang, 'discount')}`, right: m(-l.discount_minor) });
    }
    for (const d of r.sale.discounts)
      if (d.line === null)
        b.push({ t: 'pair', left: `${label(lang, 'discount')} ${d.reason}`, right: m(-d.amount_minor) });
    b.push({ t: 'rule' });
    b.push({ t: 'pair', left: label(lang, 'total'), right: m(r.sale.total_minor), bold: true });
  } else {
    b.push({ t: 'pair', left: label(lang, 'total'), right: m(r.amount_minor - r.tip_minor), bold: true });
  }
  const rates = r.sale?.by_rate ?? r.by_rate;
  for (const x of rates)
    b.push({
      t: 'pair',
      left: `${x.rate_id} ${label(lang, 'vat')} ${percent(x.rate_bp, lang)} ${label(lang, 'net')} ${m(x.net_minor)}`,
      right: m(x.tax_minor),
    });
  b.push({ t: 'rule' });
  for (const p of r.payments) {
    b.push({
      t: 'pair',
      left: `${label(lang, 'paid')} ${methodLabel(lang, p.method)} #${p.seq}`,
      right: m(p.amount_minor),
    });
    if (p.tip_minor > 0) b.push({ t: 'pair', left: `  ${label(lang, 'tip')}`, right: m(p.tip_minor) });
  }
  if (r.customer_initials) b.push({ t: 'text', text: r.customer_initials });
  b.push({ t: 'feed' });
  b.push({ t: 'text', text: label(lang, 'check'), align: 'center' });
  b.push({ t: 'qr', data: r.lookup_url ?? r.entry_hash });
  b.push({ t: 'text', text: r.entry_hash.slice(0, 16), align: 'center' });
  if (r.fiscal) fiscalBlocks(b, r.fiscal, c);
  return checkDoc({ lang, blocks: b, cut: true, kick: false });
}

/** Characters of a long value (a serial, a signature) on one printed line: fits 32 columns. */
const VALUE_CHARS_PER_LINE = 32;

/**
 * What KassenSichV § 6 asks a receipt to show, as the receipt page shows it: start and end, the
 * transaction number and signature counter, the serials of till and signing unit, the signature,
 * and DSFinV-K's receipt code as a second QR. A failed unit's receipt says so instead of a signature.
 */
function fiscalBlocks(b: Block[], f: NonNullable<Receipt['fiscal']>, c: ReceiptContext): void {
  const { lang } = c;
  const long = (key: LabelKey, value: string): void => {
    b.push({ t: 'text', text: `${label(lang, key)}:` });
    for (let i = 0; i < value.length; i += VALUE_CHARS_PER_LINE)
      b.push({ t: 'text', text: `  ${value.slice(i, i + VALUE_CHARS_PER_LINE)}` });
  };
  b.push({ t: 'rule' });
  b.push({ t: 'text', text: `${label(lang, 'f_start')}: ${paperTime(f.start_ms, c.timeZone)}` });
  b.push({ t: 'text', text: `${label(lang, 'f_end')}: ${paperTime(f.end_ms, c.timeZone)}` });
  b.push({ t: 'text', text: `${label(lang, 'f_transaction')}: ${f.transaction_number}` });
  if (f.signature_counter !== null) b.push({ t: 'text', text: `${label(lang, 'f_counter')}: ${f.signature_counter}` });
  long('f_till', f.kassen_serial);
  long('f_unit', f.unit_serial);
  if (f.unit_failed) b.push({ t: 'text', text: label(lang, 'f_unit_failed'), bold: true });
  else long('f_signature', `${f.algorithm} ${f.signature}`);
  if (f.qr_code) {
    b.push({ t: 'text', text: label(lang, 'f_qr'), align: 'center' });
    b.push({ t: 'qr', data: f.qr_code });
  }
}

export interface KitchenContext {
  lang: PaperLanguage;
  timeZone: string;
  station: string;
  /** The item's menu category (a line goes to the station that prints its category). */
  categoryOf: (itemId: string) => string | null;
  categories: readonly string[];
  atMs: number;
}

/** One station's part of an order; null when none of its lines are the station's. */
export function kitchenDoc(o: Order, c: KitchenContext): PrintDoc | null {
  const { lang } = c;
  const lines = o.lines.filter((l) => {
    const cat = c.categoryOf(l.item_id);
    return cat !== null && c.categories.includes(cat);
  });
  if (lines.length === 0) return null;
  const b: Block[] = [
    { t: 'text', text: `${label(lang, 'kitchen')}: ${c.station}`, align: 'center' },
    { t: 'text', text: `${label(lang, 'order')} #${orderNumber(o.order_id)}`, align: 'center', bold: true, big: true },
    { t: 'text', text: o.order_id, align: 'center' },
    {
      t: 'text',
      text: `${label(lang, o.service === 'take_away' ? 'take_away' : 'eat_in')} ${paperTime(c.atMs, c.timeZone)}`,
    },
    { t: 'rule' },
  ];
  for (const l of lines) {
    b.push({ t: 'text', text: `${l.quantity} x ${l.name[lang]}`, bold: true, big: true });
    for (const opt of l.options) b.push({ t: 'text', text: `  + ${opt.name[lang]}` });
    if (l.note) b.push({ t: 'text', text: `  ! ${l.note}`, bold: true });
  }
  if (o.note) {
    b.push({ t: 'rule' });
    b.push({ t: 'text', text: `${label(lang, 'note')}: ${o.note}`, bold: true });
  }
  return checkDoc({ lang, blocks: b, cut: true, kick: false });
}

/** The document a re-print prints: the same, marked at its top ("*** RE-PRINT ***"). */
export function markedReprint(doc: PrintDoc): PrintDoc {
  const mark: Block = { t: 'text', text: label(doc.lang, 'reprint'), align: 'center', bold: true };
  return { ...doc, blocks: [mark, ...doc.blocks] };
}
