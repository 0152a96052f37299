// The matcher's gallery on this kiosk, rebuilt from the templates the settlement server sent
// (sealed to this kiosk's box key, kept sealed in the ledger file's sync tables) whenever the
// feed cursor moves. Template bytes are ours: "STT1", a descriptor count, then float32 LE.
import type { KioskState } from '../../ledger/sync/kiosk-state.js';
import { DescriptorIndex, DESCRIPTOR_DIMS } from '../face/matcher.js';
import { TEMPLATES_PLAIN_BYTES_MAX } from '../../ledger/server/protocol/limits.js';

const MAGIC = [0x53, 0x54, 0x54, 0x31]; // "STT1"
const HEADER_BYTES = 8;
export const TEMPLATE_DESCRIPTORS_MAX = Math.floor((TEMPLATES_PLAIN_BYTES_MAX - HEADER_BYTES) / (DESCRIPTOR_DIMS * 4));

export function encodeTemplates(descriptors: ArrayLike<number>[]): Uint8Array {
  if (descriptors.length === 0 || descriptors.length > TEMPLATE_DESCRIPTORS_MAX) {
    throw new RangeError(`templates: expected 1..${TEMPLATE_DESCRIPTORS_MAX} descriptors, got ${descriptors.length}`);
  }
  const out = new Uint8Array(HEADER_BYTES + descriptors.length * DESCRIPTOR_DIMS * 4);
  out.set(MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint32(4, descriptors.length, true);
  descriptors.forEach((d, i) => {
    if (d.length !== DESCRIPTOR_DIMS) throw new RangeError(`descriptor ${i}: expected ${DESCRIPTOR_DIMS} numbers, got ${d.length}`);
    for (let k = 0; k < DESCRIPTOR_DIMS; k++) view.setFloat32(HEADER_BYTES + (i * DESCRIPTOR_DIMS + k) * 4, d[k]!, true);
  });
  return out;
}

export function decodeTemplates(bytes: Uint8Array): number[][] {
  if (bytes.length < HEADER_BYTES || MAGIC.some((m, i) => bytes[i] !== m)) throw new Error('templates: expected the STT1 format');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(4, true);
  if (n === 0 || n > TEMPLATE_DESCRIPTORS_MAX || bytes.length !== HEADER_BYTES + n * DESCRIPTOR_DIMS * 4) {
    throw new Error(`templates: ${bytes.length} bytes do not hold ${n} descriptors`);
  }
  return Array.from({ length: n }, (_, i) => Array.from({ length: DESCRIPTOR_DIMS }, (_, k) => view.getFloat32(HEADER_BYTES + (i * DESCRIPTOR_DIMS + k) * 4, true)));
}

export class Gallery {
  private index = new DescriptorIndex();
  private cursor = -1;

  constructor(
    private readonly state: KioskState,
    private readonly boxSecret: Uint8Array,
  ) {}

  /** The index, rebuilt first if the feed brought enrolments or deletions since the last build. */
  current(): DescriptorIndex {
    const cursor = this.state.feedCursor();
    if (cursor !== this.cursor) {
      const next = new DescriptorIndex();
      for (const { customer_id, templates } of this.state.gallery(this.boxSecret)) {
        for (const d of decodeTemplates(templates)) next.add(customer_id, d);
        templates.fill(0);
      }
      this.index = next;
      this.cursor = cursor;
    }
    return this.index;
  }

  /** Forces a rebuild at the next use (after an enrolment or a deletion on this kiosk). */
  invalidate(): void {
    this.cursor = -1;
  }
}
