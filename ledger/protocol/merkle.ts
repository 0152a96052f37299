// RFC 6962 / RFC 9162 Merkle tree hash over a day's entry hashes, inclusion proofs and
// their verification. Leaves are hashed with a 0x00 prefix and nodes with 0x01, so a leaf
// can never pass for a node. Runs anywhere with SHA-256 from @noble/hashes; Node code
// passes its native SHA-256 to merkleWith() for speed (ledger/keys/ed25519.ts: nodeMerkle).

import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

export type Sha256 = (data: Uint8Array) => Uint8Array;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;
/** A proof has at most one hash per level of a tree of 2^64 leaves. */
export const PROOF_HASHES_MAX = 64;

export interface Merkle {
  leafHash(data: Uint8Array): Uint8Array;
  nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array;
  merkleRoot(leaves: readonly Uint8Array[]): Uint8Array;
  inclusionProof(leaves: readonly Uint8Array[], index: number): Uint8Array[];
  verifyInclusion(
    leaf: Uint8Array,
    index: number,
    treeSize: number,
    proof: readonly Uint8Array[],
    root: Uint8Array,
  ): boolean;
}

/** The Merkle functions over a given SHA-256. */
export function merkleWith(sha256: Sha256): Merkle {
  function leafHash(data: Uint8Array): Uint8Array {
    const buf = new Uint8Array(data.length + 1);
    buf[0] = LEAF_PREFIX;
    buf.set(data, 1);
    return sha256(buf);
  }

  function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
    const buf = new Uint8Array(65);
    buf[0] = NODE_PREFIX;
    buf.set(left, 1);
    buf.set(right, 33);
    return sha256(buf);
  }

  /** Largest power of two strictly less than n (n >= 2). */
  function splitPoint(n: number): number {
    let k = 1;
    while (k * 2 < n) k *= 2;
    return k;
  }

  /** MTH(D[n]) of RFC 6962 section 2.1, over the leaves' data (not yet leaf-hashed). */
  function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
    if (leaves.length === 0) return sha256(new Uint8Array(0));
    return subtreeRoot(leaves.map(leafHash), 0, leaves.length);
  }

  function subtreeRoot(hashes: readonly Uint8Array[], start: number, end: number): Uint8Array {
    const n = end - start;
    if (n === 1) return hashes[start] as Uint8Array;
    const k = splitPoint(n);
    return nodeHash(subtreeRoot(hashes, start, start + k), subtreeRoot(hashes, start + k, end));
  }

  /** PATH(m, D[n]) of RFC 6962 section 2.1.1: the audit path of leaf `index`. */
  function inclusionProof(leaves: readonly Uint8Array[], index: number): Uint8Array[] {
    if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
      throw new RangeError(`leaf index must be in 0..${leaves.length - 1}, got ${index}`);
    }
    const hashes = leaves.map(leafHash);
    const path: Uint8Array[] = [];
    let start = 0;
    let end = hashes.length;
    let m = index;
    // Walk down from the root, collecting the sibling subtree at each split; the path is
    // listed leaf first, so collect then reverse.
    while (end - start > 1) {
      const k = splitPoint(end - start);
      if (m < k) {
        path.push(subtreeRoot(hashes, start + k, end));
        end = start + k;
      } else {
        path.push(subtreeRoot(hashes, start, start + k));
        start += k;
        m -= k;
      }
    }
    return path.reverse();
  }

  /** RFC 9162 section 2.1.3.2: does `proof` show leaf `index` of a tree of `treeSize` has root `root`? */
  function verifyInclusion(
    leaf: Uint8Array,
    index: number,
    treeSize: number,
    proof: readonly Uint8Array[],
    root: Uint8Array,
  ): boolean {
    if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize) return false;
    if (proof.length > PROOF_HASHES_MAX) return false;
    let fn = index;
    let sn = treeSize - 1;
    let r = leafHash(leaf);
    for (const p of proof) {
      if (p.length !== 32 || sn === 0) return false;
      if (fn % 2 === 1 || fn === sn) {
        r = nodeHash(p, r);
        if (fn % 2 === 0) {
          while (fn % 2 === 0 && fn !== 0) {
            fn = Math.floor(fn / 2);
            sn = Math.floor(sn / 2);
          }
        }
      } else {
        r = nodeHash(r, p);
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    return sn === 0 && equalBytes(r, root);
  }

  return { leafHash, nodeHash, merkleRoot, inclusionProof, verifyInclusion };
}

export const defaultMerkle: Merkle = merkleWith(nobleSha256);
export const { leafHash, nodeHash, merkleRoot, inclusionProof, verifyInclusion } = defaultMerkle;

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}
