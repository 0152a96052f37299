// Migration 1: the append-only entries table and the ledger's identity. Never edit after it
// ships; a change is a new numbered migration.
//
// `canonical` and `signature` are the entry; every other column is derived from them for
// queries, and `verify` checks each derived column against the bytes.

export const version = 1;

export const sql = `
CREATE TABLE ledger_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE entries (
  seq           INTEGER PRIMARY KEY,
  kind          TEXT    NOT NULL,
  created_at_ms INTEGER NOT NULL,
  canonical     BLOB    NOT NULL,
  signature     BLOB    NOT NULL,
  entry_hash    BLOB    NOT NULL UNIQUE,
  payment_id    TEXT    UNIQUE,
  payment_seq   INTEGER,
  amount_minor  INTEGER,
  currency      TEXT,
  customer_id   TEXT
) STRICT;

CREATE INDEX entries_by_payment_seq ON entries (payment_seq) WHERE payment_seq IS NOT NULL;
CREATE INDEX entries_by_created_at ON entries (created_at_ms);
CREATE INDEX entries_by_kind ON entries (kind, seq);

-- Append-only: a correction is a new entry, never an edit.
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
BEGIN SELECT RAISE(ABORT, 'LEDGER_APPEND_ONLY: ledger entries cannot be changed'); END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
BEGIN SELECT RAISE(ABORT, 'LEDGER_APPEND_ONLY: ledger entries cannot be deleted'); END;
CREATE TRIGGER meta_no_update BEFORE UPDATE ON ledger_meta
BEGIN SELECT RAISE(ABORT, 'LEDGER_APPEND_ONLY: the ledger identity cannot be changed'); END;
CREATE TRIGGER meta_no_delete BEFORE DELETE ON ledger_meta
BEGIN SELECT RAISE(ABORT, 'LEDGER_APPEND_ONLY: the ledger identity cannot be deleted'); END;
`;
