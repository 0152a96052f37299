// Reads the face model weights from models/weights/ and checks every file against the
// committed models/manifest.json (size and SHA-256) before anything is handed to TensorFlow.
// A file that does not match is refused with its name and what was expected. Nothing here
// touches the network: scripts/install-models.mjs put the files there at npm install.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MODELS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'models');
// The largest file (the recognition net) is 6.4 MB; anything far bigger is not ours.
export const MODEL_FILE_BYTES_MAX = 32 * 1024 * 1024;

export interface ManifestFile {
  file: string;
  size_bytes: number;
  sha256: string;
  source_package: string;
  source_version: string;
}

export class ModelError extends Error {
  constructor(
    readonly code: 'MODEL_MISSING' | 'MODEL_MISMATCH' | 'MODEL_MANIFEST_INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}

export function readManifest(modelsDir = MODELS_DIR): ManifestFile[] {
  const raw = JSON.parse(readFileSync(join(modelsDir, 'manifest.json'), 'utf8')) as {
    v?: number;
    files?: ManifestFile[];
  };
  if (raw.v !== 1 || !Array.isArray(raw.files) || raw.files.length === 0) {
    throw new ModelError(
      'MODEL_MANIFEST_INVALID',
      `models/manifest.json: expected {v: 1, files: [...]}, got v=${String(raw.v)}`,
    );
  }
  return raw.files;
}

/** Reads one weight file and refuses it unless its size and SHA-256 match the manifest. */
export function readVerified(
  file: string,
  manifest: ManifestFile[],
  weightsDir = join(MODELS_DIR, 'weights'),
): Uint8Array {
  const entry = manifest.find((f) => f.file === file);
  if (!entry) throw new ModelError('MODEL_MISSING', `${file}: not listed in models/manifest.json`);
  const path = join(weightsDir, file);
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new ModelError('MODEL_MISSING', `${file}: not found in ${weightsDir} (run: node scripts/install-models.mjs)`);
  }
  if (size !== entry.size_bytes || size > MODEL_FILE_BYTES_MAX) {
    throw new ModelError('MODEL_MISMATCH', `${file}: ${size} bytes, the manifest says ${entry.size_bytes}`);
  }
  const bytes = readFileSync(path);
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (digest !== entry.sha256) {
    throw new ModelError(
      'MODEL_MISMATCH',
      `${file}: SHA-256 ${digest}, the manifest says ${entry.sha256} (${entry.source_package}@${entry.source_version})`,
    );
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
