// The v1 bodies, exactly as the kiosk first signed them: never changed, so that every v1 entry
// ever written still parses. The v2 bodies of the same kinds extend them (entry-v2.ts). Runs
// anywhere.

import { DAY_PATTERN, Fields, isPlainObject } from './entry-fields.js';
import { DAY_TOTALS_MAX, PAYMENT_METHODS, type EntryKind } from './entry-constants.js';

export type V1Kind = Exclude<EntryKind, 'shift_open' | 'cash_move' | 'shift_close'>;

/** The v1 bodies, exactly as first written (v2 bodies of these kinds extend them: entry-v2.ts). */
export const checkBodyV1: { [K in V1Kind]: (b: Fields) => void } = {
  payment(b) {
    b.only(['payment_id', 'order_id', 'amount_minor', 'currency', 'method', 'customer_id', 'taken_by', 'step_up']);
    b.id('payment_id');
    b.id('order_id');
    b.amount('amount_minor');
    b.currency('currency');
    const method = b.oneOf('method', PAYMENT_METHODS);
    if (method === 'face') {
      b.id('customer_id');
      if (b.has('taken_by')) b.fail('taken_by', 'nothing on a face payment');
    } else {
      if (b.has('customer_id')) b.fail('customer_id', `nothing on a ${method} payment`);
      b.id('taken_by');
    }
    if (b.has('step_up')) b.bool('step_up');
  },
  refund: reversal,
  void: reversal,
  day_close(b) {
    b.only(['business_day', 'first_seq', 'last_seq', 'entry_count', 'merkle_root', 'totals', 'closed_by']);
    const day = b.text('business_day');
    if (!DAY_PATTERN.test(day) || Number.isNaN(Date.parse(day + 'T00:00:00Z')))
      b.fail('business_day', 'a date YYYY-MM-DD');
    b.int('first_seq', 1, Number.MAX_SAFE_INTEGER);
    b.int('last_seq', 0, Number.MAX_SAFE_INTEGER);
    b.int('entry_count', 0, Number.MAX_SAFE_INTEGER);
    b.hex64('merkle_root');
    b.id('closed_by');
    b.array('totals', DAY_TOTALS_MAX).forEach((t, i) => {
      if (!isPlainObject(t)) return b.fail('totals', 'objects');
      const tf = new Fields(t, `entry.body.totals[${i}]`, b.seq);
      tf.only(['currency', 'payment_count', 'gross_minor', 'refunds_minor', 'voids_minor', 'net_minor']);
      tf.currency('currency');
      tf.int('payment_count', 0, Number.MAX_SAFE_INTEGER);
      tf.int('gross_minor', 0, Number.MAX_SAFE_INTEGER);
      tf.int('refunds_minor', 0, Number.MAX_SAFE_INTEGER);
      tf.int('voids_minor', 0, Number.MAX_SAFE_INTEGER);
      tf.int('net_minor', -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    });
  },
  key_rotation(b) {
    b.only(['new_public_key', 'reason']);
    b.hex64('new_public_key');
    b.text('reason');
  },
  config(b) {
    b.only(['key', 'value', 'previous', 'changed_by', 'reason']);
    b.id('key');
    b.configValue('value');
    if (b.has('previous')) b.configValue('previous');
    b.id('changed_by');
    if (b.has('reason')) b.text('reason');
  },
};

export function reversal(b: Fields): void {
  b.only(['payment_seq', 'amount_minor', 'currency', 'reason', 'approved_by']);
  b.int('payment_seq', 1, Number.MAX_SAFE_INTEGER);
  b.amount('amount_minor');
  b.currency('currency');
  b.text('reason');
  b.id('approved_by');
}
