// The manager's integrity panel: status lights (chain and signatures, server receipts, the
// follow-up list, alarms), "verify now" with its result and time, the receipt counts, the
// payments declined after sync, and alarms in red. The host verifies and matches; this panel
// only asks and shows.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IntegrityAlarm, IntegrityReport, Verification } from '../../../electron/contract/api.js';
import type { PanelContext } from './manager-panels.js';

type Light = 'ok' | 'bad' | 'warn' | 'none';
const RECEIPT_KEYS = ['settled', 'recorded', 'declined', 'pending', 'mismatched'] as const;

export function Integrity({ ctx }: { ctx: PanelContext }) {
  const { t, i18n } = useTranslation();
  const [report, setReport] = useState<IntegrityReport | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [fresh, setFresh] = useState<Verification | null>(null);
  // The staff screen makes a new context each render: the calls read the latest through a ref.
  const live = useRef(ctx);
  live.current = ctx;
  const when = (ms: number): string =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'medium' }).format(ms);

  const load = useCallback(async (): Promise<void> => {
    const c = live.current;
    const r = await c.withToken((token) => c.api.integrity({ token }));
    if (!r) return;
    if (r.ok) setReport(r.value);
    else c.onError(r.error);
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const verify = async (): Promise<void> => {
    const c = live.current;
    setVerifying(true);
    const r = await c.withToken((token) => c.api.verifyNow({ token }));
    setVerifying(false);
    if (!r) return;
    if (!r.ok) return c.onError(r.error);
    setFresh(r.value);
    await load();
  };

  if (!report)
    return (
      <p className="small" data-testid="integrity-loading">
        {t('integrity.loading')}
      </p>
    );
  const v = report.verified;
  const rc = report.receipts;
  const lights: [string, Light, string][] = [
    [
      'chain',
      v === null ? 'none' : v.ok ? 'ok' : 'bad',
      v === null
        ? t('integrity.chainNever')
        : v.ok
          ? t('integrity.chainOk', { count: v.entries, when: when(v.at_ms) })
          : t('integrity.chainBad', { seq: v.first_bad_seq ?? 0, when: when(v.at_ms) }),
    ],
    [
      'receipts',
      rc.mismatched > 0 ? 'bad' : rc.pending > 0 ? 'warn' : 'ok',
      rc.mismatched > 0
        ? `${rc.mismatched} · ${t('integrity.receipts.mismatched')}`
        : `${rc.pending} · ${t('integrity.receipts.pending')}`,
    ],
    [
      'followUp',
      report.follow_up_total > 0 ? 'warn' : 'ok',
      report.follow_up_total > 0 ? String(report.follow_up_total) : t('integrity.followUpNone'),
    ],
    [
      'alarms',
      report.alarms.length > 0 ? 'bad' : 'ok',
      report.alarms.length > 0 ? String(report.alarms.length) : t('integrity.alarmsNone'),
    ],
  ];
  const mark = (l: Light): string => (l === 'ok' ? '✓' : l === 'bad' ? '✗' : l === 'warn' ? '!' : '…');

  return (
    <div className="integrity" data-testid="integrity">
      <div className="integrity-head">
        <h2>{t('integrity.title')}</h2>
        <span className="small" data-testid="integrity-entries">
          {t('integrity.entries', { count: report.ledger.entries })}
        </span>
        <button className="primary" data-testid="integrity-verify" disabled={verifying} onClick={() => void verify()}>
          {verifying ? t('integrity.verifying') : t('integrity.verifyNow')}
        </button>
      </div>
      {fresh && (
        <p
          className={fresh.ok ? 'ok integrity-result' : 'error integrity-result'}
          role="status"
          data-testid="integrity-verify-result"
          data-ok={String(fresh.ok)}
          data-entries={fresh.entries}
          data-first-bad-seq={fresh.first_bad_seq ?? ''}
        >
          {fresh.ok
            ? t('integrity.verifiedOk', {
                count: fresh.entries,
                ms: fresh.elapsed_ms,
                when: when(fresh.at_ms),
                by: fresh.by,
              })
            : t('integrity.verifiedBad', {
                seq: fresh.first_bad_seq ?? 0,
                code: fresh.code ?? '',
                message: fresh.message ?? '',
              })}
          {fresh.anchor_seq !== null && <> {t('integrity.anchored', { seq: fresh.anchor_seq })}</>}
        </p>
      )}

      <ul className="integrity-lights">
        {lights.map(([name, light, text]) => (
          <li
            key={name}
            className={`integrity-light light-${light}`}
            data-testid={`integrity-light-${name}`}
            data-state={light}
          >
            <span className="light-mark" aria-hidden="true">
              {mark(light)}
            </span>
            <span className="light-name">{t(`integrity.lights.${name}`)}</span>
            <span className="light-text">{text}</span>
          </li>
        ))}
      </ul>

      <section className="integrity-section">
        <h3>{t('integrity.alarmsTitle')}</h3>
        {report.alarms.length === 0 ? (
          <p className="small" data-testid="integrity-no-alarms">
            {t('integrity.alarmsNone')}
          </p>
        ) : (
          <ul className="integrity-alarms" data-testid="integrity-alarms">
            {report.alarms.map((a, i) => (
              <AlarmItem key={`${a.kind}-${i}`} a={a} when={when} />
            ))}
          </ul>
        )}
        {report.sync.last_error && (
          <p className="small integrity-sync-error">{t('integrity.syncError', { error: report.sync.last_error })}</p>
        )}
      </section>

      <section className="integrity-section">
        <h3>{t('integrity.receiptsTitle')}</h3>
        <dl className="integrity-receipts">
          {RECEIPT_KEYS.map((k) => (
            <div
              key={k}
              className={k === 'mismatched' && rc.mismatched > 0 ? 'receipt-count error' : 'receipt-count'}
              data-testid={`integrity-receipts-${k}`}
              data-count={rc[k]}
            >
              <dt>{t(`integrity.receipts.${k}`)}</dt>
              <dd>{rc[k]}</dd>
            </div>
          ))}
        </dl>
        {rc.mismatched === 0 && <p className="small">{t('integrity.receiptsOk')}</p>}
      </section>

      <section className="integrity-section">
        <h3>{t('integrity.followUpTitle')}</h3>
        {report.follow_up.length === 0 ? (
          <p className="small" data-testid="integrity-follow-up-none">
            {t('integrity.followUpNone')}
          </p>
        ) : (
          <div className="table-scroll">
            <table className="staff-table" data-testid="integrity-follow-up">
              <thead>
                <tr>
                  <th>{t('integrity.col.seq')}</th>
                  <th>{t('integrity.col.time')}</th>
                  <th>{t('integrity.col.kind')}</th>
                  <th>{t('integrity.col.amount')}</th>
                  <th>{t('integrity.col.customer')}</th>
                  <th>{t('integrity.col.reason')}</th>
                  <th>{t('integrity.col.declined')}</th>
                </tr>
              </thead>
              <tbody>
                {report.follow_up.map((f) => (
                  <tr
                    key={f.seq}
                    data-testid={`follow-up-${f.seq}`}
                    data-amount-minor={f.amount_minor}
                    data-reason={f.reason ?? ''}
                  >
                    <td>{f.seq}</td>
                    <td>{when(f.created_at_ms)}</td>
                    <td>
                      {t(`integrity.kind.${f.kind}`)}
                      {f.method ? ` · ${t(`integrity.method.${f.method}`)}` : ''}
                    </td>
                    <td className="num">{ctx.money(f.amount_minor, f.currency)}</td>
                    <td>{f.customer_initials ?? '—'}</td>
                    <td className="detail">
                      {f.reason && i18n.exists(`integrity.reasons.${f.reason}`)
                        ? t(`integrity.reasons.${f.reason}`)
                        : (f.reason ?? '')}
                    </td>
                    <td>{when(f.declined_at_ms)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {report.follow_up_total > report.follow_up.length && (
          <p className="small">
            {t('integrity.followUpMore', { shown: report.follow_up.length, total: report.follow_up_total })}
          </p>
        )}
      </section>
    </div>
  );
}

function AlarmItem({ a, when }: { a: IntegrityAlarm; when: (ms: number) => string }) {
  const { t } = useTranslation();
  return (
    <li className="integrity-alarm error" role="alert" data-testid={`alarm-${a.kind}`} data-target={a.target ?? ''}>
      <strong>{t(`integrity.alarm.${a.kind}`, { target: a.target ?? '' })}</strong>
      <span className="alarm-meta">
        {a.at_ms !== null ? t('integrity.alarmWhen', { when: when(a.at_ms) }) : t('integrity.alarmWhenUnknown')}
        {a.count > 1 && <> · {t('integrity.alarmTimes', { count: a.count })}</>}
      </span>
      <span className="alarm-detail">{a.detail}</span>
    </li>
  );
}
