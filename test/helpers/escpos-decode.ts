// Reads an ESC/POS byte stream as a printer would: the text lines it prints (code page 437 or
// 858), raster images (GS v 0: a Chinese line, as the kiosk draws them), the QR code's data
// (GS ( k, function 180), cuts (GS V) and drawer pulses (ESC p), and the status requests (DLE
// EOT) in it. A command it does not know is an error: a test must not pass over bytes it cannot
// read. Split by cuts into the slips a customer would tear off.
import CodepageEncoder from '@point-of-sale/codepage-encoder';

export interface Raster {
  width: number;
  height: number;
  /** One byte per dot, 1 black. */
  dots: Uint8Array;
}
export type PrintedLine = { text: string; bold: boolean; big: boolean } | { image: Raster } | { qr: string };

export interface Slip {
  lines: PrintedLine[];
  qr: string[];
  kicks: number;
  /** Ended by a cut (false: the stream stopped before the paper was cut). */
  cut: boolean;
}

export interface Decoded {
  slips: Slip[];
  kicks: number;
  cuts: number;
  statusRequests: number[];
}

const CODE_PAGES: Record<number, 'cp437' | 'cp858' | 'cp850'> = { 0: 'cp437', 2: 'cp850', 19: 'cp858' };
const tables = new Map<string, number[]>();
function table(cp: 'cp437' | 'cp858' | 'cp850'): number[] {
  let t = tables.get(cp);
  if (!t) {
    t = CodepageEncoder.getCodepoints(cp, true);
    tables.set(cp, t);
  }
  return t;
}

/** `partial`: the stream may stop inside a command (a printer that died mid-job): what came
 * before it is read, the rest ignored. */
