// What the server and the kiosks sign besides entries, each under its own domain so that
// no signature can be replayed as another kind: kiosk requests, receipt batch heads, feed
// pages, regulator freezes, the server's template key and its public receipt lookups. Also
// the Merkle proofs of receipts in their batch.

import { createHash } from 'node:crypto';
import { canonicalBytes } from '../protocol/canonical.js';
import { fromHex, toHex } from '../protocol/hex.js';
import { leafHash, merkleRoot, nodeHash, verifyInclusion } from '../protocol/merkle.js';
import { verifyRaw, signRaw } from '../keys/ed25519.js';
import type { KeyObject } from 'node:crypto';
import type { FeedPage, FreezeRecord, Receipt, ReceiptBatchHead, SignedBatch } from './wire.js';

const enc = new TextEncoder();
/** v2: a request names the server it is for (v1 did not, so one server's request passed at another). */
export const REQUEST_DOMAIN = enc.encode('smile-to-pay/settle-request/v2\n');
export const RECEIPT_BATCH_DOMAIN = enc.encode('smile-to-pay/receipt-batch/v1\n');
export const FEED_DOMAIN = enc.encode('smile-to-pay/feed-page/v1\n');
export const FREEZE_DOMAIN = enc.encode('smile-to-pay/freeze/v1\n');
/** The server's X25519 template key, signed by its Ed25519 key: pinning the one pins the other. */
export const SERVER_BOX_KEY_DOMAIN = enc.encode('smile-to-pay/server-box-key/v1\n');
export const RECEIPT_LOOKUP_DOMAIN = enc.encode('smile-to-pay/receipt-lookup/v1\n');

export const HEADER_KIOSK = 'x-stp-kiosk-id';
export const HEADER_TIMESTAMP = 'x-stp-timestamp-ms';
export const HEADER_NONCE = 'x-stp-nonce';
export const HEADER_SIGNATURE = 'x-stp-signature';
/** The body's SHA-256 (hex), which the signature covers: sent as a header so that the server can
 * check the signature before it reads a byte of the body, and the body against it after. */
export const HEADER_BODY_SHA256 = 'x-stp-body-sha256';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface RequestFacts {
  method: string;
  /** Path and query exactly as sent. */
  path: string;
  body_sha256: string;
  timestamp_ms: number;
  nonce: string;
  kiosk_id: string;
  /**
   * The settlement service the request is for: its Ed25519 public key, hex (every server of
   * one service holds the same key, so a kiosk may switch between them; another service's
   * server refuses the request).
   */
  server_id: string;
}

/** The bytes a kiosk signs for one request. */
export function requestMessage(f: RequestFacts): Uint8Array {
  return enc.encode(
    [f.method.toUpperCase(), f.path, f.body_sha256, String(f.timestamp_ms), f.nonce, f.kiosk_id, f.server_id].join(
      '\n',
    ),
  );
}

/** What the server signs to vouch for its template key. */
export const boxKeyStatement = (boxPublicKeyHex: string): Uint8Array => enc.encode(boxPublicKeyHex);

export function withDomain(domain: Uint8Array, message: Uint8Array): Uint8Array {
  const out = new Uint8Array(domain.length + message.length);
  out.set(domain, 0);
  out.set(message, domain.length);
  return out;
}

export function verifyDomain(
  domain: Uint8Array,
  publicKeyHex: string,
  message: Uint8Array,
  signatureHex: string,
): boolean {
  if (!/^[0-9a-f]{128}$/.test(signatureHex) || !/^[0-9a-f]{64}$/.test(publicKeyHex)) return false;
  return verifyRaw(fromHex(publicKeyHex, 32), withDomain(domain, message), fromHex(signatureHex, 64));
}

export function signDomain(domain: Uint8Array, secret: KeyObject, message: Uint8Array): string {
  return toHex(signRaw(secret, withDomain(domain, message)));
}

export const receiptLeaf = (r: Receipt): Uint8Array => canonicalBytes(r);
export const batchHeadBytes = (h: ReceiptBatchHead): Uint8Array => canonicalBytes(h);
export const feedPageBytes = (p: FeedPage): Uint8Array => canonicalBytes(p);
export const freezeBytes = (f: FreezeRecord): Uint8Array => canonicalBytes(f);

/** RFC 6962 root and the audit path of every leaf, in O(n log n) (the tree built once). */
export function rootAndProofs(leaves: readonly Uint8Array[]): { root: Uint8Array; proofs: Uint8Array[][] } {
  if (leaves.length === 0) throw new RangeError('rootAndProofs: expected at least one leaf');
  const hashes = leaves.map(leafHash);
  const proofs: Uint8Array[][] = hashes.map(() => []);
  const build = (start: number, end: number): Uint8Array => {
    if (end - start === 1) return hashes[start]!;
    let k = 1;
    while (k * 2 < end - start) k *= 2;
    const left = build(start, start + k);
    const right = build(start + k, end);
    for (let i = start; i < start + k; i++) proofs[i]!.push(right);
    for (let i = start + k; i < end; i++) proofs[i]!.push(left);
    return nodeHash(left, right);
  };
  return { root: build(0, hashes.length), proofs };
}

/** Checks one receipt's inclusion in its batch's tree (the head's signature is checked once, apart). */
/** Whether `leaves` (receipts' canonical bytes, in leaf order) are the whole of `batch`: their tree has its root. */
export function wholeBatch(leaves: readonly Uint8Array[], batch: SignedBatch): boolean {
  if (leaves.length !== batch.head.tree_size || leaves.length === 0) return false;
  return toHex(merkleRoot(leaves)) === batch.head.root;
}

/** Whether a receipt (or its canonical bytes) is leaf `leafIndex` of `batch`'s tree, by its audit path. */
export function receiptInBatch(
  receipt: Receipt | Uint8Array,
  leafIndex: number,
  proofHex: readonly string[],
  batch: SignedBatch,
): boolean {
  if (proofHex.some((p) => !/^[0-9a-f]{64}$/.test(p))) return false;
  const leaf = receipt instanceof Uint8Array ? receipt : receiptLeaf(receipt);
  return verifyInclusion(
    leaf,
    leafIndex,
    batch.head.tree_size,
    proofHex.map((p) => fromHex(p, 32)),
    fromHex(batch.head.root, 32),
  );
}

export function batchSignatureValid(batch: SignedBatch, serverPublicKeyHex: string): boolean {
  return verifyDomain(RECEIPT_BATCH_DOMAIN, serverPublicKeyHex, batchHeadBytes(batch.head), batch.signature);
}
