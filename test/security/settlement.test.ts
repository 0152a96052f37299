// Proves refused, through the real transport (the settlement server on loopback, real SQLite and PostgreSQL), the review's attacks on the settlement server and the kiosk's trust in it:
// finding 2 (a kiosk of one merchant debits another merchant's customer), 3 (the public
// receipt lookup tells who paid; anonymous lookups unbounded), 6 (the file with the server's
// signing key also unseals every template), 7 (the kiosk takes the server's key on first use,
// over plain HTTP), 11 (bodies read and parsed before authentication; a request signed for
// one server accepted by another; the day's tree rebuilt per lookup; the fault hook honoured
// by production `settle serve`).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeviceKey } from '../../ledger/keys/device-key.js';
import { fromHex, toHex } from '../../ledger/protocol/hex.js';
import { merkleRoot, verifyInclusion } from '../../ledger/protocol/merkle.js';
import { nodePrivateKey, publicKeyOf } from '../../ledger/keys/ed25519.js';
import { boxPublicKey, newBoxSecret } from '../../ledger/wire/sealed-box.js';
import { RECEIPT_BATCH_DOMAIN, batchHeadBytes, sha256Hex, signDomain } from '../../ledger/wire/signing.js';
import { addCustomer, addMerchant, createToken, listAlarms, topUp } from '../../ledger/server/admin.js';
import { deleteTemplates } from '../../ledger/server/customers.js';
import { merchantAccount, walletAccount } from '../../ledger/server/context.js';
import { closeServices, openServices } from '../../ledger/server/server.js';
import { SyncWorker } from '../../ledger/sync/worker.js';
import type { SyncError } from '../../ledger/sync/http.js';
import { boxKeyFrom } from '../../ledger/keys/box-key.js';
import { LedgerStore } from '../../ledger/store/store.js';
import {
  BACKENDS,
  MERCHANT,
  balance,
  checkBooks,
  facePayment,
  fundedCustomer,
  kiosk,
  serverWithMerchant,
  storageFor,
  tempDir,
  usePostgres,
} from '../helpers/settle.js';
import { send, startProxy, type Recorded } from '../helpers/proxy.js';
import { canonicalBytes } from '../../ledger/protocol/canonical.js';
import type { UploadResponse } from '../../ledger/wire/wire.js';
import { spawnServer } from '../helpers/settle-process.js';

const pg = usePostgres();
const RIVAL = 'm-rival';

/** A fresh, empty kiosk ledger file (what a sync worker opens). */
function ledgerFile(kioskId: string, key: DeviceKey): string {
  const path = join(tempDir('stp-ledger-'), 'ledger.db');
  LedgerStore.open({ path, kioskId, key }).close();
  return path;
}

