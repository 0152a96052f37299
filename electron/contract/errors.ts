// The error side of every answer: the codes the host answers with, and the envelope both
// transports carry, `{ok: true, value} | {ok: false, error: {code, message, details?}}`.
// Electron passes only an Error's message across IPC, so codes travel as data, never as thrown
// errors. Structured values a screen shows (tries left, when a lock-out ends) travel in
// `details`, so that no screen reads numbers out of an English message. No zod here: the
// renderer may import this at run time.

/** Codes the host answers with. FACE_* and OFFLINE_* come from the face decision and the
 * offline limits; the renderer maps each to a message in the customer's language. */
export const API_ERROR_CODES = [
  'API_BAD_REQUEST',
  'API_UNKNOWN_CHANNEL',
  'API_TIMEOUT',
  'API_SENDER_REFUSED',
  'API_TOO_LARGE',
  'API_INTERNAL',
  // One client's calls of a kind faster than people make them (transport/client-limits.ts).
  'API_RATE_LIMITED',
  'ORDER_NOT_FOUND',
  'ORDER_NOT_OPEN',
  // The bill changed between "Smile to pay" and the face's match: nothing is paid (payment/service.ts).
  'ORDER_CHANGED',
  'ORDER_EMPTY',
  'MENU_ITEM_UNKNOWN',
  'MENU_OPTION_UNKNOWN',
  // The menu editor and the 86 (menu/menu-book.ts): each names the field and what it expected.
  'MENU_ITEM_OUT_OF_STOCK',
  'MENU_ITEM_RETIRED',
  'MENU_CATEGORY_UNKNOWN',
  'MENU_CATEGORY_RETIRED',
  'MENU_CATEGORY_IN_USE',
  'MENU_ID_INVALID',
  'MENU_ID_TAKEN',
  'MENU_NAME_INVALID',
  'MENU_PRICE_INVALID',
  'MENU_TOO_LARGE',
  'MENU_UNCHANGED',
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
  // A manager whose PIN predates the 6-digit rule: a PIN change before a manager's work.
  'STAFF_PIN_CHANGE_REQUIRED',
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
  // A restaurant's money: VAT, discounts, tips, split bills, refunds by item, shifts and cash.
  'TAX_CATEGORY_UNKNOWN',
  'TAX_RATE_UNKNOWN',
  'TAX_RATE_INVALID',
  'DISCOUNT_INVALID',
  'DISCOUNT_EXCEEDS_LINE',
  'DISCOUNT_EXCEEDS_ORDER',
  'ORDER_PARTLY_PAID',
  'TIP_INVALID',
  'SPLIT_INVALID',
  'SPLIT_EXCEEDS_DUE',
  'REFUND_EXCEEDS_SOLD',
  'REFUND_NOT_BY_ITEM',
  'SHIFT_ALREADY_OPEN',
  'SHIFT_NOT_OPEN',
  'CASH_DENOMINATION_UNKNOWN',
  'CASH_PAYOUT_EXCEEDS_DRAWER',
  // A pay-in or pay-out that takes the shift's figures past what its close can sign.
  'CASH_MOVE_TOO_LARGE',
  'DAY_SHIFT_OPEN',
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
  // Printers and the drawer (host/printing): the queue at its bound, a printer or a job to print
  // that is not there, a printer set-up refused (a second receipt printer, a device path outside
  // the allowed ones).
  'PRINT_QUEUE_FULL',
  'PRINTER_UNKNOWN',
  'PRINTER_INVALID',
  'PRINT_NOTHING',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** Values an error carries for the screen to show in its own language (each optional; which
 * codes carry which is said beside it). */
export interface ApiErrorDetails {
  /** API_BAD_REQUEST: the request's first field that failed its schema, as a dotted path
   * ("lines.0.quantity"; "request" for the request as a whole). */
  field?: string;
  /** STAFF_PIN_WRONG: wrong PINs left before the member is locked out. */
  tries_left?: number;
  /** STAFF_LOCKED: when the lock-out ends, on the host's clock (ms since the epoch). */
  locked_until_ms?: number;
  /** STAFF_LOCKED: how long the lock-out still lasts, counted when the host answered (for a
   * screen on another device, whose clock may differ from the host's). */
  locked_for_ms?: number;
  /** API_RATE_LIMITED: how long until this client may make such a call again. */
  retry_after_ms?: number;
}

export interface ApiError {
  code: string;
  message: string;
  details?: ApiErrorDetails;
}
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };
