// The customer's order: the cart built from the menu on this screen, or the order the cashier
// sent (the host's push shows it at once, with "Smile to pay"; an order paid at the counter
// leaves the screen).
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

export function useCustomerOrder(api: KioskClient, setScreen: SetScreen): CustomerOrder {
  const [cart, setCart] = useState<Cart>({});
  const [order, setOrder] = useState<Order | null>(null);
  useEffect(
    () =>
      api.onOrderChanged((e) => {
        if (e === null) return;
        const o = e.order;
        setOrder((mine) => {
          if (mine && mine.order_id === o.order_id) return isPayable(o) ? o : null;
          return o.source === 'counter' && o.order_id === e.current_order_id && isPayable(o) ? o : mine;
        });
        if (o.source === 'counter' && o.order_id === e.current_order_id && o.status === 'awaiting_payment') {
          setCart({});
          setScreen((s) =>
            s.name === 'paid' || s.name === 'receipt' || s.name === 'declined' ? { name: 'order' } : s,
          );
        }
      }),
    [api],
  );
  return { cart, setCart, order, setOrder };
}
