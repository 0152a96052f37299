// A payment's receipt, read back from the signed ledger entry: the amount, the customer's
// initials, whether the phone digits were asked, the server's settlement of it so far, and the
// settlement server's public lookup for the entry (the receipt's QR code).
import type { RequestOf, ResponseOf } from '../../contract/api.js';
import type { LedgerStore } from '../../../ledger/store/store.js';
import type { KioskState } from '../../../ledger/sync/kiosk-state.js';
import { ApiFault } from '../fault.js';
import type { DomainService } from '../transport/routes.js';
import { initialsOf } from './customers.js';
import type { CustomerLookup } from './lookup.js';

export interface ReceiptParts {
  store: LedgerStore;
  state: KioskState;
  lookup: CustomerLookup;
  settlementUrl: () => string | null;
}

export class ReceiptService implements DomainService<'receipts'> {
  constructor(private readonly p: ReceiptParts) {}

  receipt(req: RequestOf<'receipt'>): ResponseOf<'receipt'> {
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
