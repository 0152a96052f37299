// orders.db migration 1: one row per order, rewritten on each change (the order's JSON in
// `body`), with the columns the board and the reports look orders up by. Never edit after it
// ships. Files of the code before numbered migrations are at user_version 1 already, with
// exactly this table, so they skip it.

export const version = 1;

export const sql = `
CREATE TABLE orders (
  order_id TEXT PRIMARY KEY,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  status TEXT NOT NULL,
  paid_seq INTEGER,
  body TEXT NOT NULL
);
CREATE INDEX orders_created ON orders (created_at_ms);
CREATE INDEX orders_paid_seq ON orders (paid_seq) WHERE paid_seq IS NOT NULL;
`;
