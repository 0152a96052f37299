// The pairing domain's calls (electron/contract/calls/pairing.ts) over the pairing desk
// (pairing.ts): any page asks for a code; a manager approves it (with their PIN), lists and
// revokes pairings. The desk's and the staff directory's errors become the contract's codes.
import type { ApiErrorCode, RequestOf, ResponseOf } from '../../contract/api.js';
import { ApiFault } from '../fault.js';
import { StaffError } from '../staff/directory.js';
import type { DomainService } from '../transport/routes.js';
import { PairingError, type PairingDesk } from './pairing.js';

export class PairingService implements DomainService<'pairing'> {
  constructor(private readonly desk: PairingDesk) {}

  pairRequest(): ResponseOf<'pairRequest'> {
    return converted(() => this.desk.requestCode());
  }

  pairApprove(req: RequestOf<'pairApprove'>): Promise<ResponseOf<'pairApprove'>> {
    return converted(() => this.desk.approveCode(req.token, req.code, req.pin, req.label));
  }

  screensList(req: RequestOf<'screensList'>): ResponseOf<'screensList'> {
    return converted(() => ({ screens: this.desk.list(req.token) }));
  }

  screenRevoke(req: RequestOf<'screenRevoke'>): ResponseOf<'screenRevoke'> {
    return converted(() => this.desk.revoke(req.token, req.screen_id, req.reason));
  }
}

/** Runs a desk call, its PairingError or StaffError as the contract's code. */
function converted<T>(run: () => T): T {
  const convert = (err: unknown): unknown =>
    err instanceof PairingError || err instanceof StaffError
      ? new ApiFault(err.code as ApiErrorCode, err.message)
      : err;
  try {
    const r = run();
    return (r instanceof Promise ? r.catch((err: unknown) => Promise.reject(convert(err))) : r) as T;
  } catch (err) {
    throw convert(err);
  }
}
