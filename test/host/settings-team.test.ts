// Runs alone: it plays a live customer against the host's clock (see scripts/run-tests.mjs).
// Proves the manager's settings and team calls against a real kiosk host (openKiosk: real
// ledger, real staff.db, the embedded settlement server, the WebSocket transport): the match
// threshold is refused outside its safe range or off the calibration grid, with nothing written;
// a change is a signed config entry naming the manager and the very next identification uses it
// (a customer of d0's real observations whose template sits between the old and the new
// threshold goes from refused to the phone-digits step-up and back); the settings carry the measured FAR
// of every allowed threshold; languages reach the customer screen's status, and the currency
// cannot change while the open day has payments, while an order can still be paid, or before the
// settlement server has sent offline limits for the new currency; Object.prototype's names are no
// setting keys; only a manager sees the settings' history; staff are added, disabled, unlocked and
// re-PINned with an audit row naming who, and a new PIN ends the member's other sessions; leaving
// kiosk mode needs the manager's PIN again (wrong ones count to the lock-out), is a signed entry
// and an event once, and a second time writes nothing; a cashier is refused every one of these
// with nothing written; the ledger verifies after; and `npm run calibrate` makes a table from a
// labelled folder that its own --check then accepts.
import { after, before, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type KioskConfig } from '../../electron/config.js';
import { createLogger } from '../../electron/log.js';
import { DEMO_MERCHANT_ID, openDemoKiosk, type DemoKiosk } from '../../scripts/demo-store.js';
import { fixturesDir } from '../../electron/host/demo/demo.js';
import { openKioskLedger } from '../../electron/host/ledger-service.js';
import { KioskSettings } from '../../electron/host/manager/settings.js';
import { isPayable, type ApiResult } from '../../electron/contract/api.js';
import { setLimits } from '../../ledger/server/admin.js';
import type { FaceObservation } from '../../electron/contract/vision.js';
import { FACE_CONFIG } from '../../electron/face/config.js';
import { calibrationAt, falseMatchRateAt } from '../../electron/face/calibration.js';
import { euclidean, fuseDescriptors } from '../../electron/face/fuse.js';
import { SIGN_IN_FAILURES_MAX } from '../../electron/host/staff/directory.js';
import { initNodeVision } from '../../native/backend.node.js';
import { splitMjpeg } from '../../native/mjpeg.js';
import { decodeImage } from '../../native/image.node.js';
import { FacePipeline } from '../../vision/pipeline.js';
import { LedgerReader } from '../../ledger/store/reader.js';
import { verifyLedger } from '../../ledger/verify/verify.js';
import { pairWithLink, playLive, WsClient } from '../helpers/kiosk-client.js';
import { screenFrames } from '../helpers/screen-frames.js';
import { seeded } from '../../bin/eval/harness.js';

/** The enrolled template's distance from d0's mean face. A live session fuses a subset of d0's
 * frames, so its fused descriptor lies a little further away: 0.554-0.558 in the 7 sessions of
 * one run, well between the thresholds the test sets (the reviewed 0.49 refuses, 0.60 is a candidate). */
const TEMPLATE_DISTANCE = 0.51;
const CUSTOMER = { customer_id: 'c-near', display_name: 'Nia Near', phone: '+49 151 5550 7788' } as const;

let dir: string;
let config: KioskConfig;
let kiosk: DemoKiosk | null = null;
let client: WsClient;
let d0: FaceObservation[];
let d0Frames: Uint8Array[];
let d0Mean: number[];
const log = createLogger({ level: process.env.SMILE_TEST_LOG ?? 'silent' });

async function observe(name: string, frames: number): Promise<FaceObservation[]> {
  const v = await initNodeVision({
    nets: ['tinyFaceDetector', 'ssdMobilenetv1', 'faceLandmark68Net', 'faceExpressionNet', 'faceRecognitionNet'],
  });
  const jpegs = splitMjpeg(readFileSync(join(fixturesDir(), 'video', name)));
  const pipe = new FacePipeline(v.faceapi, v.backend);
  const out: FaceObservation[] = [];
  for (let i = 0; i < Math.min(frames, jpegs.length); i++)
    out.push(await pipe.observe(decodeImage(jpegs[i]!), (i * 1000) / 15));
  return out;
}

