// The kiosk's API contract: every call the renderer (untrusted) can make on the host, one entry
// per call with its channel, request and response schemas and its time limit. Both transports
// (Electron IPC through the preload bridge, and WebSocket/HTTP in browser mode) are derived
// from this table, and the renderer's two clients implement the same `KioskApi` type. No I/O.
//
// Every answer crosses as `{ok: true, value} | {ok: false, error: {code, message}}`: Electron
// passes only an Error's message across IPC, so codes travel as data, never as thrown errors.
import { z } from 'zod';
import { FaceBoxSchema } from './vision.js';
import {
  CALLS,
  WS_PATH,
  HTTP_API_PREFIX,
  WS_IN_FLIGHT_MAX,
  PUSH_ORDER_CHANGED,
  PUSH_SESSION,
  PUSH_FRAME_REFUSED,
} from './constants.js';

export { WS_PATH, HTTP_API_PREFIX, WS_IN_FLIGHT_MAX, PUSH_ORDER_CHANGED, PUSH_SESSION, PUSH_FRAME_REFUSED };

// ---- bounds -----------------------------------------------------------------------------

export const ID_LENGTH_MAX = 64;
export const ORDER_LINES_MAX = 50;
export const LINE_QUANTITY_MAX = 99;
export const AMOUNT_MINOR_MAX = 100_000_000_000;
export const TEXT_LENGTH_MAX = 500;
export const MENU_ITEMS_MAX = 200;
/** Menu categories, and the options (modifiers: extra egg, no onions) one item may offer. */
export const MENU_CATEGORIES_MAX = 20;
export const ITEM_OPTIONS_MAX = 8;
/** A line's own note for the kitchen ("no spring onions"). */
export const LINE_NOTE_MAX = 120;
/** A JSON request on either transport, at most (the largest, an order of 50 lines, is about 6 KiB;
 * camera frames are binary messages with their own bound, frames.ts). */
export const REQUEST_BYTES_MAX = 16 * 1024;
/** Phone digits asked at step-up. */
export const PHONE_DIGITS = 4;
/** Staff members listed on the sign-in screen, at most. */
export const STAFF_LISTED_MAX = 64;
/** Entries of the open day the staff screens list, at most (the newest; `truncated` says so). */
export const DAY_ENTRIES_LISTED_MAX = 500;
/** An export of one day, at most (4 MiB: a busy day is about 2,000 entries of 300 bytes of CSV). */
export const EXPORT_CHARS_MAX = 4 * 1024 * 1024;
/** Orders the host keeps (in memory) and the board lists: the last 200; older ones drop off. */
export const ORDERS_KEPT_MAX = 200;
/** The cashier's note on an order. */
export const ORDER_NOTE_MAX = 200;
/** An order's life: new (built) -> awaiting_payment (on the customer screen, or a payment
 * started) -> paid -> preparing -> ready -> collected; or declined (a face payment refused, with
 * why) or failed (the kiosk could not take it), both of which can still be paid. */
export const ORDER_STATUSES = [
  'new',
  'awaiting_payment',
  'paid',
  'preparing',
  'ready',
  'collected',
  'declined',
  'failed',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** The statuses in which an order can still be paid. */
export const PAYABLE_STATUSES: readonly OrderStatus[] = ['new', 'awaiting_payment', 'declined', 'failed'];
export const isPayable = (o: { status: OrderStatus }): boolean => PAYABLE_STATUSES.includes(o.status);
/** The kitchen's steps a cashier moves a paid order through, each from the one before. */
export const KITCHEN_STEPS = ['preparing', 'ready', 'collected'] as const;
/** Currencies in a Z report (the ledger's DAY_TOTALS_MAX). */
export const DAY_TOTALS_MAX = 16;

const id = z
  .string()
  .min(1)
  .max(ID_LENGTH_MAX)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]*$/, 'letters, digits and ._:@-');
const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code');
const minor = z.number().int().min(0).max(AMOUNT_MINOR_MAX);
const timeMs = z.number().int().min(0).max(8_000_000_000_000);
const text = z.string().max(TEXT_LENGTH_MAX);
const lang = z.enum(['en', 'de', 'zh']);
export type Language = z.infer<typeof lang>;

// ---- error codes ------------------------------------------------------------------------

/** Codes the host answers with. FACE_* and OFFLINE_* come from the face decision and the
 * offline limits; the renderer maps each to a message in the customer's language. */
