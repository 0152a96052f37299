// The kiosk's own certificates for LAN mode, made with node:crypto alone (no package: Node signs
// and parses X.509, and the few DER structures a certificate needs are written here). Like
// mkcert: a certificate authority of this kiosk (kept for years; its SHA-256 fingerprint is what
// a staff device pins when it is set up) and a server certificate it issues for the host names
// the staff devices use (http.allowed_hosts), re-issued when those change or it nears its end,
// without a new pin. ECDSA P-256 with SHA-256. The private keys are written 0600 beside the
// ledger; the certificates are public.
import { createHash, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { writeSecretFile } from '../../../ledger/keys/secret-file.js';

const DAY_MS = 86_400_000;
/** The kiosk's authority lasts ten years: a staff device is set up once. */
export const CA_VALIDITY_DAYS = 3_650;
/** The server certificate: browsers refuse leaves valid for more than 398 days. */
export const SERVER_CERT_VALIDITY_DAYS = 397;
/** Re-issued at start when fewer days than this are left. */
export const SERVER_CERT_RENEW_DAYS = 30;
/** Host names in one certificate, at most (a shop has one or two). */
export const CERT_HOSTS_MAX = 16;

// ---- DER, the little of it a certificate needs (ITU-T X.690) -------------------------------

function tlv(tag: number, body: Buffer): Buffer {
  const n = body.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  if (n > 0xffff) throw new Error(`assertion failed: a DER value of ${n} bytes`);
  return Buffer.concat([Buffer.from([tag]), len, body]);
}
const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 + n, inner);
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const bits = (b: Buffer): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));
function int(b: Buffer): Buffer {
  let v = b;
  while (v.length > 1 && v[0] === 0 && v[1]! < 0x80) v = v.subarray(1);
  return tlv(0x02, v[0]! >= 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}
function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out = [40 * parts[0]! + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let v = p >>> 7; v > 0; v >>>= 7) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}
/** UTCTime (YYMMDDHHMMSSZ) until 2049, GeneralizedTime after (RFC 5280 4.1.2.5). */
function time(ms: number): Buffer {
  const iso = new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return Number(iso.slice(0, 4)) < 2050
    ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`))
    : tlv(0x18, Buffer.from(`${iso}Z`));
}

const ECDSA_WITH_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
const name = (cn: string): Buffer => seq(set(seq(oid('2.5.4.3'), utf8(cn))));
const extension = (id: string, critical: boolean, value: Buffer): Buffer =>
  seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
/** The key identifier of RFC 5280 4.2.1.2 (1): SHA-1 of the public key's bits (a P-256 point). */
const keyId = (spki: Buffer): Buffer =>
  createHash('sha1')
    .update(spki.subarray(spki.length - 65))
    .digest();

function subjectAltNames(hosts: readonly string[]): Buffer {
  return seq(
    ...hosts.map((h) => {
      const family = isIP(h);
      if (family === 4) return tlv(0x87, Buffer.from(h.split('.').map(Number)));
      if (family === 6) return tlv(0x87, ipv6Bytes(h));
      return tlv(0x82, Buffer.from(h, 'ascii'));
    }),
  );
}

function ipv6Bytes(h: string): Buffer {
  const [head, tail] = h.split('::') as [string, string | undefined];
  const words = (s: string | undefined): number[] => (s ? s.split(':').map((w) => parseInt(w, 16)) : []);
  const a = words(head);
  const b = words(tail);
  const all = tail === undefined ? a : [...a, ...Array<number>(8 - a.length - b.length).fill(0), ...b];
  const out = Buffer.alloc(16);
  all.forEach((w, i) => out.writeUInt16BE(w, i * 2));
  return out;
}

interface Issue {
  subject: string;
  issuer: string;
  publicKey: KeyObject;
  signer: KeyObject;
  /** The issuer's key identifier (the CA's own for the CA). */
  issuerKeyId: Buffer;
  ca: boolean;
  hosts: readonly string[];
  fromMs: number;
  days: number;
}

function issue(o: Issue): string {
  const spki = o.publicKey.export({ type: 'spki', format: 'der' });
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const exts = [
    extension('2.5.29.19', true, o.ca ? seq(bool(true), tlv(0x02, Buffer.from([0]))) : seq()),
    // keyUsage: keyCertSign + cRLSign for the CA, digitalSignature for the server.
    extension('2.5.29.15', true, o.ca ? tlv(0x03, Buffer.from([0x01, 0x06])) : tlv(0x03, Buffer.from([0x07, 0x80]))),
    extension('2.5.29.14', false, octets(keyId(spki))),
    extension('2.5.29.35', false, seq(tlv(0x80, o.issuerKeyId))),
    ...(o.ca
      ? []
      : [
          extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))), // extKeyUsage: serverAuth
          extension('2.5.29.17', false, subjectAltNames(o.hosts)),
        ]),
  ];
  const tbs = seq(
    explicit(0, int(Buffer.from([2]))),
    int(serial),
    ECDSA_WITH_SHA256,
    name(o.issuer),
    seq(time(o.fromMs - DAY_MS), time(o.fromMs + o.days * DAY_MS)),
    name(o.subject),
    spki,
    explicit(3, seq(...exts)),
  );
  const signature = sign('sha256', tbs, { key: o.signer, dsaEncoding: 'der' });
  const der = seq(tbs, ECDSA_WITH_SHA256, bits(signature));
  return `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

export interface KioskTls {
  /** The server certificate and the authority's, the chain the server sends. */
  cert: string;
  key: string;
  /** The kiosk's authority (PEM): what a staff device installs, and pins. */
  caCert: string;
  /** SHA-256 of the authority's DER, as X509Certificate prints it (AB:CD:...). */
  caFingerprint256: string;
  hosts: string[];
}

/** One spelling per host, to compare a certificate's names with the configured ones (an IPv6
 * address in full, lowercase: X509Certificate prints fe80::1 as FE80:0:0:0:0:0:0:1). */
function canonicalHost(h: string): string {
  const bare = h.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (isIP(bare) !== 6) return bare;
  const b = ipv6Bytes(bare);
  return Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2).toString(16)).join(':');
}
const normaliseHosts = (hosts: readonly string[]): string[] => [...new Set(hosts.map(canonicalHost))].sort();

