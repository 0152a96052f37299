// The manager's tab: close the day (with a confirmation), export it, and the Z report the
// close answers, printable on its own.
import { useTranslation } from 'react-i18next';
import type { ZReport } from '../../../electron/contract/api.js';
import type { DayClose } from './day-close.js';
import type { Day, Money } from './desk.js';
import { Totals } from './DayList.js';
import { RateTable } from '../till/TillPanel.js';
import { signedMoney } from '../tax-format.js';

export function ManagerActions(props: { close: DayClose; day: Day | null; busy: boolean }) {
  const { t } = useTranslation();
  const { close, busy } = props;
  return (
    <div className="manager-actions" data-testid="manager-actions">
      {!close.confirming ? (
        <button className="primary" data-testid="close-day" disabled={busy} onClick={() => close.setConfirming(true)}>
          {t('staff.closeDay')}
        </button>
      ) : (
        <div className="panel" data-testid="close-day-confirm-panel">
          <p>{t('staff.closeDayConfirm', { day: props.day?.business_day ?? '' })}</p>
          <button
            className="primary"
            data-testid="close-day-confirm"
            disabled={busy}
            onClick={() => void close.closeDay()}
          >
            {t('staff.closeDayYes')}
          </button>
          <button className="secondary" data-testid="close-day-cancel" onClick={() => close.setConfirming(false)}>
            {t('staff.cancel')}
          </button>
        </div>
      )}
      <button data-testid="export-csv" onClick={() => void close.exportDay('csv')}>
        {t('staff.exportCsv')}
      </button>
      <button data-testid="export-json" onClick={() => void close.exportDay('json')}>
        {t('staff.exportJson')}
      </button>
    </div>
  );
}

function ZCash(props: { cash: ZReport['cash']; money: Money }) {
  const { t } = useTranslation();
  const rows: [string, keyof ZReport['cash'][number]][] = [
    ['till.float', 'float_minor'],
    ['till.cashSales', 'cash_sales_minor'],
    ['till.cashRefunds', 'cash_refunds_minor'],
    ['till.payIns', 'pay_ins_minor'],
    ['till.payOuts', 'pay_outs_minor'],
    ['till.expected', 'expected_minor'],
    ['till.counted', 'counted_minor'],
    ['till.variance', 'variance_minor'],
    ['till.outside', 'outside_shifts_minor'],
  ];
  return (
    <>
      <h3>{t('till.zCash')}</h3>
      {props.cash.map((c) => (
        <table key={c.currency} className="staff-table till-figures" data-testid={`z-cash-${c.currency}`}>
          <tbody>
            <tr>
              <th>{t('till.shifts')}</th>
              <td className="num">{c.shifts}</td>
            </tr>
            {rows.map(([label, key]) => (
              <tr key={key} data-testid={`z-cash-${key}`} data-minor={c[key]}>
                <th>{t(label)}</th>
                <td className="num">{signedMoney(props.money, c[key] as number, c.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </>
  );
}

export function ZReportView(props: { z: ZReport; money: Money }) {
  const { t, i18n } = useTranslation();
  const { z } = props;
  return (
    <article className="panel z-report" data-testid="z-report">
      <h2>{t('staff.zTitle', { day: z.business_day })}</h2>
      <dl>
        <dt>{t('staff.zClosedAt')}</dt>
        <dd>
          {new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'medium' }).format(z.closed_at_ms)}
        </dd>
        <dt>{t('staff.zClosedBy')}</dt>
        <dd data-testid="z-closed-by">{z.closed_by}</dd>
        <dt>{t('staff.zEntries')}</dt>
        <dd data-testid="z-entry-count">
          {t('staff.zRange', { count: z.entry_count, first: z.first_seq, last: z.last_seq })}
        </dd>
        <dt>{t('staff.zCloseEntry')}</dt>
        <dd className="hash">
          #{z.day_close_seq} {z.entry_hash}
        </dd>
        <dt>{t('staff.zMerkle')}</dt>
        <dd className="hash" data-testid="z-merkle">
          {z.merkle_root}
        </dd>
        <dt>{t('staff.zSigner')}</dt>
        <dd className="hash" data-testid="z-signer">
          {z.signer_public_key}
        </dd>
      </dl>
      {z.totals.length > 0 ? (
        <Totals totals={z.totals} money={props.money} testId="z-total" />
      ) : (
        <p className="small">{t('staff.noEntries')}</p>
      )}
      {z.by_rate.length > 0 && (
        <>
          <h3>{t('till.zRates')}</h3>
          <RateTable rates={z.by_rate} money={props.money} testId="z-rate" />
        </>
      )}
      {z.totals.some((x) => (x.tips_minor ?? 0) !== 0) && (
        <p data-testid="z-tips">
          {z.totals
            .map((x) => t('till.zTips', { amount: signedMoney(props.money, x.tips_minor ?? 0, x.currency) }))
            .join(' · ')}
        </p>
      )}
      {z.cash.length > 0 && <ZCash cash={z.cash} money={props.money} />}
      <button className="secondary no-print" data-testid="z-print" onClick={() => window.print()}>
        {t('staff.print')}
      </button>
    </article>
  );
}
