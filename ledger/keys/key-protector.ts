// Sealing the kiosk's secret keys at rest (the Ed25519 device key that signs the ledger, and the
// X25519 box key that unseals every customer's face template). One interface for both files
// (device-key.ts, box-key.ts): the Electron shell passes one backed by the OS keychain
// (safeStorage, electron/host/key-protection.ts judges how strong it is); plain Node has none,
// and the files are then protected only by their mode (0600) and the OS account.
//
// aesGcmProtector seals with AES-256-GCM under a 32-byte wrapping key held elsewhere (a key the
// OS keychain or a hardware token hands the process; the tests hold one in memory): what a
// keychain does, in a form plain Node can run and test.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Seals and opens a secret key at rest. `open` throws on a sealed value it did not make. */
export interface KeyProtector {
  /** Recorded in the key file, so a file is only opened by the protector that sealed it. */
  name: string;
  seal(secret: Uint8Array): Uint8Array;
  open(sealed: Uint8Array): Uint8Array;
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const WRAPPING_KEY_BYTES = 32;

export function aesGcmProtector(name: string, wrappingKey: Uint8Array): KeyProtector {
  if (wrappingKey.length !== WRAPPING_KEY_BYTES)
    throw new RangeError(`wrapping key: expected ${WRAPPING_KEY_BYTES} bytes, got ${wrappingKey.length}`);
  const key = Buffer.from(wrappingKey);
  // The protector's name is authenticated with the secret: a sealed key moved under another name fails.
  const aad = Buffer.from(`smile-to-pay/key-at-rest/v1\n${name}`);
  return {
    name,
    seal(secret) {
      const nonce = randomBytes(NONCE_BYTES);
      const c = createCipheriv('aes-256-gcm', key, nonce).setAAD(aad);
      const body = Buffer.concat([c.update(secret), c.final()]);
      return new Uint8Array(Buffer.concat([nonce, body, c.getAuthTag()]));
    },
    open(sealed) {
      const b = Buffer.from(sealed);
      if (b.length < NONCE_BYTES + TAG_BYTES)
        throw new Error(`${name}: a sealed key of ${b.length} bytes is too short`);
      const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, NONCE_BYTES)).setAAD(aad);
      d.setAuthTag(b.subarray(b.length - TAG_BYTES));
      return new Uint8Array(Buffer.concat([d.update(b.subarray(NONCE_BYTES, b.length - TAG_BYTES)), d.final()]));
    },
  };
}
