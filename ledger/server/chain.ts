// The ledger rules (protocol/rules.ts) are synchronous; the server's database is not. So
// before checking a batch, the upload loads what the rules may ask about the kiosk's earlier
// entries (the payments its refunds name, the sales its split payments and refunds belong to,
// the payment ids it reuses, the open shift, the open day's entries if it closes a day or a
// shift) into a BatchContext, which then grows with each entry of the batch.

import { sql } from 'kysely';
import type { Entry } from '../protocol/entry.js';
import {
  applyToPayment,
  paymentStateOf,
  type ChainContext,
  type OpenDay,
  type PaymentState,
} from '../protocol/rules.js';
import type { OpenShift } from '../protocol/rules-shift.js';
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
  /** Each sale's payment, its parts and their reversals, by the sale's seq (those the batch may name). */
  private readonly sales = new Map<number, Entry[]>();
  private shift: OpenShift | null = null;
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

  saleEntries(saleSeq: number): Iterable<Entry> {
    return this.sales.get(saleSeq) ?? [];
  }

  openShift(): OpenShift | null {
    return this.shift;
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
      const state = paymentStateOf(entry);
      this.payments.set(entry.seq, {
        ...state,
        customer_id: entry.body.customer_id ?? null,
        status: facts.status,
        entry_hash: hashHex,
      });
      if (state.sale_seq === entry.seq) this.sales.set(entry.seq, [entry]);
      else if (state.sale_seq !== null) this.sales.get(state.sale_seq)?.push(entry);
    } else if (entry.kind === 'refund' || entry.kind === 'void') {
      const paid = this.payments.get(entry.body.payment_seq);
      if (paid !== undefined) {
        applyToPayment(entry, paid);
        if (paid.sale_seq !== null) this.sales.get(paid.sale_seq)?.push(entry);
      }
    } else if (entry.kind === 'day_close') {
      this.open = { first_seq: entry.seq + 1, previous_business_day: entry.body.business_day };
    } else if (entry.kind === 'shift_open') this.shift = { seq: entry.seq, body: entry.body };
    else if (entry.kind === 'shift_close') this.shift = null;
  }

  /** Loads what the rules will ask about `entries` (the fresh part of a batch, in order). */
  async load(trx: Tx, kioskId: string, entries: readonly Entry[]): Promise<void> {
    const first = entries[0]!.seq;
    const paymentSeqs = new Set<number>();
    const saleSeqs = new Set<number>();
    const paymentIds: string[] = [];
    let closesDay = false;
    let shifts = false;
    for (const e of entries) {
      if ((e.kind === 'refund' || e.kind === 'void') && e.body.payment_seq < first) paymentSeqs.add(e.body.payment_seq);
      else if (e.kind === 'payment') {
        paymentIds.push(e.body.payment_id);
        if (e.body.sale_seq !== undefined && e.body.sale_seq < first) {
          paymentSeqs.add(e.body.sale_seq);
          saleSeqs.add(e.body.sale_seq);
        }
      } else if (e.kind === 'day_close' || e.kind === 'shift_close') closesDay = true;
      if (e.kind === 'shift_open' || e.kind === 'cash_move' || e.kind === 'shift_close' || e.kind === 'day_close')
        shifts = true;
    }
    if (paymentSeqs.size > 0) await this.loadPayments(trx, kioskId, [...paymentSeqs]);
    for (const seq of paymentSeqs) {
      const saleSeq = this.payments.get(seq)?.sale_seq;
      if (saleSeq !== null && saleSeq !== undefined) saleSeqs.add(saleSeq);
    }
    if (saleSeqs.size > 0) await this.loadSales(trx, kioskId, [...saleSeqs]);
    if (shifts) await this.loadShift(trx, kioskId, first);
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
        .select(['seq', 'kind', 'payment_seq', 'canonical', 'entry_hash'])
        .where('kiosk_id', '=', kioskId)
        .where('seq', '>=', this.open.first_seq)
        .where('seq', '<', first)
        .orderBy('seq')
        .execute();
      for (const r of rows) {
        const canonical = new Uint8Array(r.canonical);
        this.day.set(r.seq, { hash: fromHex(r.entry_hash, 32), entry: () => decodeEntry(canonical, r.seq) });
      }
      // A shift's and a day's cash counts the refunds of cash payments: their payments' methods.
      const reversed = rows.flatMap((r) =>
        (r.kind === 'refund' || r.kind === 'void') && r.payment_seq !== null && !this.payments.has(r.payment_seq)
          ? [r.payment_seq]
          : [],
      );
      if (reversed.length > 0) await this.loadPayments(trx, kioskId, [...new Set(reversed)]);
    }
  }

  /** The sales' payments, their parts and the reversals of all of them, in seq order. */
  private async loadSales(trx: Tx, kioskId: string, saleSeqs: number[]): Promise<void> {
    const payments = await trx
      .selectFrom('entries')
      .select(['seq', 'canonical'])
      .where('kiosk_id', '=', kioskId)
      .where((eb) =>
        eb.or([eb('seq', 'in', saleSeqs), eb.and([eb('kind', '=', 'payment'), eb('payment_seq', 'in', saleSeqs)])]),
      )
      .execute();
    const seqs = payments.map((r) => r.seq);
    const reversals =
      seqs.length === 0
        ? []
        : await trx
            .selectFrom('entries')
            .select(['seq', 'canonical'])
            .where('kiosk_id', '=', kioskId)
            .where('kind', 'in', ['refund', 'void'])
            .where('payment_seq', 'in', seqs)
            .execute();
    const decoded = [...payments, ...reversals]
      .map((r) => decodeEntry(new Uint8Array(r.canonical), r.seq))
      .sort((a, b) => a.seq - b.seq);
    const saleOf = new Map<number, number>();
    for (const e of decoded) {
      if (e.kind === 'payment') {
        const saleSeq = e.body.sale !== undefined ? e.seq : e.body.sale_seq;
        if (saleSeq === undefined) continue;
        saleOf.set(e.seq, saleSeq);
        if (saleSeq === e.seq) this.sales.set(e.seq, [e]);
        else this.sales.get(saleSeq)?.push(e);
      } else if (e.kind === 'refund' || e.kind === 'void') {
        const saleSeq = saleOf.get(e.body.payment_seq);
        if (saleSeq !== undefined) this.sales.get(saleSeq)?.push(e);
      }
    }
  }

  /** The shift open before entry `first`, if any. */
  private async loadShift(trx: Tx, kioskId: string, first: number): Promise<void> {
    const row = await trx
      .selectFrom('entries')
      .select(['seq', 'canonical'])
      .where('kiosk_id', '=', kioskId)
      .where('kind', 'in', ['shift_open', 'shift_close'])
      .where('seq', '<', first)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (row === undefined) return;
    const e = decodeEntry(new Uint8Array(row.canonical), row.seq);
    this.shift = e.kind === 'shift_open' ? { seq: e.seq, body: e.body } : null;
  }

  private async loadPayments(trx: Tx, kioskId: string, seqs: number[]): Promise<void> {
    const paid = await trx
      .selectFrom('entries')
      .select(['seq', 'canonical', 'customer_id', 'status', 'entry_hash'])
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
      .where('kind', 'in', ['refund', 'void'])
      .where('payment_seq', 'in', seqs)
      .groupBy('payment_seq')
      .execute();
    const byPayment = new Map(reversed.map((r) => [r.payment_seq, r]));
    for (const p of paid) {
      const r = byPayment.get(p.seq);
      const entry = decodeEntry(new Uint8Array(p.canonical), p.seq);
      if (entry.kind !== 'payment') continue;
      this.payments.set(p.seq, {
        ...paymentStateOf(entry),
        reversed_minor: Number(r?.reversed_minor ?? 0),
        voided: Number(r?.voided ?? 0) === 1,
        customer_id: p.customer_id,
        status: p.status,
        entry_hash: p.entry_hash,
      });
    }
  }
}
