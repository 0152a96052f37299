// The Settings panel's cards, one per setting: a limit (money, hours or a count) with its range,
// the face match threshold on a slider with the calibration's false-accept and false-reject
// rates at the slider's value, the customer screen's languages and the currency; each with the
// reason for the change, which the host signs into the ledger with it.
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CalibrationRow, ResponseOf } from '../../../electron/contract/api.js';
import { parseMoney } from '../../i18n.js';

export type Loaded = ResponseOf<'settings'>;
type Limit = Loaded['settings'][number];
export const HOUR_MS = 3_600_000;
const LANGS = ['en', 'de', 'zh'] as const;
/** Problems this panel names itself (settings.errors.*), with their values. */
export type Problem = { key: string; values?: Record<string, string> };
/** Saves a setting with the reason; false when it was refused (the problem is shown). */
export type Save = (key: string, value: number | string, reason: string) => Promise<boolean>;

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

export function LimitCard(props: {
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
export const distance = (milli: number, lng: string): string =>
  new Intl.NumberFormat(lng, { minimumFractionDigits: 3, maximumFractionDigits: 3 }).format(milli / 1000);

export function ThresholdCard(props: {
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

export function LanguagesCard(props: { value: string; name: string; onSave: Save; onProblem: (p: Problem) => void }) {
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

export function CurrencyCard(props: { value: string; name: string; onSave: Save; onProblem: (p: Problem) => void }) {
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