export const API_ERROR_CODES = [
  'API_BAD_REQUEST',
  'API_UNKNOWN_CHANNEL',
  'API_TIMEOUT',
  'API_SENDER_REFUSED',
  'API_TOO_LARGE',
  'API_INTERNAL',
  'ORDER_NOT_FOUND',
  'ORDER_NOT_OPEN',
  'ORDER_EMPTY',
  'MENU_ITEM_UNKNOWN',
  'MENU_OPTION_UNKNOWN',
  'SESSION_NOT_FOUND',
  'SESSION_BUSY',
  'SESSION_WRONG_STEP',
  'SESSIONS_FULL',
  'RECEIPT_NOT_FOUND',
  'ENROL_NEEDS_SERVER',
  'ENROL_PHONE_INVALID',
  'DELETE_NEEDS_SERVER',
  'KIOSK_OUT_OF_SERVICE',
  // Staff screens: sign-in, roles and the money they may move.
  'STAFF_UNKNOWN',
  'STAFF_PIN_WRONG',
  'STAFF_LOCKED',
  'STAFF_SESSION_INVALID',
  'STAFF_FORBIDDEN',
  'STAFF_NEEDS_MANAGER',
  'PAYMENT_NOT_FOUND',
  'PAYMENT_ALREADY_REVERSED',
  'REFUND_EXCEEDS_PAYMENT',
  'DAY_ALREADY_CLOSED',
  'DAY_INVALID',
  'EXPORT_TOO_LARGE',
  'ORDER_WRONG_STATUS',
  // Settings and staff management: a valid change refused now (the currency while the day has
  // entries), a PIN that is too easy, a staff id taken, a change that would lock the shop out.
  'SETTING_REFUSED',
  'STAFF_PIN_INVALID',
  'STAFF_EXISTS',
  'STAFF_CHANGE_REFUSED',
  // The manager's day report: a day too large to read at once (use `ledger export`).
  'REPORT_TOO_LARGE',
  // The manager's privacy panel: no such customer on this kiosk (nor a record of one).
  'PRIVACY_CUSTOMER_UNKNOWN',
  // Customer screens: only a paired one starts sessions and sends frames (host/pairing).
  'SCREEN_NOT_PAIRED',
  'PAIRING_LINK_INVALID',
  'PAIRING_CODE_UNKNOWN',
  'PAIRING_REQUEST_UNKNOWN',
  'PAIRING_FULL',
  'PAIRING_SCREEN_UNKNOWN',
  // Guessable inputs are rate-limited (host/security/limits.ts).
  'SESSIONS_RATE_LIMITED',
  'STEP_UP_WRONG',
  'STEP_UP_COOLDOWN',
  // The host's vision worker has not started (or failed): no frame can be observed.
  'VISION_NOT_READY',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiError {
  code: string;
  message: string;
}
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

// ---- shared shapes ----------------------------------------------------------------------

export const Localised = z.object({ en: text, de: text, zh: text });

export const MenuCategory = z.object({ category_id: id, name: Localised });
export type MenuCategory = z.infer<typeof MenuCategory>;
/** An option adds its price (0 or more) to the item's. */
export const MenuOption = z.object({ option_id: id, name: Localised, price_minor: minor });
export type MenuOption = z.infer<typeof MenuOption>;
export const MenuItem = z.object({
  item_id: id,
  category_id: id,
  name: Localised,
  price_minor: minor,
  options: z.array(MenuOption).max(ITEM_OPTIONS_MAX),
});
export type MenuItem = z.infer<typeof MenuItem>;

/** A line as the screens ask for it: the host prices it from the menu. */
export const LineRequest = z.object({
  item_id: id,
  quantity: z.number().int().min(1).max(LINE_QUANTITY_MAX),
  options: z.array(id).max(ITEM_OPTIONS_MAX).optional(),
  note: z.string().trim().max(LINE_NOTE_MAX).optional(),
});
export type LineRequest = z.infer<typeof LineRequest>;

/** unit_minor is the item's price plus its options'; line_minor is unit_minor x quantity. */
export const OrderLine = z.object({
  item_id: id,
  name: Localised,
  options: z.array(MenuOption).max(ITEM_OPTIONS_MAX),
  note: z.string().max(LINE_NOTE_MAX).nullable(),
  quantity: z.number().int().min(1).max(LINE_QUANTITY_MAX),
  unit_minor: minor,
  line_minor: minor,
});
export type OrderLine = z.infer<typeof OrderLine>;

export const Order = z.object({
  order_id: id,
  lines: z.array(OrderLine).max(ORDER_LINES_MAX),
  total_minor: minor,
  currency,
  status: z.enum(ORDER_STATUSES),
  created_at_ms: timeMs,
  updated_at_ms: timeMs,
  paid_seq: z.number().int().min(1).nullable(),
  /** Who built it: the customer at the kiosk, or the cashier at the counter (sent to the screen). */
  source: z.enum(['kiosk', 'counter']),
  note: z.string().max(ORDER_NOTE_MAX).nullable(),
  /** declined or failed: why (FACE_*, OFFLINE_*, KIOSK_OUT_OF_SERVICE...), with the host's message. */
  reason: z.object({ code: z.string().max(64), message: text }).nullable(),
});
export type Order = z.infer<typeof Order>;

/** The server push: one order as it is now, and which order the customer screen should show. */
export const OrderEvent = z.object({ order: Order, current_order_id: id.nullable() });
export type OrderEvent = z.infer<typeof OrderEvent>;

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
      values: z.record(z.string().max(32), z.union([z.string().max(300), z.number()])),
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
    label: z.string().max(60).nullable(),
  }),
  sync: z.object({
    unsynced_entries: z.number().int().min(0),
    last_error: text.nullable(),
    server_url: text.nullable(),
  }),
});
export type KioskStatus = z.infer<typeof KioskStatus>;

/** What the screen should tell the customer now. The host chooses; the renderer translates. */
export const Hint = z.enum([
  'look_at_camera',
  'come_closer',
  'one_person',
  'hold_still',
  'keep_neutral',
  'now_smile',
  'checking',
]);
export type Hint = z.infer<typeof Hint>;

export const Receipt = z.object({
  seq: z.number().int().min(1),
  entry_hash: z.string().regex(/^[0-9a-f]{64}$/),
  payment_id: id,
  order_id: id,
  amount_minor: minor,
  currency,
  created_at_ms: timeMs,
  customer_initials: z.string().max(8),
  step_up: z.boolean(),
  /** The settlement server's public lookup for this entry (the QR code's content), if known. */
  lookup_url: z.string().max(1024).nullable(),
  /** settled, declined, or pending (not yet receipted by the server). */
  settlement: z.enum(['pending', 'settled', 'declined']),
});
export type Receipt = z.infer<typeof Receipt>;

