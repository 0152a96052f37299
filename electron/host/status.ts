// The kiosk's status for every screen: the self-check (self-check.ts) with the languages and
// the currency a manager chose in the settings, which the customer screen offers.
import type { KioskStatus, Language, RequestOf } from '../contract/api.js';
import type { SelfCheck } from './self-check.js';
import type { DomainService } from './transport/routes.js';

export interface StatusParts {
  selfCheck: SelfCheck;
  /** The customer screen's languages and the store's currency, as the manager set them. */
  languages: () => Language[];
  currency: () => string;
}

export class StatusService implements DomainService<'status'> {
  constructor(private readonly p: StatusParts) {}

  async status(): Promise<KioskStatus> {
    const status = await this.p.selfCheck.status();
    return { ...status, store: { ...status.store, languages: this.p.languages(), currency: this.p.currency() } };
  }

  /** The renderer's part of the self-check: camera and vision backend with its speed. */
  async reportClient(req: RequestOf<'reportClient'>): Promise<KioskStatus> {
    this.p.selfCheck.reportClient(req);
    return this.status();
  }
}
