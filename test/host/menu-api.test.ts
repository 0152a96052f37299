// Proves the menu as data through the kiosk's real HTTP + WebSocket transport, a real ledger and
// the embedded demo settlement server: the demo menu seeds it and is written out as signed config
// entries with the first change; a manager adds, changes and retires categories, items and
// options (each one signed config entry with who and why), a cashier or an unsigned screen may
// not; every bad input is refused with its code and writes nothing; an item 86'd by a cashier is
// pushed to an unsigned screen at once, shown as out of stock and refused on an order until it is
// back; a price change leaves an order already placed, and its signed sale, at the old price; and
// after a restart the menu is the ledger's, and `ledger verify` passes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../electron/config.js';
import { createLogger } from '../../electron/log.js';
import { openDemoKiosk, type DemoKiosk } from '../../scripts/demo-store.js';
import type { ApiResult, MenuChange } from '../../electron/contract/api.js';
import { LedgerReader } from '../../ledger/store/reader.js';
import { verifyLedger } from '../../ledger/verify/verify.js';
import { WsClient } from '../helpers/kiosk-client.js';

let dir: string;
let kiosk: DemoKiosk;
let client: WsClient;
/** A screen nobody signed in on: it may read the menu and hears its pushes. */
let board: WsClient;
let bo: string;
let ana: string;
let staffPins: NonNullable<DemoKiosk['demoStaff']> | undefined;

const open = async (): Promise<void> => {
  const config = loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0', SMILE_TIMEZONE: 'Europe/Berlin' } });
  kiosk = await openDemoKiosk({
    config,
    log: createLogger({ level: process.env.SMILE_TEST_LOG ?? 'silent' }),
    demoPeople: [],
    syncPollMs: 100,
  });
  client = await WsClient.connect(kiosk.http!.url);
  board = await WsClient.connect(kiosk.http!.url);
  // The demo staff are made at the first start only: the same members sign in after a restart.
  staffPins ??= kiosk.demoStaff!;
  const s = staffPins;
  bo = (await client.ok('staffSignIn', { staff_id: s.cashier.staff_id, pin: s.cashier.pin })).token;
  ana = (await client.ok('staffSignIn', { staff_id: s.manager.staff_id, pin: s.manager.pin })).token;
};
const close = async (): Promise<void> => {
  client?.close();
  board?.close();
  await kiosk?.close();
};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smile-menu-'));
  await open();
});

after(async () => {
  await close();
  rmSync(dir, { recursive: true, force: true });
});

const code = <T>(r: ApiResult<T>): string => (r.ok ? 'ok' : r.error.code);

/** The ledger's config entries for the menu, oldest first. */
function menuEntries(): { seq: number; key: string; value: unknown; changed_by: string; reason?: string }[] {
  const reader = new LedgerReader(join(dir, 'ledger.db'));
  try {
    const out = [];
    for (const { entry } of reader.range(1, Number.MAX_SAFE_INTEGER))
      if (entry.kind === 'config' && entry.body.key.startsWith('menu.')) out.push({ seq: entry.seq, ...entry.body });
    return out;
  } finally {
    reader.close();
  }
}

const name = (en: string) => ({ en, de: `${en} (de)`, zh: `${en}（中）` });
const change = (c: MenuChange, token = ana) => client.call('menuChange', { token, change: c, reason: 'the new menu' });
const soup = {
  kind: 'item' as const,
  op: 'add' as const,
  item_id: 'miso',
  category_id: 'soups',
  name: name('Miso soup'),
  price_minor: 350,
  tax_category: 'food',
  retired: false,
};

/** The call's refusal code, and that it wrote no menu entry. */
async function refused(call: () => Promise<ApiResult<unknown>>): Promise<string> {
  const before = menuEntries().length;
  const c = code(await call());
  assert.equal(menuEntries().length, before, `${c}: nothing written`);
  return c;
}

