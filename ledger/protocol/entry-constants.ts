// The ledger entry's versions, kinds, methods and bounds: values only, so that every module of
// the entry (entry.ts, entry-v1.ts, entry-v2.ts) can import them without a cycle. Runs anywhere.

/** The first format; still what entries of unchanged kinds and bodies are written in. */
export const ENTRY_VERSION = 1;
/** The format of sales, per-rate reversals and day closes, and shifts. */
export const ENTRY_VERSION_SALES = 2;
export type EntryVersion = typeof ENTRY_VERSION | typeof ENTRY_VERSION_SALES;
/**
 * Canonical bytes of one entry, at most. A v2 payment carries its sale: 50 lines with eight
 * options each, their names and 20 discounts with reasons fit (test/ledger/sale-entry.test.ts
 * signs the largest one). Sync batches are cut by bytes as well as by count (wire/limits.ts).
 */
export const ENTRY_BYTES_MAX = 128 * 1024;
export const HASH_HEX_LENGTH = 64;
export const GENESIS_PREV_HASH = '0'.repeat(HASH_HEX_LENGTH);
/** Entries are dated between 2020 and 2200: anything else is a broken clock or a forgery. */
export const CREATED_AT_MS_MIN = Date.UTC(2020, 0, 1);
export const CREATED_AT_MS_MAX = Date.UTC(2200, 0, 1);
/** A day close carries one total per currency the kiosk took that day. */
export const DAY_TOTALS_MAX = 16;

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
/** Kinds that exist only in v2. */
export const V2_KINDS: readonly EntryKind[] = ['shift_open', 'cash_move', 'shift_close'];
export const PAYMENT_METHODS = ['face', 'cash', 'card'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
