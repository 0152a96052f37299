// The kiosk's directory of enrolled customers: a display name (for the initials on "Paid")
// and the last four digits of the phone number (for the step-up). Only the last four digits
// are kept: they are all the step-up needs. Face templates are not here: they live sealed in
// the ledger file's sync tables, as the settlement server sent them.
import Database from 'better-sqlite3';
import { migrate } from '../../../ledger/store/migrate.js';
import * as m0001 from './migrations/0001-customers.js';

/** customers.db's numbered migrations (migrations/), applied at open. */
export const CUSTOMERS_MIGRATIONS = [m0001] as const;

export interface CustomerRecord {
  customer_id: string;
  display_name: string;
  phone_last4: string;
  enrolled_at_ms: number;
}

export class CustomerDirectory {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    migrate(this.db, CUSTOMERS_MIGRATIONS, path);
  }

  put(c: CustomerRecord): void {
    this.db
      .prepare(
        'INSERT INTO customers (customer_id, display_name, phone_last4, enrolled_at_ms) VALUES (?, ?, ?, ?) ON CONFLICT (customer_id) DO UPDATE SET display_name = excluded.display_name, phone_last4 = excluded.phone_last4',
      )
      .run(c.customer_id, c.display_name, c.phone_last4, c.enrolled_at_ms);
  }

  get(customerId: string): CustomerRecord | undefined {
    return this.db.prepare('SELECT * FROM customers WHERE customer_id = ?').get(customerId) as
      CustomerRecord | undefined;
  }

  withPhoneDigits(last4: string): string[] {
    return this.db.prepare('SELECT customer_id FROM customers WHERE phone_last4 = ?').pluck().all(last4) as string[];
  }

  /** The customers with these phone digits, by name, at most `limit` (the privacy panel's search). */
  findByPhoneDigits(last4: string, limit: number): string[] {
    return this.db
      .prepare('SELECT customer_id FROM customers WHERE phone_last4 = ? ORDER BY display_name LIMIT ?')
      .pluck()
      .all(last4, limit) as string[];
  }

  /** The customers whose name holds `part` (any case), or whose id is `part`, by name, at most `limit`. */
  findByName(part: string, limit: number): string[] {
    const like = `%${part.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.db
      .prepare(
        "SELECT customer_id FROM customers WHERE lower(display_name) LIKE ? ESCAPE '\\' OR customer_id = ? ORDER BY display_name LIMIT ?",
      )
      .pluck()
      .all(like, part, limit) as string[];
  }

  /** Every customer's id and name, by name, at most `limit` (a search by initials scans them). */
  names(limit: number): { customer_id: string; display_name: string }[] {
    return this.db
      .prepare('SELECT customer_id, display_name FROM customers ORDER BY display_name LIMIT ?')
      .all(limit) as { customer_id: string; display_name: string }[];
  }

  remove(customerId: string): void {
    this.db.prepare('DELETE FROM customers WHERE customer_id = ?').run(customerId);
  }

  count(): number {
    return this.db.prepare('SELECT count(*) FROM customers').pluck().get() as number;
  }

  close(): void {
    this.db.close();
  }
}

/** "Daniel Osei" -> "D.O."; at most three letters. */
export function initialsOf(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean).slice(0, 3);
  return parts.map((p) => `${[...p][0]!.toUpperCase()}.`).join('');
}

export function phoneLast4(phone: string): string | null {
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 6 ? digits.slice(-4) : null;
}
