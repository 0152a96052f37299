// A payment's receipt, read back from the signed ledger entry: the merchant (name, address, VAT
// id), the transaction's number and time, the bill's lines with their tax letters, discounts and
// totals per rate, the tip, every payment of the bill (a split bill has several), the customer's
// initials, whether the phone digits were asked, the server's settlement of it so far, and the
// settlement server's public lookup for the entry (the receipt's QR code).
//
// Who may read one: the paired customer screen that made the payment, naming the payment's id
// (a random id only that screen was shown, in its session's receipt), or signed-in staff (a
// cashier's token reads any). A seq alone is not enough: seqs are consecutive, and walking them
// read every payment's amount, time and the customer's initials. A seq with another payment's
// id is told RECEIPT_NOT_FOUND, exactly as a seq that does not exist.
import type { RequestOf, ResponseOf } from '../../contract/api.js';
import type { LedgerStore } from '../../../ledger/store/store.js';
import type { PaymentBody } from '../../../ledger/protocol/entry.js';
import type { KioskState } from '../../../ledger/sync/kiosk-state.js';
import { ApiFault } from '../fault.js';
import { requireScreen, type Caller } from '../pairing/access.js';
import type { DomainService } from '../transport/routes.js';
import { initialsOf } from './customers.js';
import type { CustomerLookup } from './lookup.js';
import type { StaffDirectory } from '../staff/directory.js';
import type { KioskFiscal } from '../fiscal-service.js';

export interface ReceiptParts {
  store: LedgerStore;
  state: KioskState;
  lookup: CustomerLookup;
  staff: Pick<StaffDirectory, 'require'>;
  settlementUrl: () => string | null;
  /** The merchant's name, address and VAT id, as configured. */
  merchant?: () => { name: string; address: string; vat_id: string };
  /** The fiscal log (fiscal-service.ts): the signing unit's fields and codes of each receipt. */
  fiscal?: Pick<KioskFiscal, 'follow' | 'get'>;
}

export class ReceiptService implements DomainService<'receipts'> {
  constructor(private readonly p: ReceiptParts) {}

  /** A screen's call, or staff's. A paired screen names the payment's id (its session showed
   * it); a seq with another payment's id gets the same answer as a seq with none (no walking).
   * The receipt call is not in SCREEN_CALLS (staff devices are not paired screens), so the
   * screen is required here, for the payment id's path. */
  receipt(req: RequestOf<'receipt'>, caller?: Caller): ResponseOf<'receipt'> {
    if (req.token !== undefined) {
      this.p.staff.require(req.token, 'cashier');
      return this.bySeq(req.seq);
    }
    requireScreen(caller);
    const stored = this.p.store.get(req.seq);
    if (!stored || stored.entry.kind !== 'payment' || stored.entry.body.payment_id !== req.payment_id)
      throw new ApiFault('RECEIPT_NOT_FOUND', `no payment ${req.payment_id} at seq ${req.seq}`);
    return this.bySeq(req.seq);
  }

  /** The host's own read of a payment's receipt (right after paying, the end-to-end tests). */
  bySeq(seq: number): ResponseOf<'receipt'> {
    const stored = this.p.store.get(seq);
    if (!stored || stored.entry.kind !== 'payment') throw new ApiFault('RECEIPT_NOT_FOUND', `no payment at seq ${seq}`);
    const body = stored.entry.body;
    const name = body.customer_id ? this.p.lookup.nameOf(body.customer_id) : undefined;
    const status = this.p.state.receipt(seq)?.status;
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
      merchant: this.merchant(),
      method: body.method,
      tip_minor: body.tip_minor ?? 0,
      by_rate: body.by_rate ?? [],
      ...this.saleOf(stored.entry.seq, body),
      fiscal: this.fiscalOf(seq),
    };
  }

  private fiscalOf(seq: number): ResponseOf<'receipt'>['fiscal'] {
    if (!this.p.fiscal) return null;
    this.p.fiscal.follow();
    const f = this.p.fiscal.get(seq);
    if (!f) return null;
    return {
      transaction_number: f.seq,
      signature_counter: f.signature_counter,
      start_ms: f.start_ms,
      end_ms: f.end_ms,
      kassen_serial: f.qr_code.split(';')[1] ?? '',
      unit_serial: f.unit_serial,
      algorithm: f.failed ? '' : (f.qr_code.split(';')[8] ?? ''),
      signature: f.qr_code.split(';')[10] ?? '',
      unit_failed: f.failed === 1,
      training: f.training === 1,
      qr_code: f.qr_code,
      rksv_code: f.rksv_code,
    };
  }

  private merchant(): ResponseOf<'receipt'>['merchant'] {
    const m = this.p.merchant?.() ?? { name: '', address: '', vat_id: '' };
    return {
      name: m.name,
      address: m.address
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.length > 0)
        .slice(0, 4),
      vat_id: m.vat_id,
    };
  }

  /** The bill this payment belongs to, and every payment of it so far. */
  private saleOf(seq: number, body: PaymentBody): Pick<ResponseOf<'receipt'>, 'sale' | 'payments'> {
    const self = { seq, method: body.method, amount_minor: body.amount_minor, tip_minor: body.tip_minor ?? 0 };
    const saleSeq = body.sale !== undefined ? seq : body.sale_seq;
    const entries = saleSeq === undefined ? [] : [...this.p.store.saleEntries(saleSeq)];
    const first = entries[0];
    if (first === undefined || first.kind !== 'payment' || first.body.sale === undefined)
      return { sale: null, payments: [self] };
    const s = first.body.sale;
    return {
      sale: {
        pricing: s.pricing,
        rounding: s.rounding,
        service: s.service,
        lines: s.lines.map((l) => ({
          item_id: l.item_id,
          name: l.name,
          quantity: l.quantity,
          unit_minor: l.unit_minor,
          options: l.options.map((o) => o.option_id),
          amount_minor: l.amount_minor,
          discount_minor: l.discount_minor,
          rate_id: l.rate_id,
          rate_bp: l.rate_bp,
        })),
        discounts: s.discounts.map((d) => ({ line: d.line ?? null, amount_minor: d.amount_minor, reason: d.reason })),
        by_rate: s.by_rate,
        total_minor: s.total_minor,
      },
      payments: entries.flatMap((e) =>
        e.kind === 'payment'
          ? [{ seq: e.seq, method: e.body.method, amount_minor: e.body.amount_minor, tip_minor: e.body.tip_minor ?? 0 }]
          : [],
      ),
    };
  }
}
