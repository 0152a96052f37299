// The native Ed25519 fast path: libsodium through the optional `sodium-native` package
// (a prebuilt N-API addon shipped inside the npm package, so it loads in Node and in
// Electron alike). It earns its place by bench:ledger: libsodium verifies about 1.5x as
// many signatures per second as Node's OpenSSL call, which has per-call EVP set-up costs.
//
// Where the addon does not load, callers fall back to Node's crypto. SMILE_ED25519=openssl
// forces that fallback. test/ledger/crypto.test.ts proves this path gives the same answers
// as @noble/curves and OpenSSL.

import { createRequire } from 'node:module';

export interface NativeEd25519 {
  readonly name: string;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

interface SodiumNative {
  crypto_sign_verify_detached(signature: Buffer, message: Buffer, publicKey: Buffer): boolean;
  crypto_sign_BYTES: number;
  crypto_sign_PUBLICKEYBYTES: number;
}

const asBuffer = (b: Uint8Array): Buffer =>
  Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);

function load(): NativeEd25519 | null {
  if (process.env.SMILE_ED25519 === 'openssl') return null;
  let sodium: SodiumNative;
  try {
    sodium = createRequire(import.meta.url)('sodium-native') as SodiumNative;
  } catch {
    return null;
  }
  if (sodium.crypto_sign_BYTES !== 64 || sodium.crypto_sign_PUBLICKEYBYTES !== 32) return null;
  return {
    name: 'libsodium',
    verify(publicKey, message, signature) {
      if (publicKey.length !== 32 || signature.length !== 64) return false;
      return sodium.crypto_sign_verify_detached(asBuffer(signature), asBuffer(message), asBuffer(publicKey));
    },
  };
}

/** libsodium's Ed25519, or null where it is not available (then use Node's crypto). */
export const nativeEd25519: NativeEd25519 | null = load();
