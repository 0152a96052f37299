// Database errors that concurrency makes expected, as the server's codes: two requests (on
// one server, or on two servers sharing PostgreSQL) that insert the same key at once (one
// wins, the other is told to look again), and transactions that PostgreSQL aborted to break
// a deadlock or a serialisation conflict, or SQLite's busy timeout (retry in a moment). Any
// other database error stays an internal one, with its details only in the server log.

import type { SettleErrorCode } from '../../wire/codes.js';

const CONFLICT = new Set(['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);
const RETRY = new Set(['40001', '40P01', '55P03', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT']);

export function classifyDatabaseError(err: unknown): { status: number; code: SettleErrorCode; message: string } | null {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return null;
  if (CONFLICT.has(code))
    return {
      status: 409,
      code: 'SETTLE_CONFLICT',
      message: 'another request stored the same record at the same moment; look again, then retry if still needed',
    };
  if (RETRY.has(code))
    return { status: 503, code: 'SETTLE_BUSY', message: 'the database was busy with a conflicting request; retry' };
  return null;
}
