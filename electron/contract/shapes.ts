// The schemas' building blocks, shared by every domain's calls: ids, money, times, bounded
// text, the staff token and ids, and the call entry itself. Every string and number the host
// accepts is bounded here, once.
import { z } from 'zod';
import type { ApiErrorDetails } from './errors.js';
import {
  AMOUNT_MINOR_MAX,
  ENTRY_KINDS,
  ID_LENGTH_MAX,
  LANGUAGES,
  PAYMENT_METHODS,
  SETTLEMENT_STATUSES,
  TEXT_LENGTH_MAX,
} from './constants.js';

/** One call of the API: its channel (the wire name on both transports), the schemas of its
 * request and its answer, and how long the caller waits for it. */
export interface CallSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  channel: string;
  request: Req;
  response: Res;
  timeout_ms: number;
}
/** Writes a call entry with its schemas' types kept. */
export const call = <Req extends z.ZodType, Res extends z.ZodType>(spec: CallSpec<Req, Res>): CallSpec<Req, Res> =>
  spec;

export const id = z
  .string()
  .min(1)
  .max(ID_LENGTH_MAX)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]*$/, 'letters, digits and ._:@-');
export const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code');
export const minor = z.number().int().min(0).max(AMOUNT_MINOR_MAX);
export const signedMinor = z.number().int().min(-AMOUNT_MINOR_MAX).max(AMOUNT_MINOR_MAX);
export const timeMs = z.number().int().min(0).max(8_000_000_000_000);
/** A lone UTF-16 surrogate: half of a character, which JSON carries ("\ud800") but which is not
 * text. RFC 8785 canonicalisation (the ledger's) and UTF-8 refuse it, so a field holding one
 * would fail later, deep inside a signed append, as an internal error. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const isWellFormedText = (s: string): boolean => !LONE_SURROGATE.test(s);

/** Every free-text field of the contract (notes, names, reasons, queries, details): at most
 * `maxChars` UTF-16 units, optionally trimmed and at least `minChars`, and well-formed text, so
 * that a lone surrogate is refused at the edge (API_BAD_REQUEST) and never reaches the ledger's
 * canonical bytes, the logs or the settlement server. */
export function freeText(maxChars: number, o: { minChars?: number; trim?: boolean } = {}) {
  let s = z.string();
  if (o.trim) s = s.trim();
  if (o.minChars !== undefined) s = s.min(o.minChars);
  return s.max(maxChars).refine(isWellFormedText, 'not well-formed text (a lone UTF-16 surrogate)');
}

export const text = freeText(TEXT_LENGTH_MAX);
export const lang = z.enum(LANGUAGES);
export const count = z.number().int().min(0);
export const seq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
export const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
export const businessDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
/** A reason a person gives (a refund's, a deletion's): required, trimmed. */
export const reason = freeText(TEXT_LENGTH_MAX, { trim: true, minChars: 1 });
export const phoneLast4 = z.string().regex(/^\d{4}$/);
/** Who did something, as the ledger records it ("manager:ana"). */
export const actor = freeText(ID_LENGTH_MAX);
export const entryKind = z.enum(ENTRY_KINDS);
export const paymentMethod = z.enum(PAYMENT_METHODS);
export const settlementStatus = z.enum(SETTLEMENT_STATUSES);

/** A staff sign-in's token (base64url of 32 random bytes); only the host's hash of it is kept. */
export const staffToken = z
  .string()
  .min(16)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/, 'a session token');
export const staffId = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits and ._-');
export const role = z.enum(['cashier', 'manager']);
export const pin = z.string().regex(/^\d{4,8}$/, '4 to 8 digits');
export const configValue = z.union([freeText(TEXT_LENGTH_MAX), z.number().int(), z.boolean()]);

export const Localised = z.object({ en: text, de: text, zh: text });

/** errors.ts's ApiErrorDetails, bounded: the host's own error details are checked against it. */
export const ApiErrorDetailsSchema = z
  .object({
    field: z.string().max(200),
    tries_left: z.number().int().min(0).max(100),
    locked_until_ms: timeMs,
    locked_for_ms: z
      .number()
      .int()
      .min(0)
      .max(24 * 3_600_000),
    retry_after_ms: z.number().int().min(0).max(3_600_000),
  })
  .partial()
  .strict();
// The schema and errors.ts's interface describe the same shape: a change to one alone fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const detailsMatch: Same<z.infer<typeof ApiErrorDetailsSchema>, ApiErrorDetails> = true;
void detailsMatch;
