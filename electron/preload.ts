// The preload bridge (Electron security checklist: context isolation). It exposes named
// functions, never ipcRenderer itself: `call(channel, request)`, restricted to the contract's
// channels; `sendFrame(bytes)`, one camera frame's message (frames.ts, size-checked here too);
// and the host's order and session pushes. The renderer's bridge client
// (renderer/api/bridge-client.ts) uses them.
// Runs sandboxed: only `electron`'s contextBridge and ipcRenderer are available here.
import { contextBridge, ipcRenderer } from 'electron';
import {
  BRIDGE_NAME,
  CALLS,
  FRAMES_CHANNEL,
  PUSH_FRAME_REFUSED,
  PUSH_MENU_CHANGED,
  PUSH_ORDER_CHANGED,
  PUSH_SESSION,
} from './contract/constants.js';
import { FRAME_MESSAGE_BYTES_MAX } from './contract/frames.js';

const CHANNELS: ReadonlySet<string> = new Set(Object.values(CALLS).map((c) => c.channel));

// [checklist 20] Five named functions over the contract's channels; never ipcRenderer or its events.
contextBridge.exposeInMainWorld(BRIDGE_NAME, {
  call(channel: string, request: unknown): Promise<unknown> {
    if (typeof channel !== 'string' || !CHANNELS.has(channel)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'API_UNKNOWN_CHANNEL', message: `no call on channel ${String(channel).slice(0, 64)}` },
      });
    }
    return ipcRenderer.invoke(channel, request);
  },
  /** The host's order pushes; only the event crosses, never IPC's event object. */
  onOrderChanged(listener: (event: unknown) => void): () => void {
    const forward = (_e: unknown, event: unknown): void => listener(event);
    ipcRenderer.on(PUSH_ORDER_CHANGED, forward);
    return () => void ipcRenderer.removeListener(PUSH_ORDER_CHANGED, forward);
  },
  /** The host's menu pushes (an edit, an 86): the screens read the menu again. */
  onMenuChanged(listener: (event: unknown) => void): () => void {
    const forward = (_e: unknown, event: unknown): void => listener(event);
    ipcRenderer.on(PUSH_MENU_CHANGED, forward);
    return () => void ipcRenderer.removeListener(PUSH_MENU_CHANGED, forward);
  },
  /** One camera frame's binary message; bytes only (a copy), at most FRAME_MESSAGE_BYTES_MAX. */
  sendFrame(bytes: ArrayBuffer): boolean {
    if (!(bytes instanceof ArrayBuffer) || bytes.byteLength > FRAME_MESSAGE_BYTES_MAX) return false;
    ipcRenderer.send(FRAMES_CHANNEL, new Uint8Array(bytes));
    return true;
  },
  /** The host's pushes of this window's sessions: each view, and frames refused before a session. */
  onSession(listener: (kind: 'view' | 'frame_refused', event: unknown) => void): () => void {
    const view = (_e: unknown, event: unknown): void => listener('view', event);
    const refused = (_e: unknown, event: unknown): void => listener('frame_refused', event);
    ipcRenderer.on(PUSH_SESSION, view);
    ipcRenderer.on(PUSH_FRAME_REFUSED, refused);
    return () => {
      ipcRenderer.removeListener(PUSH_SESSION, view);
      ipcRenderer.removeListener(PUSH_FRAME_REFUSED, refused);
    };
  },
});