export const SessionView = z.object({
  session_id: id,
  kind: z.enum(['payment', 'enrol', 'delete']),
  phase: z.enum(['looking', 'prompt', 'step_up', 'details', 'done', 'refused']),
  hint: Hint.nullable(),
  /** The 8 bytes (hex) the screen puts in each of this session's frame messages (frames.ts). */
  frame_tag: z.string().regex(/^[0-9a-f]{16}$/),
  /** "Now smile" is due: the host says so when its clock says, never ahead of time. */
  prompt: z.boolean(),
  /** Why a session was refused (FACE_*, OFFLINE_*, ENROL_*...), with the host's own message. */
  error: z.object({ code: z.string().max(64), message: text }).nullable(),
  /** The enrolment offer after FACE_NOT_ENROLLED. */
  offer_enrolment: z.boolean(),
  receipt: Receipt.nullable(),
  /** Enrolment: good captures so far, and how many are needed. */
  captures: z.object({ good: z.number().int().min(0), needed: z.number().int().min(0) }).nullable(),
  customer_initials: z.string().max(8).nullable(),
  /** Step-up: wrong phone digits still allowed in this session. */
  digits_left: z.number().int().min(0).nullable(),
  /** The face the host last saw, for the screen's guide (frame pixels). */
  face: z
    .object({
      box: FaceBoxSchema,
      frame_width: z.number().int().positive().max(8192),
      frame_height: z.number().int().positive().max(8192),
    })
    .nullable(),
  /** The last frame's fate: observed, dropped (the kiosk was busy) or refused (with why). */
  frame: z
    .object({
      seq: z.number().int().min(0),
      outcome: z.enum(['observed', 'dropped', 'refused']),
      code: z.string().max(64).nullable(),
    })
    .nullable(),
});
export type SessionView = z.infer<typeof SessionView>;

/** A customer screen paired with this kiosk, as the manager's Screens panel lists it. */
export const ScreenView = z.object({
  screen_id: id,
  label: z.string().max(60),
  paired_at_ms: timeMs,
  paired_by: z.string().max(ID_LENGTH_MAX),
  method: z.enum(['link', 'code']),
  last_seen_ms: timeMs.nullable(),
  revoked_at_ms: timeMs.nullable(),
  revoked_by: z.string().max(ID_LENGTH_MAX).nullable(),
  revoke_reason: text.nullable(),
});
export type ScreenView = z.infer<typeof ScreenView>;
/** Pairings the Screens panel lists, newest first. */
export const SCREENS_LISTED_MAX = 100;

export const Consent = z.object({
  text_version: id,
  language: lang,
  agreed: z.literal(true),
});

// ---- staff screens -----------------------------------------------------------------------

/** A staff session token (base64url of 32 random bytes); only the host's hash of it is kept. */
const staffToken = z
  .string()
  .min(16)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/, 'a session token');
const staffId = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits and ._-');
const role = z.enum(['cashier', 'manager']);
const businessDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const seq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const reason = z.string().trim().min(1).max(TEXT_LENGTH_MAX);

export const StaffMember = z.object({ staff_id: staffId, display_name: z.string().max(60), role });
export type StaffMember = z.infer<typeof StaffMember>;

export const StaffSession = StaffMember.extend({
  token: staffToken,
  signed_in_at_ms: timeMs,
  idle_sign_out_ms: z.number().int().min(0),
});
export type StaffSession = z.infer<typeof StaffSession>;

/** One ledger entry as the staff screens show it. */
export const DayEntry = z.object({
  seq,
  kind: z.enum(['payment', 'refund', 'void', 'day_close', 'key_rotation', 'config']),
  created_at_ms: timeMs,
  amount_minor: minor.nullable(),
  currency: currency.nullable(),
  method: z.enum(['face', 'cash', 'card']).nullable(),
  order_id: id.nullable(),
  /** Refunds and voids: the payment they reverse. */
  payment_seq: seq.nullable(),
  /** Payments: what is left to refund or void. */
  refundable_minor: minor.nullable(),
  /** Who took, approved or closed it ("cashier:bo"); null for a face payment. */
  actor: z.string().max(ID_LENGTH_MAX).nullable(),
  reason: text.nullable(),
  /** Payments: the settlement server's receipt (settled or declined for a face payment; recorded
   * for cash and card, which move no wallet money), or pending until it has receipted it. */
  settlement: z.enum(['pending', 'settled', 'declined', 'recorded']).nullable(),
});
export type DayEntry = z.infer<typeof DayEntry>;

export const DayTotal = z.object({
  currency,
  payment_count: z.number().int().min(0),
  gross_minor: minor,
  refunds_minor: minor,
  voids_minor: minor,
  net_minor: z.number().int().min(-AMOUNT_MINOR_MAX).max(AMOUNT_MINOR_MAX),
});
export type DayTotal = z.infer<typeof DayTotal>;

/** The Z report: what the day_close entry signs, with the key that signed it. */
export const ZReport = z.object({
  business_day: businessDay,
  day_close_seq: seq,
  entry_hash: hex64,
  first_seq: seq,
  last_seq: z.number().int().min(0),
  entry_count: z.number().int().min(0),
  merkle_root: hex64,
  totals: z.array(DayTotal).max(DAY_TOTALS_MAX),
  closed_by: z.string().max(ID_LENGTH_MAX),
  signer_public_key: hex64,
  closed_at_ms: timeMs,
});
export type ZReport = z.infer<typeof ZReport>;

const reversalResult = z.object({ entry: DayEntry, approved_by: z.string().max(ID_LENGTH_MAX) });

