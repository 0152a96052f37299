// The ledger entry: its shape, its bounds, and the check that a decoded value is one.
// Every field that is signed is snake_case. Runs anywhere.
//
//   {v, kiosk_id, seq, prev_hash, kind, created_at_ms, body}
//
// seq is gapless per kiosk from 1; prev_hash is the entry_hash of seq - 1 (all zeros for
// seq 1); money is amount_minor + ISO 4217 currency.
//
// Versions. v1 is the format the kiosk first signed, kept byte for byte: every v1 entry ever
// written still parses and verifies. v2 carries what was sold and the till's cash: a payment
// with its sale (lines, tax rates, discounts, totals per rate) or naming the payment that
// carries it (a split bill's later parts), its tip and what it pays per rate; a refund or void
// with what it takes back per rate (a refund by item names the lines); a day close with its
// totals per rate, tips and cash; and the shift kinds (shift_open, cash_move, shift_close). An
// entry is v2 when its kind or body needs it (versionFor); everything else stays v1.

import { LedgerError } from './errors.js';
import { Fields, isPlainObject, type ConfigValue } from './entry-fields.js';
import { checkBodyV1, type V1Kind } from './entry-v1.js';
import type { ItemTake } from './portion.js';
import type { RateTotal, Sale } from './sale.js';
import { checkBodyV2, isV2Body } from './entry-v2.js';

export { ID_LENGTH_MAX, TEXT_LENGTH_MAX, type ConfigValue } from './entry-fields.js';

export * from './entry-constants.js';
import {
  ENTRY_VERSION,
  ENTRY_VERSION_SALES,
  ENTRY_KINDS,
  V2_KINDS,
  CREATED_AT_MS_MIN,
  CREATED_AT_MS_MAX,
  type EntryKind,
  type EntryVersion,
  type PaymentMethod,
} from './entry-constants.js';

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
  // ---- v2 ----
  /** The tip inside amount_minor (0 for none); untaxed. */
  tip_minor?: number;
  /** The order's sale, on the payment that pays it first (all of it, or a split bill's first part). */
  sale?: Sale;
  /** A split bill's later part: the seq of the payment that carries the sale. */
  sale_seq?: number;
  /** A part by items: the sale's lines (and units) it pays for. */
  items?: ItemTake[];
  /** What this payment pays of the sale, per rate (its gross sums to amount_minor - tip_minor). */
  by_rate?: RateTotal[];
  /** Made in training mode: no money changed hands; left out of every total (v2; absent otherwise). */
  training?: true;
}

/** A refund returns part or all of a payment; a void cancels what is left of it. */
export interface ReversalBody {
  payment_seq: number;
  amount_minor: number;
  currency: string;
  reason: string;
  approved_by: string;
  // ---- v2 ----
  /** A refund by item: the lines (and units) of the payment's sale it takes back. */
  items?: ItemTake[];
  /** What it takes back per rate ([] for a payment without a sale). */
  by_rate?: RateTotal[];
  /** The part of amount_minor that is tip given back. */
  tip_minor?: number;
  /** Reverses a training payment (and is one): left out of every total (v2). */
  training?: true;
}

export interface DayTotal {
  currency: string;
  payment_count: number;
  gross_minor: number;
  refunds_minor: number;
  voids_minor: number;
  net_minor: number;
  // ---- v2 ----
  /** Tips of the payments less tips given back. */
  tips_minor?: number;
  /** Money of entries without per-rate amounts (v1 payments, and refunds of them). */
  unrated_minor?: number;
}

/** A day's takings per rate: payments less refunds and voids (v2 day close). */
export interface DayRateTotal extends RateTotal {
  currency: string;
}

/** A day's cash, per currency: the shifts closed in it, and cash taken outside any shift. */
export interface DayCash {
  currency: string;
  shifts: number;
  float_minor: number;
  cash_sales_minor: number;
  cash_refunds_minor: number;
  pay_ins_minor: number;
  pay_outs_minor: number;
  expected_minor: number;
  counted_minor: number;
  variance_minor: number;
  /** Cash payments less cash refunds while no shift was open. */
  outside_shifts_minor: number;
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
  // ---- v2 ----
  by_rate?: DayRateTotal[];
  cash?: DayCash[];
}

