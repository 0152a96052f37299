// The refund or void form for one payment of the day's list, and the manager's approval on
// the spot when the host says the reversal is above the cashier's limit.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StaffListed } from '../../../electron/contract/api.js';
import type { Money } from './desk.js';
import type { ItemTake, Refundable, Reversal, Reversals } from './reversal.js';
import { PinEntry, StaffNames } from './StaffNames.js';

/** The open form, then (once the host asked for a manager) the approval. */
export function ReversalPanels(props: { r: Reversals; managers: StaffListed[]; busy: boolean; money: Money }) {
  const { r } = props;
  return (
    <>
      {r.reversal && (
        <ReversalForm
          key={`${r.reversal.kind}-${r.reversal.entry.seq}-${r.refundable ? 'items' : 'amount'}`}
          reversal={r.reversal}
          refundable={r.refundable}
          busy={props.busy}
          money={props.money}
          onSubmit={(a, reason, items) => void r.submit(a, reason, items)}
          onCancel={r.cancel}
        />
      )}
      {r.pending && <NeedsManager r={r} message={r.pending.message} managers={props.managers} busy={props.busy} />}
    </>
  );
}

function NeedsManager(props: { r: Reversals; message: string; managers: StaffListed[]; busy: boolean }) {
  const { t } = useTranslation();
  const { r } = props;
  return (
    <div className="panel needs-manager" data-testid="needs-manager">
      <h2>{t('staff.needsManagerTitle')}</h2>
      <p data-testid="needs-manager-message">{props.message}</p>
      <p>{t('staff.needsManagerText')}</p>
      <ManagerApproval
        key={r.attempt}
        managers={props.managers}
        busy={props.busy}
        onPin={(m, pin) => void r.approve(m, pin)}
      />
      <button className="secondary" data-testid="needs-manager-cancel" onClick={r.cancelPending}>
        {t('staff.cancel')}
      </button>
    </div>
  );
}

function ReversalForm(props: {
  reversal: Reversal;
  refundable: Refundable | null;
  busy: boolean;
  money: Money;
  onSubmit: (amount: string, reason: string, items?: ItemTake[]) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { kind, entry } = props.reversal;
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [qty, setQty] = useState<Record<number, number>>({});
  const items = Object.entries(qty)
    .filter(([, q]) => q > 0)
    .map(([line, quantity]) => ({ line: Number(line), quantity }));
  const byItems = kind === 'refund' && items.length > 0;
  const left = props.money(entry.refundable_minor, entry.currency);
  return (
    <form
      className="panel details reversal"
      data-testid="reversal-form"
      data-kind={kind}
      onSubmit={(ev) => {
        ev.preventDefault();
        props.onSubmit(amount, reason, byItems ? items : undefined);
      }}
    >
      <h2>
        {kind === 'refund'
          ? t('staff.refundTitle', { seq: entry.seq, left })
          : t('staff.voidTitle', { seq: entry.seq, left })}
      </h2>
      {kind === 'refund' && props.refundable && props.refundable.lines.length > 0 && (
        <table className="staff-table refund-items" data-testid="refund-items">
          <tbody>
            {props.refundable.lines.map((l) => {
              const left = l.quantity - l.refunded;
              return (
                <tr key={l.line} data-testid={`refund-line-${l.line}`} data-item-id={l.item_id} data-left={left}>
                  <td>
                    {l.name} <span className="small">{l.rate_id}</span>
                  </td>
                  <td className="small">{t('staff.refundLeft', { left, sold: l.quantity })}</td>
                  <td>
                    <input
                      data-testid={`refund-qty-${l.line}`}
                      type="number"
                      min={0}
                      max={left}
                      disabled={left === 0}
                      value={qty[l.line] ?? 0}
                      onChange={(e) =>
                        setQty((q) => ({ ...q, [l.line]: Math.max(0, Math.min(left, Number(e.target.value) || 0)) }))
                      }
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {kind === 'refund' && !byItems && (
        <label>
          {t('staff.amountLabel', { currency: entry.currency })}
          <input
            data-testid="reversal-amount"
            inputMode="decimal"
            value={amount}
            maxLength={16}
            onChange={(e) => setAmount(e.target.value)}
          />
        </label>
      )}
      <label>
        {t('staff.reasonLabel')}
        <input
          data-testid="reversal-reason"
          value={reason}
          maxLength={500}
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      <div className="row">
        <button
          className="primary"
          data-testid="reversal-confirm"
          disabled={props.busy || reason.trim() === '' || (kind === 'refund' && !byItems && amount.trim() === '')}
        >
          {kind === 'refund' ? t('staff.refund') : t('staff.void')}
        </button>
        <button type="button" className="secondary" onClick={props.onCancel}>
          {t('staff.cancel')}
        </button>
      </div>
    </form>
  );
}

/** The managers' names (none to choose when there is one), then the chosen one's PIN. */
export function ManagerApproval(props: {
  managers: StaffListed[];
  busy: boolean;
  onPin: (m: StaffListed, pin: string) => void;
}) {
  const [manager, setManager] = useState<StaffListed | null>(props.managers.length === 1 ? props.managers[0]! : null);
  if (!manager) return <StaffNames members={props.managers} testIdPrefix="approve" onPick={setManager} />;
  return (
    <PinEntry member={manager} testId="manager-pin" busy={props.busy} onPin={(pin) => props.onPin(manager, pin)} />
  );
}
