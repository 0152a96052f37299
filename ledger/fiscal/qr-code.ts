// DSFinV-K's receipt QR code (DSFinV-K Anhang I, after BSI TR-03153): twelve fields separated
// by ";" in this order: version "V0", the till's serial, the process type, the process data,
// the transaction number, the signature counter, the start and end (log) time, the signature
// algorithm, the log time format, the signature and the unit's public key (both base64).
//
// A receipt whose unit had failed carries empty counter, algorithm, signature and key fields,
// and its receipt says "Sicherheitseinrichtung ausgefallen" (recorder.ts). checkQrCode() is the
// `receipt-check` of such a code: malformed input is a QrFormatError, a well-formed code that
// does not hold together or is not signed by the key is a fault naming its field.

import { verifyRaw } from '../keys/ed25519.js';
import { parseDecimal, PROCESS_TYPE_RECEIPT } from './receipt-data.js';
import { QR_SIGNING_DOMAIN, QR_TIME_FORMAT, transactionMessage, type TransactionRequest } from './signing-unit.js';

export const QR_FIELDS = [
  'version',
  'kassen_serial',
  'process_type',
  'process_data',
  'transaction_number',
  'signature_counter',
  'start_time',
  'end_time',
  'algorithm',
  'time_format',
  'signature',
  'public_key',
] as const;
export type QrField = (typeof QR_FIELDS)[number];
export type QrCode = Record<QrField, string>;

/** A code longer than this is not a receipt code (a QR of version 40 holds under 3 kB). */
export const RECEIPT_CODE_LENGTH_MAX = 2_953;

export class ReceiptCodeFormatError extends Error {
  readonly code = 'FISCAL_CODE_MALFORMED';
}

export interface CodeFault {
  field: string;
  message: string;
}

export function qrCodeOf(
  req: TransactionRequest,
  sig: { signature_counter: number; end_ms: number; signature: Uint8Array } | null,
  unit: { algorithm: string; publicKey: Uint8Array } | null,
  endMs: number,
): string {
  const f: QrCode = {
    version: 'V0',
    kassen_serial: req.client_id,
    process_type: req.process_type,
    process_data: req.process_data,
    transaction_number: String(req.transaction_number),
    signature_counter: sig ? String(sig.signature_counter) : '',
    start_time: new Date(req.start_ms).toISOString(),
    end_time: new Date(sig?.end_ms ?? endMs).toISOString(),
    algorithm: sig && unit ? unit.algorithm : '',
    time_format: QR_TIME_FORMAT,
    signature: sig ? Buffer.from(sig.signature).toString('base64') : '',
    public_key: sig && unit ? Buffer.from(unit.publicKey).toString('base64') : '',
  };
  return QR_FIELDS.map((k) => f[k]).join(';');
}

export function parseQrCode(code: string): QrCode {
  if (code.length > RECEIPT_CODE_LENGTH_MAX)
    throw new ReceiptCodeFormatError(`a receipt code of at most ${RECEIPT_CODE_LENGTH_MAX} characters`);
  const parts = code.split(';');
  if (parts[0] !== 'V0') throw new ReceiptCodeFormatError(`expected a code starting "V0;", got ${code.slice(0, 8)}`);
  if (parts.length !== QR_FIELDS.length)
    throw new ReceiptCodeFormatError(`expected ${QR_FIELDS.length} fields separated by ";", got ${parts.length}`);
  return Object.fromEntries(QR_FIELDS.map((k, i) => [k, parts[i]!])) as QrCode;
}

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The first fault of a parsed code against `publicKey`, or null when it verifies. */
export function qrFault(q: QrCode, publicKey: Uint8Array): CodeFault | null {
  if (q.process_type !== PROCESS_TYPE_RECEIPT)
    return { field: 'process_type', message: `expected ${PROCESS_TYPE_RECEIPT}, got ${q.process_type}` };
  const pd = processDataFault(q.process_data);
  if (pd) return pd;
  if (!/^[1-9]\d{0,15}$/.test(q.transaction_number))
    return { field: 'transaction_number', message: 'expected a positive integer' };
  for (const t of ['start_time', 'end_time'] as const)
    if (!ISO_MS.test(q[t]) || Number.isNaN(Date.parse(q[t])))
      return { field: t, message: `expected an ISO 8601 UTC time, got ${q[t]}` };
  if (Date.parse(q.end_time) < Date.parse(q.start_time))
    return { field: 'end_time', message: 'the transaction ends before it starts' };
  if (q.time_format !== QR_TIME_FORMAT) return { field: 'time_format', message: `expected ${QR_TIME_FORMAT}` };
  if (q.signature === '')
    return {
      field: 'signature',
      message: 'unsigned: the signing unit had failed (Sicherheitseinrichtung ausgefallen)',
    };
  if (!/^[1-9]\d{0,15}$/.test(q.signature_counter))
    return { field: 'signature_counter', message: 'expected a positive integer' };
  if (q.public_key !== Buffer.from(publicKey).toString('base64'))
    return { field: 'public_key', message: 'the code names another key than the one given' };
  const signature = Buffer.from(q.signature, 'base64');
  if (signature.length !== 64 || signature.toString('base64') !== q.signature)
    return { field: 'signature', message: 'expected 64 bytes in base64' };
  const req: TransactionRequest = {
    client_id: q.kassen_serial,
    process_type: q.process_type,
    process_data: q.process_data,
    transaction_number: Number(q.transaction_number),
    start_ms: Date.parse(q.start_time),
  };
  const message = transactionMessage(
    req,
    { signature_counter: Number(q.signature_counter), end_ms: Date.parse(q.end_time) },
    q.algorithm,
  );
  if (!verifyRaw(publicKey, Buffer.concat([QR_SIGNING_DOMAIN, message]), signature))
    return {
      field: 'signature',
      message: 'does not verify over the fields: a field was changed, or another key signed',
    };
  return null;
}

/** "Beleg^a_b_c_d_e^x:Bar_y:Unbar": five amounts, and payments summing to them. */
function processDataFault(pd: string): CodeFault | null {
  const bad = (message: string): CodeFault => ({ field: 'process_data', message });
  const [kind, amounts, payments, ...rest] = pd.split('^');
  if (kind !== 'Beleg' || amounts === undefined || payments === undefined || rest.length > 0)
    return bad('expected Beleg^<5 amounts>^<payments>');
  const gross = amounts.split('_').map((a) => parseDecimal(a, '.'));
  if (gross.length !== 5 || gross.some((g) => g === null)) return bad('expected five amounts like 12.34');
  let paid = 0;
  for (const p of payments.split('_')) {
    const [amount, type, currency, ...more] = p.split(':');
    const v = parseDecimal(amount ?? '', '.');
    if (v === null || (type !== 'Bar' && type !== 'Unbar') || more.length > 0 || (currency ?? 'EUR').length !== 3)
      return bad(`expected a payment like 12.34:Bar, got ${p}`);
    paid += v;
  }
  const total = gross.reduce<number>((s, g) => s + g!, 0);
  if (paid !== total) return bad(`the amounts per rate sum to ${total} cents, the payments to ${paid}`);
  return null;
}
