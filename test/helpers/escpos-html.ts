// A decoded slip (escpos-decode.ts) as an HTML page that looks like the paper: the text lines
// in a monospace font at the printer's width, bold and double size as printed, each raster image
// (a Chinese line) drawn dot for dot, and the QR code drawn from the data the printer was given
// (qrcode, the package the customer screen draws its QR with). For the screenshots of what the
// printer printed: the page shows the captured bytes, nothing the kiosk meant to print.
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import type { Raster, Slip } from './escpos-decode.js';

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function rasterPng(r: Raster): string {
  const png = new PNG({ width: r.width, height: r.height });
  for (let i = 0; i < r.dots.length; i++) {
    const v = r.dots[i] ? 0 : 255;
    png.data[i * 4] = png.data[i * 4 + 1] = png.data[i * 4 + 2] = v;
    png.data[i * 4 + 3] = 255;
  }
  return `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
}

export async function slipHtml(slip: Slip, columns: number, title: string): Promise<string> {
  const rows: string[] = [];
  for (const l of slip.lines) {
    if ('image' in l) rows.push(`<img class="raster" src="${rasterPng(l.image)}" width="${l.image.width / 1.5}">`);
    else if ('qr' in l)
      rows.push(`<div class="qr"><img src="${await QRCode.toDataURL(l.qr, { margin: 1, width: 180 })}"></div>`);
    else
      rows.push(`<div class="line${l.bold ? ' bold' : ''}${l.big ? ' big' : ''}">${escape(l.text) || '&nbsp;'}</div>`);
  }
  if (slip.cut) rows.push('<div class="cut">✂ - - - - - - - - - - - - - - - - -</div>');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title><style>
    body { background: #ddd; margin: 0; padding: 24px; }
    .paper { background: #fff; width: ${columns}ch; padding: 16px 12px; margin: auto;
      font: 15px/1.35 'DejaVu Sans Mono', monospace; box-shadow: 0 2px 8px #0004; }
    .line { white-space: pre; } .bold { font-weight: bold; } .big { font-size: 200%; line-height: 1.2; }
    .raster { display: block; image-rendering: pixelated; }
    .qr { text-align: center; margin: 8px 0; } .cut { color: #888; margin-top: 12px; white-space: pre; }
  </style></head><body><div class="paper" data-testid="paper">${rows.join('\n')}</div></body></html>`;
}
