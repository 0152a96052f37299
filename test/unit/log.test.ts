// Logs are structured JSON with levels, and never carry a face image, a descriptor, a
// template or a key, at whatever depth such a field is logged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../electron/log.js';

test('biometric data and secrets are redacted; levels filter', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const log = createLogger({ level: 'info', destination: sink });
  const descriptor = Array.from({ length: 128 }, (_, i) => i / 128);
  log.info(
    {
      customer: 'c1',
      descriptor,
      obs: { descriptor, image: 'data:image/png;base64,AAAA' },
      key: { secret_key: 'ab'.repeat(32) },
    },
    'matched',
  );
  log.debug({ note: 'not shown' }, 'debug line');
  assert.equal(lines.length, 1);
  const entry = JSON.parse(lines[0]!);
  assert.equal(entry.level, 30);
  assert.equal(entry.msg, 'matched');
  assert.equal(entry.customer, 'c1');
  assert.equal(entry.descriptor, '[redacted]');
  assert.equal(entry.obs.descriptor, '[redacted]');
  assert.equal(entry.obs.image, '[redacted]');
  assert.equal(entry.key.secret_key, '[redacted]');
  assert.doesNotMatch(lines[0]!, /0\.0078125|AAAA|abababab/);
});
