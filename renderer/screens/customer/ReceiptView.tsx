// The receipt, as an accountant expects it: the merchant's name, address and VAT id, the
// transaction's number and time, the lines with their tax letters, discounts, the totals per
// rate (net, VAT, gross), the tip, every payment of the bill with its method, how prices were
// taxed and rounded, and a QR code of the settlement server's public lookup for the ledger entry
// (anyone can check the payment with it). On screen, and as a print page (print.css keeps only
// the receipt on paper). The customer's screen and the staff's reprint show the same document.
import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { useTranslation } from 'react-i18next';
import type { Receipt } from '../../../electron/contract/api.js';
import { formatMoney } from '../../i18n.js';
import { percentOf } from '../tax-format.js';
import { ReceiptFiscal, TrainingMark } from './ReceiptFiscal.js';

export function ReceiptView(props: { receipt: Receipt; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="screen receipt" data-testid="screen-receipt">
      <ReceiptDocument receipt={props.receipt} />
      <div className="row no-print">
        <button className="secondary" data-testid="receipt-print" onClick={() => window.print()}>
          {t('receipt.print')}
        </button>
        <button className="primary" onClick={props.onDone}>
          {t('receipt.done')}
        </button>
      </div>
    </section>
  );
}

export function ReceiptDocument(props: { receipt: Receipt }) {
  const { t, i18n } = useTranslation();
  const r = props.receipt;
  const money = (minor: number): string => formatMoney(minor, r.currency, i18n.language);
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    if (r.lookup_url) void QRCode.toDataURL(r.lookup_url, { margin: 1, width: 200 }).then(setQr);
  }, [r.lookup_url]);
  const time = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'medium' }).format(
    r.created_at_ms,
  );
  const s = r.sale;
  return (
    <article className="receipt-doc printable" data-testid="receipt-doc" data-seq={r.seq}>
      <TrainingMark receipt={r} />
      <header className="receipt-merchant">
        <h1 data-testid="receipt-merchant">{r.merchant.name || t('receipt.title')}</h1>
        {r.merchant.address.map((l, i) => (
          <p key={i}>{l}</p>
        ))}
        {r.merchant.vat_id && <p data-testid="receipt-vat-id">{t('receipt.vatId', { id: r.merchant.vat_id })}</p>}
      </header>
      <p className="receipt-txn">
        {t('receipt.txn', { seq: r.seq })} · {time}
        {s ? ` · ${t(`receipt.service.${s.service}`)}` : ''}
      </p>
      {s && (
        <table className="receipt-lines" data-testid="receipt-lines">
          <tbody>
            {s.lines.map((l, i) => (
              <tr key={i} data-testid={`receipt-line-${i}`} data-rate-id={l.rate_id}>
                <td>
                  {l.quantity} × {l.name}
                  {l.quantity > 1 && <span className="small"> à {money(l.unit_minor)}</span>}
                </td>
                <td className="num">{money(l.amount_minor)}</td>
                <td className="letter">{l.rate_id}</td>
              </tr>
            ))}
            {s.discounts.map((d, i) => (
              <tr key={`d${i}`} className="discount" data-testid={`receipt-discount-${i}`}>
                <td>
                  {t('receipt.discount')}: {d.reason}
                  {d.line !== null && s.lines[d.line] ? ` (${s.lines[d.line]!.name})` : ''}
                </td>
                <td className="num">−{money(d.amount_minor)}</td>
                <td />
              </tr>
            ))}
            <tr className="strong">
              <td>{t('receipt.total')}</td>
              <td className="num" data-testid="receipt-sale-total">
                {money(s.total_minor)}
              </td>
              <td />
            </tr>
          </tbody>
        </table>
      )}
      {s && (
        <table className="receipt-rates" data-testid="receipt-rates">
          <thead>
            <tr>
              <th>{t('receipt.rate')}</th>
              <th>{t('receipt.net')}</th>
              <th>{t('receipt.tax')}</th>
              <th>{t('receipt.gross')}</th>
            </tr>
          </thead>
          <tbody>
            {s.by_rate.map((x) => (
              <tr key={x.rate_id} data-testid={`receipt-rate-${x.rate_id}`} data-tax-minor={x.tax_minor}>
                <td>
                  {x.rate_id} {percentOf(x.rate_bp)} %
                </td>
                <td className="num">{money(x.net_minor)}</td>
                <td className="num">{money(x.tax_minor)}</td>
                <td className="num">{money(x.gross_minor)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {s && (
        <p className="small" data-testid="receipt-pricing">
          {t(`receipt.pricing.${s.pricing}`)} · {t(`receipt.rounding.${s.rounding}`)}
        </p>
      )}
      <dl>
        {r.tip_minor > 0 && (
          <>
            <dt>{t('receipt.tip')}</dt>
            <dd data-testid="receipt-tip" data-minor={r.tip_minor}>
              {money(r.tip_minor)}
            </dd>
          </>
        )}
        <dt>{t('receipt.amount')}</dt>
        <dd data-testid="receipt-amount">{money(r.amount_minor)}</dd>
        <dt>{t('receipt.payments')}</dt>
        <dd data-testid="receipt-payments">
          {r.payments.map((p) => (
            <span key={p.seq} className={p.seq === r.seq ? 'strong' : ''} data-method={p.method}>
              {t(`receipt.method.${p.method}`)} {money(p.amount_minor)}
              {p.tip_minor > 0 ? ` (${t('receipt.tipIncl', { tip: money(p.tip_minor) })})` : ''}{' '}
            </span>
          ))}
        </dd>
        <dt>{t('receipt.entry')}</dt>
        <dd className="hash" data-testid="receipt-hash">
          #{r.seq} {r.entry_hash}
        </dd>
        <dt>{t('receipt.settlement')}</dt>
        <dd data-testid="receipt-settlement">{t(`receipt.${r.settlement}`)}</dd>
      </dl>
      {qr && (
        <img className="qr" src={qr} alt={r.lookup_url ?? ''} data-testid="receipt-qr" data-url={r.lookup_url ?? ''} />
      )}
      <p className="small">{t('receipt.check')}</p>
      <ReceiptFiscal receipt={r} />
    </article>
  );
}
