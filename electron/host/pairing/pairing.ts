// Which screens are this kiosk's customer screens. Only a paired screen may start a payment,
// send camera frames, enrol or ask for a deletion; any other page sees the status page. A
// screen is paired by one of:
//  * the one-time link the start message prints (as Jupyter's token URL): the first browser to
//    open it within security.pairing_link_ttl_ms is paired, and the link is spent;
//  * a code: an unpaired screen asks for one and shows it; a manager types it on a staff screen
//    and confirms with their PIN (a wrong PIN counts toward their lock-out); the screen then
//    claims its device token with the request's secret, which only it holds.
// The kiosk's own Electron window is paired by construction (ELECTRON_SCREEN), never stored.
// A screen holds a device token (32 random bytes, an HttpOnly cookie in browser mode); the
// kiosk keeps only its SHA-256, in <data_dir>/screens.db. A manager lists and revokes pairings;
// a revoked screen's open connections are closed at once (onRevoked).
import { createHash, randomBytes, randomInt } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { migrate } from '../../../ledger/store/migrate.js';
import type { StaffDirectory } from '../staff/directory.js';
import type { SecurityLimits } from '../security/limits.js';
import * as m0001 from './migrations/0001-screens.js';

export const SCREEN_MIGRATIONS = [m0001] as const;
/** The kiosk's own window (Electron): paired by construction. */
export const ELECTRON_SCREEN_ID = 'kiosk-window';
export const SCREEN_LABEL_LENGTH_MAX = 60;
/** Pairings (active and revoked) the manager's list shows, newest first. */
export const SCREENS_LISTED_MAX = 100;
/** A screen's last-seen time is written at most this often (not at camera rate). */
const LAST_SEEN_WRITE_MS = 60_000;
const PAIRING_CODE_DIGITS = 6;
/** Revocation listeners (the HTTP transport, the Electron shell, a test). */
const REVOKE_LISTENERS_MAX = 4;

export interface PairedScreen {
  screen_id: string;
  label: string;
}