/** A point at exactly `distance` from `centre` in a seeded random direction. */
function offset(centre: number[], distance: number): number[] {
  const r = seeded(7);
  const dir = centre.map(() => r() - 0.5);
  const norm = Math.hypot(...dir);
  return centre.map((c, i) => c + (distance * dir[i]!) / norm);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smile-settings-'));
  config = loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0' } });
  d0 = await observe('d0.mjpeg', 47);
  const descriptors = d0.map((o) => o.face?.descriptor).filter((d): d is number[] => Array.isArray(d));
  assert.ok(descriptors.length >= 10, `d0 gives descriptors (${descriptors.length})`);
  d0Mean = fuseDescriptors(descriptors);
  // The demo store enrols one customer whose single template sits TEMPLATE_DISTANCE from d0's face.
  const template = offset(d0Mean, TEMPLATE_DISTANCE);
  kiosk = await openDemoKiosk({
    config,
    log,
    syncPollMs: 100,
    demoPeople: [{ ...CUSTOMER, images: [new Uint8Array([1])] }],
    describeFaces: async () => [template],
  });
  client = await WsClient.connect(kiosk.http!.url, { cookie: await pairWithLink(kiosk.pairingLink()) });
  d0Frames = screenFrames('d0.mjpeg');
  assert.ok(await kiosk.visionReady, "the kiosk's vision worker started");
});

/** The kiosk the tests run against (closed by the last test, to reopen its ledger). */
const k = (): DemoKiosk => {
  assert.ok(kiosk, 'the kiosk is open');
  return kiosk;
};

after(async () => {
  client?.close();
  await kiosk?.close();
  rmSync(dir, { recursive: true, force: true });
});

const code = <T>(r: ApiResult<T>): string => (r.ok ? 'ok' : r.error.code);

async function signIn(who: 'manager' | 'cashier'): Promise<string> {
  const s = k().demoStaff![who];
  return (await client.ok('staffSignIn', { staff_id: s.staff_id, pin: s.pin })).token;
}

function ledgerCount(): number {
  const r = new LedgerReader(join(dir, 'ledger.db'));
  try {
    return r.db.prepare('SELECT count(*) FROM entries').pluck().get() as number;
  } finally {
    r.close();
  }
}

function entryAt(seq: number) {
  const r = new LedgerReader(join(dir, 'ledger.db'));
  try {
    return [...r.range(seq, seq)][0]!.entry;
  } finally {
    r.close();
  }
}

/** d0's customer plays one live session for a new order; returns the phase the host decided
 * (playLive tries again only on the refusals a loaded machine causes, never on a match's outcome). */
async function payAttempt(): Promise<{ phase: string; code: string | null; session: string }> {
  const onset = d0.findIndex((o) => (o.face?.smile ?? 0) >= FACE_CONFIG.liveness.smile_min);
  let neutralTo = onset - 1;
  while (neutralTo > 4 && (d0[neutralTo]!.face?.smile ?? 1) > 0.1) neutralTo--;
  const order = await client.ok('createOrder', { lines: [{ item_id: 'tea', quantity: 1 }] });
  const run = await playLive(client, () => client.ok('startPayment', { order_id: order.order_id }), d0Frames, {
    onset,
    neutralTo,
    react: true,
  });
  return { phase: run.view.phase, code: run.view.error?.code ?? null, session: run.start.session_id };
}

