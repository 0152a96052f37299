// The kiosks' updates feed: gallery changes, freezes and limits, one cursor, read in pages
// that the server signs. Enrolments are delivered with the templates sealed afresh to the
// reading kiosk's own X25519 key; a customer deleted since is delivered without them (the
// deletion follows in the feed), so templates never outlive their deletion.

import { fromHex } from '../protocol/hex.js';
import { FEED_DOMAIN, feedPageBytes, signDomain } from '../wire/signing.js';
import { open, seal } from '../wire/sealed-box.js';
import type { FeedItem, FeedPage, SignedFeedPage } from '../wire/wire.js';
import { recordNonce, type KioskAuth } from './auth.js';
import { parseSealed } from './customers.js';
import { transaction, type Services } from './context.js';

export async function readFeed(s: Services, auth: KioskAuth, after: number, limit: number): Promise<SignedFeedPage> {
  return transaction(s, async (trx) => {
    await recordNonce(s, trx, auth);
    const rows = await trx
      .selectFrom('feed_events')
      .selectAll()
      .where('cursor', '>', after)
      .where((eb) => eb.or([eb('merchant_id', 'is', null), eb('merchant_id', '=', auth.merchant_id)]))
      .orderBy('cursor')
      .limit(limit)
      .execute();
    const enrolled = rows
      .filter((r) => r.type === 'customer_enrolled')
      .map((r) => (JSON.parse(r.payload) as { customer_id: string }).customer_id);
    const sealed = new Map<string, string>();
    if (enrolled.length > 0) {
      const t = await trx
        .selectFrom('templates')
        .select(['customer_id', 'sealed'])
        .where('customer_id', 'in', enrolled)
        .execute();
      for (const r of t) sealed.set(r.customer_id, r.sealed);
    }
    const kioskBox = fromHex(auth.box_public_key, 32);
    const items: FeedItem[] = [];
    for (const r of rows) {
      const payload = JSON.parse(r.payload) as Record<string, unknown>;
      if (r.type === 'customer_enrolled') {
        const customerId = payload.customer_id as string;
        const text = sealed.get(customerId);
        if (text === undefined) continue;
        const plain = open(parseSealed(text), s.keys.boxSecret, customerId);
        if (plain === null) throw new Error(`assertion failed: stored templates of ${customerId} do not open`);
        const templates = seal(plain, kioskBox, customerId);
        plain.fill(0);
        items.push({
          cursor: r.cursor,
          type: 'customer_enrolled',
          customer_id: customerId,
          merchant_id: payload.merchant_id as string,
          enrolled_at_ms: payload.enrolled_at_ms as number,
          templates,
        });
      } else {
        items.push({ cursor: r.cursor, type: r.type, ...payload } as FeedItem);
      }
    }
    const page: FeedPage = {
      v: 1,
      type: 'feed_page',
      kiosk_id: auth.kiosk_id,
      after,
      next_cursor: rows.at(-1)?.cursor ?? after,
      items,
      signed_at_ms: s.now(),
    };
    return { page, signature: signDomain(FEED_DOMAIN, s.keys.signing, feedPageBytes(page)) };
  });
}
