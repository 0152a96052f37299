// index.xml of a DSFinV-K export: the GDPdU description (DTD gdpdu-01-09-2004) that tells an
// auditor's tool (IDEA) each file's table name, encoding, separators and columns.

import type { ExportDay } from './export-days.js';

const TABLE_NAMES: Record<string, string> = {
  'cashpointclosing.csv': 'Stamm_Abschluss',
  'cashregister.csv': 'Stamm_Kassen',
  'vat.csv': 'Stamm_USt',
  'tse.csv': 'Stamm_TSE',
  'businesscases.csv': 'Z_GV_Typ',
  'payment.csv': 'Z_Zahlart',
  'cash_per_currency.csv': 'Z_Waehrungen',
  'transactions.csv': 'Bonkopf',
  'transactions_vat.csv': 'Bonkopf_USt',
  'datapayment.csv': 'Bonkopf_Zahlarten',
  'lines.csv': 'Bonpos',
  'lines_vat.csv': 'Bonpos_USt',
  'transactions_tse.csv': 'TSE_Transaktionen',
};

const MONEY = /(BRUTTO|NETTO|_UST$|BETRAG|ZAHLUNGEN|STK_BR)/;
const COUNTS = /^(MENGE|FAKTOR)$/;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function dsfinvkIndexXml(tables: Record<string, readonly string[]>, days: ExportDay[]): string {
  const from = days[0]?.day ?? '';
  const to = days[days.length - 1]?.day ?? '';
  const table = (file: string, columns: readonly string[]): string =>
    [
      '    <Table>',
      `      <URL>${file}</URL>`,
      `      <Name>${TABLE_NAMES[file] ?? file}</Name>`,
      `      <Validity><Range><From>${from}</From><To>${to}</To></Range></Validity>`,
      '      <UTF8/>',
      '      <DecimalSymbol>.</DecimalSymbol>',
      '      <DigitGroupingSymbol>,</DigitGroupingSymbol>',
      '      <VariableLength>',
      '        <ColumnDelimiter>,</ColumnDelimiter>',
      '        <RecordDelimiter>&#13;&#10;</RecordDelimiter>',
      '        <TextEncapsulator>"</TextEncapsulator>',
      ...columns.map((c) => {
        const type =
          MONEY.test(c) && c !== 'UST_SCHLUESSEL'
            ? '<Numeric><Accuracy>2</Accuracy></Numeric>'
            : COUNTS.test(c)
              ? '<Numeric><Accuracy>3</Accuracy></Numeric>'
              : '<AlphaNumeric/>';
        return `        <VariableColumn><Name>${esc(c)}</Name>${type}</VariableColumn>`;
      }),
      '      </VariableLength>',
      '    </Table>',
    ].join('\n');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE DataSet SYSTEM "gdpdu-01-09-2004.dtd">',
    '<DataSet>',
    '  <Version>1.0</Version>',
    '  <DataSupplier><Name>Smile to Pay</Name><Location></Location><Comment>DSFinV-K 2.3 export from the signed ledger</Comment></DataSupplier>',
    '  <Media>',
    '    <Name>DSFinV-K</Name>',
    ...Object.entries(tables).map(([f, c]) => table(f, c)),
    '  </Media>',
    '</DataSet>',
    '',
  ].join('\n');
}
