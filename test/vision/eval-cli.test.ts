// Proves that `eval faces` reads anyone's folder: photos made at test time from the fixture people
// in other formats (a WebP named .jpg, a 20-megapixel JPEG, a PGM, TIFF, GIF, BMP-free PNG) are all
// described, a text file and a cut-short JPEG are listed as unreadable with their reason, and the
// JSON carries counts, rates and 95% intervals; an empty folder, a folder with one person and a
// folder with nothing readable stop with exit status 2 and a message, never "FAR 0/0".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { FIXTURES_DIR } from '../../bin/eval/harness.js';
import { tempDir } from '../helpers/tmp.js';

const people = join(FIXTURES_DIR, 'faces', 'people');
const evalCli = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/eval.js', ...args], { encoding: 'utf8', timeout: 300_000 });

async function pgm(src: string): Promise<Buffer> {
  const { data, info } = await sharp(src).greyscale().raw().toBuffer({ resolveWithObject: true });
  return Buffer.concat([Buffer.from(`P5\n${info.width} ${info.height}\n255\n`), data]);
}

test('eval faces on a folder of mixed formats: every picture read by content, unreadable files listed with reasons', async (t) => {
  const dir = tempDir(t, 'eval-formats-');
  mkdirSync(join(dir, 'amy'));
  mkdirSync(join(dir, 'raj'));
  writeFileSync(
    join(dir, 'amy', 'a.jpg'),
    await sharp(join(people, 'amy', '1.png'))
      .webp()
      .toBuffer(),
  ); // WebP named .jpg
  // 20 megapixels (5472 x 3648): the face upscaled, on a wide canvas.
  writeFileSync(
    join(dir, 'amy', 'big.jpeg'),
    await sharp(join(people, 'amy', '2.png'))
      .resize({ height: 3648 })
      .extend({ left: 1200, right: 1200, background: { r: 128, g: 128, b: 128 } })
      .resize({ width: 5472, height: 3648, fit: 'fill' })
      .jpeg({ quality: 85 })
      .toBuffer(),
  );
  writeFileSync(join(dir, 'amy', 'c.pgm'), await pgm(join(people, 'amy', '3.png')));
  writeFileSync(join(dir, 'amy', 'notes.txt'), 'not a photo\n');
  writeFileSync(
    join(dir, 'raj', '1'),
    await sharp(join(people, 'raj', '1.png'))
      .tiff()
      .toBuffer(),
  ); // no extension
  writeFileSync(
    join(dir, 'raj', '2.gif'),
    await sharp(join(people, 'raj', '2.png'))
      .gif()
      .toBuffer(),
  );
  writeFileSync(join(dir, 'raj', '3.png'), readFileSync(join(people, 'raj', '3.png')));
  writeFileSync(
    join(dir, 'raj', 'cut.jpg'),
    (
      await sharp(join(people, 'raj', '4.png'))
        .jpeg()
        .toBuffer()
    ).subarray(0, 300),
  );
  const r = evalCli('faces', dir, '--json');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  const chip = out.chip;
  assert.equal(chip.files, 8);
  assert.equal(chip.people, 2);
  assert.equal(chip.unreadable, 2, JSON.stringify(chip.unusable));
  assert.equal(chip.described + chip.no_face + chip.refused_quality, 6);
  assert.ok(chip.described >= 5, `described ${chip.described}: ${JSON.stringify(chip.unusable)}`);
  for (const f of ['webp', 'jpeg', 'pnm', 'tiff', 'gif', 'png'])
    assert.ok(chip.formats[f] >= 1, `${f}: ${JSON.stringify(chip.formats)}`);
  const reasons = Object.fromEntries(chip.unusable.map((u: { file: string; reason: string }) => [u.file, u.reason]));
  assert.match(reasons['amy/notes.txt'], /^unreadable: not a picture this reader knows/);
  assert.match(reasons['raj/cut.jpg'], /^unreadable: /);
  for (const k of ['genuine_pairs', 'impostor_pairs', 'false_accepts', 'false_rejects'])
    assert.ok(Number.isSafeInteger(chip[k]), k);
  assert.equal(chip.impostor_pairs + chip.genuine_pairs, (8 * 7) / 2);
  assert.ok(chip.far >= 0 && chip.far <= 1 && chip.far_ci95.length === 2 && chip.frr_ci95[1] <= 1);
  assert.match(r.stderr, /photos: 8 of 8/, 'a progress line on stderr');
});

test('an empty folder, one person, or nothing readable: exit 2 with a message', (t) => {
  const empty = tempDir(t, 'eval-empty-');
  const one = tempDir(t, 'eval-one-');
  mkdirSync(join(one, 'amy'));
  writeFileSync(join(one, 'amy', '1.png'), readFileSync(join(people, 'amy', '1.png')));
  const junk = tempDir(t, 'eval-junk-');
  for (const p of ['a', 'b']) {
    mkdirSync(join(junk, p));
    writeFileSync(join(junk, p, 'x.jpg'), 'no picture here');
  }
  for (const [dir, why] of [
    [empty, /no person folders with files/],
    [one, /one person only/],
    [join(empty, 'missing'), /no such folder/],
    [junk, /none of its 2 files is a readable picture/],
  ] as const) {
    const r = evalCli('faces', dir, '--json');
    assert.equal(r.status, 2, `${dir}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, why);
    assert.doesNotMatch(r.stdout, /FAR 0\/0/);
  }
  const k = evalCli('kiosk', one, '--enrol', '2');
  assert.equal(k.status, 2);
});
