// Migration 2: what the kiosk learns from the settlement server. Receipts (one per entry,
// with its signed batch and proof), the updates feed's cursor and what it brought: the
// gallery (templates sealed to this kiosk's key), freezes and offline limits. Never edit
// after it ships. The entries table and its triggers are untouched.

export const version = 2;

export const sql = `
CREATE TABLE sync_batches (
  batch_id  TEXT PRIMARY KEY,
  head      TEXT NOT NULL,
  signature TEXT NOT NULL
) STRICT;

CREATE TABLE sync_receipts (
  seq            INTEGER PRIMARY KEY,
  entry_hash     TEXT    NOT NULL,
  status         TEXT    NOT NULL CHECK (status IN ('settled', 'declined', 'recorded')),
  reason         TEXT,
  receipt        TEXT    NOT NULL,
  batch_id       TEXT    NOT NULL REFERENCES sync_batches (batch_id),
  leaf_index     INTEGER NOT NULL,
  proof          TEXT    NOT NULL,
  received_at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX sync_receipts_declined ON sync_receipts (status) WHERE status = 'declined';

CREATE TABLE sync_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE sync_gallery (
  customer_id    TEXT PRIMARY KEY,
  templates      TEXT    NOT NULL,
  enrolled_at_ms INTEGER NOT NULL,
  cursor         INTEGER NOT NULL
) STRICT;

CREATE TABLE sync_freezes (
  target_type TEXT NOT NULL,
  target_id   TEXT NOT NULL,
  reason      TEXT NOT NULL,
  cursor      INTEGER NOT NULL,
  PRIMARY KEY (target_type, target_id)
) STRICT;

CREATE TABLE sync_limits (
  currency               TEXT PRIMARY KEY,
  payment_minor_max      INTEGER NOT NULL,
  customer_day_minor_max INTEGER NOT NULL,
  unsynced_age_ms_max    INTEGER NOT NULL,
  cursor                 INTEGER NOT NULL
) STRICT;
`;
