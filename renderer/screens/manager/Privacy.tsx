// The manager's privacy panel: find an enrolled customer (a part of the name, initials, the
// phone's last 4 digits or the customer id), see their consent record, and delete their face
// data on request with a reason and a confirmation. The host deletes here at once and tells the
// settlement server, which removes it from every kiosk at their next sync; this panel only asks
// and shows what the host answers.
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, CustomerView, DeletionView, ResponseOf } from '../../../electron/contract/api.js';
import type { PanelContext } from './manager-panels.js';

type Found = ResponseOf<'findCustomers'>;
const QUERY_MAX = 60;
const REASON_MAX = 500;

export function Privacy({ ctx }: { ctx: PanelContext }) {
  const { t, i18n } = useTranslation();
  const live = useRef(ctx);
  live.current = ctx;
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<{ query: string; result: Found } | null>(null);
  const [record, setRecord] = useState<CustomerView | null>(null);
  const [confirm, setConfirm] = useState<CustomerView | null>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const date = (ms: number): string => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' }).format(ms);
  const when = (ms: number): string =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
  const nameOf = (c: CustomerView): string => c.display_name ?? c.customer_id;

  /** Our own codes in our words; the staff screen translates the rest (sessions, roles). */
  const fail = (e: ApiError): void => {
    if (i18n.exists(`privacy.errors.${e.code}`)) setProblem(`privacy.errors.${e.code}`);
    else live.current.onError(e);
  };

  const search = async (q: string): Promise<void> => {
    const c = live.current;
    setProblem(null);
    setBusy(true);
    const r = await c.withToken((token) => c.api.findCustomers({ token, query: q }));
    setBusy(false);
    if (!r) return;
    if (!r.ok) return fail(r.error);
    setFound({ query: q, result: r.value });
  };

  const onSearch = (ev: FormEvent): void => {
    ev.preventDefault();
    const q = query.trim();
    if (q) void search(q);
  };

  const showRecord = async (customerId: string): Promise<void> => {
    const c = live.current;
    const r = await c.withToken((token) => c.api.consentRecords({ token, customer_id: customerId }));
    if (!r) return;
    if (!r.ok) return fail(r.error);
    setConfirm(null);
    setRecord(r.value);
  };

  const status = (d: DeletionView): string =>
    // i18n.t, not t: also part of a notice, said again after a change of language.
    d.status === 'propagated'
      ? i18n.t('privacy.status.propagated', { when: when(d.propagated_at_ms ?? d.requested_at_ms) })
      : d.status === 'refused'
        ? i18n.t('privacy.status.refused', { error: d.last_error ?? '' })
        : i18n.t('privacy.status.pending');

  const remove = async (): Promise<void> => {
    if (!confirm) return;
    if (reason.trim() === '') return setProblem('privacy.confirm.reasonNeeded');
    const c = live.current;
    setBusy(true);
    const r = await c.withToken((token) =>
      c.api.deleteCustomer({ token, customer_id: confirm.customer_id, reason: reason.trim() }),
    );
    setBusy(false);
    if (!r) return;
    if (!r.ok) return fail(r.error);
    const gone = r.value;
    setConfirm(null);
    setReason('');
    setProblem(null);
    setRecord(null);
    c.onNotice(() =>
      i18n.t('privacy.deleted', { name: nameOf(gone), status: gone.deletion ? status(gone.deletion) : '' }),
    );
    if (found) await search(found.query);
  };

  const customers = found?.result.customers ?? [];
  return (
    <div className="privacy" data-testid="privacy">
      <h2>{t('privacy.title')}</h2>
      <form className="privacy-search" onSubmit={onSearch}>
        <label>
          {t('privacy.searchLabel')}
          <input
            data-testid="privacy-query"
            value={query}
            maxLength={QUERY_MAX}
            onChange={(e) => setQuery(e.target.value)}
          />
        </label>
        <button className="primary" data-testid="privacy-search" disabled={busy || query.trim() === ''}>
          {t('privacy.search')}
        </button>
      </form>
      {problem && (
        <p className="error" role="alert" data-testid="privacy-error">
          {t(problem)}
        </p>
      )}
      {found && found.result.pending_deletions > 0 && (
        <p className="small" data-testid="privacy-pending">
          {t('privacy.pending', { count: found.result.pending_deletions })}
        </p>
      )}

      {found && customers.length === 0 && (
        <p className="small" data-testid="privacy-none">
          {t('privacy.none', { query: found.query })}
        </p>
      )}
      {customers.length > 0 && (
        <div className="table-scroll">
          <table className="staff-table privacy-results" data-testid="privacy-results">
            <thead>
              <tr>
                <th>{t('privacy.col.customer')}</th>
                <th>{t('privacy.col.phone')}</th>
                <th>{t('privacy.col.enrolled')}</th>
                <th>{t('privacy.col.consent')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {customers.map((c) => (
                <tr key={c.customer_id} data-testid={`privacy-customer-${c.customer_id}`}>
                  <td className="detail">
                    {c.display_name ?? (
                      <span className="small">
                        {c.customer_id} · {t('privacy.otherKiosk')}
                      </span>
                    )}
                  </td>
                  <td>{c.phone_last4 ? `•••• ${c.phone_last4}` : '—'}</td>
                  <td>{c.enrolled_at_ms !== null ? date(c.enrolled_at_ms) : '—'}</td>
                  <td>
                    {c.consent
                      ? t('privacy.consentOn', { when: date(c.consent.agreed_at_ms) })
                      : t('privacy.consentNone')}
                  </td>
                  <td>
                    <div className="row-actions">
                      <button
                        data-testid={`privacy-consent-${c.customer_id}`}
                        onClick={() => void showRecord(c.customer_id)}
                      >
                        {t('privacy.show')}
                      </button>
                      <button
                        className="privacy-delete"
                        data-testid={`privacy-delete-${c.customer_id}`}
                        onClick={() => {
                          setRecord(null);
                          setReason('');
                          setProblem(null);
                          setConfirm(c);
                        }}
                      >
                        {t('privacy.delete')}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {found?.result.truncated && <p className="small">{t('privacy.more')}</p>}

      {confirm && (
        <form
          className="panel privacy-confirm"
          data-testid="privacy-confirm"
          onSubmit={(ev) => {
            ev.preventDefault();
            void remove();
          }}
        >
          <h3>{t('privacy.confirm.title', { name: nameOf(confirm) })}</h3>
          <p>{t('privacy.confirm.text')}</p>
          <label>
            {t('privacy.confirm.reason')}
            <input
              data-testid="privacy-reason"
              value={reason}
              maxLength={REASON_MAX}
              onChange={(e) => setReason(e.target.value)}
            />
          </label>
          <div className="row">
            <button
              className="privacy-delete-yes"
              data-testid="privacy-confirm-yes"
              disabled={busy || reason.trim() === ''}
            >
              {t('privacy.confirm.yes')}
            </button>
            <button
              type="button"
              className="secondary"
              data-testid="privacy-confirm-cancel"
              onClick={() => {
                setConfirm(null);
                setProblem(null);
              }}
            >
              {t('privacy.confirm.cancel')}
            </button>
          </div>
        </form>
      )}

      {record && <ConsentRecord c={record} when={when} date={date} status={status} onClose={() => setRecord(null)} />}
    </div>
  );
}

function ConsentRecord(props: {
  c: CustomerView;
  when: (ms: number) => string;
  date: (ms: number) => string;
  status: (d: DeletionView) => string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { c } = props;
  const k = c.consent;
  const DAY_MS = 86_400_000;
  return (
    <article className="panel privacy-record" data-testid="privacy-record" data-customer={c.customer_id}>
      <h3>{t('privacy.record.title', { name: c.display_name ?? c.customer_id })}</h3>
      {k ? (
        <dl>
          <dt>{t('privacy.record.version')}</dt>
          <dd data-testid="privacy-record-version">{k.text_version}</dd>
          <dt>{t('privacy.record.language')}</dt>
          <dd data-testid="privacy-record-language">
            {k.language ? t(`privacy.languages.${k.language}`) : t('privacy.record.languageUnknown')}
          </dd>
          <dt>{t('privacy.record.agreed')}</dt>
          <dd>{props.when(k.agreed_at_ms)}</dd>
          <dt>{t('privacy.record.purpose')}</dt>
          <dd>{k.purpose}</dd>
          <dt>{t('privacy.record.retention')}</dt>
          <dd>
            {t('privacy.record.retentionDays', {
              count: k.retention_days,
              until: props.date(k.agreed_at_ms + k.retention_days * DAY_MS),
            })}
          </dd>
          <dt>{t('privacy.record.kiosk')}</dt>
          <dd>{k.kiosk_id}</dd>
          <dt>{t('privacy.record.source')}</dt>
          <dd>{t(`privacy.record.sources.${k.source}`)}</dd>
        </dl>
      ) : (
        <p className="small" data-testid="privacy-record-none">
          {t('privacy.record.none')}
        </p>
      )}
      <dl>
        <dt>{t('privacy.record.template')}</dt>
        <dd data-testid="privacy-record-template">
          {c.template_on_kiosk ? t('privacy.record.yes') : t('privacy.record.no')}
        </dd>
        {c.deletion && (
          <>
            <dt>{t('privacy.record.deletion')}</dt>
            <dd data-testid="privacy-record-deletion" data-status={c.deletion.status}>
              {t('privacy.record.deletionText', {
                when: props.when(c.deletion.requested_at_ms),
                by: c.deletion.requested_by,
                reason: c.deletion.reason,
              })}{' '}
              · {props.status(c.deletion)}
            </dd>
          </>
        )}
      </dl>
      <button className="secondary" data-testid="privacy-record-close" onClick={props.onClose}>
        {t('privacy.record.close')}
      </button>
    </article>
  );
}
