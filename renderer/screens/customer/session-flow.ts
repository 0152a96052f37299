// Starting a session (a payment for the order, an enrolment, a deletion) and turning each of the
// host's answers into the next screen: refused -> declined, a payment done -> paid (the order
// and the cart are cleared), an enrolment or deletion done -> its closing screen.
import { useCallback } from 'react';
import type { KioskClient, SessionView } from '../../../electron/contract/api.js';
import { isPayable } from '../order-status.js';
import type { CustomerOrder } from './order-state.js';
import type { Fail, SetScreen } from './screen-state.js';

/** The tip the customer chose before the smile (TipChoice.tsx): an amount, or basis points of the part. */
export type Tip = { tip_minor?: number; tip_bp?: number };

export interface SessionFlow {
  fail: Fail;
  /** The host's answer during a session. */
  onView: (v: SessionView) => void;
  /** Pays the cashier's order (its next part), or the cart as a new order, with the tip chosen. */
  startPayment: (tip?: Tip) => Promise<void>;
  startSession: (kind: 'enrol' | 'delete') => Promise<void>;
}

export function useSessionFlow(api: KioskClient, setScreen: SetScreen, shop: CustomerOrder): SessionFlow {
  const { cart, order, setOrder, setCart } = shop;
  const fail = useCallback(
    (code: string, message: string, offerEnrolment = false) =>
      setScreen({ name: 'declined', code, message, offerEnrolment }),
    [],
  );

  const startPayment = async (tip: Tip = {}): Promise<void> => {
    let o = order;
    if (!o || !isPayable(o)) {
      const lines = Object.entries(cart)
        .filter(([, q]) => q > 0)
        .map(([item_id, quantity]) => ({ item_id, quantity }));
      const r = await api.createOrder({ lines });
      if (!r.ok) return fail(r.error.code, r.error.message);
      o = r.value;
      setOrder(o);
    }
    const s = await api.startPayment({ order_id: o.order_id, ...tip });
    if (!s.ok) return fail(s.error.code, s.error.message);
    setScreen({ name: 'session', session: s.value });
  };

  const startSession = async (kind: 'enrol' | 'delete'): Promise<void> => {
    const s = kind === 'enrol' ? await api.startEnrolment({}) : await api.startDeletion({});
    if (!s.ok) return fail(s.error.code, s.error.message);
    setScreen({ name: 'session', session: s.value });
  };

  const onView = useCallback(
    (v: SessionView) => {
      if (v.phase === 'refused')
        return fail(v.error?.code ?? 'API_INTERNAL', v.error?.message ?? '', v.offer_enrolment);
      if (v.phase === 'done' && v.kind === 'payment' && v.receipt) {
        setOrder(null);
        setCart({});
        return setScreen({ name: 'paid', receipt: v.receipt, initials: v.customer_initials ?? '' });
      }
      if (v.phase === 'done' && v.kind === 'enrol')
        return setScreen({ name: 'enrolled', initials: v.customer_initials ?? '' });
      if (v.phase === 'done' && v.kind === 'delete') return setScreen({ name: 'deleted' });
      setScreen({ name: 'session', session: v });
    },
    [fail],
  );
  return { fail, onView, startPayment, startSession };
}
