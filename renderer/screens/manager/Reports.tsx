// The manager's Reports panel: any business day of the ledger (the days that have entries, newest
// first), filtered by kind, settlement status, method, customer, amount and hours, with the
// matching entries, their totals (per currency, per settlement status, per item) and an SVG bar
// chart of sales by hour. The host reads, verifies and sums; this panel only asks and shows.
// Times are the store's (the report's time zone), not the browser's.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DayReport, ReportFilters, ReportTotal } from '../../../electron/contract/api.js';
import { parseMoney } from '../../i18n.js';
import type { PanelContext } from './manager-panels.js';

const KINDS = ['payment', 'refund', 'void', 'day_close', 'config', 'key_rotation'] as const;
const SETTLEMENTS = ['pending', 'settled', 'declined', 'recorded'] as const;
const METHODS = ['face', 'cash', 'card'] as const;
const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** The filter form as typed; turned into ReportFilters when applied. */
interface Form {
  kinds: string[];
  settlement: string;
  method: string;
  customer: string;
  amountMin: string;
  amountMax: string;
  /** Local hours, inclusive; '' for the whole day. */
  fromHour: string;
  toHour: string;
}

const EMPTY: Form = {
  kinds: [],
  settlement: '',
  method: '',
  customer: '',
  amountMin: '',
  amountMax: '',
  fromHour: '',
  toHour: '',
};

type Problem = 'amountInvalid' | 'amountOrder' | 'timeOrder' | 'tooLarge';

/** The form's filters except time; null and the problem when an amount is not one. */
function baseFilters(f: Form, currency: string): { filters: ReportFilters } | { problem: Problem } {
  const out: ReportFilters = {};
  if (f.kinds.length > 0) out.kinds = f.kinds as ReportFilters['kinds'];
  if (f.settlement) out.settlement = [f.settlement as (typeof SETTLEMENTS)[number]];
  if (f.method) out.method = [f.method as (typeof METHODS)[number]];
  if (f.customer.trim()) out.customer = f.customer.trim().slice(0, 64);
  for (const [text, key] of [
    [f.amountMin, 'amount_min_minor'],
    [f.amountMax, 'amount_max_minor'],
  ] as const) {
    if (!text.trim()) continue;
    const minor = parseMoney(text, currency);
    if (minor === null) return { problem: 'amountInvalid' };
    out[key] = minor;
  }
  if (
    out.amount_min_minor !== undefined &&
    out.amount_max_minor !== undefined &&
    out.amount_min_minor > out.amount_max_minor
  )
    return { problem: 'amountOrder' };
  if (f.fromHour && f.toHour && Number(f.fromHour) > Number(f.toHour)) return { problem: 'timeOrder' };
  return { filters: out };
}

/** The form's hours as absolute times inside the report's day (an hour a DST change skips takes the next one). */
function timeFilters(f: Form, r: DayReport): Pick<ReportFilters, 'from_ms' | 'to_ms'> {
  const out: Pick<ReportFilters, 'from_ms' | 'to_ms'> = {};
  if (f.fromHour)
    out.from_ms = r.by_hour.slice(Number(f.fromHour)).find((h) => h.start_ms !== null)?.start_ms ?? r.day_end_ms;
  if (f.toHour)
    out.to_ms =
      [...r.by_hour.slice(0, Number(f.toHour) + 1)].reverse().find((h) => h.end_ms !== null)?.end_ms ??
      r.day_start_ms + 1;
  return out;
}

