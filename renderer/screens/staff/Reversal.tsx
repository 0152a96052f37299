// The refund or void form for one payment of the day's list, and the manager's approval on
// the spot when the host says the reversal is above the cashier's limit.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DayEntry, StaffMember } from '../../../electron/contract/api.js';
import { Keypad } from '../Keypad.js';
import { PIN_MAX, PIN_MIN, type Money } from './desk.js';

export type Reversal = { kind: 'refund' | 'void'; entry: DayEntry };

export function ReversalForm(props: {
  reversal: Reversal;
  busy: boolean;
  money: Money;
  onSubmit: (amount: string, reason: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { kind, entry } = props.reversal;
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const left = props.money(entry.refundable_minor ?? 0, entry.currency ?? 'EUR');
  return (
    <form
      className="panel details reversal"
      data-testid="reversal-form"
      data-kind={kind}
      onSubmit={(ev) => {
        ev.preventDefault();
        props.onSubmit(amount, reason);
      }}
    >
      <h2>
        {kind === 'refund'
          ? t('staff.refundTitle', { seq: entry.seq, left })
          : t('staff.voidTitle', { seq: entry.seq, left })}
      </h2>
      {kind === 'refund' && (
        <label>
          {t('staff.amountLabel', { currency: entry.currency ?? '' })}
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
          disabled={props.busy || reason.trim() === '' || (kind === 'refund' && amount.trim() === '')}
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

export function ManagerApproval(props: {
  managers: StaffMember[];
  busy: boolean;
  onPin: (m: StaffMember, pin: string) => void;
}) {
  const { t } = useTranslation();
  const [manager, setManager] = useState<StaffMember | null>(props.managers.length === 1 ? props.managers[0]! : null);
  if (!manager) {
    return (
      <div className="staff-names">
        {props.managers.map((m) => (
          <button key={m.staff_id} data-testid={`approve-${m.staff_id}`} onClick={() => setManager(m)}>
            {m.display_name}
          </button>
        ))}
      </div>
    );
  }
  return (
    <>
      <p>{t('staff.typePin', { name: manager.display_name })}</p>
      <Keypad
        testId="manager-pin"
        min={PIN_MIN}
        max={PIN_MAX}
        mask
        disabled={props.busy}
        onDone={(pin) => props.onPin(manager, pin)}
      />
    </>
  );
}