test('the demo menu is the menu until the first change, which writes it out as entries with the change, signed with who and why', async () => {
  const menu = await board.ok('menu', {});
  assert.deepEqual(
    menu.items.map((i) => i.item_id),
    ['ramen', 'gyoza', 'edamame', 'tea', 'mochi'],
  );
  assert.equal(menuEntries().length, 0, 'no entries before the first change');
  const r = await client.ok('menuChange', {
    token: ana,
    change: { kind: 'category', op: 'add', category_id: 'soups', name: name('Soups'), retired: false },
    reason: 'winter menu',
  });
  assert.equal(r.changed_by, 'manager:ana');
  const written = menuEntries();
  // 4 categories, 5 items, 6 options, the seed's marker, then the change itself.
  assert.equal(written.length, 4 + 5 + 6 + 1 + 1);
  assert.equal(written.at(-1)!.seq, r.seq);
  assert.deepEqual(
    [written.at(-1)!.key, written.at(-1)!.changed_by, written.at(-1)!.reason],
    ['menu.category.soups', 'manager:ana', 'winter menu'],
  );
  assert.equal(written.at(-2)!.key, 'menu.seeded');
  await board.until(() => board.menuPushes.at(-1), 2_000, 'menu push');
});

test('a manager adds an item and an option and changes a price; a cashier and an unsigned screen may not', async () => {
  const item = await client.ok('menuChange', { token: ana, change: soup, reason: 'winter menu' });
  assert.ok(item.menu.items.some((i) => i.item_id === 'miso' && i.price_minor === 350));
  await client.ok('menuChange', {
    token: ana,
    change: {
      kind: 'option',
      op: 'add',
      item_id: 'miso',
      option_id: 'tofu',
      name: name('Extra tofu'),
      price_minor: 120,
      retired: false,
    },
    reason: 'winter menu',
  });
  const menu = await board.ok('menu', {});
  const miso = menu.items.find((i) => i.item_id === 'miso')!;
  assert.deepEqual(
    miso.options.map((o) => [o.option_id, o.price_minor]),
    [['tofu', 120]],
  );
  assert.equal(miso.tax_category, 'food');
  assert.equal(await refused(() => change({ ...soup, op: 'change', price_minor: 400 }, bo)), 'STAFF_FORBIDDEN');
  assert.equal(
    await refused(() => change({ ...soup, op: 'change', price_minor: 400 }, 'A'.repeat(43))),
    'STAFF_SESSION_INVALID',
  );
  assert.equal(code(await board.call('menuEditor', { token: 'A'.repeat(43) })), 'STAFF_SESSION_INVALID');
  assert.equal(code(await client.call('menuEditor', { token: bo })), 'STAFF_FORBIDDEN');
  const editor = await client.ok('menuEditor', { token: ana });
  assert.deepEqual(editor.tax_categories, ['food', 'drinks']);
});

