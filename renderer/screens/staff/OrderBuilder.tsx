// The cashier's order builder: the menu by category; a dish without options goes straight into
// the order, one with options (extra egg, no onions) opens its line: options, quantity and a
// note for the kitchen. The same dish with the same options and note adds to its line. The
// total shown is a preview: the host prices every line from the menu when the order is sent.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  ApiResult,
  KioskClient,
  LineRequest,
  MenuCategory,
  MenuItem,
  Order,
} from '../../../electron/contract/api.js';
import {
  ITEM_OPTIONS_MAX,
  LINE_NOTE_MAX,
  LINE_QUANTITY_MAX,
  ORDER_LINES_MAX,
  ORDER_NOTE_MAX,
} from '../../../electron/contract/constants.js';
import { formatMoney } from '../../i18n.js';
import { localName } from '../order-lines.js';

type WithToken = <T>(run: (token: string) => Promise<ApiResult<T>>) => Promise<ApiResult<T> | null>;

interface Draft {
  item: MenuItem;
  options: string[];
  quantity: number;
  note: string;
}

/** A line of the order being built: what is sent, and its preview price. */
interface Line extends LineRequest {
  options: string[];
  unit_minor: number;
}

function unitOf(item: MenuItem, options: string[]): number {
  return options.reduce(
    (s, id) => s + (item.options.find((o) => o.option_id === id)?.price_minor ?? 0),
    item.price_minor,
  );
}

/** Two lines are one when the dish, its options (in any order) and its note are the same. */
function sameLine(a: Line, b: Line): boolean {
  return (
    a.item_id === b.item_id &&
    (a.note ?? '') === (b.note ?? '') &&
    a.options.length === b.options.length &&
    a.options.every((o) => b.options.includes(o))
  );
}

