// The start-up self-check shown on the status screen: camera present (reported by the customer
// screen, which owns it), the host's vision worker with its backend and speed (the host runs the
// face pipeline on the frames it receives), model files verified against
// the manifest, the ledger's tail re-verified, the clock sane, the settlement server reachable.
// "Ready" needs every check but the settlement server: the kiosk pays offline within limits.
import type { Check, KioskStatus, RequestOf } from '../contract/api.js';
import { CREATED_AT_MS_MIN } from '../../ledger/protocol/entry.js';
import { readManifest, readVerified } from '../../native/models.node.js';
import type { KioskState } from '../../ledger/sync/kiosk-state.js';
import type { LedgerStore } from '../../ledger/store/store.js';
import { FACE_CONFIG } from '../face/config.js';

export const SETTLEMENT_PROBE_TIMEOUT_MS = 2_000;
/** The settlement server is probed at most this often, whatever the number of status calls
 * (every screen polls every 2 s, and status needs no sign-in: each call probed the server). */
export const SETTLEMENT_PROBE_CACHE_MS = 5_000;
/** A vision worker slower than this per frame cannot see a smile begin (every onset would follow
 * a gap too long to compare across, and be refused as FACE_STALLED). */
export const VISION_FRAME_MS_MAX = FACE_CONFIG.liveness.frame_gap_ms_max;
/** Clock skew against the settlement server's Date header that still counts as sane. */
export const CLOCK_SKEW_MS_MAX = 5 * 60_000;

export interface SelfCheckOptions {
  kioskId: string;
  store: { name: string; currency: string; languages: ('en' | 'de' | 'zh')[] };
  demo: boolean;
  /** config vision.backend, as the browser understands it. */
  visionBackend?: 'auto' | 'webgpu' | 'webgl' | 'wasm';
  ledger: LedgerStore;
  state: KioskState;
  tailChecked: number;
  settlementUrl: () => string | null;
  lastSyncError: () => string | null;
  startedAtMs: number;
  now?: () => number;
}

export class SelfCheck {
  private models: Check;
  private camera: Check = {
    name: 'camera',
    ok: false,
    pending: true,
    detail: 'waiting for the screen to open the camera',
    say: { key: 'camera_waiting', values: {} },
  };
  private vision: Check = {
    name: 'vision',
    ok: false,
    pending: true,
    detail: "waiting for the kiosk's vision worker to load the face models",
    say: { key: 'vision_waiting', values: {} },
  };
  private readyInMs: number | null = null;
  private readonly now: () => number;

  constructor(private readonly o: SelfCheckOptions) {
    this.now = o.now ?? Date.now;
    this.models = checkModels();
  }

  /** The customer screen's camera. */
  reportClient(r: RequestOf<'reportClient'>): void {
    this.camera = { name: 'camera', ok: r.camera.ok, pending: false, detail: r.camera.detail };
  }

  /** The host's vision worker: started (its backend and the time one frame takes) or failed. */
  reportVision(v: { ok: boolean; backend: string; frame_ms: number; detail: string }): void {
    const fast = v.frame_ms <= VISION_FRAME_MS_MAX;
    const ms = Math.round(v.frame_ms);
    this.vision = {
      name: 'vision',
      ok: v.ok && fast,
      pending: false,
      detail: `${v.backend}, ${ms} ms per frame on the kiosk${fast ? '' : ` (slower than ${VISION_FRAME_MS_MAX} ms: the kiosk cannot see when a smile begins)`}${v.detail ? `; ${v.detail}` : ''}`,
      say: v.detail
        ? null
        : { key: fast ? 'vision_ok' : 'vision_slow', values: { backend: v.backend, ms, max: VISION_FRAME_MS_MAX } },
    };
  }

