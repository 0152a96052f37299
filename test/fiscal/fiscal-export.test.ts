// A trading day with two tax rates, a split bill with a tip, a refund by item and a void, as
// the DSFinV-K and DEP exports give it (the real `ledger` CLI): every receipt traces to a
// signed entry with the same amount, the totals per rate and the tips equal the ledger's day
// close, every receipt code of the day verifies with `receipt-check` (exit 0), a tampered one
// exits 1 naming the field, and malformed input exits 2 with a message, never a stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';
import { openTestStore } from '../helpers/ledger.js';
import { tradingDay } from '../helpers/sales.js';
import { minorOf, openFiscalFor, readCsv } from '../helpers/fiscal.js';
import type { Entry } from '../../ledger/protocol/entry.js';
import { DSFINVK_TABLES } from '../../ledger/cli/export-dsfinvk.js';
import { chainValue, decryptTurnover } from '../../ledger/fiscal/rksv-code.js';
import { main } from '../../ledger/cli/cli.js';

function ledger(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/ledger.js', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function ledgerAsync(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/ledger.js', ...args], { encoding: 'utf8' }, (err, out, errOut) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, out, err: errOut }),
    );
  });
}

function day(t: Parameters<typeof tempDir>[0]) {
  const dir = tempDir(t);
  const { store, key, path } = openTestStore(dir);
  const fiscal = openFiscalFor(dir, store, key);
  tradingDay(store);
  const rows = fiscal.recorder.catchUp(store);
  const close = store.closeDay('2026-11-20', 'manager:ana');
  const entries = [...store.entries(1, store.tip().seq)];
  store.close();
  return { dir, path, key, rows, fiscal, close: close.entry, entries };
}

test('DSFinV-K export: every receipt, position and payment traces to a signed entry; per-rate totals equal the day close', (t) => {
  const { dir, path, rows, close, entries } = day(t);
  const out = join(dir, 'dsfinvk');
  const r = ledger(['export', path, '--format', 'dsfinvk', '--from', '2026-11-20', '--to', '2026-11-20', '--out', out]);
  assert.equal(r.code, 0, r.err);
  const read = (f: string) => readCsv(readFileSync(join(out, f), 'utf8'));
  for (const [file, columns] of Object.entries(DSFINVK_TABLES))
    assert.equal(readFileSync(join(out, file), 'utf8').split('\r\n')[0], columns.join(','), file);
  assert.match(readFileSync(join(out, 'index.xml'), 'utf8'), /<Name>Bonkopf<\/Name>/);

  const bySeq = new Map(entries.map((e) => [e.seq, e]));
  const signedAmount = (e: Entry): number =>
    e.kind === 'payment' ? e.body.amount_minor : e.kind === 'refund' || e.kind === 'void' ? -e.body.amount_minor : NaN;
  const bons = read('transactions.csv');
  const receiptSeqs = entries.filter((e) => ['payment', 'refund', 'void'].includes(e.kind)).map((e) => e.seq);
  assert.deepEqual(
    bons.map((b) => Number(b.BON_ID)),
    receiptSeqs,
  );
  assert.equal(rows.length, receiptSeqs.length, 'the recorder signed every receipt');
  const lines = read('lines_vat.csv');
  const pays = read('datapayment.csv');
  for (const b of bons) {
    const e = bySeq.get(Number(b.BON_ID))!;
    assert.equal(minorOf(b.UMS_BRUTTO), signedAmount(e), `BON ${b.BON_ID}`);
    const mine = lines.filter((l) => l.BON_ID === b.BON_ID);
    assert.equal(
      mine.reduce((s, l) => s + minorOf(l.POS_BRUTTO), 0),
      signedAmount(e),
      `positions of ${b.BON_ID}`,
    );
    assert.equal(
      pays.filter((p) => p.BON_ID === b.BON_ID).reduce((s, p) => s + minorOf(p.ZAHLWAEH_BETRAG), 0),
      signedAmount(e),
    );
    assert.equal(b.BON_STORNO, e.kind === 'void' ? '1' : '0');
  }
  assert.ok(bons.some((b) => b.BON_NAME === 'refund') && bons.some((b) => b.BON_NAME === 'void'));

  // The Z: per rate equal to the signed day close's by_rate; tips to its tips; payments to its net.
  assert.equal(close.kind, 'day_close');
  if (close.kind !== 'day_close') return;
  const cases = read('businesscases.csv');
  const keyOf: Record<number, string> = { 1900: '1', 700: '2' };
  assert.equal(close.body.by_rate!.length, 2, 'two tax rates that day');
  for (const rt of close.body.by_rate!) {
    const c = cases.find((x) => x.GV_TYP === 'Umsatz' && x.UST_SCHLUESSEL === keyOf[rt.rate_bp]);
    assert.ok(c, `rate ${rt.rate_bp}`);
    assert.deepEqual(
      [minorOf(c.Z_UMS_BRUTTO), minorOf(c.Z_UMS_NETTO), minorOf(c.Z_UST)],
      [rt.gross_minor, rt.net_minor, rt.tax_minor],
      `rate ${rt.rate_bp}`,
    );
  }
  const total = close.body.totals[0]!;
  const tips = cases.find((x) => x.GV_TYP === 'TrinkgeldAN');
  assert.equal(minorOf(tips!.Z_UMS_BRUTTO), total.tips_minor);
  const [z] = read('cashpointclosing.csv');
  assert.equal(minorOf(z!.Z_SE_ZAHLUNGEN), total.net_minor);
  assert.equal(z!.Z_NR, '1');
  assert.equal(
    read('payment.csv').reduce((s, p) => s + minorOf(p.Z_ZAHLART_BETRAG), 0),
    total.net_minor,
  );
  // The TSE tables: one unit, and each receipt's signature counter and signature.
  assert.equal(read('tse.csv').length, 1);
  const tse = read('transactions_tse.csv');
  assert.equal(tse.length, receiptSeqs.length);
  assert.ok(tse.every((x) => x.TSE_TA_SIG!.length > 80 && x.TSE_TA_FEHLER === '' && Number(x.TSE_TA_SIGZ) > 0));
  assert.deepEqual(
    tse.map((x) => x.TSE_VORGANGSDATEN),
    rows.map((x) => x.process_data),
  );
});