export function Reports({ ctx }: { ctx: PanelContext }) {
  const { t, i18n } = useTranslation();
  const { api, session, withToken, money, onError } = ctx;
  const [currency, setCurrency] = useState('EUR');
  const [day, setDay] = useState<string | null>(null);
  /** The open day as the host saw it at the first answer (the picker marks it "today"). */
  const [today, setToday] = useState<string | null>(null);
  const [form, setForm] = useState<Form>(EMPTY);
  const [report, setReport] = useState<DayReport | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  // The staff screen makes withToken and onError anew on each render: kept in a ref, so that
  // loading depends on the session alone.
  const live = useRef({ withToken, onError, currency });
  live.current = { withToken, onError, currency };

  useEffect(() => {
    void api.menu({}).then((r) => r.ok && setCurrency(r.value.currency));
  }, [api]);

  const load = useCallback(
    async (wantDay: string | null, f: Form): Promise<void> => {
      const base = baseFilters(f, live.current.currency);
      if ('problem' in base) return setProblem(base.problem);
      setProblem(null);
      setBusy(true);
      const ask = async (filters: ReportFilters) =>
        live.current.withToken((token) =>
          api.dayReport({ token, ...(wantDay ? { business_day: wantDay } : {}), filters }),
        );
      let r = await ask(base.filters);
      // Hours become times inside the day asked for: that day's bounds come with its first answer.
      if (r?.ok && (f.fromHour || f.toHour)) r = await ask({ ...base.filters, ...timeFilters(f, r.value) });
      setBusy(false);
      if (!r) return;
      if (r.ok) {
        if (wantDay === null) setToday(r.value.business_day);
        return setReport(r.value);
      }
      if (r.error.code === 'REPORT_TOO_LARGE') return setProblem('tooLarge');
      live.current.onError(r.error);
    },
    [api],
  );

  useEffect(() => {
    void load(null, EMPTY);
  }, [load, session]);

  const submit = (ev: FormEvent): void => {
    ev.preventDefault();
    void load(day, form);
  };
  const set = <K extends keyof Form>(k: K, v: Form[K]): void => setForm((f) => ({ ...f, [k]: v }));
  const toggleKind = (k: string): void =>
    set('kinds', form.kinds.includes(k) ? form.kinds.filter((x) => x !== k) : [...form.kinds, k]);

  const tz = report?.timezone ?? 'UTC';
  const time = (ms: number): string =>
    new Intl.DateTimeFormat(i18n.language, { timeStyle: 'medium', timeZone: tz }).format(ms);
  const signed = (e: { kind: string; amount_minor: number | null; currency: string | null }): string =>
    e.amount_minor !== null && e.currency !== null
      ? `${e.kind === 'refund' || e.kind === 'void' ? '−' : ''}${money(e.amount_minor, e.currency)}`
      : '';
  const net = (x: ReportTotal): string =>
    x.net_minor < 0 ? `−${money(-x.net_minor, x.currency)}` : money(x.net_minor, x.currency);

  const days = report
    ? report.days.some((d) => d.business_day === report.business_day)
      ? report.days
      : [{ business_day: report.business_day, closed: report.closed, entry_count: 0 }, ...report.days]
    : [];
  const hourLabel = (h: number): string => t('reports.hour', { hour: String(h).padStart(2, '0') });

  return (
    <div className="reports" data-testid="reports">
      <form className="reports-filters" data-testid="reports-filters" onSubmit={submit}>
        <label className="reports-day">
          {t('reports.day')}
          <select
            data-testid="reports-day"
            value={report?.business_day ?? ''}
            onChange={(e) => {
              setDay(e.target.value);
              void load(e.target.value, form);
            }}
          >
            {days.map((d) => (
              <option key={d.business_day} value={d.business_day} data-closed={d.closed}>
                {t('reports.dayOption', {
                  day: d.business_day === today ? t('reports.today', { day: d.business_day }) : d.business_day,
                  state: t(d.closed ? 'reports.closed' : 'reports.open'),
                  count: d.entry_count,
                })}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="reports-kinds">
          <legend>{t('reports.kinds')}</legend>
          {KINDS.map((k) => (
            <label key={k} className="reports-check">
              <input
                type="checkbox"
                data-testid={`reports-kind-${k}`}
                checked={form.kinds.includes(k)}
                onChange={() => toggleKind(k)}
              />
              {t(`staff.kinds.${k}`)}
            </label>
          ))}
        </fieldset>
        <div className="reports-fields">
          <label>
            {t('reports.settlement')}
            <select
              data-testid="reports-settlement"
              value={form.settlement}
              onChange={(e) => set('settlement', e.target.value)}
            >
              <option value="">{t('reports.all')}</option>
              {SETTLEMENTS.map((s) => (
                <option key={s} value={s}>
                  {t(`staff.settlement.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('reports.method')}
            <select data-testid="reports-method" value={form.method} onChange={(e) => set('method', e.target.value)}>
              <option value="">{t('reports.all')}</option>
              {METHODS.map((m) => (
                <option key={m} value={m}>
                  {t(`staff.method.${m}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('reports.customer')}
            <input
              data-testid="reports-customer"
              value={form.customer}
              maxLength={64}
              placeholder={t('reports.customerHint')}
              onChange={(e) => set('customer', e.target.value)}
            />
          </label>
          <label>
            {t('reports.amountMin')} ({currency})
            <input
              data-testid="reports-amount-min"
              inputMode="decimal"
              maxLength={16}
              value={form.amountMin}
              onChange={(e) => set('amountMin', e.target.value)}
            />
          </label>
          <label>
            {t('reports.amountMax')} ({currency})
            <input
              data-testid="reports-amount-max"
              inputMode="decimal"
              maxLength={16}
              value={form.amountMax}
              onChange={(e) => set('amountMax', e.target.value)}
            />
          </label>
          <label>
            {t('reports.timeFrom')}
            <select
              data-testid="reports-from-hour"
              value={form.fromHour}
              onChange={(e) => set('fromHour', e.target.value)}
            >
              <option value="">{t('reports.all')}</option>
              {HOURS.map((h) => (
                <option key={h} value={h}>
                  {hourLabel(h)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('reports.timeTo')}
            <select data-testid="reports-to-hour" value={form.toHour} onChange={(e) => set('toHour', e.target.value)}>
              <option value="">{t('reports.all')}</option>
              {HOURS.map((h) => (
                <option key={h} value={h}>
                  {t('reports.hourEnd', { hour: String(h).padStart(2, '0') })}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="row">
          <button className="primary" data-testid="reports-apply" disabled={busy}>
            {t('reports.apply')}
          </button>
          <button
            type="button"
            className="secondary"
            data-testid="reports-clear"
            disabled={busy}
            onClick={() => {
              setForm(EMPTY);
              void load(day, EMPTY);
            }}
          >
            {t('reports.clear')}
          </button>
        </div>
      </form>

      {problem && (
        <p className="error" role="alert" data-testid="reports-problem">
          {t(`reports.${problem}`)}
        </p>
      )}
      {busy && !report && <p className="small">{t('reports.loading')}</p>}

      {report && (
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
            </div>
          </div>

          {report.truncated && <p className="small">{t('reports.truncated', { n: report.entries.length })}</p>}
          {report.entries.length === 0 ? (
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
          )}
        </div>
      )}
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

const CHART_W = 720;
const CHART_H = 200;
const PAD_L = 8;
const PAD_B = 24;
const PAD_T = 22;

/** Gross sales per local hour as SVG bars; each bar carries its numbers, and a table repeats them. */
function HourChart(props: {
  report: DayReport;
  currency: string;
  money: (minor: number, currency: string) => string;
  hourLabel: (h: number) => string;
}) {
  const { t } = useTranslation();
  const { report, currency, money } = props;
  const hours = report.by_hour.map((h) => ({
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
    </figure>
  );
}