for (const backend of BACKENDS) {
  describe(`finding 2 on ${backend}: one merchant's kiosk and another merchant's wallets`, () => {
    it("refuses a kiosk of merchant B debiting a customer of merchant A, and a payment from a deleted customer's wallet; books unchanged", async () => {
      const { server, s, token } = await serverWithMerchant(await storageFor(backend, pg));
      try {
        await addMerchant(s, RIVAL, 'Rival', 'EUR');
        const rivalToken = await createToken(s, RIVAL);
        await fundedCustomer(s, 'alice', 10_000); // a customer of MERCHANT
        await addCustomer(s, 'bea', RIVAL);
        await topUp(s, 'bea', 5_000, 'EUR');
        await deleteTemplates(s, 'bea', 'operator'); // bea asked to be deleted
        await addCustomer(s, 'cem', RIVAL);
        await topUp(s, 'cem', 5_000, 'EUR');
        const rival = await kiosk(server.url, rivalToken);
        rival.store.append('payment', facePayment('alice', 4_500));
        rival.store.append('payment', facePayment('bea', 1_000));
        rival.store.append('payment', facePayment('cem', 700)); // its own active customer: settles
        await rival.worker.syncOnce();
        const receipts = [1, 2, 3].map((seq) => rival.worker.state.receipt(seq));
        assert.deepEqual(
          receipts.map((r) => [r?.status, r?.reason]),
          [
            ['declined', 'SETTLE_UNKNOWN_CUSTOMER'],
            ['declined', 'SETTLE_CUSTOMER_INACTIVE'],
            ['settled', null],
          ],
        );
        assert.equal(await balance(s, walletAccount('alice')), 10_000, "alice's wallet untouched");
        assert.equal(await balance(s, walletAccount('bea')), 5_000, "bea's wallet untouched");
        assert.equal(await balance(s, merchantAccount(RIVAL)), 700, 'the rival got only its own sale');
        // Alice's own merchant's kiosk still takes her payment.
        const own = await kiosk(server.url, token);
        own.store.append('payment', facePayment('alice', 1_000));
        await own.worker.syncOnce();
        assert.equal(own.worker.state.receipt(1)?.status, 'settled');
        assert.equal(await balance(s, walletAccount('alice')), 9_000);
        assert.equal(await balance(s, merchantAccount(MERCHANT)), 1_000);
        await own.close();
        await checkBooks(s);
        const alarms = await listAlarms(s);
        assert.deepEqual(
          alarms.map((a) => [a.kind, a.kiosk_id, a.seq]),
          [['foreign_customer', rival.kioskId, 1]],
          "the operator sees the attempt on another merchant's customer",
        );
        await rival.close();
      } finally {
        await server.close();
      }
    });
  });
}

