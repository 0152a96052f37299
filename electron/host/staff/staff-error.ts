// The staff directory's vocabulary, shared by its parts (directory.ts, pin-attempts.ts,
// sign-ins.ts): a member and their role, and a refusal in the contract's terms.
import type { ApiErrorCode, ApiErrorDetails } from '../../contract/api.js';
import { ApiFault } from '../fault.js';

export type Role = 'cashier' | 'manager';
export const ROLES: readonly Role[] = ['cashier', 'manager'];

export interface StaffMember {
  staff_id: string;
  display_name: string;
  role: Role;
}

/** The staff codes of the contract a directory call answers with (bad input is API_BAD_REQUEST). */
export type StaffErrorCode = Extract<ApiErrorCode, `STAFF_${string}`>;

/** A refusal of the directory, in the contract's terms already: an ApiFault, so that every
 * caller passes it on as it is (the dispatcher answers with its code and details). */
export class StaffError extends ApiFault {
  constructor(
    override readonly code: StaffErrorCode,
    message: string,
    details?: ApiErrorDetails,
  ) {
    super(code, message, details);
    this.name = 'StaffError';
  }
}
