// The Electron shell: a kiosk window over the same host services as browser mode, with IPC
// in place of HTTP. Thin on purpose (no Electron binary can be downloaded in this workplace, so
// everything it decides is a pure function in shell-policy.ts, tested in plain Node). Electron's
// security checklist, its 20 items by their numbers there
// (https://www.electronjs.org/docs/latest/tutorial/security); each line that does an item carries
// its marker "[checklist N]", and the README's table "Electron security checklist" points at them
// (test/security/electron-checklist.test.ts checks that every row's file:line holds its marker):
//  1. Only load secure content: the page comes from our own app:// scheme (dist/renderer), never
//     the network.
//  2. No Node.js integration for remote content: nodeIntegration (and in workers) false.
//  3. Context isolation on.  4. Sandbox on in every renderer (app.enableSandbox()).
//  5. Permission requests and checks: the camera (video alone) for our own origin; everything
//     else refused. An empty mediaTypes list is refused ([].every is true).
//  6. webSecurity on.  7. A Content Security Policy on every response.
//  8. allowRunningInsecureContent off.  9. No experimental features.  10. No enableBlinkFeatures.
// 11. <webview> allowpopups: no <webview> at all (webviewTag false, will-attach-webview refused).
// 12. <webview> options: every attach refused, in every web contents (web-contents-created).
// 13. Navigation: will-navigate, will-frame-navigate and will-redirect refused in every web
//     contents, but a reload of our own page.
// 14. New windows denied in every web contents (setWindowOpenHandler).
// 15. shell.openExternal is never called.  16. A current Electron (45, package.json).
// 17. IPC senders validated: the sender frame's origin is ours, before the request is parsed.
//     The window is the kiosk's own customer screen, paired by construction (ELECTRON_SCREEN_ID):
//     its camera frames come on FRAMES_CHANNEL (bytes only, bounded, the same sender check) and
//     its sessions' views go back on PUSH_SESSION.
// 18. No file://: app:// is a privileged standard scheme served by protocol.handle, and the
//     GrantFileProtocolExtraPrivileges fuse is off.
// 19. Fuses (electron-builder.yml): RunAsNode, NODE_OPTIONS, --inspect and file:// privileges off;
//     cookie encryption, OnlyLoadAppFromAsar and ASAR integrity on. ASAR integrity does nothing on
//     Linux, and native modules (*.node) sit outside the ASAR anyway: a packaged kiosk refuses to
//     start when its account can write them (shell-policy.ts nativeModuleProblems).
// 20. No Electron API reaches the page: the preload exposes four named functions, never ipcRenderer.
// Also: kiosk mode (full screen, no menu), devtools only in development, reload on a crash, and
// both kiosk keys (device and box) sealed with safeStorage, whose backend is judged first
// (host/key-protection.ts: Linux's basic_text fallback is refused for real money). Kiosk mode is
// left only through a manager's leaveKioskMode call (host/team.ts records who).
import { app, BrowserWindow, ipcMain, Menu, protocol, safeStorage, session, type WebContents } from 'electron';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  api,
  CALL_BY_CHANNEL,
  PUSH_MENU_CHANGED,
  PUSH_ORDER_CHANGED,
  PUSH_FRAME_REFUSED,
  PUSH_SESSION,
} from './contract/api.js';
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
import type { KeyProtector } from '../ledger/keys/key-protector.js';
import { keychainWeakness, KeyProtectionError } from './host/key-protection.js';
import { customerEvent } from './host/orders/order-view.js';
import {
  APP_PAGE,
  ipcSenderAllowed,
  nativeModuleProblems,
  navigationAllowed,
  permissionCheckAllowed,
  permissionRequestAllowed,
} from './shell-policy.js';

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
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }, // [checklist 18]
]);
app.enableSandbox(); // [checklist 4]

/** Both kiosk keys at rest (device and box), sealed by the OS keychain through safeStorage, and
 * why that keychain is weak here, if it is (read after app ready). */
function safeStorageProtector(): { protector: KeyProtector; weakness: string | null } {
  const weakness = keychainWeakness({
    platform: process.platform,
    available: safeStorage.isEncryptionAvailable(),
    backend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null,
  });
  return {
    weakness,
    protector: {
      name: 'electron-safeStorage',
      seal: (secret: Uint8Array) => new Uint8Array(safeStorage.encryptString(Buffer.from(secret).toString('base64'))),
      open: (sealed: Uint8Array) =>
        new Uint8Array(Buffer.from(safeStorage.decryptString(Buffer.from(sealed)), 'base64')),
    },
  };
}

/** Every web contents the app ever makes (the window, and anything a page could make): no
 * navigation but a reload, no new windows, no <webview>. */
