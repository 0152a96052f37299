// Proves that model loading checks every weight file against the committed manifest: the
// installed weights pass, and a file with one byte changed (or missing) is refused with its name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODELS_DIR, readManifest, readVerified } from '../../native/models.node.js';

test('weights match the manifest; a tampered or missing file is refused by name', () => {
  const manifest = readManifest();
  for (const f of manifest) assert.equal(readVerified(f.file, manifest).length, f.size_bytes);
  const dir = mkdtempSync(join(tmpdir(), 'weights-'));
  const name = 'tiny_face_detector_model.bin';
  copyFileSync(join(MODELS_DIR, 'weights', name), join(dir, name));
  const bytes = readFileSync(join(dir, name));
  bytes[1000] = bytes[1000]! ^ 0xff;
  writeFileSync(join(dir, name), bytes);
  assert.throws(
    () => readVerified(name, manifest, dir),
    /tiny_face_detector_model\.bin: SHA-256 [0-9a-f]{64}, the manifest says/,
  );
  assert.throws(
    () => readVerified('face_recognition_model.bin', manifest, dir),
    /face_recognition_model\.bin: not found/,
  );
  assert.throws(() => readVerified('evil.bin', manifest, dir), /evil\.bin: not listed/);
});
