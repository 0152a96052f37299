// Refunds and voids from the day's list: the form's checks (an amount in the payment's
// currency, no more than is left, a reason), then the host's answer. A reversal the host sends
// back with STAFF_NEEDS_MANAGER waits for a manager's PIN on the spot: the manager is signed in
// for that one reversal, which is retried with their token, and signed out again.
import type { i18n as I18n } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiResult, PaymentEntry, KioskClient, ResponseOf, StaffListed } from '../../../electron/contract/api.js';
import { parseMoney } from '../../i18n.js';
import type { Desk, Money } from './desk.js';
import type { Say } from './staff-messages.js';

export type Reversal = { kind: 'refund' | 'void'; entry: PaymentEntry };
/** What is left to refund of a payment with a sale: its lines, by item. */
export type Refundable = ResponseOf<'refundable'>;
export type ItemTake = { line: number; quantity: number };
/** A reversal the host sent back with STAFF_NEEDS_MANAGER: retried with a manager's token. */
export type Pending = {
  kind: 'refund' | 'void';
  payment_seq: number;
  amount_minor: number | null;
  items: ItemTake[] | null;
  reason: string;
  message: string;
};

export interface Reversals {
  /** The reversal whose form is open. */
  reversal: Reversal | null;
  /** The reversal waiting for a manager's approval. */
  pending: Pending | null;
  /** Counts approval attempts: remounts the manager's keypad after a wrong PIN. */
  attempt: number;
  /** The open refund's payment, by item (loaded when its payment carries a sale). */
  refundable: Refundable | null;
  open: (kind: 'refund' | 'void', entry: PaymentEntry) => void;
  cancel: () => void;
  cancelPending: () => void;
  /** A refund of an amount (amountText), or of items (then the amount is theirs). */
  submit: (amountText: string, reason: string, items?: ItemTake[]) => Promise<void>;
  approve: (manager: StaffListed, pin: string) => Promise<void>;
}

export function useReversals(desk: Desk): Reversals {
  const { api, withToken, money, setBusy, refresh } = desk;
  const { setError, setNotice, errorText } = desk.messages;
  const { i18n } = useTranslation();
  const [reversal, setReversal] = useState<Reversal | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [refundable, setRefundable] = useState<Refundable | null>(null);

  const reversed = async (r: ResponseOf<'refund'>): Promise<void> => {
    setReversal(null);
    setPending(null);
    setError(null);
    const e = r.entry;
    setNotice(() =>
      i18n.t(`staff.reversed.${e.kind === 'void' ? 'void' : 'refund'}`, {
        seq: e.payment_seq,
        amount: money(e.amount_minor, e.currency),
        by: r.approved_by,
      }),
    );
    await refresh();
  };

  const submit = async (amountText: string, reason: string, items?: ItemTake[]): Promise<void> => {
    if (!reversal) return;
    const e = reversal.entry;
    let amount: number | null = null;
    if (reversal.kind === 'refund' && items === undefined) {
      const checked = refundAmount(amountText, e, i18n, money);
      if (typeof checked !== 'number') return setError(checked);
      amount = checked;
    }
    if (reason.trim() === '') return setError(() => i18n.t('staff.reasonNeeded'));
    const p = {
      kind: reversal.kind,
      payment_seq: e.seq,
      amount_minor: amount,
      items: items ?? null,
      reason: reason.trim(),
    };
    setBusy(true);
    const r = await withToken((token) => reverse(api, p, token));
    setBusy(false);
    if (!r) return;
    if (r.ok) return reversed(r.value);
    if (r.error.code === 'STAFF_NEEDS_MANAGER') {
      setError(null);
      setReversal(null);
      return setPending({ ...p, message: r.error.message });
    }
    setError(errorText(r.error));
  };

  /** The manager approves on the spot: signed in for this one reversal, then signed out. */
  const approve = async (manager: StaffListed, pin: string): Promise<void> => {
    if (!pending) return;
    setBusy(true);
    // Typed at the cashier's prompt: wrong PINs lock this prompt, not the manager (approval-attempts.ts).
    const s = await withToken((token) => api.staffSignIn({ staff_id: manager.staff_id, pin, at_prompt_of: token }));
    setAttempt((n) => n + 1);
    if (!s) return setBusy(false);
    if (!s.ok) {
      setBusy(false);
      return setError(errorText(s.error));
    }
    const r = await reverse(api, pending, s.value.token);
    await api.staffSignOut({ token: s.value.token });
    setBusy(false);
    if (r.ok) return reversed(r.value);
    setError(errorText(r.error));
  };

  const open = (kind: 'refund' | 'void', entry: PaymentEntry): void => {
    setReversal({ kind, entry });
    setPending(null);
    setError(null);
    setNotice(null);
    setRefundable(null);
    if (kind === 'refund' && entry.sale_seq !== null)
      void withToken((token) => api.refundable({ token, payment_seq: entry.seq })).then(
        (r) => r?.ok && setRefundable(r.value),
      );
  };
  const cancel = (): void => {
    setReversal(null);
    setError(null);
  };
  const cancelPending = (): void => {
    setPending(null);
    setError(null);
  };
  return { reversal, pending, attempt, refundable, open, cancel, cancelPending, submit, approve };
}

/** The refund's amount in minor units, or what is wrong with it: not an amount in the payment's
 * currency, or more than is left of the payment. */
function refundAmount(text: string, e: PaymentEntry, i18n: I18n, money: Money): number | Say {
  const amount = parseMoney(text, e.currency);
  if (amount === null || amount < 1) return () => i18n.t('staff.amountInvalid');
  if (amount > e.refundable_minor)
    return () => i18n.t('staff.amountTooMuch', { left: money(e.refundable_minor, e.currency) });
  return amount;
}

/** The reversal with a token: the member's own, or the approving manager's. */
function reverse(
  api: KioskClient,
  p: Omit<Pending, 'message'>,
  token: string,
): Promise<ApiResult<ResponseOf<'refund'>>> {
  if (p.kind === 'void') return api.voidPayment({ token, payment_seq: p.payment_seq, reason: p.reason });
  return p.items !== null
    ? api.refund({ token, payment_seq: p.payment_seq, items: p.items, reason: p.reason })
    : api.refund({ token, payment_seq: p.payment_seq, amount_minor: p.amount_minor ?? 0, reason: p.reason });
}
