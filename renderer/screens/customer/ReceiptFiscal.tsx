// The receipt's fiscal block, as KassenSichV § 6 and the AEAO zu § 146a list it: start and end
// of the transaction, its number, the signature counter, the signature, the serials of the till
// and of the signing unit, and DSFinV-K's QR code (the RKSV receipt code beside it as text).
// A receipt signed while the unit was out says "Sicherheitseinrichtung ausgefallen"; one made in
// training mode says so at its top. (The VAT per rate and the payment types are in the receipt
// above.)
import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { useTranslation } from 'react-i18next';
import type { Receipt } from '../../../electron/contract/api.js';

export function ReceiptFiscal(props: { receipt: Receipt }) {
  const { t, i18n } = useTranslation();
  const f = props.receipt.fiscal;
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    if (f && !f.unit_failed) void QRCode.toDataURL(f.qr_code, { margin: 1, width: 220 }).then(setQr);
  }, [f]);
  if (!f) return null;
  const time = (ms: number): string =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' }).format(ms);
  return (
    <section className="receipt-fiscal" data-testid="receipt-fiscal" data-failed={f.unit_failed}>
      {f.unit_failed && (
        <p className="strong" data-testid="receipt-unit-failed">
          {t('fiscal.unitFailed')}
        </p>
      )}
      <table className="small receipt-fiscal-fields" style={{ width: '100%', tableLayout: 'fixed' }}>
        <tbody>
          <tr>
            <th style={{ textAlign: 'left', width: '45%' }}>{t('fiscal.start')}</th>
            <td style={{ wordBreak: 'break-all' }} data-testid="receipt-fiscal-start">
              {time(f.start_ms)}
            </td>
          </tr>
          <tr>
            <th style={{ textAlign: 'left', width: '45%' }}>{t('fiscal.end')}</th>
            <td style={{ wordBreak: 'break-all' }} data-testid="receipt-fiscal-end">
              {time(f.end_ms)}
            </td>
          </tr>
          <tr>
            <th style={{ textAlign: 'left', width: '45%' }}>{t('fiscal.transaction')}</th>
            <td style={{ wordBreak: 'break-all' }} data-testid="receipt-fiscal-txn">
              {f.transaction_number}
            </td>
          </tr>
          <tr>
            <th style={{ textAlign: 'left', width: '45%' }}>{t('fiscal.counter')}</th>
            <td style={{ wordBreak: 'break-all' }} data-testid="receipt-fiscal-counter">
              {f.signature_counter ?? '—'}
            </td>
          </tr>
          <tr>
            <th style={{ textAlign: 'left', width: '45%' }}>{t('fiscal.till')}</th>
            <td style={{ wordBreak: 'break-all' }} data-testid="receipt-fiscal-till">
              {f.kassen_serial}
            </td>
          </tr>
          <tr>
            <th style={{ textAlign: 'left', width: '45%' }}>{t('fiscal.unit')}</th>
            <td style={{ wordBreak: 'break-all' }} data-testid="receipt-fiscal-unit">
              {f.unit_serial}
            </td>
          </tr>
          <tr>
            <th style={{ textAlign: 'left', width: '45%' }}>
              {t('fiscal.signature', { algorithm: f.algorithm || '—' })}
            </th>
            <td style={{ wordBreak: 'break-all' }} data-testid="receipt-fiscal-signature">
              {f.signature || t('fiscal.unsigned')}
            </td>
          </tr>
        </tbody>
      </table>
      {qr && <img className="qr" src={qr} alt={t('fiscal.qr')} data-testid="receipt-fiscal-qr" data-code={f.qr_code} />}
      <p className="hash small" style={{ wordBreak: 'break-all' }} data-testid="receipt-rksv-code">
        {f.rksv_code}
      </p>
    </section>
  );
}

/** The training mark: on every receipt made in training mode, above everything else. */
export function TrainingMark(props: { receipt: Receipt }) {
  const { t } = useTranslation();
  if (!props.receipt.fiscal?.training) return null;
  return (
    <p className="strong training-mark" style={{ fontSize: '1.4em' }} data-testid="receipt-training">
      {t('fiscal.training')}
    </p>
  );
}
