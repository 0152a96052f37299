// Staff management for the manager's Team panel, and leaving kiosk mode. Every call names a
// sign-in token; StaffDirectory checks the role (manager, or the member themself for their own
// PIN) and writes an audit row in staff.db naming who did it, and this module logs each change.
// Staff changes move no money and change no limit, so they are not ledger entries (the
// ledger's rule is "every change of money or a limit"); the audit table is append-only.
//
// Leaving kiosk mode is different: it hands the desktop of the machine that holds the device
// key and the ledger to whoever stands at it. So it is a signed `config` entry in the ledger
// (key kiosk_mode, true -> false, changed_by the manager), which syncs to the settlement server
// and cannot be quietly removed, and an event the Electron shell acts on (electron/main.ts).
import type { Logger } from 'pino';
import type { RequestOf, ResponseOf, TeamMember } from '../../contract/api.js';
import { TEAM_AUDIT_LISTED_MAX } from '../../contract/api.js';
import type { LedgerStore } from '../../../ledger/store/store.js';
import type { DomainService } from '../transport/routes.js';
import { approverOf, STAFF_MEMBERS_MAX, StaffError, type StaffDirectory, type StaffRecord } from './directory.js';

export interface TeamParts {
  log: Logger;
  staff: StaffDirectory;
  store: LedgerStore;
  now?: () => number;
}

/** What the shell is told when a manager leaves kiosk mode. */
export interface KioskModeLeft {
  seq: number;
  left_by: string;
  left_at_ms: number;
}

/** Listeners of kiosk-mode events at most (the Electron shell, and a test or two). */
export const KIOSK_MODE_LISTENERS_MAX = 4;

const view = (r: StaffRecord): TeamMember => ({ ...r });

export class TeamService implements DomainService<'team'> {
  private readonly now: () => number;
  private readonly kioskModeListeners = new Set<(e: KioskModeLeft) => void>();
  /** The entry that left kiosk mode in this run, or null while it is on. */
  private kioskModeLeft: KioskModeLeft | null = null;

  constructor(private readonly p: TeamParts) {
    this.now = p.now ?? Date.now;
  }

  async teamList(req: RequestOf<'teamList'>): Promise<ResponseOf<'teamList'>> {
    this.p.staff.require(req.token, 'manager');
    return {
      members: this.p.staff.members().map(view),
      members_max: STAFF_MEMBERS_MAX,
      audit: this.p.staff.auditLog(TEAM_AUDIT_LISTED_MAX),
    };
  }

  async teamAdd(req: RequestOf<'teamAdd'>): Promise<ResponseOf<'teamAdd'>> {
    const by = this.p.staff.require(req.token, 'manager');
    const added = await this.p.staff.add(
      { staff_id: req.staff_id, display_name: req.display_name, role: req.role },
      req.pin,
      { token: req.token },
    );
    this.p.log.info({ staff: added.staff_id, role: added.role, by: approverOf(by) }, 'staff member added');
    return this.recordOf(added.staff_id);
  }

  async teamSetDisabled(req: RequestOf<'teamSetDisabled'>): Promise<ResponseOf<'teamSetDisabled'>> {
    const r = this.p.staff.setDisabled(req.token, req.staff_id, req.disabled);
    this.p.log.info(
      { staff: r.staff_id, disabled: r.disabled, by: this.by(req.token) },
      req.disabled ? 'staff member disabled' : 'staff member enabled',
    );
    return view(r);
  }

  async teamResetPin(req: RequestOf<'teamResetPin'>): Promise<ResponseOf<'teamResetPin'>> {
    const r = await this.p.staff.resetPin(req.token, req.staff_id, req.pin);
    this.p.log.info({ staff: r.staff_id, by: this.by(req.token) }, 'staff PIN reset');
    return view(r);
  }

  async teamUnlock(req: RequestOf<'teamUnlock'>): Promise<ResponseOf<'teamUnlock'>> {
    const r = this.p.staff.unlock(req.token, req.staff_id);
    this.p.log.info({ staff: r.staff_id, by: this.by(req.token) }, 'staff member unlocked');
    return view(r);
  }

  async changeOwnPin(req: RequestOf<'changeOwnPin'>): Promise<ResponseOf<'changeOwnPin'>> {
    try {
      const me = await this.p.staff.changeOwnPin(req.token, req.current_pin, req.new_pin);
      this.p.log.info({ staff: me.staff_id }, 'staff member changed their PIN');
      return { staff_id: me.staff_id };
    } catch (err) {
      if (err instanceof StaffError) this.p.log.info({ code: err.code }, 'own PIN change refused');
      throw err;
    }
  }

  /** Manager only, with the manager's PIN given again (checked as at sign-in: a wrong one counts
   * towards the lock-out), so a sign-in token alone (a screen left signed in, a stolen token, a
   * remote client) cannot hand over the desktop. Then a signed config entry, and the event the
   * shell leaves kiosk mode on. Once left, kiosk mode stays off until the kiosk restarts (the shell
   * opens the window in kiosk mode again): a second call writes nothing and says so. */
  async leaveKioskMode(req: RequestOf<'leaveKioskMode'>): Promise<ResponseOf<'leaveKioskMode'>> {
    const by = await this.p.staff.confirmPin(req.token, 'manager', req.pin).catch((err: unknown) => {
      if (err instanceof StaffError) this.p.log.warn({ code: err.code }, 'leaving kiosk mode refused');
      throw err;
    });
    const leftBy = approverOf(by);
    if (this.kioskModeLeft !== null) {
      this.p.log.info({ seq: this.kioskModeLeft.seq, by: leftBy }, 'kiosk mode is already off; nothing recorded');
      return { ...this.kioskModeLeft, kiosk_window: this.kioskModeListeners.size > 0, already_off: true };
    }
    const stored = this.p.store.append('config', {
      key: 'kiosk_mode',
      value: false,
      previous: true,
      changed_by: leftBy,
      reason: req.reason ?? 'left kiosk mode from the staff screen',
    });
    const event: KioskModeLeft = { seq: stored.entry.seq, left_by: leftBy, left_at_ms: stored.entry.created_at_ms };
    this.kioskModeLeft = event;
    this.p.log.warn(
      { seq: event.seq, by: leftBy, shell_listening: this.kioskModeListeners.size > 0 },
      'kiosk mode left',
    );
    for (const listener of this.kioskModeListeners) {
      try {
        listener(event);
      } catch (err) {
        this.p.log.error({ err }, 'kiosk-mode listener failed');
      }
    }
    return { ...event, kiosk_window: this.kioskModeListeners.size > 0, already_off: false };
  }

  /** The Electron shell's hook (browser mode has none: the screen says so). */
  onKioskModeLeft(listener: (e: KioskModeLeft) => void): () => void {
    if (this.kioskModeListeners.size >= KIOSK_MODE_LISTENERS_MAX)
      throw new Error(`assertion failed: more than ${KIOSK_MODE_LISTENERS_MAX} kiosk-mode listeners`);
    this.kioskModeListeners.add(listener);
    return () => void this.kioskModeListeners.delete(listener);
  }

  private by(token: string): string {
    return approverOf(this.p.staff.member(token));
  }

  private recordOf(staffId: string): TeamMember {
    const r = this.p.staff.members().find((m) => m.staff_id === staffId);
    if (!r) throw new Error(`assertion failed: ${staffId} was just added but is not listed`);
    return view(r);
  }
}
