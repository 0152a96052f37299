// Operating errors of the host services: a code from the contract and a message the person in
// front of the kiosk (or the cashier) can act on. Thrown inside a handler, answered as
// {ok: false, error} by the dispatcher; anything else is a programmer error (API_INTERNAL).
import type { ApiErrorCode } from '../contract/api.js';

export class ApiFault extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFault';
  }
}