export function decodeEscPos(bytes: Uint8Array, o: { partial?: boolean } = {}): Decoded {
  const out: Decoded = { slips: [], kicks: 0, cuts: 0, statusRequests: [] };
  let slip: Slip = { lines: [], qr: [], kicks: 0, cut: false };
  let text = '';
  let bold = false;
  let big = false;
  let lineBold = false;
  let lineBig = false;
  let cp: 'cp437' | 'cp858' | 'cp850' = 'cp437';
  let qrData: string | null = null;
  const flush = (): void => {
    slip.lines.push({ text, bold: lineBold, big: lineBig });
    text = '';
    lineBold = false;
    lineBig = false;
  };
  class Truncated extends Error {}
  const need = (i: number, n: number, what: string): void => {
    if (i + n <= bytes.length) return;
    if (o.partial) throw new Truncated();
    throw new Error(`${what} at byte ${i}: the stream ends inside it`);
  };
  let i = 0;
  try {
    read();
  } catch (err) {
    if (!(err instanceof Truncated)) throw err;
  }
  function read(): void {
    while (i < bytes.length) {
      const b = bytes[i]!;
      if (b === 0x0a) {
        flush();
        i += 1;
      } else if (b === 0x0d) i += 1;
      else if (b === 0x10) {
        need(i, 3, 'DLE');
        if (bytes[i + 1] !== 0x04) throw new Error(`DLE ${bytes[i + 1]} at byte ${i}: only DLE EOT is known`);
        out.statusRequests.push(bytes[i + 2]!);
        i += 3;
      } else if (b === 0x1b) {
        need(i, 2, 'ESC');
        const c = bytes[i + 1]!;
        if (c === 0x40) {
          bold = big = false;
          i += 2;
        } else if (c === 0x70) {
          need(i, 5, 'ESC p');
          slip.kicks += 1;
          out.kicks += 1;
          i += 5;
        } else if (c === 0x74) {
          need(i, 3, 'ESC t');
          const page = CODE_PAGES[bytes[i + 2]!];
          if (!page) throw new Error(`ESC t ${bytes[i + 2]} at byte ${i}: a code page this decoder has no table for`);
          cp = page;
          i += 3;
        } else if (c === 0x45) {
          bold = bytes[i + 2] === 1;
          i += 3;
        } else if ([0x4d, 0x61, 0x2d, 0x47, 0x33, 0x21, 0x64].includes(c)) i += 3;
        else if (c === 0x32) i += 2;
        else throw new Error(`ESC 0x${c.toString(16)} at byte ${i}: unknown command`);
      } else if (b === 0x1c) {
        need(i, 2, 'FS');
        if (bytes[i + 1] !== 0x2e) throw new Error(`FS 0x${bytes[i + 1]!.toString(16)} at byte ${i}: unknown command`);
        i += 2;
      } else if (b === 0x1d) {
        need(i, 2, 'GS');
        const c = bytes[i + 1]!;
        if (c === 0x21) {
          big = bytes[i + 2]! !== 0;
          i += 3;
        } else if (c === 0x56) {
          // GS V m (0, 1, 48, 49) or GS V m n (65, 66: feed n, then cut).
          const m = bytes[i + 2]!;
          i += m === 65 || m === 66 ? 4 : 3;
          if (text.length > 0) flush();
          slip.cut = true;
          out.cuts += 1;
          out.slips.push(slip);
          slip = { lines: [], qr: [], kicks: 0, cut: false };
        } else if (c === 0x28 && bytes[i + 2] === 0x6b) {
          need(i, 5, 'GS ( k');
          const len = bytes[i + 3]! + bytes[i + 4]! * 256;
          need(i, 5 + len, 'GS ( k');
          const fn = bytes[i + 6];
          if (bytes[i + 5] === 0x31 && fn === 0x50)
            qrData = Buffer.from(bytes.subarray(i + 8, i + 5 + len)).toString('utf8');
          if (bytes[i + 5] === 0x31 && fn === 0x51 && qrData !== null) {
            slip.qr.push(qrData);
            if (text.length > 0) flush();
            slip.lines.push({ qr: qrData });
            qrData = null;
          }
          i += 5 + len;
        } else if (c === 0x76 && bytes[i + 2] === 0x30) {
          need(i, 8, 'GS v 0');
          const xBytes = bytes[i + 4]! + bytes[i + 5]! * 256;
          const h = bytes[i + 6]! + bytes[i + 7]! * 256;
          need(i, 8 + xBytes * h, 'GS v 0');
          const dots = new Uint8Array(xBytes * 8 * h);
          for (let y = 0; y < h; y++)
            for (let x = 0; x < xBytes * 8; x++)
              dots[y * xBytes * 8 + x] = (bytes[i + 8 + y * xBytes + (x >> 3)]! >> (7 - (x & 7))) & 1;
          if (text.length > 0) flush();
          slip.lines.push({ image: { width: xBytes * 8, height: h, dots } });
          i += 8 + xBytes * h;
        } else if ([0x42, 0x48, 0x66, 0x68, 0x77, 0x4c, 0x57].includes(c)) i += c === 0x4c || c === 0x57 ? 4 : 3;
        else throw new Error(`GS 0x${c.toString(16)} at byte ${i}: unknown command`);
      } else if (b < 0x20) throw new Error(`control byte 0x${b.toString(16)} at byte ${i}: unknown`);
      else {
        text += b < 0x80 ? String.fromCharCode(b) : String.fromCodePoint(table(cp)[b] ?? 0x3f);
        // A line is bold or big if any of its printed characters is (not its padding).
        if (b !== 0x20) {
          lineBold ||= bold;
          lineBig ||= big;
        }
        i += 1;
      }
    }
  }
  if (text.length > 0) flush();
  // What follows the last cut: a slip only if something was printed on it (a feed is not).
  const printed = slip.lines.some((l) => !('text' in l) || l.text.trim().length > 0);
  if (printed || slip.kicks > 0 || slip.qr.length > 0) out.slips.push(slip);
  return out;
}

/** A slip's text lines, each trimmed, empty ones left out. */
export const textOf = (s: Slip): string[] =>
  s.lines.flatMap((l) => ('text' in l && l.text.trim().length > 0 ? [l.text.trim()] : []));
