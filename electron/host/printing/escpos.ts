// A document (documents.ts) as ESC/POS bytes, through @point-of-sale/receipt-printer-encoder:
// text in code page 858 (Latin-1 with the euro sign: English and German), the verification QR
// as the printer's own QR code (GS ( k: sharp at any size, no image), the cut, and the drawer
// pulse (ESC p on pin 2, the drawer socket of the receipt printer).
//
// Chinese: the encoder's code pages are single-byte only (its codepage-encoder says so), so it has
// no GB18030 or Big5; a printer's own double-byte mode (FS &) exists only on Chinese-market
// models and their firmware's font. A line with CJK characters is therefore drawn here as a
// raster image (GS v 0) with the system's CJK font (sharp's text renderer: Pango and fontconfig,
// Debian's fonts-noto-cjk): it prints the same on every ESC/POS printer, at about 2 KiB a line.
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import sharp from 'sharp';
import type { Block, PrintDoc } from './documents.js';

/** A job's bytes, at most: a long Chinese receipt (40 raster lines of ~2 KiB) with room to spare.
 * PRINTER_WRITE_TIMEOUT_MS allows for this much at a slow printer's speed. */
export const PRINT_JOB_BYTES_MAX = 256 * 1024;
/** Dots across the paper's printable width: 80 mm paper prints 576, 58 mm 384. */
const DOTS_OF_COLUMNS: Record<number, number> = { 32: 384, 42: 576, 48: 576 };
/** The raster line's height in dots: font A's 24 dots (double for a big line). */
const LINE_DOTS = 24;

/** Characters the code page cannot print: CJK, kana, hangul, full-width forms. */
const WIDE = /[\u1100-\u11ff\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/;
export const needsRaster = (text: string): boolean => WIDE.test(text);

/** The pulse that opens the drawer: pin 2, 50 ms on, 500 ms off (ESC p 0 25 250). */
export const DRAWER_PULSE = { device: 0, on_ms: 50, off_ms: 500 } as const;

function newEncoder(columns: number): ReceiptPrinterEncoder {
  return new ReceiptPrinterEncoder({
    language: 'esc-pos',
    columns,
    imageMode: 'raster',
    newline: '\n',
    codepageMapping: 'epson',
    feedBeforeCut: 4,
  });
}

/** Left text and right text on one line of `columns` characters (the left side shortened to fit). */
export function pairLine(left: string, right: string, columns: number): string {
  const room = Math.max(1, columns - right.length - 1);
  const l = left.length > room ? left.slice(0, room) : left;
  return l + ' '.repeat(columns - l.length - right.length) + right;
}

/** A text drawn in the CJK font as rows of grey levels (0 black .. 255 white), `width` dots wide. */
async function drawText(
  text: string,
  heightDots: number,
  bold: boolean,
): Promise<{ w: number; h: number; g: Uint8Array }> {
  const markup = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const { data, info } = await sharp({
    text: {
      text: bold ? `<b>${markup}</b>` : markup,
      font: `Noto Sans CJK SC ${Math.round(heightDots * 0.8)}px`,
      dpi: 72,
      rgba: true,
    },
  })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const g = new Uint8Array(info.width * info.height);
  for (let i = 0; i < g.length; i++) g[i] = 255 - data[i * 4 + 3]!;
  return { w: info.width, h: info.height, g };
}

/** One line (or a pair: left and right parts) as an image the paper's width, for the encoder. */
async function rasterLine(
  left: string,
  right: string | null,
  align: 'left' | 'center' | 'right',
  widthDots: number,
  big: boolean,
  bold: boolean,
): Promise<{ data: Uint8ClampedArray; width: number; height: number }> {
  const height = big ? LINE_DOTS * 2 : LINE_DOTS;
  const rgba = new Uint8ClampedArray(widthDots * height * 4).fill(255);
  const paint = (img: { w: number; h: number; g: Uint8Array }, x0: number): void => {
    const y0 = Math.max(0, Math.floor((height - img.h) / 2));
    for (let y = 0; y < Math.min(img.h, height); y++)
      for (let x = 0; x < img.w && x0 + x < widthDots; x++) {
        if (x0 + x < 0) continue;
        const v = img.g[y * img.w + x]!;
        const i = ((y0 + y) * widthDots + x0 + x) * 4;
        rgba[i] = rgba[i + 1] = rgba[i + 2] = Math.min(rgba[i]!, v);
      }
  };
  const l = left.trim().length > 0 ? await drawText(left, height, bold) : null;
  const r = right !== null ? await drawText(right, height, bold) : null;
  if (l) {
    const x = align === 'center' && !r ? (widthDots - l.w) >> 1 : align === 'right' && !r ? widthDots - l.w : 0;
    paint(l, Math.max(0, x));
  }
  if (r) paint(r, widthDots - r.w);
  return { data: rgba, width: widthDots, height };
}

async function block(e: ReceiptPrinterEncoder, b: Block, columns: number): Promise<void> {
  switch (b.t) {
    case 'rule':
      e.line('-'.repeat(columns));
      return;
    case 'feed':
      e.newline();
      return;
    case 'qr':
      e.align('center').qrcode(b.data, { model: 2, size: 6, errorlevel: 'm' }).align('left');
      return;
    case 'pair':
    case 'text': {
      const text = b.t === 'pair' ? `${b.left} ${b.right}` : b.text;
      const big = b.t === 'text' && b.big === true;
      if (needsRaster(text)) {
        const img =
          b.t === 'pair'
            ? await rasterLine(b.left, b.right, 'left', DOTS_OF_COLUMNS[columns]!, false, b.bold === true)
            : await rasterLine(b.text, null, b.align ?? 'left', DOTS_OF_COLUMNS[columns]!, big, b.bold === true);
        e.image(img as never, img.width, img.height, 'threshold', 160);
        return;
      }
      if (b.bold) e.bold(true);
      if (big) e.size(2, 2);
      if (b.t === 'text') {
        e.align(b.align ?? 'left');
        e.line(big ? b.text.slice(0, columns >> 1) : b.text);
        e.align('left');
      } else e.line(pairLine(b.left, b.right, columns));
      if (big) e.size(1, 1);
      if (b.bold) e.bold(false);
      return;
    }
  }
}

/** The printer's bytes for a document on paper of `columns` characters. */
export async function renderEscPos(doc: PrintDoc, columns: number): Promise<Uint8Array> {
  if (!(columns in DOTS_OF_COLUMNS)) throw new Error(`assertion failed: ${columns} columns, expected 32, 42 or 48`);
  const e = newEncoder(columns).initialize().codepage('cp858');
  for (const b of doc.blocks) await block(e, b, columns);
  if (doc.cut) e.cut('partial');
  if (doc.kick) e.pulse(DRAWER_PULSE.device, DRAWER_PULSE.on_ms, DRAWER_PULSE.off_ms);
  const bytes = e.encode();
  if (bytes.length > PRINT_JOB_BYTES_MAX)
    throw new Error(`a print job of ${bytes.length} bytes, more than PRINT_JOB_BYTES_MAX (${PRINT_JOB_BYTES_MAX})`);
  return bytes;
}
