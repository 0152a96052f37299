// The customer's order: the cart built from the menu on this screen, or the order the cashier
// sent (the host's push shows it at once, with "Smile to pay"; an order paid at the counter
// leaves the screen). A screen that starts (paired, reloaded) or reconnects after the cashier sent
// the order missed its push: it asks the host for the current order then, so the customer still
// sees it.
import { useEffect, useState } from 'react';
import type { KioskClient, Order } from '../../../electron/contract/api.js';
import { isPayable } from '../order-status.js';
import type { SetScreen } from './screen-state.js';

/** Quantities by item_id. */
export type Cart = Record<string, number>;

export interface CustomerOrder {
  cart: Cart;
  setCart: (c: Cart | ((c: Cart) => Cart)) => void;
  order: Order | null;
  setOrder: (o: Order | null) => void;
}

/** A cashier's order this screen offers to pay: sent from the counter and not paid yet. */
const isSent = (o: Order | null): o is Order => o !== null && o.source === 'counter' && isPayable(o);

/** The order to show once the host has said which is current (`current`, or none): a sent one
 * replaces the screen's, unless the screen holds a newer state of the same order (a push came
 * first); a sent order the host no longer offers leaves; the customer's own order stays. */
export function afterLoad(mine: Order | null, current: Order | null): Order | null {
  if (isSent(current))
    return mine?.order_id === current.order_id && mine.updated_at_ms > current.updated_at_ms ? mine : current;
  return mine && mine.source === 'counter' ? null : mine;
}

export function useCustomerOrder(api: KioskClient, setScreen: SetScreen): CustomerOrder {
  const [cart, setCart] = useState<Cart>({});
  const [order, setOrder] = useState<Order | null>(null);
  useEffect(() => {
    let live = true;
    const load = (): void =>
      void api.currentOrder({}).then((r) => {
        if (live && r.ok) setOrder((mine) => afterLoad(mine, r.value));
      });
    const off = api.onOrderChanged((e) => {
      // The socket came back: pushes may have been missed while it was down.
      if (e === null) return load();
      const o = e.order;
      setOrder((mine) => {
        if (mine && mine.order_id === o.order_id) return isPayable(o) ? o : null;
        return o.source === 'counter' && o.order_id === e.current_order_id && isPayable(o) ? o : mine;
      });
      if (o.source === 'counter' && o.order_id === e.current_order_id && o.status === 'awaiting_payment') {
        setCart({});
        setScreen((s) => (s.name === 'paid' || s.name === 'receipt' || s.name === 'declined' ? { name: 'order' } : s));
      }
    });
    load();
    return () => {
      live = false;
      off();
    };
  }, [api]);
  return { cart, setCart, order, setOrder };
}
