// The kiosk API over Electron's preload bridge: window.smileKiosk.call(channel, request), which
// the preload forwards with ipcRenderer.invoke; the camera frames through sendFrame and the
// session pushes through onSession. Timeouts as over the WebSocket.
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
import { BRIDGE_NAME, CALLS, ORDER_LISTENERS_MAX, type CallNameOf } from '../../electron/contract/constants.js';

export interface Bridge {
  call(channel: string, request: unknown): Promise<ApiResult<unknown>>;
  onOrderChanged?(listener: (event: unknown) => void): () => void;
  sendFrame?(bytes: ArrayBuffer): boolean;
  onSession?(listener: (kind: 'view' | 'frame_refused', event: unknown) => void): () => void;
  onMenuChanged?(listener: (event: unknown) => void): () => void;
}

export function bridge(): Bridge | null {
  const b = (window as unknown as Record<string, unknown>)[BRIDGE_NAME] as Bridge | undefined;
  return b && typeof b.call === 'function' ? b : null;
}

export function bridgeApi(b: Bridge): KioskClient {
  const call = (name: CallNameOf, request: unknown): Promise<ApiResult<unknown>> => {
    const spec = CALLS[name];
    return new Promise((resolve) => {
      const timer = setTimeout(
        () =>
          resolve({
            ok: false,
            error: { code: 'API_TIMEOUT', message: `${spec.channel}: no answer within ${spec.timeout_ms} ms` },
          }),
        spec.timeout_ms,
      );
      b.call(spec.channel, request).then(
        (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        (err: unknown) => {
          clearTimeout(timer);
          resolve({ ok: false, error: { code: 'API_INTERNAL', message: String((err as Error).message ?? err) } });
        },
      );
    });
  };
  const calls = Object.fromEntries(
    (Object.keys(CALLS) as CallNameOf[]).map((name) => [name, (req: unknown) => call(name, req)]),
  ) as unknown as KioskApi;
  // As over the WebSocket: a screen registers a bounded number of listeners.
  let listening = 0;
  const onOrderChanged = (listener: OrderListener): (() => void) => {
    if (listening >= ORDER_LISTENERS_MAX) throw new RangeError(`more than ${ORDER_LISTENERS_MAX} order listeners`);
    if (!b.onOrderChanged) return () => undefined;
    const off = b.onOrderChanged((e) => listener(e as OrderEvent));
    listening++;
    let on = true;
    return () => {
      if (!on) return;
      on = false;
      listening--;
      off();
    };
  };
  const sendFrame = (message: Uint8Array): boolean =>
    b.sendFrame
      ? b.sendFrame(message.buffer.slice(message.byteOffset, message.byteOffset + message.byteLength) as ArrayBuffer)
      : false;
  const onSession = (listener: SessionListener): (() => void) =>
    b.onSession
      ? b.onSession((kind, event) =>
          listener(
            kind === 'view'
              ? { kind, view: event as SessionView }
              : { kind, ...(event as { seq: number | null; code: string; message: string }) },
          ),
        )
      : () => undefined;
  const onMenuChanged = (listener: MenuListener): (() => void) =>
    b.onMenuChanged ? b.onMenuChanged((e) => listener(e as MenuEvent)) : () => undefined;
  return { ...calls, onOrderChanged, sendFrame, onSession, onMenuChanged };
}
