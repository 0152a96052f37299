// The matcher's gallery on this kiosk, rebuilt from the templates the settlement server sent
// (sealed to this kiosk's box key, kept sealed in the ledger file's sync tables) whenever the
// feed cursor moves. Template bytes are ours (the server only carries them, sealed): "STT1", a
// descriptor count, then float32 LE; or "STT2", the same followed by the customer's card (the
// phone's last four digits and the display name), so that a customer enrolled at one kiosk can
// answer the phone-digits step-up, and be greeted, at every kiosk of the merchant.
import type { KioskState } from '../../../ledger/sync/kiosk-state.js';
import { DescriptorIndex, DESCRIPTOR_DIMS } from '../../face/matcher.js';
import { TEMPLATES_PLAIN_BYTES_MAX } from '../../../ledger/wire/limits.js';

const MAGIC = [0x53, 0x54, 0x54, 0x31]; // "STT1"
const MAGIC_CARD = [0x53, 0x54, 0x54, 0x32]; // "STT2": with the card
const HEADER_BYTES = 8;
/** The card: 4 digits, a length byte, the name in UTF-8 (at most this many bytes). */
export const CARD_NAME_BYTES_MAX = 120;
const CARD_BYTES_MAX = 4 + 1 + CARD_NAME_BYTES_MAX;
export const TEMPLATE_DESCRIPTORS_MAX = Math.floor(
  (TEMPLATES_PLAIN_BYTES_MAX - HEADER_BYTES - CARD_BYTES_MAX) / (DESCRIPTOR_DIMS * 4),
);

/** What every kiosk needs to know of a customer besides the face: the step-up digits and a name. */
export interface CustomerCard {
  phone_last4: string;
  display_name: string;
}

function cardBytes(card: CustomerCard): Uint8Array {
  if (!/^\d{4}$/.test(card.phone_last4))
    throw new RangeError(`card: expected the phone's last 4 digits, got ${JSON.stringify(card.phone_last4)}`);
  let name = new TextEncoder().encode(card.display_name.trim());
  if (name.length === 0) throw new RangeError('card: expected a display name');
  // A long name is cut at a character boundary, never inside one.
  if (name.length > CARD_NAME_BYTES_MAX)
    name = new TextEncoder().encode(
      new TextDecoder().decode(name.subarray(0, CARD_NAME_BYTES_MAX)).replace(/\uFFFD+$/, ''),
    );
  const out = new Uint8Array(5 + name.length);
  out.set(new TextEncoder().encode(card.phone_last4), 0);
  out[4] = name.length;
  out.set(name, 5);
  return out;
}

export function encodeTemplates(descriptors: ArrayLike<number>[], card?: CustomerCard): Uint8Array {
  if (descriptors.length === 0 || descriptors.length > TEMPLATE_DESCRIPTORS_MAX) {
    throw new RangeError(`templates: expected 1..${TEMPLATE_DESCRIPTORS_MAX} descriptors, got ${descriptors.length}`);
  }
  const tail = card ? cardBytes(card) : new Uint8Array(0);
  const out = new Uint8Array(HEADER_BYTES + descriptors.length * DESCRIPTOR_DIMS * 4 + tail.length);
  out.set(card ? MAGIC_CARD : MAGIC, 0);
  out.set(tail, out.length - tail.length);
  const view = new DataView(out.buffer);
  view.setUint32(4, descriptors.length, true);
  descriptors.forEach((d, i) => {
    if (d.length !== DESCRIPTOR_DIMS)
      throw new RangeError(`descriptor ${i}: expected ${DESCRIPTOR_DIMS} numbers, got ${d.length}`);
    for (let k = 0; k < DESCRIPTOR_DIMS; k++)
      view.setFloat32(HEADER_BYTES + (i * DESCRIPTOR_DIMS + k) * 4, d[k]!, true);
  });
  return out;
}

export function decodeTemplates(bytes: Uint8Array): number[][] {
  return decodeCustomer(bytes).descriptors;
}

