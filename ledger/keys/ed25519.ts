// Ed25519 signatures and SHA-256 hashes for ledger entries, in Node.
//
// Implementations of one thing: Node's own crypto (OpenSSL) signs, libsodium (native/,
// where it loads) or OpenSSL verifies, and @noble/curves (audited, pure JS) is the
// reference. Ed25519 signing is deterministic, so
// the two must give byte-identical signatures; the tests check that they do, on the
// RFC 8032 vectors and on random keys and messages, and that both accept and refuse the
// same signatures (noble with zip215: false, which is RFC 8032's strict rule, as OpenSSL).
//
// What is signed is domain-separated: ENTRY_SIGNING_DOMAIN || canonical entry bytes, so a
// ledger signature can never be replayed as a signature over anything else the key signs.

import {
  hash as nodeHash,
  createPrivateKey,
  createPublicKey,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { toHex } from '../protocol/hex.js';
import { merkleWith, type Merkle } from '../protocol/merkle.js';
import { nativeEd25519 } from '../../native/ed25519.node.js';

export const ENTRY_SIGNING_DOMAIN = new TextEncoder().encode('smile-to-pay/ledger-entry/v1\n');
export const PUBLIC_KEY_BYTES = 32;
export const SECRET_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;

// DER headers that wrap a raw 32-byte Ed25519 key for OpenSSL (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function checkLength(what: string, bytes: Uint8Array, expected: number): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== expected) {
    throw new RangeError(
      `${what}: expected ${expected} bytes, got ${bytes instanceof Uint8Array ? bytes.length : typeof bytes}`,
    );
  }
}

export function nodePrivateKey(secretKey: Uint8Array): KeyObject {
  checkLength('Ed25519 secret key', secretKey, SECRET_KEY_BYTES);
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, secretKey]), format: 'der', type: 'pkcs8' });
}

const publicKeyCache = new Map<string, KeyObject>();
/** Public keys are few (one per key rotation): keep their OpenSSL objects. */
const PUBLIC_KEY_CACHE_MAX = 1024;

export function nodePublicKey(publicKey: Uint8Array): KeyObject {
  checkLength('Ed25519 public key', publicKey, PUBLIC_KEY_BYTES);
  const hex = toHex(publicKey);
  let key = publicKeyCache.get(hex);
  if (key === undefined) {
    key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
    if (publicKeyCache.size >= PUBLIC_KEY_CACHE_MAX) publicKeyCache.clear();
    publicKeyCache.set(hex, key);
  }
  return key;
}

export function publicKeyOf(secretKey: Uint8Array): Uint8Array {
  checkLength('Ed25519 secret key', secretKey, SECRET_KEY_BYTES);
  return ed25519.getPublicKey(secretKey);
}

// --- raw Ed25519 (RFC 8032), no domain: what the known-answer vectors test -------------

export function signRaw(secretKey: Uint8Array | KeyObject, message: Uint8Array): Uint8Array {
  const key = secretKey instanceof Uint8Array ? nodePrivateKey(secretKey) : secretKey;
  return new Uint8Array(nodeSign(null, message, key));
}

export function verifyRaw(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== SIGNATURE_BYTES) return false;
  if (nativeEd25519 !== null) return nativeEd25519.verify(publicKey, message, signature);
  return opensslVerifyRaw(publicKey, message, signature);
}

/** Node's OpenSSL Ed25519 verification: the fallback where libsodium is not available. */
export function opensslVerifyRaw(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== SIGNATURE_BYTES) return false;
  return nodeVerify(null, message, nodePublicKey(publicKey), signature);
}

/** Which implementation verifies signatures here, for logs, status and benchmarks. */
export const verifierName: string = nativeEd25519?.name ?? 'openssl';

/** The reference implementation, for the tests that prove the fast path byte-identical. */
export const reference = {
  signRaw: (secretKey: Uint8Array, message: Uint8Array): Uint8Array => ed25519.sign(message, secretKey),
  verifyRaw: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean => {
    try {
      return ed25519.verify(signature, message, publicKey, { zip215: false });
    } catch {
      return false;
    }
  },
};

// --- ledger entries ----------------------------------------------------------------------

export function entrySigningMessage(canonical: Uint8Array): Uint8Array {
  const message = new Uint8Array(ENTRY_SIGNING_DOMAIN.length + canonical.length);
  message.set(ENTRY_SIGNING_DOMAIN, 0);
  message.set(canonical, ENTRY_SIGNING_DOMAIN.length);
  return message;
}

export function signEntry(secretKey: Uint8Array | KeyObject, canonical: Uint8Array): Uint8Array {
  return signRaw(secretKey, entrySigningMessage(canonical));
}

export function verifyEntrySignature(publicKey: Uint8Array, canonical: Uint8Array, signature: Uint8Array): boolean {
  return verifyRaw(publicKey, entrySigningMessage(canonical), signature);
}

/** entry_hash = SHA-256(canonical bytes || signature): the chain link and the Merkle leaf. */
export function entryHash(canonical: Uint8Array, signature: Uint8Array): Uint8Array {
  const both = new Uint8Array(canonical.length + signature.length);
  both.set(canonical, 0);
  both.set(signature, canonical.length);
  return sha256(both);
}

/** Node's one-shot SHA-256 (about twice as fast as a Hash object for small inputs). */
export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(nodeHash('sha256', data, 'buffer'));
}

/** RFC 6962 Merkle functions over Node's SHA-256; same results as the protocol's defaults. */
export const nodeMerkle: Merkle = merkleWith(sha256);
