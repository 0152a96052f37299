// The RKSV receipt code (Registrierkassensicherheitsverordnung, Detailspezifikation: the
// "maschinenlesbarer Code"), fields separated by "_", in this order after a leading "_":
// the suite and the provider ("R1-AT1": ES256 from trust provider 1; ours "ED1-AT0": Ed25519,
// no provider), the till's id, the receipt number, the local date and time, the gross per rate
// in the slots Normal, Ermäßigt-1, Ermäßigt-2, Null and Besonders ("12,34"), the turnover
// counter encrypted with the till's AES-256 key (ICM/CTR, the IV from SHA-256 of till id and
// receipt number), the signing certificate's serial, the chain value (the first 8 bytes of
// SHA-256 of the previous receipt's code, or of the till id for the first) and the signature
// (base64). A receipt whose unit had failed carries "Sicherheitseinrichtung ausgefallen" in
// base64 as its signature, as the RKSV says; a reversal carries "STO" as its counter, a
// training receipt "TRA".

import { createCipheriv, createHash } from 'node:crypto';
import { verifyRaw } from '../keys/ed25519.js';
import { parseDecimal } from './receipt-data.js';
import { ReceiptCodeFormatError, RECEIPT_CODE_LENGTH_MAX, type CodeFault } from './qr-code.js';
import { RKSV_SIGNING_DOMAIN } from './signing-unit.js';

export const RKSV_FIELDS = [
  'suite',
  'kassen_id',
  'receipt_number',
  'datetime',
  'amount_normal',
  'amount_reduced_1',
  'amount_reduced_2',
  'amount_zero',
  'amount_special',
  'turnover_counter',
  'cert_serial',
  'chain_value',
  'signature',
] as const;
export type RksvField = (typeof RKSV_FIELDS)[number];
export type RksvCode = Record<RksvField, string>;

export const RKSV_OUTAGE_SIGNATURE = Buffer.from('Sicherheitseinrichtung ausgefallen').toString('base64');
export const RKSV_STORNO_COUNTER = Buffer.from('STO').toString('base64');
export const RKSV_TRAINING_COUNTER = Buffer.from('TRA').toString('base64');
/** The encrypted turnover counter's length: 8 bytes (the RKSV allows 5 to 16). */
const TURNOVER_BYTES = 8;

/** The turnover counter, AES-256 in counter mode as the RKSV specifies, base64. */
export function encryptTurnover(aesKey: Uint8Array, kassenId: string, receiptNumber: string, turnover: bigint): string {
  if (aesKey.length !== 32) throw new RangeError(`aesKey: expected 32 bytes, got ${aesKey.length}`);
  const iv = createHash('sha256')
    .update(kassenId + receiptNumber)
    .digest()
    .subarray(0, 16);
  const plain = Buffer.alloc(16);
  plain.writeBigInt64BE(turnover, 0);
  const cipher = createCipheriv('aes-256-ctr', aesKey, iv);
  const out = Buffer.concat([cipher.update(plain), cipher.final()]);
  return out.subarray(0, TURNOVER_BYTES).toString('base64');
}

export function decryptTurnover(aesKey: Uint8Array, kassenId: string, receiptNumber: string, field: string): bigint {
  const iv = createHash('sha256')
    .update(kassenId + receiptNumber)
    .digest()
    .subarray(0, 16);
  const enc = Buffer.alloc(16);
  Buffer.from(field, 'base64').copy(enc);
  const cipher = createCipheriv('aes-256-ctr', aesKey, iv);
  const plain = Buffer.concat([cipher.update(enc), cipher.final()]);
  return plain.readBigInt64BE(0);
}

/** The chain value of the receipt after `previousCode` (null: the till's first receipt). */
export function chainValue(kassenId: string, previousCode: string | null): string {
  return createHash('sha256')
    .update(previousCode ?? kassenId)
    .digest()
    .subarray(0, 8)
    .toString('base64');
}

/** The payload (the code without its signature) and the code with `signature` (base64). */
export function rksvPayload(f: Omit<RksvCode, 'signature'>): string {
  return (
    '_' +
    RKSV_FIELDS.slice(0, -1)
      .map((k) => f[k as Exclude<RksvField, 'signature'>])
      .join('_')
  );
}

export function parseRksvCode(code: string): RksvCode {
  if (code.length > RECEIPT_CODE_LENGTH_MAX)
    throw new ReceiptCodeFormatError(`a receipt code of at most ${RECEIPT_CODE_LENGTH_MAX} characters`);
  if (!code.startsWith('_')) throw new ReceiptCodeFormatError('expected an RKSV code starting with "_"');
  const parts = code.slice(1).split('_');
  if (parts.length !== RKSV_FIELDS.length)
    throw new ReceiptCodeFormatError(`expected ${RKSV_FIELDS.length} fields separated by "_", got ${parts.length}`);
  if (!/^[A-Z0-9]+-AT\d+$/.test(parts[0]!))
    throw new ReceiptCodeFormatError(`expected a suite like R1-AT1, got ${parts[0]!.slice(0, 16)}`);
  return Object.fromEntries(RKSV_FIELDS.map((k, i) => [k, parts[i]!])) as RksvCode;
}

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const AMOUNT_FIELDS = ['amount_normal', 'amount_reduced_1', 'amount_reduced_2', 'amount_zero', 'amount_special'];

/** The first fault of a parsed RKSV code against `publicKey`, or null when it verifies. */
export function rksvFault(r: RksvCode, publicKey: Uint8Array, certSerial: string): CodeFault | null {
  if (!LOCAL_TIME.test(r.datetime)) return { field: 'datetime', message: 'expected YYYY-MM-DDTHH:MM:SS' };
  for (const a of AMOUNT_FIELDS)
    if (parseDecimal(r[a as RksvField], ',') === null) return { field: a, message: 'expected an amount like 12,34' };
  if (r.signature === RKSV_OUTAGE_SIGNATURE)
    return { field: 'signature', message: 'unsigned: Sicherheitseinrichtung ausgefallen' };
  if (r.cert_serial !== certSerial)
    return { field: 'cert_serial', message: 'the code names another signing unit than the key given' };
  const signature = Buffer.from(r.signature, 'base64');
  if (signature.length !== 64 || signature.toString('base64') !== r.signature)
    return { field: 'signature', message: 'expected 64 bytes in base64' };
  const payload = new TextEncoder().encode(rksvPayload(r));
  if (!verifyRaw(publicKey, Buffer.concat([RKSV_SIGNING_DOMAIN, payload]), signature))
    return {
      field: 'signature',
      message: 'does not verify over the fields: a field was changed, or another key signed',
    };
  return null;
}
