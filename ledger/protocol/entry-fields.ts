// The field checks behind parseEntry(): hand-written, because verify runs them on every entry
// of a 100,000-entry ledger, and because each message must name the field, what was expected
// and what came. Runs anywhere.

import { amountProblem, isCurrency } from './money.js';
import { LedgerError } from './errors.js';

/** Free-text fields (reasons, notes) at most this many UTF-16 units. */
export const TEXT_LENGTH_MAX = 500;
/** Identifiers (kiosk, order, customer, actor) at most this many characters. */
export const ID_LENGTH_MAX = 64;

export type ConfigValue = string | number | boolean;

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/;
const HEX64 = /^[0-9a-f]{64}$/;
export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class Fields {
  constructor(
    private readonly record: Record<string, unknown>,
    readonly path: string,
    readonly seq: number | undefined,
  ) {}

  fail(field: string, expected: string): never {
    const got = this.record[field];
    const shown = got === undefined ? 'nothing' : JSON.stringify(got)?.slice(0, 80);
    throw new LedgerError(
      'LEDGER_ENTRY_INVALID',
      `${this.path}.${field}: expected ${expected}, got ${shown}`,
      this.seq,
    );
  }

  only(allowed: readonly string[]): void {
    for (const key of Object.keys(this.record)) {
      if (!allowed.includes(key)) {
        throw new LedgerError(
          'LEDGER_ENTRY_INVALID',
          `${this.path}: unexpected field ${JSON.stringify(key)}`,
          this.seq,
        );
      }
    }
  }

  id(field: string): string {
    const v = this.record[field];
    if (typeof v !== 'string' || v.length === 0 || v.length > ID_LENGTH_MAX || !ID_PATTERN.test(v)) {
      this.fail(field, `an identifier of 1..${ID_LENGTH_MAX} letters, digits or ._:@-`);
    }
    return v;
  }

  text(field: string, lengthMax = TEXT_LENGTH_MAX): string {
    const v = this.record[field];
    if (typeof v !== 'string' || v.trim().length === 0 || v.length > lengthMax) {
      this.fail(field, `a non-empty text of at most ${lengthMax} characters`);
    }
    return v;
  }

  int(field: string, min: number, max: number): number {
    const v = this.record[field];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
      this.fail(field, `an integer in ${min}..${max}`);
    }
    return v;
  }

  hex64(field: string): string {
    const v = this.record[field];
    if (typeof v !== 'string' || !HEX64.test(v)) this.fail(field, '64 lowercase hex digits');
    return v;
  }

  amount(field: string): number {
    const problem = amountProblem(this.record[field]);
    if (problem !== null) this.fail(field, problem.replace(/, got .*$/, '').replace(/^amount_minor must be /, ''));
    return this.record[field] as number;
  }

  currency(field: string): string {
    const v = this.record[field];
    if (!isCurrency(v)) this.fail(field, 'an ISO 4217 currency code');
    return v;
  }

  oneOf<T extends string>(field: string, values: readonly T[]): T {
    const v = this.record[field];
    if (typeof v !== 'string' || !values.includes(v as T)) this.fail(field, `one of ${values.join(', ')}`);
    return v as T;
  }

  has(field: string): boolean {
    return this.record[field] !== undefined;
  }

  configValue(field: string): ConfigValue {
    const v = this.record[field];
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    if (typeof v === 'string' && v.length <= TEXT_LENGTH_MAX) return v;
    return this.fail(
      field,
      `a boolean, a safe integer or a text of at most ${TEXT_LENGTH_MAX} characters (decimals as text)`,
    );
  }

  bool(field: string): boolean {
    const v = this.record[field];
    if (typeof v !== 'boolean') this.fail(field, 'true or false');
    return v;
  }

  array(field: string, lengthMax: number, lengthMin = 0): unknown[] {
    const v = this.record[field];
    if (!Array.isArray(v) || v.length > lengthMax || v.length < lengthMin)
      this.fail(field, `an array of ${lengthMin}..${lengthMax} items`);
    return v;
  }

  object(field: string): Record<string, unknown> {
    const v = this.record[field];
    if (!isPlainObject(v)) this.fail(field, 'an object');
    return v;
  }

  /** Each item of an array field, as the Fields of an object. */
  objects(field: string, lengthMax: number, lengthMin = 0): Fields[] {
    return this.array(field, lengthMax, lengthMin).map((item, i) => {
      if (!isPlainObject(item)) this.fail(field, `objects (item ${i} is not)`);
      return new Fields(item, `${this.path}.${field}[${i}]`, this.seq);
    });
  }

  /** A view of this record without `fields` (to run an older format's checks on the fields it shares). */
  without(fields: readonly string[]): Fields {
    const rest = Object.fromEntries(Object.entries(this.record).filter(([k]) => !fields.includes(k)));
    return new Fields(rest, this.path, this.seq);
  }

  /** A view of this record with `field` set to `value` (its own check is done elsewhere). */
  replacing(field: string, value: unknown): Fields {
    return new Fields({ ...this.record, [field]: value }, this.path, this.seq);
  }

  /** The Fields of an object field. */
  nested(field: string): Fields {
    return new Fields(this.object(field), `${this.path}.${field}`, this.seq);
  }
}