test('every receipt code of the day verifies (exit 0); a tampered one exits 1 naming the field; malformed input exits 2', async (t) => {
  const { path, key, rows, fiscal } = day(t);
  const hex = key.publicKeyHex;
  // Every code through the CLI's own entry point; the first receipt's through the real process too.
  for (const row of rows)
    for (const code of [row.qr_code, row.rksv_code]) {
      const said: string[] = [];
      assert.equal(await main(['receipt-check', code, '--key', hex], (s) => said.push(s)), 0, code);
      assert.match(said.join(''), /^OK /);
    }
  const qr = rows[0]!.qr_code.split(';');
  assert.equal(qr.length, 12);
  assert.deepEqual(
    [qr[0], qr[1], qr[2], qr[4], qr[8], qr[9]],
    ['V0', 'kiosk-test-1', 'Kassenbeleg-V1', String(rows[0]!.seq), 'ed25519', 'utcTime'],
  );
  // One slot's amount raised: the slots no longer sum to the payments.
  const pd = qr[3]!.split('^');
  const slots = pd[1]!.split('_');
  slots[0] = (minorOf(slots[0]!) / 100 + 1).toFixed(2);
  const tampered = [...qr.slice(0, 3), [pd[0], slots.join('_'), pd[2]].join('^'), ...qr.slice(4)].join(';');
  // An RKSV amount changed: checked against the ledger, the field itself is named.
  const rk = rows[0]!.rksv_code.split('_');
  rk[5] = '999,99';
  const runs = await Promise.all([
    ledgerAsync(['receipt-check', rows[0]!.qr_code, '--key', hex]),
    ledgerAsync(['receipt-check', rows[0]!.rksv_code, '--key', hex, '--ledger', path]),
    ledgerAsync(['receipt-check', tampered, '--key', hex]),
    // The counter changed: only the signature can tell.
    ledgerAsync(['receipt-check', [...qr.slice(0, 5), '99', ...qr.slice(6)].join(';'), '--key', hex]),
    ledgerAsync(['receipt-check', rk.join('_'), '--key', hex, '--ledger', path]),
    ledgerAsync(['receipt-check', rk.join('_'), '--key', hex]),
    ledgerAsync(['receipt-check', 'hello', '--key', hex]),
    ledgerAsync(['receipt-check', '_R1-AT1_x', '--key', hex]),
    ledgerAsync(['receipt-check', rows[0]!.qr_code, '--key', 'nothex']),
  ]);
  const [okQr, okRksv, pdField, sigField, amountField, rksvSig, hello, shortRksv, badKey] = runs;
  for (const ok of [okQr!, okRksv!]) assert.equal(ok.code, 0, ok.out + ok.err);
  for (const [r, field] of [
    [pdField!, 'process_data'],
    [sigField!, 'signature'],
    [amountField!, 'amount_normal'],
    [rksvSig!, 'signature'],
  ] as const) {
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, new RegExp(`field ${field}`));
  }
  for (const r of [hello!, shortRksv!, badKey!]) {
    assert.equal(r.code, 2, r.out);
    assert.match(r.err, /^ledger: /);
    assert.doesNotMatch(r.err, /\n\s+at /);
  }
  assert.match(badKey!.err, /--key expects/);
  // The turnover counter decrypts with the till's AES key to the sum of receipts so far.
  const first = rows[0]!.rksv_code.slice(1).split('_');
  assert.equal(decryptTurnover(fiscal.turnoverKey, first[1]!, first[2]!, first[9]!), BigInt(rows[0]!.turnover_minor));
  // The chain: each RKSV code's chain value is the start of SHA-256 of the code before.
  rows
    .slice(1)
    .forEach((row, i) => assert.equal(row.rksv_code.split('_')[12], chainValue('kiosk-test-1', rows[i]!.rksv_code)));
});

test('DEP export: one group for the unit, every receipt as a compact JWS whose payload is its RKSV code', (t) => {
  const { dir, path, rows, key } = day(t);
  const out = join(dir, 'dep');
  const r = ledger(['export', path, '--format', 'dep', '--from', '2026-11-19', '--to', '2026-11-21', '--out', out]);
  assert.equal(r.code, 0, r.err);
  const dep = JSON.parse(readFileSync(join(out, 'dep-export.json'), 'utf8'));
  assert.equal(dep['Belege-Gruppe'].length, 1);
  const g = dep['Belege-Gruppe'][0];
  assert.equal(g.Signaturzertifikat, Buffer.from(key.publicKey).toString('base64'));
  assert.deepEqual(g.Zertifizierungsstellen, []);
  assert.equal(g['Belege-kompakt'].length, rows.length);
  g['Belege-kompakt'].forEach((jws: string, i: number) => {
    const [, payload, sig] = jws.split('.');
    const code = rows[i]!.rksv_code;
    assert.equal(Buffer.from(payload!, 'base64url').toString(), code.slice(0, code.lastIndexOf('_')));
    assert.equal(Buffer.from(sig!, 'base64url').toString('base64'), code.slice(code.lastIndexOf('_') + 1));
  });
  const bad = ledger(['export', path, '--format', 'dep', '--from', '2026-11-21', '--to', '2026-11-19', '--out', out]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /LEDGER_EXPORT_RANGE/);
});
