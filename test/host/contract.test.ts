// Proves the API contract refuses bad input at the boundary (every call's schema tried with
// wrong types, out-of-range money and oversized fields), that every channel is unique and has
// a time limit, that each call is written once (its domain's file) and the renderer's zod-free
// table of channels is generated from it, and that the host's own pieces keep their
// invariants: order totals computed from the menu in integer minor units, face templates
// round-tripping through their byte format (and refused when damaged), initials and phone
// digits derived as the screens expect; the staff calls refuse malformed PINs, tokens,
// amounts, reasons and days; entry rows are a union by kind (a payment without its currency,
// a close with an amount are refused).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  api,
  CALL_BY_CHANNEL,
  DayEntry,
  DOMAIN_OF,
  DOMAINS,
  ITEM_OPTIONS_MAX,
  LINE_NOTE_MAX,
  type CallName,
} from '../../electron/contract/api.js';
import { CALLS } from '../../electron/contract/constants.js';
import { CALL_TABLE_PATH, callTableSource } from '../../scripts/gen-call-table.js';
import { DEMO_MENU, OrderBook } from '../../electron/host/orders/orders.js';
import { ApiFault } from '../../electron/host/fault.js';
import {
  CARD_NAME_BYTES_MAX,
  decodeCustomer,
  decodeTemplates,
  encodeTemplates,
  TEMPLATE_DESCRIPTORS_MAX,
} from '../../electron/host/payment/gallery.js';
import { TEMPLATES_PLAIN_BYTES_MAX } from '../../ledger/wire/limits.js';
import { initialsOf, phoneLast4 } from '../../electron/host/payment/customers.js';

test("every call has a unique channel, a time limit, and one domain; the renderer's table is generated from them", () => {
  const names = Object.keys(api) as CallName[];
  assert.equal(CALL_BY_CHANNEL.size, names.length);
  const inDomains = Object.values(DOMAINS).flatMap((calls) => Object.keys(calls));
  assert.deepEqual([...inDomains].sort(), [...names].sort(), 'every call is in exactly one domain');
  assert.equal(new Set(inDomains).size, inDomains.length);
  for (const n of names) {
    assert.ok(api[n].timeout_ms > 0 && api[n].timeout_ms <= 30_000, `${n}: timeout ${api[n].timeout_ms}`);
    assert.ok(n in DOMAINS[DOMAIN_OF.get(n)!], `${n}: routed to the domain it is written in`);
  }
  // The zod-free table the renderer imports is the calls' own channel and time limit, in order.
  assert.deepEqual(
    Object.entries(CALLS),
    names.map((n) => [n, { channel: api[n].channel, timeout_ms: api[n].timeout_ms }]),
  );
  assert.equal(
    readFileSync(CALL_TABLE_PATH, 'utf8'),
    callTableSource(),
    'electron/contract/call-table.ts is out of date: run npm run contract:calls',
  );
});

const TOKEN = 'A'.repeat(43);

test('bad requests are refused by the schemas', () => {
  const bad: [CallName, unknown][] = [
    ['createOrder', { lines: [] }],
    ['createOrder', { lines: [{ item_id: 'ramen', quantity: 1.5 }] }],
    ['createOrder', { lines: [{ item_id: 'ramen', quantity: 100 }] }],
    ['createOrder', { lines: Array.from({ length: 51 }, () => ({ item_id: 'tea', quantity: 1 })) }],
    ['createOrder', { lines: [{ item_id: '../etc', quantity: 1 }] }],
    ['stepUp', { session_id: 's-1', phone_last4: '12a4' }],
    ['stepUp', { session_id: 's-1', phone_last4: '12345' }],
    ['pairApprove', { token: 'A'.repeat(43), code: '12345', pin: '1234', label: 'x' }],
    ['receipt', { seq: 0 }],
    ['receipt', { seq: '1' }],
    [
      'finishEnrolment',
      {
        session_id: 's-1',
        consent: { text_version: 'c', language: 'en', agreed: false },
        display_name: 'A',
        phone: '+49 151 1234',
      },
    ],
    [
      'finishEnrolment',
      {
        session_id: 's-1',
        consent: { text_version: 'c', language: 'fr', agreed: true },
        display_name: 'A',
        phone: '+49 151 1234',
      },
    ],
    [
      'finishEnrolment',
      {
        session_id: 's-1',
        consent: { text_version: 'c', language: 'en', agreed: true },
        display_name: 'x'.repeat(61),
        phone: '+49 151 1234',
      },
    ],
    ['getOrder', { order_id: 'x'.repeat(65) }],
    // Staff calls: PINs are digits, tokens are bounded, money is a positive integer, reasons are required.
    ['staffSignIn', { staff_id: 'ana', pin: '12a4' }],
    ['staffSignIn', { staff_id: 'ana', pin: '123456789' }],
    ['staffSignIn', { staff_id: 'Ana Admin', pin: '7391' }],
    ['dayEntries', {}],
    ['dayEntries', { token: 'x'.repeat(129) }],
    ['refund', { token: TOKEN, payment_seq: 1, amount_minor: 0, reason: 'r' }],
    ['refund', { token: TOKEN, payment_seq: 1, amount_minor: 10.5, reason: 'r' }],
    ['refund', { token: TOKEN, payment_seq: 1, amount_minor: 100, reason: '   ' }],
    ['refund', { token: TOKEN, payment_seq: 1, amount_minor: 100, reason: 'x'.repeat(501) }],
    ['refund', { token: TOKEN, payment_seq: 0, amount_minor: 100, reason: 'r' }],
    ['voidPayment', { token: TOKEN, payment_seq: 1 }],
    ['payOrder', { token: TOKEN, order_id: 'o-1', method: 'face' }],
    ['closeDay', { token: TOKEN, business_day: '21.11.2026' }],
    ['exportDay', { token: TOKEN, business_day: '2026-11-21', format: 'xlsx' }],
  ];
  for (const [name, req] of bad)
    assert.equal(
      api[name].request.safeParse(req).success,
      false,
      `${name} accepted ${JSON.stringify(req).slice(0, 80)}`,
    );
  assert.equal(api.createOrder.request.safeParse({ lines: [{ item_id: 'ramen', quantity: 2 }] }).success, true);
  assert.equal(
    api.refund.request.safeParse({ token: TOKEN, payment_seq: 1, amount_minor: 100, reason: 'cold' }).success,
    true,
  );
});