/** Every string in a JSON value, at any depth. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (typeof v === 'object' && v !== null) return Object.values(v).flatMap(strings);
  return [];
}

describe('finding 3: the public receipt lookup', () => {
  it('answers a receipt holder amount, currency, time, status and proof, and never who paid (not even inside base64)', async () => {
    const { server, s, token } = await serverWithMerchant({ dataDir: tempDir() });
    try {
      await fundedCustomer(s, 'carla-4711', 10_000);
      const k = await kiosk(server.url, token);
      const paid = k.store.append('payment', facePayment('carla-4711', 1_234));
      await k.worker.syncOnce();
      const check = async (): Promise<Record<string, unknown>> => {
        const res = await fetch(`${server.url}/v1/receipts/${paid.entry_hash}`);
        assert.equal(res.status, 200);
        const text = await res.text();
        assert.ok(!text.includes('carla-4711'), `the answer names the customer: ${text.slice(0, 300)}`);
        for (const v of strings(JSON.parse(text)))
          if (/^[A-Za-z0-9+/]{16,}={0,2}$/.test(v))
            assert.ok(!Buffer.from(v, 'base64').toString('latin1').includes('carla-4711'), 'customer id in base64');
        const body = JSON.parse(text) as Record<string, unknown>;
        assert.equal(body.amount_minor, 1_234);
        assert.equal(body.currency, 'EUR');
        assert.equal(body.status, 'settled');
        assert.equal(body.created_at_ms, paid.entry.created_at_ms);
        return body;
      };
      assert.equal((await check()).inclusion, null, 'no inclusion proof before the day is closed');
      k.store.closeDay(new Date().toISOString().slice(0, 10), 'manager-1');
      await k.worker.syncOnce();
      const inclusion = (await check()).inclusion as {
        leaf_index: number;
        tree_size: number;
        root: string;
        proof: string[];
      };
      assert.ok(
        verifyInclusion(
          fromHex(paid.entry_hash, 32),
          inclusion.leaf_index,
          inclusion.tree_size,
          inclusion.proof.map((p) => fromHex(p, 32)),
          fromHex(inclusion.root, 32),
        ),
      );
      await k.close();
    } finally {
      await server.close();
    }
  });

  it('bounds anonymous lookups: a flood from one client is answered 429 SETTLE_RATE_LIMITED with Retry-After', async () => {
    const { server } = await serverWithMerchant({ dataDir: tempDir() });
    try {
      const answers = await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          fetch(`${server.url}/v1/receipts/${sha256Hex(new Uint8Array([i, i >> 8]))}`).then(async (r) => ({
            status: r.status,
            retry: r.headers.get('retry-after'),
            body: (await r.json()) as { error: { code: string } },
          })),
        ),
      );
      const limited = answers.filter((a) => a.status === 429);
      assert.ok(limited.length > 0, 'some lookups are refused');
      for (const a of limited) {
        assert.equal(a.body.error.code, 'SETTLE_RATE_LIMITED');
        assert.match(a.retry ?? '', /^\d+$/);
      }
      for (const a of answers.filter((x) => x.status !== 429)) assert.equal(a.body.error.code, 'SETTLE_NOT_FOUND');
    } finally {
      await server.close();
    }
  });
});

describe('finding 11: the public lookup and closed days', () => {
  it("builds a closed day's Merkle tree once, not once per anonymous lookup", async () => {
    const { server, s, token } = await serverWithMerchant({ dataDir: tempDir() });
    try {
      await fundedCustomer(s, 'dora', 1_000_000);
      const k = await kiosk(server.url, token, { batchEntriesMax: 100 });
      const paid = Array.from({ length: 300 }, () => k.store.append('payment', facePayment('dora', 10)));
      k.store.closeDay(new Date().toISOString().slice(0, 10), 'manager-1');
      await k.worker.syncOnce();
      for (const p of paid.slice(0, 20)) {
        const res = await fetch(`${server.url}/v1/receipts/${p.entry_hash}`);
        assert.equal(res.status, 200);
        assert.equal(((await res.json()) as { inclusion: { tree_size: number } }).inclusion.tree_size, 300);
      }
      const trees = (s as unknown as { dayTrees?: { built: number } }).dayTrees;
      assert.equal(trees?.built, 1, 'one tree for twenty lookups of one closed day');
      await k.close();
    } finally {
      await server.close();
    }
  });
});

describe('finding 7: the kiosk pins the server key', () => {
  /** Replaces every occurrence of `from` in an answer with `to` (an attacker on the path). */
  const swap =
    (pairs: [string, string][]) =>
    (_req: unknown, _status: number, body: Buffer): Buffer => {
      let text = body.toString('utf8');
      for (const [from, to] of pairs) text = text.split(from).join(to);
      return Buffer.from(text);
    };

  it('refuses a server key swapped on the way (registration through a man in the middle), and stores no key', async () => {
    const { server, s, token } = await serverWithMerchant({ dataDir: tempDir() });
    const attackerSigning = DeviceKey.generate().publicKeyHex;
    const attackerBox = toHex(boxPublicKey(newBoxSecret()));
    const proxies = [
      await startProxy(
        server.url,
        swap([
          [s.keys.publicKeyHex, attackerSigning],
          [s.keys.boxPublicKeyHex, attackerBox],
        ]),
      ),
      // Only the template key swapped: templates would be sealed to the attacker.
      await startProxy(server.url, swap([[s.keys.boxPublicKeyHex, attackerBox]])),
    ];
    try {
      for (const proxy of proxies) {
        const kioskId = `k-mitm-${proxies.indexOf(proxy)}`;
        const key = DeviceKey.generate();
        const w = new SyncWorker({
          ledgerPath: ledgerFile(kioskId, key),
          kioskId,
          key,
          boxKey: boxKeyFrom(newBoxSecret()),
          serverUrl: proxy.url,
        });
        try {
          await assert.rejects(w.register(token), (e: SyncError) => e.code === 'SYNC_SERVER_KEY_MISMATCH');
          assert.equal(w.state.state('server_public_key'), undefined);
          assert.equal(w.state.state('server_box_public_key'), undefined);
        } finally {
          w.close();
        }
      }
    } finally {
      for (const p of proxies) await p.close();
      await server.close();
    }
  });

  it('refuses receipts re-signed by a man in the middle (a declined payment made to look settled): nothing stored', async () => {
    const { server, s, token } = await serverWithMerchant({ dataDir: tempDir() });
    const attacker = newBoxSecret(); // 32 random bytes: an Ed25519 secret of the attacker's
    const forge = (req: Recorded, _status: number, body: Buffer): Buffer => {
      if (req.path !== '/v1/entries') return body;
      const answer = JSON.parse(body.toString('utf8')) as UploadResponse;
      for (const item of answer.receipts) {
        item.receipt.status = 'settled';
        delete item.receipt.reason;
      }
      for (const b of answer.batches) {
        const leaves = answer.receipts
          .filter((r) => r.batch_id === b.head.batch_id)
          .map((r) => canonicalBytes(r.receipt));
        b.head.root = toHex(merkleRoot(leaves));
        b.signature = signDomain(RECEIPT_BATCH_DOMAIN, nodePrivateKey(attacker), batchHeadBytes(b.head));
      }
      return Buffer.from(JSON.stringify(answer));
    };
    const proxy = await startProxy(server.url, forge);
    try {
      await fundedCustomer(s, 'gus', 100);
      const k = await kiosk(proxy.url, token);
      k.store.append('payment', facePayment('gus', 5_000)); // more than gus holds: declined
      await assert.rejects(
        k.worker.uploadPending(),
        (e: SyncError) => e.code === 'SYNC_BAD_RECEIPT' && /not signed by the server key/.test(e.message),
      );
      assert.equal(k.worker.state.syncedSeq(), 0, 'no forged receipt stored');
      await k.close();
    } finally {
      await proxy.close();
      await server.close();
    }
  });

  it('refuses to register on a token that pins no key unless the configuration pins one', async () => {
    const { server, s } = await serverWithMerchant({ dataDir: tempDir() });
    try {
      // A token of the old kind: random, with no fingerprint of the server's key in it.
      const legacy = 'legacy-token-without-any-fingerprint';
      await s.store.db
        .insertInto('merchant_tokens')
        .values({
          token_sha256: sha256Hex(new TextEncoder().encode(legacy)),
          merchant_id: MERCHANT,
          created_at_ms: Date.now(),
          revoked_at_ms: null,
        })
        .execute();
      const make = (pinned?: string): SyncWorker => {
        const kioskId = `k-pin-${pinned === undefined ? 'none' : 'config'}`;
        const key = DeviceKey.generate();
        return new SyncWorker({
          ledgerPath: ledgerFile(kioskId, key),
          kioskId,
          key,
          boxKey: boxKeyFrom(newBoxSecret()),
          serverUrl: server.url,
          ...(pinned === undefined ? {} : { serverPublicKeyHex: pinned }),
        });
      };
      const unpinned = make();
      await assert.rejects(unpinned.register(legacy), (e: SyncError) => e.code === 'SYNC_SERVER_KEY_UNPINNED');
      unpinned.close();
      const pinned = make(s.keys.publicKeyHex);
      await pinned.register(legacy);
      assert.equal(pinned.state.state('server_public_key'), s.keys.publicKeyHex);
      pinned.close();
    } finally {
      await server.close();
    }
  });

  it('refuses http:// to a settlement server beyond loopback before anything is sent', async () => {
    for (const serverUrl of ['http://192.0.2.10:8787', 'http://settle.example:80', 'http://[2001:db8::1]:8787']) {
      await assert.rejects(
        async () => {
          const key = DeviceKey.generate();
          const w = new SyncWorker({
            ledgerPath: ledgerFile('k-http', key),
            kioskId: 'k-http',
            key,
            boxKey: boxKeyFrom(newBoxSecret()),
            serverUrl,
            httpTimeoutMs: 500,
          });
          try {
            await w.register('stp1.some-token-value-here-long-enough.00');
          } finally {
            w.close();
          }
        },
        (e: SyncError) => e.code === 'SYNC_INSECURE_URL',
        serverUrl,
      );
    }
  });
});

