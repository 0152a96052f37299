// The settlement server's operating errors: a code from protocol/codes.ts, the HTTP status
// it answers with, and a message that says what was expected and what arrived.

import { SETTLE_ERROR_STATUS, type SettleErrorCode } from '../wire/codes.js';

export class SettleError extends Error {
  readonly code: SettleErrorCode;
  readonly statusCode: number;

  constructor(code: SettleErrorCode, message: string) {
    super(message);
    this.name = 'SettleError';
    this.code = code;
    this.statusCode = SETTLE_ERROR_STATUS[code];
  }
}
