// Deletion on the customer's own request at the kiosk: a session shows their live face, they
// type their phone's last digits, and only a clear match among those customers is deleted, by
// the settlement server first (which tells every kiosk), then here. (A manager's deletion on a
// customer's request is the privacy panel's, manager/privacy.ts.)
import type { Logger } from 'pino';
import type { RequestOf, SessionView } from '../../contract/api.js';
import type { FaceConfig } from '../../face/config.js';
import { identifyAmong } from '../../face/decision.js';
import type { SyncWorker } from '../../../ledger/sync/worker.js';
import { ApiFault } from '../fault.js';
import type { PrivacyService } from '../manager/privacy.js';
import type { DomainService } from '../transport/routes.js';
import { initialsOf, type CustomerDirectory } from './customers.js';
import type { Gallery } from './gallery.js';
import type { CustomerLookup } from './lookup.js';
import type { CustomerSessions } from './sessions.js';
import { requireScreen, type Caller } from '../pairing/access.js';

export interface DeletionParts {
  log: Logger;
  sessions: CustomerSessions;
  gallery: Gallery;
  customers: CustomerDirectory;
  lookup: CustomerLookup;
  worker: SyncWorker | null;
  privacy: Pick<PrivacyService, 'recordCustomerDeletion'>;
  matchConfig: () => FaceConfig['match'];
}

export class DeletionService implements DomainService<'deletion'> {
  constructor(private readonly p: DeletionParts) {}

  startDeletion(_req: RequestOf<'startDeletion'>, caller?: Caller): SessionView {
    return this.p.sessions.view(this.p.sessions.start('delete', requireScreen(caller), null));
  }

  /** The live face and the phone digits, their wrong entries counted as a payment's are. */
  async finishDeletion(req: RequestOf<'finishDeletion'>, caller?: Caller): Promise<SessionView> {
    const sessions = this.p.sessions;
    const s = sessions.get(req.session_id, requireScreen(caller).screen_id, 'delete');
    if (s.phase !== 'step_up' || !s.descriptor)
      throw new ApiFault('SESSION_WRONG_STEP', `deletion ${s.id} has no live face yet (phase ${s.phase})`);
    if (sessions.digitsRefused(s)) return sessions.view(s);
    const among = this.p.lookup.withPhoneDigits(req.phone_last4);
    const d = identifyAmong(this.p.matchConfig(), this.p.gallery.current(), s.descriptor, among);
    if (d.outcome === 'refuse' && d.code === 'FACE_NOT_ENROLLED') {
      sessions.wrongDigits(s);
      return sessions.view(s);
    }
    if (d.outcome !== 'accept') {
      sessions.refuse(
        s,
        d.outcome === 'refuse' ? d.code : 'FACE_AMBIGUOUS',
        d.outcome === 'refuse' ? d.message : 'Not sure who this is: ask the staff.',
      );
      return sessions.view(s);
    }
    const worker = this.p.worker;
    if (!worker) throw new ApiFault('DELETE_NEEDS_SERVER', 'Deletion needs the settlement server; none is configured.');
    try {
      const done = await worker.http.deleteCustomer(d.customer_id, 'customer request at the kiosk');
      this.p.privacy.recordCustomerDeletion(d.customer_id, done.deleted_at_ms);
    } catch (err) {
      this.p.log.warn({ code: (err as { code?: string }).code }, 'deletion failed');
      sessions.refuse(
        s,
        'DELETE_NEEDS_SERVER',
        'The deletion could not reach the settlement server. Please try again later or ask the staff.',
      );
      return sessions.view(s);
    }
    const name = this.p.lookup.nameOf(d.customer_id);
    this.p.gallery.current().remove(d.customer_id);
    this.p.customers.remove(d.customer_id);
    try {
      await worker.pullFeed();
      this.p.gallery.invalidate();
    } catch {
      // removed from this kiosk's index already; the feed removes the template at the next sync
    }
    s.customer_initials = name ? initialsOf(name) : null;
    s.error = null;
    s.phase = 'done';
    return sessions.view(s);
  }
}