/** Sends raw bytes on a socket; resolves with what came back within `waitMs`. */
function rawExchange(port: number, head: string, body: string, waitMs: number): Promise<string> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    let got = '';
    const done = (): void => {
      sock.destroy();
      resolve(got);
    };
    const timer = setTimeout(done, waitMs);
    sock.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (/\r\n\r\n[\s\S]*\}/.test(got)) {
        clearTimeout(timer);
        done();
      }
    });
    sock.on('error', () => undefined);
    sock.write(head + body);
  });
}

describe('finding 11: authenticate first, then read and parse', () => {
  it('answers an unsigned 4 MB upload 401 at once, without waiting for (or reading) its body', async () => {
    const { server } = await serverWithMerchant({ dataDir: tempDir() });
    try {
      const port = Number(new URL(server.url).port);
      for (const auth of ['', `x-stp-kiosk-id: nobody\r\nx-stp-timestamp-ms: ${Date.now()}\r\n`]) {
        const head =
          `POST /v1/entries HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
          `content-length: 4000000\r\n${auth}\r\n`;
        const answer = await rawExchange(port, head, '{"entries": [', 3_000);
        assert.match(
          answer,
          /^HTTP\/1\.1 401 /,
          `expected 401 before the body; got ${JSON.stringify(answer.slice(0, 80))}`,
        );
      }
    } finally {
      await server.close();
    }
  });

  it("refuses a kiosk's wrongly signed request as unauthenticated before parsing its body", async () => {
    const { server, token } = await serverWithMerchant({ dataDir: tempDir() });
    try {
      const k = await kiosk(server.url, token);
      const res = await fetch(`${server.url}/v1/entries`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-stp-kiosk-id': k.kioskId,
          'x-stp-timestamp-ms': String(Date.now()),
          'x-stp-nonce': '0'.repeat(32),
          'x-stp-signature': '0'.repeat(128),
        },
        body: '{"entries": [',
      });
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'SETTLE_BAD_SIGNATURE');
      await k.close();
    } finally {
      await server.close();
    }
  });

  it('reads at most a small body on the routes that parse before a signature can be checked (a freeze, a registration)', async () => {
    const { server, token } = await serverWithMerchant({ dataDir: tempDir() });
    try {
      const big = JSON.stringify({ record: { reason: 'x'.repeat(64 * 1024) }, signature: '0'.repeat(128) });
      const asked = [
        ['/v1/freezes', {}],
        ['/v1/kiosks', { authorization: `Bearer ${token}` }],
      ] as const;
      for (const [path, headers] of asked) {
        const res = await fetch(server.url + path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: big,
        });
        assert.equal(res.status, 413, path);
        assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'SETTLE_BODY_TOO_LARGE');
      }
      // Without a merchant token, a registration is refused before its body is read.
      const res = await fetch(`${server.url}/v1/kiosks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: big,
      });
      assert.equal(res.status, 401);
    } finally {
      await server.close();
    }
  });
});

