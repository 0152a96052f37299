// The kiosk's self-check on screen: each check with its detail in the customer's language,
// whether payments can start (and how long the kiosk took to be ready), and Continue; on a
// screen that is not paired with the kiosk, its pairing code instead of Continue.
import { useTranslation } from 'react-i18next';
import type { KioskClient, KioskStatus } from '../../../electron/contract/api.js';
import { checkText } from '../check-text.js';
import { PairScreen } from './PairScreen.js';

export function StatusView(props: {
  api: KioskClient;
  status: KioskStatus | null;
  canContinue: boolean;
  onContinue: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { status } = props;
  return (
    <section className="screen status" data-testid="screen-status">
      <h1>{t('status.title')}</h1>
      <ul className="checks">
        {(status?.checks ?? []).map((c) => (
          <li
            key={c.name}
            className={c.pending ? 'check-pending' : c.ok ? 'check-ok' : 'check-bad'}
            data-testid={`check-${c.name}`}
          >
            <span className="check-mark">{c.pending ? '…' : c.ok ? '✓' : '✗'}</span>
            <span className="check-name">{t(`status.${c.name}`)}</span>
            <span className="check-detail">{c.pending && !c.say ? t('status.pending') : checkText(c, t, i18n)}</span>
          </li>
        ))}
      </ul>
      <p data-testid={status?.ready ? 'kiosk-ready' : 'kiosk-not-ready'} className={status?.ready ? 'ok' : 'warn'}>
        {status?.ready ? t('status.ready') : t('status.notReady')}
        {status?.ready_in_ms !== null && status?.ready_in_ms !== undefined
          ? ` (${(status.ready_in_ms / 1000).toFixed(1)} s)`
          : ''}
      </p>
      {status && !status.screen.paired ? (
        <PairScreen api={props.api} />
      ) : (
        <button className="primary" data-testid="continue" disabled={!props.canContinue} onClick={props.onContinue}>
          {t('status.continue')}
        </button>
      )}
    </section>
  );
}
