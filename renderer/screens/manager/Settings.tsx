// The manager's Settings panel: each limit with its value, its allowed range and a change form;
// the face match threshold on a slider with the measured false-accept and false-reject rates at
// the slider's value (counts, n and 95% intervals from the host's calibration table); the
// customer screen's languages and the currency; the history of changes (the ledger's config
// entries: who, when, old -> new); and leaving kiosk mode, with the manager's PIN on the keypad.
// The host checks every range, role and rule again and signs each change; this panel checks
// early only to say what is wrong in the manager's language. The cards are in SettingCards.tsx,
// leaving kiosk mode in LeaveKioskMode.tsx.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, SettingChange } from '../../../electron/contract/api.js';
import { LeaveKioskMode } from './LeaveKioskMode.js';
import { TaxCard } from './TaxCard.js';
import type { PanelContext } from './manager-panels.js';
import {
  CurrencyCard,
  distance,
  HOUR_MS,
  LanguagesCard,
  LimitCard,
  ThresholdCard,
  type Loaded,
  type Problem,
} from './SettingCards.js';

export function Settings({ ctx }: { ctx: PanelContext }) {
  const { t, i18n } = useTranslation();
  const [confirmLeave, setConfirmLeave] = useState(false);
  const { data, problem, setProblem, currency, name, show, fail, save, load } = useSettings(ctx);

  if (!data) return <p data-testid="settings-loading">{t('settings.loading')}</p>;
  const numeric = data.settings;
  return (
    <div className="settings-panel" data-testid="settings-panel">
      <h2>{t('settings.title')}</h2>
      <p className="settings-intro">{t('settings.intro')}</p>
      {problem && !confirmLeave && (
        <p className="error" role="alert" data-testid="settings-problem">
          {t(`settings.errors.${problem.key}`, problem.values ?? {})}
        </p>
      )}
      <div className="settings-grid">
        {numeric.map((s) =>
          s.key === 'match_threshold_milli' ? (
            <ThresholdCard
              key={s.key}
              limit={s}
              rows={data.calibration.rows}
              source={data.calibration}
              name={name(s.key)}
              onSave={save}
              onProblem={setProblem}
            />
          ) : (
            <LimitCard
              key={s.key}
              limit={s}
              name={name(s.key)}
              show={show}
              currency={currency}
              onSave={save}
              onProblem={setProblem}
            />
          ),
        )}
        <LanguagesCard
          value={data.texts.find((x) => x.key === 'store_languages')?.value ?? 'en,de,zh'}
          name={name('store_languages')}
          onSave={save}
          onProblem={setProblem}
        />
        <CurrencyCard value={currency} name={name('store_currency')} onSave={save} onProblem={setProblem} />
        <TaxCard ctx={ctx} tax={data.tax} onChanged={load} />
      </div>
      <LeaveKioskMode
        ctx={ctx}
        confirming={confirmLeave}
        setConfirming={setConfirmLeave}
        problem={problem}
        setProblem={setProblem}
        fail={fail}
        load={load}
      />
      <History
        rows={data.history}
        name={name}
        show={show}
        time={(ms) => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' }).format(ms)}
      />
    </div>
  );
}

/** The settings as the host answers them, how a key and a value read, and saving a change. */
function useSettings(ctx: PanelContext) {
  const { i18n } = useTranslation();
  const [data, setData] = useState<Loaded | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const { withToken, onError, onNotice, api } = ctx;

  const load = useCallback(async (): Promise<void> => {
    const r = await withToken((token) => api.settings({ token }));
    if (r?.ok) setData(r.value);
    else if (r) onError(r.error);
  }, [api, withToken, onError]);

  useEffect(() => {
    void load();
  }, [load]);

  const currency = data?.texts.find((x) => x.key === 'store_currency')?.value ?? 'EUR';
  // i18n.t, not t: these also build notices, said again after a change of language.
  const name = (key: string): string => (i18n.exists(`settings.keys.${key}`) ? i18n.t(`settings.keys.${key}`) : key);
  /** A value as people read it: money, hours, a distance, or languages. */
  const show = (key: string, value: string | number | boolean | null): string => {
    if (value === null) return '–';
    if (typeof value !== 'number') return String(value);
    if (key.endsWith('_minor')) return ctx.money(value, currency);
    if (key.endsWith('_ms_max')) return i18n.t('settings.hours', { count: Number((value / HOUR_MS).toFixed(2)) });
    if (key === 'match_threshold_milli') return distance(value, i18n.language);
    return String(value);
  };

  const fail = (e: ApiError): void => {
    if (i18n.exists(`settings.errors.${e.code}`)) setProblem({ key: e.code });
    else onError(e);
  };

  const save = async (key: string, value: number | string, reason: string): Promise<boolean> => {
    setProblem(null);
    if (!reason.trim()) {
      setProblem({ key: 'reason' });
      return false;
    }
    const r = await withToken((token) => api.setSetting({ token, key, value, reason: reason.trim() }));
    if (!r) return false;
    if (!r.ok) {
      fail(r.error);
      return false;
    }
    const v = r.value;
    onNotice(() =>
      i18n.t('settings.saved', {
        name: name(key),
        from: show(key, v.previous),
        to: show(key, v.value),
        seq: v.seq,
        by: v.changed_by,
      }),
    );
    await load();
    return true;
  };
  return { data, problem, setProblem, currency, name, show, fail, save, load };
}

function History(props: {
  rows: SettingChange[];
  name: (key: string) => string;
  show: (key: string, v: string | number | boolean | null) => string;
  time: (ms: number) => string;
}) {
  const { t } = useTranslation();
  return (
    <section className="panel settings-history" data-testid="settings-history">
      <h3>{t('settings.history.title')}</h3>
      {props.rows.length === 0 ? (
        <p>{t('settings.history.none')}</p>
      ) : (
        <div className="table-scroll">
          <table className="staff-table">
            <thead>
              <tr>
                <th>{t('settings.history.when')}</th>
                <th>{t('settings.history.who')}</th>
                <th>{t('settings.history.what')}</th>
                <th>{t('settings.history.change')}</th>
                <th>{t('settings.history.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((h) => (
                <tr key={h.seq} data-testid={`settings-history-${h.seq}`}>
                  <td className="num">{props.time(h.created_at_ms)}</td>
                  <td>{h.changed_by}</td>
                  <td>{props.name(h.key)}</td>
                  <td className="num">
                    {props.show(h.key, h.previous)} → {props.show(h.key, h.value)}
                  </td>
                  <td className="detail">{h.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
