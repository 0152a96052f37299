// The manager's Screens panel: pair a customer screen by the code it shows (with the manager's
// PIN again), and the screens paired with this kiosk, each revocable. The host checks the role
// and the PIN; a revoked screen's connections close at once and it is back to the status page.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScreenView } from '../../../electron/contract/api.js';
import type { PanelContext } from './manager-panels.js';

export function Screens({ ctx }: { ctx: PanelContext }) {
  const { t, i18n } = useTranslation();
  const [screens, setScreens] = useState<ScreenView[] | null>(null);
  const [code, setCode] = useState('');
  const [label, setLabel] = useState('');
  const [pin, setPin] = useState('');
  const [reason, setReason] = useState('');
  // The staff screen makes a new context each render: the calls read the latest through a ref.
  const live = useRef(ctx);
  live.current = ctx;

  const load = useCallback(async (): Promise<void> => {
    const c = live.current;
    const r = await c.withToken((token) => c.api.screensList({ token }));
    if (!r) return;
    if (r.ok) setScreens(r.value.screens);
    else c.onError(r.error);
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const approve = async (): Promise<void> => {
    const c = live.current;
    const r = await c.withToken((token) => c.api.pairApprove({ token, code, pin, label: label.trim() }));
    setPin('');
    if (!r) return;
    if (!r.ok) return c.onError(r.error);
    setCode('');
    setLabel('');
    c.onNotice(() => i18n.t('screens.approved', { label: r.value.label }));
    await load();
  };

  const revoke = async (s: ScreenView): Promise<void> => {
    const c = live.current;
    const r = await c.withToken((token) =>
      c.api.screenRevoke({ token, screen_id: s.screen_id, reason: reason.trim() || 'revoked by a manager' }),
    );
    if (!r) return;
    if (!r.ok) return c.onError(r.error);
    c.onNotice(() => i18n.t('screens.revokedNotice', { label: s.label }));
    await load();
  };

  return (
    <div className="screens" data-testid="screens-panel">
      <h2>{t('screens.title')}</h2>
      <form
        className="panel screens-approve"
        onSubmit={(e) => {
          e.preventDefault();
          void approve();
        }}
      >
        <h3>{t('screens.approveTitle')}</h3>
        <label>
          {t('screens.code')}
          <input
            data-testid="screens-code"
            inputMode="numeric"
            maxLength={6}
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
          />
        </label>
        <label>
          {t('screens.label')}
          <input data-testid="screens-label" maxLength={60} value={label} onChange={(e) => setLabel(e.target.value)} />
        </label>
        <label>
          {t('screens.pin')}
          <input
            data-testid="screens-pin"
            type="password"
            inputMode="numeric"
            maxLength={8}
            value={pin}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
          />
        </label>
        <button
          className="primary"
          data-testid="screens-approve"
          disabled={code.length !== 6 || label.trim() === '' || pin.length < 4}
        >
          {t('screens.approve')}
        </button>
      </form>
      {screens !== null && screens.length === 0 && <p>{t('screens.none')}</p>}
      <ul className="screens-list">
        {(screens ?? []).map((s) => (
          <li
            key={s.screen_id}
            data-testid={`screen-row-${s.screen_id}`}
            data-revoked={s.revoked_at_ms !== null}
            className="panel"
          >
            <strong>{s.label}</strong> <span className="small">{s.screen_id}</span>
            <p className="small">
              {t('screens.pairedBy', { when: ctx.time(s.paired_at_ms), by: s.paired_by })}
              {s.last_seen_ms !== null ? ` · ${t('screens.lastSeen', { when: ctx.time(s.last_seen_ms) })}` : ''}
            </p>
            {s.revoked_at_ms !== null ? (
              <p className="small warn">
                {t('screens.revoked', { when: ctx.time(s.revoked_at_ms), by: s.revoked_by })}
              </p>
            ) : (
              <span>
                <input
                  aria-label={t('screens.reason')}
                  placeholder={t('screens.reason')}
                  maxLength={200}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                />
                <button
                  className="secondary"
                  data-testid={`screen-revoke-${s.screen_id}`}
                  onClick={() => void revoke(s)}
                >
                  {t('screens.revoke')}
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