export interface KeyRotationBody {
  new_public_key: string;
  reason: string;
}

export interface ConfigBody {
  key: string;
  value: ConfigValue;
  previous?: ConfigValue;
  changed_by: string;
  reason?: string;
}

/** A cashier opens the drawer with a float (v2). */
export interface ShiftOpenBody {
  opened_by: string;
  currency: string;
  float_minor: number;
}

/** Cash into (a pay-in) or out of (a pay-out) the drawer of the open shift, with why (v2). */
export interface CashMoveBody {
  shift_seq: number;
  direction: 'in' | 'out';
  amount_minor: number;
  currency: string;
  reason: string;
  by: string;
}

export interface CashCount {
  denomination_minor: number;
  count: number;
}

/** The shift's close: what the drawer should hold, what was counted, the variance (v2). */
export interface ShiftCloseBody {
  shift_seq: number;
  closed_by: string;
  currency: string;
  float_minor: number;
  /** Cash payments during the shift, tips included. */
  cash_sales_minor: number;
  /** Refunds and voids of cash payments during the shift. */
  cash_refunds_minor: number;
  pay_ins_minor: number;
  pay_outs_minor: number;
  /** Tips of every payment during the shift, whatever its method. */
  tips_minor: number;
  expected_minor: number;
  counted: CashCount[];
  counted_minor: number;
  /** counted - expected: negative when cash is missing. */
  variance_minor: number;
}

export interface BodyByKind {
  payment: PaymentBody;
  refund: ReversalBody;
  void: ReversalBody;
  day_close: DayCloseBody;
  key_rotation: KeyRotationBody;
  config: ConfigBody;
  shift_open: ShiftOpenBody;
  cash_move: CashMoveBody;
  shift_close: ShiftCloseBody;
}

export interface EntryOf<K extends EntryKind> {
  v: EntryVersion;
  kiosk_id: string;
  seq: number;
  prev_hash: string;
  kind: K;
  created_at_ms: number;
  body: BodyByKind[K];
}

/** An entry of any kind, discriminated by `kind`. */
export type Entry = { [K in EntryKind]: EntryOf<K> }[EntryKind];

/** Checks that a decoded value is a well-formed entry; throws LEDGER_ENTRY_INVALID naming the field. */
export function parseEntry(value: unknown): Entry {
  if (!isPlainObject(value)) throw new LedgerError('LEDGER_ENTRY_INVALID', 'entry: expected an object');
  const seqGuess = typeof value.seq === 'number' ? value.seq : undefined;
  const f = new Fields(value, 'entry', seqGuess);
  f.only(['v', 'kiosk_id', 'seq', 'prev_hash', 'kind', 'created_at_ms', 'body']);
  const v = f.int('v', ENTRY_VERSION, ENTRY_VERSION_SALES);
  f.id('kiosk_id');
  f.int('seq', 1, Number.MAX_SAFE_INTEGER);
  f.hex64('prev_hash');
  const kind = f.oneOf('kind', ENTRY_KINDS);
  f.int('created_at_ms', CREATED_AT_MS_MIN, CREATED_AT_MS_MAX);
  const body = new Fields(f.object('body'), 'entry.body', seqGuess);
  if (v === ENTRY_VERSION_SALES) checkBodyV2(kind, body);
  else {
    if (V2_KINDS.includes(kind)) f.fail('v', `${ENTRY_VERSION_SALES} for a ${kind} entry`);
    checkBodyV1[kind as V1Kind](body);
  }
  return value as unknown as Entry;
}

/** The version an entry of `kind` with `body` is written in: v2 when its kind or body needs it. */
export function versionFor(kind: EntryKind, body: object): EntryVersion {
  return V2_KINDS.includes(kind) || isV2Body(kind, body) ? ENTRY_VERSION_SALES : ENTRY_VERSION;
}

/** Whether a payment, refund or void was made in training mode: it moves no money and is in no total. */
export function isTrainingEntry(e: Entry): boolean {
  return (e.kind === 'payment' || e.kind === 'refund' || e.kind === 'void') && e.body.training === true;
}
