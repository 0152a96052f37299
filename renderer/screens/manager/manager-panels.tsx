// The manager's panels beyond the day's list and its close (reports, integrity, privacy,
// settings, staff): each lives in its own file and is listed here once; the staff screen shows
// a tab per panel to a signed-in manager, and the host checks the role again on every call.
import type { ReactElement } from 'react';
import type { ApiError, ApiResult, KioskClient, StaffSignIn } from '../../../electron/contract/api.js';
import { Reports } from './Reports.js';
import { Integrity } from './Integrity.js';
import { Privacy } from './Privacy.js';
import { Settings } from './Settings.js';
import { Team } from './Team.js';
import { Screens } from './Screens.js';
import { MenuEditor } from './MenuEditor.js';

export interface PanelContext {
  api: KioskClient;
  session: StaffSignIn;
  /** A call with the session's token (its use keeps the session alive); null when it ended. */
  withToken: <T>(run: (token: string) => Promise<ApiResult<T>>) => Promise<ApiResult<T> | null>;
  money: (minor: number, currency: string) => string;
  time: (ms: number) => string;
  /** Shows the host's error in the staff screen's message line, in the current language. */
  onError: (e: ApiError) => void;
  /** Shows a notice in the staff screen's message line: how to say it, so that it follows a
   * change of language. */
  onNotice: (say: () => string) => void;
}

export interface ManagerPanel {
  /** The tab's id: its button is staff-tab-<id>, its screen screen-staff-<id>. */
  id: string;
  /** The i18n key of the tab's label. */
  labelKey: string;
  render: (ctx: PanelContext) => ReactElement;
}

export const MANAGER_PANELS: ManagerPanel[] = [
  { id: 'reports', labelKey: 'reports.tab', render: (ctx) => <Reports ctx={ctx} /> },
  { id: 'integrity', labelKey: 'integrity.tab', render: (ctx) => <Integrity ctx={ctx} /> },
  { id: 'privacy', labelKey: 'privacy.tab', render: (ctx) => <Privacy ctx={ctx} /> },
  { id: 'settings', labelKey: 'settings.tab', render: (ctx) => <Settings ctx={ctx} /> },
  { id: 'team', labelKey: 'team.tab', render: (ctx) => <Team ctx={ctx} /> },
  { id: 'screens', labelKey: 'screens.tab', render: (ctx) => <Screens ctx={ctx} /> },
  { id: 'menu', labelKey: 'menuEditor.tab', render: (ctx) => <MenuEditor ctx={ctx} /> },
  // One entry per panel, in the order of the tabs; new panels above this line.
];
