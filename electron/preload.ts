// The preload bridge (Electron security checklist: context isolation). It exposes one named
// function, `smileKiosk.call(channel, request)`, restricted to the contract's channels, never
// ipcRenderer itself; the renderer's bridge client (renderer/api/bridge-client.ts) uses it.
// Runs sandboxed: only `electron`'s contextBridge and ipcRenderer are available here.
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_NAME, CALLS, PUSH_ORDER_CHANGED } from './contract/constants.js';

const CHANNELS: ReadonlySet<string> = new Set(Object.values(CALLS).map((c) => c.channel));

// [checklist 20] Two named functions over the contract's channels; never ipcRenderer or its events.
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
});
