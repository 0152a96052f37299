// privacy.db migration 1: consents and deletions (one mutable row per customer). Never edit
// after it ships.
//
// Made before privacy.db kept a schema version (user_version 0), so IF NOT EXISTS: a new file,
// or one of that time, which already holds these tables.

export const version = 1;

export const sql = `
CREATE TABLE IF NOT EXISTS consents (
  customer_id    TEXT PRIMARY KEY,
  text_version   TEXT    NOT NULL,
  language       TEXT    CHECK (language IN ('en', 'de', 'zh')),
  purpose        TEXT    NOT NULL,
  retention_days INTEGER NOT NULL CHECK (retention_days >= 0),
  agreed_at_ms   INTEGER NOT NULL,
  kiosk_id       TEXT    NOT NULL,
  source         TEXT    NOT NULL CHECK (source IN ('kiosk', 'demo'))
) STRICT;
CREATE TABLE IF NOT EXISTS deletions (
  customer_id      TEXT PRIMARY KEY,
  requested_at_ms  INTEGER NOT NULL,
  requested_by     TEXT    NOT NULL,
  reason           TEXT    NOT NULL,
  status           TEXT    NOT NULL CHECK (status IN ('pending', 'propagated', 'refused')),
  propagated_at_ms INTEGER,
  last_error       TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS deletions_pending ON deletions (status) WHERE status = 'pending';
`;
