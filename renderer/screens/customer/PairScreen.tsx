// An unpaired screen's way in: it asks the host for a pairing code and shows it; a manager types
// the code on a staff screen with their PIN (Staff > Screens); this screen then claims its device
// token (POST PAIR_CLAIM_PATH with the request's secret, which only this page holds; the host
// answers with an HttpOnly cookie) and reloads as a paired customer screen. Until then it sees
// the status page only.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskClient } from '../../../electron/contract/api.js';
import { PAIR_CLAIM_PATH } from '../../../electron/contract/constants.js';

/** How often the screen asks whether a manager has approved its code. */
const CLAIM_POLL_MS = 2_000;
const CLAIM_TIMEOUT_MS = 5_000;

type State =
  | { name: 'idle' }
  | { name: 'waiting'; code: string; request_id: string; expires_at_ms: number }
  | { name: 'expired' }
  | { name: 'done' }
  | { name: 'error'; message: string };

export function PairScreen(props: { api: KioskClient }) {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<State>({ name: 'idle' });

  const ask = async (): Promise<void> => {
    const r = await props.api.pairRequest({});
    if (!r.ok)
      return setState({
        name: 'error',
        message: i18n.exists(`errors.${r.error.code}`) ? t(`errors.${r.error.code}`) : r.error.message,
      });
    setState({ name: 'waiting', ...r.value });
  };

  const waiting = state.name === 'waiting' ? state : null;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => {
      if (Date.now() > waiting.expires_at_ms) return setState({ name: 'expired' });
      void fetch(PAIR_CLAIM_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ request_id: waiting.request_id }),
        signal: AbortSignal.timeout(CLAIM_TIMEOUT_MS),
      })
        .then(async (res) => {
          if (res.status === 404) return setState({ name: 'expired' });
          const body = (await res.json()) as { ok: boolean; value?: { paired: boolean } };
          if (body.ok && body.value?.paired) {
            setState({ name: 'done' });
            // The socket was opened without the cookie: a fresh page opens it with.
            location.reload();
          }
        })
        .catch(() => undefined);
    }, CLAIM_POLL_MS);
    return () => clearInterval(timer);
  }, [waiting]);

  return (
    <div className="pairing" data-testid="pairing">
      <h2>{t('pairing.title')}</h2>
      <p className="small">{t('pairing.text')}</p>
      {state.name === 'waiting' ? (
        <>
          <p className="pairing-code" data-testid="pairing-code" data-code={state.code}>
            {t('pairing.code')}: <strong>{state.code}</strong>
          </p>
          <p className="small">{t('pairing.waiting')}</p>
        </>
      ) : state.name === 'done' ? (
        <p>{t('pairing.done')}</p>
      ) : (
        <>
          {state.name === 'expired' && <p className="warn">{t('pairing.expired')}</p>}
          {state.name === 'error' && <p className="error">{state.message}</p>}
          <button className="primary" data-testid="pairing-ask" onClick={() => void ask()}>
            {t('pairing.ask')}
          </button>
        </>
      )}
    </div>
  );
}