/** The descriptors, and the card when the bytes carry one (STT2). */
export function decodeCustomer(bytes: Uint8Array): { descriptors: number[][]; card: CustomerCard | null } {
  const withCard = bytes.length >= HEADER_BYTES && MAGIC_CARD.every((m, i) => bytes[i] === m);
  if (!withCard && (bytes.length < HEADER_BYTES || MAGIC.some((m, i) => bytes[i] !== m)))
    throw new Error('templates: expected the STT1 or STT2 format');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(4, true);
  const end = HEADER_BYTES + n * DESCRIPTOR_DIMS * 4;
  const cardOk = (): boolean =>
    bytes.length >= end + 5 &&
    bytes.length === end + 5 + bytes[end + 4]! &&
    bytes[end + 4]! > 0 &&
    bytes[end + 4]! <= CARD_NAME_BYTES_MAX;
  if (n === 0 || n > TEMPLATE_DESCRIPTORS_MAX || (withCard ? !cardOk() : bytes.length !== end)) {
    throw new Error(`templates: ${bytes.length} bytes do not hold ${n} descriptors${withCard ? ' and a card' : ''}`);
  }
  const descriptors = Array.from({ length: n }, (_, i) =>
    Array.from({ length: DESCRIPTOR_DIMS }, (_, k) =>
      view.getFloat32(HEADER_BYTES + (i * DESCRIPTOR_DIMS + k) * 4, true),
    ),
  );
  if (!withCard) return { descriptors, card: null };
  const phone = new TextDecoder().decode(bytes.subarray(end, end + 4));
  if (!/^\d{4}$/.test(phone)) throw new Error("templates: the card's phone digits are not 4 digits");
  const display_name = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(end + 5));
  return { descriptors, card: { phone_last4: phone, display_name } };
}

export class Gallery {
  private index = new DescriptorIndex();
  private cards = new Map<string, CustomerCard>();
  private cursor = -1;

  /** Customers whose templates could not be read at the last rebuild (a damaged card, a newer
   * format than this kiosk knows): left out of matching, named for the log. */
  unreadable: { customer_id: string; reason: string }[] = [];

  constructor(
    private readonly state: KioskState,
    private readonly boxSecret: Uint8Array,
    private readonly opts: {
      /** Customers to leave out (a deletion asked for here that the server has not confirmed). */
      excluded?: () => ReadonlySet<string>;
      /** Told of each customer left out for unreadable templates, at each rebuild. */
      onUnreadable?: (customerId: string, reason: string) => void;
    } = {},
  ) {}

  /** The index, rebuilt first if the feed brought enrolments or deletions since the last build. */
  current(): DescriptorIndex {
    const cursor = this.state.feedCursor();
    if (cursor !== this.cursor) {
      const next = new DescriptorIndex();
      const cards = new Map<string, CustomerCard>();
      const unreadable: { customer_id: string; reason: string }[] = [];
      const excluded = this.opts.excluded?.() ?? new Set<string>();
      for (const { customer_id, templates } of this.state.gallery(this.boxSecret)) {
        try {
          if (excluded.has(customer_id)) continue;
          // One customer's bad templates must not stop every payment: that customer is left out.
          const c = decodeCustomer(templates);
          next.addCustomer(customer_id, c.descriptors);
          if (c.card) cards.set(customer_id, c.card);
        } catch (err) {
          unreadable.push({ customer_id, reason: (err as Error).message });
        } finally {
          templates.fill(0);
        }
      }
      this.index = next;
      this.cards = cards;
      this.unreadable = unreadable;
      for (const u of unreadable) this.opts.onUnreadable?.(u.customer_id, u.reason);
      this.cursor = cursor;
    }
    return this.index;
  }

  /** The card that came with a customer's templates (any kiosk's enrolment), if any. */
  card(customerId: string): CustomerCard | undefined {
    this.current();
    return this.cards.get(customerId);
  }

  /** The customers in the gallery whose card has these phone digits. */
  withPhoneDigits(last4: string): string[] {
    this.current();
    return [...this.cards].flatMap(([id, c]) => (c.phone_last4 === last4 ? [id] : []));
  }

  /** Forces a rebuild at the next use (after an enrolment or a deletion on this kiosk). */
  invalidate(): void {
    this.cursor = -1;
  }
}
