// Proves the manager's privacy panel against a real kiosk host (openKiosk, its WebSocket
// transport, its ledger file and gallery) and a real settlement server on loopback, with a
// second kiosk of the same merchant: demo customers are enrolled through the real path
// (templates sealed to the server, back through its feed); a manager finds one by a part of the
// name, by initials and by the phone's last 4 digits, and sees the consent record; the deletion
// removes the template on this kiosk at once, reaches the server (its templates row gone, the
// deletion recorded) and the second kiosk drops it at its next feed pull; the consent record
// stays, with who deleted it and why. While the server is away the deletion is queued, the
// template is gone here already, and it reaches the server and the other kiosk once it is
// back. Cashiers and bad input are refused with their codes.
//
// The demo people's face descriptors come from a stand-in describer (random unit vectors): the
// privacy panel never looks at faces, and the face pipeline has its own tests.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../electron/config.js';
import { createLogger } from '../../electron/log.js';
import { openKiosk, type Kiosk } from '../../electron/host/kiosk.js';
import { DEMO_MERCHANT_ID, type DemoPerson } from '../../electron/host/demo.js';
import { encodeTemplates } from '../../electron/host/gallery.js';
import { CONSENT_TEXT_VERSION } from '../../electron/host/service.js';
import type { ApiResult } from '../../electron/contract/api.js';
import { DESCRIPTOR_DIMS } from '../../electron/face/matcher.js';
import { addMerchant, createToken } from '../../ledger/server/admin.js';
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
  let host: Kiosk;
  let client: WsClient;
  let other: TestKiosk;
  let ana: string;
  let bo: string;

  before(async () => {
    const dir = tempDir('smile-privacy-');
    const config = loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0' } });
    host = await openKiosk({ config, log, demoPeople: PEOPLE, describeFaces: async () => [randomDescriptor(), randomDescriptor()], syncPollMs: 100 });
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
    assert.deepEqual(byName.customers.map((c) => c.customer_id), ['demo-d0']);
    const d0 = byName.customers[0]!;
    assert.deepEqual([d0.display_name, d0.initials, d0.phone_last4, d0.template_on_kiosk, d0.deletion], ['Daniel Ortiz', 'D.O.', '0042', true, null]);
    assert.deepEqual([d0.consent?.text_version, d0.consent?.language, d0.consent?.source, d0.consent?.retention_days], [CONSENT_TEXT_VERSION, null, 'demo', 365]);
    assert.ok(d0.enrolled_at_ms !== null && d0.consent!.agreed_at_ms > 0);
    assert.deepEqual((await client.ok('findCustomers', { token: ana, query: 'D.O.' })).customers.map((c) => c.customer_id), ['demo-d0']);
    assert.deepEqual((await client.ok('findCustomers', { token: ana, query: 'hk' })).customers.map((c) => c.customer_id), ['demo-hana']);
    assert.deepEqual((await client.ok('findCustomers', { token: ana, query: '1001' })).customers.map((c) => c.customer_id), ['demo-hana']);
    assert.deepEqual((await client.ok('findCustomers', { token: ana, query: '%' })).customers, [], 'LIKE wildcards are plain text');
    assert.deepEqual((await client.ok('consentRecords', { token: ana, customer_id: 'demo-d0' })).consent, d0.consent);

    assert.equal(code(await client.call('findCustomers', { token: bo, query: 'orti' })), 'STAFF_FORBIDDEN');
    assert.equal(code(await client.call('consentRecords', { token: bo, customer_id: 'demo-d0' })), 'STAFF_FORBIDDEN');
    assert.equal(code(await client.call('deleteCustomer', { token: bo, customer_id: 'demo-d0', reason: 'asked' })), 'STAFF_FORBIDDEN');
    assert.equal(code(await client.call('findCustomers', { token: ana, query: '   ' })), 'API_BAD_REQUEST');
    assert.equal(code(await client.call('findCustomers', { token: ana, query: 'x'.repeat(61) })), 'API_BAD_REQUEST');
    assert.equal(code(await client.call('deleteCustomer', { token: ana, customer_id: 'demo-d0', reason: ' ' })), 'API_BAD_REQUEST');
    assert.equal(code(await client.call('deleteCustomer', { token: ana, customer_id: 'nobody', reason: 'asked' })), 'PRIVACY_CUSTOMER_UNKNOWN');
    assert.equal(code(await client.call('consentRecords', { token: ana, customer_id: 'nobody' })), 'PRIVACY_CUSTOMER_UNKNOWN');
    assert.ok((await client.ok('findCustomers', { token: ana, query: 'orti' })).customers[0]!.template_on_kiosk, 'nothing was deleted by the refusals');
  });

  it('a deletion removes the template here at once, on the server, and on the other kiosk at its next sync; the record stays', async () => {
    await other.worker.pullFeed();
    assert.deepEqual(other.worker.state.galleryIds(), ['demo-d0', 'demo-hana']);
    const deleted = await client.ok('deleteCustomer', { token: ana, customer_id: 'demo-d0', reason: 'asked at the counter' });
    assert.equal(deleted.display_name, 'Daniel Ortiz', 'the answer names whom it was, once');
    assert.equal(deleted.template_on_kiosk, false);
    assert.deepEqual([deleted.deletion?.status, deleted.deletion?.requested_by, deleted.deletion?.reason], ['propagated', 'manager:ana', 'asked at the counter']);

    assert.deepEqual((await client.ok('findCustomers', { token: ana, query: 'orti' })).customers, [], 'gone from the search');
    const record = await client.ok('consentRecords', { token: ana, customer_id: 'demo-d0' });
    assert.deepEqual([record.display_name, record.phone_last4, record.template_on_kiosk, record.consent?.source, record.deletion?.status], [null, null, false, 'demo', 'propagated']);
    assert.equal(host.customers.get('demo-d0'), undefined);

    const db = host.demo!.server.services.store.db;
    assert.deepEqual(await db.selectFrom('templates').select('customer_id').where('customer_id', '=', 'demo-d0').execute(), [], "the server's sealed copy is gone");
    const del = await db.selectFrom('deletions').selectAll().where('customer_id', '=', 'demo-d0').executeTakeFirstOrThrow();
    assert.equal(del.deleted_at_ms, record.deletion!.propagated_at_ms);

    await other.worker.pullFeed();
    assert.deepEqual(other.worker.state.galleryIds(), ['demo-hana'], 'the other kiosk dropped it at its sync');
    // Asking again changes nothing and says the same.
    const again = await client.ok('deleteCustomer', { token: ana, customer_id: 'demo-d0', reason: 'twice' });
    assert.deepEqual(again.deletion, record.deletion);
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
    const config = loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0', SMILE_SETTLEMENT_URL: server.url, SMILE_MERCHANT_TOKEN: await createToken(server.services, 'm-shop') } });
    const host = await openKiosk({ config, log, syncPollMs: 100, syncRetryCapMs: 200 });
    const other = await testKiosk(server.url, token);
    const client = await WsClient.connect(host.http!.url);
    try {
      await host.staff.add({ staff_id: 'mia', display_name: 'Mia', role: 'manager' }, '5947');
      const mia = (await client.ok('staffSignIn', { staff_id: 'mia', pin: '5947' })).token;
      await host.worker!.enrol('c-jo', encodeTemplates([randomDescriptor()]), { text_version: CONSENT_TEXT_VERSION, purpose: 'test', retention_days: 30, agreed_at_ms: Date.now() });
      host.customers.put({ customer_id: 'c-jo', display_name: 'Jo Lee', phone_last4: '7788', enrolled_at_ms: Date.now() });
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
      await until('the queued deletion to reach the server', async () => (await client.ok('consentRecords', { token: mia, customer_id: 'c-jo' })).deletion?.status === 'propagated');
      assert.equal((await client.ok('findCustomers', { token: mia, query: 'zz' })).pending_deletions, 0);
      const row = await server.services.store.db.selectFrom('deletions').selectAll().where('customer_id', '=', 'c-jo').executeTakeFirst();
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

