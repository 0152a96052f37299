// `ledger export --format dsfinvk`: the DSFinV-K tables (Digitale Schnittstelle der
// Finanzverwaltung für Kassensysteme) for a date range, file and column names as the
// specification names them, and an index.xml describing them. One Z (cashpointclosing) per
// closed business day; a day not closed yet is exported with an empty Z_NR.
//
// Every amount is a signed entry's: a receipt (BON_ID = the entry's seq) per payment, refund
// and void, its positions one per tax rate (the rate's signed gross, net and tax; the items of
// that rate as ARTIKELTEXT) plus the tip (TrinkgeldAN, untaxed); the Z tables are sums of
// those. A training receipt is BON_TYP AVTraining and is left out of every Z sum. The TSE
// tables come from fiscal.db (the signing unit's log), each row checked against its entry.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerReader } from '../store/reader.js';
import type { FiscalLog } from '../fiscal/fiscal-log.js';
import { decimal, processData } from '../fiscal/receipt-data.js';
import { percent } from './export.js';
import { csvTable, dayReceipts, type ExportDay, type ExportReceipt } from './export-days.js';
import { dsfinvkIndexXml } from './export-dsfinvk-index.js';

export const TAXONOMY_VERSION = '2.3';
const Z = ['Z_KASSE_ID', 'Z_ERSTELLUNG', 'Z_NR'] as const;

export const DSFINVK_TABLES = {
  'cashpointclosing.csv': [
    ...Z,
    'Z_BUCHUNGSTAG',
    'TAXONOMIE_VERSION',
    'Z_START_ID',
    'Z_ENDE_ID',
    'NAME',
    'STRASSE',
    'PLZ',
    'ORT',
    'LAND',
    'STNR',
    'USTID',
    'Z_SE_ZAHLUNGEN',
    'Z_SE_BARZAHLUNGEN',
  ],
  'cashregister.csv': [
    ...Z,
    'KASSE_BRAND',
    'KASSE_MODELL',
    'KASSE_SERIENNR',
    'KASSE_SW_BRAND',
    'KASSE_SW_VERSION',
    'KASSE_BASISWAEH_CODE',
    'KEINE_UST_ZUORDNUNG',
  ],
  'vat.csv': [...Z, 'UST_SCHLUESSEL', 'UST_SATZ', 'UST_BESCHR'],
  'tse.csv': [
    ...Z,
    'TSE_ID',
    'TSE_SERIAL',
    'TSE_SIG_ALGO',
    'TSE_ZEITFORMAT',
    'TSE_PD_ENCODING',
    'TSE_PUBLIC_KEY',
    'TSE_ZERTIFIKAT_I',
    'TSE_ZERTIFIKAT_II',
  ],
  'businesscases.csv': [
    ...Z,
    'GV_TYP',
    'GV_NAME',
    'AGENTUR_ID',
    'UST_SCHLUESSEL',
    'Z_UMS_BRUTTO',
    'Z_UMS_NETTO',
    'Z_UST',
  ],
  'payment.csv': [...Z, 'ZAHLART_TYP', 'ZAHLART_NAME', 'Z_ZAHLART_BETRAG'],
  'cash_per_currency.csv': [...Z, 'ZAHLART_WAEH', 'ZAHLART_BETRAG_WAEH'],
  'transactions.csv': [
    ...Z,
    'BON_ID',
    'BON_NR',
    'BON_TYP',
    'BON_NAME',
    'TERMINAL_ID',
    'BON_STORNO',
    'BON_START',
    'BON_ENDE',
    'BEDIENER_ID',
    'BEDIENER_NAME',
    'UMS_BRUTTO',
    'KUNDE_NAME',
    'KUNDE_ID',
    'KUNDE_TYP',
    'KUNDE_STRASSE',
    'KUNDE_PLZ',
    'KUNDE_ORT',
    'KUNDE_LAND',
    'KUNDE_USTID',
    'BON_NOTIZ',
  ],
  'transactions_vat.csv': [...Z, 'BON_ID', 'UST_SCHLUESSEL', 'BON_BRUTTO', 'BON_NETTO', 'BON_UST'],
  'datapayment.csv': [
    ...Z,
    'BON_ID',
    'ZAHLART_TYP',
    'ZAHLART_NAME',
    'ZAHLWAEH_CODE',
    'ZAHLWAEH_BETRAG',
    'BASISWAEH_BETRAG',
  ],
  'lines.csv': [
    ...Z,
    'BON_ID',
    'POS_ZEILE',
    'GUTSCHEIN_NR',
    'ARTIKELTEXT',
    'POS_TERMINAL_ID',
    'GV_TYP',
    'GV_NAME',
    'INHAUS',
    'P_STORNO',
    'AGENTUR_ID',
    'ART_NR',
    'GTIN',
    'WARENGR_ID',
    'WARENGR',
    'MENGE',
    'FAKTOR',
    'EINHEIT',
    'STK_BR',
  ],
  'lines_vat.csv': [...Z, 'BON_ID', 'POS_ZEILE', 'UST_SCHLUESSEL', 'POS_BRUTTO', 'POS_NETTO', 'POS_UST'],
  'transactions_tse.csv': [
    ...Z,
    'BON_ID',
    'TSE_ID',
    'TSE_TANR',
    'TSE_TA_START',
    'TSE_TA_ENDE',
    'TSE_TA_VORGANGSART',
    'TSE_TA_SIGZ',
    'TSE_TA_SIG',
    'TSE_TA_FEHLER',
    'TSE_VORGANGSDATEN',
  ],
} as const;
export type DsfinvkTable = keyof typeof DSFINVK_TABLES;
type Row = Record<string, string | number>;