test('npm run calibrate makes a table from a labelled folder (the fixture people here) that --check accepts; no folder: exit 2', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'calibrate-')), 'table.json');
  const people = join(fixturesDir(), 'faces', 'people');
  const run = (...extra: string[]) =>
    spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/calibrate-faces.ts',
        people,
        '--folds',
        '2',
        '--source',
        'fixture people',
        '--out',
        out,
        ...extra,
      ],
      { encoding: 'utf8', timeout: 300_000 },
    );
  const made = run();
  assert.equal(made.status, 0, `${made.stdout}${made.stderr}`);
  const t = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(t.source, 'fixture people, 8 people, 40 images');
  assert.equal(t.rows.length, 61);
  assert.equal(t.cross_validation.folds, 2);
  assert.ok(t.chosen.false_match_rate > 0 && t.chosen.false_match_rate < 1);
  const checked = run('--check');
  assert.equal(checked.status, 0, `${checked.stdout}${checked.stderr}`);
  assert.match(checked.stdout, /matches .* \(61 thresholds\)/);
  const none = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/calibrate-faces.ts'], { encoding: 'utf8' });
  assert.equal(none.status, 2);
  assert.match(none.stderr, /expected the folder of labelled photos/);
});

test('the match threshold stays in its safe range on the calibration grid; out of range, off grid or by a cashier: refused, nothing written', async () => {
  const bo = await signIn('cashier');
  const ana = await signIn('manager');
  const got = await client.ok('settings', { token: bo });
  const threshold = got.settings.find((s) => s.key === 'match_threshold_milli')!;
  assert.deepEqual({ ...threshold }, { key: 'match_threshold_milli', value: 490, min: 450, max: 600, step: 5 });
  assert.equal(
    got.settings.find((s) => s.key === 'step_up_amount_minor')!.value,
    FACE_CONFIG.match.step_up_amount_minor_min,
  );
  // Every threshold a manager may pick has its measured row, with n and an interval.
  assert.deepEqual(
    got.calibration.rows.map((r) => r.threshold_milli),
    Array.from({ length: 31 }, (_, i) => 450 + 5 * i),
  );
  const atReviewed = got.calibration.rows.find((r) => r.threshold_milli === 490)!;
  assert.deepEqual(atReviewed, calibrationAt(490), 'the committed table, as measured');
  assert.ok(
    atReviewed.far_ci95[0] < atReviewed.impostor_accepted / atReviewed.impostor_pairs &&
      atReviewed.far_ci95[1] < 0.0015,
  );
  assert.equal(got.calibration.people, 158);
  assert.match(got.calibration.source, /^LFW deep-funneled/);

  const before = ledgerCount();
  for (const value of [445, 605, 0, 1_000, 572]) {
    const r = await client.call('setSetting', { token: ana, key: 'match_threshold_milli', value, reason: 'try' });
    assert.equal(code(r), 'API_BAD_REQUEST', `${value}`);
    assert.match(!r.ok ? r.error.message : '', value === 572 ? /multiple of 5/ : /450\.\.600/);
  }
  assert.equal(
    code(await client.call('setSetting', { token: ana, key: 'step_up_amount_minor', value: -1, reason: 'try' })),
    'API_BAD_REQUEST',
  );
  assert.equal(
    code(await client.call('setSetting', { token: bo, key: 'match_threshold_milli', value: 550, reason: 'try' })),
    'STAFF_FORBIDDEN',
  );
  assert.equal(ledgerCount(), before, 'refused changes write nothing');
});

