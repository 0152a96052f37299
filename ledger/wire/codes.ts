// Error codes of the settlement server, each naming the layer and the fault, and the HTTP
// status each answers with. Decline reasons are codes too: they travel in receipts.

export const SETTLE_ERROR_STATUS = {
  SETTLE_BAD_JSON: 400,
  SETTLE_BAD_REQUEST: 400,
  SETTLE_UNSUPPORTED_MEDIA: 415,
  SETTLE_BODY_TOO_LARGE: 413,
  SETTLE_UNAUTHENTICATED: 401,
  SETTLE_BAD_SIGNATURE: 401,
  SETTLE_REQUEST_STALE: 401,
  SETTLE_REQUEST_REPLAYED: 409,
  SETTLE_UNKNOWN_KIOSK: 401,
  SETTLE_BAD_TOKEN: 401,
  SETTLE_KIOSK_EXISTS: 409,
  SETTLE_BATCH_NOT_CONSECUTIVE: 400,
  SETTLE_FORK_DETECTED: 409,
  SETTLE_ENTRY_REJECTED: 422,
  SETTLE_NOT_FOUND: 404,
  SETTLE_CONFLICT: 409,
  SETTLE_BAD_TEMPLATES: 422,
  SETTLE_BAD_FREEZE: 422,
  SETTLE_NOT_ALLOWED: 403,
  SETTLE_ROUTE_NOT_FOUND: 404,
  SETTLE_RATE_LIMITED: 429,
  SETTLE_INTERNAL: 500,
  SETTLE_BUSY: 503,
} as const;

export type SettleErrorCode = keyof typeof SETTLE_ERROR_STATUS;

/** Why a well-formed, verified entry did not move money; the receipt says so. */
export const DECLINE_REASONS = [
  'SETTLE_INSUFFICIENT_FUNDS',
  'SETTLE_ACCOUNT_FROZEN',
  'SETTLE_PAYMENT_FROZEN',
  /** No such customer for the uploading kiosk's merchant (another merchant's customer reads the same). */
  'SETTLE_UNKNOWN_CUSTOMER',
  /** The merchant's customer, but no longer active (deleted on request). */
  'SETTLE_CUSTOMER_INACTIVE',
  'SETTLE_CURRENCY_MISMATCH',
  'SETTLE_PAYMENT_NOT_SETTLED',
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

/** The body of every error answer. */
export interface ErrorBody {
  error: { code: string; message: string };
}
