// A payment's receipt, read back from the signed ledger entry: the amount, the customer's
// initials, whether the phone digits were asked, the server's settlement of it so far, and the
// settlement server's public lookup for the entry (the receipt's QR code).
//
// Who may read one: the customer screen whose session made the payment (the session id is a
// random capability only that screen holds), for RECEIPT_SESSION_TTL_MS after it, or signed-in
// staff. A seq alone is no longer enough: seqs are consecutive, and walking them read every
// payment's amount, time and the customer's initials. A session asking for another seq is told
// RECEIPT_NOT_FOUND, exactly as for a seq that does not exist.
import type { RequestOf, ResponseOf } from '../../contract/api.js';
import type { LedgerStore } from '../../../ledger/store/store.js';
import type { KioskState } from '../../../ledger/sync/kiosk-state.js';
import { ApiFault } from '../fault.js';
import type { DomainService } from '../transport/routes.js';
import { initialsOf } from './customers.js';
import type { CustomerLookup } from './lookup.js';
import type { StaffDirectory } from '../staff/directory.js';

export interface ReceiptParts {
  store: LedgerStore;
  state: KioskState;
  lookup: CustomerLookup;
  staff: Pick<StaffDirectory, 'require'>;
  settlementUrl: () => string | null;
  now?: () => number;
}

/** How long a customer screen may read its own payment's receipt again (the receipt screen, and
 * its settlement status as the server answers): longer than anyone stands at the kiosk. */
export const RECEIPT_SESSION_TTL_MS = 15 * 60_000;
/** Payments' sessions remembered for that, at most (a busy kiosk pays one a minute); the
 * oldest are forgotten first. */
export const RECEIPT_SESSIONS_MAX = 64;

export class ReceiptService implements DomainService<'receipts'> {
  private readonly now: () => number;
  /** Session id -> the payment it made, and when. */
  private readonly issued = new Map<string, { seq: number; at_ms: number }>();

  constructor(private readonly p: ReceiptParts) {
    this.now = p.now ?? Date.now;
  }

  /** The receipt of a payment a customer session just made; its screen may read it again. */
  issue(sessionId: string, seq: number): ResponseOf<'receipt'> {
    this.issued.delete(sessionId);
    this.issued.set(sessionId, { seq, at_ms: this.now() });
    while (this.issued.size > RECEIPT_SESSIONS_MAX) this.issued.delete(this.issued.keys().next().value!);
    return this.receiptOf(seq);
  }

  receipt(req: RequestOf<'receipt'>): ResponseOf<'receipt'> {
    if (req.token !== undefined) {
      this.p.staff.require(req.token, 'cashier');
      return this.receiptOf(req.seq);
    }
    const own = req.session_id === undefined ? undefined : this.issued.get(req.session_id);
    if (own === undefined || own.seq !== req.seq || this.now() - own.at_ms > RECEIPT_SESSION_TTL_MS)
      throw new ApiFault('RECEIPT_NOT_FOUND', `no payment at seq ${req.seq} for this session`);
    return this.receiptOf(req.seq);
  }

  /** The receipt of the payment at `seq`, for the host's own use (no caller check). */
  receiptOf(seq: number): ResponseOf<'receipt'> {
    const req = { seq };
    const stored = this.p.store.get(req.seq);
    if (!stored || stored.entry.kind !== 'payment')
      throw new ApiFault('RECEIPT_NOT_FOUND', `no payment at seq ${req.seq}`);
    const body = stored.entry.body;
    const name = body.customer_id ? this.p.lookup.nameOf(body.customer_id) : undefined;
    const status = this.p.state.receipt(req.seq)?.status;
    const base = this.p.settlementUrl();
    return {
      seq: stored.entry.seq,
      entry_hash: stored.entry_hash,
      payment_id: body.payment_id,
      order_id: body.order_id,
      amount_minor: body.amount_minor,
      currency: body.currency,
      created_at_ms: stored.entry.created_at_ms,
      customer_initials: name ? initialsOf(name) : '',
      step_up: body.step_up === true,
      lookup_url: base ? `${base.replace(/\/$/, '')}/v1/receipts/${stored.entry_hash}` : null,
      settlement: status === 'settled' ? 'settled' : status === 'declined' ? 'declined' : 'pending',
    };
  }
}