test('a threshold change is a signed config entry naming the manager, and the next identification uses it', async () => {
  const ana = await signIn('manager');
  // At the reviewed 0.49 the customer (a live session about 0.555 from the template) is too far: refused.
  const first = await payAttempt();
  assert.deepEqual([first.phase, first.code], ['refused', 'FACE_NOT_ENROLLED'], JSON.stringify(first));

  const changed = await client.ok('setSetting', {
    token: ana,
    key: 'match_threshold_milli',
    value: 600,
    reason: 'looser for a trial',
  });
  assert.deepEqual([changed.previous, changed.value, changed.changed_by], [490, 600, 'manager:ana']);
  const entry = entryAt(changed.seq);
  assert.equal(entry.kind, 'config');
  assert.deepEqual(entry.kind === 'config' && entry.body, {
    key: 'match_threshold_milli',
    value: 600,
    previous: 490,
    changed_by: 'manager:ana',
    reason: 'looser for a trial',
  });

  // The very next payment is matched at 0.60: the customer is a candidate, and pays after the digits.
  const second = await payAttempt();
  assert.equal(second.phase, 'step_up', JSON.stringify(second));
  const paid = await client.ok('stepUp', { session_id: second.session, phone_last4: CUSTOMER.phone.slice(-4) });
  assert.equal(paid.phase, 'done', JSON.stringify(paid));

  // And back: at 0.49 again the same face is refused.
  await client.ok('setSetting', {
    token: ana,
    key: 'match_threshold_milli',
    value: 490,
    reason: 'back to the reviewed value',
  });
  const third = await payAttempt();
  assert.deepEqual([third.phase, third.code], ['refused', 'FACE_NOT_ENROLLED'], JSON.stringify(third));

  // The settings show the history, newest first, with who changed what: to a manager only.
  const { history } = await client.ok('settings', { token: ana });
  assert.deepEqual(
    history.slice(0, 2).map((h) => [h.key, h.previous, h.value, h.changed_by]),
    [
      ['match_threshold_milli', 600, 490, 'manager:ana'],
      ['match_threshold_milli', 490, 600, 'manager:ana'],
    ],
  );
  const asCashier = await client.ok('settings', { token: await signIn('cashier') });
  assert.deepEqual(asCashier.history, [], 'a cashier sees the values, not who changed what');
  assert.equal(asCashier.settings.find((x) => x.key === 'match_threshold_milli')!.value, 490);
  // Above the reviewed threshold the matcher's false-match rate is the table's upper bound.
  assert.equal(falseMatchRateAt(490), FACE_CONFIG.match.false_match_rate);
  assert.equal(falseMatchRateAt(600), Math.max(FACE_CONFIG.match.false_match_rate, calibrationAt(600)!.far_ci95[1]));
  assert.ok(euclidean(offset(d0Mean, TEMPLATE_DISTANCE), d0Mean) - TEMPLATE_DISTANCE < 1e-9);
});

test("Object.prototype's names are no setting keys: refused with a clear message, nothing written", async () => {
  const ana = await signIn('manager');
  const before = ledgerCount();
  for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
    for (const value of [100, 'EUR'] as const) {
      const r = await client.call('setSetting', { token: ana, key, value, reason: 'try' });
      assert.equal(code(r), 'API_BAD_REQUEST', `${key}=${value}`);
      assert.match(
        !r.ok ? r.error.message : '',
        new RegExp(`^unknown setting "${key}"; expected one of offline_payment_max_minor`),
        `${key}=${value}`,
      );
    }
  }
  assert.equal(ledgerCount(), before, 'nothing written');
  const keys = (await client.ok('settings', { token: ana })).settings.map((x) => x.key);
  assert.ok(!keys.includes('constructor') && !keys.includes('toString'));
});

