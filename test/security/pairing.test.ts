// Proves an unpaired page refused: another tab or device cannot start a payment, send frames, step up, enrol or delete, and nothing is written.
// Over the real transport (WebSocket and POST /api/call): every customer-screen call from a page
// without a device token is refused with SCREEN_NOT_PAIRED, its frames with SCREEN_NOT_PAIRED,
// and the ledger, the orders and the customers are untouched; it still sees the status page
// (paired: false) and staff still sign in. A one-time link pairs one browser once; a pairing
// code pairs only with a manager's PIN (a cashier's session or a wrong PIN: refused); a forged
// token is nobody; a revoked screen is refused at once and its open socket closed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFrame } from '../../electron/contract/frames.js';
import { PAIR_CLAIM_PATH, SCREEN_COOKIE } from '../../electron/contract/constants.js';
import { pairWithLink, WsClient } from '../helpers/kiosk-client.js';
import { openAttackKiosk, type AttackKiosk } from './fixture.js';

let k: AttackKiosk;
before(async () => {
  k = await openAttackKiosk();
});
after(async () => {
  await k?.close();
});

const code = (r: { ok: boolean; error?: { code: string } }): string => (r.ok ? 'ok' : r.error!.code);

test('an unpaired page: every customer-screen call and every frame refused with a code, nothing written', async () => {
  const paired = await k.screen();
  const stranger = await k.stranger();
  try {
    // A real session of the paired screen that the stranger tries to use.
    const order = await paired.ok('createOrder', { lines: [{ item_id: 'tea', quantity: 1 }] });
    const session = await paired.ok('startPayment', { order_id: order.order_id });
    const ana = k.kiosk.demoStaff!.manager;
    const token = (await paired.ok('staffSignIn', { staff_id: ana.staff_id, pin: ana.pin })).token;
    const boardSize = async (): Promise<number> => (await paired.ok('orderBoard', { token })).orders.length;
    const ordersBefore = await boardSize();
    const attempts = [
      await stranger.call('createOrder', { lines: [{ item_id: 'tea', quantity: 1 }] }),
      await stranger.call('startPayment', { order_id: order.order_id }),
      await stranger.call('stepUp', { session_id: session.session_id, phone_last4: '0042' }),
      await stranger.call('cancel', { session_id: session.session_id }),
      await stranger.call('getOrder', { order_id: order.order_id }),
      await stranger.call('receipt', { seq: 1, payment_id: 'p-1' }),
      await stranger.call('startEnrolment', {}),
      await stranger.call('finishEnrolment', {
        session_id: session.session_id,
        consent: { text_version: 'consent-2026-01', language: 'en', agreed: true },
        display_name: 'Mallory',
        phone: '+49 151 0000 0042',
      }),
      await stranger.call('startDeletion', {}),
      await stranger.call('finishDeletion', { session_id: session.session_id, phone_last4: '0042' }),
      await stranger.call('reportClient', { camera: { ok: true, detail: 'fake' } }),
    ];
    assert.deepEqual(attempts.map(code), Array(attempts.length).fill('SCREEN_NOT_PAIRED'));
    // The same over plain HTTP, as a script would.
    const http = await fetch(`${k.kiosk.http!.url}/api/call/payment:start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ order_id: order.order_id }),
    });
    assert.equal(code((await http.json()) as { ok: boolean; error?: { code: string } }), 'SCREEN_NOT_PAIRED');
    // Frames, even with the paired screen's session tag.
    stranger.send(encodeFrame({ tag: session.frame_tag, seq: 0, captured_at_ms: Date.now(), jpeg: k.d0[0]! }));
    const refused = await stranger.until(() => stranger.refusedFrames[0], 5_000, 'refusal');
    assert.equal(refused.code, 'SCREEN_NOT_PAIRED');
    assert.equal(paired.views.filter((v) => v.frame !== null).length, 0, "the paired screen's session saw no frame");
    // Nothing written: no payment, no order, no customer; the session is the paired screen's still.
    assert.equal(k.payments(), 0);
    assert.equal(await boardSize(), ordersBefore);
    assert.equal(k.kiosk.customers.count(), 1);
    assert.equal(code(await paired.call('cancel', { session_id: session.session_id })), 'ok');
    // What it may do: the status page (which says it is not paired), and staff sign-in.
    const status = await stranger.ok('status', {});
    assert.deepEqual(status.screen, { paired: false, screen_id: null, label: null });
    const bo = k.kiosk.demoStaff!.cashier;
    assert.equal(code(await stranger.call('staffSignIn', { staff_id: bo.staff_id, pin: bo.pin })), 'ok');
  } finally {
    paired.close();
    stranger.close();
  }
});

test('a one-time link pairs one browser once; a forged token is nobody', async () => {
  const link = k.kiosk.pairingLink();
  const cookie = await pairWithLink(link);
  const again = await fetch(link, { redirect: 'manual' });
  assert.equal(again.status, 403, 'a spent link pairs nobody');
  assert.equal(again.headers.get('set-cookie'), null);
  const screen = await WsClient.connect(k.kiosk.http!.url, { cookie });
  const forged = await WsClient.connect(k.kiosk.http!.url, { cookie: `${SCREEN_COOKIE}=${'A'.repeat(43)}` });
  try {
    assert.equal((await screen.ok('status', {})).screen.paired, true);
    assert.equal((await forged.ok('status', {})).screen.paired, false);
    assert.match(
      (await fetch(`${k.kiosk.http!.url}/pair/not-a-link`, { redirect: 'manual' })).status.toString(),
      /^403$/,
    );
  } finally {
    screen.close();
    forged.close();
  }
});

test("a pairing code pairs only with a manager's PIN; a revoked screen is refused and its socket closed", async () => {
  const url = k.kiosk.http!.url;
  const newcomer = await k.stranger();
  const staff = await k.stranger();
  try {
    const req = await newcomer.ok('pairRequest', {});
    const claim = async (): Promise<{ status: number; cookie: string | null }> => {
      const r = await fetch(`${url}${PAIR_CLAIM_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: url },
        body: JSON.stringify({ request_id: req.request_id }),
      });
      return {
        status: r.status,
        cookie: /smile_screen=[A-Za-z0-9_-]+/.exec(r.headers.get('set-cookie') ?? '')?.[0] ?? null,
      };
    };
    assert.deepEqual(await claim(), { status: 202, cookie: null }, 'not approved yet');
    const { cashier, manager } = k.kiosk.demoStaff!;
    const bo = await staff.ok('staffSignIn', { staff_id: cashier.staff_id, pin: cashier.pin });
    const ana = await staff.ok('staffSignIn', { staff_id: manager.staff_id, pin: manager.pin });
    const wrongPin = manager.pin === '0000' ? '1111' : '0000';
    const byCashier = await staff.call('pairApprove', {
      token: bo.token,
      code: req.code,
      pin: cashier.pin,
      label: 'x',
    });
    const badPin = await staff.call('pairApprove', { token: ana.token, code: req.code, pin: wrongPin, label: 'x' });
    const badCode = await staff.call('pairApprove', {
      token: ana.token,
      code: req.code === '000000' ? '000001' : '000000',
      pin: manager.pin,
      label: 'x',
    });
    assert.deepEqual(
      [code(byCashier), code(badPin), code(badCode)],
      ['STAFF_FORBIDDEN', 'STAFF_PIN_WRONG', 'PAIRING_CODE_UNKNOWN'],
    );
    assert.deepEqual(await claim(), { status: 202, cookie: null }, 'still not approved');
    const approved = await staff.ok('pairApprove', {
      token: ana.token,
      code: req.code,
      pin: manager.pin,
      label: 'Till 2',
    });
    assert.equal(approved.paired_by, `manager:${manager.staff_id}`);
    const claimed = await claim();
    assert.equal(claimed.status, 200);
    assert.equal((await claim()).status, 404, 'a request is claimed once');
    const screen = await WsClient.connect(url, { cookie: claimed.cookie! });
    assert.equal((await screen.ok('status', {})).screen.screen_id, approved.screen_id);
    const listed = await staff.ok('screensList', { token: ana.token });
    assert.ok(listed.screens.some((s) => s.screen_id === approved.screen_id && s.revoked_at_ms === null));
    assert.equal(
      code(await staff.call('screenRevoke', { token: bo.token, screen_id: approved.screen_id, reason: 'x' })),
      'STAFF_FORBIDDEN',
    );
    const closed = new Promise<number>((resolve) => screen.ws.once('close', (c: number) => resolve(c)));
    const revoked = await staff.ok('screenRevoke', {
      token: ana.token,
      screen_id: approved.screen_id,
      reason: 'stolen',
    });
    assert.equal(revoked.revoke_reason, 'stolen');
    assert.equal(await closed, 4001, 'its open socket is closed');
    const after = await WsClient.connect(url, { cookie: claimed.cookie! });
    try {
      assert.equal((await after.ok('status', {})).screen.paired, false);
      assert.equal(code(await after.call('startEnrolment', {})), 'SCREEN_NOT_PAIRED');
    } finally {
      after.close();
    }
  } finally {
    newcomer.close();
    staff.close();
  }
});