describe('finding 11: a request signed for one settlement server', () => {
  it('is refused by another server where the same kiosk key is registered (replayed by a man in the middle)', async () => {
    const a = await serverWithMerchant({ dataDir: tempDir() });
    const b = await serverWithMerchant({ dataDir: tempDir() });
    const proxy = await startProxy(a.server.url);
    try {
      await fundedCustomer(a.s, 'eve', 10_000);
      await fundedCustomer(b.s, 'eve', 10_000);
      const k = await kiosk(proxy.url, a.token);
      // The same kiosk (id and key) is registered with server B too.
      const atB = new SyncWorker({
        ledgerPath: ledgerFile(k.kioskId, k.key),
        kioskId: k.kioskId,
        key: k.key,
        boxKey: k.boxKey,
        serverUrl: b.server.url,
      });
      await atB.register(b.token);
      atB.close();
      k.store.append('payment', facePayment('eve', 2_500));
      await k.worker.uploadPending();
      const captured = proxy.requests.find((r) => r.method === 'POST' && r.path === '/v1/entries');
      assert.ok(captured !== undefined);
      const replay = await send(b.server.url, captured);
      assert.equal(replay.status, 401, replay.body.toString());
      assert.equal((replay.json() as { error: { code: string } }).error.code, 'SETTLE_BAD_SIGNATURE');
      assert.equal(await balance(b.s, walletAccount('eve')), 10_000, 'nothing moved at server B');
      assert.equal(await balance(a.s, walletAccount('eve')), 7_500);
      await k.close();
    } finally {
      await proxy.close();
      await a.server.close();
      await b.server.close();
    }
  });
});

