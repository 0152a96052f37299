// Training mode: a store setting (`training_mode`, 0 or 1, a manager's signed config entry like
// every setting, manager/settings.ts) under which every payment is signed with `training: true`;
// a refund or void is training exactly when the payment it reverses is. Such entries are marked
// on the receipt (TRAINING / Trainingsbuchung / 培训), are left out of the day's money (the day
// report, the Z report and the day close: ledger/protocol's totals skip them), are never settled
// by the server, and the exports mark them (DSFinV-K BON_TYP AVTraining, the RKSV counter "TRA").
import { isTrainingEntry, type PaymentBody, type ReversalBody } from '../../../ledger/protocol/entry.js';
import type { LedgerStore } from '../../../ledger/store/store.js';

export const TRAINING_SETTING = 'training_mode';

/** Whether training mode is on: the last signed change of the setting says 1. Config entries
 * are few (a manager's changes), so they are read from the ledger each time, never cached stale. */
export function trainingModeOf(store: Pick<LedgerStore, 'entriesOfKind'>): boolean {
  let on = false;
  for (const { entry } of store.entriesOfKind('config'))
    if (entry.kind === 'config' && entry.body.key === TRAINING_SETTING) on = entry.body.value === 1;
  return on;
}

export function markPayment(body: PaymentBody, training: boolean): PaymentBody {
  return training ? { ...body, training: true } : body;
}

/** A reversal of a training payment is training; of a real payment, real (whatever the mode). */
export function markReversal(store: Pick<LedgerStore, 'get'>, body: ReversalBody): ReversalBody {
  const paid = store.get(body.payment_seq);
  return paid && isTrainingEntry(paid.entry) ? { ...body, training: true } : body;
}
