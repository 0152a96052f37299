// Staff migration 1: the people who may sign in at the kiosk, their role and PIN hash, and
// their failed attempts. Never edit after it ships.

export const version = 1;

export const sql = `
CREATE TABLE staff (
  staff_id        TEXT    PRIMARY KEY,
  display_name    TEXT    NOT NULL,
  role            TEXT    NOT NULL CHECK (role IN ('cashier', 'manager')),
  pin_hash        TEXT    NOT NULL,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until_ms INTEGER NOT NULL DEFAULT 0,
  created_at_ms   INTEGER NOT NULL,
  disabled        INTEGER NOT NULL DEFAULT 0
) STRICT;
`;
