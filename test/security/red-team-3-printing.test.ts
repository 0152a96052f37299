// Proves that text a person typed (an order line's note, a name) cannot carry ESC/POS commands to
// the printer: a cashier's note holding ESC p (the drawer pulse) or DLE DC4 (the real-time pulse)
// prints as text, the receipt printer's drawer opens only on a document that asks for the kick.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LINE_NOTE_MAX } from '../../electron/contract/constants.js';
import { LineRequest } from '../../electron/contract/calls/orders.js';
import { renderEscPos } from '../../electron/host/printing/escpos.js';
import type { PrintDoc } from '../../electron/host/printing/documents.js';

const ESC_P = [0x1b, 0x70];
const DLE_DC4 = [0x10, 0x14];
const kickNote = '\u001bp\u0000\u0019\u00fa\u0010\u0014\u0001\u0000\u0005';

function has(bytes: Uint8Array, seq: number[]): boolean {
  outer: for (let i = 0; i + seq.length <= bytes.length; i++) {
    for (let j = 0; j < seq.length; j++) if (bytes[i + j] !== seq[j]) continue outer;
    return true;
  }
  return false;
}

test('a note with ESC p / DLE DC4 on a kitchen ticket or receipt sends no drawer pulse', async () => {
  const doc: PrintDoc = {
    lang: 'en',
    blocks: [
      { t: 'text', text: `  ! ${kickNote}`, bold: true },
      { t: 'pair', left: `1 x Ramen ${kickNote}`, right: '9.50' },
      { t: 'text', text: `Note: ${kickNote}`, big: true },
    ],
    cut: true,
    kick: false,
  };
  const bytes = await renderEscPos(doc, 42);
  assert.equal(has(bytes, ESC_P), false, 'no ESC p in a document that does not kick the drawer');
  assert.equal(has(bytes, DLE_DC4), false, 'no DLE DC4 real-time command from typed text');
  const kicked = await renderEscPos({ ...doc, kick: true }, 42);
  assert.equal(has(kicked, ESC_P), true, 'the kick itself still prints ESC p');
});

test('an order line note is a single line of text: control characters refused at the contract', () => {
  const base = { item_id: 'ramen', quantity: 1, options: [] };
  const ok = LineRequest.safeParse({ ...base, note: 'no onions' });
  const bad = LineRequest.safeParse({ ...base, note: kickNote.slice(0, LINE_NOTE_MAX) });
  assert.equal(ok.success, true, JSON.stringify(ok.error?.issues));
  assert.equal(bad.success, false, 'a note with ESC p is refused');
});