test('entry rows are a union by kind: each kind has the values it always has, and no others', () => {
  const at = { seq: 7, created_at_ms: 1_700_000_000_000 };
  const none = {
    amount_minor: null,
    currency: null,
    method: null,
    order_id: null,
    payment_seq: null,
    refundable_minor: null,
    settlement: null,
  };
  const payment = {
    ...at,
    kind: 'payment',
    amount_minor: 1_290,
    currency: 'EUR',
    method: 'cash',
    order_id: 'o-1',
    payment_seq: null,
    refundable_minor: 1_290,
    actor: 'cashier:bo',
    reason: null,
    settlement: 'recorded',
  };
  const refund = {
    ...at,
    ...none,
    kind: 'refund',
    amount_minor: 500,
    currency: 'EUR',
    payment_seq: 6,
    actor: 'manager:ana',
    reason: 'cold',
  };
  const close = { ...at, ...none, kind: 'day_close', actor: 'manager:ana', reason: 'close of 2026-11-21' };
  for (const row of [payment, refund, close, { ...payment, actor: null, method: 'face' }])
    assert.equal(DayEntry.safeParse(row).success, true, JSON.stringify(row));
  const bad: unknown[] = [
    { ...payment, currency: null }, // a payment always has its currency
    { ...payment, refundable_minor: null },
    { ...payment, settlement: null },
    { ...refund, payment_seq: null }, // a refund always names its payment
    { ...refund, reason: null },
    { ...close, amount_minor: 100 }, // a close moves no money
    { ...close, kind: 'lunch' },
  ];
  for (const row of bad) assert.equal(DayEntry.safeParse(row).success, false, JSON.stringify(row));
  // The answers that name one kind say so: a counter payment, a refund or a void.
  assert.equal(api.payOrder.response.shape.entry.safeParse(refund).success, false);
  assert.equal(api.refund.response.safeParse({ entry: payment, approved_by: 'manager:ana' }).success, false);
});

test('order totals come from the menu, in integer minor units; unknown items are refused', () => {
  const book = new OrderBook(DEMO_MENU, 'EUR', () => 1_700_000_000_000);
  const o = book.create([
    { item_id: 'ramen', quantity: 2 },
    { item_id: 'tea', quantity: 3 },
  ]);
  assert.equal(o.total_minor, 2 * 1_290 + 3 * 290);
  assert.ok(Number.isSafeInteger(o.total_minor));
  assert.equal(book.current()?.order_id, o.order_id);
  assert.throws(
    () => book.create([{ item_id: 'caviar', quantity: 1 }]),
    (e: unknown) => e instanceof ApiFault && e.code === 'MENU_ITEM_UNKNOWN',
  );
  book.markPaid(o.order_id, 7);
  assert.equal(book.current(), null);
});

