// The contract's values that both sides use at run time, without a schema: what the renderer
// imports (channels and time limits of the calls, transport names, bounds, statuses, the
// consent text's version). No zod here or in anything this imports: the renderer's bundle must
// not carry a validator (the host validates). A lint rule (eslint.config.js) lets the renderer
// import values only from this file and errors.ts, and test/host/renderer-bundle.test.ts builds
// the screens and checks that no zod reached them.
//
// The calls themselves (schemas, channel, time limit) are written once, in calls/<domain>.ts;
// CALLS (call-table.ts) is generated from them for the renderer and checked by a test.
export { CALLS, type CallNameOf } from './call-table.js';
// The camera frame's binary message (no zod there either): the screen encodes, the host parses.
export * from './frames.js';

// ---- transports -------------------------------------------------------------------------

export const WS_PATH = '/api/ws';
export const HTTP_API_PREFIX = '/api/call/';
/** Requests a client may have in flight on one socket; more are refused with API_TOO_LARGE. */
export const WS_IN_FLIGHT_MAX = 16;
/** Server push (no id, never an answer): an order changed. Sent to every connected screen over
 * the WebSocket, and to the window over IPC in Electron. */
export const PUSH_ORDER_CHANGED = 'orders:changed';
/** A socket whose unsent pushes pass this many bytes is too slow: it is closed (code 1013) and
 * its client reconnects and reloads the board, instead of the host buffering without bound. */
export const WS_PUSH_BUFFERED_BYTES_MAX = 1024 * 1024;
/** Screens connected at once over the WebSocket; more are closed with code 1013. */
export const WS_CLIENTS_MAX = 32;
/** The preload bridge's name on window (Electron). */
export const BRIDGE_NAME = 'smileKiosk';
/** A JSON request on either transport, at most (the largest, an order of 50 lines, is about 6 KiB;
 * camera frames are binary messages with their own bound, frames.ts). */
export const REQUEST_BYTES_MAX = 16 * 1024;
/** Server push to the screen whose session it is: the session as it now stands (after each of its
 * frames, and when "now smile" is due). */
export const PUSH_SESSION = 'session:view';
/** Server push: a frame that names no open session of this screen, or cannot be read. */
export const PUSH_FRAME_REFUSED = 'session:frame-refused';
/** Server push to every screen: the menu changed (an edit, an item 86'd or back); read it again. */
export const PUSH_MENU_CHANGED = 'menu:changed';
/** Electron: the renderer's camera frames to the host (ipcRenderer.send, binary). */
export const FRAMES_CHANNEL = 'frames:push';
/** Browser mode: the one-time link printed at start (GET <PAIR_LINK_PATH><secret>) and the
 * pairing-code claim (POST, JSON {request_id}); both set the device token cookie. */
export const PAIR_LINK_PATH = '/pair/';
export const PAIR_CLAIM_PATH = '/api/pair/claim';
/** The device token's cookie (HttpOnly, SameSite=Strict): the page's script never reads it. */
export const SCREEN_COOKIE = 'smile_screen';
/** Pairings the manager's Screens panel lists, newest first. */
export const SCREENS_LISTED_MAX = 100;
/** Order listeners one screen may register, at most (renderer/api's clients refuse more). */
export const ORDER_LISTENERS_MAX = 16;

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
/** The cashier's note on an order. */
export const ORDER_NOTE_MAX = 200;
/** Parts one bill may be split into (equal shares, or parts paid one by one). */
export const SPLIT_SHARES_MAX = 20;
/** A tax rate in basis points (hundredths of a percent): 100 % at most. */
export const RATE_BP_MAX = 10_000;
/** Rates in one sale, and discounts on one order (the ledger's SALE_RATES_MAX, SALE_DISCOUNTS_MAX). */
export const SALE_RATES_MAX = 8;
export const SALE_DISCOUNTS_MAX = 20;
/** Tip choices the customer screen offers besides none and an amount. */
export const TIP_CHOICES_MAX = 4;
/** Orders the host keeps (in memory) and the board lists: the last 200; older ones drop off. */
export const ORDERS_KEPT_MAX = 200;
/** Phone digits asked at step-up. */
export const PHONE_DIGITS = 4;
/** Staff members listed on the sign-in screen, at most. */
export const STAFF_LISTED_MAX = 64;
/** Entries of the open day the staff screens list, at most (the newest; `truncated` says so). */
export const DAY_ENTRIES_LISTED_MAX = 500;
/** An export of one day, at most (4 MiB: a busy day is about 2,000 entries of 300 bytes of CSV). */
export const EXPORT_CHARS_MAX = 4 * 1024 * 1024;
/** Currencies in a Z report (the ledger's DAY_TOTALS_MAX). */
export const DAY_TOTALS_MAX = 16;
/** Staff members a kiosk holds, at most (enabled or not): the team list shows them all. */
export const TEAM_MEMBERS_MAX = STAFF_LISTED_MAX;
/** Staff changes (audit rows) the team panel lists, newest first. */
export const TEAM_AUDIT_LISTED_MAX = 50;
/** Setting changes (config entries) the settings panel lists, newest first. */
export const SETTING_HISTORY_LISTED_MAX = 50;
/** Rows of the face calibration table the settings panel gets (the safe range's grid). */
export const CALIBRATION_ROWS_MAX = 100;
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
/** Entries the server declined after sync that the follow-up list shows, at most (the newest). */
export const FOLLOW_UP_LISTED_MAX = 100;
/** Alarms listed at most (a fork, freezes, mismatched receipts, a failed verification). */
export const ALARMS_LISTED_MAX = 50;
/** Customers one privacy search answers with, at most. */
export const CUSTOMER_RESULTS_MAX = 20;
export const CUSTOMER_QUERY_LENGTH_MAX = 60;