test('bad input is refused with its code and writes nothing', async () => {
  const cat = (over: object) =>
    change({
      kind: 'category',
      op: 'add',
      category_id: 'specials',
      name: name('Specials'),
      retired: false,
      ...over,
    } as MenuChange);
  const item = (over: object) => change({ ...soup, op: 'add', item_id: 'udon', ...over } as MenuChange);
  const option = (over: object) =>
    change({
      kind: 'option',
      op: 'add',
      item_id: 'ramen',
      option_id: 'nori',
      name: name('Nori'),
      price_minor: 50,
      retired: false,
      ...over,
    } as MenuChange);
  assert.equal(await refused(() => cat({ name: { en: '  ', de: 'x', zh: 'x' } })), 'MENU_NAME_INVALID');
  assert.equal(await refused(() => cat({ name: name('x'.repeat(49)) })), 'MENU_NAME_INVALID');
  assert.equal(await refused(() => cat({ name: { en: 'two\nlines', de: '', zh: '' } })), 'MENU_NAME_INVALID');
  assert.equal(await refused(() => cat({ category_id: 'soups' })), 'MENU_ID_TAKEN');
  assert.equal(await refused(() => cat({ category_id: 'a.b' })), 'MENU_ID_INVALID');
  assert.equal(await refused(() => cat({ category_id: 'x'.repeat(25) })), 'MENU_ID_INVALID');
  assert.equal(await refused(() => cat({ op: 'change', category_id: 'nope' })), 'MENU_CATEGORY_UNKNOWN');
  assert.equal(
    await refused(() => cat({ op: 'change', category_id: 'mains', name: name('Mains'), retired: true })),
    'MENU_CATEGORY_IN_USE',
  );
  assert.equal(await refused(() => item({ price_minor: -1 })), 'MENU_PRICE_INVALID');
  assert.equal(await refused(() => item({ price_minor: 0 })), 'MENU_PRICE_INVALID');
  assert.equal(await refused(() => item({ price_minor: 1_000_001 })), 'MENU_PRICE_INVALID');
  assert.equal(await refused(() => item({ price_minor: 2 ** 53 })), 'API_BAD_REQUEST');
  assert.equal(await refused(() => item({ item_id: 'ramen' })), 'MENU_ID_TAKEN');
  assert.equal(await refused(() => item({ tax_category: 'luxury' })), 'TAX_CATEGORY_UNKNOWN');
  assert.equal(await refused(() => item({ category_id: 'nope' })), 'MENU_CATEGORY_UNKNOWN');
  assert.equal(await refused(() => item({ op: 'change', item_id: 'nope' })), 'MENU_ITEM_UNKNOWN');
  assert.equal(await refused(() => option({ option_id: 'egg' })), 'MENU_ID_TAKEN');
  assert.equal(await refused(() => option({ price_minor: -5 })), 'MENU_PRICE_INVALID');
  assert.equal(await refused(() => option({ item_id: 'nope' })), 'MENU_ITEM_UNKNOWN');
  assert.equal(await refused(() => option({ op: 'change' })), 'MENU_OPTION_UNKNOWN');
  assert.equal(await refused(() => change({ ...soup, op: 'change' })), 'MENU_UNCHANGED');
  assert.equal(
    await refused(() => client.call('menuChange', { token: ana, change: soup, reason: ' ' })),
    'API_BAD_REQUEST',
  );
  // An option on a retired item: the item retired first (a written change), then refused.
  await client.ok('menuChange', {
    token: ana,
    change: { ...soup, op: 'change', retired: true },
    reason: 'off the menu',
  });
  assert.ok(!(await board.ok('menu', {})).items.some((i) => i.item_id === 'miso'), 'retired: off the customer menu');
  const onRetired = {
    kind: 'option',
    op: 'add',
    item_id: 'miso',
    option_id: 'nori',
    name: name('Nori'),
    price_minor: 50,
    retired: false,
  } as const;
  assert.equal(await refused(() => change(onRetired)), 'MENU_ITEM_RETIRED');
  assert.equal(
    await refused(() => client.call('menuStock', { token: bo, item_id: 'miso', in_stock: false })),
    'MENU_ITEM_RETIRED',
  );
  assert.equal(
    code(await client.call('sendOrder', { token: bo, lines: [{ item_id: 'miso', quantity: 1 }] })),
    'MENU_ITEM_UNKNOWN',
  );
});

test('the menu is bounded: at most 20 live categories and 8 live options an item', async () => {
  const live = (await board.ok('menu', {})).categories.length;
  for (let i = live; i < 20; i++)
    await client.ok('menuChange', {
      token: ana,
      change: { kind: 'category', op: 'add', category_id: `c${i}`, name: name(`Cat ${i}`), retired: false },
      reason: 'filling up',
    });
  assert.equal(
    await refused(() =>
      change({ kind: 'category', op: 'add', category_id: 'c21', name: name('One more'), retired: false }),
    ),
    'MENU_TOO_LARGE',
  );
  for (const o of ['a', 'b', 'c', 'd'])
    await client.ok('menuChange', {
      token: ana,
      change: {
        kind: 'option',
        op: 'add',
        item_id: 'ramen',
        option_id: o,
        name: name(o),
        price_minor: 10,
        retired: false,
      },
      reason: 'more toppings',
    });
  assert.equal(
    await refused(() =>
      change({
        kind: 'option',
        op: 'add',
        item_id: 'ramen',
        option_id: 'e',
        name: name('e'),
        price_minor: 10,
        retired: false,
      }),
    ),
    'MENU_TOO_LARGE',
  );
});

