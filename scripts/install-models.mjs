#!/usr/bin/env node
// Installs the face model weights from the @vladmandic/face-api npm package (its `model/`
// folder) into models/weights/, checking each file against the committed models/manifest.json
// (size and SHA-256). Nothing is fetched from the network: the weights arrive with npm install.
//
//   node scripts/install-models.mjs                  copy + verify (postinstall)
//   node scripts/install-models.mjs --check          verify models/weights/ only
//   node scripts/install-models.mjs --write-manifest regenerate the manifest (a reviewed change)
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifestPath = join(root, 'models', 'manifest.json');
const weightsDir = join(root, 'models', 'weights');
const SOURCE_PACKAGE = '@vladmandic/face-api';
// The nets the pipeline uses; age/gender is not needed and is not installed.
const NETS = [
  'tiny_face_detector_model',
  'ssd_mobilenetv1_model',
  'face_landmark_68_model',
  'face_landmark_68_tiny_model',
  'face_expression_model',
  'face_recognition_model',
];

function sourceDir() {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve(`${SOURCE_PACKAGE}/package.json`);
  const version = JSON.parse(readFileSync(pkgJson, 'utf8')).version;
  return { dir: join(dirname(pkgJson), 'model'), version };
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function verify(dir, manifest) {
  const bad = [];
  for (const f of manifest.files) {
    const path = join(dir, f.file);
    if (!existsSync(path)) {
      bad.push(`${f.file}: missing`);
      continue;
    }
    const bytes = readFileSync(path);
    if (bytes.length !== f.size_bytes) bad.push(`${f.file}: size ${bytes.length}, manifest says ${f.size_bytes}`);
    else if (sha256(bytes) !== f.sha256) bad.push(`${f.file}: SHA-256 ${sha256(bytes)}, manifest says ${f.sha256}`);
  }
  return bad;
}

const mode = process.argv[2] ?? '--install';
if (mode === '--write-manifest') {
  const { dir, version } = sourceDir();
  const files = NETS.flatMap((net) => [`${net}-weights_manifest.json`, `${net}.bin`]).map((file) => {
    const bytes = readFileSync(join(dir, file));
    return {
      file,
      size_bytes: bytes.length,
      sha256: sha256(bytes),
      source_package: SOURCE_PACKAGE,
      source_version: version,
      source_path: `model/${file}`,
    };
  });
  writeFileSync(manifestPath, `${JSON.stringify({ v: 1, files }, null, 2)}\n`);
  console.log(`wrote ${manifestPath}: ${files.length} files from ${SOURCE_PACKAGE}@${version}`);
} else {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (mode === '--install') {
    const { dir, version } = sourceDir();
    const expected = manifest.files[0].source_version;
    if (version !== expected) {
      console.error(`models: ${SOURCE_PACKAGE} is ${version}, the manifest was made from ${expected}`);
      process.exit(1);
    }
    const bad = verify(dir, manifest);
    if (bad.length > 0) {
      console.error(`models: the package's files do not match models/manifest.json:\n  ${bad.join('\n  ')}`);
      process.exit(1);
    }
    mkdirSync(weightsDir, { recursive: true });
    for (const f of manifest.files) copyFileSync(join(dir, f.file), join(weightsDir, f.file));
  }
  const bad = verify(weightsDir, manifest);
  if (bad.length > 0) {
    console.error(`models: models/weights does not match models/manifest.json:\n  ${bad.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`models: ${manifest.files.length} files in models/weights verified against models/manifest.json`);
}