test('languages reach the customer screen; the currency is an ISO 4217 code and changes only with no payment today, no payable order, and server limits in it', async () => {
  const ana = await signIn('manager');
  const bo = await signIn('cashier');
  assert.deepEqual((await client.ok('status', {})).store.languages, ['en', 'de', 'zh']);
  const before = ledgerCount();
  for (const value of ['fr', '', 'en,xx'])
    assert.equal(
      code(await client.call('setSetting', { token: ana, key: 'store_languages', value: value || ',', reason: 'try' })),
      'API_BAD_REQUEST',
      value,
    );
  for (const value of ['EURO', 'XYZ', 'eu'])
    assert.equal(
      code(await client.call('setSetting', { token: ana, key: 'store_currency', value, reason: 'try' })),
      'API_BAD_REQUEST',
      value,
    );
  assert.equal(
    code(await client.call('setSetting', { token: bo, key: 'store_languages', value: 'en', reason: 'try' })),
    'STAFF_FORBIDDEN',
  );
  assert.equal(ledgerCount(), before);

  const langs = await client.ok('setSetting', {
    token: ana,
    key: 'store_languages',
    value: 'zh, en',
    reason: 'no German speakers on staff',
  });
  assert.deepEqual([langs.previous, langs.value], ['en,de,zh', 'en,zh']);
  assert.deepEqual((await client.ok('status', {})).store.languages, ['en', 'zh']);

  // The previous test took a payment today: the currency stays.
  const refused = await client.call('setSetting', {
    token: ana,
    key: 'store_currency',
    value: 'USD',
    reason: 'moving',
  });
  assert.equal(code(refused), 'SETTING_REFUSED');
  assert.match(!refused.ok ? refused.error.message : '', /open day has 1 payment.*close the day first/);
  assert.equal(
    (await client.ok('settings', { token: ana })).texts.find((t) => t.key === 'store_currency')!.value,
    'EUR',
  );
  const tryCurrency = async (value: string): Promise<ApiResult<unknown>> =>
    client.call('setSetting', { token: ana, key: 'store_currency', value, reason: 'moving' });
  const message = (r: ApiResult<unknown>): string => (r.ok ? 'ok' : `${r.error.code}: ${r.error.message}`);

  // The earlier payment attempts (a cancelled and a refused face payment) left orders that can
  // still be paid, in EUR: the counter takes them, then the day is closed.
  const open = (await client.ok('orderBoard', { token: ana })).orders.filter((o) => isPayable(o));
  assert.ok(open.length >= 2, `payable orders left (${open.length})`);
  assert.ok(open.every((o) => o.currency === 'EUR'));
  for (const o of open) await client.ok('payOrder', { token: bo, order_id: o.order_id, method: 'cash' });
  await client.ok('closeDay', { token: ana });
  const refusedBefore = ledgerCount();

  // No payment today and no payable order, but the merchant does not settle in USD: the server
  // sent no USD limits, so face payments in USD would settle as declined.
  const state = k().worker!.state;
  assert.equal(state.limits('USD'), undefined);
  assert.match(
    message(await tryCurrency('usd')),
    /^SETTING_REFUSED: the settlement server has sent no offline limits for USD/,
  );
  assert.equal(ledgerCount(), refusedBefore, 'the refusal wrote nothing');
  // The operator sets the merchant up for USD; the kiosk learns it from the feed.
  await setLimits(k().demo!.server.services, DEMO_MERCHANT_ID, {
    currency: 'USD',
    payment_minor_max: 2_000,
    customer_day_minor_max: 5_000,
    unsynced_age_ms_max: 3_600_000,
  });
  await k().worker!.pullFeed();
  assert.deepEqual(state.limits('USD'), {
    payment_minor_max: 2_000,
    customer_day_minor_max: 5_000,
    unsynced_age_ms_max: 3_600_000,
  });
  const eurTea = (await client.ok('menu', {})).items.find((i) => i.item_id === 'tea')!.price_minor;

  const usd = await client.ok('setSetting', { token: ana, key: 'store_currency', value: 'usd', reason: 'moving' });
  assert.deepEqual([usd.previous, usd.value], ['EUR', 'USD']);
  // It applies at once: the menu, new orders and the status screen are in the new currency. The
  // menu's prices are plain minor units of whatever the currency is: the same numbers.
  const menu = await client.ok('menu', {});
  assert.equal(menu.currency, 'USD');
  assert.equal(menu.items.find((i) => i.item_id === 'tea')!.price_minor, eurTea);
  const pending = await client.ok('createOrder', { lines: [{ item_id: 'tea', quantity: 1 }] });
  assert.equal(pending.currency, 'USD');
  assert.equal((await client.ok('status', {})).store.currency, 'USD');

  // Back to EUR (the server has EUR limits, the day has no payment): refused while that USD order
  // can still be paid. Setting the currency it already has is no change: allowed.
  const afterChange = ledgerCount();
  assert.match(
    message(await tryCurrency('EUR')),
    new RegExp(
      `^SETTING_REFUSED: 1 order\\(s\\) can still be paid in their old currency: ${pending.order_id} \\(new, USD\\)`,
    ),
  );
  assert.equal(ledgerCount(), afterChange, 'the refusal wrote nothing');
  assert.equal(message(await tryCurrency('USD')), 'ok');
  assert.equal(
    (await client.ok('settings', { token: ana })).texts.find((t) => t.key === 'store_currency')!.value,
    'USD',
  );
});

