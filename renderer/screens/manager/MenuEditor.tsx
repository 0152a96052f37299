// The manager's Menu panel: the menu with its retired records (categories, dishes with their
// options, prices, tax categories, and whether each is out of stock), a price changed in place,
// a record retired or brought back, and forms to add or edit one (MenuForms.tsx). Every change
// goes with the manager's reason and is signed into the ledger by the host, which checks it
// again; orders already placed keep their prices. Other screens hear of each change by the
// menu push, and so does this one (a cashier's 86 shows here at once).
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EditorItem, MenuChange, MenuEditorView } from '../../../electron/contract/api.js';
import { formatMoney, parseMoney, currencyDigits } from '../../i18n.js';
import { localName } from '../order-lines.js';
import type { PanelContext } from './manager-panels.js';
import { EMPTY_NAME, MenuForm, type Draft } from './MenuForms.js';

/** A price as the form shows it to be typed again ("12.90"). */
const typed = (minor: number, currency: string): string => {
  const digits = currencyDigits(currency);
  return digits === 0
    ? String(minor)
    : `${Math.floor(minor / 10 ** digits)}.${String(minor % 10 ** digits).padStart(digits, '0')}`;
};

const itemChange = (i: EditorItem, over: Partial<Extract<MenuChange, { kind: 'item' }>>): MenuChange => ({
  kind: 'item',
  op: 'change',
  item_id: i.item_id,
  category_id: i.category_id,
  name: i.name,
  price_minor: i.price_minor,
  tax_category: i.tax_category,
  retired: i.retired,
  ...over,
});

