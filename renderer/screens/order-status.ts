// Order statuses as the screens use them: the contract's own list and rule (constants.ts is
// the contract's zod-free part, imported at run time), and the kitchen's next step.
import { KITCHEN_STEPS, type KitchenStep, type OrderStatus } from '../../electron/contract/constants.js';

export { ORDER_STATUSES, isPayable } from '../../electron/contract/constants.js';

/** The kitchen's next step from a status, if a cashier can move it on: paid, then each step in turn. */
export function nextStep(s: OrderStatus): KitchenStep | null {
  const steps: readonly OrderStatus[] = ['paid', ...KITCHEN_STEPS];
  const i = steps.indexOf(s);
  return i >= 0 && i < KITCHEN_STEPS.length ? KITCHEN_STEPS[i]! : null;
}