test('a manager adds, disables, unlocks and re-PINs staff; a member changes their own PIN; a new PIN ends the other sessions; each change has an audit row', async () => {
  const ana = await signIn('manager');
  const added = await client.ok('teamAdd', {
    token: ana,
    staff_id: 'cy',
    display_name: 'Cy',
    role: 'cashier',
    pin: '5083',
  });
  assert.deepEqual([added.staff_id, added.role, added.disabled, added.locked_until_ms], ['cy', 'cashier', false, null]);
  assert.equal(
    code(
      await client.call('teamAdd', {
        token: ana,
        staff_id: 'cy',
        display_name: 'Cy again',
        role: 'cashier',
        pin: '5083',
      }),
    ),
    'STAFF_EXISTS',
  );
  assert.equal(
    code(
      await client.call('teamAdd', { token: ana, staff_id: 'dee', display_name: 'Dee', role: 'cashier', pin: '1234' }),
    ),
    'STAFF_PIN_INVALID',
    'a run',
  );
  const cy = (await client.ok('staffSignIn', { staff_id: 'cy', pin: '5083' })).token;
  assert.deepEqual((await client.ok('staffList', {})).staff.map((m) => m.staff_id).sort(), ['ana', 'bo', 'cy']);

  // Disabled: the open session ends, sign-in is refused, the sign-in list hides them.
  const off = await client.ok('teamSetDisabled', { token: ana, staff_id: 'cy', disabled: true });
  assert.equal(off.disabled, true);
  assert.equal(code(await client.call('dayEntries', { token: cy })), 'STAFF_SESSION_INVALID');
  assert.equal(code(await client.call('staffSignIn', { staff_id: 'cy', pin: '5083' })), 'STAFF_UNKNOWN');
  assert.ok(!(await client.ok('staffList', {})).staff.some((m) => m.staff_id === 'cy'));
  assert.equal(
    code(await client.call('teamSetDisabled', { token: ana, staff_id: 'ana', disabled: true })),
    'STAFF_CHANGE_REFUSED',
    'not oneself',
  );
  await client.ok('teamSetDisabled', { token: ana, staff_id: 'cy', disabled: false });

  // Locked out after wrong PINs; a manager unlocks before the five minutes are up.
  for (let i = 1; i < SIGN_IN_FAILURES_MAX; i++)
    assert.equal(code(await client.call('staffSignIn', { staff_id: 'cy', pin: '9071' })), 'STAFF_PIN_WRONG');
  assert.equal(code(await client.call('staffSignIn', { staff_id: 'cy', pin: '9071' })), 'STAFF_LOCKED');
  const team = await client.ok('teamList', { token: ana });
  assert.ok(
    (team.members.find((m) => m.staff_id === 'cy')!.locked_until_ms ?? 0) > Date.now(),
    'the list shows the lock-out',
  );
  assert.equal((await client.ok('teamUnlock', { token: ana, staff_id: 'cy' })).locked_until_ms, null);
  const cy2 = (await client.ok('staffSignIn', { staff_id: 'cy', pin: '5083' })).token;

  // Their own PIN: the current one is needed; then only the new one signs in.
  const cyElsewhere = (await client.ok('staffSignIn', { staff_id: 'cy', pin: '5083' })).token;
  assert.equal(
    code(await client.call('changeOwnPin', { token: cy2, current_pin: '9071', new_pin: '6294' })),
    'STAFF_PIN_WRONG',
  );
  assert.equal(
    code(await client.call('changeOwnPin', { token: cy2, current_pin: '5083', new_pin: '1111' })),
    'STAFF_PIN_INVALID',
  );
  assert.equal(code(await client.call('dayEntries', { token: cyElsewhere })), 'ok', 'refused changes end no session');
  await client.ok('changeOwnPin', { token: cy2, current_pin: '5083', new_pin: '6294' });
  // Her other session (opened with the old PIN) ends; the one that changed it stays open.
  assert.equal(code(await client.call('dayEntries', { token: cyElsewhere })), 'STAFF_SESSION_INVALID');
  assert.equal(code(await client.call('dayEntries', { token: cy2 })), 'ok');
  assert.equal(code(await client.call('staffSignIn', { staff_id: 'cy', pin: '5083' })), 'STAFF_PIN_WRONG');
  const cy3 = (await client.ok('staffSignIn', { staff_id: 'cy', pin: '6294' })).token;
  // A forgotten PIN: the manager sets a new one, and every session of hers ends.
  await client.ok('teamResetPin', { token: ana, staff_id: 'cy', pin: '7350' });
  for (const t of [cy2, cy3])
    assert.equal(code(await client.call('dayEntries', { token: t })), 'STAFF_SESSION_INVALID');
  assert.equal(code(await client.call('dayEntries', { token: ana })), 'ok', 'the manager who reset it stays signed in');
  await client.ok('staffSignIn', { staff_id: 'cy', pin: '7350' });

  const audit = (await client.ok('teamList', { token: ana })).audit.map((a) => [a.action, a.staff_id, a.actor]);
  assert.deepEqual(audit.slice(0, 6), [
    ['reset_pin', 'cy', 'manager:ana'],
    ['change_own_pin', 'cy', 'cashier:cy'],
    ['unlock', 'cy', 'manager:ana'],
    ['enable', 'cy', 'manager:ana'],
    ['disable', 'cy', 'manager:ana'],
    ['add', 'cy', 'manager:ana'],
  ]);
});

