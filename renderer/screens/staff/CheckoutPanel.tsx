// The counter's checkout of the current order: its lines with their tax letters, discounts and
// comps (a manager approves on the spot above the cashier's limit), VAT per rate, eaten in or
// taken away, the bill split into equal shares, what is paid and due, and a payment by cash or
// card of the next part (or a part typed here, or some of its items: SplitItems) with a tip. The host prices everything; this
// panel only asks and shows its answers.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiResult, Order, ResponseOf, StaffListed } from '../../../electron/contract/api.js';
import { parseMoney } from '../../i18n.js';
import { localName } from '../order-lines.js';
import { percentOf } from '../tax-format.js';
import type { Desk } from './desk.js';
import { ManagerApproval } from './Reversal.js';
import { itemTakesOf, SplitItems, type ItemChoice } from './SplitItems.js';

type DiscountRequest = { line: number | null; kind: 'percent' | 'amount'; value: number; reason: string };

export function CheckoutPanel(props: { desk: Desk; order: Order; managers: StaffListed[]; onPaid: () => void }) {
  const { t, i18n } = useTranslation();
  const { desk, order } = props;
  const { api, withToken, money, busy, setBusy, messages } = desk;
  const [pending, setPending] = useState<{ d: DiscountRequest; message: string } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [part, setPart] = useState('');
  const [tip, setTip] = useState('');
  const [items, setItems] = useState<ItemChoice | null>(null);
  const c = order.currency;
  const unpaid = order.parts.length === 0;
  const due = order.total_minor - order.paid_minor;

  const answer = async <T,>(r: ApiResult<T> | null, notice?: () => string): Promise<T | null> => {
    if (!r) return null;
    if (!r.ok) {
      messages.setError(messages.errorText(r.error));
      return null;
    }
    messages.setError(null);
    if (notice) messages.setNotice(notice);
    await desk.refresh();
    return r.value;
  };
  const discount = async (d: DiscountRequest): Promise<void> => {
    setBusy(true);
    const r = await withToken((token) => api.addDiscount({ token, order_id: order.order_id, ...d }));
    setBusy(false);
    if (r && !r.ok && r.error.code === 'STAFF_NEEDS_MANAGER') {
      messages.setError(null);
      return setPending({ d, message: r.error.message });
    }
    await answer(r, () => i18n.t('checkout.discountGiven'));
  };
  const approve = async (manager: StaffListed, pin: string): Promise<void> => {
    if (!pending) return;
    setBusy(true);
    // Typed at the cashier's prompt: wrong PINs lock this prompt, not the manager (approval-attempts.ts).
    const s = await withToken((token) => api.staffSignIn({ staff_id: manager.staff_id, pin, at_prompt_of: token }));
    setAttempt((n) => n + 1);
    if (!s) return setBusy(false);
    if (!s.ok) {
      setBusy(false);
      return messages.setError(messages.errorText(s.error));
    }
    const r = await api.addDiscount({ token: s.value.token, order_id: order.order_id, ...pending.d });
    await api.staffSignOut({ token: s.value.token });
    setBusy(false);
    if ((await answer(r, () => i18n.t('checkout.discountApproved', { by: manager.display_name }))) !== null)
      setPending(null);
  };
  const pay = async (method: 'cash' | 'card'): Promise<void> => {
    const share = part.trim() === '' ? undefined : parseMoney(part, c);
    const tipMinor = tip.trim() === '' ? undefined : parseMoney(tip, c);
    const takes = itemTakesOf(items);
    // A part is an amount or some items, not both; items chosen as none is no part at all.
    if (share === null || tipMinor === null || (items !== null && (takes === undefined || share !== undefined)))
      return messages.setError(() => i18n.t('staff.amountInvalid'));
    setBusy(true);
    const r = await withToken((token) =>
      api.payOrder({
        token,
        order_id: order.order_id,
        method,
        ...(share !== undefined ? { share_minor: share } : {}),
        ...(takes !== undefined ? { items: takes } : {}),
        ...(tipMinor !== undefined ? { tip_minor: tipMinor } : {}),
      }),
    );
    setBusy(false);
    const paid: ResponseOf<'payOrder'> | null = await answer(r, () =>
      i18n.t(takes !== undefined ? 'checkout.byItemsPaid' : 'staff.paidAtCounter', {
        amount: r?.ok ? money(r.value.entry.amount_minor, c) : '',
        method: i18n.t(`staff.method.${method}`),
      }),
    );
    if (paid) {
      setPart('');
      setTip('');
      setItems(null);
      if (paid.order.status === 'paid') props.onPaid();
    }
  };
  const simple = async (f: (token: string) => Promise<ApiResult<Order>>): Promise<void> => {
    setBusy(true);
    const r = await withToken(f);
    setBusy(false);
    await answer(r);
  };

  return (
    <div className="checkout" data-testid="checkout" data-order-id={order.order_id} data-status={order.status}>
      <table className="staff-table checkout-lines">
        <tbody>
          {order.lines.map((l, i) => (
            <tr key={i} data-testid={`checkout-line-${i}`} data-rate-id={l.rate_id ?? ''}>
              <td>
                {l.quantity} × {localName(l, i18n.language)}
                {l.options.length > 0 && (
                  <span className="small"> · {l.options.map((o) => localName(o, i18n.language)).join(', ')}</span>
                )}
              </td>
              <td className="small">{l.rate_id ? `${l.rate_id} ${percentOf(l.rate_bp ?? 0)} %` : ''}</td>
              <td className="num">{money(l.line_minor, c)}</td>
              <td className="num small">{l.discount_minor > 0 ? `−${money(l.discount_minor, c)}` : ''}</td>
            </tr>
          ))}
          {order.discounts.map((d, i) => (
            <tr
              key={`d${i}`}
              className="discount"
              data-testid={`checkout-discount-${i}`}
              data-amount-minor={d.amount_minor}
            >
              <td colSpan={2}>
                {t('checkout.discountRow', {
                  what:
                    d.line === null ? t('checkout.wholeOrder') : `${localName(order.lines[d.line]!, i18n.language)}`,
                  reason: d.reason,
                  by: d.approved_by,
                })}
              </td>
              <td className="num">−{money(d.amount_minor, c)}</td>
              <td>
                {unpaid && (
                  <button
                    className="link"
                    data-testid={`checkout-discount-remove-${i}`}
                    disabled={busy}
                    onClick={() =>
                      void simple((token) => api.removeDiscount({ token, order_id: order.order_id, index: i }))
                    }
                  >
                    {t('checkout.remove')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small checkout-vat" data-testid="checkout-vat">
        {order.by_rate
          .map((r) =>
            t('checkout.vatRow', {
              letter: r.rate_id,
              percent: percentOf(r.rate_bp),
              tax: money(r.tax_minor, c),
              net: money(r.net_minor, c),
            }),
          )
          .join(' · ')}
      </p>
      <p className="total" data-testid="counter-order-total" data-total-minor={order.total_minor} data-due-minor={due}>
        {t('staff.orderOpen', { amount: money(order.total_minor, c) })}
        {order.parts.length > 0 &&
          ` · ${t('checkout.paidOf', { paid: money(order.paid_minor, c), due: money(due, c) })}`}
      </p>
      <div className="row checkout-options">
        <select
          data-testid="checkout-service"
          value={order.service}
          disabled={busy || !unpaid}
          onChange={(e) =>
            void simple((token) =>
              api.setService({ token, order_id: order.order_id, service: e.target.value as Order['service'] }),
            )
          }
        >
          <option value="eat_in">{t('checkout.service.eat_in')}</option>
          <option value="take_away">{t('checkout.service.take_away')}</option>
        </select>
        <select
          data-testid="checkout-split"
          value={order.split_shares ?? 1}
          disabled={busy}
          onChange={(e) => {
            const n = Number(e.target.value);
            void simple((token) => api.splitOrder({ token, order_id: order.order_id, shares: n === 1 ? null : n }));
          }}
        >
          {[1, 2, 3, 4, 5, 6].map((n) => (
            <option key={n} value={n} disabled={n > 1 && n <= order.parts.length}>
              {n === 1 ? t('checkout.oneBill') : t('checkout.shares', { n })}
            </option>
          ))}
        </select>
      </div>
      {unpaid && <DiscountForm order={order} busy={busy} onSubmit={(d) => void discount(d)} />}
      {pending && (
        <div className="panel needs-manager" data-testid="needs-manager">
          <h3>{t('staff.needsManagerTitle')}</h3>
          <p data-testid="needs-manager-message">{pending.message}</p>
          <ManagerApproval
            key={attempt}
            managers={props.managers}
            busy={busy}
            onPin={(m, pin) => void approve(m, pin)}
          />
          <button className="secondary" data-testid="needs-manager-cancel" onClick={() => setPending(null)}>
            {t('staff.cancel')}
          </button>
        </div>
      )}
      <SplitItems order={order} busy={busy} choice={items} onChange={setItems} />
      <div className="row checkout-pay">
        <label>
          {t('checkout.partLabel', { amount: money(order.next_part_minor, c) })}
          <input
            data-testid="pay-part"
            inputMode="decimal"
            maxLength={16}
            disabled={items !== null}
            value={part}
            onChange={(e) => setPart(e.target.value)}
          />
        </label>
        <label>
          {t('checkout.tipLabel', { currency: c })}
          <input
            data-testid="pay-tip"
            inputMode="decimal"
            maxLength={16}
            value={tip}
            onChange={(e) => setTip(e.target.value)}
          />
        </label>
        <button className="primary" data-testid="pay-cash" disabled={busy} onClick={() => void pay('cash')}>
          {t('staff.method.cash')}
        </button>
        <button className="primary" data-testid="pay-card" disabled={busy} onClick={() => void pay('card')}>
          {t('staff.method.card')}
        </button>
      </div>
    </div>
  );
}

function DiscountForm(props: { order: Order; busy: boolean; onSubmit: (d: DiscountRequest) => void }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const [line, setLine] = useState('order');
  const [kind, setKind] = useState<'percent' | 'amount'>('percent');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [bad, setBad] = useState(false);
  if (!open)
    return (
      <button className="secondary" data-testid="discount-open" onClick={() => setOpen(true)}>
        {t('checkout.discountOpen')}
      </button>
    );
  return (
    <form
      className="panel discount-form"
      data-testid="discount-form"
      onSubmit={(ev) => {
        ev.preventDefault();
        // Percent in whole or half percent ("10", "12,5") to basis points; an amount in minor units.
        const v = kind === 'percent' ? parseMoney(value, 'EUR') : parseMoney(value, props.order.currency);
        if (v === null || v < 1 || reason.trim() === '') return setBad(true);
        setBad(false);
        props.onSubmit({ line: line === 'order' ? null : Number(line), kind, value: v, reason: reason.trim() });
        setOpen(false);
        setValue('');
        setReason('');
      }}
    >
      <select data-testid="discount-line" value={line} onChange={(e) => setLine(e.target.value)}>
        <option value="order">{t('checkout.wholeOrder')}</option>
        {props.order.lines.map((l, i) => (
          <option key={i} value={String(i)}>
            {l.quantity} × {localName(l, i18n.language)}
          </option>
        ))}
      </select>
      <select
        data-testid="discount-kind"
        value={kind}
        onChange={(e) => setKind(e.target.value as 'percent' | 'amount')}
      >
        <option value="percent">{t('checkout.percent')}</option>
        <option value="amount">{t('checkout.amountKind', { currency: props.order.currency })}</option>
      </select>
      <input
        data-testid="discount-value"
        inputMode="decimal"
        maxLength={12}
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
      <input
        data-testid="discount-reason"
        maxLength={200}
        placeholder={t('checkout.reasonLabel')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <button className="primary" data-testid="discount-submit" disabled={props.busy}>
        {t('checkout.giveDiscount')}
      </button>
      {bad && <p className="error">{t('checkout.discountInvalid')}</p>}
    </form>
  );
}
