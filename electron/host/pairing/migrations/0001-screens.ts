// Pairing migration 1: the customer screens paired with this kiosk, each by the hash of its
// device token (the token itself is only ever on the screen), who paired it and how, and its
// revocation. Revoked rows stay, for the manager's list. Never edit after it ships.

export const version = 1;

export const sql = `
CREATE TABLE screens (
  screen_id      TEXT    PRIMARY KEY,
  token_sha256   TEXT    NOT NULL UNIQUE CHECK (length(token_sha256) = 64),
  label          TEXT    NOT NULL,
  paired_at_ms   INTEGER NOT NULL,
  paired_by      TEXT    NOT NULL,
  method         TEXT    NOT NULL CHECK (method IN ('link', 'code')),
  last_seen_ms   INTEGER,
  revoked_at_ms  INTEGER,
  revoked_by     TEXT,
  revoke_reason  TEXT
) STRICT;
`;
