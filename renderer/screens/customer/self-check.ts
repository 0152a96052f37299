// The customer screen's start-up and its half of the self-check: the camera, reported to the
// host, which answers the kiosk's status (ready or not, and why; the face models and their speed
// are the host's own check, as it runs the pipeline on the frames this screen sends); then the
// menu, read again on each menu push. An unpaired page asks nothing of the camera: it sees the status page and its pairing
// code only. A staff device opens no camera and reports none. While the self-check is on screen
// the status is asked again every STATUS_POLL_MS.
import { useEffect, useState } from 'react';
import type { KioskClient, KioskStatus, MenuCategory, MenuItem } from '../../../electron/contract/api.js';
import { openCamera } from '../../camera/capture.js';

/** How often the self-check on screen asks the host for the status again. */
const STATUS_POLL_MS = 2_000;

export interface Menu {
  items: MenuItem[];
  categories: MenuCategory[];
  /** The tips offered before the smile, in basis points of what is paid. */
  tip_choices_bp?: number[];
  currency: string;
}

export interface SelfCheck {
  status: KioskStatus | null;
  menu: Menu;
  stream: MediaStream | null;
}

type CameraCheck = { ok: boolean; detail: string };

/** `polling`: the self-check is on screen. */
export function useSelfCheck(api: KioskClient, staffDevice: boolean, polling: boolean): SelfCheck {
  const [status, setStatus] = useState<KioskStatus | null>(null);
  const [menu, setMenu] = useState<Menu>({ items: [], categories: [], currency: 'EUR' });
  const [stream, setStream] = useState<MediaStream | null>(null);

  useEffect(() => {
    if (staffDevice) {
      void api.status({}).then((r) => r.ok && setStatus(r.value));
      return;
    }
    void (async () => {
      const first = await api.status({});
      if (first.ok) setStatus(first.value);
      if (!first.ok || !first.value.screen.paired) return;
      const { cam, camera } = await cameraCheck();
      if (cam) setStream(cam);
      const r = await api.reportClient({ camera });
      if (r.ok) setStatus(r.value);
      await readMenu();
    })();
  }, [api, staffDevice]);

  // The menu again on every change (an edit, an item 86'd or back), pushed by the host.
  const readMenu = async (): Promise<void> => {
    const m = await api.menu({});
    if (m.ok)
      setMenu({
        items: m.value.items,
        categories: m.value.categories,
        currency: m.value.currency,
        tip_choices_bp: m.value.tip_choices_bp,
      });
  };
  useEffect(() => {
    if (staffDevice) return;
    return api.onMenuChanged(() => void readMenu());
  }, [api, staffDevice]);

  useEffect(() => {
    if (!polling) return;
    const timer = setInterval(() => void api.status({}).then((r) => r.ok && setStatus(r.value)), STATUS_POLL_MS);
    return () => clearInterval(timer);
  }, [api, polling]);

  return { status, menu, stream };
}

async function cameraCheck(): Promise<{ cam: MediaStream | null; camera: CameraCheck }> {
  try {
    const cam = await openCamera();
    const track = cam.getVideoTracks()[0];
    const detail = track
      ? `${track.getSettings().width ?? '?'}x${track.getSettings().height ?? '?'} px, ${track.getSettings().frameRate ?? '?'} fps`
      : 'camera';
    return { cam, camera: { ok: true, detail } };
  } catch (err) {
    return { cam: null, camera: { ok: false, detail: (err as Error).message } };
  }
}
