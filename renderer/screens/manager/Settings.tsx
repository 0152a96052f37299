// The manager's Settings panel: each limit with its value, its allowed range and a change form;
// the face match threshold on a slider with the measured false-accept and false-reject rates at
// the slider's value (counts, n and 95% intervals from the host's calibration table); the
// customer screen's languages and the currency; the history of changes (the ledger's config
// entries: who, when, old -> new); and leaving kiosk mode, with the manager's PIN on the keypad. The host checks every range, role
// and rule again and signs each change; this panel checks early only to say what is wrong in
// the manager's language.
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, CalibrationRow, ResponseOf, SettingChange } from '../../../electron/contract/api.js';
import { parseMoney } from '../../i18n.js';
import type { PanelContext } from './manager-panels.js';
import { Keypad } from '../Keypad.js';

type Loaded = ResponseOf<'settings'>;
type Limit = Loaded['settings'][number];
const HOUR_MS = 3_600_000;
const LANGS = ['en', 'de', 'zh'] as const;
/** A staff PIN's length (the host checks it again). */
const PIN_MIN = 4;
const PIN_MAX = 8;
/** Problems this panel names itself (settings.errors.*), with their values. */
type Problem = { key: string; values?: Record<string, string> };

export function Settings({ ctx }: { ctx: PanelContext }) {
  const { t, i18n } = useTranslation();
  const [data, setData] = useState<Loaded | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [left, setLeft] = useState<ResponseOf<'leaveKioskMode'> | null>(null);
  // Remounts the PIN keypad after a wrong PIN, so that it starts empty.
  const [pinAttempt, setPinAttempt] = useState(0);
  const [leaving, setLeaving] = useState(false);
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

  /** The manager's PIN again: a session token alone cannot hand over the desktop. */
  const leave = async (pin: string): Promise<void> => {
    setProblem(null);
    setLeaving(true);
    const r = await withToken((token) => api.leaveKioskMode({ token, pin }));
    setLeaving(false);
    if (!r) return;
    if (!r.ok) {
      setPinAttempt((n) => n + 1);
      if (r.error.code !== 'STAFF_PIN_WRONG') setConfirmLeave(false);
      return fail(r.error);
    }
    setConfirmLeave(false);
    setLeft(r.value);
    await load();
  };

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
      </div>
      <section className="panel settings-kiosk" data-testid="settings-kiosk">
        <h3>{t('settings.kiosk.title')}</h3>
        <p>{t('settings.kiosk.text')}</p>
        {left && (
          <p className="ok" role="status" data-testid="kiosk-mode-left">
            {t(
              left.already_off
                ? 'settings.kiosk.alreadyOff'
                : left.kiosk_window
                  ? 'settings.kiosk.leftWindow'
                  : 'settings.kiosk.leftBrowser',
              { seq: left.seq, by: left.left_by },
            )}
          </p>
        )}
        {!confirmLeave && (
          <button
            className="secondary"
            data-testid="leave-kiosk-mode"
            onClick={() => {
              setProblem(null);
              setConfirmLeave(true);
            }}
          >
            {t('settings.kiosk.leave')}
          </button>
        )}
        {confirmLeave && (
          <div className="settings-confirm" data-testid="leave-kiosk-mode-confirm">
            <p>{t('settings.kiosk.confirm')}</p>
            <p>{t('settings.kiosk.pin')}</p>
            {problem && (
              <p className="error" role="alert" data-testid="settings-problem">
                {t(`settings.errors.${problem.key}`, problem.values ?? {})}
              </p>
            )}
            <Keypad
              key={pinAttempt}
              testId="leave-kiosk-mode-pin"
              min={PIN_MIN}
              max={PIN_MAX}
              mask
              disabled={leaving}
              onDone={(pin) => void leave(pin)}
            />
            <button className="secondary" data-testid="leave-kiosk-mode-cancel" onClick={() => setConfirmLeave(false)}>
              {t('settings.kiosk.cancel')}
            </button>
          </div>
        )}
      </section>
      <History
        rows={data.history}
        name={name}
        show={show}
        time={(ms) => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' }).format(ms)}
      />
    </div>
  );
}