export function MenuEditor({ ctx }: { ctx: PanelContext }) {
  const { t, i18n } = useTranslation();
  const [view, setView] = useState<MenuEditorView | null>(null);
  const [currency, setCurrency] = useState('EUR');
  const [reason, setReason] = useState('');
  const [prices, setPrices] = useState<Record<string, string>>({});
  const [draft, setDraft] = useState<Draft | null>(null);
  const [bad, setBad] = useState<string | null>(null);

  const load = useCallback(async (): Promise<void> => {
    const r = await ctx.withToken((token) => ctx.api.menuEditor({ token }));
    if (!r) return;
    if (!r.ok) return ctx.onError(r.error);
    setView(r.value);
  }, [ctx]);
  useEffect(() => {
    void ctx.api.menu({}).then((r) => r.ok && setCurrency(r.value.currency));
    void load();
    return ctx.api.onMenuChanged(() => void load());
  }, [ctx.api, load]);

  const send = async (change: MenuChange): Promise<boolean> => {
    if (reason.trim() === '') {
      setBad(t('menuEditor.reasonNeeded'));
      return false;
    }
    setBad(null);
    const r = await ctx.withToken((token) => ctx.api.menuChange({ token, change, reason: reason.trim() }));
    if (!r) return false;
    if (!r.ok) {
      ctx.onError(r.error);
      return false;
    }
    ctx.onNotice(() => t('menuEditor.saved', { seq: r.value.seq, by: r.value.changed_by }));
    setView(r.value.menu);
    setPrices({});
    return true;
  };

  if (!view) return <p data-testid="menu-editor-loading">…</p>;
  const name = (x: { name: Record<string, string> }): string => localName(x, i18n.language);
  const money = (minor: number): string => formatMoney(minor, currency, i18n.language);
  const state = (retired: boolean, inStock = true): string =>
    retired ? t('menuEditor.retired') : inStock ? t('menuEditor.live') : t('menuEditor.outOfStock');
  const firstCat = view.categories.find((c) => !c.retired)?.category_id ?? '';
  const newDrafts: Draft[] = [
    { kind: 'category', op: 'add', category_id: '', name: EMPTY_NAME, retired: false },
    {
      kind: 'item',
      op: 'add',
      item_id: '',
      category_id: firstCat,
      name: EMPTY_NAME,
      price: '',
      tax_category: view.tax_categories[0] ?? '',
      retired: false,
    },
    {
      kind: 'option',
      op: 'add',
      item_id: view.items[0]?.item_id ?? '',
      option_id: '',
      name: EMPTY_NAME,
      price: '',
      retired: false,
    },
  ];

  return (
    <div className="menu-editor" data-testid="menu-editor" data-revision={view.revision}>
      <h2>{t('menuEditor.title')}</h2>
      <p className="small">{t('menuEditor.intro')}</p>
      <label className="menu-reason">
        {t('menuEditor.reason')}
        <input data-testid="menu-reason" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      {bad && (
        <p className="error" role="alert" data-testid="menu-problem">
          {bad}
        </p>
      )}
      <h3>{t('menuEditor.categories')}</h3>
      <table className="staff-table menu-table">
        <tbody>
          {view.categories.map((c) => (
            <tr key={c.category_id} data-testid={`menu-cat-row-${c.category_id}`} data-retired={c.retired}>
              <th>{name(c)}</th>
              <td className="small">{c.category_id}</td>
              <td>{state(c.retired)}</td>
              <td>
                <button
                  type="button"
                  data-testid={`menu-cat-edit-${c.category_id}`}
                  onClick={() =>
                    setDraft({
                      kind: 'category',
                      op: 'change',
                      category_id: c.category_id,
                      name: c.name,
                      retired: c.retired,
                    })
                  }
                >
                  ✎
                </button>{' '}
                <button
                  type="button"
                  data-testid={`menu-cat-retire-${c.category_id}`}
                  onClick={() =>
                    void send({
                      kind: 'category',
                      op: 'change',
                      category_id: c.category_id,
                      name: c.name,
                      retired: !c.retired,
                    })
                  }
                >
                  {c.retired ? t('menuEditor.restore') : t('menuEditor.retire')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('menuEditor.items')}</h3>
      <table className="staff-table menu-table">
        <thead>
          <tr>
            <th>{t('menuEditor.name')}</th>
            <th>{t('menuEditor.category')}</th>
            <th>{t('menuEditor.price')}</th>
            <th>{t('menuEditor.tax')}</th>
            <th>{t('menuEditor.state')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {view.items.map((i) => (
            <tr
              key={i.item_id}
              data-testid={`menu-item-row-${i.item_id}`}
              data-retired={i.retired}
              data-in-stock={i.in_stock}
              data-price-minor={i.price_minor}
            >
              <th>
                {name(i)}
                <div className="small menu-options">
                  {i.options.map((o) => (
                    <button
                      key={o.option_id}
                      type="button"
                      className={o.retired ? 'option-retired' : ''}
                      data-testid={`menu-opt-edit-${i.item_id}-${o.option_id}`}
                      onClick={() =>
                        setDraft({
                          kind: 'option',
                          op: 'change',
                          item_id: i.item_id,
                          option_id: o.option_id,
                          name: o.name,
                          price: typed(o.price_minor, currency),
                          retired: o.retired,
                        })
                      }
                    >
                      {name(o)} +{money(o.price_minor)}
                    </button>
                  ))}
                </div>
              </th>
              <td>
                {name(view.categories.find((c) => c.category_id === i.category_id) ?? { name: { en: i.category_id } })}
              </td>
              <td className="menu-price">
                <input
                  data-testid={`menu-price-${i.item_id}`}
                  inputMode="decimal"
                  maxLength={12}
                  placeholder={money(i.price_minor)}
                  value={prices[i.item_id] ?? ''}
                  onChange={(e) => setPrices((p) => ({ ...p, [i.item_id]: e.target.value }))}
                />
                <button
                  type="button"
                  data-testid={`menu-price-save-${i.item_id}`}
                  onClick={() => {
                    const minor = parseMoney(prices[i.item_id] ?? '', currency);
                    if (minor === null) return setBad(t('menuEditor.priceInvalid'));
                    void send(itemChange(i, { price_minor: minor }));
                  }}
                >
                  {t('menuEditor.save')}
                </button>
              </td>
              <td>
                <select
                  data-testid={`menu-tax-${i.item_id}`}
                  value={i.tax_category}
                  onChange={(e) => void send(itemChange(i, { tax_category: e.target.value }))}
                >
                  {view.tax_categories.map((c) => (
                    <option key={c} value={c}>
                      {t(`tax.categories.${c}`, { defaultValue: c })}
                    </option>
                  ))}
                </select>
              </td>
              <td data-testid={`menu-item-state-${i.item_id}`}>{state(i.retired, i.in_stock)}</td>
              <td>
                <button
                  type="button"
                  data-testid={`menu-item-edit-${i.item_id}`}
                  onClick={() =>
                    setDraft({
                      kind: 'item',
                      op: 'change',
                      item_id: i.item_id,
                      category_id: i.category_id,
                      name: i.name,
                      price: typed(i.price_minor, currency),
                      tax_category: i.tax_category,
                      retired: i.retired,
                    })
                  }
                >
                  ✎
                </button>{' '}
                <button
                  type="button"
                  data-testid={`menu-item-retire-${i.item_id}`}
                  onClick={() => void send(itemChange(i, { retired: !i.retired }))}
                >
                  {i.retired ? t('menuEditor.restore') : t('menuEditor.retire')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="menu-forms">
        {draft && (
          <MenuForm
            key={`edit-${draft.kind}-${JSON.stringify(draft)}`}
            draft={draft}
            view={view}
            currency={currency}
            onSend={send}
            onBadPrice={() => setBad(t('menuEditor.priceInvalid'))}
          />
        )}
        {newDrafts.map((d) => (
          <MenuForm
            key={d.kind}
            draft={d}
            view={view}
            currency={currency}
            onSend={send}
            onBadPrice={() => setBad(t('menuEditor.priceInvalid'))}
          />
        ))}
      </div>
    </div>
  );
}
