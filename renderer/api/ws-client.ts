// The kiosk API over a WebSocket (browser mode): one socket, calls matched to answers by id,
// each with the contract's time limit, reconnecting after a drop. Same KioskApi as the bridge.
// The host's order pushes arrive on the same socket (no id); while a screen listens to them,
// a dropped socket is reopened after a second and the listeners are told to reload (null). The
// customer screen's camera frames go out on it as binary messages, and its sessions' views
// come back as pushes. The socket carries the screen's device token cookie (HttpOnly): the
// host knows which paired screen it is without this script ever holding the token.
import type {
  ApiResult,
  KioskApi,
  KioskClient,
  MenuEvent,
  MenuListener,
  OrderEvent,
  OrderListener,
  SessionListener,
  SessionView,
} from '../../electron/contract/api.js';
import {
  CALLS,
  ORDER_LISTENERS_MAX,
  PUSH_FRAME_REFUSED,
  PUSH_MENU_CHANGED,
  PUSH_ORDER_CHANGED,
  PUSH_SESSION,
  WS_PATH,
  WS_PUSH_BUFFERED_BYTES_MAX,
  type CallNameOf,
} from '../../electron/contract/constants.js';

const RECONNECT_MS = 1_000;

type Pending = { resolve: (r: ApiResult<unknown>) => void; timer: ReturnType<typeof setTimeout> };

export function wsApi(baseUrl: string = location.origin): KioskClient {
  let socket: WebSocket | null = null;
  let opening: Promise<WebSocket> | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners = new Set<OrderListener>();
  const sessionListeners = new Set<SessionListener>();
  const menuListeners = new Set<MenuListener>();
  let lost = false;
  let retry: ReturnType<typeof setTimeout> | null = null;

  const reconnect = (): void => {
    if ((listeners.size === 0 && menuListeners.size === 0) || retry !== null) return;
    retry = setTimeout(() => {
      retry = null;
      open().catch(() => reconnect());
    }, RECONNECT_MS);
  };

  const open = (): Promise<WebSocket> => {
    if (socket && socket.readyState === WebSocket.OPEN) return Promise.resolve(socket);
    opening ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${WS_PATH}`);
      ws.onopen = () => {
        socket = ws;
        opening = null;
        resolve(ws);
        if (lost) for (const l of listeners) l(null);
        // Menu pushes may have been missed too: read the menu again.
        if (lost) for (const l of menuListeners) l({ revision: 0 });
        lost = false;
      };
      ws.onerror = () => {
        opening = null;
        reject(new Error('the kiosk host is not reachable'));
      };
      ws.onclose = () => {
        socket = null;
        lost = true;
        reconnect();
        for (const [id, p] of pending) {
          clearTimeout(p.timer);
          p.resolve({ ok: false, error: { code: 'API_TIMEOUT', message: 'connection to the kiosk host lost' } });
          pending.delete(id);
        }
      };
      ws.onmessage = (ev: MessageEvent<string>) => {
        const msg = JSON.parse(ev.data) as
          { id: number; result: ApiResult<unknown> } | { push: string; event: OrderEvent };
        if ('push' in msg) {
          if (msg.push === PUSH_ORDER_CHANGED) for (const l of listeners) l(msg.event);
          else if (msg.push === PUSH_MENU_CHANGED) for (const l of menuListeners) l(msg.event as unknown as MenuEvent);
          else if (msg.push === PUSH_SESSION)
            for (const l of sessionListeners) l({ kind: 'view', view: msg.event as unknown as SessionView });
          else if (msg.push === PUSH_FRAME_REFUSED) {
            const e = msg.event as unknown as { seq: number | null; code: string; message: string };
            for (const l of sessionListeners) l({ kind: 'frame_refused', ...e });
          }
          return;
        }
        const p = pending.get(msg.id);
        if (!p) return;
        clearTimeout(p.timer);
        pending.delete(msg.id);
        p.resolve(msg.result);
      };
    });
    return opening;
  };

  const call = async (name: CallNameOf, request: unknown): Promise<ApiResult<unknown>> => {
    const spec = CALLS[name];
    let ws: WebSocket;
    try {
      ws = await open();
    } catch (err) {
      return { ok: false, error: { code: 'API_TIMEOUT', message: (err as Error).message } };
    }
    const id = nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve({
          ok: false,
          error: { code: 'API_TIMEOUT', message: `${spec.channel}: no answer within ${spec.timeout_ms} ms` },
        });
      }, spec.timeout_ms);
      pending.set(id, { resolve, timer });
      ws.send(JSON.stringify({ id, channel: spec.channel, request }));
    });
  };

  const onOrderChanged = (listener: OrderListener): (() => void) => {
    if (listeners.size >= ORDER_LISTENERS_MAX) throw new RangeError(`more than ${ORDER_LISTENERS_MAX} order listeners`);
    listeners.add(listener);
    // Pushes need an open socket even before the screen's first call.
    open().catch(() => reconnect());
    return () => void listeners.delete(listener);
  };
  const calls = Object.fromEntries(
    (Object.keys(CALLS) as CallNameOf[]).map((name) => [name, (req: unknown) => call(name, req)]),
  ) as unknown as KioskApi;
  // A frame goes out only on an open socket that is keeping up; otherwise it is skipped (the next
  // camera frame will do), never queued.
  const sendFrame = (message: Uint8Array): boolean => {
    if (!socket || socket.readyState !== WebSocket.OPEN || socket.bufferedAmount > WS_PUSH_BUFFERED_BYTES_MAX)
      return false;
    socket.send(message);
    return true;
  };
  const onSession = (listener: SessionListener): (() => void) => {
    if (sessionListeners.size >= ORDER_LISTENERS_MAX)
      throw new RangeError(`more than ${ORDER_LISTENERS_MAX} session listeners`);
    sessionListeners.add(listener);
    open().catch(() => reconnect());
    return () => void sessionListeners.delete(listener);
  };
  const onMenuChanged = (listener: MenuListener): (() => void) => {
    if (menuListeners.size >= ORDER_LISTENERS_MAX)
      throw new RangeError(`more than ${ORDER_LISTENERS_MAX} menu listeners`);
    menuListeners.add(listener);
    open().catch(() => reconnect());
    return () => void menuListeners.delete(listener);
  };
  return { ...calls, onOrderChanged, sendFrame, onSession, onMenuChanged };
}