type Save = (key: string, value: number | string, reason: string) => Promise<boolean>;

/** A reason field and a save button, shared by every card. */
function ChangeForm(props: { testId: string; onSubmit: (reason: string) => Promise<boolean>; children: ReactNode }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = (ev: FormEvent): void => {
    ev.preventDefault();
    setBusy(true);
    void props.onSubmit(reason).then((ok) => {
      setBusy(false);
      if (ok) setReason('');
    });
  };
  return (
    <form className="settings-form" data-testid={`setting-form-${props.testId}`} onSubmit={submit}>
      {props.children}
      <label>
        {t('settings.reason')}
        <input
          data-testid={`setting-reason-${props.testId}`}
          value={reason}
          maxLength={200}
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      <button type="submit" data-testid={`setting-save-${props.testId}`} disabled={busy}>
        {t('settings.save')}
      </button>
    </form>
  );
}

function LimitCard(props: {
  limit: Limit;
  name: string;
  currency: string;
  show: (key: string, v: number) => string;
  onSave: Save;
  onProblem: (p: Problem) => void;
}) {
  const { t } = useTranslation();
  const { limit, show } = props;
  const [text, setText] = useState('');
  const isMoney = limit.key.endsWith('_minor');
  const isHours = limit.key.endsWith('_ms_max');
  const submit = async (reason: string): Promise<boolean> => {
    let value: number | null;
    if (isMoney) value = parseMoney(text, props.currency);
    else if (isHours) value = /^\d{1,3}$/.test(text.trim()) ? Number(text.trim()) * HOUR_MS : null;
    else value = /^\d{1,12}$/.test(text.trim()) ? Number(text.trim()) : null;
    if (value === null) {
      props.onProblem({ key: isMoney ? 'amount' : 'number' });
      return false;
    }
    if (value < limit.min || value > limit.max) {
      props.onProblem({
        key: 'outOfRange',
        values: { min: show(limit.key, limit.min), max: show(limit.key, limit.max) },
      });
      return false;
    }
    const ok = await props.onSave(limit.key, value, reason);
    if (ok) setText('');
    return ok;
  };
  return (
    <section className="panel settings-card" data-testid={`setting-${limit.key}`}>
      <h3>{props.name}</h3>
      <p className="settings-value" data-testid={`setting-value-${limit.key}`}>
        {t('settings.current', { value: show(limit.key, limit.value) })}
      </p>
      <p className="settings-range">
        {t('settings.range', { min: show(limit.key, limit.min), max: show(limit.key, limit.max) })}
      </p>
      <ChangeForm testId={limit.key} onSubmit={submit}>
        <label>
          {t('settings.newValue')}
          <input
            data-testid={`setting-input-${limit.key}`}
            inputMode={isMoney ? 'decimal' : 'numeric'}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
      </ChangeForm>
    </section>
  );
}

const pct = (x: number, lng: string): string =>
  new Intl.NumberFormat(lng, { style: 'percent', maximumFractionDigits: 2 }).format(x);
/** A threshold in thousandths as a distance, in the language's digits: 0.570 or 0,570. */
const distance = (milli: number, lng: string): string =>
  new Intl.NumberFormat(lng, { minimumFractionDigits: 3, maximumFractionDigits: 3 }).format(milli / 1000);

