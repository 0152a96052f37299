// Appending to the kiosks' updates feed. The cursor is the order kiosks read in, so on
// PostgreSQL appends are serialised (an advisory lock held to commit): a reader that has
// seen cursor N never misses a cursor below N that commits later. SQLite writes one at a time.

import { sql } from 'kysely';
import { canonicalize } from '../protocol/canonical.js';
import type { Services, Tx } from './context.js';

const FEED_LOCK_KEY = 7_270_301;

export async function appendFeed(
  s: Services,
  trx: Tx,
  merchantId: string | null,
  type: string,
  payload: Record<string, unknown>,
): Promise<void> {
  if (s.store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${FEED_LOCK_KEY})`.execute(trx);
  await trx
    .insertInto('feed_events')
    .values({ merchant_id: merchantId, type, payload: canonicalize(payload), created_at_ms: s.now() })
    .execute();
}
