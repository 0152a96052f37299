// The Electron shell's security decisions as pure functions (plain Node, no Electron import), so
// that a Node test proves them (test/security/electron-checklist.test.ts) and main.ts only wires
// them to Electron's events: which permission requests and checks are granted, which
// navigations happen, which IPC senders are ours, and which native modules may be loaded.
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The kiosk app's own origin: the renderer is served by protocol.handle('app', ...). */
export const APP_ORIGIN = 'app://kiosk';
/** The one page the window shows. */
export const APP_PAGE = `${APP_ORIGIN}/index.html`;

const ours = (url: string | undefined | null): boolean => {
  if (typeof url !== 'string') return false;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
};

/** A permission request (setPermissionRequestHandler): only the camera, video alone, for our own
 * page. An empty or missing mediaTypes list is refused: [].every(...) is true, and the request
 * then granted whatever the page asked for. */
export function permissionRequestAllowed(r: {
  permission: string;
  requestingUrl: string | undefined;
  mediaTypes: readonly string[] | undefined;
}): boolean {
  if (r.permission !== 'media' || !ours(r.requestingUrl)) return false;
  const types = r.mediaTypes ?? [];
  return types.length > 0 && types.every((t) => t === 'video');
}

/** A permission check (setPermissionCheckHandler): the camera for our own origin, video only. */
export function permissionCheckAllowed(c: {
  permission: string;
  requestingOrigin: string | undefined;
  mediaType: string | undefined;
}): boolean {
  return c.permission === 'media' && c.requestingOrigin === APP_ORIGIN && c.mediaType === 'video';
}

/** A navigation of any frame (will-navigate, will-frame-navigate, will-redirect): only to our
 * own page again (a reload); never elsewhere, in our origin or out of it. */
export function navigationAllowed(url: string): boolean {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}` === APP_PAGE;
  } catch {
    return false;
  }
}

/** An IPC message's sender: a frame showing our own origin (checked before the request is parsed). */
export function ipcSenderAllowed(frameUrl: string | undefined | null): boolean {
  return ours(frameUrl);
}

/** Native modules (*.node) live outside the ASAR (dlopen needs a real file), so ASAR integrity
 * does not cover them, and on Linux it covers nothing at all. What keeps them ours there is that
 * the kiosk's OS account cannot change them: an install owned by root (the deb's /opt, the
 * AppImage's read-only mount). The problems found under `dir` (the app's app.asar.unpacked):
 * a *.node file or a folder holding one that this account may write. */
export function nativeModuleProblems(
  dir: string,
  canWrite: (path: string) => boolean = writable,
  depthMax = 12,
): string[] {
  const problems: string[] = [];
  const walk = (d: string, depth: number): boolean => {
    let holds = false;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory() && depth < depthMax) holds = walk(p, depth + 1) || holds;
      else if (name.endsWith('.node')) {
        holds = true;
        if (canWrite(p)) problems.push(`${p} is writable by the kiosk's account`);
      }
    }
    if (holds && canWrite(d)) problems.push(`${d} (holds native modules) is writable by the kiosk's account`);
    return holds;
  };
  walk(dir, 0);
  return problems;
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