function ThresholdCard(props: {
  limit: Limit;
  rows: CalibrationRow[];
  source: Loaded['calibration'];
  name: string;
  onSave: Save;
  onProblem: (p: Problem) => void;
}) {
  const { t, i18n } = useTranslation();
  const { limit, rows } = props;
  const [milli, setMilli] = useState(limit.value);
  useEffect(() => setMilli(limit.value), [limit.value]);
  const row = rows.find((r) => r.threshold_milli === milli);
  const lng = i18n.language;
  const submit = (reason: string): Promise<boolean> => props.onSave(limit.key, milli, reason);
  return (
    <section className="panel settings-card settings-threshold" data-testid={`setting-${limit.key}`}>
      <h3>{props.name}</h3>
      <p className="settings-value" data-testid={`setting-value-${limit.key}`}>
        {t('settings.current', { value: distance(limit.value, lng) })}
      </p>
      <p className="settings-range">
        {t('settings.range', { min: distance(limit.min, lng), max: distance(limit.max, lng) })}
      </p>
      <ChangeForm testId={limit.key} onSubmit={submit}>
        <label className="settings-slider">
          {t('settings.newValue')}: <strong data-testid="threshold-chosen">{distance(milli, lng)}</strong>
          <input
            type="range"
            data-testid="threshold-slider"
            min={limit.min}
            max={limit.max}
            step={limit.step ?? 1}
            value={milli}
            onChange={(e) => setMilli(Number(e.target.value))}
          />
        </label>
        {row && (
          <div className="settings-far" data-testid="threshold-far" aria-live="polite">
            <p data-testid="threshold-far-text">
              {t('settings.threshold.far', {
                k: row.impostor_accepted,
                n: row.impostor_pairs,
                pct: pct(row.impostor_accepted / row.impostor_pairs, lng),
                lo: pct(row.far_ci95[0], lng),
                hi: pct(row.far_ci95[1], lng),
              })}
            </p>
            <p data-testid="threshold-frr-text">
              {t('settings.threshold.frr', {
                k: row.genuine_rejected,
                n: row.genuine_pairs,
                pct: pct(row.genuine_rejected / Math.max(1, row.genuine_pairs), lng),
                lo: pct(row.frr_ci95[0], lng),
                hi: pct(row.frr_ci95[1], lng),
              })}
            </p>
          </div>
        )}
        <p className="settings-note">{t('settings.threshold.stricter')}</p>
        <p className="settings-note">
          {t('settings.threshold.source', { images: props.source.images, people: props.source.people })}
        </p>
      </ChangeForm>
    </section>
  );
}

function LanguagesCard(props: { value: string; name: string; onSave: Save; onProblem: (p: Problem) => void }) {
  const { t } = useTranslation();
  const [on, setOn] = useState<string[]>(props.value.split(','));
  useEffect(() => setOn(props.value.split(',')), [props.value]);
  const submit = (reason: string): Promise<boolean> => {
    if (on.length === 0) {
      props.onProblem({ key: 'noLanguage' });
      return Promise.resolve(false);
    }
    return props.onSave('store_languages', LANGS.filter((l) => on.includes(l)).join(','), reason);
  };
  return (
    <section className="panel settings-card" data-testid="setting-store_languages">
      <h3>{props.name}</h3>
      <p className="settings-value" data-testid="setting-value-store_languages">
        {t('settings.current', {
          value: props.value
            .split(',')
            .map((l) => t(`lang.${l}`))
            .join(', '),
        })}
      </p>
      <ChangeForm testId="store_languages" onSubmit={submit}>
        <div className="settings-langs">
          {LANGS.map((l) => (
            <label key={l} className="settings-check">
              <input
                type="checkbox"
                data-testid={`setting-lang-${l}`}
                checked={on.includes(l)}
                onChange={(e) => setOn((xs) => (e.target.checked ? [...xs, l] : xs.filter((x) => x !== l)))}
              />
              {t(`lang.${l}`)}
            </label>
          ))}
        </div>
      </ChangeForm>
    </section>
  );
}

function CurrencyCard(props: { value: string; name: string; onSave: Save; onProblem: (p: Problem) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const submit = async (reason: string): Promise<boolean> => {
    const code = text.trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(code)) {
      props.onProblem({ key: 'currency' });
      return false;
    }
    const ok = await props.onSave('store_currency', code, reason);
    if (ok) setText('');
    return ok;
  };
  return (
    <section className="panel settings-card" data-testid="setting-store_currency">
      <h3>{props.name}</h3>
      <p className="settings-value" data-testid="setting-value-store_currency">
        {t('settings.current', { value: props.value })}
      </p>
      <p className="settings-note">{t('settings.currencyNote')}</p>
      <ChangeForm testId="store_currency" onSubmit={submit}>
        <label>
          {t('settings.newValue')}
          <input
            data-testid="setting-input-store_currency"
            maxLength={3}
            autoCapitalize="characters"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
      </ChangeForm>
    </section>
  );
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
