// Proves the manager's privacy panel against a real kiosk host (openKiosk, its WebSocket
// transport, its ledger file and gallery) and a real settlement server on loopback, with a
// second kiosk of the same merchant: demo customers are enrolled through the real path
// (templates sealed to the server, back through its feed); a manager finds one by a part of the
// name, by initials and by the phone's last 4 digits, and sees the consent record; the deletion
// removes the template on this kiosk at once, reaches the server (its templates row gone, the
// deletion recorded) and the second kiosk drops it at its next feed pull; the consent record
// stays, with who deleted it and why. While the server is away the deletion is queued, the
// template is gone here already, and it reaches the server and the other kiosk once it is
// back. Cashiers and bad input are refused with their codes. A customer enrolled at the second
// kiosk is found here by their card (name part, initials, phone digits) too.
//
// A privacy desk on its own real parts (ledger, sync worker, staff and customer files, a real
// settlement server) proves the records: every deletion request is its own row of an
// append-only history (a manager asking again after a refusal is recorded with their reason;
// UPDATE and DELETE are refused), a consent to another text version than the server is sent is
// refused, one customer the server fails on (its database refuses that one deletion: a 500) is
// put off with a bounded backoff while the deletion queued behind it reaches the server, the
// set the gallery leaves out holds exactly the pending and refused deletions, and an older
// privacy.db moves over to the history.
//
// The demo people's face descriptors come from a stand-in describer (random unit vectors): the
// privacy panel never looks at faces, and the face pipeline has its own tests.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { loadConfig } from '../../electron/config.js';
import { createLogger } from '../../electron/log.js';
import { openKiosk } from '../../electron/host/kiosk.js';
import { DEMO_MERCHANT_ID, openDemoKiosk, type DemoKiosk } from '../../scripts/demo-store.js';
import type { DemoPerson } from '../../electron/host/demo/demo.js';
import { encodeTemplates, Gallery } from '../../electron/host/payment/gallery.js';
import { CustomerDirectory } from '../../electron/host/payment/customers.js';
import { ApiFault } from '../../electron/host/fault.js';
import {
  PrivacyService,
  PRIVACY_RETRY_CAP_MS,
  PRIVACY_SCHEMA_VERSION,
  retryDelayMs,
} from '../../electron/host/manager/privacy.js';
import { StaffDirectory } from '../../electron/host/staff/directory.js';
import { CONSENT_TEXT_VERSION } from '../../electron/contract/constants.js';
import type { ApiResult } from '../../electron/contract/api.js';
import { DESCRIPTOR_DIMS } from '../../electron/face/matcher.js';
import { addCustomer, addMerchant, createToken } from '../../ledger/server/admin.js';
import { startServer, type RunningServer } from '../../ledger/server/server.js';
import { kiosk as testKiosk, tempDir, type TestKiosk } from '../helpers/settle.js';
import { WsClient } from '../helpers/kiosk-client.js';

const log = createLogger({ level: process.env.SMILE_TEST_LOG ?? 'silent' });

