// Every bound of the settlement protocol, in one place, with the relations between them
// asserted where they are defined. Shared by the server and the kiosk's sync client.

import { ENTRY_BYTES_MAX } from '../protocol/entry.js';
import { assert } from '../protocol/errors.js';

/** Entries in one upload: one database transaction, one receipt batch, one Merkle tree. */
export const SYNC_BATCH_ENTRIES_MAX = 500;
/** Per entry on the wire: base64 of at most ENTRY_BYTES_MAX bytes, a hex signature, JSON punctuation. */
export const SYNC_ENTRY_WIRE_BYTES_MAX = Math.ceil(ENTRY_BYTES_MAX / 3) * 4 + 128 + 64;
/** A request body, at most: a full batch fits, anything larger is refused with 413. */
export const SYNC_BODY_BYTES_MAX = 4 * 1024 * 1024;
assert(SYNC_BATCH_ENTRIES_MAX * SYNC_ENTRY_WIRE_BYTES_MAX <= SYNC_BODY_BYTES_MAX, 'a full sync batch fits in one body');

/**
 * Uploads a server works on at once; more are answered 503 (the kiosk backs off and
 * retries). Bounds the memory of decoded batches and the verify threads' queue.
 */
export const UPLOADS_IN_FLIGHT_MAX = 64;

/** A signed request is accepted this long after (or before, for clock skew) its timestamp. */
export const REQUEST_AGE_MS_MAX = 5 * 60_000;
/** Nonces are remembered for longer than a request stays acceptable, so a replay is always caught. */
export const REQUEST_NONCE_RETAIN_MS = 2 * REQUEST_AGE_MS_MAX;
assert(REQUEST_NONCE_RETAIN_MS > 2 * REQUEST_AGE_MS_MAX - 1, 'a nonce outlives the window of its request');
export const NONCE_HEX_LENGTH = 32;

/** Feed items in one answer; the kiosk pages with the cursor. */
export const FEED_ITEMS_MAX = 200;
/** One customer's templates, sealed: up to 16 descriptors of 128 float32, plus a header. */
export const TEMPLATES_PLAIN_BYTES_MAX = 16 * 128 * 4 + 256;
export const TEMPLATES_SEALED_BYTES_MAX = TEMPLATES_PLAIN_BYTES_MAX + 64;
assert(
  FEED_ITEMS_MAX * (TEMPLATES_SEALED_BYTES_MAX * 2) <= 16 * 1024 * 1024,
  'a feed page of enrolments stays under 16 MiB',
);

/** Time the kiosk waits for any one HTTP call. */
export const SYNC_HTTP_TIMEOUT_MS = 15_000;
/** Retries back off from the base to the cap, with full jitter. */
export const SYNC_RETRY_BASE_MS = 250;
export const SYNC_RETRY_CAP_MS = 30_000;
assert(SYNC_RETRY_BASE_MS < SYNC_RETRY_CAP_MS, 'backoff grows from base to cap');

/** Offline limits a kiosk uses until the server sends its own (minor units of a 2-decimal currency). */
export const OFFLINE_PAYMENT_MINOR_MAX_DEFAULT = 5_000;
export const OFFLINE_CUSTOMER_DAY_MINOR_MAX_DEFAULT = 10_000;
/** Square's rule: offline payments must reach the server within 24 hours. */
export const OFFLINE_UNSYNCED_AGE_MS_MAX = 24 * 60 * 60_000;
assert(OFFLINE_PAYMENT_MINOR_MAX_DEFAULT <= OFFLINE_CUSTOMER_DAY_MINOR_MAX_DEFAULT, 'one payment fits in a day');

/** Names, reasons and consent texts on the server. */
export const REASON_LENGTH_MAX = 500;