describe('finding 11: the crash tests’ fault hook', () => {
  it('is not honoured by production `settle serve`: SETTLE_FAULT_PAUSE_IN_TX_MS set, no pause inside the transaction', async () => {
    const dataDir = tempDir();
    const setup = await openServices({ dataDir, verifyThreads: 0 });
    await addMerchant(setup, MERCHANT, 'Cafe', 'EUR');
    await addCustomer(setup, 'finn', MERCHANT);
    await topUp(setup, 'finn', 10_000, 'EUR');
    const token = await createToken(setup, MERCHANT);
    await closeServices(setup);
    const server = await spawnServer({ dataDir, env: { SETTLE_FAULT_PAUSE_IN_TX_MS: '5000' } });
    try {
      const k = await kiosk(server.url, token);
      let paused = false;
      void server.nextPause().then(() => (paused = true));
      k.store.append('payment', facePayment('finn', 100));
      const t0 = Date.now();
      await k.worker.uploadPending();
      const ms = Date.now() - t0;
      assert.equal(paused, false, 'the server paused inside the transaction');
      assert.ok(ms < 4_000, `the upload took ${ms} ms (the hook would hold it 5,000 ms)`);
      await k.close();
    } finally {
      await server.kill();
    }
  });
});

describe('finding 6: the server keys at rest', () => {
  it('keeps the key that unseals templates out of the file that holds the signing key', async () => {
    const dataDir = tempDir();
    const server = await spawnServer({ dataDir });
    let keys: { public_key: string; box_public_key: string };
    try {
      keys = (await (await fetch(`${server.url}/v1/server-key`)).json()) as typeof keys;
    } finally {
      await server.kill('SIGTERM');
    }
    const holders = (match: (secret: Uint8Array) => boolean): string[] =>
      readdirSync(dataDir)
        .filter((f) => statSync(join(dataDir, f)).isFile())
        .filter((f) =>
          (readFileSync(join(dataDir, f), 'latin1').match(/[0-9a-f]{64}/g) ?? []).some((h) => match(fromHex(h, 32))),
        );
    const signing = holders((x) => toHex(publicKeyOf(x)) === keys.public_key);
    const box = holders((x) => toHex(boxPublicKey(x)) === keys.box_public_key);
    assert.equal(signing.length, 1, `one file holds the signing key: ${signing.join(', ')}`);
    assert.equal(box.length, 1, `one file holds the template key: ${box.join(', ')}`);
    assert.notEqual(signing[0], box[0], 'a copy of the signing key file must not unseal templates');
    for (const f of [...signing, ...box]) assert.equal(statSync(join(dataDir, f)).mode & 0o077, 0, `${f}: mode 600`);
  });

  it("splits an older server's combined key file in two at start, keeping both keys", async () => {
    const dataDir = tempDir();
    const ed = newBoxSecret(); // 32 random bytes serve as an Ed25519 secret too
    const x = newBoxSecret();
    writeFileSync(
      join(dataDir, 'server-keys.json'),
      JSON.stringify({ v: 1, ed25519_secret: toHex(ed), x25519_secret: toHex(x) }) + '\n',
      { mode: 0o600 },
    );
    const server = await spawnServer({ dataDir });
    try {
      const keys = (await (await fetch(`${server.url}/v1/server-key`)).json()) as {
        public_key: string;
        box_public_key: string;
      };
      assert.equal(keys.public_key, toHex(publicKeyOf(ed)));
      assert.equal(keys.box_public_key, toHex(boxPublicKey(x)));
    } finally {
      await server.kill('SIGTERM');
    }
    const files = readdirSync(dataDir).filter((f) => f.includes('key'));
    for (const f of files) {
      const text = readFileSync(join(dataDir, f), 'utf8');
      assert.ok(!(text.includes(toHex(ed)) && text.includes(toHex(x))), `${f} holds both keys`);
    }
  });
});
