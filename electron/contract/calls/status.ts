// The kiosk's state for every screen: the self-check (camera, models, vision backend and its
// speed, ledger tail, clock, settlement server), whether payments can start, the store's name,
// currency and languages, and the sync backlog.
import { z } from 'zod';
import { call, currency, freeText, id, lang, text, timeMs } from '../shapes.js';
import { PrintQueueView } from './printing.js';

export const Check = z.object({
  name: z.enum(['camera', 'models', 'vision', 'ledger', 'clock', 'settlement']),
  ok: z.boolean(),
  /** Still being checked (the camera and vision checks come from the renderer). */
  pending: z.boolean(),
  /** In English, for the log and for anything the screens have no text for. */
  detail: text,
  /** The same for the screens to say in their language: a text key and its values. */
  say: z
    .object({
      key: z.string().max(40),
      values: z.record(z.string().max(32), z.union([freeText(300), z.number()])),
    })
    .nullable()
    .optional(),
});
export type Check = z.infer<typeof Check>;

export const KioskStatus = z.object({
  kiosk_id: id,
  store: z.object({ name: text, currency, languages: z.array(lang).min(1).max(3) }),
  demo: z.boolean(),
  /** The TF.js backend the screen should use (config vision.backend): 'auto' tries WebGPU, a hardware WebGL, then WASM. */
  vision_backend: z.enum(['auto', 'webgpu', 'webgl', 'wasm']),
  checks: z.array(Check).max(16),
  /** Every check that decides payments passed. */
  ready: z.boolean(),
  started_at_ms: timeMs,
  ready_in_ms: z.number().int().min(0).nullable(),
  /** The calling screen: paired (a customer screen, the kiosk's own window) or not (status only). */
  screen: z.object({
    paired: z.boolean(),
    screen_id: id.nullable(),
    label: freeText(60).nullable(),
  }),
  sync: z.object({
    unsynced_entries: z.number().int().min(0),
    last_error: text.nullable(),
    server_url: text.nullable(),
  }),
  /** The print queue: each printer's waiting and failed jobs and its state (host/printing). */
  printing: PrintQueueView.optional(),
});
export type KioskStatus = z.infer<typeof KioskStatus>;

export const statusCalls = {
  status: call({ channel: 'kiosk:status', timeout_ms: 3_000, request: z.object({}), response: KioskStatus }),
  /** The customer screen's part of the self-check: its camera (the vision check is the host's). */
  reportClient: call({
    channel: 'kiosk:report-client',
    timeout_ms: 3_000,
    request: z.object({ camera: z.object({ ok: z.boolean(), detail: text }) }),
    response: KioskStatus,
  }),
} as const;
