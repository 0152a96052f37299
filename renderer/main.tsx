// The renderer's entry: picks the API client (Electron's preload bridge when present, else the
// WebSocket of browser mode), sets up the languages, and mounts the screens.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { bridge, bridgeApi } from './api/bridge-client.js';
import { wsApi } from './api/ws-client.js';
import { initI18n } from './i18n.js';
import { App } from './screens/App.js';
// One stylesheet per screen family, in cascade order (later ones may refine earlier ones).
import './styles/customer.css';
import './styles/staff.css';
import './styles/board.css';
import './styles/reports.css';
import './styles/integrity.css';
import './styles/privacy.css';
import './styles/settings.css';
import './styles/team.css';
import './styles/till.css';
import './styles/menu.css';

const b = bridge();
const api = b ? bridgeApi(b) : wsApi();
const lang = new URLSearchParams(location.search).get('lang') ?? 'en';
const i18n = initI18n(lang);
document.documentElement.lang = lang;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <App api={api} />
    </I18nextProvider>
  </StrictMode>,
);
