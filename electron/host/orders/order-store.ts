// The kiosk's orders on disk (<data_dir>/orders.db), so that a restart keeps the board and the
// lines behind every payment (what was sold, for the manager's reports of any past day). Orders
// are working state, not money: the signed payment in the ledger names its order id and is the
// record of what was paid. So one row per order, rewritten on each change (WAL, synchronous
// NORMAL: a crash may lose the last change of an order, never a payment), and orders older than
// ORDERS_RETAINED_DAYS are dropped at start.
import Database from 'better-sqlite3';
import { Order } from '../../contract/api.js';
import { migrate } from '../../../ledger/store/migrate.js';
import * as m0001 from './migrations/0001-orders.js';

/** Kept this long (about thirteen months: a year's reports and the month before). */
export const ORDERS_RETAINED_DAYS = 400;
/** Orders kept at most (orders need no sign-in: a flood of them must not fill the disk); the
 * oldest go first. Checked at start and every PRUNE_EVERY_SAVES saves. */
export const ORDERS_STORED_MAX = 500_000;
const PRUNE_EVERY_SAVES = 1_000;
/** Orders read back in one call, at most (a day's report asks for every payment's order). */
export const ORDERS_READ_MAX = 100_000;

/** orders.db's numbered migrations (migrations/), applied at open. */
export const ORDERS_MIGRATIONS = [m0001] as const;

export class OrderStore {
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement;
  private saves = 0;

  constructor(
    path: string,
    private readonly now: () => number = Date.now,
    private readonly rowsMax = ORDERS_STORED_MAX,
  ) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    migrate(this.db, ORDERS_MIGRATIONS, path);
    this.upsert = this.db.prepare(
      `INSERT INTO orders (order_id, created_at_ms, updated_at_ms, status, paid_seq, body) VALUES (@order_id, @created_at_ms, @updated_at_ms, @status, @paid_seq, @body)
       ON CONFLICT (order_id) DO UPDATE SET updated_at_ms = excluded.updated_at_ms, status = excluded.status, paid_seq = excluded.paid_seq, body = excluded.body`,
    );
    this.prune();
  }

  /** Drops orders older than the retention, then the oldest beyond rowsMax. */
  prune(): void {
    this.db.prepare('DELETE FROM orders WHERE created_at_ms < ?').run(this.now() - ORDERS_RETAINED_DAYS * 86_400_000);
    const count = this.db.prepare('SELECT count(*) FROM orders').pluck().get() as number;
    if (count > this.rowsMax)
      this.db
        .prepare(
          'DELETE FROM orders WHERE order_id IN (SELECT order_id FROM orders ORDER BY created_at_ms, rowid LIMIT ?)',
        )
        .run(count - this.rowsMax);
  }

  save(o: Order): void {
    this.upsert.run({
      order_id: o.order_id,
      created_at_ms: o.created_at_ms,
      updated_at_ms: o.updated_at_ms,
      status: o.status,
      paid_seq: o.paid_seq,
      body: JSON.stringify(o),
    });
    if (++this.saves % PRUNE_EVERY_SAVES === 0) this.prune();
  }

  /** An order that took no money and is gone from the board (an abandoned kiosk order). */
  remove(orderId: string): void {
    this.db.prepare('DELETE FROM orders WHERE order_id = ?').run(orderId);
  }

  /** The newest `limit` orders, oldest first (as the book replays them). */
  latest(limit: number): Order[] {
    const rows = this.db
      .prepare('SELECT order_id, body FROM orders ORDER BY created_at_ms DESC, rowid DESC LIMIT ?')
      .all(Math.min(limit, ORDERS_READ_MAX)) as { order_id: string; body: string }[];
    return rows.reverse().map((r) => this.parse(r));
  }

  /** The orders changed since `sinceMs` (a day's discounts are on them), newest first, at most ORDERS_READ_MAX. */
  updatedSince(sinceMs: number): Order[] {
    const rows = this.db
      .prepare('SELECT order_id, body FROM orders WHERE updated_at_ms >= ? ORDER BY updated_at_ms DESC LIMIT ?')
      .all(sinceMs, ORDERS_READ_MAX) as { order_id: string; body: string }[];
    return rows.map((r) => this.parse(r));
  }

  /** The orders with these ids (unknown ids are left out), at most ORDERS_READ_MAX. */
  byIds(ids: readonly string[]): Map<string, Order> {
    if (ids.length > ORDERS_READ_MAX)
      throw new RangeError(`${ids.length} order ids: at most ${ORDERS_READ_MAX} at once`);
    const get = this.db.prepare('SELECT order_id, body FROM orders WHERE order_id = ?');
    const out = new Map<string, Order>();
    for (const id of ids) {
      const row = get.get(id) as { order_id: string; body: string } | undefined;
      if (row) out.set(id, this.parse(row));
    }
    return out;
  }

  /** A row that is not an order (edited by hand, a bug) is named, not skipped silently. */
  private parse(row: { order_id: string; body: string }): Order {
    const parsed = Order.safeParse(JSON.parse(row.body));
    if (!parsed.success)
      throw new Error(
        `orders.db: order ${row.order_id} is not an order: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
      );
    return parsed.data;
  }

  close(): void {
    this.db.close();
  }
}