test('a cashier 86es an item: an unsigned screen is told at once, the item cannot be ordered until it is back', async () => {
  const pushes = board.menuPushes.length;
  assert.equal(
    await refused(() => board.call('menuStock', { token: 'A'.repeat(43), item_id: 'tea', in_stock: false })),
    'STAFF_SESSION_INVALID',
  );
  const out = await client.ok('menuStock', { token: bo, item_id: 'tea', in_stock: false });
  assert.equal(out.changed_by, 'cashier:bo');
  await board.until(() => board.menuPushes[pushes], 2_000, 'menu push');
  const menu = await board.ok('menu', {});
  assert.equal(menu.items.find((i) => i.item_id === 'tea')!.out_of_stock, true);
  assert.equal(
    await refused(() => client.call('sendOrder', { token: bo, lines: [{ item_id: 'tea', quantity: 1 }] })),
    'MENU_ITEM_OUT_OF_STOCK',
  );
  const again = await client.ok('menuStock', { token: bo, item_id: 'tea', in_stock: false });
  assert.equal(again.seq, null, 'already out: nothing written');
  const entry = menuEntries().at(-1)!;
  assert.deepEqual([entry.key, entry.value, entry.changed_by], ['menu.stock.tea', false, 'cashier:bo']);
  await client.ok('menuStock', { token: bo, item_id: 'tea', in_stock: true, reason: 'delivery came' });
  assert.equal((await board.ok('menu', {})).items.find((i) => i.item_id === 'tea')!.out_of_stock, undefined);
  await client.ok('sendOrder', { token: bo, lines: [{ item_id: 'tea', quantity: 1 }] });
});

test('a price change never alters an order already placed: it is paid, and signed, at its old price', async () => {
  const o = await client.ok('sendOrder', { token: bo, lines: [{ item_id: 'gyoza', quantity: 2 }] });
  assert.equal(o.total_minor, 2 * 590);
  const gyoza = (await client.ok('menuEditor', { token: ana })).items.find((i) => i.item_id === 'gyoza')!;
  await client.ok('menuChange', {
    token: ana,
    change: {
      kind: 'item',
      op: 'change',
      item_id: 'gyoza',
      category_id: gyoza.category_id,
      name: gyoza.name,
      price_minor: 690,
      tax_category: 'food',
      retired: false,
    },
    reason: 'pork prices',
  });
  const paid = await client.ok('payOrder', { token: bo, order_id: o.order_id, method: 'card' });
  assert.equal(paid.entry.amount_minor, 2 * 590);
  const reader = new LedgerReader(join(dir, 'ledger.db'));
  const e = [...reader.range(paid.entry.seq, paid.entry.seq)][0]!.entry;
  reader.close();
  assert.ok(e.kind === 'payment');
  assert.deepEqual(
    e.body.sale!.lines.map((l) => [l.item_id, l.unit_minor, l.quantity]),
    [['gyoza', 590, 2]],
  );
  const next = await client.ok('sendOrder', { token: bo, lines: [{ item_id: 'gyoza', quantity: 1 }] });
  assert.equal(next.total_minor, 690, 'a new order takes the new price');
});

test('after a restart the menu is rebuilt from the ledger, and the ledger verifies', async () => {
  await client.ok('menuStock', { token: bo, item_id: 'edamame', in_stock: false });
  const before = await board.ok('menu', {});
  await close();
  await open();
  const after = await board.ok('menu', {});
  assert.deepEqual(after, before);
  assert.equal(after.items.find((i) => i.item_id === 'gyoza')!.price_minor, 690);
  assert.equal(after.items.find((i) => i.item_id === 'edamame')!.out_of_stock, true);
  assert.ok(!after.items.some((i) => i.item_id === 'miso'));
  const editor = await client.ok('menuEditor', { token: ana });
  assert.equal(editor.items.find((i) => i.item_id === 'miso')!.retired, true, 'retired, kept for the editor');
  const report = await verifyLedger(join(dir, 'ledger.db'));
  assert.equal(report.ok, true, JSON.stringify(report.fault));
});
