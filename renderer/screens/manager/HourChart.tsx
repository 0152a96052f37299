// The Reports panel's chart of sales by hour: gross sales per local hour as SVG bars, each bar
// carrying its numbers, and a table below that repeats them.
import { useTranslation } from 'react-i18next';
import type { DayReport, ReportTotal } from '../../../electron/contract/api.js';

const CHART_W = 720;
const CHART_H = 200;
const PAD_L = 8;
const PAD_B = 24;
const PAD_T = 22;

/** Gross sales per local hour as SVG bars; each bar carries its numbers, and a table repeats them. */
export function HourChart(props: {
  report: DayReport;
  currency: string;
  money: (minor: number, currency: string) => string;
  hourLabel: (h: number) => string;
}) {
  const { t } = useTranslation();
  const { report, currency, money } = props;
  const hours: Hour[] = report.by_hour.map((h) => ({
    hour: h.hour,
    skipped: h.start_ms === null,
    x: h.totals.find((x) => x.currency === currency),
  }));
  const max = Math.max(1, ...hours.map((h) => h.x?.gross_minor ?? 0));
  const slot = (CHART_W - PAD_L) / 24;
  const plot = CHART_H - PAD_B - PAD_T;
  const titleId = `reports-chart-title-${currency}`;
  const descId = `reports-chart-desc-${currency}`;
  return (
    <figure className="reports-chart" data-testid={`reports-chart-${currency}`} data-currency={currency}>
      <svg viewBox={`0 0 ${CHART_W} ${CHART_H}`} role="img" aria-labelledby={`${titleId} ${descId}`}>
        <title id={titleId}>{t('reports.chartTitle', { currency, day: report.business_day })}</title>
        <desc id={descId}>{t('reports.chartDesc')}</desc>
        <line x1={PAD_L} x2={CHART_W} y1={CHART_H - PAD_B} y2={CHART_H - PAD_B} className="reports-axis" />
        {max > 1 && (
          <text
            x={CHART_W - 4}
            y={PAD_T - 7}
            textAnchor="end"
            className="reports-tick"
            data-testid={`reports-chart-max-${currency}`}
          >
            {money(max, currency)}
          </text>
        )}
        {max > 1 && <line x1={PAD_L} x2={CHART_W} y1={PAD_T} y2={PAD_T} className="reports-grid" />}
        {hours.map((h) => {
          const gross = h.x?.gross_minor ?? 0;
          const height = Math.round((gross / max) * plot);
          const x = PAD_L + h.hour * slot;
          return (
            <g
              key={h.hour}
              data-testid={`reports-bar-${currency}-${h.hour}`}
              data-hour={h.hour}
              data-gross-minor={gross}
              data-net-minor={h.x?.net_minor ?? 0}
              data-count={h.x?.payment_count ?? 0}
              data-skipped={h.skipped}
            >
              <title>{`${props.hourLabel(h.hour)}: ${money(gross, currency)} (${h.x?.payment_count ?? 0})`}</title>
              <rect x={x + 2} y={CHART_H - PAD_B - height} width={slot - 4} height={height} className="reports-bar" />
              {h.hour % 3 === 0 && (
                <text x={x + slot / 2} y={CHART_H - 6} textAnchor="middle" className="reports-tick">
                  {String(h.hour).padStart(2, '0')}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <HourNumbers hours={hours} currency={currency} money={money} hourLabel={props.hourLabel} />
    </figure>
  );
}

type Hour = { hour: number; skipped: boolean; x: ReportTotal | undefined };

/** The chart's numbers as a table, for the hours with sales. */
function HourNumbers(props: {
  hours: Hour[];
  currency: string;
  money: (minor: number, currency: string) => string;
  hourLabel: (h: number) => string;
}) {
  const { t } = useTranslation();
  const { hours, currency, money } = props;
  return (
    <details className="reports-chart-numbers">
      <summary>{t('reports.chartNumbers')}</summary>
      <div className="table-scroll">
        <table className="staff-table" data-testid={`reports-hours-${currency}`}>
          <thead>
            <tr>
              <th>{t('reports.col.hour')}</th>
              <th>{t('reports.col.payments')}</th>
              <th>{t('reports.col.gross')}</th>
              <th>{t('reports.col.net')}</th>
            </tr>
          </thead>
          <tbody>
            {hours
              .filter((h) => h.x)
              .map((h) => (
                <tr key={h.hour} data-hour={h.hour}>
                  <td>{props.hourLabel(h.hour)}</td>
                  <td className="num">{h.x!.payment_count}</td>
                  <td className="num">{money(h.x!.gross_minor, currency)}</td>
                  <td className="num">{money(h.x!.net_minor, currency)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
