// The order screen: the order the cashier sent (its lines as the host priced them, its discounts,
// the VAT in it, what is paid of a split bill and this part), or the menu by category with the
// cart beside it; either way the tip (TipChoice.tsx) and "Smile to pay". From the menu the
// customer can also sign up for smile to pay or have their face data deleted.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MenuItem, Order } from '../../../electron/contract/api.js';
import { lineText } from '../order-lines.js';
import { nameIn, useMoney } from './format.js';
import type { Cart } from './order-state.js';
import type { Menu } from './self-check.js';
import type { Tip } from './session-flow.js';
import { TipChoice, tipOfPick, type TipPick } from './TipChoice.js';
import { percentOf } from '../tax-format.js';

/** A dish's quantity in the cart, at most. */
const CART_QUANTITY_MAX = 99;

export function SentOrderView(props: { order: Order; tipChoicesBp: number[]; onPay: (tip: Tip) => void }) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const { order } = props;
  const [pick, setPick] = useState<TipPick>(null);
  const tip = tipOfPick(pick);
  return (
    <section className="screen order" data-testid="screen-order" data-order-id={order.order_id}>
      <div className="cart sent-order" data-testid="customer-order">
        <h1>{t('order.title')}</h1>
        <ul>
          {order.lines.map((l, i) => (
            <li
              key={i}
              data-testid={`customer-line-${i}`}
              data-item-id={l.item_id}
              data-quantity={l.quantity}
              data-options={l.options.map((o) => o.option_id).join(',')}
            >
              <span>{lineText(l, i18n.language)}</span>
              <span>{money(l.line_minor, order.currency)}</span>
            </li>
          ))}
        </ul>
        {order.note && (
          <p className="small" data-testid="customer-order-note">
            {order.note}
          </p>
        )}
        {order.discounts.map((d, i) => (
          <p key={i} className="discount" data-testid={`customer-discount-${i}`}>
            {/* The host sends the customer screen no reason (order-view.ts): staff matters. */}
            {d.reason ? t('order.discount', { reason: d.reason }) : t('receipt.discount')}: −
            {money(d.amount_minor, order.currency)}
          </p>
        ))}
        <p className="total" data-testid="order-total" data-total-minor={order.total_minor}>
          {t('order.total')}: {money(order.total_minor, order.currency)}
        </p>
        {order.by_rate.length > 0 && (
          <p className="small" data-testid="order-vat">
            {order.by_rate
              .map((r) =>
                t(order.pricing === 'exclusive' ? 'order.vatPlus' : 'order.vatIncl', {
                  letter: r.rate_id,
                  percent: percentOf(r.rate_bp),
                  amount: money(r.tax_minor, order.currency),
                }),
              )
              .join(' · ')}
          </p>
        )}
        {order.next_part_minor < order.total_minor && (
          <p className="total" data-testid="order-part" data-part-minor={order.next_part_minor}>
            {order.paid_minor > 0 && `${t('order.paidSoFar', { amount: money(order.paid_minor, order.currency) })} · `}
            {t('order.yourPart', { amount: money(order.next_part_minor, order.currency) })}
          </p>
        )}
        <TipChoice
          partMinor={order.next_part_minor}
          currency={order.currency}
          choicesBp={props.tipChoicesBp}
          pick={pick}
          onPick={setPick}
        />
        <button
          className="primary big"
          data-testid="smile-to-pay"
          disabled={tip === undefined}
          onClick={() => tip && props.onPay(tip)}
        >
          {t('order.pay')}
        </button>
      </div>
    </section>
  );
}

type SetCart = (c: (c: Cart) => Cart) => void;
type MenuOrderProps = {
  menu: Menu;
  cart: Cart;
  setCart: SetCart;
  onPay: (tip: Tip) => void;
  onEnrol: () => void;
  onDelete: () => void;
};

export function MenuOrderView(props: MenuOrderProps) {
  return (
    <section className="screen order" data-testid="screen-order">
      <MenuList menu={props.menu} setCart={props.setCart} />
      <CartView {...props} />
    </section>
  );
}

function MenuList(props: { menu: Menu; setCart: SetCart }) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const { items, categories, currency } = props.menu;
  const add = (m: MenuItem): void =>
    props.setCart((c) => ({ ...c, [m.item_id]: Math.min(CART_QUANTITY_MAX, (c[m.item_id] ?? 0) + 1) }));
  return (
    <div className="menu">
      <h2>{t('order.menu')}</h2>
      {categories.map((cat) => (
        <div key={cat.category_id} className="menu-category" data-testid={`menu-cat-${cat.category_id}`}>
          <h3>{nameIn(cat, i18n.language)}</h3>
          {items
            .filter((m) => m.category_id === cat.category_id)
            .map((m) => (
              <button
                key={m.item_id}
                className={m.out_of_stock ? 'dish dish-sold-out' : 'dish'}
                data-testid={`dish-${m.item_id}`}
                data-out-of-stock={m.out_of_stock === true}
                disabled={m.out_of_stock === true}
                onClick={() => add(m)}
              >
                <span className="dish-name">{nameIn(m, i18n.language)}</span>
                <span className="dish-price">
                  {m.out_of_stock ? t('stock.soldOut') : money(m.price_minor, currency)}
                </span>
              </button>
            ))}
        </div>
      ))}
    </div>
  );
}

function CartView(props: MenuOrderProps) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const { cart } = props;
  const { items, currency } = props.menu;
  const total = useMemo(() => items.reduce((s, m) => s + (cart[m.item_id] ?? 0) * m.price_minor, 0), [items, cart]);
  const remove = (m: MenuItem): void =>
    props.setCart((c) => ({ ...c, [m.item_id]: Math.max(0, (c[m.item_id] ?? 0) - 1) }));
  const [pick, setPick] = useState<TipPick>(null);
  const tip = tipOfPick(pick);
  return (
    <div className="cart">
      <h1>{t('order.title')}</h1>
      {total === 0 && <p className="small">{t('order.empty')}</p>}
      <ul>
        {items
          .filter((m) => (cart[m.item_id] ?? 0) > 0)
          .map((m) => (
            <li key={m.item_id}>
              <span>
                {cart[m.item_id]} × {nameIn(m, i18n.language)}
              </span>
              <span>{money(cart[m.item_id]! * m.price_minor, currency)}</span>
              <button className="minus" aria-label={t('order.remove')} onClick={() => remove(m)}>
                −
              </button>
            </li>
          ))}
      </ul>
      <p className="total" data-testid="order-total">
        {t('order.total')}: {money(total, currency)}
      </p>
      {total > 0 && (
        <TipChoice
          partMinor={total}
          currency={currency}
          choicesBp={props.menu.tip_choices_bp ?? []}
          pick={pick}
          onPick={setPick}
        />
      )}
      <button
        className="primary big"
        data-testid="smile-to-pay"
        disabled={total === 0 || tip === undefined}
        onClick={() => tip && props.onPay(tip)}
      >
        {t('order.pay')}
      </button>
      <div className="links">
        <button data-testid="start-enrol" onClick={props.onEnrol}>
          {t('order.enrol')}
        </button>
        <button data-testid="start-delete" onClick={props.onDelete}>
          {t('order.delete')}
        </button>
      </div>
    </div>
  );
}
