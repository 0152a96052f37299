// The Reports panel's answer: the day's matching entries, their totals per currency, the chart of
// sales by hour, the totals per settlement status and per item (payments whose items are not
// known are counted apart), and the entries themselves in the store's time zone.
import { useTranslation } from 'react-i18next';
import { RateTable } from '../till/TillPanel.js';
import { signedMoney } from '../tax-format.js';
import type { DayReport, ReportTotal } from '../../../electron/contract/api.js';
import { HourChart } from './HourChart.js';

type Money = (minor: number, currency: string) => string;

export function ReportResult(props: { report: DayReport; busy: boolean; money: Money }) {
  const { t } = useTranslation();
  const { report, busy, money } = props;
  const net = (x: ReportTotal): string =>
    x.net_minor < 0 ? `−${money(-x.net_minor, x.currency)}` : money(x.net_minor, x.currency);
  const hourLabel = (h: number): string => t('reports.hour', { hour: String(h).padStart(2, '0') });
  return (
    <div
      className="reports-result"
      data-testid="reports-result"
      data-business-day={report.business_day}
      data-closed={report.closed}
      data-matched={report.matched_count}
      data-busy={busy}
    >
      <h2>
        {t('reports.title', { day: report.business_day })} · {t(report.closed ? 'reports.closed' : 'reports.open')}
      </h2>
      <p className="small">
        <span data-testid="reports-matched">
          {t('reports.matched', { matched: report.matched_count, total: report.day_entry_count })}
        </span>{' '}
        {t('reports.timezone', { tz: report.timezone })}
      </p>

      <h3>{t('reports.totals')}</h3>
      <TotalsTable
        rows={report.totals.map((x) => ({ key: x.currency, label: x.currency, x }))}
        testId="reports-total"
        money={money}
        net={net}
      />
      {report.by_rate.length > 0 && (
        <>
          <h3>{t('till.zRates')}</h3>
          <RateTable rates={report.by_rate} money={money} testId="reports-rate" />
        </>
      )}
      {report.tips.length > 0 && (
        <p data-testid="reports-tips">
          {report.tips
            .map((x) => t('till.zTips', { amount: signedMoney(money, x.tips_minor, x.currency) }))
            .join(' · ')}
        </p>
      )}

      <h3>{t('reports.byHour')}</h3>
      {report.totals.length === 0 ? (
        <p className="small">{t('reports.noEntries')}</p>
      ) : (
        report.totals.map((x) => (
          <HourChart key={x.currency} report={report} currency={x.currency} money={money} hourLabel={hourLabel} />
        ))
      )}

      <div className="reports-side">
        <div>
          <h3>{t('reports.bySettlement')}</h3>
          <TotalsTable
            rows={report.by_settlement.map((x) => ({
              key: `${x.settlement}-${x.currency}`,
              label: `${t(`staff.settlement.${x.settlement}`)} · ${x.currency}`,
              x,
            }))}
            testId="reports-settlement-row"
            money={money}
            net={net}
          />
        </div>
        <div>
          <h3>{t('reports.byItem')}</h3>
          <ByItem report={report} money={money} />
        </div>
      </div>

      {report.truncated && <p className="small">{t('reports.truncated', { n: report.entries.length })}</p>}
      <Entries report={report} money={money} />
    </div>
  );
}

