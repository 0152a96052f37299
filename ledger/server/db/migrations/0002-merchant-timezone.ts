// Migration 2: each merchant's time zone (IANA), so that its daily report counts the store's own
// days (it counted UTC days before; existing merchants keep UTC until an operator sets theirs),
// and an index for the report's range of a day's entries by creation time. Never edit after it ships.

import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../connect.js';

export const name = '0002-merchant-timezone';

export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema
    .alterTable('merchants')
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo(sql`'UTC'`))
    .execute();
  await db.schema
    .createIndex('entries_by_merchant_created')
    .on('entries')
    .columns(['merchant_id', 'created_at_ms'])
    .execute();
}
