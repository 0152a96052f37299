// The camera frame as it crosses from the customer screen (untrusted) to the kiosk host: one
// binary message per frame, a fixed 32-byte header and the JPEG bytes. The host decodes the
// pixels and runs the face pipeline itself; nothing the screen computed about a face crosses.
// No I/O here: the screen encodes with encodeFrame, the host parses with parseFrame, and every
// field is bounded before anything is allocated or decoded.
//
//   offset  size  field
//        0     4  magic "SPF1" (smile-to-pay frame, version 1)
//        4     8  session tag: the 8 random bytes the host issued with the session (frame_tag)
//       12     4  sequence number (u32, little-endian): strictly increasing within a session
//       16     8  capture time (f64, little-endian), ms on the screen's clock (performance.timeOrigin + now())
//       24     4  JPEG length in bytes (u32, little-endian)
//       28     4  reserved, zero
//       32     n  the JPEG (FF D8 ... FF D9)

export const FRAME_MAGIC = [0x53, 0x50, 0x46, 0x31] as const;
export const FRAME_HEADER_BYTES = 32;
export const FRAME_TAG_BYTES = 8;
/** A 640x480 camera frame at JPEG quality 0.8 is 30-60 KB (the fixtures at 480 px: about 20 KB);
 * twice the largest leaves room for a detailed scene. A frame over it is refused, never decoded. */
export const FRAME_JPEG_BYTES_MAX = 128 * 1024;
export const FRAME_MESSAGE_BYTES_MAX = FRAME_HEADER_BYTES + FRAME_JPEG_BYTES_MAX;
/** Decoded frames at most this many pixels (640 x 480): the pipeline's detector works on 224 px
 * and a larger frame only costs decode time on the host. */
export const FRAME_PIXELS_MAX = 640 * 480;
/** The side the screen scales its frames to (the wider side): at a kiosk's distance the face's
 * eyes are 30+ px apart at this size (the quality gate wants 28), and jpeg-js decodes it in a
 * third of the time of 640 px. */
export const FRAME_SIDE_PX = 360;
/** Frames a screen may have sent and not yet seen answered; more wait on the screen. The host
 * drops what it cannot process in time anyway, but a screen that keeps within this never makes
 * the host drop. */
export const FRAMES_IN_FLIGHT_MAX = 2;
/** JPEG quality the screen encodes with (canvas.toBlob / convertToBlob). */
export const FRAME_JPEG_QUALITY = 0.8;

/** Scans a frame's JPEG may hold: a screen's canvas encodes baseline JPEG, one interleaved scan
 * (three for a sequential JPEG that sends its components apart). Progressive JPEG is refused:
 * each of its scans makes the decoder visit every block again, so 128 KiB of empty refinement
 * scans cost jpeg-js about 14 s of the vision worker (a camera frame: 10-20 ms). */
export const FRAME_JPEG_SCANS_MAX = 3;

const SEQ_MAX = 0xffffffff;
/** Capture times are ms since 1970 on the screen's clock: anything outside is not a clock. */
const CAPTURE_MS_MAX = 8_000_000_000_000;

export interface CameraFrame {
  /** Hex of the 8-byte session tag. */
  tag: string;
  seq: number;
  captured_at_ms: number;
  jpeg: Uint8Array;
}

export type FrameParse =
  { ok: true; frame: CameraFrame } | { ok: false; code: 'FRAME_TOO_LARGE' | 'FRAME_MALFORMED'; message: string };

export const isFrameTag = (tag: string): boolean => /^[0-9a-f]{16}$/.test(tag);

export function encodeFrame(f: CameraFrame): Uint8Array {
  if (!isFrameTag(f.tag)) throw new RangeError(`tag: expected 16 hex digits, got ${JSON.stringify(f.tag)}`);
  if (!Number.isSafeInteger(f.seq) || f.seq < 0 || f.seq > SEQ_MAX)
    throw new RangeError(`seq: expected an integer 0..${SEQ_MAX}, got ${f.seq}`);
  if (!Number.isFinite(f.captured_at_ms) || f.captured_at_ms < 0 || f.captured_at_ms > CAPTURE_MS_MAX)
    throw new RangeError(`captured_at_ms: expected 0..${CAPTURE_MS_MAX}, got ${f.captured_at_ms}`);
  if (f.jpeg.length > FRAME_JPEG_BYTES_MAX)
    throw new RangeError(`jpeg: ${f.jpeg.length} bytes, more than ${FRAME_JPEG_BYTES_MAX}`);
  const out = new Uint8Array(FRAME_HEADER_BYTES + f.jpeg.length);
  const dv = new DataView(out.buffer);
  out.set(FRAME_MAGIC, 0);
  for (let i = 0; i < FRAME_TAG_BYTES; i++) out[4 + i] = parseInt(f.tag.slice(2 * i, 2 * i + 2), 16);
  dv.setUint32(12, f.seq, true);
  dv.setFloat64(16, f.captured_at_ms, true);
  dv.setUint32(24, f.jpeg.length, true);
  out.set(f.jpeg, FRAME_HEADER_BYTES);
  return out;
}

