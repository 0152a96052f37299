// Proves refused: the camera granted for a permission request that names no media type (an empty
// mediaTypes list passed `[].every(...)`), audio or another origin's request; a navigation of any
// frame away from the kiosk's page (only will-navigate was blocked); an IPC sender from another
// origin; native modules the kiosk's account could replace; and a checklist that says what the
// code no longer does: the README's 20-row table must point at the lines that hold each item.
// Plain Node: the shell's decisions are pure functions (electron/shell-policy.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  APP_ORIGIN,
  APP_PAGE,
  ipcSenderAllowed,
  nativeModuleProblems,
  navigationAllowed,
  permissionCheckAllowed,
  permissionRequestAllowed,
} from '../../electron/shell-policy.js';
import { tempDir } from '../helpers/tmp.js';

// Electron's security checklist, its 20 items in its order (electronjs.org/docs/latest/tutorial/security).
const CHECKLIST = [
  'Only load secure content',
  'No Node.js integration for remote content',
  'Enable context isolation',
  'Enable process sandboxing',
  'Handle session permission requests',
  'Do not disable `webSecurity`',
  'Define a Content Security Policy',
  'Do not enable `allowRunningInsecureContent`',
  'Do not enable experimental features',
  'Do not use `enableBlinkFeatures`',
  '`<webview>`: do not use `allowpopups`',
  '`<webview>`: verify options and params',
  'Disable or limit navigation',
  'Disable or limit creation of new windows',
  'Do not use `shell.openExternal` with untrusted content',
  'Use a current version of Electron',
  'Validate the sender of all IPC messages',
  'Avoid `file://`, prefer custom protocols',
  'Check which fuses you can change',
  'Do not expose Electron APIs to untrusted web content',
];

test('the camera is granted to our page for video alone; an empty or missing media list, audio, or another origin is refused', () => {
  const ask = (mediaTypes: string[] | undefined, requestingUrl = APP_PAGE, permission = 'media') =>
    permissionRequestAllowed({ permission, requestingUrl, mediaTypes });
  assert.equal(ask(['video']), true);
  assert.equal(ask([]), false, '[].every(...) is true: an empty list must not grant the camera');
  assert.equal(ask(undefined), false);
  assert.equal(ask(['audio']), false);
  assert.equal(ask(['video', 'audio']), false);
  assert.equal(ask(['video'], 'https://evil.example/'), false);
  assert.equal(ask(['video'], 'app://kiosk.evil/index.html'), false);
  assert.equal(ask(['video'], 'app://other/index.html'), false);
  assert.equal(ask(['video'], 'not a url'), false);
  for (const p of ['geolocation', 'notifications', 'clipboard-read', 'display-capture', 'openExternal'])
    assert.equal(ask(['video'], APP_PAGE, p), false, p);
  const check = (permission: string, requestingOrigin: string | undefined, mediaType: string | undefined) =>
    permissionCheckAllowed({ permission, requestingOrigin, mediaType });
  assert.equal(check('media', APP_ORIGIN, 'video'), true);
  assert.equal(check('media', APP_ORIGIN, 'audio'), false);
  assert.equal(check('media', APP_ORIGIN, undefined), false);
  assert.equal(check('media', 'https://evil.example', 'video'), false);
  assert.equal(check('hid', APP_ORIGIN, undefined), false);
});

test('no frame navigates away from the kiosk page; IPC from any other origin is refused', () => {
  assert.equal(navigationAllowed(APP_PAGE), true, 'a reload');
  assert.equal(navigationAllowed(`${APP_PAGE}?screen=staff#x`), true);
  for (const url of [
    'https://evil.example/',
    'http://127.0.0.1:8080/',
    'file:///etc/passwd',
    `${APP_ORIGIN}/models/weights/x.bin`,
    'app://kiosk.evil/index.html',
    'javascript:alert(1)',
    'data:text/html,<script>1</script>',
    '',
  ])
    assert.equal(navigationAllowed(url), false, url);
  assert.equal(ipcSenderAllowed(APP_PAGE), true);
  for (const url of ['https://evil.example/', 'app://kiosk.evil/', 'app://kioskx/index.html', '', undefined, null])
    assert.equal(ipcSenderAllowed(url), false, String(url));
});

test("native modules the kiosk's account can write are found, the file and the folder that holds it", (t) => {
  const dir = tempDir(t);
  const rel = join(dir, 'node_modules', 'better-sqlite3', 'build', 'Release');
  mkdirSync(rel, { recursive: true });
  writeFileSync(join(rel, 'better_sqlite3.node'), 'ELF');
  writeFileSync(join(dir, 'readme.txt'), 'not a module');
  // The tests run as root, who may write anything: judge by the mode bits as an ordinary account would.
  const byMode = (p: string): boolean => (statSync(p).mode & 0o222) !== 0;
  assert.equal(nativeModuleProblems(dir, byMode).length, 6, 'the module and the five folders above it');
  for (const p of [
    join(rel, 'better_sqlite3.node'),
    rel,
    join(rel, '..'),
    join(rel, '..', '..'),
    join(dir, 'node_modules'),
    dir,
  ])
    chmodSync(p, statSync(p).isDirectory() ? 0o555 : 0o444);
  assert.deepEqual(nativeModuleProblems(dir, byMode), [], 'a read-only install');
});

test("the fuses: file:// privileges off, and the kiosk's other fuses as the README says", () => {
  const yml = readFileSync('electron-builder.yml', 'utf8');
  const fuse = (name: string): string | undefined => new RegExp(`^  ${name}: (true|false)$`, 'm').exec(yml)?.[1];
  assert.equal(fuse('grantFileProtocolExtraPrivileges'), 'false');
  assert.equal(fuse('runAsNode'), 'false');
  assert.equal(fuse('enableNodeOptionsEnvironmentVariable'), 'false');
  assert.equal(fuse('enableNodeCliInspectArguments'), 'false');
  assert.equal(fuse('onlyLoadAppFromAsar'), 'true');
  assert.equal(fuse('enableEmbeddedAsarIntegrityValidation'), 'true');
  assert.equal(fuse('enableCookieEncryption'), 'true');
});

test("the README's Electron security checklist has the 20 items, and each row's file:line does what it says", () => {
  const readme = readFileSync('README.md', 'utf8');
  const at = readme.indexOf('\n## Electron security checklist\n');
  assert.ok(at >= 0, 'README has the heading "Electron security checklist"');
  const section = readme.slice(at + 1).split('\n## ')[0]!;
  const rows = section
    .split('\n')
    .filter((l) => /^\| \d+ \|/.test(l))
    .map((l) => l.split('|').map((c) => c.trim()));
  assert.deepEqual(
    rows.map((r) => [Number(r[1]), r[2]]),
    CHECKLIST.map((title, i) => [i + 1, title]),
  );
  for (const r of rows) {
    const n = Number(r[1]);
    const refs = [...r[4]!.matchAll(/([\w./-]+):(\d+)/g)];
    assert.ok(refs.length > 0, `row ${n} names where`);
    for (const [, file, line] of refs) {
      const text = readFileSync(file!, 'utf8').split('\n')[Number(line) - 1] ?? '';
      const holds = file === 'package.json' ? /"electron": "\d+\./.test(text) : text.includes(`[checklist ${n}]`);
      const actual = readFileSync(file!, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes(`[checklist ${n}]`));
      assert.ok(holds, `row ${n}: ${file}:${line} is "${text.trim()}"; the marker is at line ${actual + 1}`);
    }
  }
});
