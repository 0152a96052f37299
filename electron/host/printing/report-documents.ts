// The X report (the shift so far, from the till's report: till.ts) and the Z report (the day's
// close as its entry signs it) on paper, each with the drawer's openings in it: who opened it,
// why and when.
import type { TillReport, ZReport } from '../../contract/api.js';
import type { Block, PrintDoc } from './documents.js';
import { checkDoc } from './documents.js';
import type { DrawerOpeningRow } from './print-store.js';
import { label, money, paperTime, percent, type PaperLanguage } from './print-texts.js';

/** Openings a report prints, at most (the newest); more are counted in one line. */
export const REPORT_OPENINGS_MAX = 100;

function openingBlocks(lang: PaperLanguage, tz: string, openings: readonly DrawerOpeningRow[]): Block[] {
  const b: Block[] = [{ t: 'rule' }, { t: 'text', text: `${label(lang, 'drawer')}: ${openings.length}`, bold: true }];
  if (openings.length === 0) b.push({ t: 'text', text: label(lang, 'none') });
  for (const o of openings.slice(0, REPORT_OPENINGS_MAX))
    b.push({
      t: 'text',
      text: `${paperTime(o.requested_at_ms, tz).slice(11)} #${o.seq} ${label(lang, o.reason)} ${o.by} ${o.ref}`.slice(
        0,
        200,
      ),
    });
  if (openings.length > REPORT_OPENINGS_MAX) b.push({ t: 'text', text: `+ ${openings.length - REPORT_OPENINGS_MAX}` });
  return b;
}

export function xReportDoc(
  r: TillReport,
  lang: PaperLanguage,
  tz: string,
  openings: readonly DrawerOpeningRow[],
): PrintDoc {
  const b: Block[] = [{ t: 'text', text: label(lang, 'x_report'), align: 'center', bold: true, big: true }];
  b.push({ t: 'text', text: paperTime(r.generated_at_ms, tz), align: 'center' });
  const s = r.shift;
  if (s) {
    const m = (n: number): string => money(n, s.currency, lang);
    b.push({ t: 'text', text: `${label(lang, 'shift_by')} ${s.opened_by} #${s.seq}` });
    b.push({ t: 'text', text: `${label(lang, 'opened')} ${paperTime(s.opened_at_ms, tz)}` });
    b.push({ t: 'rule' });
    b.push({ t: 'pair', left: label(lang, 'float'), right: m(s.float_minor) });
    b.push({ t: 'pair', left: label(lang, 'cash_sales'), right: m(s.cash_sales_minor) });
    b.push({ t: 'pair', left: label(lang, 'cash_refunds'), right: m(-s.cash_refunds_minor) });
    b.push({ t: 'pair', left: label(lang, 'pay_ins'), right: m(s.pay_ins_minor) });
    b.push({ t: 'pair', left: label(lang, 'pay_outs'), right: m(-s.pay_outs_minor) });
    b.push({ t: 'pair', left: label(lang, 'expected'), right: m(s.expected_minor), bold: true });
    b.push({ t: 'pair', left: label(lang, 'tips'), right: m(s.tips_minor) });
    if (s.closed) {
      b.push({ t: 'pair', left: label(lang, 'counted'), right: m(s.closed.counted_minor) });
      b.push({ t: 'pair', left: label(lang, 'variance'), right: m(s.closed.variance_minor) });
    }
    b.push({ t: 'rule' });
    for (const x of r.by_method)
      b.push({
        t: 'pair',
        left: `${label(lang, x.method === 'cash' ? 'cash' : x.method === 'card' ? 'card' : 'face')} (${x.payment_count})`,
        right: m(x.amount_minor),
      });
    for (const x of r.by_rate)
      b.push({
        t: 'pair',
        left: `${x.rate_id} ${percent(x.rate_bp, lang)} ${label(lang, 'net')} ${money(x.net_minor, x.currency, lang)}`,
        right: money(x.tax_minor, x.currency, lang),
      });
  } else b.push({ t: 'text', text: label(lang, 'none') });
  b.push(...openingBlocks(lang, tz, openings));
  return checkDoc({ lang, blocks: b, cut: true, kick: false });
}

/** What the Z report prints of the day's close (its entry's body, with its seq and time). */
export type ZPaper = Omit<ZReport, 'entry_hash' | 'signer_public_key'>;

export function zReportDoc(
  z: ZPaper,
  lang: PaperLanguage,
  tz: string,
  openings: readonly DrawerOpeningRow[],
): PrintDoc {
  const b: Block[] = [
    { t: 'text', text: label(lang, 'z_report'), align: 'center', bold: true, big: true },
    { t: 'text', text: z.business_day, align: 'center', bold: true },
    { t: 'text', text: `${label(lang, 'closed_by')} ${z.closed_by} ${paperTime(z.closed_at_ms, tz)}` },
    {
      t: 'text',
      text: `${label(lang, 'entries')} ${z.first_seq}-${z.last_seq} (${z.entry_count}) #${z.day_close_seq}`,
    },
    { t: 'rule' },
  ];
  for (const t of z.totals) {
    const m = (n: number): string => money(n, t.currency, lang);
    b.push({ t: 'pair', left: `${label(lang, 'payments')} (${t.payment_count})`, right: m(t.gross_minor) });
    b.push({ t: 'pair', left: label(lang, 'refunds'), right: m(-t.refunds_minor) });
    b.push({ t: 'pair', left: label(lang, 'voids'), right: m(-t.voids_minor) });
    if (t.tips_minor !== undefined) b.push({ t: 'pair', left: label(lang, 'tips'), right: m(t.tips_minor) });
    b.push({ t: 'pair', left: label(lang, 'total'), right: m(t.net_minor), bold: true });
  }
  for (const x of z.by_rate)
    b.push({
      t: 'pair',
      left: `${x.rate_id} ${percent(x.rate_bp, lang)} ${label(lang, 'net')} ${money(x.net_minor, x.currency, lang)}`,
      right: money(x.tax_minor, x.currency, lang),
    });
  for (const c of z.cash) {
    const m = (n: number): string => money(n, c.currency, lang);
    b.push({ t: 'rule' });
    b.push({ t: 'pair', left: label(lang, 'expected'), right: m(c.expected_minor) });
    b.push({ t: 'pair', left: label(lang, 'counted'), right: m(c.counted_minor) });
    b.push({ t: 'pair', left: label(lang, 'variance'), right: m(c.variance_minor), bold: true });
  }
  b.push(...openingBlocks(lang, tz, openings));
  b.push({ t: 'text', text: z.merkle_root.slice(0, 32), align: 'center' });
  return checkDoc({ lang, blocks: b, cut: true, kick: false });
}
