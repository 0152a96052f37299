// The v2 bodies: their shape only (which fields, of which types, within which bounds). Whether
// their amounts add up (a sale priced as signed, a part within its sale, a refund within what
// was sold, a shift's expected cash) is the rules' (rules-sale.ts, rules-shift.ts), which know
// the entries before. Runs anywhere.

import { AMOUNT_MINOR_MAX } from './money.js';
import type { Fields } from './entry-fields.js';
import { checkBodyV1, reversal } from './entry-v1.js';
import { DAY_TOTALS_MAX, type EntryKind } from './entry-constants.js';
import { CASH_PIECES_MAX } from './cash.js';
import {
  DISCOUNT_REASON_LENGTH_MAX,
  LINE_NAME_LENGTH_MAX,
  LINE_OPTIONS_MAX,
  LINE_QUANTITY_MAX,
  PRICING_MODES,
  RATE_BP_MAX,
  ROUNDING_MODES,
  SALE_DISCOUNTS_MAX,
  SALE_LINES_MAX,
  SALE_RATES_MAX,
  SERVICE_MODES,
} from './sale.js';

/** A rate's id (the receipt's tax letter) and a tax category's id, at most this long. */
export const TAX_ID_LENGTH_MAX = 16;
/** Rates in a day close: each currency's rates. */
export const DAY_RATES_MAX = DAY_TOTALS_MAX * SALE_RATES_MAX;
/** Coins and notes of one count (every currency has fewer). */
export const COUNT_DENOMINATIONS_MAX = 32;

/** Whether a body of `kind` is in the v2 format (it carries per-rate amounts). */
export function isV2Body(kind: EntryKind, body: object): boolean {
  return (
    (kind === 'payment' || kind === 'refund' || kind === 'void' || kind === 'day_close') &&
    (Object.hasOwn(body, 'by_rate') || Object.hasOwn(body, 'training'))
  );
}

/** `training`, where present, is true: an entry is marked, never marked "false". */
function training(b: Fields): void {
  if (b.has('training') && b.bool('training') !== true) b.fail('training', 'true, or no field');
}

const minor = (b: Fields, field: string): number => b.int(field, 0, AMOUNT_MINOR_MAX);
const signed = (b: Fields, field: string): number => b.int(field, -AMOUNT_MINOR_MAX * 1000, AMOUNT_MINOR_MAX * 1000);

function taxId(b: Fields, field: string): string {
  const v = b.id(field);
  if (v.length > TAX_ID_LENGTH_MAX) b.fail(field, `an identifier of at most ${TAX_ID_LENGTH_MAX} characters`);
  return v;
}

function rateTotal(r: Fields, money: (b: Fields, f: string) => number, extra: string[] = []): void {
  r.only(['rate_id', 'rate_bp', 'net_minor', 'tax_minor', 'gross_minor', ...extra]);
  taxId(r, 'rate_id');
  r.int('rate_bp', 0, RATE_BP_MAX);
  money(r, 'net_minor');
  money(r, 'tax_minor');
  money(r, 'gross_minor');
}

const rates = (b: Fields, field: string, min: number): void =>
  b.objects(field, SALE_RATES_MAX, min).forEach((r) => rateTotal(r, minor));

function items(b: Fields): void {
  b.objects('items', SALE_LINES_MAX, 1).forEach((it) => {
    it.only(['line', 'quantity']);
    it.int('line', 0, SALE_LINES_MAX - 1);
    it.int('quantity', 1, LINE_QUANTITY_MAX);
  });
}

function sale(s: Fields): void {
  s.only(['pricing', 'rounding', 'service', 'lines', 'discounts', 'by_rate', 'total_minor']);
  s.oneOf('pricing', PRICING_MODES);
  const rounding = s.oneOf('rounding', ROUNDING_MODES);
  s.oneOf('service', SERVICE_MODES);
  s.objects('lines', SALE_LINES_MAX, 1).forEach((l) => {
    l.only([
      'item_id',
      'name',
      'quantity',
      'unit_minor',
      'options',
      'tax_category',
      'rate_id',
      'rate_bp',
      'amount_minor',
      'discount_minor',
      'tax_minor',
    ]);
    l.id('item_id');
    l.text('name', LINE_NAME_LENGTH_MAX);
    l.int('quantity', 1, LINE_QUANTITY_MAX);
    minor(l, 'unit_minor');
    l.objects('options', LINE_OPTIONS_MAX).forEach((o) => {
      o.only(['option_id', 'price_minor']);
      o.id('option_id');
      minor(o, 'price_minor');
    });
    taxId(l, 'tax_category');
    taxId(l, 'rate_id');
    l.int('rate_bp', 0, RATE_BP_MAX);
    minor(l, 'amount_minor');
    minor(l, 'discount_minor');
    if (rounding === 'line') minor(l, 'tax_minor');
    else if (l.has('tax_minor')) l.fail('tax_minor', 'nothing when rounding per receipt');
  });
  s.objects('discounts', SALE_DISCOUNTS_MAX).forEach((d) => {
    d.only(['line', 'kind', 'value', 'amount_minor', 'reason', 'approved_by']);
    if (d.has('line')) d.int('line', 0, SALE_LINES_MAX - 1);
    const kind = d.oneOf('kind', ['percent', 'amount'] as const);
    d.int('value', 1, kind === 'percent' ? RATE_BP_MAX : AMOUNT_MINOR_MAX);
    d.amount('amount_minor');
    d.text('reason', DISCOUNT_REASON_LENGTH_MAX);
    d.id('approved_by');
  });
  rates(s, 'by_rate', 1);
  s.amount('total_minor');
}