/** Staff members a kiosk holds, at most (enabled or not): the team list shows them all. */
export const TEAM_MEMBERS_MAX = STAFF_LISTED_MAX;
/** Staff changes (audit rows) the team panel lists, newest first. */
export const TEAM_AUDIT_LISTED_MAX = 50;
/** Setting changes (config entries) the settings panel lists, newest first. */
export const SETTING_HISTORY_LISTED_MAX = 50;
/** Rows of the face calibration table the settings panel gets (the safe range's grid). */
export const CALIBRATION_ROWS_MAX = 100;
const pin = z.string().regex(/^\d{4,8}$/, '4 to 8 digits');
const configValue = z.union([z.string().max(TEXT_LENGTH_MAX), z.number().int(), z.boolean()]);

export const TeamMember = StaffMember.extend({
  disabled: z.boolean(),
  /** Locked out after wrong PINs until then; null when not locked. */
  locked_until_ms: timeMs.nullable(),
  created_at_ms: timeMs,
});
export type TeamMember = z.infer<typeof TeamMember>;

export const TeamAudit = z.object({
  at_ms: timeMs,
  actor: z.string().max(ID_LENGTH_MAX),
  action: z.enum(['add', 'disable', 'enable', 'reset_pin', 'change_own_pin', 'unlock']),
  staff_id: staffId,
  detail: text,
});
export type TeamAudit = z.infer<typeof TeamAudit>;

/** A measured row of electron/face/calibration-faces.json: pairs accepted / refused at a threshold. */
export const CalibrationRow = z.object({
  threshold_milli: z.number().int().min(0).max(2_000),
  impostor_accepted: z.number().int().min(0),
  impostor_pairs: z.number().int().min(1),
  genuine_rejected: z.number().int().min(0),
  genuine_pairs: z.number().int().min(0),
  far_ci95: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]),
  frr_ci95: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]),
});
export type CalibrationRow = z.infer<typeof CalibrationRow>;

export const SettingChange = z.object({
  seq,
  created_at_ms: timeMs,
  key: z.string().max(64),
  value: configValue,
  previous: configValue.nullable(),
  changed_by: z.string().max(80),
  reason: text.nullable(),
});
export type SettingChange = z.infer<typeof SettingChange>;

// ---- the manager's day report (electron/host/manager/day-report.ts) ---------------------------------

/** Entries a report lists, at most: the newest that match the filters (`truncated` says so);
 * the totals always cover every match. */
export const REPORT_ENTRIES_LISTED_MAX = 500;
/** Entries one report reads and verifies, at most (about 5 s on this kiosk's 2 cores); a larger
 * day is refused with REPORT_TOO_LARGE and read with `ledger export` instead. */
export const REPORT_ENTRIES_READ_MAX = 50_000;
/** Business days the day picker lists, newest first (more than a year of trading). */
export const REPORT_DAYS_MAX = 400;
/** Rows of the by-item table: one per menu item and currency. */
export const REPORT_ITEMS_MAX = MENU_ITEMS_MAX;
export const SETTLEMENT_STATUSES = ['pending', 'settled', 'declined', 'recorded'] as const;
export type SettlementStatus = (typeof SETTLEMENT_STATUSES)[number];
const entryKind = z.enum(['payment', 'refund', 'void', 'day_close', 'key_rotation', 'config']);
const paymentMethod = z.enum(['face', 'cash', 'card']);

/** What a report keeps; every filter given must hold (an entry without an amount, a method or a
 * customer fails a filter on it). Times are absolute; the panel offers the day's local hours. */
export const ReportFilters = z.object({
  kinds: z.array(entryKind).min(1).max(6).optional(),
  settlement: z.array(z.enum(SETTLEMENT_STATUSES)).min(1).max(SETTLEMENT_STATUSES.length).optional(),
  /** Payments by their method; refunds and voids by the method of the payment they reverse. */
  method: z.array(paymentMethod).min(1).max(3).optional(),
  /** A customer id, their initials ("A.K." or "ak") or part of their id or name. */
  customer: z.string().trim().min(1).max(ID_LENGTH_MAX).optional(),
  amount_min_minor: minor.optional(),
  amount_max_minor: minor.optional(),
  /** created_at_ms from (inclusive) and to (exclusive). */
  from_ms: timeMs.optional(),
  to_ms: timeMs.optional(),
});
export type ReportFilters = z.infer<typeof ReportFilters>;

/** An entry in a report: a DayEntry whose method, for refunds and voids, is the reversed
 * payment's, whose settlement is the entry's own receipt, with its customer and local hour. */
export const ReportEntry = DayEntry.extend({
  customer_id: id.nullable(),
  customer_initials: z.string().max(8).nullable(),
  /** The local hour (0..23) of created_at_ms in the store's time zone. */
  hour: z.number().int().min(0).max(23),
});
export type ReportEntry = z.infer<typeof ReportEntry>;

/** DayTotal with the number of money entries (payments, refunds, voids) it sums. */
export const ReportTotal = DayTotal.extend({ entry_count: z.number().int().min(0) });
export type ReportTotal = z.infer<typeof ReportTotal>;

