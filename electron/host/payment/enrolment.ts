// Enrolment at the customer screen: a session of live captures (sessions.ts), then the
// customer's consent (the contract's current text only), name and phone number. The templates
// go to the settlement server, which every kiosk of the merchant learns them from; this kiosk
// matches the new customer at once and records what they agreed to (privacy.ts).
import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  CONSENT_PURPOSE,
  CONSENT_RETENTION_DAYS,
  CONSENT_TEXT_VERSION,
  type RequestOf,
  type SessionView,
} from '../../contract/api.js';
import type { FaceConfig } from '../../face/config.js';
import { enrol as enrolFace } from '../../face/enrol.js';
import { TEMPLATE_KEY_BYTES } from '../../face/template-crypto.js';
import type { SyncWorker } from '../../../ledger/sync/worker.js';
import { ApiFault } from '../fault.js';
import type { PrivacyService } from '../manager/privacy.js';
import type { DomainService } from '../transport/routes.js';
import { initialsOf, phoneLast4, type CustomerDirectory } from './customers.js';
import { encodeTemplates, type Gallery } from './gallery.js';
import type { CustomerSessions } from './sessions.js';
import { requireScreen, type Caller } from '../pairing/access.js';

export interface EnrolmentParts {
  log: Logger;
  sessions: CustomerSessions;
  gallery: Gallery;
  customers: CustomerDirectory;
  worker: SyncWorker | null;
  privacy: Pick<PrivacyService, 'requireCurrentConsent' | 'recordConsent'>;
  matchConfig: () => FaceConfig['match'];
  /** After an enrolment reached the server (the demo store tops the new wallet up). */
  onEnrolled?: (customerId: string) => Promise<void>;
  now?: () => number;
}

export class EnrolmentService implements DomainService<'enrolment'> {
  private readonly now: () => number;
  /** Key for enrol()'s local sealed copy; the kiosk keeps no local copy, so it never leaves memory. */
  private readonly templateKey = randomBytes(TEMPLATE_KEY_BYTES);

  constructor(private readonly p: EnrolmentParts) {
    this.now = p.now ?? Date.now;
  }

  startEnrolment(_req: RequestOf<'startEnrolment'>, caller?: Caller): SessionView {
    return this.p.sessions.view(this.p.sessions.start('enrol', requireScreen(caller), null));
  }

  async finishEnrolment(req: RequestOf<'finishEnrolment'>, caller?: Caller): Promise<SessionView> {
    const sessions = this.p.sessions;
    const s = sessions.get(req.session_id, requireScreen(caller).screen_id, 'enrol');
    if (s.phase !== 'details')
      throw new ApiFault('SESSION_WRONG_STEP', `enrolment ${s.id} has no live captures yet (phase ${s.phase})`);
    // The consent shown must be the current text, checked before anything is sent or stored.
    this.p.privacy.requireCurrentConsent(req.consent.text_version);
    const last4 = phoneLast4(req.phone);
    if (last4 === null) throw new ApiFault('ENROL_PHONE_INVALID', 'a phone number needs at least 6 digits');
    const worker = this.p.worker;
    if (!worker) throw new ApiFault('ENROL_NEEDS_SERVER', 'Enrolment needs the settlement server; none is configured.');
    const customerId = `c-${randomUUID()}`;
    const index = this.p.gallery.current();
    const r = enrolFace(this.p.matchConfig(), index, this.templateKey, customerId, s.challenge.captures, true);
    if (!r.ok) {
      sessions.refuse(s, r.code, r.message);
      return sessions.view(s);
    }
    try {
      await worker.enrol(
        customerId,
        encodeTemplates(r.descriptors, { phone_last4: last4, display_name: req.display_name }),
        {
          text_version: CONSENT_TEXT_VERSION,
          purpose: CONSENT_PURPOSE,
          retention_days: CONSENT_RETENTION_DAYS,
          agreed_at_ms: this.now(),
        },
      );
    } catch (err) {
      index.remove(customerId);
      this.p.log.warn(
        { code: (err as { code?: string }).code, message: (err as Error).message },
        'enrolment upload failed',
      );
      sessions.refuse(
        s,
        'ENROL_NEEDS_SERVER',
        'The enrolment could not reach the settlement server. Please try again later.',
      );
      return sessions.view(s);
    }
    this.p.customers.put({
      customer_id: customerId,
      display_name: req.display_name,
      phone_last4: last4,
      enrolled_at_ms: this.now(),
    });
    // What the customer agreed to, in the language the consent screen showed (privacy panel).
    this.p.privacy.recordConsent(customerId, {
      text_version: req.consent.text_version,
      language: req.consent.language,
      purpose: CONSENT_PURPOSE,
      retention_days: CONSENT_RETENTION_DAYS,
      agreed_at_ms: this.now(),
      source: 'kiosk',
    });
    await this.p
      .onEnrolled?.(customerId)
      .catch((err: unknown) =>
        this.p.log.warn({ customer: customerId, message: (err as Error).message }, 'after-enrolment step failed'),
      );
    try {
      await worker.pullFeed();
      this.p.gallery.invalidate();
    } catch {
      // The kiosk matches the new customer already (enrol() added them); the feed catches up later.
    }
    s.customer_initials = initialsOf(req.display_name);
    s.phase = 'done';
    this.p.log.info({ session: s.id, customer: customerId, captures: r.descriptors.length }, 'enrolled');
    return sessions.view(s);
  }
}
