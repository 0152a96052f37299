// The recorder: after each receipt entry is committed to the ledger, it asks the signing unit
// for the receipt's signatures and writes the fiscal row (both codes) to fiscal.db. It follows
// the ledger (catchUp), so an entry committed just before a crash is recorded at the next call.
//
// If the unit fails, selling goes on: the row is written unsigned ("failed"), its codes say so
// (an empty signature in the QR code, "Sicherheitseinrichtung ausgefallen" in the RKSV code),
// and the outage's start is recorded with the first receipt it hit; the first receipt signed
// again records its end. That is what KassenSichV (AEAO zu § 146a, Nr. 7) and the RKSV (§ 17)
// ask of a till whose security device fails: keep recording, mark, and document the outage.

import { isTrainingEntry, type Entry, type PaymentMethod } from '../protocol/entry.js';
import { zoneClock } from '../protocol/zone-clock.js';
import type { FiscalLog, FiscalReceiptRow } from './fiscal-log.js';
import { qrCodeOf } from './qr-code.js';
import { isReceiptEntry, processData, PROCESS_TYPE_RECEIPT, receiptData, rksvSlots, decimal } from './receipt-data.js';
import {
  chainValue,
  encryptTurnover,
  rksvPayload,
  RKSV_OUTAGE_SIGNATURE,
  RKSV_STORNO_COUNTER,
  RKSV_TRAINING_COUNTER,
} from './rksv-code.js';
import type { SigningUnit, TransactionRequest, TransactionSignature } from './signing-unit.js';

/** Entries one catchUp records at most: a long backlog is taken in slices, not in one stall. */
export const CATCH_UP_ENTRIES_MAX = 1_000;

export interface LedgerView {
  tip(): { seq: number };
  entries(first: number, last: number): Iterable<Entry>;
  payment(seq: number): { method: PaymentMethod } | undefined;
}

export interface RecorderOptions {
  log: FiscalLog;
  unit: SigningUnit;
  kioskId: string;
  timezone: string;
  /** The till's AES-256 key for the RKSV turnover counter (registered with the tax office). */
  turnoverKey: Uint8Array;
  now?: () => number;
}

/** Whether an entry was made in training mode (its signed body says so). */
export const isTraining = (e: Entry): boolean => isTrainingEntry(e);

export class FiscalRecorder {
  private readonly now: () => number;
  private readonly localTime: (ms: number) => string;

  constructor(private readonly o: RecorderOptions) {
    this.now = o.now ?? Date.now;
    const clock = zoneClock(o.timezone);
    this.localTime = (ms) => clock.localTime(ms);
  }

  /** Where the log starts following the ledger: the tip + 1 when the log is new. */
  begin(ledger: LedgerView): void {
    this.o.log.setMetaOnce('from_seq', String(ledger.tip().seq + 1));
    this.o.log.setMetaOnce('kiosk_id', this.o.kioskId);
  }

  /** Records every receipt entry after the last one recorded; returns the rows written. */
  catchUp(ledger: LedgerView): FiscalReceiptRow[] {
    const from = Math.max(Number(this.o.log.meta('from_seq') ?? '1'), (this.o.log.last()?.seq ?? 0) + 1);
    const last = Math.min(ledger.tip().seq, from + CATCH_UP_ENTRIES_MAX - 1);
    const written: FiscalReceiptRow[] = [];
    if (from > last) return written;
    for (const e of [...ledger.entries(from, last)])
      if (isReceiptEntry(e)) written.push(this.record(e, (s) => ledger.payment(s)?.method));
    return written;
  }

  private record(
    e: Extract<Entry, { kind: 'payment' | 'refund' | 'void' }>,
    methodOf: (s: number) => PaymentMethod | undefined,
  ): FiscalReceiptRow {
    const { log, unit, kioskId } = this.o;
    const data = receiptData(e, methodOf);
    const training = isTraining(e);
    const req: TransactionRequest = {
      client_id: kioskId,
      process_type: PROCESS_TYPE_RECEIPT,
      process_data: processData(data),
      transaction_number: e.seq,
      start_ms: e.created_at_ms,
    };
    const previous = log.last();
    const turnover = (previous?.turnover_minor ?? 0) + (training ? 0 : data.total_minor);
    const receiptNumber = String(e.seq);
    const rksv = {
      suite: `${unit.rksvSuite}-AT0`,
      kassen_id: kioskId,
      receipt_number: receiptNumber,
      datetime: this.localTime(e.created_at_ms),
      ...Object.fromEntries(
        ['amount_normal', 'amount_reduced_1', 'amount_reduced_2', 'amount_zero', 'amount_special'].map((k, i) => [
          k,
          decimal(rksvSlots(data)[i]!, ','),
        ]),
      ),
      turnover_counter: training
        ? RKSV_TRAINING_COUNTER
        : e.kind !== 'payment'
          ? RKSV_STORNO_COUNTER
          : encryptTurnover(this.o.turnoverKey, kioskId, receiptNumber, BigInt(turnover)),
      cert_serial: unit.serial,
      chain_value: chainValue(kioskId, previous?.rksv_code ?? null),
    } as Parameters<typeof rksvPayload>[0];
    const payload = rksvPayload(rksv);

    let sig: TransactionSignature | null = null;
    let rksvSig: string | null = null;
    let fault = '';
    try {
      sig = unit.signTransaction(req);
      rksvSig = Buffer.from(unit.signReceipt(new TextEncoder().encode(payload))).toString('base64');
    } catch (err) {
      fault = err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
    }
    const failed = sig === null || rksvSig === null;
    const endMs = sig?.end_ms ?? Math.max(this.now(), e.created_at_ms);
    const outageOpen = log.outageOpen();
    const outage =
      failed && !outageOpen
        ? {
            event: 'start' as const,
            unit_serial: unit.serial,
            at_ms: endMs,
            first_seq: e.seq,
            reason: fault.slice(0, 500),
          }
        : !failed && outageOpen
          ? { event: 'end' as const, unit_serial: unit.serial, at_ms: endMs, first_seq: e.seq, reason: 'signed again' }
          : null;
    const row: FiscalReceiptRow = {
      seq: e.seq,
      kind: e.kind,
      start_ms: req.start_ms,
      end_ms: endMs,
      unit_serial: unit.serial,
      signature_counter: sig?.signature_counter ?? null,
      process_type: req.process_type,
      process_data: req.process_data,
      failed: failed ? 1 : 0,
      training: training ? 1 : 0,
      turnover_minor: turnover,
      qr_code: qrCodeOf(req, failed ? null : sig, unit, endMs),
      rksv_code: `${payload}_${failed ? RKSV_OUTAGE_SIGNATURE : rksvSig}`,
    };
    const unitRow = failed
      ? null
      : {
          serial: unit.serial,
          algorithm: unit.algorithm,
          public_key: Buffer.from(unit.publicKey).toString('base64'),
          first_at_ms: endMs,
        };
    log.write(row, unitRow, outage);
    return row;
  }
}
