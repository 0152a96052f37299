// The signing unit fails in the middle of a day: selling goes on (every payment is in the
// ledger), the receipts signed while it was out are marked ("Sicherheitseinrichtung
// ausgefallen": empty QR signature, the RKSV outage signature; receipt-check names the
// signature), the outage is recorded with its start and its end, and the exports say so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';
import { openTestStore } from '../helpers/ledger.js';
import { germanSale, paySale } from '../helpers/sales.js';
import { openFiscalFor, readCsv } from '../helpers/fiscal.js';
import { FiscalUnitError, type SigningUnit } from '../../ledger/fiscal/signing-unit.js';
import { RKSV_OUTAGE_SIGNATURE } from '../../ledger/fiscal/rksv-code.js';
import { main } from '../../ledger/cli/cli.js';

/** A unit behind a cable that can be pulled: the real software unit, or a refusal. */
class PullableUnit implements SigningUnit {
  down = false;
  constructor(private readonly inner: SigningUnit) {}
  get serial() {
    return this.inner.serial;
  }
  get algorithm() {
    return this.inner.algorithm;
  }
  get rksvSuite() {
    return this.inner.rksvSuite;
  }
  get publicKey() {
    return this.inner.publicKey;
  }
  signatureCounter() {
    return this.inner.signatureCounter();
  }
  signTransaction(req: Parameters<SigningUnit['signTransaction']>[0]) {
    if (this.down) throw new FiscalUnitError('FISCAL_UNIT_UNAVAILABLE', 'the TSE does not answer (USB unplugged)');
    return this.inner.signTransaction(req);
  }
  signReceipt(payload: Uint8Array) {
    if (this.down) throw new FiscalUnitError('FISCAL_UNIT_UNAVAILABLE', 'the TSE does not answer (USB unplugged)');
    return this.inner.signReceipt(payload);
  }
}

test('a failed signing unit: selling continues, receipts are marked, the outage is recorded from start to end', async (t) => {
  const dir = tempDir(t);
  const { store, key, path } = openTestStore(dir);
  let unit!: PullableUnit;
  const { log, recorder } = openFiscalFor(dir, store, key, (u) => (unit = new PullableUnit(u)));
  const pay = (n: number) => {
    paySale(store, `o-${n}`, { method: 'cash', taken_by: 'cashier:bo' }, germanSale());
    return recorder.catchUp(store);
  };
  const [ok1] = pay(1);
  unit.down = true;
  const [out2] = pay(2);
  const [out3] = pay(3);
  unit.down = false;
  const [ok4] = pay(4);
  assert.equal(store.count(), 4, 'every sale is in the ledger');

  assert.equal(ok1!.failed, 0);
  for (const row of [out2!, out3!]) {
    assert.equal(row.failed, 1);
    assert.equal(row.signature_counter, null);
    const qr = row.qr_code.split(';');
    assert.equal(qr.length, 12);
    assert.deepEqual([qr[5], qr[8], qr[10], qr[11]], ['', '', '', '']);
    assert.ok(row.rksv_code.endsWith(`_${RKSV_OUTAGE_SIGNATURE}`));
    assert.equal(Buffer.from(RKSV_OUTAGE_SIGNATURE, 'base64').toString(), 'Sicherheitseinrichtung ausgefallen');
    const said: string[] = [];
    assert.equal(await main(['receipt-check', row.qr_code, '--key', key.publicKeyHex], (s) => said.push(s)), 1);
    assert.match(
      said.join(''),
      /field signature: unsigned: the signing unit had failed \(Sicherheitseinrichtung ausgefallen\)/,
    );
  }
  assert.equal(ok4!.failed, 0);
  assert.equal(ok4!.signature_counter, ok1!.signature_counter! + 1, 'the unit counts only what it signed');

  const outages = log.outages();
  assert.equal(outages.length, 1);
  assert.equal(outages[0]!.first_seq, out2!.seq);
  assert.equal(outages[0]!.start_ms, out2!.end_ms);
  assert.equal(outages[0]!.end_ms, ok4!.end_ms);
  assert.match(outages[0]!.reason, /FISCAL_UNIT_UNAVAILABLE: the TSE does not answer/);
  store.close();
  log.close();

  const out = join(dir, 'dsfinvk');
  const said: string[] = [];
  assert.equal(
    await main(
      ['export', path, '--format', 'dsfinvk', '--from', '2026-11-20', '--to', '2026-11-20', '--out', out],
      (s) => said.push(s),
    ),
    0,
  );
  const tse = readCsv(readFileSync(join(out, 'transactions_tse.csv'), 'utf8'));
  assert.deepEqual(
    tse.map((x) => x.TSE_TA_FEHLER),
    ['', 'Sicherheitseinrichtung ausgefallen', 'Sicherheitseinrichtung ausgefallen', ''],
  );
  const bons = readCsv(readFileSync(join(out, 'transactions.csv'), 'utf8'));
  assert.match(bons[1]!.BON_NOTIZ ?? '', /Sicherheitseinrichtung ausgefallen/);
});