export function OrderBuilder(props: {
  api: KioskClient;
  withToken: WithToken;
  onSent: (o: Order) => void;
  onError: (code: string, message: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const [categories, setCategories] = useState<MenuCategory[]>([]);
  const [menu, setMenu] = useState<MenuItem[]>([]);
  const [currency, setCurrency] = useState('EUR');
  const [category, setCategory] = useState<string | null>(null);
  const [lines, setLines] = useState<Line[]>([]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const read = (): void =>
      void props.api.menu({}).then((r) => {
        if (!r.ok) return props.onError(r.error.code, r.error.message);
        setCategories(r.value.categories);
        setMenu(r.value.items);
        setCurrency(r.value.currency);
        setCategory((c) =>
          r.value.categories.some((x) => x.category_id === c) ? c : (r.value.categories[0]?.category_id ?? null),
        );
      });
    read();
    // Read again on every menu change (an edit, an 86 here or at another till).
    return props.api.onMenuChanged(read);
  }, [props.api, props.onError]);

  /** The cashier's 86: out of stock, or back. */
  const setStock = async (item: MenuItem, inStock: boolean): Promise<void> => {
    const r = await props.withToken((token) =>
      props.api.menuStock({ token, item_id: item.item_id, in_stock: inStock }),
    );
    if (r && !r.ok) props.onError(r.error.code, r.error.message);
  };

  const money = (minor: number): string => formatMoney(minor, currency, i18n.language);
  const name = (x: { name: Record<string, string> }): string => localName(x, i18n.language);
  const total = useMemo(() => lines.reduce((s, l) => s + l.unit_minor * l.quantity, 0), [lines]);

  const add = (line: Line): void =>
    setLines((ls) => {
      const at = ls.findIndex((l) => sameLine(l, line));
      if (at === -1) return ls.length >= ORDER_LINES_MAX ? ls : [...ls, line];
      return ls.map((l, i) =>
        i === at ? { ...l, quantity: Math.min(LINE_QUANTITY_MAX, l.quantity + line.quantity) } : l,
      );
    });
  const step = (at: number, by: number): void =>
    setLines((ls) =>
      ls.flatMap((l, i) =>
        i !== at ? [l] : l.quantity + by <= 0 ? [] : [{ ...l, quantity: Math.min(LINE_QUANTITY_MAX, l.quantity + by) }],
      ),
    );

  const pick = (item: MenuItem): void => {
    if (item.options.length === 0)
      return add({ item_id: item.item_id, quantity: 1, options: [], unit_minor: item.price_minor });
    setDraft({ item, options: [], quantity: 1, note: '' });
  };

  const send = async (): Promise<void> => {
    if (lines.length === 0) return;
    setBusy(true);
    const request = lines.map((l) => ({
      item_id: l.item_id,
      quantity: l.quantity,
      ...(l.options.length ? { options: l.options } : {}),
      ...(l.note ? { note: l.note } : {}),
    }));
    const r = await props.withToken((token) =>
      props.api.sendOrder({ token, lines: request, ...(note.trim() ? { note: note.trim() } : {}) }),
    );
    setBusy(false);
    if (!r) return;
    if (!r.ok) return props.onError(r.error.code, r.error.message);
    setLines([]);
    setNote('');
    setDraft(null);
    props.onSent(r.value);
  };

  const shown = menu.filter((m) => m.category_id === category);
  return (
    <form
      className="panel builder"
      data-testid="order-builder"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <h2>{t('board.builderTitle')}</h2>
      <nav className="builder-cats" role="tablist">
        {categories.map((c) => (
          <button
            key={c.category_id}
            type="button"
            role="tab"
            aria-selected={c.category_id === category}
            className={c.category_id === category ? 'tab-on' : ''}
            data-testid={`build-cat-${c.category_id}`}
            onClick={() => setCategory(c.category_id)}
          >
            {name(c)}
          </button>
        ))}
      </nav>
      <div className="builder-items">
        {shown.map((m) => (
          <div key={m.item_id} className={m.out_of_stock ? 'builder-dish-row sold-out' : 'builder-dish-row'}>
            <button
              type="button"
              className="builder-dish"
              data-testid={`build-item-${m.item_id}`}
              data-out-of-stock={m.out_of_stock === true}
              disabled={m.out_of_stock === true}
              onClick={() => pick(m)}
            >
              <span className="builder-name">
                {name(m)}
                {m.options.length > 0 ? ' …' : ''}
              </span>
              <span className="num">{m.out_of_stock ? t('stock.soldOut') : money(m.price_minor)}</span>
            </button>
            <button
              type="button"
              className="builder-86"
              data-testid={`build-86-${m.item_id}`}
              aria-label={t(m.out_of_stock ? 'stock.backLabel' : 'stock.outLabel', { name: name(m) })}
              onClick={() => void setStock(m, m.out_of_stock === true)}
            >
              {m.out_of_stock ? t('stock.back') : t('stock.out')}
            </button>
          </div>
        ))}
      </div>

      {draft && (
        <fieldset className="line-editor" data-testid="line-editor" data-item-id={draft.item.item_id}>
          <legend>{name(draft.item)}</legend>
          <p className="small">{t('builder.options')}</p>
          <ul className="line-options">
            {draft.item.options.slice(0, ITEM_OPTIONS_MAX).map((o) => (
              <li key={o.option_id}>
                <label>
                  <input
                    type="checkbox"
                    data-testid={`build-opt-${o.option_id}`}
                    checked={draft.options.includes(o.option_id)}
                    onChange={(e) =>
                      setDraft({
                        ...draft,
                        options: e.target.checked
                          ? [...draft.options, o.option_id]
                          : draft.options.filter((x) => x !== o.option_id),
                      })
                    }
                  />
                  {name(o)}{' '}
                  <span className="num small">
                    {o.price_minor > 0 ? `+${money(o.price_minor)}` : t('builder.free')}
                  </span>
                </label>
              </li>
            ))}
          </ul>
          <div className="line-qty">
            <span>{t('builder.quantity')}</span>
            <button
              type="button"
              data-testid="edit-minus"
              aria-label={t('order.remove')}
              disabled={draft.quantity <= 1}
              onClick={() => setDraft({ ...draft, quantity: draft.quantity - 1 })}
            >
              −
            </button>
            <span className="builder-qty" data-testid="edit-qty">
              {draft.quantity}
            </span>
            <button
              type="button"
              data-testid="edit-plus"
              aria-label={t('order.add')}
              disabled={draft.quantity >= LINE_QUANTITY_MAX}
              onClick={() => setDraft({ ...draft, quantity: draft.quantity + 1 })}
            >
              +
            </button>
          </div>
          <label>
            {t('builder.lineNote')}
            <input
              data-testid="edit-note"
              value={draft.note}
              maxLength={LINE_NOTE_MAX}
              onChange={(e) => setDraft({ ...draft, note: e.target.value })}
            />
          </label>
          <div className="line-actions">
            <button
              type="button"
              className="primary"
              data-testid="edit-add"
              onClick={() => {
                add({
                  item_id: draft.item.item_id,
                  quantity: draft.quantity,
                  options: draft.options,
                  note: draft.note.trim() || undefined,
                  unit_minor: unitOf(draft.item, draft.options),
                });
                setDraft(null);
              }}
            >
              {t('builder.addLine')} · {money(unitOf(draft.item, draft.options) * draft.quantity)}
            </button>
            <button type="button" className="secondary" data-testid="edit-cancel" onClick={() => setDraft(null)}>
              {t('builder.cancel')}
            </button>
          </div>
        </fieldset>
      )}

      <h3>{t('builder.lines')}</h3>
      {lines.length === 0 ? (
        <p className="small" data-testid="build-empty">
          {t('builder.empty')}
        </p>
      ) : (
        <ul className="builder-lines">
          {lines.map((l, i) => {
            const item = menu.find((m) => m.item_id === l.item_id);
            const opts = l.options
              .map((id) => item?.options.find((o) => o.option_id === id))
              .filter((o) => o !== undefined);
            return (
              <li
                key={`${l.item_id}-${l.options.join('+')}-${l.note ?? ''}`}
                data-testid={`build-line-${i}`}
                data-item-id={l.item_id}
                data-quantity={l.quantity}
                data-options={l.options.join(',')}
                data-line-minor={l.unit_minor * l.quantity}
              >
                <span className="builder-name">
                  {item ? name(item) : l.item_id}
                  {opts.length > 0 && <span className="small"> · {opts.map((o) => name(o)).join(', ')}</span>}
                  {l.note && <span className="small line-note"> · “{l.note}”</span>}
                </span>
                <button
                  type="button"
                  data-testid={`build-line-minus-${i}`}
                  aria-label={l.quantity === 1 ? t('builder.removeLine') : t('order.remove')}
                  onClick={() => step(i, -1)}
                >
                  −
                </button>
                <span className="builder-qty">{l.quantity}</span>
                <button
                  type="button"
                  data-testid={`build-line-plus-${i}`}
                  aria-label={t('order.add')}
                  disabled={l.quantity >= LINE_QUANTITY_MAX}
                  onClick={() => step(i, 1)}
                >
                  +
                </button>
                <span className="num">{money(l.unit_minor * l.quantity)}</span>
              </li>
            );
          })}
        </ul>
      )}
      <label>
        {t('board.note')}
        <input
          data-testid="build-note"
          value={note}
          maxLength={ORDER_NOTE_MAX}
          onChange={(e) => setNote(e.target.value)}
        />
      </label>
      <p className="total" data-testid="build-total" data-total-minor={total}>
        {t('order.total')}: {money(total)}
      </p>
      <button className="primary" data-testid="build-send" disabled={busy || lines.length === 0}>
        {t('board.send')}
      </button>
    </form>
  );
}
