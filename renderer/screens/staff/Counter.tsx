// The cashier's day tab at the counter: the kiosk's current order at its checkout (discounts,
// split, paid by cash or card with a tip: CheckoutPanel.tsx), and the live orders (the kiosk's
// health, the new order's builder, the board of the day's orders).
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Order, StaffListed } from '../../../electron/contract/api.js';
import { CheckoutPanel } from './CheckoutPanel.js';
import { Board, Health } from './Board.js';
import type { Desk } from './desk.js';
import { OrderBuilder } from './OrderBuilder.js';

export function Counter(props: { desk: Desk; order: Order | null; managers: StaffListed[]; onOrderPaid: () => void }) {
  const { t } = useTranslation();
  const { desk, order } = props;
  return (
    <div className="counter" data-testid="counter">
      <h2>{t('staff.counterTitle')}</h2>
      {order ? (
        <CheckoutPanel desk={desk} order={order} managers={props.managers} onPaid={props.onOrderPaid} />
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