test("a cashier is refused every manager call, with nothing written; leaving kiosk mode needs the manager's PIN, is a signed entry and an event once, and counts wrong PINs to the lock-out", async () => {
  const bo = await signIn('cashier');
  const ana = await signIn('manager');
  const before = ledgerCount();
  const auditBefore = (await client.ok('teamList', { token: ana })).audit.length;
  const refused: ApiResult<unknown>[] = [
    await client.call('teamList', { token: bo }),
    await client.call('teamAdd', { token: bo, staff_id: 'eve', display_name: 'Eve', role: 'manager', pin: '5083' }),
    await client.call('teamSetDisabled', { token: bo, staff_id: 'ana', disabled: true }),
    await client.call('teamResetPin', { token: bo, staff_id: 'ana', pin: '5083' }),
    await client.call('teamUnlock', { token: bo, staff_id: 'ana' }),
    await client.call('setSetting', { token: bo, key: 'step_up_amount_minor', value: 0, reason: 'try' }),
    await client.call('setSetting', { token: bo, key: 'store_currency', value: 'EUR', reason: 'try' }),
    await client.call('leaveKioskMode', { token: bo, pin: k().demoStaff!.cashier.pin }),
  ];
  assert.deepEqual(
    refused.map((r) => code(r)),
    refused.map(() => 'STAFF_FORBIDDEN'),
  );
  assert.equal(ledgerCount(), before);
  assert.equal((await client.ok('teamList', { token: ana })).audit.length, auditBefore);
  assert.equal(code(await client.call('staffSignIn', { staff_id: 'eve', pin: '5083' })), 'STAFF_UNKNOWN');

  // A token alone is not enough: the manager's PIN again, checked as at sign-in.
  const anaPin = k().demoStaff!.manager.pin;
  const wrongPin = anaPin === '9071' ? '9072' : '9071';
  const heard: string[] = [];
  const off = k().services.team.onKioskModeLeft((e) => heard.push(`${e.left_by}@${e.seq}`));
  assert.equal(code(await client.call('leaveKioskMode', { token: ana } as never)), 'API_BAD_REQUEST', 'no PIN');
  const wrong = await client.call('leaveKioskMode', { token: ana, pin: wrongPin });
  assert.equal(code(wrong), 'STAFF_PIN_WRONG');
  assert.match(
    !wrong.ok ? wrong.error.message : '',
    new RegExp(`${SIGN_IN_FAILURES_MAX - 1} tries left before a lock-out`),
  );
  assert.deepEqual([ledgerCount(), heard], [before, []], 'a wrong PIN writes nothing and tells the shell nothing');

  // The Electron shell's hook (main.ts) hears of it, after the entry is written.
  const left = await client.ok('leaveKioskMode', { token: ana, pin: anaPin, reason: 'printer driver update' });
  assert.deepEqual([left.left_by, left.kiosk_window, left.already_off], ['manager:ana', true, false]);
  assert.deepEqual(heard, [`manager:ana@${left.seq}`]);
  const entry = entryAt(left.seq);
  assert.deepEqual(entry.kind === 'config' && entry.body, {
    key: 'kiosk_mode',
    value: false,
    previous: true,
    changed_by: 'manager:ana',
    reason: 'printer driver update',
  });
  // Already off: nothing written, nothing heard, and the answer says so, naming the entry that left it.
  const again = await client.ok('leaveKioskMode', { token: ana, pin: anaPin });
  off();
  assert.deepEqual({ ...again }, { ...left, already_off: true });
  assert.deepEqual([ledgerCount(), heard.length], [before + 1, 1]);

  // Wrong PINs here count toward the same lock-out as at sign-in: a second manager signed in on
  // two screens misses twice at sign-in and then three times here: locked out, both sessions end.
  await client.ok('teamAdd', { token: ana, staff_id: 'mo', display_name: 'Mo', role: 'manager', pin: '638125' });
  const mo = [
    (await client.ok('staffSignIn', { staff_id: 'mo', pin: '638125' })).token,
    (await client.ok('staffSignIn', { staff_id: 'mo', pin: '638125' })).token,
  ];
  for (let i = 0; i < 2; i++)
    assert.equal(code(await client.call('staffSignIn', { staff_id: 'mo', pin: '9071' })), 'STAFF_PIN_WRONG');
  for (let i = 2; i < SIGN_IN_FAILURES_MAX - 1; i++)
    assert.equal(code(await client.call('leaveKioskMode', { token: mo[0]!, pin: '9071' })), 'STAFF_PIN_WRONG');
  assert.equal(code(await client.call('leaveKioskMode', { token: mo[0]!, pin: '9071' })), 'STAFF_LOCKED');
  for (const t of mo) assert.equal(code(await client.call('dayEntries', { token: t })), 'STAFF_SESSION_INVALID');
  assert.equal(
    code(await client.call('staffSignIn', { staff_id: 'mo', pin: '638125' })),
    'STAFF_LOCKED',
    'even the right PIN, until a manager unlocks',
  );
  assert.equal(ledgerCount(), before + 1);
  await client.ok('teamUnlock', { token: ana, staff_id: 'mo' });
  await client.ok('staffSignIn', { staff_id: 'mo', pin: '638125' });

  const report = await verifyLedger(join(dir, 'ledger.db'), { workers: 1 });
  assert.equal(report.ok, true, JSON.stringify(report.fault));
});

test('after a restart the settings are what the ledger recorded, not the file', async () => {
  const ana = await signIn('manager');
  await client.ok('setSetting', {
    token: ana,
    key: 'step_up_amount_minor',
    value: 2_500,
    reason: 'lower for the lunch rush',
  });
  client.close();
  await k().close();
  kiosk = null;
  const ledger = openKioskLedger(config, log);
  try {
    const settings = new KioskSettings(config, ledger.store);
    assert.equal(settings.get('match_threshold_milli'), 490);
    assert.equal(settings.get('step_up_amount_minor'), 2_500);
    assert.equal(settings.matchConfig().step_up_amount_minor_min, 2_500);
    assert.equal(settings.matchConfig().accept_distance_max, 0.49);
    assert.deepEqual(settings.languages(), ['en', 'zh']);
    assert.equal(settings.text('store_currency'), 'USD');
  } finally {
    ledger.store.close();
  }
});