const malformed = (message: string): FrameParse => ({ ok: false, code: 'FRAME_MALFORMED', message });

/** Checks every field against its bound; the JPEG is a view into `bytes`, not a copy. */
export function parseFrame(bytes: Uint8Array): FrameParse {
  if (bytes.length > FRAME_MESSAGE_BYTES_MAX)
    return {
      ok: false,
      code: 'FRAME_TOO_LARGE',
      message: `${bytes.length} bytes, more than ${FRAME_MESSAGE_BYTES_MAX}`,
    };
  if (bytes.length < FRAME_HEADER_BYTES + 4)
    return malformed(`${bytes.length} bytes, under the ${FRAME_HEADER_BYTES}-byte header and a JPEG`);
  for (let i = 0; i < FRAME_MAGIC.length; i++)
    if (bytes[i] !== FRAME_MAGIC[i]) return malformed('expected the magic "SPF1" at the start');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let tag = '';
  for (let i = 0; i < FRAME_TAG_BYTES; i++) tag += bytes[4 + i]!.toString(16).padStart(2, '0');
  const seq = dv.getUint32(12, true);
  const capturedAtMs = dv.getFloat64(16, true);
  const length = dv.getUint32(24, true);
  if (dv.getUint32(28, true) !== 0) return malformed('reserved header bytes 28..31 must be zero');
  if (!Number.isFinite(capturedAtMs) || capturedAtMs < 0 || capturedAtMs > CAPTURE_MS_MAX)
    return malformed(`capture time ${capturedAtMs}: expected ms 0..${CAPTURE_MS_MAX}`);
  if (length > FRAME_JPEG_BYTES_MAX)
    return {
      ok: false,
      code: 'FRAME_TOO_LARGE',
      message: `JPEG of ${length} bytes, more than ${FRAME_JPEG_BYTES_MAX}`,
    };
  if (length !== bytes.length - FRAME_HEADER_BYTES)
    return malformed(`header says ${length} JPEG bytes, the message holds ${bytes.length - FRAME_HEADER_BYTES}`);
  const jpeg = bytes.subarray(FRAME_HEADER_BYTES);
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return malformed('the image does not start as a JPEG (FF D8)');
  if (jpeg[length - 2] !== 0xff || jpeg[length - 1] !== 0xd9)
    return malformed('the image does not end as a JPEG (FF D9)');
  const structure = sequentialJpeg(jpeg);
  if (structure !== null) return malformed(structure);
  return { ok: true, frame: { tag, seq, captured_at_ms: capturedAtMs, jpeg } };
}

/** Null when `jpeg`'s markers describe one sequential (baseline or extended, Huffman) frame of at
 * most FRAME_JPEG_SCANS_MAX scans; otherwise why not. One pass over the bytes, nothing decoded. */
export function sequentialJpeg(jpeg: Uint8Array): string | null {
  let frames = 0;
  let scans = 0;
  let i = 2;
  while (i + 1 < jpeg.length) {
    if (jpeg[i] !== 0xff) return `expected a JPEG marker at byte ${i}`;
    const marker = jpeg[i + 1]!;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0xd9) return frames === 1 && scans > 0 ? null : 'a JPEG without a frame or a scan';
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    if (i + 3 >= jpeg.length) return 'a JPEG segment cut short';
    const length = (jpeg[i + 2]! << 8) | jpeg[i + 3]!;
    if (length < 2 || i + 2 + length > jpeg.length)
      return `a JPEG segment of ${length} bytes at byte ${i} runs past the end`;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame && marker !== 0xc0 && marker !== 0xc1)
      return `JPEG frame type 0x${marker.toString(16)}: only baseline (sequential, Huffman) JPEG is taken`;
    if (marker === 0xcc) return 'arithmetic-coded JPEG is not taken';
    if (isFrame && ++frames > 1) return 'a JPEG with more than one frame';
    i += 2 + length;
    if (marker !== 0xda) continue;
    if (frames !== 1) return 'a JPEG scan before its frame header';
    if (++scans > FRAME_JPEG_SCANS_MAX) return `more than ${FRAME_JPEG_SCANS_MAX} JPEG scans`;
    // The entropy-coded data runs to the next marker that is not a stuffed 0xFF or a restart.
    while (
      i + 1 < jpeg.length &&
      !(jpeg[i] === 0xff && jpeg[i + 1] !== 0 && (jpeg[i + 1]! < 0xd0 || jpeg[i + 1]! > 0xd7))
    )
      i += 1;
  }
  return 'a JPEG without its end marker';
}
