// The server's own keys: Ed25519 to sign receipts and feed pages, X25519 to receive sealed
// templates. Kept in one JSON file readable by its owner only (mode 0600), made on first
// start, written atomically. The regulator's key is not here: the server holds only its
// public half (regulator_keys), so the operator cannot forge a freeze.

import { existsSync, readFileSync, statSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { fromHex, toHex } from '../protocol/hex.js';
import { nodePrivateKey, publicKeyOf } from '../keys/ed25519.js';
import { newSecretKey } from '../keys/device-key.js';
import { writeSecretFile } from '../keys/secret-file.js';
import { boxPublicKey, newBoxSecret } from '../wire/sealed-box.js';

export interface ServerKeys {
  signing: KeyObject;
  publicKeyHex: string;
  boxSecret: Uint8Array;
  boxPublicKeyHex: string;
}

interface ServerKeyFile {
  v: 1;
  ed25519_secret: string;
  x25519_secret: string;
}

export function serverKeysFrom(ed25519Secret: Uint8Array, x25519Secret: Uint8Array): ServerKeys {
  return {
    signing: nodePrivateKey(ed25519Secret),
    publicKeyHex: toHex(publicKeyOf(ed25519Secret)),
    boxSecret: x25519Secret,
    boxPublicKeyHex: toHex(boxPublicKey(x25519Secret)),
  };
}

export function generateServerKeys(): ServerKeys {
  return serverKeysFrom(newSecretKey(), newBoxSecret());
}

export function loadOrCreateServerKeys(path: string): ServerKeys {
  if (existsSync(path)) {
    const mode = statSync(path).mode & 0o077;
    if (mode !== 0) throw new Error(`server key file ${path}: others can read it; expected mode 600`);
    const file = JSON.parse(readFileSync(path, 'utf8')) as ServerKeyFile;
    if (file.v !== 1) throw new Error(`server key file ${path}: expected version 1, got ${String(file.v)}`);
    return serverKeysFrom(fromHex(file.ed25519_secret, 32), fromHex(file.x25519_secret, 32));
  }
  const ed = newSecretKey();
  const x = newBoxSecret();
  const file: ServerKeyFile = { v: 1, ed25519_secret: toHex(ed), x25519_secret: toHex(x) };
  writeSecretFile(path, JSON.stringify(file) + '\n');
  return serverKeysFrom(ed, x);
}
