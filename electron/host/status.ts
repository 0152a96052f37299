// The kiosk's status for every screen: the self-check (self-check.ts) with the languages and
// the currency a manager chose in the settings, which the customer screen offers, and whether
// the calling screen is paired (an unpaired one sees the status page and its pairing code only).
import type { KioskStatus, Language, PrintQueueView, RequestOf } from '../contract/api.js';
import type { SelfCheck } from './self-check.js';
import type { DomainService } from './transport/routes.js';
import type { Caller } from './pairing/access.js';

export interface StatusParts {
  selfCheck: SelfCheck;
  /** The customer screen's languages and the store's currency, as the manager set them. */
  languages: () => Language[];
  currency: () => string;
  /** The print queue per printer (printing/print-desk.ts). */
  printing?: () => PrintQueueView;
}

export class StatusService implements DomainService<'status'> {
  constructor(private readonly p: StatusParts) {}

  async status(_req?: RequestOf<'status'>, caller?: Caller): Promise<KioskStatus> {
    const status = await this.p.selfCheck.status();
    const screen = caller?.screen;
    return {
      ...status,
      store: { ...status.store, languages: this.p.languages(), currency: this.p.currency() },
      screen: screen
        ? { paired: true, screen_id: screen.screen_id, label: screen.label }
        : { paired: false, screen_id: null, label: null },
      ...(this.p.printing ? { printing: this.p.printing() } : {}),
    };
  }

  /** The customer screen's part of the self-check: its camera (paired screens only, access.ts). */
  async reportClient(req: RequestOf<'reportClient'>, caller?: Caller): Promise<KioskStatus> {
    this.p.selfCheck.reportClient(req);
    return this.status({}, caller);
  }
}
