// The kiosk's device key: an Ed25519 key pair made on first start and kept in a file only
// its owner can read (mode 0600). The Electron shell passes a `protector` that wraps the
// secret with the OS keychain (safeStorage; the box key is sealed by the same one,
// key-protector.ts); plain Node keeps it as it is. A plaintext file opened with a protector is
// sealed in place. Never log the secret.

import { existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { randomBytes, type KeyObject } from 'node:crypto';
import { LedgerError } from '../protocol/errors.js';
import { writeSecretFile } from './secret-file.js';
import { fromHex, toHex } from '../protocol/hex.js';
import { ENTRY_SIGNING_DOMAIN, nodePrivateKey, publicKeyOf, signEntry, signRaw, SECRET_KEY_BYTES } from './ed25519.js';
import type { KeyProtector } from './key-protector.js';

export type { KeyProtector } from './key-protector.js';

export class DeviceKey {
  readonly publicKey: Uint8Array;
  readonly publicKeyHex: string;
  readonly #secret: KeyObject;

  constructor(secretKey: Uint8Array) {
    this.publicKey = publicKeyOf(secretKey);
    this.publicKeyHex = toHex(this.publicKey);
    this.#secret = nodePrivateKey(secretKey);
  }

  /** A key that lives only in memory (tests, benchmarks). */
  static generate(): DeviceKey {
    return new DeviceKey(newSecretKey());
  }

  /** Signs canonical entry bytes (the domain prefix is added by signEntry). */
  signEntry(canonical: Uint8Array): Uint8Array {
    return signEntry(this.#secret, canonical);
  }

  /**
   * Signs `domain || message` for something other than an entry (a request to the
   * settlement server). The entry domain is refused, so no such signature passes for an entry.
   */
  signWithDomain(domain: Uint8Array, message: Uint8Array): Uint8Array {
    if (domain.length === 0 || Buffer.from(domain).equals(ENTRY_SIGNING_DOMAIN)) {
      throw new RangeError('signWithDomain: expected a non-entry signing domain');
    }
    return signRaw(this.#secret, Buffer.concat([domain, message]));
  }

  toJSON(): { public_key: string } {
    return { public_key: this.publicKeyHex };
  }
}

interface KeyFile {
  v: 1;
  algorithm: 'ed25519';
  public_key: string;
  secret_key?: string;
  sealed_secret_key?: string;
  protector?: string;
}

const KEY_FILE_BYTES_MAX = 4096;

/** Loads the key at `path`, or makes one there if there is no file yet. */
export function loadOrCreateDeviceKey(path: string, protector?: KeyProtector): { key: DeviceKey; created: boolean } {
  if (existsSync(path)) return { key: loadDeviceKey(path, protector), created: false };
  return { key: writeKeyFile(path, newSecretKey(), protector), created: true };
}

export function loadDeviceKey(path: string, protector?: KeyProtector): DeviceKey {
  const bad = (why: string): never => {
    throw new LedgerError('LEDGER_KEY_FILE', `device key ${path}: ${why}`);
  };
  const stat = statSync(path);
  if ((stat.mode & 0o077) !== 0)
    bad(`mode ${(stat.mode & 0o777).toString(8)} lets others read it; expected 600 (chmod 600 it)`);
  if (stat.size > KEY_FILE_BYTES_MAX) bad(`${stat.size} bytes, more than a key file holds`);
  let file: KeyFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
  } catch {
    return bad('not JSON');
  }
  if (file.v !== 1 || file.algorithm !== 'ed25519') bad('not a version 1 Ed25519 key file');
  let secret: Uint8Array;
  if (file.sealed_secret_key !== undefined) {
    if (protector === undefined || protector.name !== file.protector)
      bad(`sealed by ${file.protector}, which is not available here`);
    secret = protector!.open(Buffer.from(file.sealed_secret_key, 'base64'));
  } else if (file.secret_key !== undefined) {
    secret = fromHex(file.secret_key, SECRET_KEY_BYTES);
    // A plaintext key (made before a protector was there): sealed from now on.
    if (protector !== undefined) {
      const key = new DeviceKey(secret);
      if (key.publicKeyHex !== file.public_key) bad('its public key does not belong to its secret key');
      writeKeyFile(path, secret, protector);
      return key;
    }
  } else {
    return bad('holds no secret key');
  }
  const key = new DeviceKey(secret);
  if (key.publicKeyHex !== file.public_key) bad('its public key does not belong to its secret key');
  return key;
}

export function newSecretKey(): Uint8Array {
  return new Uint8Array(randomBytes(SECRET_KEY_BYTES));
}

/** Where a rotation's new key waits until the rotation entry is committed. */
export const pendingKeyPath = (path: string): string => `${path}.next`;

/**
 * Finishes a key rotation that a crash interrupted: if the ledger already expects the key
 * waiting in the pending file, that file becomes the key file; if it does not, the
 * rotation never committed and the pending file is dropped. Returns the key to sign with.
 */
export function settlePendingKey(path: string, expectedPublicKeyHex: string, protector?: KeyProtector): DeviceKey {
  const pending = pendingKeyPath(path);
  if (existsSync(pending)) {
    const next = loadDeviceKey(pending, protector);
    if (next.publicKeyHex === expectedPublicKeyHex) {
      renameSync(pending, path);
      return next;
    }
    renameSync(pending, `${pending}.abandoned-${Date.now()}`);
  }
  return loadDeviceKey(path, protector);
}

/** Writes a new key file atomically (temp file, fsync, rename) with mode 0600. */
export function writeKeyFile(path: string, secretKey: Uint8Array, protector?: KeyProtector): DeviceKey {
  const key = new DeviceKey(secretKey);
  const file: KeyFile = { v: 1, algorithm: 'ed25519', public_key: key.publicKeyHex };
  if (protector !== undefined) {
    file.protector = protector.name;
    file.sealed_secret_key = Buffer.from(protector.seal(secretKey)).toString('base64');
  } else {
    file.secret_key = toHex(secretKey);
  }
  writeSecretFile(path, JSON.stringify(file) + '\n');
  return key;
}
