// The Electron shell: a kiosk window over the same host services as browser mode, with IPC
// in place of HTTP. Thin on purpose (no Electron binary can be downloaded in this workplace, so
// everything it calls is tested in plain Node and Chromium). Electron's security checklist,
// item by item (https://www.electronjs.org/docs/latest/tutorial/security):
//  1. Only secure content: the renderer is loaded from our own app:// protocol (files in
//     dist/renderer), never from the network.
//  2. No Node.js integration for remote content: nodeIntegration false (everywhere).
//  3. Context isolation: contextIsolation true; the preload exposes named functions only.
//  4. Process sandboxing: sandbox true, and app.enableSandbox() for every renderer.
//  5. Session permission requests: camera ('media', video only) granted to our own origin;
//     every other permission and every other origin denied (request and check handlers).
//  6. webSecurity stays on.  7. A Content Security Policy on every response (http-server's).
//  8. allowRunningInsecureContent stays off.  9. No experimental features.  10. No blinkFeatures.
// 11. <webview> is refused (will-attach-webview).  12. Navigation is blocked (will-navigate).
// 13. New windows are denied (setWindowOpenHandler).  14. shell.openExternal is never called.
// 15. A current Electron (45).  16. IPC senders validated: every handler checks that the
//     sender frame's URL is our app:// origin before it parses the request. The window is the
//     kiosk's own customer screen, paired by construction (ELECTRON_SCREEN_ID): its camera
//     frames come on FRAMES_CHANNEL (ipcRenderer.send, bytes only, bounded) and its sessions'
//     views go back on PUSH_SESSION.
// 17. No file:// protocol: app:// is a privileged standard scheme served by protocol.handle.
// 18. Fuses (RunAsNode off, cookie encryption on, ASAR integrity, OnlyLoadAppFromAsar):
//     electron-builder.yml's electronFuses.
// Also: kiosk mode (full screen, no menu), devtools only in development, reload on a crash,
// and the device key wrapped with safeStorage (the OS keychain) when it is available. Kiosk
// mode is left only through a manager's leaveKioskMode call (host/team.ts records who).
import { app, BrowserWindow, ipcMain, Menu, protocol, safeStorage, session, type IpcMainInvokeEvent } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { api, CALL_BY_CHANNEL, PUSH_ORDER_CHANGED, PUSH_FRAME_REFUSED, PUSH_SESSION } from './contract/api.js';
import { FRAMES_CHANNEL } from './contract/constants.js';
import { FRAME_MESSAGE_BYTES_MAX } from './contract/frames.js';
import { ELECTRON_SCREEN_ID } from './host/pairing/pairing.js';
import type { Caller } from './host/pairing/access.js';
import { ScreenClock } from './host/payment/frame-clock.js';
import { loadConfig } from './config.js';
import { createLogger } from './log.js';
import { openKiosk, type Kiosk } from './host/kiosk.js';
import { dispatch } from './host/transport/dispatch.js';
import { contentSecurityPolicy, RENDERER_DIST_DIR } from './host/transport/http-server.js';
import type { KeyProtector } from '../ledger/keys/device-key.js';

const APP_ORIGIN = 'app://kiosk';
const DEV = process.env.SMILE_DEV === '1';
const RELOAD_AFTER_CRASH_MS = 1_000;
const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.bin': 'application/octet-stream',
};

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();

/** The device key at rest, wrapped by the OS keychain through safeStorage. */
function safeStorageProtector(): KeyProtector | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  return {
    name: 'electron-safeStorage',
    seal: (secret: Uint8Array) => new Uint8Array(safeStorage.encryptString(Buffer.from(secret).toString('base64'))),
    open: (sealed: Uint8Array) => new Uint8Array(Buffer.from(safeStorage.decryptString(Buffer.from(sealed)), 'base64')),
  };
}

function fromOurOrigin(e: IpcMainInvokeEvent): boolean {
  const url = e.senderFrame?.url ?? '';
  return url.startsWith(`${APP_ORIGIN}/`);
}

