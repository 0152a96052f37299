// Printing migration 1: the print queue (one row per job: its printer, the document it prints,
// localised when queued, its state, attempts and when it is next due), the cash drawer's
// openings (the ledger entry that opened it, who, why, when; when the printer took the kick),
// and the ledger cursor (the last entry the printing follower has turned into jobs). Never edit
// after it ships.

export const version = 1;

export const sql = `
CREATE TABLE print_jobs (
  job_id         INTEGER PRIMARY KEY,
  printer_id     TEXT    NOT NULL,
  kind           TEXT    NOT NULL CHECK (kind IN ('receipt', 'kitchen', 'x_report', 'z_report', 'drawer')),
  ref            TEXT    NOT NULL,
  dedup_key      TEXT    UNIQUE,
  doc            TEXT    NOT NULL,
  reprint        INTEGER NOT NULL CHECK (reprint IN (0, 1)),
  state          TEXT    NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
  attempts       INTEGER NOT NULL DEFAULT 0,
  bytes_sent     INTEGER NOT NULL DEFAULT 0,
  next_at_ms     INTEGER NOT NULL,
  created_at_ms  INTEGER NOT NULL,
  done_at_ms     INTEGER,
  last_error     TEXT
) STRICT;
CREATE INDEX print_jobs_due ON print_jobs (state, next_at_ms);
CREATE INDEX print_jobs_ref ON print_jobs (kind, ref);

CREATE TABLE drawer_openings (
  seq              INTEGER PRIMARY KEY,
  reason           TEXT    NOT NULL CHECK (reason IN ('cash_payment', 'cash_refund', 'pay_in', 'pay_out')),
  by_staff         TEXT    NOT NULL,
  ref              TEXT    NOT NULL,
  requested_at_ms  INTEGER NOT NULL,
  job_id           INTEGER,
  kicked_at_ms     INTEGER
) STRICT;

CREATE TABLE print_cursor (
  one  INTEGER PRIMARY KEY CHECK (one = 1),
  seq  INTEGER NOT NULL
) STRICT;
`;