function paymentV2(b: Fields): void {
  const v2 = ['tip_minor', 'sale', 'sale_seq', 'items', 'by_rate', 'training'];
  const v1Fields = ['payment_id', 'order_id', 'amount_minor', 'currency', 'method', 'customer_id', 'taken_by'];
  b.only([...v1Fields, 'step_up', ...v2]);
  // The v1 checks of the shared fields, on a view without the v2 ones.
  const shared = b.without(v2);
  checkBodyV1.payment(shared);
  minor(b, 'tip_minor');
  rates(b, 'by_rate', 1);
  if (b.has('sale') === b.has('sale_seq')) b.fail('sale', 'exactly one of sale and sale_seq');
  if (b.has('sale')) sale(b.nested('sale'));
  else b.int('sale_seq', 1, Number.MAX_SAFE_INTEGER);
  if (b.has('items')) items(b);
  training(b);
}

function reversalV2(kind: 'refund' | 'void'): (b: Fields) => void {
  return (b) => {
    const v2 = kind === 'refund' ? ['items', 'by_rate', 'tip_minor', 'training'] : ['by_rate', 'tip_minor', 'training'];
    b.only(['payment_seq', 'amount_minor', 'currency', 'reason', 'approved_by', ...v2]);
    reversal(b.without(v2));
    rates(b, 'by_rate', 0);
    minor(b, 'tip_minor');
    if (b.has('items')) items(b);
    training(b);
  };
}

function dayCloseV2(b: Fields): void {
  const v2 = ['by_rate', 'cash'];
  b.only(['business_day', 'first_seq', 'last_seq', 'entry_count', 'merkle_root', 'totals', 'closed_by', ...v2]);
  const totals = b.objects('totals', DAY_TOTALS_MAX);
  // The v1 checks of everything but the totals' v2 fields.
  checkBodyV1.day_close(b.without(v2).replacing('totals', []));
  totals.forEach((t) => {
    t.only([
      'currency',
      'payment_count',
      'gross_minor',
      'refunds_minor',
      'voids_minor',
      'net_minor',
      'tips_minor',
      'unrated_minor',
    ]);
    t.currency('currency');
    t.int('payment_count', 0, Number.MAX_SAFE_INTEGER);
    t.int('gross_minor', 0, Number.MAX_SAFE_INTEGER);
    t.int('refunds_minor', 0, Number.MAX_SAFE_INTEGER);
    t.int('voids_minor', 0, Number.MAX_SAFE_INTEGER);
    signed(t, 'net_minor');
    signed(t, 'tips_minor');
    signed(t, 'unrated_minor');
  });
  b.objects('by_rate', DAY_RATES_MAX).forEach((r) => {
    rateTotal(r, signed, ['currency']);
    r.currency('currency');
  });
  b.objects('cash', DAY_TOTALS_MAX).forEach((c) => {
    const money = [
      'float_minor',
      'cash_sales_minor',
      'cash_refunds_minor',
      'pay_ins_minor',
      'pay_outs_minor',
      'expected_minor',
      'counted_minor',
      'variance_minor',
      'outside_shifts_minor',
    ];
    c.only(['currency', 'shifts', ...money]);
    c.currency('currency');
    c.int('shifts', 0, Number.MAX_SAFE_INTEGER);
    for (const m of money) signed(c, m);
  });
}

function shiftOpen(b: Fields): void {
  b.only(['opened_by', 'currency', 'float_minor']);
  b.id('opened_by');
  b.currency('currency');
  minor(b, 'float_minor');
}

function cashMove(b: Fields): void {
  b.only(['shift_seq', 'direction', 'amount_minor', 'currency', 'reason', 'by']);
  b.int('shift_seq', 1, Number.MAX_SAFE_INTEGER);
  b.oneOf('direction', ['in', 'out'] as const);
  b.amount('amount_minor');
  b.currency('currency');
  b.text('reason');
  b.id('by');
}

function shiftClose(b: Fields): void {
  const money = [
    'float_minor',
    'cash_sales_minor',
    'cash_refunds_minor',
    'pay_ins_minor',
    'pay_outs_minor',
    'tips_minor',
    'counted_minor',
  ];
  b.only(['shift_seq', 'closed_by', 'currency', 'expected_minor', 'counted', 'variance_minor', ...money]);
  b.int('shift_seq', 1, Number.MAX_SAFE_INTEGER);
  b.id('closed_by');
  b.currency('currency');
  for (const m of money) minor(b, m);
  signed(b, 'expected_minor');
  signed(b, 'variance_minor');
  b.objects('counted', COUNT_DENOMINATIONS_MAX).forEach((c) => {
    c.only(['denomination_minor', 'count']);
    c.int('denomination_minor', 1, AMOUNT_MINOR_MAX);
    c.int('count', 0, CASH_PIECES_MAX);
  });
}

const checks: { [K in EntryKind]: (b: Fields) => void } = {
  payment: paymentV2,
  refund: reversalV2('refund'),
  void: reversalV2('void'),
  day_close: dayCloseV2,
  // Unchanged kinds keep their v1 body in a v2 entry.
  key_rotation: checkBodyV1.key_rotation,
  config: checkBodyV1.config,
  shift_open: shiftOpen,
  cash_move: cashMove,
  shift_close: shiftClose,
};

/** Checks the body of a v2 entry of `kind`; throws LEDGER_ENTRY_INVALID naming the field. */
export function checkBodyV2(kind: EntryKind, b: Fields): void {
  checks[kind](b);
}