// ---- statuses and kinds -----------------------------------------------------------------

export const LANGUAGES = ['en', 'de', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

/** An order's life: new (built) -> awaiting_payment (on the customer screen, or a payment
 * started) -> partly_paid (a split bill, some parts paid) -> paid -> preparing -> ready ->
 * collected; or declined (a face payment refused, with why) or failed (the kiosk could not take
 * it), both of which can still be paid. */
export const ORDER_STATUSES = [
  'new',
  'awaiting_payment',
  'partly_paid',
  'paid',
  'preparing',
  'ready',
  'collected',
  'declined',
  'failed',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** The statuses in which an order can still be paid. */
export const PAYABLE_STATUSES: readonly OrderStatus[] = [
  'new',
  'awaiting_payment',
  'partly_paid',
  'declined',
  'failed',
];
export const isPayable = (o: { status: OrderStatus }): boolean => PAYABLE_STATUSES.includes(o.status);
/** The kitchen's steps a cashier moves a paid order through, each from the one before. */
export const KITCHEN_STEPS = ['preparing', 'ready', 'collected'] as const;
export type KitchenStep = (typeof KITCHEN_STEPS)[number];

/** The ledger's entry kinds, as the staff screens list them. */
export const ENTRY_KINDS = [
  'payment',
  'refund',
  'void',
  'day_close',
  'key_rotation',
  'config',
  'shift_open',
  'cash_move',
  'shift_close',
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];
export const PAYMENT_METHODS = ['face', 'cash', 'card'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
/** A money entry's settlement: pending until the server's receipt; settled or declined for a
 * face payment (and its refunds); recorded for cash and card, which move no wallet money. */
export const SETTLEMENT_STATUSES = ['pending', 'settled', 'declined', 'recorded'] as const;
export type SettlementStatus = (typeof SETTLEMENT_STATUSES)[number];

// ---- consent ----------------------------------------------------------------------------

/** The consent text the enrolment screen shows (renderer/i18n: consent.*) and the host sends the
 * settlement server with each enrolment. A consent given to any other version is refused, so a
 * new text means a new version here, and both sides follow from this one line. */
export const CONSENT_TEXT_VERSION = 'consent-2026-01';
/** Days a template is kept after the last payment, then deleted. The consent text says it (the
 * screens put this number in): a change here is a new text, so a new CONSENT_TEXT_VERSION. */
export const CONSENT_RETENTION_DAYS = 365;
/** What the template is for, recorded with each consent (the text says the same in the
 * customer's language). */
export const CONSENT_PURPOSE =
  "Identify the customer by face to pay at this merchant's kiosks; deleted on request or after the retention period.";

// ---- the menu editor's bounds ----------------------------------------------------------
// The host checks every menu change against these; the screens use them as their inputs'
// limits. Each menu change is one signed config entry whose value is the
// record as it now stands, as JSON text: the ledger's config value holds at most
// TEXT_LENGTH_MAX (500) characters, and its key at most ID_LENGTH_MAX (64), which bound these.

/** A category's, item's or option's id: "menu.option.<item>.<option>" must fit a config key. */
export const MENU_ID_LENGTH_MAX = 24;
/** A name in one language: a menu board's line, not a description. Three of them, escaped as
 * JSON, with the record's other fields, must fit one config value. */
export const MENU_NAME_LENGTH_MAX = 48;
/** An item's or option's price: 10,000.00 in a two-decimal currency. A price above it is a typo
 * (an extra zero or two), and the order's total stays far inside AMOUNT_MINOR_MAX. */
export const MENU_PRICE_MINOR_MAX = 1_000_000;
/** Records kept with the retired ones, which the editor lists and a manager may bring back (the
 * live ones are bounded by MENU_CATEGORIES_MAX, MENU_ITEMS_MAX and ITEM_OPTIONS_MAX): a menu
 * changed over years, not a list without end. */
export const MENU_CATEGORIES_KEPT_MAX = 2 * MENU_CATEGORIES_MAX;
export const MENU_ITEMS_KEPT_MAX = 2 * MENU_ITEMS_MAX;
export const ITEM_OPTIONS_KEPT_MAX = 2 * ITEM_OPTIONS_MAX;
/** The JSON of the largest record: three names of MENU_NAME_LENGTH_MAX, each character escaped
 * at worst to two ("\\\""), and the fields around them. */
const RECORD_CHARS_MAX = 3 * (2 * MENU_NAME_LENGTH_MAX + 8) + 2 * MENU_ID_LENGTH_MAX + 120;
if (RECORD_CHARS_MAX > TEXT_LENGTH_MAX)
  throw new Error('assertion failed: a menu record may not fit one config value (TEXT_LENGTH_MAX)');
if ('menu.option.'.length + 2 * MENU_ID_LENGTH_MAX + 1 > ID_LENGTH_MAX)
  throw new Error("assertion failed: a menu option's config key may not fit ID_LENGTH_MAX");
