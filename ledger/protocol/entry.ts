// The ledger entry: its shape, its bounds, and the check that a decoded value is one.
// Every field that is signed is snake_case. Runs anywhere.
//
//   {v, kiosk_id, seq, prev_hash, kind, created_at_ms, body}
//
// seq is gapless per kiosk from 1; prev_hash is the entry_hash of seq - 1 (all zeros for
// seq 1); money is amount_minor + ISO 4217 currency.

import { amountProblem, isCurrency } from './money.js';
import { LedgerError } from './errors.js';

export const ENTRY_VERSION = 1;
/** Canonical bytes of one entry, at most. Bodies are small; this bounds every batch and body. */
export const ENTRY_BYTES_MAX = 4096;
export const HASH_HEX_LENGTH = 64;
export const GENESIS_PREV_HASH = '0'.repeat(HASH_HEX_LENGTH);
/** Free-text fields (reasons, notes) at most this many UTF-16 units. */
export const TEXT_LENGTH_MAX = 500;
/** Identifiers (kiosk, order, customer, actor) at most this many characters. */
export const ID_LENGTH_MAX = 64;
/** Entries are dated between 2020 and 2200: anything else is a broken clock or a forgery. */
export const CREATED_AT_MS_MIN = Date.UTC(2020, 0, 1);
export const CREATED_AT_MS_MAX = Date.UTC(2200, 0, 1);
/** A day close carries one total per currency the kiosk took that day. */
export const DAY_TOTALS_MAX = 16;

