// The Settings panel's VAT card: how prices are taxed and rounded (configured, shown here as
// the receipt states it), each rate's percentage, and which rate each tax category takes eaten
// in and taken away. A change is a signed config entry with the manager's reason; orders placed
// before it keep their rates. The host refuses a rate outside 0-100 % or one it does not know.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TaxTable } from '../../../electron/contract/api.js';
import { parseMoney } from '../../i18n.js';
import { percentOf } from '../tax-format.js';
import type { PanelContext } from './manager-panels.js';

export function TaxCard(props: { ctx: PanelContext; tax: TaxTable; onChanged: () => Promise<void> }) {
  const { t } = useTranslation();
  const { ctx, tax } = props;
  const [rates, setRates] = useState<Record<string, string>>({});
  const [reason, setReason] = useState('');
  const [bad, setBad] = useState<string | null>(null);

  const change = async (c: Parameters<typeof ctx.api.setTax>[0]['change']): Promise<void> => {
    if (reason.trim() === '') return setBad(t('tax.reasonNeeded'));
    setBad(null);
    const r = await ctx.withToken((token) => ctx.api.setTax({ token, change: c, reason: reason.trim() }));
    if (!r) return;
    if (!r.ok) return ctx.onError(r.error);
    ctx.onNotice(() => t('tax.saved', { seq: r.value.seq, by: r.value.changed_by }));
    setRates({});
    await props.onChanged();
  };
  return (
    <section className="setting-card tax-card" data-testid="tax-card">
      <h3>{t('tax.title')}</h3>
      <p className="small" data-testid="tax-modes">
        {t(`receipt.pricing.${tax.pricing}`)} · {t(`receipt.rounding.${tax.rounding}`)} ·{' '}
        {t('tax.serviceDefault', { service: t(`checkout.service.${tax.service}`) })}
      </p>
      <table className="staff-table">
        <tbody>
          {tax.rates.map((r) => (
            <tr key={r.rate_id} data-testid={`tax-rate-${r.rate_id}`} data-rate-bp={r.rate_bp}>
              <th>{r.rate_id}</th>
              <td>{percentOf(r.rate_bp)} %</td>
              <td>
                <input
                  data-testid={`tax-rate-input-${r.rate_id}`}
                  inputMode="decimal"
                  maxLength={6}
                  placeholder={percentOf(r.rate_bp)}
                  value={rates[r.rate_id] ?? ''}
                  onChange={(e) => setRates((x) => ({ ...x, [r.rate_id]: e.target.value }))}
                />
              </td>
              <td>
                <button
                  data-testid={`tax-rate-save-${r.rate_id}`}
                  onClick={() => {
                    // A percentage as typed ("16", "5,5") to basis points: two decimals, as a currency's.
                    const bp = parseMoney(rates[r.rate_id] ?? '', 'EUR');
                    if (bp === null) return setBad(t('tax.rateInvalid'));
                    void change({ kind: 'rate', rate_id: r.rate_id, rate_bp: bp });
                  }}
                >
                  {t('tax.save')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="staff-table">
        <thead>
          <tr>
            <th>{t('tax.category')}</th>
            <th>{t('checkout.service.eat_in')}</th>
            <th>{t('checkout.service.take_away')}</th>
          </tr>
        </thead>
        <tbody>
          {tax.categories.map((c) => (
            <tr key={c.category_id} data-testid={`tax-category-${c.category_id}`}>
              <th>{t(`tax.categories.${c.category_id}`, { defaultValue: c.category_id })}</th>
              {(['eat_in', 'take_away'] as const).map((service) => (
                <td key={service}>
                  <select
                    data-testid={`tax-category-${c.category_id}-${service}`}
                    value={c[service]}
                    onChange={(e) =>
                      void change({ kind: 'category', category_id: c.category_id, service, rate_id: e.target.value })
                    }
                  >
                    {tax.rates.map((r) => (
                      <option key={r.rate_id} value={r.rate_id}>
                        {r.rate_id} · {percentOf(r.rate_bp)} %
                      </option>
                    ))}
                  </select>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <label>
        {t('settings.reason')}
        <input data-testid="tax-reason" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      {bad && (
        <p className="error" data-testid="tax-problem">
          {bad}
        </p>
      )}
    </section>
  );
}
