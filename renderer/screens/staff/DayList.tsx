// The cashier's list of the open day: its totals per currency, then every entry (payments,
// refunds, voids, the day's close, settings) with its settlement status, and on a payment with
// something left the buttons to refund or void it.
import { useTranslation } from 'react-i18next';
import type { DayEntry, DayTotal, PaymentEntry } from '../../../electron/contract/api.js';
import type { Day, Money } from './desk.js';
import { signedMoney } from '../tax-format.js';

/** Totals per currency: the day list's and the Z report's. */
export function Totals(props: { totals: DayTotal[]; money: Money; testId: string }) {
  const { t } = useTranslation();
  return (
    <table className="staff-table totals" data-testid={props.testId}>
      <thead>
        <tr>
          <th>{t('staff.currency')}</th>
          <th>{t('staff.payments')}</th>
          <th>{t('staff.gross')}</th>
          <th>{t('staff.refunds')}</th>
          <th>{t('staff.voids')}</th>
          <th>{t('staff.net')}</th>
        </tr>
      </thead>
      <tbody>
        {props.totals.map((x) => (
          <tr
            key={x.currency}
            data-testid={`${props.testId}-${x.currency}`}
            data-payment-count={x.payment_count}
            data-gross-minor={x.gross_minor}
            data-refunds-minor={x.refunds_minor}
            data-voids-minor={x.voids_minor}
            data-net-minor={x.net_minor}
          >
            <td>{x.currency}</td>
            <td>{x.payment_count}</td>
            <td>{props.money(x.gross_minor, x.currency)}</td>
            <td>{props.money(x.refunds_minor, x.currency)}</td>
            <td>{props.money(x.voids_minor, x.currency)}</td>
            <td className="strong">
              {x.net_minor < 0 ? `−${props.money(-x.net_minor, x.currency)}` : props.money(x.net_minor, x.currency)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type OnReverse = (kind: 'refund' | 'void', e: PaymentEntry) => void;
type OnReceipt = (seq: number) => void;

export function DayList(props: {
  day: Day;
  money: Money;
  time: (ms: number) => string;
  onReverse: OnReverse;
  onReceipt: OnReceipt;
}) {
  const { t } = useTranslation();
  const { day } = props;
  return (
    <div className="day-list" data-testid="day-list" data-business-day={day.business_day}>
      <h2>{t('staff.dayTitle', { day: day.business_day })}</h2>
      {day.totals.length > 0 && <Totals totals={day.totals} money={props.money} testId="day-total" />}
      {day.truncated && <p className="small">{t('staff.truncated', { n: day.entries.length })}</p>}
      {day.entries.length === 0 ? (
        <p className="small" data-testid="day-empty">
          {t('staff.noEntries')}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="staff-table entries">
            <thead>
              <tr>
                <th>#</th>
                <th>{t('staff.time')}</th>
                <th>{t('staff.kind')}</th>
                <th>{t('staff.amount')}</th>
                <th>{t('staff.by')}</th>
                <th>{t('staff.detail')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {day.entries.map((e) => (
                <EntryRow
                  key={e.seq}
                  e={e}
                  money={props.money}
                  time={props.time}
                  onReverse={props.onReverse}
                  onReceipt={props.onReceipt}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function EntryRow(props: {
  e: DayEntry;
  money: Money;
  time: (ms: number) => string;
  onReverse: OnReverse;
  onReceipt: OnReceipt;
}) {
  const { t } = useTranslation();
  const { e } = props;
  return (
    <tr
      data-testid={`entry-${e.seq}`}
      data-kind={e.kind}
      data-amount-minor={e.amount_minor ?? ''}
      data-currency={e.currency ?? ''}
      data-actor={e.actor ?? ''}
    >
      <td>{e.seq}</td>
      <td>{props.time(e.created_at_ms)}</td>
      <td>
        {t(`staff.kinds.${e.kind}`)}
        {e.method ? ` · ${t(`staff.method.${e.method}`)}` : ''}
      </td>
      <td className="num">
        {e.amount_minor !== null && e.currency !== null
          ? `${e.kind === 'refund' || e.kind === 'void' || e.direction === 'out' ? '−' : ''}${props.money(e.amount_minor, e.currency)}`
          : ''}
      </td>
      <td>{e.actor ?? ''}</td>
      <td className="detail">
        {e.settlement ? t(`staff.settlement.${e.settlement}`) : ''}
        {e.payment_seq !== null ? t('staff.ofPayment', { seq: e.payment_seq }) : ''}
        {e.reason ? ` “${e.reason}”` : ''}
        {e.tip_minor && e.currency ? ` · ${t('checkout.tipIncl', { tip: props.money(e.tip_minor, e.currency) })}` : ''}
        {e.variance_minor !== null && e.currency
          ? t('till.varianceOf', { amount: signedMoney(props.money, e.variance_minor, e.currency) })
          : ''}
        {e.kind === 'payment' &&
        e.refundable_minor !== null &&
        e.currency !== null &&
        e.refundable_minor < (e.amount_minor ?? 0)
          ? ` · ${t('staff.left', { amount: props.money(e.refundable_minor, e.currency) })}`
          : ''}
      </td>
      <td>
        {e.kind === 'payment' && (
          <div className="row-actions">
            <button data-testid={`receipt-${e.seq}`} onClick={() => props.onReceipt(e.seq)}>
              {t('checkout.receipt')}
            </button>
          </div>
        )}
        {e.kind === 'payment' && (e.refundable_minor ?? 0) > 0 && (
          <div className="row-actions">
            <button data-testid={`refund-${e.seq}`} onClick={() => props.onReverse('refund', e)}>
              {t('staff.refund')}
            </button>
            <button data-testid={`void-${e.seq}`} onClick={() => props.onReverse('void', e)}>
              {t('staff.void')}
            </button>
          </div>
        )}
      </td>
    </tr>
  );
}
