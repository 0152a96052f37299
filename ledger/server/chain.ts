// The ledger rules (protocol/rules.ts) are synchronous; the server's database is not. So
// before checking a batch, the upload loads what the rules may ask about the kiosk's earlier
// entries (the payments its refunds name, the payment ids it reuses, the open day's entries
// if it closes a day) into a BatchContext, which then grows with each entry of the batch.

import { sql } from 'kysely';
import type { Entry } from '../protocol/entry.js';
import { applyToPayment, type ChainContext, type OpenDay, type PaymentState } from '../protocol/rules.js';
import { fromHex } from '../protocol/hex.js';
import { decodeEntry } from '../store/rows.js';
import type { Tx } from './context.js';

/** A payment as settlement needs it: the rules' state plus who paid and what became of it. */
export interface PaymentFacts extends PaymentState {
  customer_id: string | null;
  status: string;
  entry_hash: string;
}

interface DayRow {
  hash: Uint8Array;
  entry: Entry | (() => Entry);
}

export class BatchContext implements ChainContext {
  readonly payments = new Map<number, PaymentFacts>();
  readonly paymentIds = new Set<string>();
  private readonly day = new Map<number, DayRow>();
  open: OpenDay;

  constructor(open: OpenDay) {
    this.open = open;
  }

  payment(seq: number): PaymentFacts | undefined {
    return this.payments.get(seq);
  }

  hasPaymentId(paymentId: string): boolean {
    return this.paymentIds.has(paymentId);
  }

  openDay(): OpenDay {
    return this.open;
  }

  entryHashes(first: number, last: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let seq = first; seq <= last; seq++) out.push(this.dayRow(seq).hash);
    return out;
  }

  *entries(first: number, last: number): Generator<Entry> {
    for (let seq = first; seq <= last; seq++) {
      const row = this.dayRow(seq);
      if (typeof row.entry === 'function') row.entry = row.entry();
      yield row.entry;
    }
  }

  private dayRow(seq: number): DayRow {
    const row = this.day.get(seq);
    if (row === undefined) throw new Error(`assertion failed: entry ${seq} of the open day was not loaded`);
    return row;
  }

  /** Adds an accepted entry of this batch, so that the entries after it see it. */
  accept(entry: Entry, hashHex: string, facts: { status: string }): void {
    this.day.set(entry.seq, { hash: fromHex(hashHex, 32), entry });
    if (entry.kind === 'payment') {
      this.paymentIds.add(entry.body.payment_id);
      this.payments.set(entry.seq, {
        amount_minor: entry.body.amount_minor,
        currency: entry.body.currency,
        reversed_minor: 0,
        voided: false,
        customer_id: entry.body.customer_id ?? null,
        status: facts.status,
        entry_hash: hashHex,
      });
    } else if (entry.kind === 'refund' || entry.kind === 'void') {
      const paid = this.payments.get(entry.body.payment_seq);
      if (paid !== undefined) applyToPayment(entry, paid);
    } else if (entry.kind === 'day_close') {
      this.open = { first_seq: entry.seq + 1, previous_business_day: entry.body.business_day };
    }
  }

  /** Loads what the rules will ask about `entries` (the fresh part of a batch, in order). */
  async load(trx: Tx, kioskId: string, entries: readonly Entry[]): Promise<void> {
    const first = entries[0]!.seq;
    const paymentSeqs = new Set<number>();
    const paymentIds: string[] = [];
    let closesDay = false;
    for (const e of entries) {
      if ((e.kind === 'refund' || e.kind === 'void') && e.body.payment_seq < first) paymentSeqs.add(e.body.payment_seq);
      else if (e.kind === 'payment') paymentIds.push(e.body.payment_id);
      else if (e.kind === 'day_close') closesDay = true;
    }
    if (paymentSeqs.size > 0) await this.loadPayments(trx, kioskId, [...paymentSeqs]);
    if (paymentIds.length > 0) {
      const rows = await trx
        .selectFrom('entries')
        .select('payment_id')
        .where('kiosk_id', '=', kioskId)
        .where('payment_id', 'in', paymentIds)
        .execute();
      for (const r of rows) if (r.payment_id !== null) this.paymentIds.add(r.payment_id);
    }
    if (closesDay && this.open.first_seq < first) {
      const rows = await trx
        .selectFrom('entries')
        .select(['seq', 'canonical', 'entry_hash'])
        .where('kiosk_id', '=', kioskId)
        .where('seq', '>=', this.open.first_seq)
        .where('seq', '<', first)
        .orderBy('seq')
        .execute();
      for (const r of rows) {
        const canonical = new Uint8Array(r.canonical);
        this.day.set(r.seq, { hash: fromHex(r.entry_hash, 32), entry: () => decodeEntry(canonical, r.seq) });
      }
    }
  }

  private async loadPayments(trx: Tx, kioskId: string, seqs: number[]): Promise<void> {
    const paid = await trx
      .selectFrom('entries')
      .select(['seq', 'amount_minor', 'currency', 'customer_id', 'status', 'entry_hash'])
      .where('kiosk_id', '=', kioskId)
      .where('kind', '=', 'payment')
      .where('seq', 'in', seqs)
      .execute();
    const reversed = await trx
      .selectFrom('entries')
      .select([
        'payment_seq',
        sql<number>`sum(amount_minor)`.as('reversed_minor'),
        sql<number>`max(case when kind = 'void' then 1 else 0 end)`.as('voided'),
      ])
      .where('kiosk_id', '=', kioskId)
      .where('payment_seq', 'in', seqs)
      .groupBy('payment_seq')
      .execute();
    const byPayment = new Map(reversed.map((r) => [r.payment_seq, r]));
    for (const p of paid) {
      const r = byPayment.get(p.seq);
      this.payments.set(p.seq, {
        amount_minor: p.amount_minor!,
        currency: p.currency!,
        reversed_minor: Number(r?.reversed_minor ?? 0),
        voided: Number(r?.voided ?? 0) === 1,
        customer_id: p.customer_id,
        status: p.status,
        entry_hash: p.entry_hash,
      });
    }
  }
}