function randomDescriptor(): number[] {
  const v = Array.from({ length: DESCRIPTOR_DIMS }, () => Math.random() - 0.5);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

const PEOPLE: DemoPerson[] = [
  { customer_id: 'demo-d0', display_name: 'Daniel Ortiz', phone: '+49 151 5550 0042', images: [new Uint8Array(1)] },
  { customer_id: 'demo-hana', display_name: 'Hana Kim', phone: '+49 151 5550 1001', images: [new Uint8Array(1)] },
];

function code<T>(r: ApiResult<T>): string {
  return r.ok ? 'ok' : r.error.code;
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('privacy panel on the demo store', () => {
  let host: DemoKiosk;
  let client: WsClient;
  let other: TestKiosk;
  let ana: string;
  let bo: string;

  before(async () => {
    const dir = tempDir('smile-privacy-');
    const config = loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0' } });
    host = await openDemoKiosk({
      config,
      log,
      demoPeople: PEOPLE,
      describeFaces: async () => [randomDescriptor(), randomDescriptor()],
      syncPollMs: 100,
    });
    client = await WsClient.connect(host.http!.url);
    other = await testKiosk(host.demo!.url, await createToken(host.demo!.server.services, DEMO_MERCHANT_ID));
    ana = (await client.ok('staffSignIn', { staff_id: 'ana', pin: host.demoStaff!.manager.pin })).token;
    bo = (await client.ok('staffSignIn', { staff_id: 'bo', pin: host.demoStaff!.cashier.pin })).token;
  });
  after(async () => {
    client?.close();
    await other?.close();
    await host?.close();
  });

  it('finds a customer by name, initials and phone digits, with the consent record; cashiers and bad input are refused', async () => {
    const byName = await client.ok('findCustomers', { token: ana, query: 'orti' });
    assert.deepEqual(
      byName.customers.map((c) => c.customer_id),
      ['demo-d0'],
    );
    const d0 = byName.customers[0]!;
    assert.deepEqual(
      [d0.display_name, d0.initials, d0.phone_last4, d0.template_on_kiosk, d0.deletion],
      ['Daniel Ortiz', 'D.O.', '0042', true, null],
    );
    assert.deepEqual(
      [d0.consent?.text_version, d0.consent?.language, d0.consent?.source, d0.consent?.retention_days],
      [CONSENT_TEXT_VERSION, null, 'demo', 365],
    );
    assert.ok(d0.enrolled_at_ms !== null && d0.consent!.agreed_at_ms > 0);
    assert.deepEqual(
      (await client.ok('findCustomers', { token: ana, query: 'D.O.' })).customers.map((c) => c.customer_id),
      ['demo-d0'],
    );
    assert.deepEqual(
      (await client.ok('findCustomers', { token: ana, query: 'hk' })).customers.map((c) => c.customer_id),
      ['demo-hana'],
    );
    assert.deepEqual(
      (await client.ok('findCustomers', { token: ana, query: '1001' })).customers.map((c) => c.customer_id),
      ['demo-hana'],
    );
    assert.deepEqual(
      (await client.ok('findCustomers', { token: ana, query: '%' })).customers,
      [],
      'LIKE wildcards are plain text',
    );
    assert.deepEqual((await client.ok('consentRecords', { token: ana, customer_id: 'demo-d0' })).consent, d0.consent);

    assert.equal(code(await client.call('findCustomers', { token: bo, query: 'orti' })), 'STAFF_FORBIDDEN');
    assert.equal(code(await client.call('consentRecords', { token: bo, customer_id: 'demo-d0' })), 'STAFF_FORBIDDEN');
    assert.equal(
      code(await client.call('deleteCustomer', { token: bo, customer_id: 'demo-d0', reason: 'asked' })),
      'STAFF_FORBIDDEN',
    );
    assert.equal(code(await client.call('findCustomers', { token: ana, query: '   ' })), 'API_BAD_REQUEST');
    assert.equal(code(await client.call('findCustomers', { token: ana, query: 'x'.repeat(61) })), 'API_BAD_REQUEST');
    assert.equal(
      code(await client.call('deleteCustomer', { token: ana, customer_id: 'demo-d0', reason: ' ' })),
      'API_BAD_REQUEST',
    );
    assert.equal(
      code(await client.call('deleteCustomer', { token: ana, customer_id: 'nobody', reason: 'asked' })),
      'PRIVACY_CUSTOMER_UNKNOWN',
    );
    assert.equal(
      code(await client.call('consentRecords', { token: ana, customer_id: 'nobody' })),
      'PRIVACY_CUSTOMER_UNKNOWN',
    );
    assert.ok(
      (await client.ok('findCustomers', { token: ana, query: 'orti' })).customers[0]!.template_on_kiosk,
      'nothing was deleted by the refusals',
    );
  });

  it('a deletion removes the template here at once, on the server, and on the other kiosk at its next sync; the record stays', async () => {
    await other.worker.pullFeed();
    assert.deepEqual(other.worker.state.galleryIds(), ['demo-d0', 'demo-hana']);
    const deleted = await client.ok('deleteCustomer', {
      token: ana,
      customer_id: 'demo-d0',
      reason: 'asked at the counter',
    });
    assert.equal(deleted.display_name, 'Daniel Ortiz', 'the answer names whom it was, once');
    assert.equal(deleted.template_on_kiosk, false);
    assert.deepEqual(
      [deleted.deletion?.status, deleted.deletion?.requested_by, deleted.deletion?.reason],
      ['propagated', 'manager:ana', 'asked at the counter'],
    );

    assert.deepEqual(
      (await client.ok('findCustomers', { token: ana, query: 'orti' })).customers,
      [],
      'gone from the search',
    );
    const record = await client.ok('consentRecords', { token: ana, customer_id: 'demo-d0' });
    assert.deepEqual(
      [
        record.display_name,
        record.phone_last4,
        record.template_on_kiosk,
        record.consent?.source,
        record.deletion?.status,
      ],
      [null, null, false, 'demo', 'propagated'],
    );
    assert.equal(host.customers.get('demo-d0'), undefined);

    const db = host.demo!.server.services.store.db;
    assert.deepEqual(
      await db.selectFrom('templates').select('customer_id').where('customer_id', '=', 'demo-d0').execute(),
      [],
      "the server's sealed copy is gone",
    );
    const del = await db
      .selectFrom('deletions')
      .selectAll()
      .where('customer_id', '=', 'demo-d0')
      .executeTakeFirstOrThrow();
    assert.equal(del.deleted_at_ms, record.deletion!.propagated_at_ms);

    await other.worker.pullFeed();
    assert.deepEqual(other.worker.state.galleryIds(), ['demo-hana'], 'the other kiosk dropped it at its sync');
    // Asking again changes nothing and says the same.
    const again = await client.ok('deleteCustomer', { token: ana, customer_id: 'demo-d0', reason: 'twice' });
    assert.deepEqual(again.deletion, record.deletion);
  });

  it('finds a customer enrolled at the other kiosk by a part of the name, the initials and the phone digits (their card)', async () => {
    await other.worker.enrol(
      'c-kim',
      encodeTemplates([randomDescriptor()], { phone_last4: '3344', display_name: 'Kim Sato' }),
      { text_version: CONSENT_TEXT_VERSION, purpose: 'test', retention_days: 30, agreed_at_ms: Date.now() },
    );
    await until(
      "the other kiosk's enrolment in this kiosk's gallery",
      async () => (await client.call('consentRecords', { token: ana, customer_id: 'c-kim' })).ok,
    );
    assert.equal(
      host.customers.get('c-kim'),
      undefined,
      "not in this kiosk's directory: only the card that came with the templates",
    );
    for (const query of ['sato', 'SAT', 'k.s.', 'KS', '3344']) {
      const found = await client.ok('findCustomers', { token: ana, query });
      assert.deepEqual(
        found.customers.map((c) => c.customer_id),
        ['c-kim'],
        query,
      );
      const c = found.customers[0]!;
      assert.deepEqual(
        [c.display_name, c.initials, c.phone_last4, c.template_on_kiosk, c.consent, c.deletion],
        ['Kim Sato', 'K.S.', '3344', true, null, null],
        query,
      );
    }
    assert.deepEqual((await client.ok('findCustomers', { token: ana, query: '3345' })).customers, []);
    const deleted = await client.ok('deleteCustomer', {
      token: ana,
      customer_id: 'c-kim',
      reason: 'asked at the counter',
    });
    assert.deepEqual([deleted.display_name, deleted.deletion?.status], ['Kim Sato', 'propagated']);
    for (const query of ['sato', 'KS', '3344'])
      assert.deepEqual(
        (await client.ok('findCustomers', { token: ana, query })).customers,
        [],
        `${query}: gone after the deletion`,
      );
  });
});

describe('privacy deletion while the settlement server is away', () => {
  it('is done here at once, queued, and reaches the server and the other kiosk when it is back', async () => {
    const serverDir = tempDir('smile-privacy-server-');
    let server: RunningServer = await startServer({ dataDir: serverDir });
    await addMerchant(server.services, 'm-shop', 'Shop', 'EUR');
    const token = await createToken(server.services, 'm-shop');
    const port = Number(new URL(server.url).port);
    const dir = tempDir('smile-privacy-offline-');
    const config = loadConfig({
      env: {
        SMILE_DATA_DIR: dir,
        SMILE_HTTP_PORT: '0',
        SMILE_SETTLEMENT_URL: server.url,
        SMILE_MERCHANT_TOKEN: await createToken(server.services, 'm-shop'),
        // Plain Node has no OS keychain: a test kiosk says it runs its keys in the clear.
        SMILE_KEYS_ALLOW_WEAK: '1',
      },
    });
    const host = await openKiosk({ config, log, syncPollMs: 100, syncRetryCapMs: 200 });
    const other = await testKiosk(server.url, token);
    const client = await WsClient.connect(host.http!.url);
    try {
      await host.staff.add({ staff_id: 'mia', display_name: 'Mia', role: 'manager' }, '594726');
      const mia = (await client.ok('staffSignIn', { staff_id: 'mia', pin: '594726' })).token;
      await host.worker!.enrol('c-jo', encodeTemplates([randomDescriptor()]), {
        text_version: CONSENT_TEXT_VERSION,
        purpose: 'test',
        retention_days: 30,
        agreed_at_ms: Date.now(),
      });
      host.customers.put({
        customer_id: 'c-jo',
        display_name: 'Jo Lee',
        phone_last4: '7788',
        enrolled_at_ms: Date.now(),
      });
      await until('the enrolment on both kiosks', async () => {
        await other.worker.pullFeed();
        const found = await client.ok('findCustomers', { token: mia, query: '7788' });
        return other.worker.state.galleryIds().includes('c-jo') && found.customers[0]?.template_on_kiosk === true;
      });

      await server.close();
      const deleted = await client.ok('deleteCustomer', { token: mia, customer_id: 'c-jo', reason: 'email request' });
      assert.equal(deleted.deletion?.status, 'pending');
      assert.match(deleted.deletion?.last_error ?? '', /did not answer/);
      assert.equal(deleted.template_on_kiosk, false, 'gone here at once');
      assert.deepEqual((await client.ok('findCustomers', { token: mia, query: '7788' })).customers, []);
      assert.equal((await client.ok('findCustomers', { token: mia, query: 'zz' })).pending_deletions, 1);

      server = await startServer({ dataDir: serverDir, port });
      await until(
        'the queued deletion to reach the server',
        async () =>
          (await client.ok('consentRecords', { token: mia, customer_id: 'c-jo' })).deletion?.status === 'propagated',
      );
      assert.equal((await client.ok('findCustomers', { token: mia, query: 'zz' })).pending_deletions, 0);
      const row = await server.services.store.db
        .selectFrom('deletions')
        .selectAll()
        .where('customer_id', '=', 'c-jo')
        .executeTakeFirst();
      assert.equal(row?.requested_by, `kiosk:${config.kiosk_id}`);
      await other.worker.pullFeed();
      assert.deepEqual(other.worker.state.galleryIds(), [], 'the other kiosk dropped it');
    } finally {
      client.close();
      await other.close();
      await host.close();
      await server.close();
    }
  });
});

const SCHEMA_1 = `
  CREATE TABLE consents (customer_id TEXT PRIMARY KEY, text_version TEXT NOT NULL, language TEXT CHECK (language IN ('en', 'de', 'zh')), purpose TEXT NOT NULL,
    retention_days INTEGER NOT NULL CHECK (retention_days >= 0), agreed_at_ms INTEGER NOT NULL, kiosk_id TEXT NOT NULL, source TEXT NOT NULL CHECK (source IN ('kiosk', 'demo'))) STRICT;
  CREATE TABLE deletions (customer_id TEXT PRIMARY KEY, requested_at_ms INTEGER NOT NULL, requested_by TEXT NOT NULL, reason TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'propagated', 'refused')), propagated_at_ms INTEGER, last_error TEXT) STRICT;
  CREATE INDEX deletions_pending ON deletions (status) WHERE status = 'pending';`;

describe('privacy records and the deletion queue (a desk on real parts, a real settlement server)', () => {
  let server: RunningServer;
  let k: TestKiosk;
  let dir: string;
  let staff: StaffDirectory;
  let customers: CustomerDirectory;
  let gallery: Gallery;
  let desk: PrivacyService;
  let ana: string;
  let mia: string;
  let clock = Date.now();
  const deskAt = (path: string): PrivacyService =>
    new PrivacyService({
      log,
      kioskId: k.kioskId,
      path,
      staff,
      customers,
      state: k.worker.state,
      gallery,
      worker: k.worker,
      now: () => clock,
    });
  const history = (customerId: string): { event: string; actor: string; detail: string }[] => {
    const db = new Database(join(dir, 'privacy.db'), { readonly: true });
    try {
      return db
        .prepare('SELECT event, actor, detail FROM deletion_history WHERE customer_id = ? ORDER BY id')
        .all(customerId) as { event: string; actor: string; detail: string }[];
    } finally {
      db.close();
    }
  };
  const state = (customerId: string): { attempts: number; next_attempt_ms: number } => {
    const db = new Database(join(dir, 'privacy.db'), { readonly: true });
    try {
      return db
        .prepare('SELECT attempts, next_attempt_ms FROM deletion_state WHERE customer_id = ?')
        .get(customerId) as { attempts: number; next_attempt_ms: number };
    } finally {
      db.close();
    }
  };
  const onServer = async (customerId: string): Promise<boolean> =>
    (await server.services.store.db
      .selectFrom('deletions')
      .select('customer_id')
      .where('customer_id', '=', customerId)
      .executeTakeFirst()) !== undefined;

  before(async () => {
    server = await startServer({ dataDir: tempDir('smile-privacy-q-server-') });
    await addMerchant(server.services, 'm-shop', 'Shop', 'EUR');
    await addMerchant(server.services, 'm-other', 'Other shop', 'EUR');
    k = await testKiosk(server.url, await createToken(server.services, 'm-shop'));
    dir = tempDir('smile-privacy-q-');
    staff = new StaffDirectory(join(dir, 'staff.db'));
    await staff.add({ staff_id: 'ana', display_name: 'Ana', role: 'manager' }, '594726');
    const session = await staff.signIn('ana', '594726');
    ana = session.token;
    await staff.add({ staff_id: 'mia', display_name: 'Mia', role: 'manager' }, '832619', session);
    mia = (await staff.signIn('mia', '832619')).token;
    customers = new CustomerDirectory(join(dir, 'customers.db'));
    // Wired as the kiosk's gallery will be: deletions the server has not confirmed are left out.
    gallery = new Gallery(k.worker.state, k.boxKey.secret, { excluded: () => desk.deletedIds() });
    desk = deskAt(join(dir, 'privacy.db'));
  });
  after(async () => {
    await desk?.close();
    customers?.close();
    staff?.close();
    await k?.close();
    await server?.close();
  });

  it('refuses a consent given to another text version than the one the server is sent', async () => {
    const consent = {
      language: 'de' as const,
      purpose: 'pay by face',
      retention_days: 365,
      agreed_at_ms: clock,
      source: 'kiosk' as const,
    };
    const outdated = (e: unknown): boolean =>
      e instanceof ApiFault &&
      e.code === 'API_BAD_REQUEST' &&
      e.message.includes('"consent-2025-07"') &&
      e.message.includes(CONSENT_TEXT_VERSION);
    assert.throws(() => desk.requireCurrentConsent('consent-2025-07'), outdated);
    assert.throws(() => desk.recordConsent('c-old-text', { ...consent, text_version: 'consent-2025-07' }), outdated);
    assert.equal(
      code(await call(() => desk.consentRecords({ token: ana, customer_id: 'c-old-text' }))),
      'PRIVACY_CUSTOMER_UNKNOWN',
      'nothing was written',
    );
    desk.requireCurrentConsent(CONSENT_TEXT_VERSION);
    desk.recordConsent('c-new-text', { ...consent, text_version: CONSENT_TEXT_VERSION });
    assert.deepEqual(
      [
        desk.consentRecords({ token: ana, customer_id: 'c-new-text' }).consent?.text_version,
        desk.consentRecords({ token: ana, customer_id: 'c-new-text' }).consent?.language,
      ],
      [CONSENT_TEXT_VERSION, 'de'],
    );
  });

  it('keeps every request with its approver when a manager asks again after a refusal; the history refuses UPDATE and DELETE', async () => {
    await addCustomer(server.services, 'c-theirs', 'm-other'); // another merchant's: the server refuses
    customers.put({ customer_id: 'c-theirs', display_name: 'Theo Reed', phone_last4: '1212', enrolled_at_ms: clock });
    const first = await desk.deleteCustomer({ token: ana, customer_id: 'c-theirs', reason: 'asked by phone' });
    assert.deepEqual(
      [first.deletion?.status, first.deletion?.requested_by, first.deletion?.reason, first.deletion?.requested_at_ms],
      ['refused', 'manager:ana', 'asked by phone', clock],
    );
    assert.match(first.deletion?.last_error ?? '', /SETTLE_NOT_ALLOWED/);
    assert.ok(desk.deletedIds().has('c-theirs'));

    clock += 60_000;
    const second = await desk.deleteCustomer({ token: mia, customer_id: 'c-theirs', reason: 'asked again in writing' });
    assert.deepEqual(
      [
        second.deletion?.status,
        second.deletion?.requested_by,
        second.deletion?.reason,
        second.deletion?.requested_at_ms,
      ],
      ['refused', 'manager:mia', 'asked again in writing', clock],
      'the new approver and reason',
    );
    assert.deepEqual(desk.consentRecords({ token: ana, customer_id: 'c-theirs' }).deletion, second.deletion);
    const h = history('c-theirs');
    assert.deepEqual(
      h.map((r) => [r.event, r.actor]),
      [
        ['requested', 'manager:ana'],
        ['refused', 'server'],
        ['requested', 'manager:mia'],
        ['refused', 'server'],
      ],
    );
    assert.deepEqual([h[0]!.detail, h[2]!.detail], ['asked by phone', 'asked again in writing']);

    const db = new Database(join(dir, 'privacy.db'));
    try {
      assert.throws(
        () => db.prepare("UPDATE deletion_history SET actor = 'manager:eve' WHERE customer_id = 'c-theirs'").run(),
        /deletion_history is append-only/,
      );
      assert.throws(
        () => db.prepare("DELETE FROM deletion_history WHERE customer_id = 'c-theirs'").run(),
        /deletion_history is append-only/,
      );
      assert.throws(
        () => db.prepare("UPDATE deletions SET requested_by = 'manager:eve'").run(),
        /cannot modify deletions because it is a view/,
      );
    } finally {
      db.close();
    }
    assert.deepEqual(history('c-theirs'), h, 'unchanged');
  });

  it('a customer the server fails on (500) waits a bounded backoff; the deletion queued behind it still reaches the server', async () => {
    for (const [id, name, last4] of [
      ['c-stuck', 'Sam Stone', '5151'],
      ['c-next', 'Nia Cole', '6262'],
    ] as const) {
      await addCustomer(server.services, id, 'm-shop');
      customers.put({ customer_id: id, display_name: name, phone_last4: last4, enrolled_at_ms: clock });
    }
    // The server's own database refuses this one customer's deletion: a 500 for it alone.
    await sql
      .raw(
        "CREATE TRIGGER test_fail_c_stuck BEFORE INSERT ON deletions WHEN new.customer_id = 'c-stuck' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END",
      )
      .execute(server.services.store.db);
    const stuck = await desk.deleteCustomer({ token: ana, customer_id: 'c-stuck', reason: 'asked' });
    assert.equal(stuck.deletion?.status, 'pending');
    assert.match(stuck.deletion?.last_error ?? '', /500 SETTLE_INTERNAL/);
    assert.deepEqual(state('c-stuck'), { attempts: 1, next_attempt_ms: clock + retryDelayMs(1) });

    // Due again, and first in the queue; the next request comes after it.
    clock += retryDelayMs(1) + 1_000;
    const next = await desk.deleteCustomer({ token: ana, customer_id: 'c-next', reason: 'asked' });
    assert.equal(next.deletion?.status, 'propagated', 'the failing customer did not hold it up');
    assert.ok(await onServer('c-next'));
    assert.equal(await onServer('c-stuck'), false);
    assert.deepEqual(
      state('c-stuck'),
      { attempts: 2, next_attempt_ms: clock + retryDelayMs(2) },
      'it was tried first in that round, and failed again',
    );
    assert.deepEqual(
      [...desk.deletedIds()].sort(),
      ['c-stuck', 'c-theirs'],
      'pending and refused; not the propagated one',
    );

    await desk.flush();
    assert.equal(state('c-stuck').attempts, 2, 'not tried again before its backoff');

    await sql.raw('DROP TRIGGER test_fail_c_stuck').execute(server.services.store.db);
    clock += retryDelayMs(2);
    await desk.flush();
    assert.equal(desk.consentRecords({ token: ana, customer_id: 'c-stuck' }).deletion?.status, 'propagated');
    assert.ok(await onServer('c-stuck'));
    assert.deepEqual([...desk.deletedIds()], ['c-theirs']);
    assert.equal(desk.findCustomers({ token: ana, query: 'zz' }).pending_deletions, 0);
    assert.deepEqual(
      history('c-stuck').map((r) => r.event),
      ['requested', 'propagated'],
      'failures are not history; the outcome is',
    );

    // The backoff doubles and stops at its cap.
    assert.equal(retryDelayMs(2), 2 * retryDelayMs(1));
    assert.equal(retryDelayMs(40), PRIVACY_RETRY_CAP_MS);
    assert.ok(retryDelayMs(1) > 0 && retryDelayMs(1_000) === PRIVACY_RETRY_CAP_MS);
  });

  it('moves the deletions of an older privacy.db (schema 1) into the history, once', async () => {
    const path = join(tempDir('smile-privacy-old-'), 'privacy.db');
    const old = new Database(path);
    old.exec(SCHEMA_1);
    old
      .prepare('INSERT INTO deletions VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run('c-was', 1_000, 'manager:ana', 'asked in 2025', 'propagated', 2_000, null);
    old
      .prepare('INSERT INTO deletions VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run('c-no', 1_500, 'manager:bo', 'asked too', 'refused', null, '403 SETTLE_NOT_ALLOWED');
    old.close();
    for (let open = 0; open < 2; open++) {
      const d = deskAt(path);
      try {
        assert.deepEqual(d.consentRecords({ token: ana, customer_id: 'c-was' }).deletion, {
          requested_at_ms: 1_000,
          requested_by: 'manager:ana',
          reason: 'asked in 2025',
          status: 'propagated',
          propagated_at_ms: 2_000,
          last_error: null,
        });
        assert.equal(d.consentRecords({ token: ana, customer_id: 'c-no' }).deletion?.status, 'refused');
        assert.deepEqual([...d.deletedIds()], ['c-no']);
      } finally {
        await d.close();
      }
      const db = new Database(path, { readonly: true });
      try {
        assert.equal(db.pragma('user_version', { simple: true }), PRIVACY_SCHEMA_VERSION);
        assert.deepEqual(db.prepare('SELECT customer_id, event, actor FROM deletion_history ORDER BY id').raw().all(), [
          ['c-was', 'requested', 'manager:ana'],
          ['c-no', 'requested', 'manager:bo'],
          ['c-was', 'propagated', 'server'],
          ['c-no', 'refused', 'server'],
        ]);
      } finally {
        db.close();
      }
    }
  });
});

/** A host call made directly (not through the dispatcher), answered as the dispatcher would. */
async function call<T>(f: () => T | Promise<T>): Promise<ApiResult<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (err) {
    if (err instanceof ApiFault) return { ok: false, error: { code: err.code, message: err.message } };
    throw err;
  }
}