export const DayReport = z.object({
  business_day: businessDay,
  timezone: z.string().max(64),
  /** Closed: the entries its day_close covers; open: the entries after the last close dated that day. */
  closed: z.boolean(),
  day_close_seq: seq.nullable(),
  /** The local day's bounds (the panel's time range picks hours inside them). */
  day_start_ms: timeMs,
  day_end_ms: timeMs,
  /** Entries of the day before any filter. */
  day_entry_count: z.number().int().min(0),
  matched_count: z.number().int().min(0),
  entries: z.array(ReportEntry).max(REPORT_ENTRIES_LISTED_MAX),
  truncated: z.boolean(),
  totals: z.array(ReportTotal).max(DAY_TOTALS_MAX),
  by_settlement: z
    .array(ReportTotal.extend({ settlement: z.enum(SETTLEMENT_STATUSES) }))
    .max(DAY_TOTALS_MAX * SETTLEMENT_STATUSES.length),
  /** Always 24 hours; start_ms is null for an hour the day skips (a DST change). */
  by_hour: z
    .array(
      z.object({
        hour: z.number().int().min(0).max(23),
        start_ms: timeMs.nullable(),
        end_ms: timeMs.nullable(),
        totals: z.array(ReportTotal).max(DAY_TOTALS_MAX),
      }),
    )
    .length(24),
  /** From the orders the kiosk still holds in memory (the signed payment names only its order). */
  by_item: z
    .array(z.object({ item_id: id, name: Localised, currency, quantity: z.number().int().min(0), gross_minor: minor }))
    .max(REPORT_ITEMS_MAX),
  /** Matched payments whose order lines the kiosk no longer holds (restart, or more than ORDERS_KEPT_MAX since). */
  items_unknown: z
    .array(z.object({ currency, payment_count: z.number().int().min(0), gross_minor: minor }))
    .max(DAY_TOTALS_MAX),
  /** Business days with entries, newest first, for the day picker. */
  days: z
    .array(z.object({ business_day: businessDay, closed: z.boolean(), entry_count: z.number().int().min(0) }))
    .max(REPORT_DAYS_MAX),
  days_truncated: z.boolean(),
});
export type DayReport = z.infer<typeof DayReport>;

// ---- the manager's integrity and privacy panels ------------------------------------------

/** Entries the server declined after sync that the follow-up list shows, at most (the newest). */
export const FOLLOW_UP_LISTED_MAX = 100;
/** Alarms listed at most (a fork, freezes, mismatched receipts, a failed verification). */
export const ALARMS_LISTED_MAX = 50;
/** Customers one privacy search answers with, at most. */
export const CUSTOMER_RESULTS_MAX = 20;
export const CUSTOMER_QUERY_LENGTH_MAX = 60;

const count = z.number().int().min(0);

/** The last full verification of the ledger (ledger/verify/verify.ts), who ran it, and its result. */
export const Verification = z.object({
  at_ms: timeMs,
  by: z.string().max(ID_LENGTH_MAX),
  ok: z.boolean(),
  entries: count,
  tip_seq: count,
  /** The newest server receipt the ledger had to reach with the same hash (catches a cut tail). */
  anchor_seq: seq.nullable(),
  first_bad_seq: count.nullable(),
  code: z.string().max(64).nullable(),
  message: text.nullable(),
  elapsed_ms: count,
});
export type Verification = z.infer<typeof Verification>;

/** A payment or refund the settlement server declined after the kiosk had taken it. */
export const FollowUp = z.object({
  seq,
  kind: z.enum(['payment', 'refund']),
  amount_minor: minor,
  currency,
  method: z.enum(['face', 'cash', 'card']).nullable(),
  customer_initials: z.string().max(8).nullable(),
  reason: text.nullable(),
  created_at_ms: timeMs,
  declined_at_ms: timeMs,
});
export type FollowUp = z.infer<typeof FollowUp>;

export const IntegrityAlarm = z.object({
  kind: z.enum(['fork', 'freeze', 'receipt_mismatch', 'chain_broken']),
  /** When it happened or was learnt (null: not recorded). */
  at_ms: timeMs.nullable(),
  /** A freeze's target (wallet:..., merchant:..., payment:<entry hash>), a receipt's seq. */
  target: z.string().max(200).nullable(),
  detail: text,
  count,
});
export type IntegrityAlarm = z.infer<typeof IntegrityAlarm>;

export const IntegrityReport = z.object({
  verified: Verification.nullable(),
  ledger: z.object({ entries: count, tip_seq: count }),
  /** Server receipts matched to our entries (same entry hash), by status; pending: no receipt yet. */
  receipts: z.object({ settled: count, recorded: count, declined: count, pending: count, mismatched: count }),
  follow_up: z.array(FollowUp).max(FOLLOW_UP_LISTED_MAX),
  follow_up_total: count,
  alarms: z.array(IntegrityAlarm).max(ALARMS_LISTED_MAX),
  sync: z.object({ last_error: text.nullable(), server_url: text.nullable() }),
});
export type IntegrityReport = z.infer<typeof IntegrityReport>;

/** What a customer agreed to at enrolment: the text's version and language, purpose, retention. */
export const ConsentView = z.object({
  text_version: z.string().max(ID_LENGTH_MAX),
  /** The language the consent text was shown in; null where it was not recorded (demo set-up). */
  language: lang.nullable(),
  purpose: text,
  retention_days: count,
  agreed_at_ms: timeMs,
  kiosk_id: id,
  /** kiosk: agreed on this kiosk's consent screen; demo: the demo store's set-up enrolled them. */
  source: z.enum(['kiosk', 'demo']),
});
export type ConsentView = z.infer<typeof ConsentView>;

