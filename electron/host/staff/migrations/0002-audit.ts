// Staff migration 2: an audit row for every change to the staff list (added, disabled,
// enabled, PIN reset or changed, unlocked), naming who did it. Staff changes move no money, so
// they are not ledger entries; this table is append-only (triggers refuse UPDATE and DELETE).
// Never edit after it ships.

export const version = 2;

export const sql = `
CREATE TABLE staff_audit (
  id        INTEGER PRIMARY KEY,
  at_ms     INTEGER NOT NULL,
  actor     TEXT    NOT NULL,
  action    TEXT    NOT NULL CHECK (action IN ('add', 'disable', 'enable', 'reset_pin', 'change_own_pin', 'unlock')),
  staff_id  TEXT    NOT NULL,
  detail    TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE TRIGGER staff_audit_no_update BEFORE UPDATE ON staff_audit BEGIN SELECT RAISE(ABORT, 'staff_audit is append-only'); END;
CREATE TRIGGER staff_audit_no_delete BEFORE DELETE ON staff_audit BEGIN SELECT RAISE(ABORT, 'staff_audit is append-only'); END;
`;
