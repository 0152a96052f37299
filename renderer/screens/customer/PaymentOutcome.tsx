// A payment's outcome: paid (the amount, the customer's initials, the receipt), or declined
// (the reason in the customer's language where there is a text for the host's code, else the
// host's message; the counter as the way out, and sign-up when the face was not known).
import { useTranslation } from 'react-i18next';
import type { Receipt } from '../../../electron/contract/api.js';
import { useMoney } from './format.js';

export function PaidView(props: { receipt: Receipt; initials: string; onReceipt: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const money = useMoney();
  return (
    <section className="screen paid" data-testid="screen-paid">
      <div className="big-mark ok">✓</div>
      <h1 data-testid="paid-title">{t('paid.title')}</h1>
      <p className="amount">{money(props.receipt.amount_minor, props.receipt.currency)}</p>
      {props.initials && <p data-testid="paid-initials">{t('paid.thanks', { initials: props.initials })}</p>}
      <button className="primary" data-testid="show-receipt" onClick={props.onReceipt}>
        {t('paid.receipt')}
      </button>
      <button className="secondary" onClick={props.onDone}>
        {t('paid.next')}
      </button>
    </section>
  );
}

export function DeclinedView(props: {
  code: string;
  message: string;
  offerEnrolment: boolean;
  onRetry: () => void;
  onEnrol: () => void;
}) {
  const { t, i18n } = useTranslation();
  const text = i18n.exists(`errors.${props.code}`) ? t(`errors.${props.code}`) : props.message;
  return (
    <section className="screen declined" data-testid="screen-declined" data-code={props.code}>
      <div className="big-mark bad">✗</div>
      <h1>{t('declined.title')}</h1>
      <p className="reason" data-testid="declined-reason">
        {text}
      </p>
      <p className="small">{t('declined.counter')}</p>
      <button className="primary" data-testid="retry" onClick={props.onRetry}>
        {t('declined.retry')}
      </button>
      {props.offerEnrolment && (
        <button className="secondary" data-testid="offer-enrol" onClick={props.onEnrol}>
          {t('declined.enrol')}
        </button>
      )}
    </section>
  );
}
