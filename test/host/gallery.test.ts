// The kiosk's gallery from the feed's sealed templates, on a real ledger file: a customer's card
// (phone digits, name) is read with the face; one customer's unreadable templates (a damaged
// card, a format this kiosk does not know) leave that customer out and are named, while everyone
// else can still pay; customers excluded (a deletion not yet confirmed) are left out too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceKey } from '../../ledger/keys/device-key.js';
import { LedgerStore } from '../../ledger/store/store.js';
import { KioskState } from '../../ledger/sync/kiosk-state.js';
import { newBoxSecret, boxPublicKey, seal } from '../../ledger/wire/sealed-box.js';
import { encodeTemplates, Gallery } from '../../electron/host/payment/gallery.js';

const descriptor = (k: number): number[] =>
  Array.from({ length: 128 }, (_, i) => Math.fround(Math.sin(i * 0.37 + k) / 10));

test('cards come with the faces; unreadable templates leave one customer out, not everyone; excluded customers are left out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'smile-gallery-'));
  try {
    const path = join(dir, 'ledger.db');
    const store = LedgerStore.open({ path, kioskId: 'k-gallery', key: DeviceKey.generate() });
    const state = new KioskState(path);
    const secret = newBoxSecret();
    const pub = boxPublicKey(secret);
    const good = encodeTemplates([descriptor(1)], { phone_last4: '0042', display_name: 'Daniel Ortiz' });
    const damaged = encodeTemplates([descriptor(2)], { phone_last4: '1234', display_name: 'Amy' });
    damaged[damaged.length - 1] = 0xff; // the name is no longer UTF-8
    const future = encodeTemplates([descriptor(3)]);
    future.set([0x53, 0x54, 0x54, 0x39], 0); // "STT9"
    const old = encodeTemplates([descriptor(4)]);
    const item = (cursor: number, id: string, plain: Uint8Array) => ({
      cursor,
      type: 'customer_enrolled' as const,
      customer_id: id,
      merchant_id: 'm',
      enrolled_at_ms: 1,
      templates: seal(plain, pub, id),
    });
    state.applyFeed(
      [item(1, 'c-good', good), item(2, 'c-damaged', damaged), item(3, 'c-future', future), item(4, 'c-old', old)],
      4,
    );

    const reasons: string[] = [];
    let excluded = new Set<string>();
    const gallery = new Gallery(state, secret, {
      excluded: () => excluded,
      onUnreadable: (id, why) => reasons.push(`${id}: ${why}`),
    });
    const ids = (): string[] => ['c-good', 'c-damaged', 'c-future', 'c-old'].filter((id) => gallery.current().has(id));
    assert.deepEqual(ids(), ['c-good', 'c-old']);
    assert.deepEqual(gallery.card('c-good'), { phone_last4: '0042', display_name: 'Daniel Ortiz' });
    assert.equal(gallery.card('c-old'), undefined, 'an STT1 enrolment has no card');
    assert.deepEqual(gallery.withPhoneDigits('0042'), ['c-good']);
    assert.deepEqual(
      gallery.unreadable.map((u) => u.customer_id),
      ['c-damaged', 'c-future'],
    );
    assert.match(reasons.join('\n'), /c-future: templates: expected the STT1 or STT2 format/);
    assert.equal(reasons.length, 2);

    excluded = new Set(['c-good']);
    gallery.invalidate();
    assert.deepEqual(ids(), ['c-old']);
    assert.deepEqual(gallery.withPhoneDigits('0042'), []);
    state.close();
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
