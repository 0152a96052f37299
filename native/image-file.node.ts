// Reads anyone's photo for the eval CLIs and the calibration: the format is sniffed from the
// bytes, never the name (a WebP called .jpg is a WebP). sharp (prebuilt libvips) decodes JPEG,
// PNG, WebP, GIF, TIFF, AVIF/HEIF; PNM (PGM, PPM) and BMP, which libvips leaves to ImageMagick,
// are decoded here. Every picture is turned upright (EXIF orientation) and scaled down to at most
// IMAGE_SIDE_PX_MAX on its longer side before detection, so a 20-megapixel phone photo costs what
// a webcam frame does; decoding itself is bounded by IMAGE_INPUT_PIXELS_MAX. A file that cannot
// be read is an ImageFileError with a reason a person can act on, never a crash.
import { readFileSync, statSync } from 'node:fs';
import sharp, { type Sharp } from 'sharp';
import type { RgbFrame } from '../electron/contract/vision.js';

/** Longer side after scaling: a face filling a fifth of it still has 50 px between the eyes. */
export const IMAGE_SIDE_PX_MAX = 1280;
/** Decoding refuses larger pictures (about 1.2 GB of RGBA at 100 MP would be the worst case). */
export const IMAGE_INPUT_PIXELS_MAX = 100_000_000;
/** A file larger than this is not read at all (a video or a disk image by mistake). */
export const IMAGE_FILE_BYTES_MAX = 200 * 1024 * 1024;

export class ImageFileError extends Error {
  readonly code = 'IMAGE_UNREADABLE';
}

export interface LoadedImage {
  frame: RgbFrame;
  /** What the bytes were: jpeg, png, webp, gif, tiff, heif, pnm, bmp. */
  format: string;
  /** The picture's size before scaling. */
  width_px: number;
  height_px: number;
}

const hex = (b: Uint8Array): string =>
  Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ') || 'nothing';

/** Decodes and scales any supported picture; throws ImageFileError with the reason. */
export async function decodeImageFile(bytes: Uint8Array, sideMax = IMAGE_SIDE_PX_MAX): Promise<LoadedImage> {
  if (bytes.length === 0) throw new ImageFileError('empty file');
  const own = isPnm(bytes) ? decodePnm(bytes) : isBmp(bytes) ? decodeBmp(bytes) : null;
  let input: Sharp;
  let format: string;
  let width: number;
  let height: number;
  if (own) {
    format = own.format;
    width = own.frame.width;
    height = own.frame.height;
    input = sharp(own.frame.data, { raw: { width, height, channels: 3 } });
  } else {
    input = sharp(bytes, { limitInputPixels: IMAGE_INPUT_PIXELS_MAX, failOn: 'error', pages: 1 });
    try {
      const meta = await input.metadata();
      format = meta.format ?? 'unknown';
      const swap = (meta.orientation ?? 1) >= 5;
      width = (swap ? meta.height : meta.width) ?? 0;
      height = (swap ? meta.width : meta.height) ?? 0;
    } catch (err) {
      throw new ImageFileError(`not a picture this reader knows (starts ${hex(bytes)}): ${firstLine(err)}`);
    }
  }
  try {
    const { data, info } = await input
      .rotate()
      .resize({ width: sideMax, height: sideMax, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { frame: toRgb(data, info.width, info.height, info.channels), format, width_px: width, height_px: height };
  } catch (err) {
    throw new ImageFileError(`${format}: cannot be decoded: ${firstLine(err)}`);
  }
}

/** Reads a file from disk (bounded in size) and decodes it. */
export async function loadImageFile(path: string, sideMax = IMAGE_SIDE_PX_MAX): Promise<LoadedImage> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (err) {
    throw new ImageFileError(`cannot be read: ${firstLine(err)}`);
  }
  if (size > IMAGE_FILE_BYTES_MAX)
    throw new ImageFileError(`${size} bytes, over the ${IMAGE_FILE_BYTES_MAX} a photo may have`);
  return decodeImageFile(readFileSync(path), sideMax);
}

const firstLine = (err: unknown): string =>
  String((err as Error)?.message ?? err)
    .split('\n')[0]!
    .slice(0, 200);

function toRgb(data: Uint8Array, width: number, height: number, channels: number): RgbFrame {
  if (channels === 3) return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  const out = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < out.length; i += 3, j += channels) {
    const grey = channels < 3;
    out[i] = data[j]!;
    out[i + 1] = data[grey ? j : j + 1]!;
    out[i + 2] = data[grey ? j : j + 2]!;
  }
  return { width, height, data: out };
}