export interface ScreenRecord extends PairedScreen {
  paired_at_ms: number;
  paired_by: string;
  method: 'link' | 'code';
  last_seen_ms: number | null;
  revoked_at_ms: number | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

export type PairingErrorCode =
  | 'PAIRING_LINK_INVALID'
  | 'PAIRING_CODE_UNKNOWN'
  | 'PAIRING_REQUEST_UNKNOWN'
  | 'PAIRING_FULL'
  | 'PAIRING_SCREEN_UNKNOWN';

export class PairingError extends Error {
  constructor(
    readonly code: PairingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PairingError';
  }
}

interface Request {
  code: string;
  expires_at_ms: number;
  /** Set when a manager approved it: the token the screen claims once. */
  approved: { token: string; screen: PairedScreen } | null;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const newSecret = (): string => randomBytes(32).toString('base64url');
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export class PairingDesk {
  private readonly db: Database.Database;
  private readonly now: () => number;
  private readonly links = new Map<string, number>();
  private readonly requests = new Map<string, Request>();
  private readonly lastSeenWritten = new Map<string, number>();
  private readonly revokeListeners = new Set<(screenId: string) => void>();

  constructor(
    private readonly o: {
      path: string;
      limits: SecurityLimits;
      staff: StaffDirectory;
      log: Logger;
      now?: () => number;
    },
  ) {
    this.now = o.now ?? Date.now;
    this.db = new Database(o.path);
    this.db.pragma('journal_mode = WAL');
    migrate(this.db, SCREEN_MIGRATIONS, o.path);
  }

  close(): void {
    this.db.close();
  }

  /** The paired screen a device token names, or null (unknown, revoked, malformed). */
  authenticate(token: string | undefined): PairedScreen | null {
    if (token === undefined || !TOKEN_PATTERN.test(token)) return null;
    const row = this.db
      .prepare('SELECT screen_id, label FROM screens WHERE token_sha256 = ? AND revoked_at_ms IS NULL')
      .get(sha256(token)) as PairedScreen | undefined;
    if (!row) return null;
    const t = this.now();
    if (t - (this.lastSeenWritten.get(row.screen_id) ?? 0) >= LAST_SEEN_WRITE_MS) {
      this.lastSeenWritten.set(row.screen_id, t);
      this.db.prepare('UPDATE screens SET last_seen_ms = ? WHERE screen_id = ?').run(t, row.screen_id);
    }
    return row;
  }

  activeCount(): number {
    return this.db.prepare('SELECT count(*) FROM screens WHERE revoked_at_ms IS NULL').pluck().get() as number;
  }

  /** A one-time pairing link's secret (the transport serves /pair/<secret>); only its hash is kept. */
  issueLink(): { secret: string; expires_at_ms: number } {
    this.expire();
    const secret = newSecret();
    const expiresAtMs = this.now() + this.o.limits.pairing_link_ttl_ms;
    this.links.set(sha256(secret), expiresAtMs);
    return { secret, expires_at_ms: expiresAtMs };
  }

  /** Spends a link: the browser that opened it becomes a customer screen. */
  redeemLink(secret: string, label: string): { token: string; screen: PairedScreen } {
    this.expire();
    const key = sha256(secret);
    if (!this.links.has(key))
      throw new PairingError('PAIRING_LINK_INVALID', 'this pairing link was used already or has expired');
    this.links.delete(key);
    return this.pair(label, 'link', 'link');
  }

  /** An unpaired screen asks to be paired: a code to show, and a secret to claim with. */
  requestCode(): { request_id: string; code: string; expires_at_ms: number } {
    this.expire();
    if (this.requests.size >= this.o.limits.pairing_codes_open_max)
      throw new PairingError(
        'PAIRING_FULL',
        `${this.requests.size} pairing codes are waiting already; try again in a few minutes`,
      );
    let code: string;
    do code = String(randomInt(0, 10 ** PAIRING_CODE_DIGITS)).padStart(PAIRING_CODE_DIGITS, '0');
    while ([...this.requests.values()].some((r) => r.code === code));
    const secret = newSecret();
    const expiresAtMs = this.now() + this.o.limits.pairing_code_ttl_ms;
    this.requests.set(sha256(secret), { code, expires_at_ms: expiresAtMs, approved: null });
    return { request_id: secret, code, expires_at_ms: expiresAtMs };
  }

  /** A manager, giving their PIN again, pairs the screen showing `code`. */
  async approveCode(staffToken: string, code: string, pin: string, label: string): Promise<ScreenRecord> {
    const by = await this.o.staff.confirmPin(staffToken, 'manager', pin);
    this.expire();
    const req = [...this.requests.values()].find((r) => r.code === code && r.approved === null);
    if (!req) throw new PairingError('PAIRING_CODE_UNKNOWN', `no screen is waiting with code ${code} (or it expired)`);
    req.approved = this.pair(label, 'code', `${by.role}:${by.staff_id}`);
    return this.record(req.approved.screen.screen_id);
  }

  /** The screen that asked collects its token once a manager approved; until then, pending. */
  claim(requestId: string): { token: string; screen: PairedScreen } | { pending: true } {
    this.expire();
    const key = sha256(requestId);
    const req = this.requests.get(key);
    if (!req) throw new PairingError('PAIRING_REQUEST_UNKNOWN', 'no such pairing request (claimed, or expired)');
    if (!req.approved) return { pending: true };
    this.requests.delete(key);
    return req.approved;
  }

  list(staffToken: string): ScreenRecord[] {
    this.o.staff.require(staffToken, 'manager');
    return this.db
      .prepare(`SELECT ${COLUMNS} FROM screens ORDER BY paired_at_ms DESC LIMIT ?`)
      .all(SCREENS_LISTED_MAX) as ScreenRecord[];
  }

  revoke(staffToken: string, screenId: string, reason: string): ScreenRecord {
    const by = this.o.staff.require(staffToken, 'manager');
    const r = this.db
      .prepare(
        'UPDATE screens SET revoked_at_ms = ?, revoked_by = ?, revoke_reason = ? WHERE screen_id = ? AND revoked_at_ms IS NULL',
      )
      .run(this.now(), `${by.role}:${by.staff_id}`, reason, screenId);
    if (r.changes === 0) throw new PairingError('PAIRING_SCREEN_UNKNOWN', `no paired screen ${screenId}`);
    this.o.log.warn({ screen: screenId, by: `${by.role}:${by.staff_id}` }, 'screen pairing revoked');
    for (const l of this.revokeListeners) l(screenId);
    return this.record(screenId);
  }

  onRevoked(listener: (screenId: string) => void): () => void {
    if (this.revokeListeners.size >= REVOKE_LISTENERS_MAX)
      throw new Error(`assertion failed: more than ${REVOKE_LISTENERS_MAX} revocation listeners`);
    this.revokeListeners.add(listener);
    return () => void this.revokeListeners.delete(listener);
  }

  private pair(label: string, method: 'link' | 'code', by: string): { token: string; screen: PairedScreen } {
    if (this.activeCount() >= this.o.limits.paired_screens_max)
      throw new PairingError(
        'PAIRING_FULL',
        `${this.o.limits.paired_screens_max} screens are paired already: a manager revokes one first`,
      );
    const token = newSecret();
    const screen = {
      screen_id: `scr-${randomBytes(6).toString('hex')}`,
      label: label.slice(0, SCREEN_LABEL_LENGTH_MAX),
    };
    this.db
      .prepare(
        'INSERT INTO screens (screen_id, token_sha256, label, paired_at_ms, paired_by, method) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(screen.screen_id, sha256(token), screen.label, this.now(), by, method);
    this.o.log.info({ screen: screen.screen_id, method, by }, 'screen paired');
    return { token, screen };
  }

  private record(screenId: string): ScreenRecord {
    return this.db.prepare(`SELECT ${COLUMNS} FROM screens WHERE screen_id = ?`).get(screenId) as ScreenRecord;
  }

  private expire(): void {
    const t = this.now();
    for (const [k, at] of this.links) if (at <= t) this.links.delete(k);
    for (const [k, r] of this.requests) if (r.expires_at_ms <= t) this.requests.delete(k);
  }
}

const COLUMNS =
  'screen_id, label, paired_at_ms, paired_by, method, last_seen_ms, revoked_at_ms, revoked_by, revoke_reason';
