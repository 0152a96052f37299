// The settlement server's tables, as Kysely sees them. One set of queries serves SQLite and
// PostgreSQL: flags are integers 0/1, bytes are BLOB/BYTEA (a Buffer either way), money is
// a 64-bit integer read back as a safe JavaScript number (see connect.ts).

import type { Generated } from 'kysely';

export interface MerchantTable {
  merchant_id: string;
  name: string;
  currency: string;
  created_at_ms: number;
  /** IANA time zone of the store's business days (migration 2; UTC for merchants made before). */
  timezone: Generated<string>;
}

export interface MerchantTokenTable {
  /** SHA-256 of the token, hex: the token itself is shown once and never stored. */
  token_sha256: string;
  merchant_id: string;
  created_at_ms: number;
  revoked_at_ms: number | null;
}

export interface KioskTable {
  kiosk_id: string;
  merchant_id: string;
  /** The key the next entry (and every request) must be signed with. */
  public_key: string;
  box_public_key: string;
  registered_at_ms: number;
  tip_seq: number;
  tip_hash: string;
  day_first_seq: number;
  previous_business_day: string | null;
}

export interface RequestNonceTable {
  kiosk_id: string;
  nonce: string;
  expires_at_ms: number;
}

export interface EntryTable {
  kiosk_id: string;
  seq: number;
  merchant_id: string;
  kind: string;
  created_at_ms: number;
  business_day: string;
  canonical: Buffer;
  signature: Buffer;
  entry_hash: string;
  payment_id: string | null;
  payment_seq: number | null;
  amount_minor: number | null;
  currency: string | null;
  customer_id: string | null;
  /** The receipt: {v: 1, kiosk_id, seq, entry_hash, status, reason, decided_at_ms: received_at_ms}, rebuilt byte for byte. */
  status: string;
  reason: string | null;
  received_at_ms: number;
}

export interface ReceiptBatchTable {
  batch_id: string;
  kiosk_id: string;
  first_seq: number;
  tree_size: number;
  root: string;
  signed_at_ms: number;
  signature: string;
}

export interface DayCloseTable {
  kiosk_id: string;
  seq: number;
  business_day: string;
  first_seq: number;
  last_seq: number;
  merkle_root: string;
}

export interface AccountTable {
  account_id: string;
  /** wallet, merchant, held (frozen payments) or external (top-ups). */
  kind: string;
  owner_id: string;
  currency: string;
  /** Credits minus debits; the sum over all accounts of a currency is always zero. */
  balance_minor: number;
  created_at_ms: number;
}

export interface TransferTable {
  /** kiosk:seq for an entry, so that an entry moves money at most once (the key says so). */
  transfer_id: string;
  debit_account_id: string;
  credit_account_id: string;
  amount_minor: number;
  currency: string;
  kind: string;
  business_day: string;
  created_at_ms: number;
}

export interface CustomerTable {
  customer_id: string;
  merchant_id: string;
  currency: string;
  status: string;
  created_at_ms: number;
  deleted_at_ms: number | null;
}

export interface ConsentTable {
  customer_id: string;
  kiosk_id: string;
  text_version: string;
  purpose: string;
  retention_days: number;
  agreed_at_ms: number;
  received_at_ms: number;
}

export interface TemplateTable {
  customer_id: string;
  /** The sealed box as the kiosk sent it, to the server's X25519 key: at rest, encrypted. */
  sealed: string;
  created_at_ms: number;
}

export interface DeletionTable {
  customer_id: string;
  requested_by: string;
  deleted_at_ms: number;
}

export interface FreezeTable {
  freeze_id: string;
  action: string;
  target_type: string;
  target_id: string;
  reason: string;
  issued_at_ms: number;
  record: string;
  signature: string;
  regulator_key: string;
  received_at_ms: number;
}

export interface FreezeStateTable {
  target_type: string;
  target_id: string;
  frozen: number;
  reason: string;
  updated_at_ms: number;
}

export interface RegulatorKeyTable {
  public_key: string;
  added_at_ms: number;
  revoked_at_ms: number | null;
}

export interface FeedEventTable {
  cursor: Generated<number>;
  /** null: every merchant's kiosks. */
  merchant_id: string | null;
  type: string;
  payload: string;
  created_at_ms: number;
}

export interface LimitTable {
  merchant_id: string;
  currency: string;
  payment_minor_max: number;
  customer_day_minor_max: number;
  unsynced_age_ms_max: number;
  updated_at_ms: number;
}

export interface AlarmTable {
  alarm_id: Generated<number>;
  kind: string;
  kiosk_id: string;
  seq: number;
  detail: string;
  created_at_ms: number;
}

export interface SettleDatabase {
  merchants: MerchantTable;
  merchant_tokens: MerchantTokenTable;
  kiosks: KioskTable;
  request_nonces: RequestNonceTable;
  entries: EntryTable;
  receipt_batches: ReceiptBatchTable;
  day_closes: DayCloseTable;
  accounts: AccountTable;
  transfers: TransferTable;
  customers: CustomerTable;
  consents: ConsentTable;
  templates: TemplateTable;
  deletions: DeletionTable;
  freezes: FreezeTable;
  freeze_state: FreezeStateTable;
  regulator_keys: RegulatorKeyTable;
  feed_events: FeedEventTable;
  limits: LimitTable;
  alarms: AlarmTable;
}
