// Proves the Electron shell starts the kiosk where an Electron binary exists: the main process
// (electron/main.ts through tsx) opens the host services and, asked to, its HTTP transport.
// Skipped where no binary exists (this workplace cannot download it): the reason is printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { electronBinary } from '../../electron/host/start.js';

const bin = electronBinary();
const skip = 'why' in bin ? `no Electron binary: ${bin.why}` : false;

test('Electron main starts the kiosk host', { skip, timeout: 120_000 }, async () => {
  if (!('path' in bin)) return;
  const dir = mkdtempSync(join(tmpdir(), 'smile-electron-'));
  const child = spawn(bin.path, ['--no-sandbox', join('electron', 'main.ts')], {
    env: {
      ...process.env,
      NODE_OPTIONS: '--import tsx',
      SMILE_DATA_DIR: dir,
      SMILE_ELECTRON_HTTP: '1',
      SMILE_HTTP_PORT: '0',
      SMILE_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const up = await new Promise<boolean>((resolve) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('electron kiosk up') && resolve(true));
      child.once('exit', () => resolve(false));
    });
    assert.equal(up, true);
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
