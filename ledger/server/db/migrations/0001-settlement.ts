// Migration 1: every table of the settlement server. Never edit after it ships; a change is
// a new numbered migration. The same schema on SQLite and PostgreSQL, with the two column
// types that differ (bytes, and an auto-incrementing cursor) chosen by dialect.

import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../connect.js';

export const name = '0001-settlement';

export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  const s = db.schema;
  await s
    .createTable('merchants')
    .addColumn('merchant_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createTable('merchant_tokens')
    .addColumn('token_sha256', 'text', (c) => c.primaryKey())
    .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.merchant_id'))
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at_ms', 'bigint')
    .execute();
  await s
    .createTable('kiosks')
    .addColumn('kiosk_id', 'text', (c) => c.primaryKey())
    .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.merchant_id'))
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('box_public_key', 'text', (c) => c.notNull())
    .addColumn('registered_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('tip_seq', 'bigint', (c) => c.notNull())
    .addColumn('tip_hash', 'text', (c) => c.notNull())
    .addColumn('day_first_seq', 'bigint', (c) => c.notNull())
    .addColumn('previous_business_day', 'text')
    .execute();
  await s
    .createTable('request_nonces')
    .addColumn('kiosk_id', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('request_nonces_pk', ['kiosk_id', 'nonce'])
    .execute();
  await s.createIndex('request_nonces_by_expiry').on('request_nonces').column('expires_at_ms').execute();
  await s
    .createTable('entries')
    .addColumn('kiosk_id', 'text', (c) => c.notNull().references('kiosks.kiosk_id'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('business_day', 'text', (c) => c.notNull())
    .addColumn('canonical', bytes, (c) => c.notNull())
    .addColumn('signature', bytes, (c) => c.notNull())
    .addColumn('entry_hash', 'text', (c) => c.notNull().unique())
    .addColumn('payment_id', 'text')
    .addColumn('payment_seq', 'bigint')
    .addColumn('amount_minor', 'bigint')
    .addColumn('currency', 'text')
    .addColumn('customer_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('received_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('entries_pk', ['kiosk_id', 'seq'])
    .addUniqueConstraint('entries_payment_id', ['kiosk_id', 'payment_id'])
    .execute();
  await s.createIndex('entries_by_payment_seq').on('entries').columns(['kiosk_id', 'payment_seq']).execute();
  await s.createIndex('entries_by_merchant_day').on('entries').columns(['merchant_id', 'business_day']).execute();
  await s
    .createTable('receipt_batches')
    .addColumn('batch_id', 'text', (c) => c.primaryKey())
    .addColumn('kiosk_id', 'text', (c) => c.notNull())
    .addColumn('first_seq', 'bigint', (c) => c.notNull())
    .addColumn('tree_size', 'integer', (c) => c.notNull())
    .addColumn('root', 'text', (c) => c.notNull())
    .addColumn('signed_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .execute();
  await s
    .createTable('day_closes')
    .addColumn('kiosk_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('business_day', 'text', (c) => c.notNull())
    .addColumn('first_seq', 'bigint', (c) => c.notNull())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('merkle_root', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('day_closes_pk', ['kiosk_id', 'seq'])
    .execute();
  await s
    .createTable('accounts')
    .addColumn('account_id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('balance_minor', 'bigint', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createTable('transfers')
    .addColumn('transfer_id', 'text', (c) => c.primaryKey())
    .addColumn('debit_account_id', 'text', (c) => c.notNull().references('accounts.account_id'))
    .addColumn('credit_account_id', 'text', (c) => c.notNull().references('accounts.account_id'))
    .addColumn('amount_minor', 'bigint', (c) => c.notNull().check(sqlPositive()))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('business_day', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createTable('customers')
    .addColumn('customer_id', 'text', (c) => c.primaryKey())
    .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.merchant_id'))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at_ms', 'bigint')
    .execute();
  await s
    .createTable('consents')
    .addColumn('customer_id', 'text', (c) => c.primaryKey())
    .addColumn('kiosk_id', 'text', (c) => c.notNull())
    .addColumn('text_version', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('retention_days', 'integer', (c) => c.notNull())
    .addColumn('agreed_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('received_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createTable('templates')
    .addColumn('customer_id', 'text', (c) => c.primaryKey())
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createTable('deletions')
    .addColumn('customer_id', 'text', (c) => c.primaryKey())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('deleted_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createTable('freezes')
    .addColumn('freeze_id', 'text', (c) => c.primaryKey())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('issued_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('record', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('regulator_key', 'text', (c) => c.notNull())
    .addColumn('received_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createTable('freeze_state')
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('frozen', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('freeze_state_pk', ['target_type', 'target_id'])
    .execute();
  await s
    .createTable('regulator_keys')
    .addColumn('public_key', 'text', (c) => c.primaryKey())
    .addColumn('added_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at_ms', 'bigint')
    .execute();
  await s
    .createTable('feed_events')
    .addColumn('cursor', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('merchant_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createTable('limits')
    .addColumn('merchant_id', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('payment_minor_max', 'bigint', (c) => c.notNull())
    .addColumn('customer_day_minor_max', 'bigint', (c) => c.notNull())
    .addColumn('unsynced_age_ms_max', 'bigint', (c) => c.notNull())
    .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('limits_pk', ['merchant_id', 'currency'])
    .execute();
  await s
    .createTable('alarms')
    .addColumn('alarm_id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('kiosk_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
    .execute();
}

function sqlPositive() {
  return sql`amount_minor > 0`;
}
