// The demo store's settlement server (the launcher's, scripts/demo-store.ts) comes back on the
// port it had, so the receipt QR codes of an earlier run still resolve; a port taken by now falls
// back to a free one, with a warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../electron/config.js';
import { startDemoSettlement } from '../../scripts/demo-store.js';
import { createLogger } from '../../electron/log.js';

test('the demo settlement server keeps its port across restarts, and takes another when it is taken', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'smile-demo-port-'));
  try {
    const config = loadConfig({ env: { SMILE_DATA_DIR: dir } });
    const first = await startDemoSettlement(config);
    const port = new URL(first.url).port;
    await first.close();
    const again = await startDemoSettlement(config);
    assert.equal(new URL(again.url).port, port);
    const lookup = await fetch(`${again.url}/v1/health`);
    assert.equal(lookup.status, 200);
    await again.close();

    const squatter = createServer();
    await new Promise<void>((res) => squatter.listen(Number(port), '127.0.0.1', res));
    const warnings: string[] = [];
    const log = createLogger({ level: 'warn', destination: { write: (l: string) => void warnings.push(l) } });
    try {
      const moved = await startDemoSettlement(config, undefined, log);
      assert.notEqual(new URL(moved.url).port, port);
      assert.match(warnings.join(''), /port of the last run is taken/);
      await moved.close();
    } finally {
      await new Promise<void>((res) => squatter.close(() => res()));
    }
    // A port the caller names is used as it is: taken is an error, not a silent move.
    const named = createServer();
    await new Promise<void>((res) => named.listen(0, '127.0.0.1', res));
    const taken = (named.address() as { port: number }).port;
    await assert.rejects(startDemoSettlement(config, taken), /EADDRINUSE/);
    await new Promise<void>((res) => named.close(() => res()));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
