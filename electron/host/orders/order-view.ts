// What an order says to whom. The open order is read by every screen on the kiosk's origin (the
// customer screen asks for it, and every order change is pushed to every screen that may have
// pushes), but who approved a discount ('manager:ana') and the reason typed for it are staff
// matters: they name a manager (whom staffList hides from an unsigned caller since the kiosk's
// security review) and may say things about the customer. A caller that is not a signed-in
// member of staff gets the order with both blanked; staff screens see them in full.
import type { Order, OrderEvent } from '../../contract/api.js';

/** The order as a screen that is not signed in as staff sees it: its discounts' amounts, not who or why. */
export function customerView(o: Order): Order {
  if (o.discounts.length === 0) return o;
  return { ...o, discounts: o.discounts.map((d) => ({ ...d, approved_by: '', reason: '' })) };
}

export function customerEvent(e: OrderEvent): OrderEvent {
  return { ...e, order: customerView(e.order) };
}

/** The order for a caller holding `token` (none: not staff): in full only to a signed-in member. */
export function orderFor(o: Order, token: string | undefined, signedIn: (token: string) => boolean): Order {
  return token !== undefined && signedIn(token) ? o : customerView(o);
}
