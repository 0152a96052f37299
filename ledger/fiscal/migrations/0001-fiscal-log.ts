// fiscal.db migration 1: the signing unit's log beside the ledger, as a TSE keeps its own.
// One row per receipt (the ledger entry's seq) with what the unit signed and the two codes;
// the units that signed; the unit's outages, a start and an end row each. Append-only, like
// the ledger. Never edit after it ships.

export const version = 1;

export const sql = `
CREATE TABLE fiscal_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE fiscal_units (
  serial      TEXT PRIMARY KEY,
  algorithm   TEXT NOT NULL,
  public_key  TEXT NOT NULL,
  first_at_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE fiscal_receipts (
  seq               INTEGER PRIMARY KEY,
  kind              TEXT    NOT NULL CHECK (kind IN ('payment', 'refund', 'void')),
  start_ms          INTEGER NOT NULL,
  end_ms            INTEGER NOT NULL,
  unit_serial       TEXT    NOT NULL,
  signature_counter INTEGER,
  process_type      TEXT    NOT NULL,
  process_data      TEXT    NOT NULL,
  failed            INTEGER NOT NULL CHECK (failed IN (0, 1)),
  training          INTEGER NOT NULL CHECK (training IN (0, 1)),
  turnover_minor    INTEGER NOT NULL,
  qr_code           TEXT    NOT NULL,
  rksv_code         TEXT    NOT NULL
) STRICT;

CREATE TABLE fiscal_outages (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  event       TEXT    NOT NULL CHECK (event IN ('start', 'end')),
  unit_serial TEXT    NOT NULL,
  at_ms       INTEGER NOT NULL,
  first_seq   INTEGER NOT NULL,
  reason      TEXT    NOT NULL
) STRICT;

CREATE TRIGGER fiscal_receipts_no_update BEFORE UPDATE ON fiscal_receipts
BEGIN SELECT RAISE(ABORT, 'FISCAL_APPEND_ONLY: fiscal receipts cannot be changed'); END;
CREATE TRIGGER fiscal_receipts_no_delete BEFORE DELETE ON fiscal_receipts
BEGIN SELECT RAISE(ABORT, 'FISCAL_APPEND_ONLY: fiscal receipts cannot be deleted'); END;
CREATE TRIGGER fiscal_outages_no_update BEFORE UPDATE ON fiscal_outages
BEGIN SELECT RAISE(ABORT, 'FISCAL_APPEND_ONLY: outages cannot be changed'); END;
CREATE TRIGGER fiscal_outages_no_delete BEFORE DELETE ON fiscal_outages
BEGIN SELECT RAISE(ABORT, 'FISCAL_APPEND_ONLY: outages cannot be deleted'); END;
CREATE TRIGGER fiscal_meta_no_update BEFORE UPDATE ON fiscal_meta
BEGIN SELECT RAISE(ABORT, 'FISCAL_APPEND_ONLY: the fiscal identity cannot be changed'); END;
`;
