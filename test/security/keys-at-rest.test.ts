// Proves refused: reading the kiosk's secret keys off its disk (box-key.json unseals every
// customer's face template and lay in the clear beside ledger.db; the device key was sealed only
// where a keychain happened to be there); starting a kiosk that moves real money with its keys
// in the clear (browser mode, or Electron on Linux's basic_text fallback) unless development is
// said explicitly; and opening sealed keys without their protector. Real kiosks on loopback,
// their real key files, a real AES-256-GCM protector standing in for the OS keychain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { aesGcmProtector } from '../../ledger/keys/key-protector.js';
import { loadOrCreateBoxKey } from '../../ledger/keys/box-key.js';
import { loadDeviceKey } from '../../ledger/keys/device-key.js';
import { decideKeyProtection, keychainWeakness, KeyProtectionError } from '../../electron/host/key-protection.js';
import { loadConfig } from '../../electron/config.js';
import { createLogger } from '../../electron/log.js';
import { openKiosk } from '../../electron/host/kiosk.js';
import { tempDir } from '../helpers/tmp.js';
import { call, openHostKiosk } from './kiosk-host.js';

const keychain = () => aesGcmProtector('test-keychain', randomBytes(32));

/** Every hex or base64 run of 32+ bytes in a file: candidates for a key in the clear. */
const secretsIn = (path: string): string[] => readFileSync(path, 'utf8').match(/[0-9a-f]{64}/g) ?? [];

test('with a keychain both key files are sealed: neither holds its secret, and a plaintext one is sealed at the next start', async (t) => {
  const dir = tempDir(t);
  // A first start without a keychain (the demo store, no settlement server): keys in the clear.
  const plain = await openHostKiosk(t, { dir });
  await plain.kiosk.close();
  const boxFile = join(dir, 'box-key.json');
  const deviceFile = join(dir, 'device-key.json');
  const boxSecret = (JSON.parse(readFileSync(boxFile, 'utf8')) as { x25519_secret: string }).x25519_secret;
  const deviceSecret = (JSON.parse(readFileSync(deviceFile, 'utf8')) as { secret_key: string }).secret_key;
  const devicePublic = loadDeviceKey(deviceFile).publicKeyHex;
  const boxPublic = loadOrCreateBoxKey(boxFile).publicKeyHex;

  // Started again with a keychain: both sealed in place, the same keys.
  const protector = keychain();
  const sealed = await openHostKiosk(t, { dir, options: { protector } });
  for (const file of [boxFile, deviceFile]) {
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes(boxSecret) && !text.includes(deviceSecret), `${file} holds a secret in the clear`);
    assert.match(text, /"protector":"test-keychain"/);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  }
  assert.ok(!secretsIn(boxFile).includes(boxSecret));
  assert.equal(loadDeviceKey(deviceFile, protector).publicKeyHex, devicePublic);
  assert.equal(loadOrCreateBoxKey(boxFile, protector).publicKeyHex, boxPublic);
  assert.match(sealed.kiosk.keyProtection.statement, /sealed by the OS keychain \(test-keychain\)/);
  // The kiosk works on them: it signs (a cash payment goes into the ledger).
  await sealed.kiosk.staff.add({ staff_id: 'ana', display_name: 'Ana', role: 'manager' }, '739154');
  const ana = (await sealed.kiosk.staff.signIn('ana', '739154')).token;
  const order = await call<{ order_id: string }>(sealed.url, 'sendOrder', {
    token: ana,
    lines: [{ item_id: 'tea', quantity: 1 }],
  });
  assert.ok(order.ok);
  assert.ok((await call(sealed.url, 'payOrder', { token: ana, order_id: order.value.order_id, method: 'cash' })).ok);
});

test('sealed keys do not open without their protector, nor with another keychain', async (t) => {
  const dir = tempDir(t);
  const protector = keychain();
  const h = await openHostKiosk(t, { dir, options: { protector } });
  await h.kiosk.close();
  assert.throws(() => loadOrCreateBoxKey(join(dir, 'box-key.json')), /sealed by test-keychain, which is not available/);
  assert.throws(() => loadDeviceKey(join(dir, 'device-key.json')), /sealed by test-keychain, which is not available/);
  assert.throws(() => loadOrCreateBoxKey(join(dir, 'box-key.json'), keychain()));
  await assert.rejects(openHostKiosk(t, { dir }), /sealed by test-keychain/);
});

test('a kiosk with a settlement server configured refuses to start with its keys in the clear, unless development is said', async (t) => {
  const env = { SMILE_SETTLEMENT_URL: 'http://127.0.0.1:9', SMILE_MERCHANT_TOKEN: 'm'.repeat(32) };
  const dir = tempDir(t);
  const config = loadConfig({ env: { SMILE_DATA_DIR: dir, SMILE_HTTP_PORT: '0', ...env } });
  await assert.rejects(
    openKiosk({ config, log: createLogger({ level: 'silent' }) }),
    (e: unknown) =>
      e instanceof KeyProtectionError &&
      /browser mode has no OS keychain/.test(e.message) &&
      /keys\.allow_weak_protection \(SMILE_KEYS_ALLOW_WEAK=1\)/.test(e.message),
  );
  // Refused before any key was made.
  assert.throws(() => statSync(join(dir, 'device-key.json')));
  assert.throws(() => statSync(join(dir, 'box-key.json')));
  // Said explicitly: it starts, and says plainly what protects the keys.
  const dev = await openHostKiosk(t, { env: { ...env, SMILE_KEYS_ALLOW_WEAK: '1' } });
  assert.match(dev.kiosk.keyProtection.statement, /NOT protected by a keychain: browser mode .*development only/);
  assert.equal(dev.kiosk.keyProtection.strong, false);
});

test("Electron's safeStorage on Linux falling back to basic_text is weak, and refused for real money", () => {
  const linux = (backend: string | null, available = true) =>
    keychainWeakness({ platform: 'linux', available, backend });
  assert.match(linux('basic_text')!, /basic_text/);
  assert.match(linux('unknown')!, /not a keychain/);
  assert.match(linux('gnome_libsecret', false)!, /not available/);
  assert.equal(linux('gnome_libsecret'), null);
  assert.equal(linux('kwallet6'), null);
  assert.equal(keychainWeakness({ platform: 'darwin', available: true, backend: null }), null);
  assert.equal(keychainWeakness({ platform: 'win32', available: true, backend: null }), null);
  const protector = keychain();
  assert.throws(
    () => decideKeyProtection({ protector, weakness: linux('basic_text'), allowWeak: false, realMoney: true }),
    KeyProtectionError,
  );
  const dev = decideKeyProtection({ protector, weakness: linux('basic_text'), allowWeak: true, realMoney: true });
  assert.equal(dev.protector, undefined, "basic_text's public password seals nothing: the files say so instead");
  assert.equal(decideKeyProtection({ protector, weakness: null, allowWeak: false, realMoney: true }).strong, true);
});