// ---- PNM: P2/P5 (grey), P3/P6 (colour), 8 or 16 bits ----------------------------------------

const isPnm = (b: Uint8Array): boolean => b[0] === 0x50 && b[1]! >= 0x32 && b[1]! <= 0x36 && isSpace(b[2]!);
const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

function decodePnm(b: Uint8Array): { frame: RgbFrame; format: string } {
  const kind = b[1]! - 0x30; // 2, 3, 5, 6 (4: packed bitmap, unsupported)
  if (kind === 4) throw new ImageFileError('pnm: P4 bitmaps (one bit per pixel) are not supported');
  let pos = 2;
  const token = (): number => {
    for (;;) {
      while (pos < b.length && isSpace(b[pos]!)) pos++;
      if (b[pos] !== 0x23) break; // '#' comment to the end of the line
      while (pos < b.length && b[pos] !== 0x0a) pos++;
    }
    let v = 0;
    const start = pos;
    while (pos < b.length && b[pos]! >= 0x30 && b[pos]! <= 0x39) v = v * 10 + (b[pos++]! - 0x30);
    if (pos === start) throw new ImageFileError(`pnm: expected a number at byte ${start}`);
    return v;
  };
  const width = token();
  const height = token();
  const maxval = token();
  if (width < 1 || height < 1 || width * height > IMAGE_INPUT_PIXELS_MAX)
    throw new ImageFileError(`pnm: ${width}x${height} pixels, expected 1..${IMAGE_INPUT_PIXELS_MAX}`);
  if (maxval < 1 || maxval > 65535) throw new ImageFileError(`pnm: maxval ${maxval}, expected 1..65535`);
  const channels = kind === 3 || kind === 6 ? 3 : 1;
  const n = width * height * channels;
  const values = new Uint16Array(n);
  if (kind === 5 || kind === 6) {
    pos += 1; // exactly one whitespace byte before the raster
    const wide = maxval > 255;
    if (b.length < pos + n * (wide ? 2 : 1))
      throw new ImageFileError(`pnm: raster cut short (${b.length - pos} bytes for ${n} samples)`);
    for (let i = 0; i < n; i++) values[i] = wide ? (b[pos + 2 * i]! << 8) | b[pos + 2 * i + 1]! : b[pos + i]!;
  } else {
    for (let i = 0; i < n; i++) values[i] = token();
  }
  const data = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) {
      const v = values[p * channels + (channels === 3 ? c : 0)]!;
      data[p * 3 + c] = Math.round((Math.min(v, maxval) * 255) / maxval);
    }
  }
  return { frame: { width, height, data }, format: 'pnm' };
}

// ---- BMP: uncompressed 24/32-bit, or 8-bit with a palette ---------------------------------------

const isBmp = (b: Uint8Array): boolean => b.length >= 26 && b[0] === 0x42 && b[1] === 0x4d;

function decodeBmp(b: Uint8Array): { frame: RgbFrame; format: string } {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < 54) throw new ImageFileError(`bmp: ${b.length} bytes, shorter than its headers`);
  const offset = view.getUint32(10, true);
  const header = view.getUint32(14, true);
  const width = view.getInt32(18, true);
  const rawHeight = view.getInt32(22, true);
  const bits = view.getUint16(28, true);
  const compression = view.getUint32(30, true);
  const height = Math.abs(rawHeight);
  if (width < 1 || height < 1 || width * height > IMAGE_INPUT_PIXELS_MAX)
    throw new ImageFileError(`bmp: ${width}x${height} pixels, expected 1..${IMAGE_INPUT_PIXELS_MAX}`);
  // BI_RGB (0), or BI_BITFIELDS (3) with the usual masks for 32 bits.
  if (!(compression === 0 || (compression === 3 && bits === 32)) || ![8, 24, 32].includes(bits))
    throw new ImageFileError(
      `bmp: ${bits}-bit with compression ${compression} is not supported (8, 24, 32-bit uncompressed)`,
    );
  const stride = Math.ceil((width * bits) / 32) * 4;
  if (b.length < offset + stride * height) throw new ImageFileError('bmp: pixel data cut short');
  const palette = bits === 8 ? 14 + header : 0;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = offset + (rawHeight > 0 ? height - 1 - y : y) * stride;
    for (let x = 0; x < width; x++) {
      let p = row + x * (bits / 8);
      if (bits === 8) p = palette + b[p]! * 4;
      const o = (y * width + x) * 3;
      data[o] = b[p + 2]!;
      data[o + 1] = b[p + 1]!;
      data[o + 2] = b[p]!;
    }
  }
  return { frame: { width, height, data }, format: 'bmp' };
}
