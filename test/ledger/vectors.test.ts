// Known-answer vectors: RFC 8032 Ed25519 through our signing wrapper (fast path and
// reference), RFC 6962 Merkle roots and audit paths, RFC 8785 canonical JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { nodeMerkle, opensslVerifyRaw, reference, signRaw, verifyRaw, publicKeyOf } from '../../ledger/keys/ed25519.js';
import { fromHex, toHex } from '../../ledger/protocol/hex.js';
import { defaultMerkle, type Merkle } from '../../ledger/protocol/merkle.js';
import { canonicalize } from '../../ledger/protocol/canonical.js';

const load = (name: string) => JSON.parse(readFileSync(new URL(`../vectors/${name}`, import.meta.url), 'utf8'));

test('RFC 8032 Ed25519 vectors: our wrapper derives the public key, signs byte-for-byte, and verifies', () => {
  const { vectors } = load('rfc8032-ed25519.json');
  assert.ok(vectors.length >= 4);
  for (const v of vectors) {
    const secret = fromHex(v.secret_key, 32);
    const message = fromHex(v.message);
    assert.equal(toHex(publicKeyOf(secret)), v.public_key, `${v.name}: public key`);
    assert.equal(toHex(signRaw(secret, message)), v.signature, `${v.name}: signature (Node fast path)`);
    assert.equal(toHex(reference.signRaw(secret, message)), v.signature, `${v.name}: signature (noble reference)`);
    for (const [impl, verify] of [
      ['fast path', verifyRaw],
      ['openssl', opensslVerifyRaw],
      ['noble', reference.verifyRaw],
    ] as const) {
      assert.ok(verify(fromHex(v.public_key), message, fromHex(v.signature)), `${v.name}: verifies (${impl})`);
      const flipped = fromHex(v.signature);
      flipped[0]! ^= 1;
      assert.equal(verify(fromHex(v.public_key), message, flipped), false, `${v.name}: a flipped bit fails (${impl})`);
    }
  }
});

// Both SHA-256s: noble's (the protocol default, runs anywhere) and Node's (nodeMerkle).
const MERKLES: [string, Merkle][] = [
  ['noble', defaultMerkle],
  ['node', nodeMerkle],
];

for (const [impl, { merkleRoot, inclusionProof, verifyInclusion }] of MERKLES) {
  test(`RFC 6962 Merkle tree heads for every prefix of the eight test leaves, and the empty tree (${impl} SHA-256)`, () => {
    const v = load('rfc6962-merkle.json');
    const leaves = (v.leaves as string[]).map((h) => fromHex(h));
    assert.equal(toHex(merkleRoot([])), v.empty_root);
    v.roots.forEach((root: string, i: number) =>
      assert.equal(toHex(merkleRoot(leaves.slice(0, i + 1))), root, `root of ${i + 1} leaves`),
    );
  });

  test(`RFC 6962 audit paths: generated as the vectors say, and each verifies against its root (${impl} SHA-256)`, () => {
    const v = load('rfc6962-merkle.json');
    const leaves = (v.leaves as string[]).map((h) => fromHex(h));
    for (const p of v.inclusion_proofs) {
      const tree = leaves.slice(0, p.tree_size);
      const path = inclusionProof(tree, p.leaf_index);
      assert.deepEqual(path.map(toHex), p.path, `path of leaf ${p.leaf_index} in ${p.tree_size}`);
      const root = fromHex(v.roots[p.tree_size - 1]);
      assert.ok(verifyInclusion(tree[p.leaf_index]!, p.leaf_index, p.tree_size, path, root));
      assert.equal(
        verifyInclusion(tree[p.leaf_index]!, p.leaf_index + 1, p.tree_size, path, root),
        false,
        'wrong index fails',
      );
      if (path.length > 0) {
        const bad = path.map((h) => new Uint8Array(h));
        bad[0]![5]! ^= 0x80;
        assert.equal(
          verifyInclusion(tree[p.leaf_index]!, p.leaf_index, p.tree_size, bad, root),
          false,
          'altered path fails',
        );
      }
    }
  });

  test(`every leaf of trees of 1..70 leaves has a proof that verifies, and only for its own index (${impl} SHA-256)`, () => {
    const leaves = Array.from({ length: 70 }, (_, i) => new Uint8Array([i, i >> 8, 7]));
    for (let n = 1; n <= 70; n++) {
      const tree = leaves.slice(0, n);
      const root = merkleRoot(tree);
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(tree, i);
        assert.ok(verifyInclusion(tree[i]!, i, n, proof, root), `leaf ${i} of ${n}`);
        if (n > 1) assert.equal(verifyInclusion(tree[i]!, (i + 1) % n, n, proof, root), false);
      }
    }
  });
}

test('RFC 8785 canonicalization examples: key order by UTF-16 units, the worked example, number forms', () => {
  const v = load('rfc8785-jcs.json');
  for (const c of v.cases) assert.equal(canonicalize(JSON.parse(c.input)), c.expected, c.name);
  for (const [bits, expected] of v.numbers as [string, string][]) {
    const value = Buffer.from(bits, 'hex').readDoubleBE(0);
    assert.equal(canonicalize(value), expected, `IEEE 754 ${bits}`);
  }
});

test('canonicalization refuses what has no canonical form, naming where', () => {
  assert.throws(() => canonicalize({ a: [1, NaN] }), /\$\.a\[1\]: expected a finite number/);
  assert.throws(() => canonicalize({ a: undefined }), /\$\.a: undefined/);
  assert.throws(() => canonicalize({ s: 'x\ud800' }), /lone surrogate/);
  assert.throws(() => canonicalize(-0), /-0/);
  assert.throws(() => canonicalize(new Date(0)), /plain object/);
  assert.throws(() => canonicalize(10n), /bigint/);
});