async function serveApp(request: Request): Promise<Response> {
  const path = normalize(decodeURIComponent(new URL(request.url).pathname)).replace(/^([/\\])+/, '');
  const roots: [string, string][] = [
    ['models/weights/', join(fileURLToPath(new URL('../models/weights/', import.meta.url)))],
    ['wasm/', join(fileURLToPath(new URL('../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url)))],
  ];
  let file = join(RENDERER_DIST_DIR, path || 'index.html');
  for (const [prefix, dir] of roots) if (path.startsWith(prefix)) file = join(dir, path.slice(prefix.length));
  if (path === 'models/manifest.json') file = fileURLToPath(new URL('../models/manifest.json', import.meta.url));
  if (path.includes('..')) return new Response('refused', { status: 403 });
  try {
    const body = await readFile(file);
    return new Response(body, {
      headers: {
        'content-type': MIME[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': contentSecurityPolicy(),
      },
    });
  } catch {
    return new Response('not found', { status: 404 });
  }
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    kiosk: !DEV,
    fullscreen: !DEV,
    autoHideMenuBar: true,
    backgroundColor: '#f6f4ef',
    webPreferences: {
      preload: fileURLToPath(new URL('./preload.js', import.meta.url)),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      devTools: DEV,
      spellcheck: false,
    },
  });
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('render-process-gone', (_e, details) => {
    if (details.reason !== 'clean-exit') setTimeout(() => win.webContents.reload(), RELOAD_AFTER_CRASH_MS);
  });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

async function main(): Promise<void> {
  await app.whenReady();
  Menu.setApplicationMenu(null);
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((wc, permission, callback, details) => {
    const ours = (details.requestingUrl ?? wc.getURL()).startsWith(`${APP_ORIGIN}/`);
    const videoOnly =
      permission === 'media' && (details as { mediaTypes?: string[] }).mediaTypes?.every((t) => t === 'video') === true;
    callback(ours && videoOnly);
  });
  ses.setPermissionCheckHandler((_wc, permission, origin) => permission === 'media' && origin === APP_ORIGIN);
  protocol.handle('app', serveApp);

  const config = loadConfig();
  const log = createLogger({ level: config.log_level });
  const protector = safeStorageProtector();
  const kiosk: Kiosk = await openKiosk({
    config,
    log,
    ...(protector ? { protector } : {}),
    http: process.env.SMILE_ELECTRON_HTTP === '1',
  });
  // The kiosk window: its own customer screen, paired by construction.
  const windowCaller: Caller = {
    screen: { screen_id: ELECTRON_SCREEN_ID, label: 'kiosk window', clock: new ScreenClock() },
  };
  for (const name of Object.keys(api) as (keyof typeof api)[]) {
    const channel = api[name].channel;
    ipcMain.handle(channel, (e, request: unknown) => {
      if (!fromOurOrigin(e))
        return {
          ok: false,
          error: { code: 'API_SENDER_REFUSED', message: 'IPC from a frame that is not the kiosk app' },
        };
      return dispatch(kiosk.routes, log, channel, request, windowCaller);
    });
  }
  const sessions = kiosk.services.payment.sessions;
  ipcMain.on(FRAMES_CHANNEL, (e, bytes: unknown) => {
    const receivedAtMs = Date.now();
    if (!fromOurOrigin(e) || !(bytes instanceof Uint8Array) || bytes.length > FRAME_MESSAGE_BYTES_MAX) return;
    sessions.frame(windowCaller.screen!, bytes, receivedAtMs);
  });
  sessions.onPush((screenId, push) => {
    if (screenId !== ELECTRON_SCREEN_ID) return;
    for (const w of BrowserWindow.getAllWindows()) {
      if (w.isDestroyed()) continue;
      if ('view' in push) w.webContents.send(PUSH_SESSION, push.view);
      else w.webContents.send(PUSH_FRAME_REFUSED, push.frame_refused);
    }
  });
  // Server push: every order change to the kiosk's window (the preload forwards it to the page).
  kiosk.orders.onChange((event) => {
    for (const w of BrowserWindow.getAllWindows()) if (!w.isDestroyed()) w.webContents.send(PUSH_ORDER_CHANGED, event);
  });
  log.info({ channels: CALL_BY_CHANNEL.size, safe_storage: protector !== undefined }, 'electron kiosk up');
  const win = createWindow();
  // A manager left kiosk mode (recorded in the ledger by the host first): a normal window again.
  kiosk.services.team.onKioskModeLeft(({ left_by }) => {
    if (win.isDestroyed()) return;
    win.setKiosk(false);
    win.setFullScreen(false);
    win.setAutoHideMenuBar(false);
    log.warn({ left_by }, 'window left kiosk mode');
  });
  app.on('window-all-closed', () => void kiosk.close().then(() => app.quit()));
}

void main();
