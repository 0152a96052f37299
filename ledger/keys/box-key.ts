// The kiosk's X25519 key, to which the server seals the gallery's templates: whoever reads it
// unseals every enrolled customer's face template (with their name and phone digits). Made on
// first start, kept in a file only its owner can read (mode 0600), written atomically, and
// sealed by the same KeyProtector as the device key when one is given (key-protector.ts). A
// plaintext file (version 1, or an older kiosk's) is sealed in place the first time a protector
// opens it.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fromHex, toHex } from '../protocol/hex.js';
import { boxPublicKey, newBoxSecret } from '../wire/sealed-box.js';
import type { KeyProtector } from './key-protector.js';
import { writeSecretFile } from './secret-file.js';

export interface BoxKey {
  secret: Uint8Array;
  publicKeyHex: string;
}

/** Version 1: the secret in hex. Version 2: sealed by a protector, with the public key beside it. */
type BoxKeyFile =
  { v: 1; x25519_secret: string } | { v: 2; public_key: string; protector: string; sealed_secret: string };

const BOX_KEY_FILE_BYTES_MAX = 4096;

export function boxKeyFrom(secret: Uint8Array): BoxKey {
  return { secret, publicKeyHex: toHex(boxPublicKey(secret)) };
}

export function loadOrCreateBoxKey(path: string, protector?: KeyProtector): BoxKey {
  if (!existsSync(path)) {
    const key = boxKeyFrom(newBoxSecret());
    writeBoxKey(path, key, protector);
    return key;
  }
  const bad = (why: string): never => {
    throw new Error(`box key ${path}: ${why}`);
  };
  const st = statSync(path);
  if ((st.mode & 0o077) !== 0) bad('others can read it; expected mode 600');
  if (st.size > BOX_KEY_FILE_BYTES_MAX) bad(`${st.size} bytes, more than a key file holds`);
  let file: BoxKeyFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as BoxKeyFile;
  } catch {
    return bad('not JSON');
  }
  if (file.v === 1) {
    const key = boxKeyFrom(fromHex(file.x25519_secret, 32));
    if (protector) writeBoxKey(path, key, protector); // sealed from now on
    return key;
  }
  if (file.v !== 2) return bad(`expected version 1 or 2, got ${String((file as { v: unknown }).v)}`);
  if (protector === undefined || protector.name !== file.protector)
    return bad(`sealed by ${file.protector}, which is not available here`);
  const key = boxKeyFrom(protector.open(Buffer.from(file.sealed_secret, 'base64')));
  if (key.publicKeyHex !== file.public_key) bad('its public key does not belong to its secret key');
  return key;
}

function writeBoxKey(path: string, key: BoxKey, protector?: KeyProtector): void {
  const file: BoxKeyFile = protector
    ? {
        v: 2,
        public_key: key.publicKeyHex,
        protector: protector.name,
        sealed_secret: Buffer.from(protector.seal(key.secret)).toString('base64'),
      }
    : { v: 1, x25519_secret: toHex(key.secret) };
  writeSecretFile(path, JSON.stringify(file) + '\n');
}