  async status(): Promise<Omit<KioskStatus, 'screen'>> {
    const settlement = await this.cachedProbe();
    const nowMs = this.now();
    const clockOk =
      nowMs >= CREATED_AT_MS_MIN && (settlement.skewMs === null || Math.abs(settlement.skewMs) <= CLOCK_SKEW_MS_MAX);
    const skewS = settlement.skewMs === null ? null : Math.round(settlement.skewMs / 1000);
    const clock: Check = {
      name: 'clock',
      ok: clockOk,
      pending: false,
      detail: `${new Date(nowMs).toISOString()}${skewS === null ? '' : `, ${skewS} s from the settlement server`}`,
      say:
        skewS === null
          ? { key: 'clock', values: { now_ms: nowMs } }
          : { key: 'clock_skew', values: { now_ms: nowMs, skew_s: skewS } },
    };
    const entries = this.o.ledger.count();
    const ledger: Check = {
      name: 'ledger',
      ok: true,
      pending: false,
      detail: `${entries} entries, last ${this.o.tailChecked} re-verified at start`,
      say: { key: 'ledger_ok', values: { entries, checked: this.o.tailChecked } },
    };
    const checks = [this.camera, this.models, this.vision, ledger, clock, settlement.check];
    const ready = checks.every((c) => c.name === 'settlement' || (c.ok && !c.pending));
    if (ready && this.readyInMs === null) this.readyInMs = this.now() - this.o.startedAtMs;
    const synced = this.o.state.syncedSeq();
    return {
      kiosk_id: this.o.kioskId,
      store: this.o.store,
      demo: this.o.demo,
      vision_backend: this.o.visionBackend ?? 'auto',
      checks,
      ready,
      started_at_ms: this.o.startedAtMs,
      ready_in_ms: this.readyInMs,
      sync: {
        unsynced_entries: Math.max(0, this.o.state.tipSeq() - synced),
        last_error: this.o.lastSyncError(),
        server_url: this.o.settlementUrl(),
      },
    };
  }

  /** One probe at a time, and its answer for SETTLEMENT_PROBE_CACHE_MS. */
  private probe: { at_ms: number; answer: Promise<{ check: Check; skewMs: number | null }> } | null = null;
  /** Probes the settlement server has been sent (for the tests and the log). */
  settlementProbes = 0;

  private cachedProbe(): Promise<{ check: Check; skewMs: number | null }> {
    const t = this.now();
    if (this.probe === null || t - this.probe.at_ms >= SETTLEMENT_PROBE_CACHE_MS) {
      this.settlementProbes++;
      this.probe = { at_ms: t, answer: this.probeSettlement() };
    }
    return this.probe.answer;
  }

  private async probeSettlement(): Promise<{ check: Check; skewMs: number | null }> {
    const url = this.o.settlementUrl();
    if (url === null)
      return {
        check: {
          name: 'settlement',
          ok: false,
          pending: false,
          detail: 'no settlement server configured',
          say: { key: 'settlement_none', values: {} },
        },
        skewMs: null,
      };
    try {
      const t0 = this.now();
      const res = await fetch(`${url.replace(/\/$/, '')}/v1/health`, {
        signal: AbortSignal.timeout(SETTLEMENT_PROBE_TIMEOUT_MS),
      });
      const date = res.headers.get('date');
      const skew = date ? Date.parse(date) - (t0 + this.now()) / 2 : null;
      const ms = this.now() - t0;
      return {
        check: {
          name: 'settlement',
          ok: res.ok,
          pending: false,
          detail: `${url}: HTTP ${res.status} in ${ms} ms`,
          say: { key: 'settlement_http', values: { url, status: res.status, ms } },
        },
        skewMs: skew !== null && Number.isFinite(skew) ? skew : null,
      };
    } catch (err) {
      return {
        check: {
          name: 'settlement',
          ok: false,
          pending: false,
          detail: `${url}: unreachable (${(err as Error).name}); payments are taken offline within limits`,
          say: { key: 'settlement_down', values: { url } },
        },
        skewMs: null,
      };
    }
  }
}

function checkModels(): Check {
  try {
    const manifest = readManifest();
    let bytes = 0;
    for (const f of manifest) bytes += readVerified(f.file, manifest).length;
    const mb = Number((bytes / 1e6).toFixed(1));
    return {
      name: 'models',
      ok: true,
      pending: false,
      detail: `${manifest.length} files, ${mb} MB, SHA-256 as in models/manifest.json`,
      say: { key: 'models_ok', values: { files: manifest.length, mb } },
    };
  } catch (err) {
    return { name: 'models', ok: false, pending: false, detail: (err as Error).message };
  }
}