function ByItem(props: { report: DayReport; money: Money }) {
  const { t, i18n } = useTranslation();
  const { report, money } = props;
  return (
    <>
      {report.by_item.length > 0 && (
        <div className="table-scroll">
          <table className="staff-table" data-testid="reports-items">
            <thead>
              <tr>
                <th>{t('reports.col.item')}</th>
                <th>{t('reports.col.quantity')}</th>
                <th>{t('reports.col.gross')}</th>
              </tr>
            </thead>
            <tbody>
              {report.by_item.map((i) => (
                <tr
                  key={`${i.item_id}-${i.currency}`}
                  data-testid={`reports-item-${i.item_id}`}
                  data-quantity={i.quantity}
                  data-gross-minor={i.gross_minor}
                >
                  <td>{i.name[i18n.language as 'en' | 'de' | 'zh'] ?? i.name.en}</td>
                  <td className="num">{i.quantity}</td>
                  <td className="num">{money(i.gross_minor, i.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {report.by_item.length === 0 && report.items_unknown.length === 0 && (
        <p className="small">{t('reports.noEntries')}</p>
      )}
      {report.items_unknown.map((u) => (
        <p
          key={u.currency}
          className="small"
          data-testid={`reports-items-unknown-${u.currency}`}
          data-gross-minor={u.gross_minor}
        >
          {t('reports.itemsUnknown', { count: u.payment_count, amount: money(u.gross_minor, u.currency) })}
        </p>
      ))}
    </>
  );
}

function Entries(props: { report: DayReport; money: Money }) {
  const { t, i18n } = useTranslation();
  const { report, money } = props;
  const tz = report.timezone ?? 'UTC';
  const time = (ms: number): string =>
    new Intl.DateTimeFormat(i18n.language, { timeStyle: 'medium', timeZone: tz }).format(ms);
  const signed = (e: { kind: string; amount_minor: number | null; currency: string | null }): string =>
    e.amount_minor !== null && e.currency !== null
      ? `${e.kind === 'refund' || e.kind === 'void' ? '−' : ''}${money(e.amount_minor, e.currency)}`
      : '';
  return report.entries.length === 0 ? (
    <p className="small" data-testid="reports-empty">
      {t('reports.noEntries')}
    </p>
  ) : (
    <div className="table-scroll">
      <table className="staff-table entries" data-testid="reports-entries">
        <thead>
          <tr>
            <th>#</th>
            <th>{t('reports.col.time')}</th>
            <th>{t('reports.col.kind')}</th>
            <th>{t('reports.col.amount')}</th>
            <th>{t('reports.col.customer')}</th>
            <th>{t('reports.col.by')}</th>
            <th>{t('reports.col.settlement')}</th>
            <th>{t('reports.col.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {report.entries.map((e) => (
            <tr
              key={e.seq}
              data-testid={`reports-entry-${e.seq}`}
              data-seq={e.seq}
              data-kind={e.kind}
              data-method={e.method ?? ''}
              data-amount-minor={e.amount_minor ?? ''}
              data-currency={e.currency ?? ''}
              data-settlement={e.settlement ?? ''}
              data-hour={e.hour}
            >
              <td>{e.seq}</td>
              <td className="num">{time(e.created_at_ms)}</td>
              <td>
                {t(`staff.kinds.${e.kind}`)}
                {e.method ? ` · ${t(`staff.method.${e.method}`)}` : ''}
              </td>
              <td className="num">{signed(e)}</td>
              <td>{e.customer_initials ?? (e.customer_id ? e.customer_id.slice(0, 12) : '')}</td>
              <td>{e.actor ?? ''}</td>
              <td>{e.settlement ? t(`staff.settlement.${e.settlement}`) : ''}</td>
              <td className="detail">
                {e.payment_seq !== null ? t('staff.ofPayment', { seq: e.payment_seq }) : ''}
                {e.reason && e.kind !== 'day_close' ? ` “${e.reason}”` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TotalsTable(props: {
  rows: { key: string; label: string; x: ReportTotal }[];
  testId: string;
  money: (minor: number, currency: string) => string;
  net: (x: ReportTotal) => string;
}) {
  const { t } = useTranslation();
  if (props.rows.length === 0) return <p className="small">{t('reports.noEntries')}</p>;
  return (
    <div className="table-scroll">
      <table className="staff-table totals" data-testid={props.testId}>
        <thead>
          <tr>
            <th />
            <th>{t('reports.col.entries')}</th>
            <th>{t('reports.col.payments')}</th>
            <th>{t('reports.col.gross')}</th>
            <th>{t('reports.col.refunds')}</th>
            <th>{t('reports.col.voids')}</th>
            <th>{t('reports.col.net')}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map(({ key, label, x }) => (
            <tr
              key={key}
              data-testid={`${props.testId}-${key}`}
              data-entry-count={x.entry_count}
              data-payment-count={x.payment_count}
              data-gross-minor={x.gross_minor}
              data-refunds-minor={x.refunds_minor}
              data-voids-minor={x.voids_minor}
              data-net-minor={x.net_minor}
            >
              <td>{label}</td>
              <td className="num">{x.entry_count}</td>
              <td className="num">{x.payment_count}</td>
              <td className="num">{props.money(x.gross_minor, x.currency)}</td>
              <td className="num">{props.money(x.refunds_minor, x.currency)}</td>
              <td className="num">{props.money(x.voids_minor, x.currency)}</td>
              <td className="num strong">{props.net(x)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
