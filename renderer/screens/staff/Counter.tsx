// The cashier's day tab at the counter: the kiosk's current order paid by cash or card, and the
// live orders (the kiosk's health, the new order's builder, the board of the day's orders).
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Order } from '../../../electron/contract/api.js';
import { Board, Health } from './Board.js';
import type { Desk } from './desk.js';
import { OrderBuilder } from './OrderBuilder.js';

export function Counter(props: { desk: Desk; order: Order | null; onOrderPaid: () => void }) {
  const { t, i18n } = useTranslation();
  const { desk, order } = props;
  const { api, withToken, money, busy, setBusy, refresh } = desk;
  const { setError, setNotice, errorText } = desk.messages;

  const payOrder = async (method: 'cash' | 'card'): Promise<void> => {
    if (!order) return;
    setBusy(true);
    const r = await withToken((token) => api.payOrder({ token, order_id: order.order_id, method }));
    setBusy(false);
    if (!r) return;
    if (!r.ok) return setError(errorText(r.error));
    setError(null);
    const paid = r.value;
    setNotice(() =>
      i18n.t('staff.paidAtCounter', {
        amount: money(paid.entry.amount_minor, paid.entry.currency),
        method: i18n.t(`staff.method.${method}`),
      }),
    );
    props.onOrderPaid();
    await refresh();
  };

  return (
    <div className="counter" data-testid="counter">
      <h2>{t('staff.counterTitle')}</h2>
      {order ? (
        <div className="counter-order">
          <span data-testid="counter-order-total">
            {t('staff.orderOpen', { amount: money(order.total_minor, order.currency) })}
          </span>
          <button className="primary" data-testid="pay-cash" disabled={busy} onClick={() => void payOrder('cash')}>
            {t('staff.method.cash')}
          </button>
          <button className="primary" data-testid="pay-card" disabled={busy} onClick={() => void payOrder('card')}>
            {t('staff.method.card')}
          </button>
        </div>
      ) : (
        <p className="small" data-testid="counter-no-order">
          {t('staff.noOrder')}
        </p>
      )}
    </div>
  );
}

/** An order the builder sent becomes the counter's current order at once. */
export function LiveOrders(props: { desk: Desk; onSent: (o: Order) => void }) {
  const { i18n } = useTranslation();
  const { api, withToken, money } = props.desk;
  const { setError, setNotice, errorText } = props.desk.messages;
  const boardError = useCallback(
    (code: string, message: string) => setError(errorText({ code, message })),
    [errorText],
  );
  return (
    <div className="live" data-testid="live">
      <Health api={api} />
      <OrderBuilder
        api={api}
        withToken={withToken}
        onError={boardError}
        onSent={(o) => {
          setError(null);
          setNotice(() => i18n.t('board.sent', { amount: money(o.total_minor, o.currency) }));
          props.onSent(o);
        }}
      />
      <Board api={api} withToken={withToken} onError={boardError} />
    </div>
  );
}
