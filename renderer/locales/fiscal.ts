// The receipt's fiscal block (KassenSichV § 6 fields, the signing unit's outage, training mode).
import { bundle } from './bundle.js';

export const fiscal = bundle({
  fiscal: {
    start: 'Transaction start',
    end: 'Transaction end',
    transaction: 'Transaction number',
    counter: 'Signature counter',
    till: 'Till serial number',
    unit: 'Signing unit serial number',
    signature: 'Signature ({{algorithm}})',
    unsigned: 'not signed',
    unitFailed: 'Signing unit failed (Sicherheitseinrichtung ausgefallen): this receipt is not signed.',
    qr: 'Receipt code (DSFinV-K)',
    training: 'TRAINING: not a sale, no money was taken',
  },
})({
  de: {
    fiscal: {
      start: 'Vorgangsbeginn',
      end: 'Vorgangsende',
      transaction: 'Transaktionsnummer',
      counter: 'Signaturzähler',
      till: 'Seriennummer der Kasse',
      unit: 'Seriennummer der Sicherheitseinrichtung',
      signature: 'Prüfwert ({{algorithm}})',
      unsigned: 'nicht signiert',
      unitFailed: 'Sicherheitseinrichtung ausgefallen: dieser Beleg ist nicht signiert.',
      qr: 'Belegcode (DSFinV-K)',
      training: 'Trainingsbuchung: kein Umsatz, kein Geld',
    },
  },
  zh: {
    fiscal: {
      start: '交易开始',
      end: '交易结束',
      transaction: '交易编号',
      counter: '签名计数器',
      till: '收银机序列号',
      unit: '安全装置序列号',
      signature: '签名（{{algorithm}}）',
      unsigned: '未签名',
      unitFailed: '安全装置故障（Sicherheitseinrichtung ausgefallen）：此小票未签名。',
      qr: '小票码（DSFinV-K）',
      training: '培训：非销售，未收款',
    },
  },
});
