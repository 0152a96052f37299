// Typed ledger errors: a code that names the layer and the fault, and a message that says
// what was expected and what arrived. Runs anywhere.

export type LedgerErrorCode =
  | 'LEDGER_ENTRY_INVALID'
  | 'LEDGER_NOT_CANONICAL'
  | 'LEDGER_ENTRY_TOO_LARGE'
  | 'LEDGER_SEQ_GAP'
  | 'LEDGER_CHAIN_BROKEN'
  | 'LEDGER_BAD_SIGNATURE'
  | 'LEDGER_KIOSK_MISMATCH'
  | 'LEDGER_CLOCK_BACKWARDS'
  | 'LEDGER_UNKNOWN_PAYMENT'
  | 'LEDGER_CURRENCY_MISMATCH'
  | 'LEDGER_REFUND_EXCEEDS_PAYMENT'
  | 'LEDGER_DUPLICATE_PAYMENT'
  | 'LEDGER_BAD_AMOUNTS'
  | 'LEDGER_PART_EXCEEDS_SALE'
  | 'LEDGER_REFUND_EXCEEDS_SOLD'
  | 'LEDGER_SHIFT_OPEN'
  | 'LEDGER_SHIFT_NOT_OPEN'
  | 'LEDGER_BAD_SHIFT_CLOSE'
  | 'LEDGER_BAD_DAY_CLOSE'
  | 'LEDGER_BAD_MERKLE_ROOT'
  | 'LEDGER_ROW_MISMATCH'
  | 'LEDGER_WRONG_KEY'
  | 'LEDGER_FILE_MISSING'
  | 'LEDGER_FILE_CORRUPT'
  | 'LEDGER_SCHEMA_TOO_NEW'
  | 'LEDGER_KEY_FILE'
  | 'LEDGER_EXPORT_RANGE'
  | 'LEDGER_FISCAL_MISMATCH';

export class LedgerError extends Error {
  readonly code: LedgerErrorCode;
  /** The entry the fault was found at, when there is one. */
  readonly seq: number | undefined;

  constructor(code: LedgerErrorCode, message: string, seq?: number) {
    super(message);
    this.name = 'LedgerError';
    this.code = code;
    this.seq = seq;
  }
}

/** A programmer error: our own code broke an invariant. Stops the payment path. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}