export const DeletionView = z.object({
  requested_at_ms: timeMs,
  /** manager:ana (a manager on the customer's request), or customer (their own face + phone). */
  requested_by: z.string().max(ID_LENGTH_MAX),
  reason: text,
  /** pending: deleted on this kiosk, the server not told yet; propagated: the server deleted it
   * and every kiosk drops it at its next sync; refused: the server said no (see last_error). */
  status: z.enum(['pending', 'propagated', 'refused']),
  propagated_at_ms: timeMs.nullable(),
  last_error: text.nullable(),
});
export type DeletionView = z.infer<typeof DeletionView>;

export const CustomerView = z.object({
  customer_id: id,
  /** Null for a customer enrolled on another kiosk (this one holds only their template). */
  display_name: z.string().max(60).nullable(),
  initials: z.string().max(8).nullable(),
  phone_last4: z
    .string()
    .regex(/^\d{4}$/)
    .nullable(),
  enrolled_at_ms: timeMs.nullable(),
  template_on_kiosk: z.boolean(),
  consent: ConsentView.nullable(),
  deletion: DeletionView.nullable(),
});
export type CustomerView = z.infer<typeof CustomerView>;

// ---- the calls --------------------------------------------------------------------------

interface CallSpec<Req extends z.ZodType, Res extends z.ZodType> {
  channel: string;
  request: Req;
  response: Res;
  timeout_ms: number;
}
const call = <Req extends z.ZodType, Res extends z.ZodType>(spec: CallSpec<Req, Res>): CallSpec<Req, Res> => spec;

const sessionRef = z.object({ session_id: id });

