// Order statuses as the screens use them (the renderer imports the contract as types only, so
// the contract's run-time list is mirrored here; a type check keeps the two the same).
import type { OrderStatus } from '../../electron/contract/api.js';

export const ORDER_STATUSES = [
  'new',
  'awaiting_payment',
  'paid',
  'preparing',
  'ready',
  'collected',
  'declined',
  'failed',
] as const satisfies readonly OrderStatus[];
// Every status of the contract is listed above (a missing one fails this line's type check).
const complete: Record<OrderStatus, true> = Object.fromEntries(ORDER_STATUSES.map((s) => [s, true])) as Record<
  (typeof ORDER_STATUSES)[number],
  true
>;
void complete;

const PAYABLE: ReadonlySet<OrderStatus> = new Set(['new', 'awaiting_payment', 'declined', 'failed']);
export const isPayable = (o: { status: OrderStatus }): boolean => PAYABLE.has(o.status);

/** The kitchen's next step from a status, if a cashier can move it on. */
export function nextStep(s: OrderStatus): 'preparing' | 'ready' | 'collected' | null {
  return s === 'paid' ? 'preparing' : s === 'preparing' ? 'ready' : s === 'ready' ? 'collected' : null;
}
