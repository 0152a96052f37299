// The manager's integrity panel: is our ledger still what we signed, and does the settlement
// server agree with it? It answers with the last full verification (who ran it, when, the first
// bad entry if any), the server's receipts matched to our entries (a receipt matches when it
// names the same entry hash as the row we hold), the payments the server declined after the
// kiosk took them (the follow-up list), and alarms: a fork the server refused, freezes in
// force, receipts that do not match, a verification that failed.
//
// Where the last verification is kept: in the ledger file's sync_state table (a key/value table
// the sync worker also uses), so that it survives a restart and travels with the ledger it
// describes. ledger_meta is append-only by trigger and cannot hold a changing value. It is a
// record, not a proof: anyone who can edit the file can edit it too, which is why the panel
// offers "verify now", which re-derives everything from the signed bytes.
import type { IntegrityAlarm, IntegrityReport, FollowUp, RequestOf, Verification } from '../../contract/api.js';
import { ALARMS_LISTED_MAX, FOLLOW_UP_LISTED_MAX } from '../../contract/api.js';
import type { LedgerStore } from '../../../ledger/store/store.js';
import type { KioskState } from '../../../ledger/sync/kiosk-state.js';
import { verifyLedger } from '../../../ledger/verify/verify.js';
import type { StaffDirectory } from '../staff/directory.js';
import { clip } from '../clip.js';
import type { DomainService } from '../transport/routes.js';
import { initialsOf, type CustomerDirectory } from '../payment/customers.js';

/** How long a manager's PIN set by another manager stays an alarm: a month of closes, so that
 * the manager concerned sees it on a panel they open at least weekly. */
export const MANAGER_PIN_RESET_ALARM_MS = 30 * 24 * 3_600_000;

/** sync_state key of the last verification (JSON of a Verification). */
export const VERIFICATION_STATE_KEY = 'integrity_last_verification';

export interface IntegrityParts {
  store: LedgerStore;
  state: KioskState;
  staff: StaffDirectory;
  customers: CustomerDirectory;
  ledgerPath: string;
  lastSyncError: () => string | null;
  settlementUrl: () => string | null;
  now?: () => number;
}

export class IntegrityService implements DomainService<'integrity'> {
  private readonly now: () => number;
  /** One verification at a time: a second "verify now" while one runs waits for the same. */
  private running: Promise<Verification> | null = null;

  constructor(private readonly p: IntegrityParts) {
    this.now = p.now ?? Date.now;
  }

  integrity({ token }: RequestOf<'integrity'>): IntegrityReport {
    this.p.staff.approver(token, 'manager');
    const verified = this.lastVerification();
    const receipts = this.receiptCounts();
    const followUp = this.followUp();
    return {
      verified,
      ledger: { entries: this.p.store.count(), tip_seq: this.p.store.tip().seq },
      receipts,
      follow_up: followUp.items,
      follow_up_total: followUp.total,
      alarms: this.alarms(verified, receipts.mismatched),
      sync: { last_error: nullableClip(this.p.lastSyncError()), server_url: nullableClip(this.p.settlementUrl()) },
    };
  }

