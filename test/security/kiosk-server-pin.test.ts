// Proves the kiosk refuses a settlement server whose key is not the one its configuration pins
// (settlement.server_public_key): registration is refused with SYNC_SERVER_KEY_MISMATCH, no server
// key is kept, and the right pin registers. Real kiosk (openKiosk), real server on loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../electron/config.js';
import { openKiosk } from '../../electron/host/kiosk.js';
import { createLogger } from '../../electron/log.js';
import { generateServerKeys } from '../../ledger/server/keys.js';
import { cleanup, serverWithMerchant, storageFor, tempDir, usePostgres } from '../helpers/settle.js';

const pg = usePostgres();

async function kioskPinned(url: string, token: string, pin: string) {
  const dir = tempDir('stp-pin-');
  const config = loadConfig({
    env: {
      SMILE_DATA_DIR: dir,
      SMILE_SETTLEMENT_URL: url,
      SMILE_MERCHANT_TOKEN: token,
      SMILE_SERVER_PUBLIC_KEY: pin,
      // Plain Node has no OS keychain: a test kiosk says it runs its keys in the clear.
      SMILE_KEYS_ALLOW_WEAK: '1',
      SMILE_HTTP_PORT: '0',
    },
    cwd: dir,
  });
  const kiosk = await openKiosk({ config, log: createLogger({ level: 'silent' }), demo: false, http: false });
  return { kiosk, dir };
}

test('a kiosk pinned to another server key does not register; pinned to the right one it does', async () => {
  const storage = await storageFor('sqlite', pg);
  const { server, token } = await serverWithMerchant(storage);
  const dirs: string[] = [];
  try {
    const stranger = generateServerKeys().publicKeyHex;
    const wrong = await kioskPinned(server.url, token, stranger);
    dirs.push(wrong.dir);
    try {
      assert.equal(wrong.kiosk.worker!.state.state('server_public_key'), undefined, 'no server key kept');
      await assert.rejects(wrong.kiosk.worker!.register(token), (e: { code?: string }) => {
        assert.equal(e.code, 'SYNC_SERVER_KEY_MISMATCH');
        return true;
      });
    } finally {
      await wrong.kiosk.close();
    }
    const right = await kioskPinned(server.url, token, server.services.keys.publicKeyHex);
    dirs.push(right.dir);
    try {
      assert.equal(right.kiosk.worker!.state.state('server_public_key'), server.services.keys.publicKeyHex);
    } finally {
      await right.kiosk.close();
    }
  } finally {
    await server.close();
    cleanup(...dirs, ...(storage.dataDir ? [storage.dataDir] : []));
  }
});
