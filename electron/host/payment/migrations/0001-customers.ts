// customers.db migration 1: the kiosk's directory of enrolled customers (a display name for the
// initials on "Paid", the phone's last four digits for the step-up). Never edit after it ships.
//
// IF NOT EXISTS, and the table exactly as it was: files made before customers.db kept a schema
// version (user_version 0) already hold this table, and must open as they are.

export const version = 1;

export const sql = `
CREATE TABLE IF NOT EXISTS customers (
  customer_id TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  phone_last4 TEXT NOT NULL CHECK (length(phone_last4) = 4),
  enrolled_at_ms INTEGER NOT NULL
);
`;