/** DSFinV-K's VAT keys: 1 general (19 %), 2 reduced (7 %), 3 and 4 the farmers' averages,
 * 5 untaxed (0 %, and tips to staff), 7 not determinable (money signed without rates);
 * any other rate gets a key of its own from 1000, as the specification allows. */
const VAT_KEYS: ReadonlyMap<number, number> = new Map([
  [1900, 1],
  [700, 2],
  [1070, 3],
  [550, 4],
  [0, 5],
]);
const UNTAXED_KEY = 5;
const UNRATED_KEY = 7;

export function vatKey(rateBp: number, others: Map<number, number>): number {
  const k = VAT_KEYS.get(rateBp);
  if (k !== undefined) return k;
  if (!others.has(rateBp)) others.set(rateBp, 1000 + others.size);
  return others.get(rateBp)!;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function exportDsfinvk(
  reader: LedgerReader,
  fiscal: FiscalLog | null,
  days: ExportDay[],
  outDir: string,
): Record<DsfinvkTable, number> {
  const tables = Object.fromEntries(Object.keys(DSFINVK_TABLES).map((t) => [t, [] as Row[]])) as Record<
    DsfinvkTable,
    Row[]
  >;
  const others = new Map<number, number>();
  const rates = new Map<number, number>(); // vat key -> rate_bp
  const units = fiscal?.units() ?? [];
  for (const day of days) {
    const receipts = dayReceipts(reader, fiscal, day);
    const z = {
      Z_KASSE_ID: reader.kioskId,
      Z_ERSTELLUNG: day.close ? iso(day.close.entry.created_at_ms) : '',
      Z_NR: day.z_nr ?? '',
    };
    const money = receipts.filter((r) => !r.training);
    const sums = new Map<string, { gv: string; key: number; gross: number; net: number; tax: number }>();
    const pays = new Map<string, { typ: string; name: string; amount: number }>();
    const add = (gv: string, key: number, gross: number, net: number, tax: number): void => {
      const s = sums.get(`${gv}|${key}`) ?? { gv, key, gross: 0, net: 0, tax: 0 };
      Object.assign(s, { gross: s.gross + gross, net: s.net + net, tax: s.tax + tax });
      sums.set(`${gv}|${key}`, s);
    };
    for (const r of receipts) bon(r, z, others, rates, tables, fiscal);
    for (const r of money) {
      for (const rt of r.data.by_rate)
        add('Umsatz', vatKey(rt.rate_bp, others), rt.gross_minor, rt.net_minor, rt.tax_minor);
      if (r.data.tip_minor !== 0) add('TrinkgeldAN', UNTAXED_KEY, r.data.tip_minor, r.data.tip_minor, 0);
      if (r.data.unrated_minor !== 0) add('Umsatz', UNRATED_KEY, r.data.unrated_minor, r.data.unrated_minor, 0);
      for (const p of r.data.payments) {
        const k = `${p.type}|${p.method}`;
        const s = pays.get(k) ?? { typ: p.type, name: p.method, amount: 0 };
        s.amount += p.amount_minor;
        pays.set(k, s);
      }
    }
    const seqs = receipts.map((r) => r.read.entry.seq);
    const paid = [...pays.values()];
    const cash = paid.filter((p) => p.typ === 'Bar').reduce((s, p) => s + p.amount, 0);
    tables['cashpointclosing.csv'].push({
      ...z,
      Z_BUCHUNGSTAG: day.day,
      TAXONOMIE_VERSION: TAXONOMY_VERSION,
      Z_START_ID: seqs[0] ?? '',
      Z_ENDE_ID: seqs[seqs.length - 1] ?? '',
      LAND: 'DEU',
      Z_SE_ZAHLUNGEN: decimal(paid.reduce((s, p) => s + p.amount, 0)),
      Z_SE_BARZAHLUNGEN: decimal(cash),
    });
    tables['cashregister.csv'].push({
      ...z,
      KASSE_BRAND: 'Smile to Pay',
      KASSE_MODELL: 'kiosk',
      KASSE_SERIENNR: reader.kioskId,
      KASSE_SW_BRAND: 'Smile to Pay',
      KASSE_SW_VERSION: '1',
      KASSE_BASISWAEH_CODE: 'EUR',
      KEINE_UST_ZUORDNUNG: 0,
    });
    for (const s of sums.values())
      tables['businesscases.csv'].push({
        ...z,
        GV_TYP: s.gv,
        GV_NAME: s.gv === 'TrinkgeldAN' ? 'tips' : 'sales',
        UST_SCHLUESSEL: s.key,
        Z_UMS_BRUTTO: decimal(s.gross),
        Z_UMS_NETTO: decimal(s.net),
        Z_UST: decimal(s.tax),
      });
    for (const p of paid)
      tables['payment.csv'].push({
        ...z,
        ZAHLART_TYP: p.typ,
        ZAHLART_NAME: p.name,
        Z_ZAHLART_BETRAG: decimal(p.amount),
      });
    tables['cash_per_currency.csv'].push({ ...z, ZAHLART_WAEH: 'EUR', ZAHLART_BETRAG_WAEH: decimal(cash) });
    for (const u of units)
      tables['tse.csv'].push({
        ...z,
        TSE_ID: u.serial.slice(0, 16),
        TSE_SERIAL: u.serial,
        TSE_SIG_ALGO: u.algorithm,
        TSE_ZEITFORMAT: 'utcTime',
        TSE_PD_ENCODING: 'UTF-8',
        TSE_PUBLIC_KEY: u.public_key,
      });
    for (const [key, bp] of [...rates.entries()].sort((a, b) => a[0] - b[0]))
      tables['vat.csv'].push({ ...z, UST_SCHLUESSEL: key, UST_SATZ: (bp / 100).toFixed(2), UST_BESCHR: percent(bp) });
  }
  mkdirSync(outDir, { recursive: true });
  const counts = {} as Record<DsfinvkTable, number>;
  for (const [name, columns] of Object.entries(DSFINVK_TABLES) as [DsfinvkTable, readonly string[]][]) {
    writeFileSync(join(outDir, name), csvTable(columns, tables[name]));
    counts[name] = tables[name].length;
  }
  writeFileSync(join(outDir, 'index.xml'), dsfinvkIndexXml(DSFINVK_TABLES, days));
  return counts;
}

/** One receipt's rows: its header, VAT, payments, positions and TSE transaction. */
function bon(
  r: ExportReceipt,
  z: Row,
  others: Map<number, number>,
  rates: Map<number, number>,
  t: Record<DsfinvkTable, Row[]>,
  fiscal: FiscalLog | null,
): void {
  const e = r.read.entry;
  if (e.kind !== 'payment' && e.kind !== 'refund' && e.kind !== 'void') return;
  const id = { ...z, BON_ID: e.seq };
  const f = r.fiscal;
  const note = [
    r.training ? 'TRAINING' : '',
    e.kind === 'payment' ? '' : `${e.kind} of BON_ID ${e.body.payment_seq}: ${e.body.reason}`,
    f?.failed ? 'Sicherheitseinrichtung ausgefallen' : '',
  ].filter((s) => s !== '');
  t['transactions.csv'].push({
    ...id,
    BON_NR: e.seq,
    BON_TYP: r.training ? 'AVTraining' : 'Beleg',
    BON_NAME: e.kind,
    TERMINAL_ID: e.kiosk_id,
    BON_STORNO: e.kind === 'void' ? 1 : 0,
    BON_START: iso(f?.start_ms ?? e.created_at_ms),
    BON_ENDE: iso(f?.end_ms ?? e.created_at_ms),
    BEDIENER_ID: e.kind === 'payment' ? (e.body.taken_by ?? '') : e.body.approved_by,
    UMS_BRUTTO: decimal(r.data.total_minor),
    KUNDE_ID: e.kind === 'payment' ? (e.body.customer_id ?? '') : '',
    BON_NOTIZ: note.join('; '),
  });
  const byKey = new Map<number, { gross: number; net: number; tax: number }>();
  const vat = (key: number, gross: number, net: number, tax: number): void => {
    const s = byKey.get(key) ?? { gross: 0, net: 0, tax: 0 };
    byKey.set(key, { gross: s.gross + gross, net: s.net + net, tax: s.tax + tax });
  };
  const sale = e.kind === 'payment' ? e.body.sale : undefined;
  let line = 0;
  const position = (text: string, gv: string, key: number, gross: number, net: number, tax: number): void => {
    line += 1;
    t['lines.csv'].push({
      ...id,
      POS_ZEILE: line,
      ARTIKELTEXT: text,
      POS_TERMINAL_ID: e.kiosk_id,
      GV_TYP: gv,
      GV_NAME: gv === 'TrinkgeldAN' ? 'tip' : e.kind,
      INHAUS: sale?.service === 'eat_in' ? 1 : 0,
      P_STORNO: e.kind === 'void' ? 1 : 0,
      MENGE: '1.000',
      FAKTOR: '1.000',
      EINHEIT: 'Stück',
      STK_BR: decimal(gross),
    });
    t['lines_vat.csv'].push({
      ...id,
      POS_ZEILE: line,
      UST_SCHLUESSEL: key,
      POS_BRUTTO: decimal(gross),
      POS_NETTO: decimal(net),
      POS_UST: decimal(tax),
    });
    vat(key, gross, net, tax);
  };
  for (const rt of r.data.by_rate) {
    const key = vatKey(rt.rate_bp, others);
    rates.set(key, rt.rate_bp);
    const items = (sale?.lines ?? [])
      .filter((l) => l.rate_id === rt.rate_id)
      .map((l) => `${l.quantity} x ${l.name}`)
      .join('; ');
    const taken =
      e.kind === 'refund' && e.body.items
        ? e.body.items.map((it) => `${it.quantity} x line ${it.line}`).join('; ')
        : '';
    position(
      items || taken || `rate ${rt.rate_id} ${percent(rt.rate_bp)}`,
      'Umsatz',
      key,
      rt.gross_minor,
      rt.net_minor,
      rt.tax_minor,
    );
  }
  if (r.data.tip_minor !== 0) {
    rates.set(UNTAXED_KEY, 0);
    position('tip', 'TrinkgeldAN', UNTAXED_KEY, r.data.tip_minor, r.data.tip_minor, 0);
  }
  if (r.data.unrated_minor !== 0)
    position('signed without rates', 'Umsatz', UNRATED_KEY, r.data.unrated_minor, r.data.unrated_minor, 0);
  for (const [key, s] of byKey)
    t['transactions_vat.csv'].push({
      ...id,
      UST_SCHLUESSEL: key,
      BON_BRUTTO: decimal(s.gross),
      BON_NETTO: decimal(s.net),
      BON_UST: decimal(s.tax),
    });
  for (const p of r.data.payments)
    t['datapayment.csv'].push({
      ...id,
      ZAHLART_TYP: p.type,
      ZAHLART_NAME: p.method,
      ZAHLWAEH_CODE: r.data.currency,
      ZAHLWAEH_BETRAG: decimal(p.amount_minor),
      BASISWAEH_BETRAG: decimal(p.amount_minor),
    });
  if (f || fiscal)
    t['transactions_tse.csv'].push({
      ...id,
      TSE_ID: f ? f.unit_serial.slice(0, 16) : '',
      TSE_TANR: e.seq,
      TSE_TA_START: iso(f?.start_ms ?? e.created_at_ms),
      TSE_TA_ENDE: iso(f?.end_ms ?? e.created_at_ms),
      TSE_TA_VORGANGSART: f?.process_type ?? 'Kassenbeleg-V1',
      TSE_TA_SIGZ: f?.signature_counter ?? '',
      TSE_TA_SIG: f && !f.failed ? f.qr_code.split(';')[10]! : '',
      TSE_TA_FEHLER: !f ? 'not recorded by the signing unit' : f.failed ? 'Sicherheitseinrichtung ausgefallen' : '',
      TSE_VORGANGSDATEN: f?.process_data ?? processData(r.data),
    });
}
