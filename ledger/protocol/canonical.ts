// RFC 8785 JSON Canonicalization Scheme (JCS): the one function that turns a ledger value
// into the bytes we sign and hash. Runs anywhere (no I/O).
//
// JCS serializes strings and numbers exactly as ECMAScript's JSON.stringify does, and
// sorts object members by the UTF-16 code units of their names, which is what
// Array.prototype.sort does by default. What JSON.stringify does not do, we refuse:
// non-finite numbers, undefined, functions, symbols, bigints, cycles, and -0 (which JCS
// writes as 0; a signed ledger has no use for it, so we reject it rather than guess).

import { LedgerError } from './errors.js';

export class CanonicalError extends LedgerError {
  constructor(message: string) {
    super('LEDGER_NOT_CANONICAL', message);
    this.name = 'CanonicalError';
  }
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Nesting deeper than this is refused: ledger entries are shallow, and recursion has a bound. */
export const CANONICAL_DEPTH_MAX = 32;

export function canonicalize(value: unknown): string {
  return write(value, 0, '$');
}

const encoder = new TextEncoder();

export function canonicalBytes(value: unknown): Uint8Array {
  return encoder.encode(canonicalize(value));
}

function write(value: unknown, depth: number, path: string): string {
  if (depth > CANONICAL_DEPTH_MAX) throw new CanonicalError(`${path}: nested deeper than ${CANONICAL_DEPTH_MAX}`);
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      assertWellFormed(value, path);
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalError(`${path}: expected a finite number, got ${value}`);
      if (Object.is(value, -0)) throw new CanonicalError(`${path}: -0 has no canonical form here`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return '[' + value.map((item, i) => write(item, depth + 1, `${path}[${i}]`)).join(',') + ']';
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new CanonicalError(`${path}: expected a plain object, got ${proto?.constructor?.name ?? 'unknown'}`);
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      const parts: string[] = [];
      for (const key of keys) {
        const item = record[key];
        if (item === undefined) throw new CanonicalError(`${path}.${key}: undefined has no JSON form`);
        assertWellFormed(key, `${path} key`);
        parts.push(JSON.stringify(key) + ':' + write(item, depth + 1, `${path}.${key}`));
      }
      return '{' + parts.join(',') + '}';
    }
    default:
      throw new CanonicalError(`${path}: ${typeof value} has no JSON form`);
  }
}

/** Lone surrogates cannot be encoded as UTF-8, so two different strings would hash alike. */
function assertWellFormed(s: string, path: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      throw new CanonicalError(`${path}: lone surrogate at index ${i}`);
    }
    if (c >= 0xdc00 && c <= 0xdfff) throw new CanonicalError(`${path}: lone surrogate at index ${i}`);
  }
}
