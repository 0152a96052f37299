// privacy.db migration 2: every deletion request and every answer of the server kept,
// append-only (deletion_history); the mutable part (status, retries) in deletion_state;
// `deletions` becomes a read-only view of the current state (the latest request, its status).
// The rows of migration 1 move over: their request, and their outcome (a refusal dated at its
// request: migration 1 kept no date for it). Never edit after it ships.

export const version = 2;

export const sql = `
CREATE TABLE deletion_history (
  id          INTEGER PRIMARY KEY,
  customer_id TEXT    NOT NULL,
  at_ms       INTEGER NOT NULL,
  event       TEXT    NOT NULL CHECK (event IN ('requested', 'propagated', 'refused')),
  actor       TEXT    NOT NULL,
  detail      TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX deletion_history_customer ON deletion_history (customer_id, event, id);
CREATE TRIGGER deletion_history_no_update BEFORE UPDATE ON deletion_history BEGIN SELECT RAISE(ABORT, 'deletion_history is append-only'); END;
CREATE TRIGGER deletion_history_no_delete BEFORE DELETE ON deletion_history BEGIN SELECT RAISE(ABORT, 'deletion_history is append-only'); END;
INSERT INTO deletion_history (customer_id, at_ms, event, actor, detail)
  SELECT customer_id, requested_at_ms, 'requested', requested_by, reason FROM deletions ORDER BY requested_at_ms, customer_id;
INSERT INTO deletion_history (customer_id, at_ms, event, actor, detail)
  SELECT customer_id, coalesce(propagated_at_ms, requested_at_ms), status, 'server', coalesce(last_error, '') FROM deletions
  WHERE status IN ('propagated', 'refused') ORDER BY requested_at_ms, customer_id;
CREATE TABLE deletion_state (
  customer_id      TEXT PRIMARY KEY,
  status           TEXT    NOT NULL CHECK (status IN ('pending', 'propagated', 'refused')),
  propagated_at_ms INTEGER,
  last_error       TEXT,
  attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_ms  INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO deletion_state (customer_id, status, propagated_at_ms, last_error) SELECT customer_id, status, propagated_at_ms, last_error FROM deletions;
CREATE INDEX deletion_state_due ON deletion_state (next_attempt_ms) WHERE status = 'pending';
DROP TABLE deletions;
CREATE VIEW deletions AS
  SELECT s.customer_id, r.at_ms AS requested_at_ms, r.actor AS requested_by, r.detail AS reason, s.status, s.propagated_at_ms, s.last_error, s.attempts, s.next_attempt_ms, r.id AS request_id
  FROM deletion_state s JOIN deletion_history r ON r.id = (SELECT max(h.id) FROM deletion_history h WHERE h.customer_id = s.customer_id AND h.event = 'requested');
`;
