// The kiosk's top bar: the store's name (and whether it is a demo), the store's languages, and
// the button that opens the staff screens.
import { useTranslation } from 'react-i18next';
import type { KioskStatus } from '../../../electron/contract/api.js';
import { LANGUAGES } from '../../i18n.js';

/** `onStaff`: null hides the staff button. */
export function TopBar(props: { status: KioskStatus | null; onStaff: (() => void) | null }) {
  const { t, i18n } = useTranslation();
  const { status } = props;
  return (
    <header className="topbar">
      <span className="store" data-testid="store-name">
        {status?.store.name ?? 'Smile to Pay'}
        {status?.demo ? ` · ${t('status.demo')}` : ''}
      </span>
      <nav className="langs">
        {LANGUAGES.filter((l) => !status || status.store.languages.includes(l)).map((l) => (
          <button
            key={l}
            className={`lang ${i18n.language === l ? 'lang-on' : ''}`}
            data-testid={`lang-${l}`}
            onClick={() => void i18n.changeLanguage(l).then(() => (document.documentElement.lang = l))}
          >
            {t(`lang.${l}`)}
          </button>
        ))}
      </nav>
      {props.onStaff && (
        <button className="staff-open" data-testid="staff-open" onClick={props.onStaff}>
          {t('staff.open')}
        </button>
      )}
    </header>
  );
}
