// A part of the bill chosen by its items (a bill split by items): the cashier picks how many of
// each line this guest pays. The host prices the part from the order's signed sale (the line's
// share of the discounts, VAT per rate) and refuses units that are not left (SPLIT_EXCEEDS_DUE),
// so this picker only asks; it offers at most a line's quantity and shows no price of its own.
import { useTranslation } from 'react-i18next';
import type { Order } from '../../../electron/contract/api.js';
import { localName } from '../order-lines.js';

/** Units chosen per line index; a line left out (or at 0) is not in the part. */
export type ItemChoice = Record<number, number>;

/** The part's items as the host's payOrder takes them, or undefined when none is chosen. */
export function itemTakesOf(choice: ItemChoice | null): { line: number; quantity: number }[] | undefined {
  if (choice === null) return undefined;
  const takes = Object.entries(choice)
    .map(([line, quantity]) => ({ line: Number(line), quantity }))
    .filter((x) => x.quantity > 0)
    .sort((a, b) => a.line - b.line);
  return takes.length > 0 ? takes : undefined;
}

export function SplitItems(props: {
  order: Order;
  busy: boolean;
  choice: ItemChoice | null;
  onChange: (choice: ItemChoice | null) => void;
}) {
  const { t, i18n } = useTranslation();
  const { order, choice } = props;
  if (order.pricing === null) return null; // paid whole: placed before its lines were signed
  if (choice === null)
    return (
      <button
        className="secondary"
        data-testid="split-items-open"
        disabled={props.busy}
        onClick={() => props.onChange({})}
      >
        {t('checkout.byItems')}
      </button>
    );
  const chosen = itemTakesOf(choice)?.reduce((n, x) => n + x.quantity, 0) ?? 0;
  return (
    <div className="panel split-items" data-testid="split-items">
      <h3>{t('checkout.byItemsTitle')}</h3>
      <table className="staff-table">
        <tbody>
          {order.lines.map((l, i) => (
            <tr key={i} data-testid={`split-line-${i}`} data-item-id={l.item_id}>
              <td>
                {l.quantity} × {localName(l, i18n.language)}
              </td>
              <td>
                <input
                  type="number"
                  data-testid={`split-qty-${i}`}
                  min={0}
                  max={l.quantity}
                  step={1}
                  value={choice[i] ?? 0}
                  onChange={(e) => {
                    const n = Math.trunc(Number(e.target.value));
                    const q = Number.isFinite(n) ? Math.min(Math.max(n, 0), l.quantity) : 0;
                    props.onChange({ ...choice, [i]: q });
                  }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small" data-testid="split-items-chosen" data-units={chosen}>
        {chosen === 0 ? t('checkout.byItemsNone') : t('checkout.byItemsChosen', { count: chosen })}
      </p>
      <button className="secondary" data-testid="split-items-cancel" onClick={() => props.onChange(null)}>
        {t('staff.cancel')}
      </button>
    </div>
  );
}
