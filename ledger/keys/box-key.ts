// The kiosk's X25519 key, to which the server seals the gallery's templates. Made on first
// start, kept in a file only its owner can read (mode 0600), written atomically.

import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { fromHex, toHex } from '../protocol/hex.js';
import { boxPublicKey, newBoxSecret } from '../wire/sealed-box.js';

export interface BoxKey {
  secret: Uint8Array;
  publicKeyHex: string;
}

export function boxKeyFrom(secret: Uint8Array): BoxKey {
  return { secret, publicKeyHex: toHex(boxPublicKey(secret)) };
}

export function loadOrCreateBoxKey(path: string): BoxKey {
  if (existsSync(path)) {
    if ((statSync(path).mode & 0o077) !== 0) throw new Error(`box key ${path}: others can read it; expected mode 600`);
    const file = JSON.parse(readFileSync(path, 'utf8')) as { v: number; x25519_secret: string };
    if (file.v !== 1) throw new Error(`box key ${path}: expected version 1, got ${String(file.v)}`);
    return boxKeyFrom(fromHex(file.x25519_secret, 32));
  }
  const secret = newBoxSecret();
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, JSON.stringify({ v: 1, x25519_secret: toHex(secret) }) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return boxKeyFrom(secret);
}
