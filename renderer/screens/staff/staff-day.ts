// The open day as the signed-in screen shows it: the day's entries with their totals, and the
// kiosk's current order while it can still be paid (the counter's). The counter follows the
// current order as the host pushes changes (sent, paid elsewhere).
import { useCallback, useEffect, useState } from 'react';
import type { KioskClient, Order, StaffSignIn } from '../../../electron/contract/api.js';
import { isPayable } from '../order-status.js';
import type { Day } from './desk.js';
import type { StaffMessages } from './staff-messages.js';
import type { WithToken } from './staff-session.js';

export interface StaffDay {
  day: Day | null;
  order: Order | null;
  setOrder: (o: Order | null) => void;
  refresh: () => Promise<void>;
}

export function useStaffDay(
  api: KioskClient,
  session: StaffSignIn | null,
  withToken: WithToken,
  messages: StaffMessages,
): StaffDay {
  const { setError, errorText } = messages;
  const [day, setDay] = useState<Day | null>(null);
  const [order, setOrder] = useState<Order | null>(null);

  const refresh = useCallback(async (): Promise<void> => {
    const r = await withToken((token) => api.dayEntries({ token }));
    if (r?.ok) setDay(r.value);
    else if (r) setError(errorText(r.error));
    const o = await api.currentOrder(session ? { token: session.token } : {});
    setOrder(o.ok && o.value && isPayable(o.value) ? o.value : null);
  }, [api, session, withToken, errorText]);

  useEffect(() => {
    if (!session) return;
    return api.onOrderChanged((e) => {
      if (e === null || e.order.order_id === e.current_order_id || e.order.status === 'paid') {
        void api
          .currentOrder({ token: session.token })
          .then((o) => setOrder(o.ok && o.value && isPayable(o.value) ? o.value : null));
      }
    });
  }, [api, session]);

  useEffect(() => {
    if (session) void refresh();
  }, [session, refresh]);

  return { day, order, setOrder, refresh };
}
