// The manager's Reports panel: any business day of the ledger (the days that have entries, newest
// first), filtered by kind, settlement status, method, customer, amount and hours, with the
// matching entries, their totals (per currency, per settlement status, per item) and an SVG bar
// chart of sales by hour. The host reads, verifies and sums; this panel only asks and shows.
// Times are the store's (the report's time zone), not the browser's. The filter form is in
// ReportFilterForm.tsx (its rules in report-filters.ts), the answer in ReportResult.tsx.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DayReport, ReportFilters } from '../../../electron/contract/api.js';
import type { PanelContext } from './manager-panels.js';
import { baseFilters, EMPTY, timeFilters, type Form, type Problem } from './report-filters.js';
import { ReportFilterForm } from './ReportFilterForm.js';
import { ReportResult } from './ReportResult.js';

export function Reports({ ctx }: { ctx: PanelContext }) {
  const { t } = useTranslation();
  const [day, setDay] = useState<string | null>(null);
  const [form, setForm] = useState<Form>(EMPTY);
  const { currency, today, report, problem, busy, load } = useReport(ctx);

  const submit = (ev: FormEvent): void => {
    ev.preventDefault();
    void load(day, form);
  };
  const days = report
    ? report.days.some((d) => d.business_day === report.business_day)
      ? report.days
      : [{ business_day: report.business_day, closed: report.closed, entry_count: 0 }, ...report.days]
    : [];

  return (
    <div className="reports" data-testid="reports">
      <ReportFilterForm
        form={form}
        setForm={setForm}
        days={days}
        value={report?.business_day ?? ''}
        today={today}
        currency={currency}
        busy={busy}
        onDay={(d) => {
          setDay(d);
          void load(d, form);
        }}
        onSubmit={submit}
        onClear={() => {
          setForm(EMPTY);
          void load(day, EMPTY);
        }}
      />

      {problem && (
        <p className="error" role="alert" data-testid="reports-problem">
          {t(`reports.${problem}`)}
        </p>
      )}
      {busy && !report && <p className="small">{t('reports.loading')}</p>}

      {report && <ReportResult report={report} busy={busy} money={ctx.money} />}
    </div>
  );
}

/** The report the host answers for a day (null: the open day) and a form; the first answer
 * marks the open day as "today". */
function useReport(ctx: PanelContext) {
  const { api, session, withToken, onError } = ctx;
  const [currency, setCurrency] = useState('EUR');
  /** The open day as the host saw it at the first answer (the picker marks it "today"). */
  const [today, setToday] = useState<string | null>(null);
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

  return { currency, today, report, problem, busy, load };
}
