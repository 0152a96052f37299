// Splits a Motion JPEG stream (concatenated JPEG images, as Chromium's fake camera plays them)
// into its frames. Each frame is walked segment by segment (so that an EXIF thumbnail's own
// FF D8 .. FF D9 inside APP1 does not end it early); inside entropy-coded data a 0xFF byte is
// followed by 00 (stuffing) or a restart marker, so the next other marker ends the scan.

export const MJPEG_FRAMES_MAX = 100_000;

/** Returns the index just past the EOI of the JPEG starting at `start`, or -1 if truncated. */
function jpegEnd(b: Uint8Array, start: number): number {
  let p = start + 2;
  while (p + 1 < b.length) {
    if (b[p] !== 0xff) return -1;
    const m = b[p + 1]!;
    if (m === 0xff) {
      p += 1;
      continue;
    } // fill byte
    if (m === 0xd9) return p + 2;
    if (m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
      p += 2;
      continue;
    }
    if (p + 3 >= b.length) return -1;
    const len = (b[p + 2]! << 8) | b[p + 3]!;
    p += 2 + len;
    if (m === 0xda) {
      while (p + 1 < b.length && !(b[p] === 0xff && b[p + 1] !== 0x00 && !(b[p + 1]! >= 0xd0 && b[p + 1]! <= 0xd7)))
        p += 1;
    }
  }
  return -1;
}

export function splitMjpeg(bytes: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let i = 0;
  while (i + 1 < bytes.length) {
    if (bytes[i] !== 0xff || bytes[i + 1] !== 0xd8) {
      i += 1;
      continue;
    }
    const end = jpegEnd(bytes, i);
    if (end < 0) {
      i += 2;
      continue;
    } // a damaged or truncated frame is skipped
    frames.push(bytes.subarray(i, end));
    if (frames.length > MJPEG_FRAMES_MAX) throw new Error(`MJPEG: more than ${MJPEG_FRAMES_MAX} frames`);
    i = end;
  }
  return frames;
}
