// Interop and the fast paths: Node's own crypto.verify accepts our entry signatures; the
// OpenSSL signer is byte-identical to the @noble/curves reference; and the verifiers
// (libsodium where it loads, OpenSSL, noble) make the same accept/refuse decision on random
// keys, messages and corrupted signatures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import fc from 'fast-check';
import {
  entrySigningMessage,
  ENTRY_SIGNING_DOMAIN,
  opensslVerifyRaw,
  reference,
  signRaw,
  verifyRaw,
  verifierName,
  publicKeyOf,
} from '../../ledger/keys/ed25519.js';
import { nativeEd25519 } from '../../native/ed25519.node.js';
import { DeviceKey } from '../../ledger/keys/device-key.js';
import { canonicalBytes } from '../../ledger/protocol/canonical.js';

test('Node crypto.verify, given only the raw public key as a JWK, accepts our entry signatures', () => {
  const key = DeviceKey.generate();
  const canonical = canonicalBytes({ v: 1, kind: 'payment', amount_minor: 1250 });
  const signature = key.signEntry(canonical);
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key.publicKey).toString('base64url') },
    format: 'jwk',
  });
  assert.ok(cryptoVerify(null, entrySigningMessage(canonical), publicKey, signature));
  // The domain prefix is part of what is signed: the bare bytes do not verify.
  assert.equal(cryptoVerify(null, canonical, publicKey, signature), false);
  assert.equal(new TextDecoder().decode(ENTRY_SIGNING_DOMAIN), 'smile-to-pay/ledger-entry/v1\n');
});

test('the fast path signs byte-identically to the reference and agrees on every accept and refuse', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.uint8Array({ maxLength: 300 }),
      fc.nat(),
      fc.integer({ min: 0, max: 7 }),
      (secret, message, pos, bit) => {
        const publicKey = publicKeyOf(secret);
        const fast = signRaw(secret, message);
        assert.deepEqual(fast, reference.signRaw(secret, message));
        assert.equal(verifyRaw(publicKey, message, fast), true);
        assert.equal(reference.verifyRaw(publicKey, message, fast), true);
        const bad = new Uint8Array(fast);
        bad[pos % 64]! ^= 1 << bit;
        const decision = reference.verifyRaw(publicKey, message, bad);
        assert.equal(verifyRaw(publicKey, message, bad), decision);
        assert.equal(opensslVerifyRaw(publicKey, message, bad), decision);
        if (message.length > 0) {
          const other = new Uint8Array(message);
          other[pos % other.length]! ^= 1 << bit;
          assert.equal(verifyRaw(publicKey, other, fast), false);
          assert.equal(opensslVerifyRaw(publicKey, other, fast), false);
          assert.equal(reference.verifyRaw(publicKey, other, fast), false);
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('a signature with S >= L (non-canonical, malleable) is refused by both paths', () => {
  const secret = new Uint8Array(32).fill(7);
  const message = new Uint8Array([1, 2, 3]);
  const sig = signRaw(secret, message);
  // Add the group order L to S (little-endian): the same point equation, a different encoding.
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;
  let s = 0n;
  for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(sig[32 + i]!);
  let t = s + L;
  const malleable = new Uint8Array(sig);
  for (let i = 0; i < 32; i++) {
    malleable[32 + i] = Number(t & 0xffn);
    t >>= 8n;
  }
  assert.equal(verifyRaw(publicKeyOf(secret), message, malleable), false);
  assert.equal(opensslVerifyRaw(publicKeyOf(secret), message, malleable), false);
  assert.equal(reference.verifyRaw(publicKeyOf(secret), message, malleable), false);
});

test('the native libsodium verifier is the one in use where it loads, and agrees with the others', () => {
  // sodium-native ships linux-x64 prebuilds in its npm package, so on these machines it loads.
  assert.ok(nativeEd25519 !== null, 'sodium-native loads on this machine');
  assert.equal(verifierName, 'libsodium');
  const secret = new Uint8Array(32).fill(9);
  const message = new TextEncoder().encode('smile');
  const sig = signRaw(secret, message);
  assert.equal(nativeEd25519.verify(publicKeyOf(secret), message, sig), true);
  assert.equal(nativeEd25519.verify(publicKeyOf(secret), message, sig.subarray(0, 63)), false);
  assert.equal(nativeEd25519.verify(publicKeyOf(secret).subarray(1), message, sig), false);
});
