// The rules an entry must keep to follow the ones before it: one kiosk, gapless seq, the
// hash chain, the signer's key, refunds and voids within their payment, one payment per
// payment_id, and a day close whose count, totals and Merkle root match the entries it
// closes; for v2 entries also what was sold (rules-sale.ts: a sale priced as signed, parts
// within it, refunds by item within what was sold) and the till's cash (rules-shift.ts). The store checks them before every insert, `verify` on every read, and the
// settlement server on every upload, each with its own way of looking up earlier entries
// (the ChainContext). Signatures are checked by the caller (they need Node or noble).
// Runs anywhere.

import type { DayTotal, Entry, PaymentMethod } from './entry.js';
import { ENTRY_VERSION_SALES, GENESIS_PREV_HASH, isTrainingEntry } from './entry.js';
import { checkPaymentV2, checkReversalV2, type SaleContext } from './rules-sale.js';
import { checkShiftEntry, dayTotalsV2, type ShiftContext } from './rules-shift.js';
import { LedgerError } from './errors.js';
import { fromHex, toHex } from './hex.js';
import { defaultMerkle, type Merkle } from './merkle.js';
import { canonicalize } from './canonical.js';

/** What a chain looks like after its last entry; the chain before seq 1 is `genesisTip`. */
export interface ChainTip {
  kiosk_id: string;
  seq: number;
  entry_hash: string;
  /** The key the next entry must be signed with, hex. */
  public_key: string;
}

export function genesisTip(kioskId: string, publicKeyHex: string): ChainTip {
  return { kiosk_id: kioskId, seq: 0, entry_hash: GENESIS_PREV_HASH, public_key: publicKeyHex };
}

export interface PaymentState {
  amount_minor: number;
  currency: string;
  /** Refunded plus voided so far. */
  reversed_minor: number;
  voided: boolean;
  method: PaymentMethod;
  /** The seq of the payment that carries its sale (its own for the first part); null without one (v1). */
  sale_seq: number | null;
  /** Made in training mode: its refunds and void must be too, and a real payment's must not. */
  training: boolean;
}

/** The PaymentState a payment entry starts with. */
export function paymentStateOf(e: Extract<Entry, { kind: 'payment' }>): PaymentState {
  const b = e.body;
  return {
    amount_minor: b.amount_minor,
    currency: b.currency,
    reversed_minor: 0,
    voided: false,
    method: b.method,
    sale_seq: b.sale !== undefined ? e.seq : (b.sale_seq ?? null),
    training: b.training === true,
  };
}

/** Day-close facts the rules need from the entries since the previous close. */
export interface OpenDay {
  /** First seq after the previous day close (1 if none). */
  first_seq: number;
  /** business_day of the previous close, or null. */
  previous_business_day: string | null;
}

export interface ChainContext extends SaleContext, ShiftContext {
  payment(seq: number): PaymentState | undefined;
  hasPaymentId(paymentId: string): boolean;
  openDay(): OpenDay;
  /** entry_hash of each entry first..last, in order. */
  entryHashes(first: number, last: number): Uint8Array[];
  /** The entries first..last, for the day's totals. */
  entries(first: number, last: number): Iterable<Entry>;
}

/**
 * Throws the LedgerError that names the first rule `entry` breaks, after `tip`. `merkle`
 * lets Node callers use their native SHA-256 for day closes.
 */
export function checkNext(entry: Entry, tip: ChainTip, ctx: ChainContext, merkle: Merkle = defaultMerkle): void {
  const seq = entry.seq;
  if (entry.kiosk_id !== tip.kiosk_id) {
    throw new LedgerError(
      'LEDGER_KIOSK_MISMATCH',
      `entry ${seq}: kiosk_id ${entry.kiosk_id} in a ledger of ${tip.kiosk_id}`,
      seq,
    );
  }
  if (seq !== tip.seq + 1) {
    throw new LedgerError('LEDGER_SEQ_GAP', `entry ${seq}: expected seq ${tip.seq + 1} after ${tip.seq}`, seq);
  }
  if (entry.prev_hash !== tip.entry_hash) {
    throw new LedgerError(
      'LEDGER_CHAIN_BROKEN',
      `entry ${seq}: prev_hash does not match the hash of entry ${tip.seq}`,
      seq,
    );
  }
  switch (entry.kind) {
    case 'payment': {
      if (ctx.hasPaymentId(entry.body.payment_id)) {
        throw new LedgerError(
          'LEDGER_DUPLICATE_PAYMENT',
          `entry ${seq}: payment_id ${entry.body.payment_id} was already paid`,
          seq,
        );
      }
      if (entry.v === ENTRY_VERSION_SALES) checkPaymentV2(entry, ctx);
      return;
    }
    case 'refund':
    case 'void': {
      const b = entry.body;
      const paid = b.payment_seq < seq ? ctx.payment(b.payment_seq) : undefined;
      if (paid === undefined) {
        throw new LedgerError(
          'LEDGER_UNKNOWN_PAYMENT',
          `entry ${seq}: ${entry.kind} of entry ${b.payment_seq}, which is not an earlier payment`,
          seq,
        );
      }
      if (paid.currency !== b.currency) {
        throw new LedgerError(
          'LEDGER_CURRENCY_MISMATCH',
          `entry ${seq}: ${entry.kind} in ${b.currency} of a payment in ${paid.currency}`,
          seq,
        );
      }
      const left = paid.amount_minor - paid.reversed_minor;
      if (b.amount_minor > left) {
        throw new LedgerError(
          'LEDGER_REFUND_EXCEEDS_PAYMENT',
          `entry ${seq}: ${entry.kind} of ${b.amount_minor} exceeds the ${left} left of payment ${b.payment_seq} (paid ${paid.amount_minor}, reversed ${paid.reversed_minor})`,
          seq,
        );
      }
      if (entry.kind === 'void' && b.amount_minor !== left) {
        throw new LedgerError(
          'LEDGER_REFUND_EXCEEDS_PAYMENT',
          `entry ${seq}: a void cancels all ${left} left of payment ${b.payment_seq}, not ${b.amount_minor}`,
          seq,
        );
      }
      if ((b.training === true) !== paid.training) {
        // Red team 3: a training refund of a real payment (or a real one of a training payment)
        // takes money off the books, or pays out money never taken.
        throw new LedgerError(
          'LEDGER_ENTRY_INVALID',
          `entry ${seq}: training of a ${entry.kind} must be its payment's (payment ${b.payment_seq} ${paid.training ? 'is' : 'is not'} training)`,
          seq,
        );
      }
      checkReversalV2(entry, paid.sale_seq, ctx);
      return;
    }
    case 'day_close':
      checkDayClose(entry, ctx, merkle);
      return;
    case 'shift_open':
    case 'cash_move':
    case 'shift_close':
      checkShiftEntry(entry, ctx);
      return;
    case 'key_rotation':
      if (entry.body.new_public_key === tip.public_key) {
        throw new LedgerError('LEDGER_ENTRY_INVALID', `entry ${seq}: key rotation to the key already in use`, seq);
      }
      return;
    case 'config':
      return;
  }
}

