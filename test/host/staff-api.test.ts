// Proves the cashier's and manager's calls through the kiosk's real HTTP + WebSocket transport,
// with a real ledger, a real staff directory and the embedded demo settlement server: the demo
// store makes a manager and a cashier; sign-in works and five wrong PINs lock a member out;
// counter payments, refunds and voids record who took or approved them; a cashier's refund
// above the limit is refused and a manager's accepted; a cashier cannot close or export a day;
// the Z report's totals equal the sum of the day's entries, `ledger verify` passes afterwards,
// and the CSV export parses back to the same seqs and amounts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../electron/config.js';
import { createLogger } from '../../electron/log.js';
import { openDemoKiosk, type DemoKiosk } from '../../scripts/demo-store.js';
import type { ApiResult, DayEntry } from '../../electron/contract/api.js';
import { CSV_COLUMNS } from '../../ledger/cli/export.js';
import { LedgerReader } from '../../ledger/store/reader.js';
import { verifyLedger } from '../../ledger/verify/verify.js';
import { SIGN_IN_FAILURES_MAX } from '../../electron/host/staff/directory.js';
import { pairWithLink, WsClient } from '../helpers/kiosk-client.js';

let dir: string;
let kiosk: DemoKiosk;
let client: WsClient;
const REFUND_CASHIER_MAX_MINOR = 2_000;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smile-staff-'));
  const config = loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0' } });
  assert.equal(
    config.limits.refund_cashier_max_minor,
    REFUND_CASHIER_MAX_MINOR,
    'the default limit this test is written against',
  );
  kiosk = await openDemoKiosk({
    config,
    log: createLogger({ level: process.env.SMILE_TEST_LOG ?? 'silent' }),
    demoPeople: [],
    syncPollMs: 100,
  });
  client = await WsClient.connect(kiosk.http!.url, { cookie: await pairWithLink(kiosk.pairingLink()) });
});

after(async () => {
  client?.close();
  await kiosk?.close();
  rmSync(dir, { recursive: true, force: true });
});

function code<T>(r: ApiResult<T>): string {
  return r.ok ? 'ok' : r.error.code;
}

async function signIn(who: 'manager' | 'cashier'): Promise<string> {
  const s = kiosk.demoStaff![who];
  const session = await client.ok('staffSignIn', { staff_id: s.staff_id, pin: s.pin });
  assert.equal(session.role, who);
  return session.token;
}

test('the demo store makes a manager and a cashier; sign-in, sign-out and lock-out work through the API', async () => {
  assert.ok(kiosk.demoStaff, 'a first start of the demo store makes its staff');
  // Before sign-in the list names who may sign in; their roles only to a signed-in member.
  const { staff } = await client.ok('staffList', {});
  assert.deepEqual(
    staff.map((m) => [m.staff_id, m.role]),
    [
      ['ana', null],
      ['bo', null],
    ],
  );
  const { staff: withRoles } = await client.ok('staffList', { token: await signIn('cashier') });
  assert.deepEqual(
    withRoles.map((m) => [m.staff_id, m.role]),
    [
      ['ana', 'manager'],
      ['bo', 'cashier'],
    ],
  );

  // A third member to lock out, added by the manager (the demo pair stay usable for the rest).
  const ana = await kiosk.staff.signIn('ana', kiosk.demoStaff.manager.pin);
  await kiosk.staff.add({ staff_id: 'cy', display_name: 'Cy', role: 'cashier' }, '5083', ana);
  const wrong = kiosk.demoStaff.manager.pin === '9071' ? '9072' : '9071';
  for (let i = 1; i < SIGN_IN_FAILURES_MAX; i++)
    assert.equal(code(await client.call('staffSignIn', { staff_id: 'cy', pin: wrong })), 'STAFF_PIN_WRONG');
  assert.equal(code(await client.call('staffSignIn', { staff_id: 'cy', pin: wrong })), 'STAFF_LOCKED');
  const locked = await client.call('staffSignIn', { staff_id: 'cy', pin: '5083' });
  assert.equal(code(locked), 'STAFF_LOCKED', 'the right PIN too, while locked');
  assert.match(!locked.ok ? locked.error.message : '', /locked out/);
  assert.equal(code(await client.call('staffSignIn', { staff_id: 'nobody', pin: '5083' })), 'STAFF_UNKNOWN');
  assert.equal(code(await client.call('staffSignIn', { staff_id: 'cy', pin: 'abcd' })), 'API_BAD_REQUEST');

  const token = await signIn('cashier');
  assert.equal(code(await client.call('dayEntries', { token })), 'ok');
  await client.ok('staffSignOut', { token });
  assert.equal(code(await client.call('dayEntries', { token })), 'STAFF_SESSION_INVALID', 'signed out');
  assert.equal(
    code(await client.call('dayEntries', { token: 'A'.repeat(43) })),
    'STAFF_SESSION_INVALID',
    'a forged token',
  );
});

