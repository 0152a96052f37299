// The menu editor's forms: a category, a dish or an option, added new or (filled from a row's
// "Edit") changed. Each sends one change; the host checks every field again and answers a
// MENU_* code, which the staff screen says in its own language.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MenuChange, MenuEditorView } from '../../../electron/contract/api.js';
import { MENU_ID_LENGTH_MAX, MENU_NAME_LENGTH_MAX } from '../../../electron/contract/constants.js';
import { parseMoney } from '../../i18n.js';
import { localName } from '../order-lines.js';

type Name = { en: string; de: string; zh: string };
export const EMPTY_NAME: Name = { en: '', de: '', zh: '' };

/** What a form starts from: empty (add) or a record's values (change). */
export type Draft =
  | { kind: 'category'; op: 'add' | 'change'; category_id: string; name: Name; retired: boolean }
  | {
      kind: 'item';
      op: 'add' | 'change';
      item_id: string;
      category_id: string;
      name: Name;
      price: string;
      tax_category: string;
      retired: boolean;
    }
  | {
      kind: 'option';
      op: 'add' | 'change';
      item_id: string;
      option_id: string;
      name: Name;
      price: string;
      retired: boolean;
    };

function NameFields(props: { prefix: string; name: Name; set: (n: Name) => void }) {
  const { t } = useTranslation();
  const keys = { en: 'menuEditor.nameEn', de: 'menuEditor.nameDe', zh: 'menuEditor.nameZh' } as const;
  return (
    <>
      {(['en', 'de', 'zh'] as const).map((lang) => (
        <label key={lang}>
          {t(keys[lang])}
          <input
            data-testid={`${props.prefix}-name-${lang}`}
            maxLength={MENU_NAME_LENGTH_MAX * 2}
            value={props.name[lang]}
            onChange={(e) => props.set({ ...props.name, [lang]: e.target.value })}
          />
        </label>
      ))}
    </>
  );
}

/** One form for the three kinds; `draft` chooses which, and its fields as they start (a new
 * draft comes with a new key: the form starts again). */
export function MenuForm(props: {
  draft: Draft;
  view: MenuEditorView;
  currency: string;
  onSend: (c: MenuChange) => Promise<boolean>;
  onBadPrice: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [d, setD] = useState<Draft>(props.draft);
  const prefix = `menu-form-${d.op}-${d.kind}`;
  const price = (text: string): number | null => parseMoney(text, props.currency);

  const submit = async (): Promise<void> => {
    let c: MenuChange;
    if (d.kind === 'category')
      c = { kind: 'category', op: d.op, category_id: d.category_id.trim(), name: d.name, retired: d.retired };
    else {
      const minor = price(d.price);
      if (minor === null) return props.onBadPrice();
      c =
        d.kind === 'item'
          ? {
              kind: 'item',
              op: d.op,
              item_id: d.item_id.trim(),
              category_id: d.category_id,
              name: d.name,
              price_minor: minor,
              tax_category: d.tax_category,
              retired: d.retired,
            }
          : {
              kind: 'option',
              op: d.op,
              item_id: d.item_id,
              option_id: d.option_id.trim(),
              name: d.name,
              price_minor: minor,
              retired: d.retired,
            };
    }
    if (await props.onSend(c)) setD(props.draft.op === 'add' ? props.draft : d);
  };
  const title = { category: 'menuEditor.addCategory', item: 'menuEditor.addItem', option: 'menuEditor.addOption' }[
    d.kind
  ];
  const idKey = d.kind === 'category' ? 'category_id' : d.kind === 'item' ? 'item_id' : 'option_id';
  return (
    <form
      className="menu-form"
      data-testid={prefix}
      data-op={d.op}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h4>{d.op === 'add' ? t(title) : `${t('menuEditor.save')}: ${d[idKey as keyof Draft] as string}`}</h4>
      {d.kind === 'option' && (
        <label>
          {t('menuEditor.item')}
          <select
            data-testid={`${prefix}-item`}
            value={d.item_id}
            disabled={d.op === 'change'}
            onChange={(e) => setD({ ...d, item_id: e.target.value })}
          >
            {props.view.items.map((i) => (
              <option key={i.item_id} value={i.item_id}>
                {localName(i, i18n.language)}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        {t('menuEditor.id')}
        <input
          data-testid={`${prefix}-id`}
          maxLength={MENU_ID_LENGTH_MAX * 2}
          disabled={d.op === 'change'}
          value={d[idKey as keyof Draft] as string}
          onChange={(e) => setD({ ...d, [idKey]: e.target.value } as Draft)}
        />
      </label>
      <NameFields prefix={prefix} name={d.name} set={(name) => setD({ ...d, name })} />
      {d.kind === 'item' && (
        <>
          <label>
            {t('menuEditor.category')}
            <select
              data-testid={`${prefix}-category`}
              value={d.category_id}
              onChange={(e) => setD({ ...d, category_id: e.target.value })}
            >
              {props.view.categories.map((c) => (
                <option key={c.category_id} value={c.category_id}>
                  {localName(c, i18n.language)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('menuEditor.tax')}
            <select
              data-testid={`${prefix}-tax`}
              value={d.tax_category}
              onChange={(e) => setD({ ...d, tax_category: e.target.value })}
            >
              {props.view.tax_categories.map((c) => (
                <option key={c} value={c}>
                  {t(`tax.categories.${c}`, { defaultValue: c })}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
      {d.kind !== 'category' && (
        <label>
          {t('menuEditor.price')} ({props.currency})
          <input
            data-testid={`${prefix}-price`}
            inputMode="decimal"
            maxLength={12}
            value={d.price}
            onChange={(e) => setD({ ...d, price: e.target.value })}
          />
        </label>
      )}
      <button type="submit" data-testid={`${prefix}-submit`}>
        {d.op === 'add' ? t('menuEditor.add') : t('menuEditor.save')}
      </button>
    </form>
  );
}
