// Configuration: safe defaults with nothing set; a file and the environment (which wins);
// and every bad setting named in one clear error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';
import { ConfigError, loadConfig } from '../../electron/config.js';

test('with nothing configured the defaults are safe: loopback, demo store, 24 h offline window', (t) => {
  const cwd = tempDir(t);
  const c = loadConfig({ env: {}, cwd });
  assert.equal(c.http.host, '127.0.0.1');
  assert.equal(c.settlement.url, null);
  assert.equal(c.store.currency, 'EUR');
  assert.equal(c.limits.offline_unsynced_age_ms_max, 24 * 60 * 60 * 1000);
  assert.equal(c.data_dir, join(cwd, 'var'));
  assert.equal(c.config_file, null);
});

test('the file sets values, the environment overrides the file', (t) => {
  const cwd = tempDir(t);
  writeFileSync(
    join(cwd, 'smile.config.json'),
    JSON.stringify({ kiosk_id: 'kiosk-7', store: { currency: 'JPY', timezone: 'Asia/Tokyo' }, http: { port: 9000 } }),
  );
  const c = loadConfig({ env: { SMILE_HTTP_PORT: '9100', SMILE_TIMEZONE: 'Europe/Berlin' }, cwd });
  assert.equal(c.kiosk_id, 'kiosk-7');
  assert.equal(c.store.currency, 'JPY');
  assert.equal(c.store.timezone, 'Europe/Berlin');
  assert.equal(c.http.port, 9100);
  assert.equal(c.http.host, '127.0.0.1', 'unset siblings keep their defaults');
});

test('bad settings are refused with an error naming each of them', (t) => {
  const cwd = tempDir(t);
  writeFileSync(
    join(cwd, 'smile.config.json'),
    JSON.stringify({ store: { currency: 'EURO' }, limits: { offline_payment_max_minor: 12.5 }, colour: 'blue' }),
  );
  assert.throws(
    () => loadConfig({ env: { SMILE_HTTP_PORT: 'eighty', SMILE_TIMEZONE: 'Mars/Olympus' }, cwd }),
    (err) => {
      assert.ok(err instanceof ConfigError);
      for (const name of [
        'store.currency',
        'limits.offline_payment_max_minor',
        'colour',
        'http.port',
        'store.timezone',
      ])
        assert.match(err.message, new RegExp(name.replace('.', '\\.')), name);
      return true;
    },
  );
  writeFileSync(join(cwd, 'broken.json'), '{ not json');
  assert.throws(() => loadConfig({ env: { SMILE_CONFIG: 'broken.json' }, cwd }), /broken\.json: not a JSON object/);
  assert.throws(() => loadConfig({ env: { SMILE_CONFIG: 'absent.json' }, cwd }), /does not exist/);
  writeFileSync(
    join(cwd, 'smile.config.json'),
    JSON.stringify({ limits: { offline_payment_max_minor: 20_000, offline_customer_day_max_minor: 10_000 } }),
  );
  assert.throws(() => loadConfig({ env: {}, cwd }), /must not exceed limits\.offline_customer_day_max_minor/);
});
