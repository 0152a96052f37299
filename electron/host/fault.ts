// Operating errors of the host services: a code from the contract, a message the person in
// front of the kiosk (or the cashier) can act on, and the values a screen shows in its own
// language (details: tries left, when a lock-out ends). Thrown inside a handler, answered as
// {ok: false, error} by the dispatcher; anything else is a programmer error (API_INTERNAL).
import type { ApiErrorCode, ApiErrorDetails } from '../contract/api.js';

export class ApiFault extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: ApiErrorDetails,
  ) {
    super(message);
    this.name = 'ApiFault';
  }
}