export const api = {
  status: call({ request: z.object({}), response: KioskStatus, ...CALLS.status }),
  /** The customer screen's part of the self-check: its camera (the vision check is the host's). */
  reportClient: call({
    request: z.object({ camera: z.object({ ok: z.boolean(), detail: text }) }),
    response: KioskStatus,
    ...CALLS.reportClient,
  }),
  menu: call({
    request: z.object({}),
    response: z.object({
      categories: z.array(MenuCategory).max(MENU_CATEGORIES_MAX),
      items: z.array(MenuItem).max(MENU_ITEMS_MAX),
      currency,
    }),
    ...CALLS.menu,
  }),
  createOrder: call({
    request: z.object({ lines: z.array(LineRequest).min(1).max(ORDER_LINES_MAX) }),
    response: Order,
    ...CALLS.createOrder,
  }),
  currentOrder: call({ request: z.object({}), response: Order.nullable(), ...CALLS.currentOrder }),
  getOrder: call({ request: z.object({ order_id: id }), response: Order, ...CALLS.getOrder }),
  /** A payment session; the screen then sends its camera frames (frames.ts) and follows the
   * session's pushes (PUSH_SESSION). */
  startPayment: call({ request: z.object({ order_id: id }), response: SessionView, ...CALLS.startPayment }),
  stepUp: call({
    request: z.object({ session_id: id, phone_last4: z.string().regex(/^\d{4}$/) }),
    response: SessionView,
    ...CALLS.stepUp,
  }),
  cancel: call({ request: sessionRef, response: z.object({ cancelled: z.boolean() }), ...CALLS.cancel }),
  receipt: call({ request: z.object({ seq: z.number().int().min(1) }), response: Receipt, ...CALLS.receipt }),
  startEnrolment: call({ request: z.object({}), response: SessionView, ...CALLS.startEnrolment }),
  /** After the captures: consent and phone number; the template goes to the server. */
  finishEnrolment: call({
    request: z.object({
      session_id: id,
      consent: Consent,
      display_name: z.string().min(1).max(60),
      phone: z.string().regex(/^\+?[0-9 ]{6,20}$/),
    }),
    response: SessionView,
    ...CALLS.finishEnrolment,
  }),
  /** Deletion on request: the customer shows their face and types their phone digits. */
  startDeletion: call({ request: z.object({}), response: SessionView, ...CALLS.startDeletion }),
  finishDeletion: call({
    request: z.object({ session_id: id, phone_last4: z.string().regex(/^\d{4}$/) }),
    response: SessionView,
    ...CALLS.finishDeletion,
  }),

  // ---- staff: every call but the sign-in names its session token; the host checks the role ----
  // ---- pairing: an unpaired screen asks for a code; a manager approves it with their PIN ----
  pairRequest: call({
    request: z.object({}),
    response: z.object({
      code: z.string().regex(/^\d{6}$/),
      /** The screen's secret to claim its device token with (POST PAIR_CLAIM_PATH); shown to nobody. */
      request_id: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
      expires_at_ms: timeMs,
    }),
    ...CALLS.pairRequest,
  }),
  pairApprove: call({
    request: z.object({
      token: staffToken,
      code: z.string().regex(/^\d{6}$/, '6 digits'),
      pin,
      label: z.string().trim().min(1).max(60),
    }),
    response: ScreenView,
    ...CALLS.pairApprove,
  }),
  screensList: call({
    request: z.object({ token: staffToken }),
    response: z.object({ screens: z.array(ScreenView).max(SCREENS_LISTED_MAX) }),
    ...CALLS.screensList,
  }),
  screenRevoke: call({
    request: z.object({ token: staffToken, screen_id: id, reason }),
    response: ScreenView,
    ...CALLS.screenRevoke,
  }),

  staffList: call({
    request: z.object({}),
    response: z.object({ staff: z.array(StaffMember).max(STAFF_LISTED_MAX) }),
    ...CALLS.staffList,
  }),
  staffSignIn: call({
    request: z.object({ staff_id: staffId, pin: z.string().regex(/^\d{4,8}$/, '4 to 8 digits') }),
    response: StaffSession,
    ...CALLS.staffSignIn,
  }),
  staffSignOut: call({
    request: z.object({ token: staffToken }),
    response: z.object({ signed_out: z.literal(true) }),
    ...CALLS.staffSignOut,
  }),
  /** The open day's entries, newest first (cashier or manager). */
  dayEntries: call({
    request: z.object({ token: staffToken }),
    response: z.object({
      business_day: businessDay,
      first_seq: seq,
      entries: z.array(DayEntry).max(DAY_ENTRIES_LISTED_MAX),
      truncated: z.boolean(),
      totals: z.array(DayTotal).max(DAY_TOTALS_MAX),
    }),
    ...CALLS.dayEntries,
  }),
  /** An order paid at the counter (cash or card), recorded with who took it. */
  payOrder: call({
    request: z.object({ token: staffToken, order_id: id, method: z.enum(['cash', 'card']) }),
    response: z.object({ order: Order, entry: DayEntry }),
    ...CALLS.payOrder,
  }),
  /** Part or all of a payment back; above limits.refund_cashier_max_minor only a manager. */
  refund: call({
    request: z.object({ token: staffToken, payment_seq: seq, amount_minor: minor.min(1), reason }),
    response: reversalResult,
    ...CALLS.refund,
  }),
  /** Cancels what is left of a payment; the same limit as a refund applies to that amount. */
  voidPayment: call({
    request: z.object({ token: staffToken, payment_seq: seq, reason }),
    response: reversalResult,
    ...CALLS.voidPayment,
  }),
  /** Manager only: signs the day_close over every entry since the last close. */
  closeDay: call({
    request: z.object({ token: staffToken, business_day: businessDay.optional() }),
    response: ZReport,
    ...CALLS.closeDay,
  }),
  /** Any staff: the limits a manager may change, with their current values and ranges. */
  settings: call({
    request: z.object({ token: staffToken }),
    response: z.object({
      settings: z
        .array(
          z.object({
            key: z.string().max(64),
            value: z.number().int(),
            min: z.number().int(),
            max: z.number().int(),
            step: z.number().int().min(1).optional(),
          }),
        )
        .max(16),
      /** The text settings: languages ("en,de") and the currency (ISO 4217). */
      texts: z.array(z.object({ key: z.string().max(64), value: z.string().max(64) })).max(8),
      /** The measured FAR/FRR at each threshold a manager may choose, with where it comes from. */
      calibration: z.object({
        source: text,
        people: z.number().int().min(0),
        images: z.number().int().min(0),
        caveat: text,
        rows: z.array(CalibrationRow).max(CALIBRATION_ROWS_MAX),
      }),
      /** Config entries (every change, who and when), newest first; a manager's only (empty for a cashier). */
      history: z.array(SettingChange).max(SETTING_HISTORY_LISTED_MAX),
    }),
    ...CALLS.settings,
  }),
  /** Manager only: changes one limit within its range; recorded as a config entry naming the manager. */
  setSetting: call({
    request: z.object({
      token: staffToken,
      key: z.string().min(1).max(64),
      value: z.union([z.number().int(), z.string().min(1).max(64)]),
      reason,
    }),
    response: z.object({
      seq,
      key: z.string().max(64),
      previous: z.union([z.number().int(), z.string().max(64)]),
      value: z.union([z.number().int(), z.string().max(64)]),
      changed_by: z.string().max(80),
    }),
    ...CALLS.setSetting,
  }),
  // ---- staff management (manager; changeOwnPin any member). Staff changes move no money, so
  // they are not ledger entries: staff.db keeps an audit row of each, and the host logs it. ----
  teamList: call({
    request: z.object({ token: staffToken }),
    response: z.object({
      members: z.array(TeamMember).max(TEAM_MEMBERS_MAX),
      members_max: z.number().int().min(1),
      audit: z.array(TeamAudit).max(TEAM_AUDIT_LISTED_MAX),
    }),
    ...CALLS.teamList,
  }),
  teamAdd: call({
    request: z.object({
      token: staffToken,
      staff_id: staffId,
      display_name: z.string().trim().min(1).max(60),
      role,
      pin,
    }),
    response: TeamMember,
    ...CALLS.teamAdd,
  }),
  /** Disabled members cannot sign in and their sessions end; never oneself or the last manager. */
  teamSetDisabled: call({
    request: z.object({ token: staffToken, staff_id: staffId, disabled: z.boolean() }),
    response: TeamMember,
    ...CALLS.teamSetDisabled,
  }),
  /** A manager sets anyone's PIN (a forgotten PIN); it also lifts a lock-out. */
  teamResetPin: call({
    request: z.object({ token: staffToken, staff_id: staffId, pin }),
    response: TeamMember,
    ...CALLS.teamResetPin,
  }),
  teamUnlock: call({
    request: z.object({ token: staffToken, staff_id: staffId }),
    response: TeamMember,
    ...CALLS.teamUnlock,
  }),
  /** Any member changes their own PIN, giving the current one (wrong ones count to a lock-out). */
  changeOwnPin: call({
    request: z.object({ token: staffToken, current_pin: pin, new_pin: pin }),
    response: z.object({ staff_id: staffId }),
    ...CALLS.changeOwnPin,
  }),
  /** Manager only, giving their PIN again (a wrong one counts to a lock-out): the kiosk window
   * leaves kiosk mode; a signed config entry records who. Already off (left earlier in this run):
   * nothing is written, already_off is true and the answer names the entry that left it. */
  leaveKioskMode: call({
    request: z.object({ token: staffToken, pin, reason: reason.optional() }),
    response: z.object({
      seq,
      left_by: z.string().max(80),
      left_at_ms: timeMs,
      kiosk_window: z.boolean(),
      already_off: z.boolean(),
    }),
    ...CALLS.leaveKioskMode,
  }),
  /** Manager only: one business day as CSV or JSON (ledger export). */
  exportDay: call({
    request: z.object({ token: staffToken, business_day: businessDay, format: z.enum(['csv', 'json']) }),
    response: z.object({
      business_day: businessDay,
      format: z.enum(['csv', 'json']),
      content: z.string().max(EXPORT_CHARS_MAX),
    }),
    ...CALLS.exportDay,
  }),

  // ---- the live order board (cashier or manager) ----
  /** The cashier builds an order and sends it to the customer screen (awaiting_payment). */
  sendOrder: call({
    request: z.object({
      token: staffToken,
      lines: z.array(LineRequest).min(1).max(ORDER_LINES_MAX),
      note: z.string().trim().max(ORDER_NOTE_MAX).optional(),
    }),
    response: Order,
    ...CALLS.sendOrder,
  }),
  /** The orders kept (the last ORDERS_KEPT_MAX), newest first; changes then come as pushes. */
  orderBoard: call({
    request: z.object({ token: staffToken }),
    response: z.object({ orders: z.array(Order).max(ORDERS_KEPT_MAX), kept_max: z.number().int().min(1) }),
    ...CALLS.orderBoard,
  }),
  /** A paid order to preparing, ready, collected: each step only from the one before. */
  advanceOrder: call({
    request: z.object({ token: staffToken, order_id: id, status: z.enum(KITCHEN_STEPS) }),
    response: Order,
    ...CALLS.advanceOrder,
  }),

  // ---- the manager's reports ----
  /** Manager only: one business day (default today, in the store's time zone), filtered, with totals. */
  dayReport: call({
    request: z.object({ token: staffToken, business_day: businessDay.optional(), filters: ReportFilters.optional() }),
    response: DayReport,
    ...CALLS.dayReport,
  }),

  // ---- the manager's integrity and privacy panels (manager only) ----
  /** The last verification, receipts matched to entries, the declined follow-up list, alarms. */
  integrity: call({ request: z.object({ token: staffToken }), response: IntegrityReport, ...CALLS.integrity }),
  /** Verifies the whole ledger now (anchored at the newest receipt) and records the result. */
  verifyNow: call({ request: z.object({ token: staffToken }), response: Verification, ...CALLS.verifyNow }),
  /** By a part of the name, initials (D.O.), the phone's last 4 digits, or the customer id. */
  findCustomers: call({
    request: z.object({ token: staffToken, query: z.string().trim().min(1).max(CUSTOMER_QUERY_LENGTH_MAX) }),
    response: z.object({
      customers: z.array(CustomerView).max(CUSTOMER_RESULTS_MAX),
      truncated: z.boolean(),
      pending_deletions: count,
    }),
    ...CALLS.findCustomers,
  }),
  /** Deletes a customer's template on this kiosk at once and everywhere at the next sync. */
  deleteCustomer: call({
    request: z.object({ token: staffToken, customer_id: id, reason }),
    response: CustomerView,
    ...CALLS.deleteCustomer,
  }),
  /** One customer's consent record (and deletion, if any), also after the deletion. */
  consentRecords: call({
    request: z.object({ token: staffToken, customer_id: id }),
    response: CustomerView,
    ...CALLS.consentRecords,
  }),
} as const;

