// The server's own keys, each in its own file readable by its owner only (mode 0600), made
// on first start, written atomically: the Ed25519 key that signs receipts, feed pages and
// lookups (server-signing-key.json), and the X25519 key that unseals customers' templates at
// rest (server-box-key.json). Apart, so that whoever holds a copy of the signing key (a second
// server, a backup) does not also hold every customer's templates, and so that an operator
// can keep them on different volumes (`settle serve --signing-key F --box-key F`). A server of
// an older version kept both in server-keys.json: that file is split at start, then removed.
// The regulator's key is not here: the server holds only its public half (regulator_keys),
// so the operator cannot forge a freeze.

import { existsSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { fromHex, toHex } from '../protocol/hex.js';
import { nodePrivateKey, publicKeyOf } from '../keys/ed25519.js';
import { newSecretKey } from '../keys/device-key.js';
import { writeSecretFile } from '../keys/secret-file.js';
import { boxPublicKey, newBoxSecret } from '../wire/sealed-box.js';
import { SERVER_BOX_KEY_DOMAIN, boxKeyStatement, signDomain } from '../wire/signing.js';
import { serverKeyFingerprint } from '../wire/merchant-token.js';

export interface ServerKeys {
  signing: KeyObject;
  publicKeyHex: string;
  boxSecret: Uint8Array;
  boxPublicKeyHex: string;
  /** The signing key's signature over the box key, for kiosks that pin only the signing key. */
  boxKeySignature: string;
  /** What a merchant token carries to pin `publicKeyHex`. */
  fingerprint: string;
}

export interface ServerKeyPaths {
  signing: string;
  box: string;
  /** The combined file of older versions, split when found. */
  legacy?: string;
}

export function defaultKeyPaths(dataDir: string): Required<ServerKeyPaths> {
  return {
    signing: join(dataDir, 'server-signing-key.json'),
    box: join(dataDir, 'server-box-key.json'),
    legacy: join(dataDir, 'server-keys.json'),
  };
}

export function serverKeysFrom(ed25519Secret: Uint8Array, x25519Secret: Uint8Array): ServerKeys {
  const signing = nodePrivateKey(ed25519Secret);
  const publicKeyHex = toHex(publicKeyOf(ed25519Secret));
  const boxPublicKeyHex = toHex(boxPublicKey(x25519Secret));
  return {
    signing,
    publicKeyHex,
    boxSecret: x25519Secret,
    boxPublicKeyHex,
    boxKeySignature: signDomain(SERVER_BOX_KEY_DOMAIN, signing, boxKeyStatement(boxPublicKeyHex)),
    fingerprint: serverKeyFingerprint(publicKeyHex),
  };
}

export function generateServerKeys(): ServerKeys {
  return serverKeysFrom(newSecretKey(), newBoxSecret());
}

type Field = 'ed25519_secret' | 'x25519_secret';

function readSecret(path: string, field: Field): Uint8Array {
  if ((statSync(path).mode & 0o077) !== 0)
    throw new Error(`server key file ${path}: others can read it; expected mode 600`);
  const file = JSON.parse(readFileSync(path, 'utf8')) as { v?: unknown } & Partial<Record<Field, string>>;
  if (file.v !== 1) throw new Error(`server key file ${path}: expected version 1, got ${String(file.v)}`);
  const hex = file[field];
  if (typeof hex !== 'string') throw new Error(`server key file ${path}: expected ${field}`);
  return fromHex(hex, 32);
}

function loadOrCreate(path: string, field: Field, fromLegacy: Uint8Array | undefined, make: () => Uint8Array) {
  if (existsSync(path)) {
    const secret = readSecret(path, field);
    if (fromLegacy !== undefined && toHex(fromLegacy) !== toHex(secret))
      throw new Error(
        `server key file ${path}: differs from the older combined key file; keep one and remove the other`,
      );
    return secret;
  }
  const secret = fromLegacy ?? make();
  writeSecretFile(path, JSON.stringify({ v: 1, [field]: toHex(secret) }) + '\n');
  return secret;
}

export function loadOrCreateServerKeys(paths: ServerKeyPaths): ServerKeys {
  if (paths.signing === paths.box) throw new Error(`server keys: the signing key and the box key need two files`);
  const legacy = paths.legacy !== undefined && existsSync(paths.legacy) ? paths.legacy : undefined;
  const old =
    legacy === undefined
      ? undefined
      : { ed: readSecret(legacy, 'ed25519_secret'), x: readSecret(legacy, 'x25519_secret') };
  const ed = loadOrCreate(paths.signing, 'ed25519_secret', old?.ed, newSecretKey);
  const x = loadOrCreate(paths.box, 'x25519_secret', old?.x, newBoxSecret);
  if (legacy !== undefined) unlinkSync(legacy);
  return serverKeysFrom(ed, x);
}
