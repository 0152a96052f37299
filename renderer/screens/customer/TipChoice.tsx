// The tip, before the smile: none (chosen until the customer picks another), one of the store's
// percentages (with what each comes to), or an amount the customer types. A component of its own
// on the order screen, above "Smile to pay": the payment's session, which starts on that button,
// is the camera's and knows nothing of it. The host computes the tip from the percentage (this
// only shows what it will come to) and refuses one that is not a tip (negative, more than the part).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseMoney } from '../../i18n.js';
import { percentOf, tipPreview } from '../tax-format.js';
import { useMoney } from './format.js';
import type { Tip } from './session-flow.js';

/** The choice so far: null for none, or a percentage, or a typed amount (NaN while it is not one). */
export type TipPick = null | { bp: number } | { minor: number };

/** The request's tip for a pick, or undefined when the typed amount is not one yet. */
export function tipOfPick(p: TipPick): Tip | undefined {
  if (p === null) return {};
  if ('bp' in p) return { tip_bp: p.bp };
  return Number.isSafeInteger(p.minor) ? { tip_minor: p.minor } : undefined;
}

export function TipChoice(props: {
  /** What this payment pays besides the tip (the order's next part, or the cart's total). */
  partMinor: number;
  currency: string;
  choicesBp: number[];
  pick: TipPick;
  onPick: (p: TipPick) => void;
}) {
  const { t } = useTranslation();
  const money = useMoney();
  const [typing, setTyping] = useState(false);
  const [text, setText] = useState('');
  const c = props.currency;
  const { pick } = props;
  if (props.choicesBp.length === 0) return null;
  const tipMinor =
    pick === null
      ? 0
      : 'bp' in pick
        ? tipPreview(props.partMinor, pick.bp)
        : Number.isSafeInteger(pick.minor)
          ? pick.minor
          : 0;
  return (
    <div className="tip-choice" data-testid="tip-choice">
      <p className="small">{t('tip.title')}</p>
      <div className="tip-choices">
        <button
          className={pick === null ? 'choice chosen' : 'choice'}
          data-testid="tip-none"
          onClick={() => {
            setTyping(false);
            props.onPick(null);
          }}
        >
          {t('tip.none')}
        </button>
        {props.choicesBp.map((bp) => (
          <button
            key={bp}
            className={pick !== null && 'bp' in pick && pick.bp === bp ? 'choice chosen' : 'choice'}
            data-testid={`tip-${bp}`}
            onClick={() => {
              setTyping(false);
              props.onPick({ bp });
            }}
          >
            {percentOf(bp)} % <span className="small">{money(tipPreview(props.partMinor, bp), c)}</span>
          </button>
        ))}
        <button className={typing ? 'choice chosen' : 'choice'} data-testid="tip-other" onClick={() => setTyping(true)}>
          {t('tip.other')}
        </button>
      </div>
      {typing && (
        <label className="tip-amount">
          {t('tip.amountLabel', { currency: c })}
          <input
            data-testid="tip-amount"
            inputMode="decimal"
            maxLength={12}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              const v = parseMoney(e.target.value, c);
              props.onPick(e.target.value.trim() === '' ? null : { minor: v ?? NaN });
            }}
          />
        </label>
      )}
      {typing && pick !== null && 'minor' in pick && !Number.isSafeInteger(pick.minor) && (
        <p className="error">{t('tip.invalid')}</p>
      )}
      {tipMinor > 0 && (
        <p className="total" data-testid="tip-total" data-total-minor={props.partMinor + tipMinor}>
          {t('tip.withTip', { amount: money(props.partMinor + tipMinor, c) })}
        </p>
      )}
    </div>
  );
}