test('options add their prices to the line; a line keeps its note; unknown or repeated options are refused', () => {
  const book = new OrderBook(DEMO_MENU, 'EUR', () => 1_700_000_000_000);
  const o = book.create([
    { item_id: 'ramen', quantity: 2, options: ['egg', 'chashu', 'no-onion'], note: '  extra hot  ' },
    { item_id: 'ramen', quantity: 1 },
  ]);
  assert.equal(o.lines[0]!.unit_minor, 1_290 + 150 + 300 + 0);
  assert.equal(o.lines[0]!.line_minor, 2 * (1_290 + 150 + 300));
  assert.deepEqual(
    o.lines[0]!.options.map((x) => x.option_id),
    ['egg', 'chashu', 'no-onion'],
  );
  assert.equal(o.lines[0]!.note, 'extra hot');
  assert.equal(o.lines[1]!.note, null);
  assert.equal(o.total_minor, 2 * (1_290 + 150 + 300) + 1_290);
  const before = book.list().length;
  assert.throws(
    () => book.create([{ item_id: 'tea', quantity: 1, options: ['egg'] }]),
    (e: unknown) =>
      e instanceof ApiFault &&
      e.code === 'MENU_OPTION_UNKNOWN' &&
      /tea has no option "egg" \(it has iced\)/.test(e.message),
  );
  assert.throws(
    () => book.create([{ item_id: 'ramen', quantity: 1, options: ['egg', 'egg'] }]),
    (e: unknown) => e instanceof ApiFault && e.code === 'MENU_OPTION_UNKNOWN' && /chosen twice/.test(e.message),
  );
  assert.equal(book.list().length, before, 'a refused order adds nothing');
  assert.throws(
    () => new OrderBook([{ ...DEMO_MENU[0]!, category_id: 'soup' }], 'EUR'),
    /category soup is not on the menu/,
  );
  assert.equal(
    api.createOrder.request.safeParse({
      lines: [{ item_id: 'ramen', quantity: 1, note: 'x'.repeat(LINE_NOTE_MAX + 1) }],
    }).success,
    false,
  );
  assert.equal(
    api.createOrder.request.safeParse({
      lines: [
        { item_id: 'ramen', quantity: 1, options: Array.from({ length: ITEM_OPTIONS_MAX + 1 }, (_, i) => `o${i}`) },
      ],
    }).success,
    false,
  );
});

test('face templates round-trip through their byte format and are refused when damaged', () => {
  const ds = Array.from({ length: 3 }, (_, k) =>
    Array.from({ length: 128 }, (_, i) => Math.fround(Math.sin(i + k) / 10)),
  );
  const bytes = encodeTemplates(ds);
  assert.deepEqual(decodeTemplates(bytes), ds);
  assert.throws(() => decodeTemplates(bytes.subarray(0, bytes.length - 4)), /do not hold/);
  const wrongMagic = Uint8Array.from(bytes);
  wrongMagic[0] = 0;
  assert.throws(() => decodeTemplates(wrongMagic), /STT1 or STT2/);
  // With the card: the step-up digits and the name travel with the face to every kiosk.
  const carded = encodeTemplates(ds, { phone_last4: '0042', display_name: '  李 小龙 ' });
  assert.deepEqual(decodeCustomer(carded), { descriptors: ds, card: { phone_last4: '0042', display_name: '李 小龙' } });
  assert.deepEqual(decodeCustomer(bytes), { descriptors: ds, card: null });
  assert.throws(() => decodeCustomer(carded.subarray(0, carded.length - 1)), /do not hold 3 descriptors and a card/);
  const long = decodeCustomer(encodeTemplates(ds, { phone_last4: '1234', display_name: '名'.repeat(100) })).card!
    .display_name;
  assert.equal(long, '名'.repeat(Math.floor(CARD_NAME_BYTES_MAX / 3)), 'a long name is cut at a character boundary');
  assert.throws(() => encodeTemplates(ds, { phone_last4: '12a4', display_name: 'X' }), /last 4 digits/);
  assert.throws(() => encodeTemplates(ds, { phone_last4: '1234', display_name: '  ' }), /display name/);
  assert.ok(
    encodeTemplates(
      Array.from({ length: TEMPLATE_DESCRIPTORS_MAX }, () => ds[0]!),
      { phone_last4: '1234', display_name: 'x'.repeat(500) },
    ).length <= TEMPLATES_PLAIN_BYTES_MAX,
    "the most descriptors and the longest card fit the server's bound",
  );
  assert.throws(() => encodeTemplates([]), /1\.\./);
  assert.throws(
    () => encodeTemplates(Array.from({ length: TEMPLATE_DESCRIPTORS_MAX + 1 }, () => ds[0]!)),
    /descriptors/,
  );
});

test('initials and phone digits', () => {
  assert.equal(initialsOf('Daniel Ortiz'), 'D.O.');
  assert.equal(initialsOf('  李 小龙 '), '李.小.');
  assert.equal(phoneLast4('+49 151 5550 0042'), '0042');
  assert.equal(phoneLast4('12 34'), null);
});