function guardContents(contents: WebContents): void {
  const refuseNavigation = (e: { preventDefault(): void }, url: string): void => {
    if (!navigationAllowed(url)) e.preventDefault();
  };
  contents.on('will-navigate', (e) => refuseNavigation(e, e.url)); // [checklist 13]
  contents.on('will-frame-navigate', (e) => refuseNavigation(e, e.url));
  contents.on('will-redirect', (e) => refuseNavigation(e, e.url));
  contents.on('will-attach-webview', (e) => e.preventDefault()); // [checklist 12]
  contents.setWindowOpenHandler(() => ({ action: 'deny' })); // [checklist 14]
}
app.on('web-contents-created', (_e, contents) => guardContents(contents));

/** A packaged kiosk whose native modules its own account could replace is refused (ASAR
 * integrity covers neither them nor, on Linux, anything). */
function checkNativeModules(): void {
  if (!app.isPackaged) return;
  const unpacked = join(dirname(app.getAppPath()), 'app.asar.unpacked');
  if (!existsSync(unpacked)) return;
  const problems = nativeModuleProblems(unpacked);
  if (problems.length > 0 && process.env.SMILE_ALLOW_WRITABLE_NATIVE !== '1')
    throw new Error(
      `refusing to start: native modules the kiosk's account can replace (install the kiosk as root, e.g. the deb package; SMILE_ALLOW_WRITABLE_NATIVE=1 for development): ${problems.slice(0, 3).join('; ')}`,
    );
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
        'content-security-policy': contentSecurityPolicy(), // [checklist 7]
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
      contextIsolation: true, // [checklist 3]
      sandbox: true,
      nodeIntegration: false, // [checklist 2]
      nodeIntegrationInWorker: false,
      webSecurity: true, // [checklist 6]
      allowRunningInsecureContent: false, // [checklist 8]
      experimentalFeatures: false, // [checklist 9]
      // No enableBlinkFeatures (eslint.config.js refuses it in the shell).
      webviewTag: false, // [checklist 11]
      devTools: DEV,
      spellcheck: false,
    },
  });
  // Navigation, new windows and <webview> are refused for it as for every web contents (guardContents).
  win.webContents.on('render-process-gone', (_e, details) => {
    if (details.reason !== 'clean-exit') setTimeout(() => win.webContents.reload(), RELOAD_AFTER_CRASH_MS);
  });
  void win.loadURL(APP_PAGE); // [checklist 1]
  return win;
}

async function main(): Promise<void> {
  await app.whenReady();
  Menu.setApplicationMenu(null);
  const ses = session.defaultSession;
  // [checklist 5] The camera (video alone) for our own page; every other request and check refused.
  ses.setPermissionRequestHandler((wc, permission, callback, details) => {
    const mediaTypes = (details as { mediaTypes?: string[] }).mediaTypes;
    callback(permissionRequestAllowed({ permission, requestingUrl: details.requestingUrl ?? wc.getURL(), mediaTypes }));
  });
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
    permissionCheckAllowed({ permission, requestingOrigin, mediaType: details.mediaType }),
  );
  protocol.handle('app', serveApp);
  checkNativeModules();

  const config = loadConfig();
  const log = createLogger({ level: config.log_level });
  const keychain = safeStorageProtector();
  let kiosk: Kiosk;
  try {
    kiosk = await openKiosk({
      config,
      log,
      protector: keychain.protector,
      protectorWeakness: keychain.weakness,
      http: process.env.SMILE_ELECTRON_HTTP === '1',
    });
  } catch (err) {
    if (err instanceof KeyProtectionError) log.fatal(err.message);
    app.exit(2);
    throw err;
  }
  // The kiosk window: its own customer screen, paired by construction.
  const windowCaller: Caller = {
    screen: { screen_id: ELECTRON_SCREEN_ID, label: 'kiosk window', clock: new ScreenClock() },
  };
  for (const name of Object.keys(api) as (keyof typeof api)[]) {
    const channel = api[name].channel;
    ipcMain.handle(channel, (e, request: unknown) => {
      const ours = ipcSenderAllowed(e.senderFrame?.url); // [checklist 17]
      if (!ours)
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
    if (
      !ipcSenderAllowed(e.senderFrame?.url) ||
      !(bytes instanceof Uint8Array) ||
      bytes.length > FRAME_MESSAGE_BYTES_MAX
    )
      return;
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
  // Server push: every order change to the kiosk's window (the preload forwards it to the page),
  // as the customer screen may see it; the staff screen reads the order again with its token.
  kiosk.orders.onChange((event) => {
    const seen = customerEvent(event);
    for (const w of BrowserWindow.getAllWindows()) if (!w.isDestroyed()) w.webContents.send(PUSH_ORDER_CHANGED, seen);
  });
  kiosk.menu.onChange((event) => {
    for (const w of BrowserWindow.getAllWindows()) if (!w.isDestroyed()) w.webContents.send(PUSH_MENU_CHANGED, event);
  });
  log.info(
    { channels: CALL_BY_CHANNEL.size, keys_strong: kiosk.keyProtection.strong, keychain_weakness: keychain.weakness },
    'electron kiosk up',
  );
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
