// Face templates at rest: AES-256-GCM with a 96-bit random nonce, the customer id bound as
// additional data (a template moved to another customer's row fails to open). The key lives
// outside the database (the kiosk's key store or a file readable by the host only) and is
// passed in; it is never logged. Format: "v1." base64url(nonce | ciphertext | tag).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const TEMPLATE_KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const TEMPLATE_DESCRIPTORS_MAX = 32;

export class TemplateError extends Error {
  constructor(
    readonly code: 'TEMPLATE_KEY_INVALID' | 'TEMPLATE_CORRUPT',
    message: string,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

function checkKey(key: Uint8Array): void {
  if (key.length !== TEMPLATE_KEY_BYTES)
    throw new TemplateError(
      'TEMPLATE_KEY_INVALID',
      `template key: expected ${TEMPLATE_KEY_BYTES} bytes, got ${key.length}`,
    );
}

export function sealTemplate(key: Uint8Array, customerId: string, descriptors: number[][]): string {
  checkKey(key);
  if (descriptors.length === 0 || descriptors.length > TEMPLATE_DESCRIPTORS_MAX)
    throw new Error(`template: 1..${TEMPLATE_DESCRIPTORS_MAX} descriptors, got ${descriptors.length}`);
  const plain = Buffer.from(new Float32Array(descriptors.flat()).buffer);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(`smile-template-v1:${customerId}`));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return `v1.${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url')}`;
}

export function openTemplate(key: Uint8Array, customerId: string, sealed: string, dims = 128): number[][] {
  checkKey(key);
  if (!sealed.startsWith('v1.')) throw new TemplateError('TEMPLATE_CORRUPT', 'template: expected the "v1." format');
  const raw = Buffer.from(sealed.slice(3), 'base64url');
  if (raw.length < NONCE_BYTES + TAG_BYTES + 4 * dims)
    throw new TemplateError('TEMPLATE_CORRUPT', `template: ${raw.length} bytes is too short`);
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(`smile-template-v1:${customerId}`));
  decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new TemplateError(
      'TEMPLATE_CORRUPT',
      `template of ${customerId}: authentication failed (wrong key, wrong customer, or altered bytes)`,
    );
  }
  const floats = new Float32Array(plain.buffer, plain.byteOffset, plain.byteLength / 4);
  if (floats.length % dims !== 0)
    throw new TemplateError('TEMPLATE_CORRUPT', `template: ${floats.length} floats is not a multiple of ${dims}`);
  return Array.from({ length: floats.length / dims }, (_, i) => Array.from(floats.subarray(i * dims, (i + 1) * dims)));
}