  async verifyNow({ token }: RequestOf<'verifyNow'>): Promise<Verification> {
    const by = this.p.staff.approver(token, 'manager');
    this.running ??= this.verify(by).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  lastVerification(): Verification | null {
    const raw = this.p.state.state(VERIFICATION_STATE_KEY);
    return raw === undefined ? null : (JSON.parse(raw) as Verification);
  }

  private async verify(by: string): Promise<Verification> {
    const atMs = this.now();
    const anchor = this.anchor();
    const r = await verifyLedger(this.p.ledgerPath, anchor ? { anchor } : {});
    const v: Verification = {
      at_ms: atMs,
      by,
      ok: r.ok,
      entries: r.entries_checked,
      tip_seq: r.tip?.seq ?? 0,
      anchor_seq: anchor?.seq ?? null,
      first_bad_seq: r.fault?.seq ?? null,
      code: r.fault?.code ?? null,
      message: r.fault ? clip(r.fault.message) : null,
      elapsed_ms: r.elapsed_ms,
    };
    this.p.state.setState(VERIFICATION_STATE_KEY, JSON.stringify(v));
    return v;
  }

  /** The newest receipt the server signed for us: the ledger must still reach it, unchanged. */
  private anchor(): { seq: number; entry_hash: string } | undefined {
    return this.p.state.latestReceipt();
  }

  private receiptCounts(): IntegrityReport['receipts'] {
    return this.p.state.receiptsMatched();
  }

  /** Payments and refunds declined after sync, newest first, with the customer's initials. */
  private followUp(): { items: FollowUp[]; total: number } {
    const { entries, total } = this.p.state.declinedEntries(FOLLOW_UP_LISTED_MAX);
    const items = entries.map((r): FollowUp => {
      // A refund's customer is its payment's.
      const customerId =
        r.customer_id ??
        (r.kind === 'refund' && r.payment_seq !== null ? this.p.store.customerOf(r.payment_seq) : null);
      const name = customerId ? this.p.customers.get(customerId)?.display_name : undefined;
      return {
        seq: r.seq,
        kind: r.kind,
        amount_minor: r.amount_minor,
        currency: r.currency,
        method: r.kind === 'payment' ? methodOf(r.canonical) : null,
        customer_initials: name ? initialsOf(name) : null,
        reason: r.reason === null ? null : clip(r.reason),
        created_at_ms: r.created_at_ms,
        declined_at_ms: r.received_at_ms,
      };
    });
    return { items, total };
  }

  private alarms(verified: Verification | null, mismatched: number): IntegrityAlarm[] {
    const out: IntegrityAlarm[] = [];
    if (verified && !verified.ok) {
      out.push({
        kind: 'chain_broken',
        at_ms: verified.at_ms,
        target: verified.first_bad_seq === null ? null : String(verified.first_bad_seq),
        detail: clip(`${verified.code ?? ''}: ${verified.message ?? ''}`),
        count: 1,
      });
    }
    const fork = this.p.state.forkAlarm();
    if (fork)
      out.push({ kind: 'fork', at_ms: fork.last_at_ms, target: null, detail: clip(fork.message), count: fork.count });
    if (mismatched > 0) {
      const first = this.p.state.firstMismatchedReceiptSeq();
      out.push({
        kind: 'receipt_mismatch',
        at_ms: null,
        target: String(first),
        detail: `${mismatched} server receipt(s) name an entry hash this ledger does not hold, first at seq ${first}`,
        count: mismatched,
      });
    }
    // A manager who set another manager's PIN can sign in as them and act in their name: shown
    // here (not prevented: a shop with two managers must be able to recover a forgotten PIN).
    const since = this.now() - MANAGER_PIN_RESET_ALARM_MS;
    for (const r of this.p.staff.managerPinResets(since, ALARMS_LISTED_MAX)) {
      out.push({
        kind: 'manager_pin_reset',
        at_ms: r.at_ms,
        target: `manager:${r.staff_id}`,
        detail: clip(
          `${r.actor} set the PIN of manager ${r.staff_id}, and could sign in as them since; ${r.staff_id} should choose a new PIN (Change my PIN) and check what was done in their name`,
        ),
        count: 1,
      });
    }
    for (const f of this.p.state.freezes(ALARMS_LISTED_MAX - out.length)) {
      out.push({
        kind: 'freeze',
        at_ms: f.seen_at_ms,
        target: `${f.target_type === 'payment' ? 'payment:' : ''}${f.target_id}`.slice(0, 200),
        detail: clip(f.reason),
        count: 1,
      });
    }
    return out.slice(0, ALARMS_LISTED_MAX);
  }
}

/** The payment's method from its stored bytes, read without the store's checks: the panel must
 * still list a row that verify would refuse (verify now says which). */
function methodOf(canonical: Buffer): FollowUp['method'] {
  try {
    const m = (JSON.parse(canonical.toString('utf8')) as { body?: { method?: unknown } }).body?.method;
    return m === 'face' || m === 'cash' || m === 'card' ? m : null;
  } catch {
    return null;
  }
}

function nullableClip(s: string | null): string | null {
  return s === null ? null : clip(s);
}
