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
 * What the other routes read at most, each checked before a byte of the body is read: an
 * enrolment is one customer's sealed templates (base64) and a consent record whose texts
 * may arrive \u-escaped (6 bytes a character); a registration, a deletion and a freeze are
 * a few ids and one reason.
 */
export const ENROL_BODY_BYTES_MAX = 32 * 1024;
export const SMALL_BODY_BYTES_MAX = 4 * 1024;

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
assert(
  Math.ceil(TEMPLATES_SEALED_BYTES_MAX / 3) * 4 + 2 * 6 * REASON_LENGTH_MAX + 1024 <= ENROL_BODY_BYTES_MAX,
  'an enrolment with its longest texts, escaped, fits its body limit',
);
assert(6 * REASON_LENGTH_MAX + 1024 <= SMALL_BODY_BYTES_MAX, 'a freeze or deletion with its longest reason fits');

/**
 * Anonymous receipt lookups one client (by address) may make: a burst, then a steady rate.
 * A receipt holder looks once or twice; a flood costs the server database reads. Counted
 * per server process, on purpose: the limit protects that process's own work, and entry
 * hashes cannot be walked, so nothing depends on the servers agreeing on the count.
 */
export const LOOKUP_BURST_MAX = 30;
export const LOOKUP_PER_S = 10;
/** All clients together, per process: the lookups one process serves at most per second. */
export const LOOKUP_ALL_PER_S = 500;
assert(LOOKUP_PER_S <= LOOKUP_BURST_MAX && LOOKUP_BURST_MAX <= LOOKUP_ALL_PER_S, 'one client gets less than all');
/** Clients whose buckets are kept; past it the least recently seen are forgotten (a forgotten one starts full). */
export const LOOKUP_CLIENTS_TRACKED_MAX = 10_000;
/**
 * Closed days whose Merkle trees the lookup keeps (a closed day's entries never change, so a
 * kept tree is right in every process), bounded by leaves too: two 32-byte hashes a leaf.
 */
export const LOOKUP_TREES_CACHED_MAX = 256;
export const LOOKUP_TREE_LEAVES_CACHED_MAX = 1_000_000;

/** How often a server deletes nonces past their retention (off the request path). */
export const NONCE_PRUNE_INTERVAL_MS = 60_000;
assert(NONCE_PRUNE_INTERVAL_MS < REQUEST_NONCE_RETAIN_MS, 'the nonce table holds about one retention window');
