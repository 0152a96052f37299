// The Reports panel's filter form: the business day (the days that have entries, newest first,
// the open one marked "today"), kinds, settlement status, method, customer, amounts and hours.
// A change of day loads at once; the other filters apply with the Apply button.
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DayReport } from '../../../electron/contract/api.js';
import { HOURS, KINDS, METHODS, SETTLEMENTS, type Form } from './report-filters.js';

type SetField = <K extends keyof Form>(k: K, v: Form[K]) => void;

export function ReportFilterForm(props: {
  form: Form;
  setForm: (f: (f: Form) => Form) => void;
  /** The days to pick from, and the one shown. */
  days: DayReport['days'];
  value: string;
  /** The open day as the host saw it at the first answer. */
  today: string | null;
  currency: string;
  busy: boolean;
  onDay: (day: string) => void;
  onSubmit: (ev: FormEvent) => void;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  const { form, busy } = props;
  const set: SetField = (k, v) => props.setForm((f) => ({ ...f, [k]: v }));
  const toggleKind = (k: string): void =>
    set('kinds', form.kinds.includes(k) ? form.kinds.filter((x) => x !== k) : [...form.kinds, k]);
  return (
    <form className="reports-filters" data-testid="reports-filters" onSubmit={props.onSubmit}>
      <DayPicker days={props.days} value={props.value} today={props.today} onDay={props.onDay} />
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
        <FilterFields form={form} set={set} currency={props.currency} />
        <HourFields form={form} set={set} />
      </div>
      <div className="row">
        <button className="primary" data-testid="reports-apply" disabled={busy}>
          {t('reports.apply')}
        </button>
        <button type="button" className="secondary" data-testid="reports-clear" disabled={busy} onClick={props.onClear}>
          {t('reports.clear')}
        </button>
      </div>
    </form>
  );
}

function DayPicker(props: {
  days: DayReport['days'];
  value: string;
  today: string | null;
  onDay: (day: string) => void;
}) {
  const { t } = useTranslation();
  const { today } = props;
  return (
    <label className="reports-day">
      {t('reports.day')}
      <select data-testid="reports-day" value={props.value} onChange={(e) => props.onDay(e.target.value)}>
        {props.days.map((d) => (
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
  );
}

/** Settlement status, method, customer and the amounts (in the store's currency). */
function FilterFields(props: { form: Form; set: SetField; currency: string }) {
  const { t } = useTranslation();
  const { form, set, currency } = props;
  return (
    <>
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
    </>
  );
}

/** From and to, in the store's local hours. */
function HourFields(props: { form: Form; set: SetField }) {
  const { t } = useTranslation();
  const { form, set } = props;
  const hourLabel = (h: number): string => t('reports.hour', { hour: String(h).padStart(2, '0') });
  return (
    <>
      <label>
        {t('reports.timeFrom')}
        <select data-testid="reports-from-hour" value={form.fromHour} onChange={(e) => set('fromHour', e.target.value)}>
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
    </>
  );
}