export type Api = typeof api;
export type CallName = keyof Api;
export type RequestOf<K extends CallName> = z.input<Api[K]['request']>;
export type ResponseOf<K extends CallName> = z.output<Api[K]['response']>;

/** The interface the renderer codes against; one implementation per transport. */
export type KioskApi = { [K in CallName]: (request: RequestOf<K>) => Promise<ApiResult<ResponseOf<K>>> };

/** Channel name -> call name, for the transports. */
export const CALL_BY_CHANNEL: ReadonlyMap<string, CallName> = new Map(
  (Object.keys(api) as CallName[]).map((name) => [api[name].channel, name]),
);

// ---- transport envelopes (WebSocket) ------------------------------------------------------

export const WsRequest = z.object({
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  channel: z.string().max(64),
  request: z.unknown(),
});
export type WsRequest = z.infer<typeof WsRequest>;
export interface WsResponse {
  id: number;
  result: ApiResult<unknown>;
}
/** A server push on the same socket: no id, never an answer to a call. */
export type WsPush =
  | { push: typeof PUSH_ORDER_CHANGED; event: OrderEvent }
  | { push: typeof PUSH_SESSION; event: SessionView }
  | { push: typeof PUSH_FRAME_REFUSED; event: { seq: number | null; code: string; message: string } };

/** Server pushes as the renderer receives them: an order event, or null after the connection
 * was lost and is back (pushes may have been missed: reload the board). */
export type OrderListener = (event: OrderEvent | null) => void;
/** Listeners one screen may register, at most. */
export const ORDER_LISTENERS_MAX = 16;
/** A customer screen's session pushes: each view of its sessions, or a frame refused before any
 * session could be named. */
export type SessionPushEvent =
  { kind: 'view'; view: SessionView } | { kind: 'frame_refused'; seq: number | null; code: string; message: string };
export type SessionListener = (event: SessionPushEvent) => void;
/** What the screens code against: the calls, the order pushes, and the customer screen's camera
 * frames out (binary messages, frames.ts; false when they cannot be sent now) and its session
 * pushes in. */
export type KioskClient = KioskApi & {
  onOrderChanged(listener: OrderListener): () => void;
  sendFrame(message: Uint8Array): boolean;
  onSession(listener: SessionListener): () => void;
};