/** The kiosk's TLS material in `dir` (tls-ca.pem, tls-ca-key.pem, tls-cert.pem, tls-key.pem),
 * made or renewed as needed for `hosts`. */
export function loadOrCreateKioskTls(
  dir: string,
  kioskId: string,
  hosts: readonly string[],
  nowMs = Date.now(),
): KioskTls {
  const want = normaliseHosts(hosts);
  if (want.length === 0 || want.length > CERT_HOSTS_MAX)
    throw new Error(`a certificate names 1..${CERT_HOSTS_MAX} host names, got ${want.length}`);
  const path = (f: string): string => join(dir, f);
  const newKey = (): { publicKey: KeyObject; privateKey: KeyObject } =>
    generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = (k: KeyObject): string => k.export({ type: 'pkcs8', format: 'pem' }) as string;

  let caKey: KeyObject;
  let caCert: string;
  if (existsSync(path('tls-ca.pem')) && existsSync(path('tls-ca-key.pem'))) {
    caKey = createPrivateKey(readFileSync(path('tls-ca-key.pem'), 'utf8'));
    caCert = readFileSync(path('tls-ca.pem'), 'utf8');
  } else {
    const pair = newKey();
    caKey = pair.privateKey;
    const spki = pair.publicKey.export({ type: 'spki', format: 'der' });
    const subject = `Smile to Pay kiosk ${kioskId} authority`;
    caCert = issue({
      subject,
      issuer: subject,
      publicKey: pair.publicKey,
      signer: caKey,
      issuerKeyId: keyId(spki),
      ca: true,
      hosts: [],
      fromMs: nowMs,
      days: CA_VALIDITY_DAYS,
    });
    writeSecretFile(path('tls-ca-key.pem'), pem(caKey));
    writeSecretFile(path('tls-ca.pem'), caCert);
  }
  const ca = new X509Certificate(caCert);

  const current = (): KioskTls | null => {
    if (!existsSync(path('tls-cert.pem')) || !existsSync(path('tls-key.pem'))) return null;
    const cert = new X509Certificate(readFileSync(path('tls-cert.pem'), 'utf8'));
    const names = normaliseHosts(
      (cert.subjectAltName ?? '').split(', ').map((x) => x.replace(/^(DNS|IP Address):/, '')),
    );
    const fresh = Date.parse(cert.validTo) - nowMs > SERVER_CERT_RENEW_DAYS * DAY_MS;
    if (!fresh || !cert.checkIssued(ca) || !cert.verify(ca.publicKey) || names.join(',') !== want.join(','))
      return null;
    return {
      cert: readFileSync(path('tls-cert.pem'), 'utf8') + caCert,
      key: readFileSync(path('tls-key.pem'), 'utf8'),
      caCert,
      caFingerprint256: ca.fingerprint256,
      hosts: want,
    };
  };
  const kept = current();
  if (kept) return kept;
  const pair = newKey();
  const leaf = issue({
    subject: `Smile to Pay kiosk ${kioskId}`,
    issuer: `Smile to Pay kiosk ${kioskId} authority`,
    publicKey: pair.publicKey,
    signer: caKey,
    issuerKeyId: keyId(ca.publicKey.export({ type: 'spki', format: 'der' })),
    ca: false,
    hosts: want,
    fromMs: nowMs,
    days: SERVER_CERT_VALIDITY_DAYS,
  });
  writeSecretFile(path('tls-key.pem'), pem(pair.privateKey));
  writeSecretFile(path('tls-cert.pem'), leaf);
  return { cert: leaf + caCert, key: pem(pair.privateKey), caCert, caFingerprint256: ca.fingerprint256, hosts: want };
}
