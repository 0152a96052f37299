// The receipt: amount, time, the ledger entry's hash, and a QR code of the settlement
// server's public lookup for that entry (anyone can check the payment with it).
import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { useTranslation } from 'react-i18next';
import type { Receipt } from '../../../electron/contract/api.js';
import { formatMoney } from '../../i18n.js';

export function ReceiptView(props: { receipt: Receipt; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const r = props.receipt;
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    if (r.lookup_url) void QRCode.toDataURL(r.lookup_url, { margin: 1, width: 240 }).then(setQr);
  }, [r.lookup_url]);
  const time = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'medium' }).format(
    r.created_at_ms,
  );
  return (
    <section className="screen receipt" data-testid="screen-receipt">
      <h1>{t('receipt.title')}</h1>
      <dl>
        <dt>{t('receipt.amount')}</dt>
        <dd data-testid="receipt-amount">{formatMoney(r.amount_minor, r.currency, i18n.language)}</dd>
        <dt>{t('receipt.time')}</dt>
        <dd>{time}</dd>
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
      <button className="primary" onClick={props.onDone}>
        {t('receipt.done')}
      </button>
    </section>
  );
}