function checkDayClose(entry: Extract<Entry, { kind: 'day_close' }>, ctx: ChainContext, merkle: Merkle): void {
  const { seq, body: b } = entry;
  const open = ctx.openDay();
  const bad = (why: string): never => {
    throw new LedgerError('LEDGER_BAD_DAY_CLOSE', `entry ${seq}: day close ${why}`, seq);
  };
  const shift = ctx.openShift();
  if (shift !== null) bad(`while the shift opened at entry ${shift.seq} is open: close every shift first`);
  if (b.first_seq !== open.first_seq)
    bad(`starts at ${b.first_seq}, expected ${open.first_seq} (after the previous close)`);
  if (b.last_seq !== seq - 1) bad(`ends at ${b.last_seq}, expected ${seq - 1} (the entry before it)`);
  if (b.entry_count !== seq - b.first_seq) bad(`counts ${b.entry_count} entries, expected ${seq - b.first_seq}`);
  if (open.previous_business_day !== null && b.business_day <= open.previous_business_day) {
    bad(`for ${b.business_day} follows the close of ${open.previous_business_day}`);
  }
  const expected = canonicalize(
    entry.v === ENTRY_VERSION_SALES
      ? dayTotalsV2(ctx.entries(b.first_seq, b.last_seq), (s) => ctx.payment(s)?.method)
      : dayTotals(ctx.entries(b.first_seq, b.last_seq)),
  );
  const claimed = canonicalize(
    entry.v === ENTRY_VERSION_SALES ? { totals: b.totals, by_rate: b.by_rate, cash: b.cash } : b.totals,
  );
  if (claimed !== expected) bad(`totals ${claimed} do not match the entries: ${expected}`);
  const root = toHex(merkle.merkleRoot(ctx.entryHashes(b.first_seq, b.last_seq)));
  if (root !== b.merkle_root) {
    throw new LedgerError(
      'LEDGER_BAD_MERKLE_ROOT',
      `entry ${seq}: Merkle root ${b.merkle_root} of entries ${b.first_seq}..${b.last_seq} should be ${root}`,
      seq,
    );
  }
}

/** Per-currency totals of a day's entries, sorted by currency. */
export function dayTotals(entries: Iterable<Entry>): DayTotal[] {
  const byCurrency = new Map<string, DayTotal>();
  const totalFor = (currency: string): DayTotal => {
    let t = byCurrency.get(currency);
    if (t === undefined) {
      t = { currency, gross_minor: 0, net_minor: 0, payment_count: 0, refunds_minor: 0, voids_minor: 0 };
      byCurrency.set(currency, t);
    }
    return t;
  };
  for (const e of entries) {
    if (isTrainingEntry(e)) continue;
    if (e.kind === 'payment') {
      const t = totalFor(e.body.currency);
      t.payment_count += 1;
      t.gross_minor += e.body.amount_minor;
    } else if (e.kind === 'refund') {
      totalFor(e.body.currency).refunds_minor += e.body.amount_minor;
    } else if (e.kind === 'void') {
      totalFor(e.body.currency).voids_minor += e.body.amount_minor;
    }
  }
  const out = [...byCurrency.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1));
  for (const t of out) t.net_minor = t.gross_minor - t.refunds_minor - t.voids_minor;
  return out;
}

/** The key that signs the entry after `entry`. */
export function keyAfter(entry: Entry, currentKeyHex: string): string {
  return entry.kind === 'key_rotation' ? entry.body.new_public_key : currentKeyHex;
}

/** How `entry` changes the state of the payment it names, if it names one. */
export function applyToPayment(entry: Entry, paid: PaymentState): void {
  if (entry.kind === 'refund' || entry.kind === 'void') {
    paid.reversed_minor += entry.body.amount_minor;
    if (entry.kind === 'void') paid.voided = true;
  }
}

export const hashBytes = (hex: string): Uint8Array => fromHex(hex, 32);
