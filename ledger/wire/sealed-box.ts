// Templates sealed to a recipient's X25519 key: an ephemeral X25519 key agreement, HKDF-SHA256
// to a 256-bit key, AES-256-GCM. The recipient's public key and the ephemeral key are bound
// into the key derivation and the associated data names what is sealed (a customer's
// templates), so a box cannot be moved to another customer.
// Small enough to audit in one sitting; nothing here logs what it seals.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { SealedBox } from './wire.js';

const INFO = new TextEncoder().encode('smile-to-pay/sealed-templates/v1');
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const BOX_KEY_BYTES = 32;

export function newBoxSecret(): Uint8Array {
  return new Uint8Array(randomBytes(BOX_KEY_BYTES));
}

export function boxPublicKey(secret: Uint8Array): Uint8Array {
  return x25519.getPublicKey(secret);
}

function deriveKey(shared: Uint8Array, ephemeralPublic: Uint8Array, recipientPublic: Uint8Array): Uint8Array {
  const salt = new Uint8Array(64);
  salt.set(ephemeralPublic, 0);
  salt.set(recipientPublic, 32);
  return hkdf(sha256, shared, salt, INFO, 32);
}

/** Seals `plain` to `recipientPublic`; `label` (e.g. the customer id) must match on opening. */
export function seal(plain: Uint8Array, recipientPublic: Uint8Array, label: string): SealedBox {
  const ephemeral = newBoxSecret();
  const ephemeralPublic = x25519.getPublicKey(ephemeral);
  const key = deriveKey(x25519.getSharedSecret(ephemeral, recipientPublic), ephemeralPublic, recipientPublic);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(label, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return {
    ephemeral_public_key: Buffer.from(ephemeralPublic).toString('base64'),
    nonce: nonce.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

/** Opens a box sealed to the key pair of `recipientSecret`; null when it does not open. */
export function open(box: SealedBox, recipientSecret: Uint8Array, label: string): Uint8Array | null {
  try {
    const ephemeralPublic = Buffer.from(box.ephemeral_public_key, 'base64');
    const nonce = Buffer.from(box.nonce, 'base64');
    const data = Buffer.from(box.ciphertext, 'base64');
    if (ephemeralPublic.length !== BOX_KEY_BYTES || nonce.length !== NONCE_BYTES || data.length < TAG_BYTES)
      return null;
    const recipientPublic = x25519.getPublicKey(recipientSecret);
    const key = deriveKey(x25519.getSharedSecret(recipientSecret, ephemeralPublic), ephemeralPublic, recipientPublic);
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(Buffer.from(label, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    return new Uint8Array(
      Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]),
    );
  } catch {
    return null;
  }
}
