// A verification thread of the settlement server (see verify-pool.ts): checks Ed25519
// signatures of ledger entries off the main thread, so that the server's other core
// verifies while the main thread talks to the database. The same two implementations as
// ledger/keys/ed25519.ts, in the same order: libsodium (sodium-native) where it loads, unless
// SMILE_ED25519=openssl, else Node's crypto (OpenSSL). Plain JavaScript: no loader needed.
import { parentPort } from 'node:worker_threads';
import { createPublicKey, verify } from 'node:crypto';
import { createRequire } from 'node:module';

function loadSodium() {
  if (process.env.SMILE_ED25519 === 'openssl') return null;
  try {
    const sodium = createRequire(import.meta.url)('sodium-native');
    return sodium.crypto_sign_BYTES === 64 && sodium.crypto_sign_PUBLICKEYBYTES === 32 ? sodium : null;
  } catch {
    return null;
  }
}
const sodium = loadSodium();

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const keys = new Map();
const KEYS_MAX = 1024;

function keyOf(hex) {
  let key = keys.get(hex);
  if (key === undefined) {
    key = createPublicKey({
      key: Buffer.concat([SPKI_ED25519_PREFIX, Buffer.from(hex, 'hex')]),
      format: 'der',
      type: 'spki',
    });
    if (keys.size >= KEYS_MAX) keys.clear();
    keys.set(hex, key);
  }
  return key;
}

// job: { id, domain: Uint8Array, messages: Uint8Array[], signatures: Uint8Array[], keys: string[] }
parentPort.on('message', (job) => {
  const valid = new Uint8Array(job.messages.length);
  for (let i = 0; i < job.messages.length; i++) {
    const message = Buffer.concat([job.domain, job.messages[i]]);
    const signature = Buffer.from(job.signatures[i]);
    if (sodium !== null) {
      const key = Buffer.from(job.keys[i], 'hex');
      valid[i] =
        key.length === 32 && signature.length === 64 && sodium.crypto_sign_verify_detached(signature, message, key)
          ? 1
          : 0;
    } else {
      valid[i] = verify(null, message, keyOf(job.keys[i]), signature) ? 1 : 0;
    }
  }
  parentPort.postMessage({ id: job.id, valid }, [valid.buffer]);
});
