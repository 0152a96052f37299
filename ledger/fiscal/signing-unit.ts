// The signing unit behind the kiosk's fiscal receipts: what a German TSE (BSI TR-03153) or an
// Austrian RKSV signature creation unit does for a till, as one interface, so a certified unit
// plugs in where today's software key signs. docs/FISCAL.md says what each method promises.
//
// Today's implementation, SoftwareSigningUnit, signs with the kiosk's Ed25519 device key under
// its own domains (never the ledger entry's). A real TSE or RKSV unit signs with ECDSA P-256
// from a certified chip; ours has the same inputs and outputs with its algorithm named
// ("ed25519") in every code it signs. It is not certified, and cannot be: see the README.
//
// A unit that fails throws FiscalUnitError; the recorder (recorder.ts) then keeps selling,
// marks the receipt and records the outage.

import { createHash } from 'node:crypto';
import type { DeviceKey } from '../keys/device-key.js';

export class FiscalUnitError extends Error {
  constructor(
    readonly code: 'FISCAL_UNIT_UNAVAILABLE' | 'FISCAL_UNIT_REFUSED',
    message: string,
  ) {
    super(message);
    this.name = 'FiscalUnitError';
  }
}

/** What the till asks the unit to sign for one transaction (TR-03153's "finish transaction"). */
export interface TransactionRequest {
  /** The till's serial (DSFinV-K's Kassen-Seriennummer / the TSE's client id). */
  client_id: string;
  /** "Kassenbeleg-V1" for a receipt. */
  process_type: string;
  /** The receipt's data in DSFinV-K's processData shape. */
  process_data: string;
  /** The transaction number: the ledger entry's seq. */
  transaction_number: number;
  start_ms: number;
}

export interface TransactionSignature {
  /** The unit's signature counter after this signature (gapless per unit). */
  signature_counter: number;
  /** The unit's own time of the signature (the transaction's end). */
  end_ms: number;
  signature: Uint8Array;
}

export interface SigningUnit {
  /** The unit's serial number: SHA-256 of its public key, hex (as TR-03153 defines it). */
  readonly serial: string;
  /** The algorithm in the codes' own words: "ed25519" here, "ecdsa-plain-SHA256" for a TSE. */
  readonly algorithm: string;
  /** The RKSV suite id the unit's codes start with (R1 is ES256; ours names itself). */
  readonly rksvSuite: string;
  readonly publicKey: Uint8Array;
  /** Signs a transaction as a TSE does: it adds its counter and its time, then signs them all. */
  signTransaction(req: TransactionRequest): TransactionSignature;
  /** Signs an RKSV receipt's payload (the code without its signature), as a signature unit does. */
  signReceipt(payload: Uint8Array): Uint8Array;
  /** The unit's signature counter now (0 before its first signature). */
  signatureCounter(): number;
}

export const QR_SIGNING_DOMAIN = new TextEncoder().encode('smile-to-pay/fiscal/dsfinvk-qr/v1\n');
export const RKSV_SIGNING_DOMAIN = new TextEncoder().encode('smile-to-pay/fiscal/rksv-receipt/v1\n');
export const SOFTWARE_ALGORITHM = 'ed25519';
export const SOFTWARE_RKSV_SUITE = 'ED1';
export const QR_TIME_FORMAT = 'utcTime';

/** The bytes a unit signs for a transaction: the QR code's fields before the signature. */
export function transactionMessage(
  req: TransactionRequest,
  sig: Pick<TransactionSignature, 'signature_counter' | 'end_ms'>,
  algorithm: string,
): Uint8Array {
  const fields = [
    'V0',
    req.client_id,
    req.process_type,
    req.process_data,
    String(req.transaction_number),
    String(sig.signature_counter),
    new Date(req.start_ms).toISOString(),
    new Date(sig.end_ms).toISOString(),
    algorithm,
    QR_TIME_FORMAT,
  ];
  return new TextEncoder().encode(fields.join(';'));
}

export function unitSerialOf(publicKey: Uint8Array): string {
  return createHash('sha256').update(publicKey).digest('hex');
}

/**
 * The software unit: the device key signs, the counter continues from `counterStart` (the
 * last counter the fiscal log holds, so a restart never reuses one).
 */
export class SoftwareSigningUnit implements SigningUnit {
  readonly algorithm = SOFTWARE_ALGORITHM;
  readonly rksvSuite = SOFTWARE_RKSV_SUITE;
  readonly serial: string;
  readonly publicKey: Uint8Array;
  private counter: number;

  constructor(
    private readonly key: DeviceKey,
    counterStart: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isSafeInteger(counterStart) || counterStart < 0)
      throw new RangeError(`counterStart: expected a counter >= 0, got ${counterStart}`);
    this.counter = counterStart;
    this.publicKey = key.publicKey;
    this.serial = unitSerialOf(key.publicKey);
  }

  signTransaction(req: TransactionRequest): TransactionSignature {
    const next = { signature_counter: this.counter + 1, end_ms: Math.max(this.now(), req.start_ms) };
    const signature = this.key.signWithDomain(QR_SIGNING_DOMAIN, transactionMessage(req, next, this.algorithm));
    this.counter = next.signature_counter;
    return { ...next, signature };
  }

  signReceipt(payload: Uint8Array): Uint8Array {
    return this.key.signWithDomain(RKSV_SIGNING_DOMAIN, payload);
  }

  signatureCounter(): number {
    return this.counter;
  }
}