export const ENTRY_KINDS = ['payment', 'refund', 'void', 'day_close', 'key_rotation', 'config'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];
export const PAYMENT_METHODS = ['face', 'cash', 'card'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface PaymentBody {
  /** Made by the kiosk before the payment is attempted, so a retry cannot pay twice. */
  payment_id: string;
  order_id: string;
  amount_minor: number;
  currency: string;
  method: PaymentMethod;
  /** The matched customer: required for face payments, absent otherwise. */
  customer_id?: string;
  /** Who took a cash or card payment at the counter. */
  taken_by?: string;
  /** How the face was accepted: whether the phone-digits step-up was asked. */
  step_up?: boolean;
}

/** A refund returns part or all of a payment; a void cancels what is left of it. */
export interface ReversalBody {
  payment_seq: number;
  amount_minor: number;
  currency: string;
  reason: string;
  approved_by: string;
}

export interface DayTotal {
  currency: string;
  payment_count: number;
  gross_minor: number;
  refunds_minor: number;
  voids_minor: number;
  net_minor: number;
}

export interface DayCloseBody {
  business_day: string;
  first_seq: number;
  last_seq: number;
  entry_count: number;
  /** RFC 6962 Merkle tree head over the entry hashes first_seq..last_seq, hex. */
  merkle_root: string;
  totals: DayTotal[];
  closed_by: string;
}

export interface KeyRotationBody {
  new_public_key: string;
  reason: string;
}

export type ConfigValue = string | number | boolean;
export interface ConfigBody {
  key: string;
  value: ConfigValue;
  previous?: ConfigValue;
  changed_by: string;
  reason?: string;
}

export interface BodyByKind {
  payment: PaymentBody;
  refund: ReversalBody;
  void: ReversalBody;
  day_close: DayCloseBody;
  key_rotation: KeyRotationBody;
  config: ConfigBody;
}

export interface EntryOf<K extends EntryKind> {
  v: typeof ENTRY_VERSION;
  kiosk_id: string;
  seq: number;
  prev_hash: string;
  kind: K;
  created_at_ms: number;
  body: BodyByKind[K];
}

/** An entry of any kind, discriminated by `kind`. */
export type Entry = { [K in EntryKind]: EntryOf<K> }[EntryKind];

// ---------------------------------------------------------------------------------------
// Validation: hand-written, because verify runs it on every entry of a 100,000-entry
// ledger, and because each message must name the field, what was expected and what came.

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/;
const HEX64 = /^[0-9a-f]{64}$/;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

class Fields {
  constructor(
    private readonly record: Record<string, unknown>,
    private readonly path: string,
    private readonly seq: number | undefined,
  ) {}

  fail(field: string, expected: string): never {
    const got = this.record[field];
    const shown = got === undefined ? 'nothing' : JSON.stringify(got)?.slice(0, 80);
    throw new LedgerError(
      'LEDGER_ENTRY_INVALID',
      `${this.path}.${field}: expected ${expected}, got ${shown}`,
      this.seq,
    );
  }

  only(allowed: readonly string[]): void {
    for (const key of Object.keys(this.record)) {
      if (!allowed.includes(key)) {
        throw new LedgerError(
          'LEDGER_ENTRY_INVALID',
          `${this.path}: unexpected field ${JSON.stringify(key)}`,
          this.seq,
        );
      }
    }
  }

  id(field: string): string {
    const v = this.record[field];
    if (typeof v !== 'string' || v.length === 0 || v.length > ID_LENGTH_MAX || !ID_PATTERN.test(v)) {
      this.fail(field, `an identifier of 1..${ID_LENGTH_MAX} letters, digits or ._:@-`);
    }
    return v;
  }

  text(field: string): string {
    const v = this.record[field];
    if (typeof v !== 'string' || v.trim().length === 0 || v.length > TEXT_LENGTH_MAX) {
      this.fail(field, `a non-empty text of at most ${TEXT_LENGTH_MAX} characters`);
    }
    return v;
  }

  int(field: string, min: number, max: number): number {
    const v = this.record[field];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
      this.fail(field, `an integer in ${min}..${max}`);
    }
    return v;
  }

  hex64(field: string): string {
    const v = this.record[field];
    if (typeof v !== 'string' || !HEX64.test(v)) this.fail(field, '64 lowercase hex digits');
    return v;
  }

  amount(field: string): number {
    const problem = amountProblem(this.record[field]);
    if (problem !== null) this.fail(field, problem.replace(/, got .*$/, '').replace(/^amount_minor must be /, ''));
    return this.record[field] as number;
  }

  currency(field: string): string {
    const v = this.record[field];
    if (!isCurrency(v)) this.fail(field, 'an ISO 4217 currency code');
    return v;
  }

  oneOf<T extends string>(field: string, values: readonly T[]): T {
    const v = this.record[field];
    if (typeof v !== 'string' || !values.includes(v as T)) this.fail(field, `one of ${values.join(', ')}`);
    return v as T;
  }

  has(field: string): boolean {
    return this.record[field] !== undefined;
  }

  configValue(field: string): ConfigValue {
    const v = this.record[field];
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    if (typeof v === 'string' && v.length <= TEXT_LENGTH_MAX) return v;
    return this.fail(
      field,
      `a boolean, a safe integer or a text of at most ${TEXT_LENGTH_MAX} characters (decimals as text)`,
    );
  }

  bool(field: string): boolean {
    const v = this.record[field];
    if (typeof v !== 'boolean') this.fail(field, 'true or false');
    return v;
  }

  array(field: string, lengthMax: number): unknown[] {
    const v = this.record[field];
    if (!Array.isArray(v) || v.length > lengthMax) this.fail(field, `an array of at most ${lengthMax} items`);
    return v;
  }

  object(field: string): Record<string, unknown> {
    const v = this.record[field];
    if (!isPlainObject(v)) this.fail(field, 'an object');
    return v;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks that a decoded value is a well-formed entry; throws LEDGER_ENTRY_INVALID naming the field. */
export function parseEntry(value: unknown): Entry {
  if (!isPlainObject(value)) throw new LedgerError('LEDGER_ENTRY_INVALID', 'entry: expected an object');
  const seqGuess = typeof value.seq === 'number' ? value.seq : undefined;
  const f = new Fields(value, 'entry', seqGuess);
  f.only(['v', 'kiosk_id', 'seq', 'prev_hash', 'kind', 'created_at_ms', 'body']);
  f.int('v', ENTRY_VERSION, ENTRY_VERSION);
  f.id('kiosk_id');
  f.int('seq', 1, Number.MAX_SAFE_INTEGER);
  f.hex64('prev_hash');
  const kind = f.oneOf('kind', ENTRY_KINDS);
  f.int('created_at_ms', CREATED_AT_MS_MIN, CREATED_AT_MS_MAX);
  const body = new Fields(f.object('body'), 'entry.body', seqGuess);
  checkBody[kind](body);
  return value as unknown as Entry;
}

const checkBody: { [K in EntryKind]: (b: Fields) => void } = {
  payment(b) {
    b.only(['payment_id', 'order_id', 'amount_minor', 'currency', 'method', 'customer_id', 'taken_by', 'step_up']);
    b.id('payment_id');
    b.id('order_id');
    b.amount('amount_minor');
    b.currency('currency');
    const method = b.oneOf('method', PAYMENT_METHODS);
    if (method === 'face') {
      b.id('customer_id');
      if (b.has('taken_by')) b.fail('taken_by', 'nothing on a face payment');
    } else {
      if (b.has('customer_id')) b.fail('customer_id', `nothing on a ${method} payment`);
      b.id('taken_by');
    }
    if (b.has('step_up')) b.bool('step_up');
  },
  refund: reversal,
  void: reversal,
  day_close(b) {
    b.only(['business_day', 'first_seq', 'last_seq', 'entry_count', 'merkle_root', 'totals', 'closed_by']);
    const day = b.text('business_day');
    if (!DAY_PATTERN.test(day) || Number.isNaN(Date.parse(day + 'T00:00:00Z')))
      b.fail('business_day', 'a date YYYY-MM-DD');
    b.int('first_seq', 1, Number.MAX_SAFE_INTEGER);
    b.int('last_seq', 0, Number.MAX_SAFE_INTEGER);
    b.int('entry_count', 0, Number.MAX_SAFE_INTEGER);
    b.hex64('merkle_root');
    b.id('closed_by');
    b.array('totals', DAY_TOTALS_MAX).forEach((t, i) => {
      if (!isPlainObject(t)) return b.fail('totals', 'objects');
      const tf = new Fields(t, `entry.body.totals[${i}]`, undefined);
      tf.only(['currency', 'payment_count', 'gross_minor', 'refunds_minor', 'voids_minor', 'net_minor']);
      tf.currency('currency');
      tf.int('payment_count', 0, Number.MAX_SAFE_INTEGER);
      tf.int('gross_minor', 0, Number.MAX_SAFE_INTEGER);
      tf.int('refunds_minor', 0, Number.MAX_SAFE_INTEGER);
      tf.int('voids_minor', 0, Number.MAX_SAFE_INTEGER);
      tf.int('net_minor', -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    });
  },
  key_rotation(b) {
    b.only(['new_public_key', 'reason']);
    b.hex64('new_public_key');
    b.text('reason');
  },
  config(b) {
    b.only(['key', 'value', 'previous', 'changed_by', 'reason']);
    b.id('key');
    b.configValue('value');
    if (b.has('previous')) b.configValue('previous');
    b.id('changed_by');
    if (b.has('reason')) b.text('reason');
  },
};

function reversal(b: Fields): void {
  b.only(['payment_seq', 'amount_minor', 'currency', 'reason', 'approved_by']);
  b.int('payment_seq', 1, Number.MAX_SAFE_INTEGER);
  b.amount('amount_minor');
  b.currency('currency');
  b.text('reason');
  b.id('approved_by');
}
