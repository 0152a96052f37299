// The merchant token a manager types into a kiosk once, to register it: a secret that the
// server keeps only as SHA-256, and the fingerprint of the settlement service's Ed25519 key,
// so that the kiosk can pin the key it will trust from then on instead of taking whatever
// key the first answer carries. Format: "stp1.<secret, base64url>.<fingerprint, hex>".

import { createHash } from 'node:crypto';
import { fromHex } from '../protocol/hex.js';

export const MERCHANT_TOKEN_PREFIX = 'stp1';
/** 128 bits of SHA-256: finding another key with the same fingerprint takes about 2^128 tries. */
export const FINGERPRINT_HEX_LENGTH = 32;
const FINGERPRINT_DOMAIN = 'smile-to-pay/server-key-fingerprint/v1\n';
const TOKEN = new RegExp(`^${MERCHANT_TOKEN_PREFIX}\\.([A-Za-z0-9_-]{16,64})\\.([0-9a-f]{${FINGERPRINT_HEX_LENGTH}})$`);

export function serverKeyFingerprint(publicKeyHex: string): string {
  return createHash('sha256')
    .update(FINGERPRINT_DOMAIN)
    .update(fromHex(publicKeyHex, 32))
    .digest('hex')
    .slice(0, FINGERPRINT_HEX_LENGTH);
}

export function formatMerchantToken(secret: string, serverPublicKeyHex: string): string {
  return `${MERCHANT_TOKEN_PREFIX}.${secret}.${serverKeyFingerprint(serverPublicKeyHex)}`;
}

/** The server key fingerprint a token carries; null for a token without one (made before tokens had it). */
export function tokenFingerprint(token: string): string | null {
  return TOKEN.exec(token)?.[2] ?? null;
}
