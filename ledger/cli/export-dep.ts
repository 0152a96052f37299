// `ledger export --format dep`: the RKSV data-collection protocol (Datenerfassungsprotokoll,
// DEP) export for a date range, in the DEP7 JSON shape: "Belege-Gruppe", one group per signing
// unit, with its certificate ("Signaturzertifikat": ours is the bare Ed25519 public key in
// base64, there is no certificate), the certificate chain ("Zertifizierungsstellen": none) and
// every receipt in compact JWS form ("Belege-kompakt": base64url header.payload.signature, the
// payload being the receipt code without its signature). Training and reversal receipts are in
// it as the RKSV wants them (their counters say TRA and STO); a receipt whose unit had failed
// carries "Sicherheitseinrichtung ausgefallen" as its signature.

import type { LedgerReader } from '../store/reader.js';
import type { FiscalLog } from '../fiscal/fiscal-log.js';
import { dayReceipts, type ExportDay } from './export-days.js';

export interface DepExport {
  'Belege-Gruppe': { Signaturzertifikat: string; Zertifizierungsstellen: string[]; 'Belege-kompakt': string[] }[];
}

const b64url = (b: Buffer): string => b.toString('base64url');
const JWS_HEADER = b64url(Buffer.from(JSON.stringify({ alg: 'EdDSA' })));

/** The compact JWS of an RKSV receipt code. */
export function compactJws(rksvCode: string): string {
  const cut = rksvCode.lastIndexOf('_');
  const payload = rksvCode.slice(0, cut);
  const signature = Buffer.from(rksvCode.slice(cut + 1), 'base64');
  return `${JWS_HEADER}.${b64url(Buffer.from(payload))}.${b64url(signature)}`;
}

export function exportDep(reader: LedgerReader, fiscal: FiscalLog | null, days: ExportDay[]): DepExport {
  const keys = new Map((fiscal?.units() ?? []).map((u) => [u.serial, u.public_key]));
  const groups = new Map<string, DepExport['Belege-Gruppe'][number]>();
  for (const day of days)
    for (const r of dayReceipts(reader, fiscal, day)) {
      if (!r.fiscal) continue;
      const serial = r.fiscal.unit_serial;
      let g = groups.get(serial);
      if (!g) {
        g = { Signaturzertifikat: keys.get(serial) ?? '', Zertifizierungsstellen: [], 'Belege-kompakt': [] };
        groups.set(serial, g);
      }
      g['Belege-kompakt'].push(compactJws(r.fiscal.rksv_code));
    }
  return { 'Belege-Gruppe': [...groups.values()] };
}