test('counter payments, refunds and voids record who approved them; above the limit only a manager; a cashier cannot close the day', async () => {
  const bo = await signIn('cashier');
  const ana = await signIn('manager');

  const first = await client.ok('createOrder', {
    lines: [
      { item_id: 'ramen', quantity: 1 },
      { item_id: 'tea', quantity: 1 },
    ],
  });
  const cash = await client.ok('payOrder', { token: bo, order_id: first.order_id, method: 'cash' });
  assert.equal(cash.order.status, 'paid');
  assert.equal(cash.order.paid_seq, cash.entry.seq);
  assert.deepEqual(
    [cash.entry.kind, cash.entry.method, cash.entry.amount_minor, cash.entry.actor],
    ['payment', 'cash', 1_580, 'cashier:bo'],
  );
  assert.equal(
    code(await client.call('payOrder', { token: bo, order_id: first.order_id, method: 'card' })),
    'ORDER_NOT_OPEN',
    'paid once only',
  );

  const second = await client.ok('createOrder', { lines: [{ item_id: 'ramen', quantity: 3 }] });
  const card = await client.ok('payOrder', { token: ana, order_id: second.order_id, method: 'card' });
  assert.equal(card.entry.actor, 'manager:ana');

  // Under the limit a cashier refunds alone.
  const small = await client.ok('refund', {
    token: bo,
    payment_seq: cash.entry.seq,
    amount_minor: 500,
    reason: 'cold ramen',
  });
  assert.equal(small.approved_by, 'cashier:bo');
  assert.deepEqual(
    [small.entry.kind, small.entry.amount_minor, small.entry.payment_seq],
    ['refund', 500, cash.entry.seq],
  );
  // Above it the cashier is refused with a code that says a manager must approve.
  const big = await client.call('refund', {
    token: bo,
    payment_seq: card.entry.seq,
    amount_minor: REFUND_CASHIER_MAX_MINOR + 500,
    reason: 'wrong order',
  });
  assert.equal(code(big), 'STAFF_NEEDS_MANAGER');
  assert.match(!big.ok ? big.error.message : '', /manager/);
  const approved = await client.ok('refund', {
    token: ana,
    payment_seq: card.entry.seq,
    amount_minor: REFUND_CASHIER_MAX_MINOR + 500,
    reason: 'wrong order',
  });
  assert.equal(approved.approved_by, 'manager:ana');
  assert.equal(
    code(
      await client.call('refund', { token: ana, payment_seq: card.entry.seq, amount_minor: 3_870, reason: 'again' }),
    ),
    'REFUND_EXCEEDS_PAYMENT',
  );
  assert.equal(
    code(
      await client.call('refund', {
        token: bo,
        payment_seq: small.entry.seq,
        amount_minor: 1,
        reason: 'not a payment',
      }),
    ),
    'PAYMENT_NOT_FOUND',
  );
  assert.equal(
    code(await client.call('refund', { token: bo, payment_seq: cash.entry.seq, amount_minor: 0, reason: 'nothing' })),
    'API_BAD_REQUEST',
  );
  assert.equal(
    code(
      await client.call('refund', { token: bo, payment_seq: cash.entry.seq, amount_minor: 10.5, reason: 'a float' }),
    ),
    'API_BAD_REQUEST',
  );

  // A void cancels what is left (1,580 - 500), under the cashier's limit.
  const voided = await client.ok('voidPayment', { token: bo, payment_seq: cash.entry.seq, reason: 'customer left' });
  assert.deepEqual([voided.entry.kind, voided.entry.amount_minor, voided.approved_by], ['void', 1_080, 'cashier:bo']);
  assert.equal(
    code(await client.call('voidPayment', { token: bo, payment_seq: cash.entry.seq, reason: 'twice' })),
    'PAYMENT_ALREADY_REVERSED',
  );

  const day = await client.ok('dayEntries', { token: bo });
  assert.deepEqual(
    day.entries.map((e) => e.seq),
    [voided.entry.seq, approved.entry.seq, small.entry.seq, card.entry.seq, cash.entry.seq],
    'newest first',
  );
  const cardView = day.entries.find((e) => e.seq === card.entry.seq)!;
  assert.equal(cardView.refundable_minor, 3_870 - 2_500);
  assert.equal(day.entries.find((e) => e.seq === cash.entry.seq)!.refundable_minor, 0);

  // The sync worker takes the counter payments to the demo server, whose receipts record them
  // (cash and card move no wallet money, so "recorded", not "settled").
  assert.ok(
    day.entries
      .filter((e) => e.kind === 'payment')
      .every((e) => e.settlement === 'pending' || e.settlement === 'recorded'),
  );
  let receipted: DayEntry[] = [];
  for (let i = 0; i < 100; i++) {
    receipted = (await client.ok('dayEntries', { token: bo })).entries.filter(
      (e) => e.kind === 'payment' && e.settlement === 'recorded',
    );
    if (receipted.length === 2) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(receipted.length, 2, 'both counter payments receipted by the server');

  // Every manager-only call refuses a cashier's session.
  assert.equal(code(await client.call('closeDay', { token: bo })), 'STAFF_FORBIDDEN');
  assert.equal(
    code(await client.call('exportDay', { token: bo, business_day: day.business_day, format: 'csv' })),
    'STAFF_FORBIDDEN',
  );
  assert.equal((await client.ok('dayEntries', { token: bo })).entries[0]!.kind, 'void', 'the refusals wrote nothing');
});

test('the Z report totals the day, the ledger verifies after the close, and the CSV export round-trips', async () => {
  const ana = await signIn('manager');
  const before = await client.ok('dayEntries', { token: ana });
  assert.equal(before.truncated, false);
  const z = await client.ok('closeDay', { token: ana });

  // The report's totals are the sums of the day's entries, per currency.
  const sums = new Map<
    string,
    { payment_count: number; gross_minor: number; refunds_minor: number; voids_minor: number }
  >();
  for (const e of before.entries) {
    if (e.currency === null || e.amount_minor === null) continue;
    const t = sums.get(e.currency) ?? { payment_count: 0, gross_minor: 0, refunds_minor: 0, voids_minor: 0 };
    if (e.kind === 'payment') {
      t.payment_count += 1;
      t.gross_minor += e.amount_minor;
    }
    if (e.kind === 'refund') t.refunds_minor += e.amount_minor;
    if (e.kind === 'void') t.voids_minor += e.amount_minor;
    sums.set(e.currency, t);
  }
  // A day of sales (v2 payments) closes with its tips and with nothing left without a rate.
  assert.deepEqual(
    z.totals,
    [...sums].map(([currency, t]) => ({
      currency,
      ...t,
      net_minor: t.gross_minor - t.refunds_minor - t.voids_minor,
      tips_minor: 0,
      unrated_minor: 0,
    })),
  );
  assert.equal(z.totals[0]!.net_minor, 1_580 + 3_870 - 500 - 2_500 - 1_080);
  assert.equal(
    z.by_rate.reduce((s, r) => s + r.gross_minor, 0),
    z.totals[0]!.net_minor,
    'the rates sum to the day',
  );
  assert.deepEqual(
    [z.first_seq, z.last_seq, z.entry_count, z.day_close_seq],
    [before.first_seq, z.day_close_seq - 1, before.entries.length, before.entries[0]!.seq + 1],
  );
  assert.equal(z.closed_by, 'manager:ana');
  assert.equal(z.business_day, before.business_day);
  const reader = new LedgerReader(join(dir, 'ledger.db'));
  assert.equal(z.signer_public_key, reader.keys[0]!.public_key);
  assert.equal(z.entry_hash, [...reader.range(z.day_close_seq, z.day_close_seq)][0]!.entry_hash);
  reader.close();

  const report = await verifyLedger(join(dir, 'ledger.db'), { workers: 1 });
  assert.equal(report.ok, true, JSON.stringify(report.fault));
  assert.equal(report.days_closed, 1);
  assert.equal(code(await client.call('closeDay', { token: ana })), 'DAY_ALREADY_CLOSED', 'one close per business day');
  assert.equal(code(await client.call('closeDay', { token: ana, business_day: '2999-01-01' })), 'DAY_INVALID');
  assert.equal((await client.ok('dayEntries', { token: ana })).entries.length, 0, 'a new day starts empty');

  // CSV back to rows: the same seqs and amounts as the ledger's day.
  const csv = await client.ok('exportDay', { token: ana, business_day: z.business_day, format: 'csv' });
  const [header, ...rows] = parseCsv(csv.content);
  assert.deepEqual(header, [...CSV_COLUMNS]);
  const col = (name: (typeof CSV_COLUMNS)[number]) => header!.indexOf(name);
  assert.deepEqual(
    rows.map((r) => Number(r[col('seq')])),
    [...before.entries.map((e) => e.seq).reverse(), z.day_close_seq],
  );
  assert.deepEqual(
    rows.slice(0, -1).map((r) => [r[col('kind')], Number(r[col('amount_minor')]), r[col('currency')], r[col('actor')]]),
    [...before.entries].reverse().map((e) => [e.kind, e.amount_minor, e.currency, e.actor ?? '']),
  );
  assert.equal(rows[rows.length - 1]![col('actor')], 'manager:ana');
  const json = await client.ok('exportDay', { token: ana, business_day: z.business_day, format: 'json' });
  const parsed = JSON.parse(json.content) as { closed: boolean; entries: { entry: { seq: number } }[] };
  assert.equal(parsed.closed, true);
  assert.deepEqual(
    parsed.entries.map((e) => e.entry.seq),
    rows.map((r) => Number(r[col('seq')])),
  );
});

/** RFC 4180: quoted cells with doubled quotes, CRLF line ends. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  assert.equal(cell + row.join(''), '', 'the CSV ends with a line end');
  return rows;
}

test('a manager changes a limit within its range, signed into the ledger as a config entry; a cashier only reads', async () => {
  const bo = await signIn('cashier');
  const ana = await signIn('manager');
  const { settings } = await client.ok('settings', { token: bo });
  const refundLimit = settings.find((s) => s.key === 'refund_cashier_max_minor')!;
  assert.equal(refundLimit.value, REFUND_CASHIER_MAX_MINOR);
  assert.equal(
    code(
      await client.call('setSetting', { token: bo, key: 'refund_cashier_max_minor', value: 9_000, reason: 'busy day' }),
    ),
    'STAFF_FORBIDDEN',
  );
  const ledgerCount = (): number => {
    const r = new LedgerReader(join(dir, 'ledger.db'));
    try {
      return r.db.prepare('SELECT count(*) FROM entries').pluck().get() as number;
    } finally {
      r.close();
    }
  };
  const before = ledgerCount();
  for (const [key, value] of [
    ['refund_cashier_max_minor', refundLimit.max + 1],
    ['no_such_limit', 1],
    ['offline_payment_max_minor', 600_000],
  ] as const) {
    assert.equal(
      code(await client.call('setSetting', { token: ana, key, value, reason: 'try' })),
      'API_BAD_REQUEST',
      `${key} = ${value}`,
    );
  }
  assert.equal(ledgerCount(), before, 'refused changes write nothing');
  const changed = await client.ok('setSetting', {
    token: ana,
    key: 'refund_cashier_max_minor',
    value: 9_000,
    reason: 'busy day',
  });
  assert.deepEqual(
    [changed.previous, changed.value, changed.changed_by],
    [REFUND_CASHIER_MAX_MINOR, 9_000, 'manager:ana'],
  );
  const reader = new LedgerReader(join(dir, 'ledger.db'));
  const entry = [...reader.range(changed.seq, changed.seq)][0]!.entry;
  reader.close();
  assert.equal(entry.kind, 'config');
  assert.deepEqual(entry.kind === 'config' && entry.body, {
    key: 'refund_cashier_max_minor',
    value: 9_000,
    previous: REFUND_CASHIER_MAX_MINOR,
    changed_by: 'manager:ana',
    reason: 'busy day',
  });
  // The new limit applies at once: a cashier now refunds what needed a manager before.
  const order = await client.ok('createOrder', { lines: [{ item_id: 'ramen', quantity: 3 }] });
  const paid = await client.ok('payOrder', { token: bo, order_id: order.order_id, method: 'card' });
  const refund = await client.ok('refund', {
    token: bo,
    payment_seq: paid.entry.seq,
    amount_minor: REFUND_CASHIER_MAX_MINOR + 500,
    reason: 'wrong order',
  });
  assert.equal(refund.approved_by, 'cashier:bo');
  assert.equal(
    (await client.ok('settings', { token: bo })).settings.find((s) => s.key === 'refund_cashier_max_minor')!.value,
    9_000,
  );
});
