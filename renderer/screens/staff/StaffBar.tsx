// The signed-in screen's bar: who is signed in, a tab per view (the day; the manager's close and
// exports and the manager's panels for a manager; one's own PIN), refresh and sign-out.
import { useTranslation } from 'react-i18next';
import type { StaffSignIn } from '../../../electron/contract/api.js';
import { MANAGER_PANELS } from '../manager/manager-panels.js';
import type { StaffMessages } from './staff-messages.js';

/** 'day', 'till' (the shift and its cash), 'manager' (the day's close and exports), 'pin' (one's own PIN), or a manager panel's id. */
export type Tab = string;

export function StaffBar(props: {
  session: StaffSignIn;
  tab: Tab;
  onTab: (tab: Tab) => void;
  messages: StaffMessages;
  busy: boolean;
  onRefresh: () => void;
  onSignOut: () => void;
}) {
  const { t } = useTranslation();
  const { session, tab, messages } = props;
  /** A tab that opens with an empty message line. */
  const openClean = (to: Tab): void => {
    messages.setError(null);
    messages.setNotice(null);
    props.onTab(to);
  };
  const tabButton = (id: Tab, label: string, onClick: () => void) => (
    <button key={id} className={tab === id ? 'tab-on' : ''} data-testid={`staff-tab-${id}`} onClick={onClick}>
      {label}
    </button>
  );
  return (
    <div className="staff-bar">
      <span data-testid="staff-who">
        {t('staff.signedInAs', { name: session.display_name, role: t(`staff.role.${session.role}`) })}
      </span>
      <nav className="staff-tabs">
        {tabButton('day', t('staff.tabDay'), () => props.onTab('day'))}
        {tabButton('till', t('till.tab'), () => openClean('till'))}
        {session.role === 'manager' && tabButton('manager', t('staff.tabManager'), () => props.onTab('manager'))}
        {tabButton('pin', t('team.own.title'), () => openClean('pin'))}
        {session.role === 'manager' && MANAGER_PANELS.map((p) => tabButton(p.id, t(p.labelKey), () => openClean(p.id)))}
      </nav>
      <button
        className="secondary"
        data-testid="staff-refresh"
        disabled={props.busy}
        onClick={() => {
          messages.setNotice(null);
          messages.setError(null);
          props.onRefresh();
        }}
      >
        {t('staff.refresh')}
      </button>
      <button className="secondary" data-testid="staff-sign-out" onClick={props.onSignOut}>
        {t('staff.signOut')}
      </button>
    </div>
  );
}
