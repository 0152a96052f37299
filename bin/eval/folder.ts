// Anyone's labelled photos, `<dir>/<person>/<file>`, through the real pipeline: every file is
// tried (the format is sniffed from its bytes, names and extensions do not matter), each photo is
// scaled down before detection, and what could not be used is listed with its reason: unreadable
// (not a picture, cut short, too large), no face, or a face the quality gates refuse. A folder with
// fewer than two people, or no readable photo, is a FolderError (the CLIs exit 2 with its
// message), never a table of zeros. Descriptors can be cached in a file (`--cache FILE`, keyed by
// the file's path, size and time and by the pipeline's options), because a calibration set costs
// about 0.1 s per photo per pass on one core. A progress line goes to stderr on long runs.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NodeVision } from '../../native/backend.node.js';
import { ImageFileError, IMAGE_SIDE_PX_MAX, loadImageFile } from '../../native/image-file.node.js';
import { DEFAULT_PIPELINE_OPTIONS, FacePipeline, type PipelineOptions } from '../../vision/pipeline.js';

export class FolderError extends Error {
  readonly code = 'EVAL_FOLDER_UNUSABLE';
}

/** Options for single photos: every photo a fresh detection with a descriptor, SSD when the tiny
 * detector finds nothing. */
export const STILL_OPTIONS: Partial<PipelineOptions> = { descriptor_every_frames: 1, detector_fallback_ssd: true };

/** The pipeline variant a CLI's `--flip` / `--no-flip` asks for (descriptor_flip: each descriptor
 * averaged with its mirror image's), the same for enrolment photos and probes; neither: the
 * product's default. Both: an error message (the caller's usage error). */
export function flipVariant(args: readonly string[]): Partial<PipelineOptions> | string {
  const on = args.includes('--flip');
  const off = args.includes('--no-flip');
  if (on && off) return '--flip and --no-flip: give one of them';
  return on ? { descriptor_flip: true } : off ? { descriptor_flip: false } : {};
}

export type PhotoStatus = 'described' | 'unreadable' | 'no_face' | 'refused_quality';

export interface Photo {
  person: string;
  file: string;
  status: PhotoStatus;
  descriptor: number[] | null;
  /** null when described; otherwise why not (the decoder's message, no_face, or the quality gate). */
  reason: string | null;
  format: string | null;
}

export interface FolderSummary {
  people: number;
  files: number;
  described: number;
  unreadable: number;
  no_face: number;
  refused_quality: number;
  /** Quality refusals by gate (too_small, blurred, underexposed, uneven_light, ...). */
  refused_by_reason: Record<string, number>;
  formats: Record<string, number>;
}

/** A photo set over this many files is a slip (a whole disk), not a calibration set. */
export const FOLDER_FILES_MAX = 200_000;
const CACHE_VERSION = 1;

export function summarise(photos: Photo[]): FolderSummary {
  const s: FolderSummary = {
    people: new Set(photos.map((p) => p.person)).size,
    files: photos.length,
    described: 0,
    unreadable: 0,
    no_face: 0,
    refused_quality: 0,
    refused_by_reason: {},
    formats: {},
  };
  for (const p of photos) {
    s[p.status] += 1;
    if (p.status === 'refused_quality') s.refused_by_reason[p.reason!] = (s.refused_by_reason[p.reason!] ?? 0) + 1;
    if (p.format) s.formats[p.format] = (s.formats[p.format] ?? 0) + 1;
  }
  return s;
}

/** The person folders and their files (hidden files skipped), checked before any model runs. */
export function listFolder(dir: string): { person: string; file: string; path: string }[] {
  if (!existsSync(dir)) throw new FolderError(`${dir}: no such folder`);
  if (!statSync(dir).isDirectory()) throw new FolderError(`${dir}: not a folder (expected <dir>/<person>/<photo>)`);
  const out: { person: string; file: string; path: string }[] = [];
  for (const person of readdirSync(dir).sort()) {
    const pdir = join(dir, person);
    if (person.startsWith('.') || !statSync(pdir).isDirectory()) continue;
    for (const file of readdirSync(pdir).sort()) {
      const path = join(pdir, file);
      if (file.startsWith('.') || !statSync(path).isFile()) continue;
      out.push({ person, file, path });
      if (out.length > FOLDER_FILES_MAX) throw new FolderError(`${dir}: over ${FOLDER_FILES_MAX} files`);
    }
  }
  const people = new Set(out.map((f) => f.person)).size;
  if (people < 2)
    throw new FolderError(
      `${dir}: ${people === 0 ? 'no person folders with files' : 'one person only'}; expected <dir>/<person>/<photo> with at least two people (impostor pairs need two)`,
    );
  return out;
}

interface CacheFile {
  version: number;
  entries: Record<string, Omit<Photo, 'person' | 'file'>>;
}

function optionsKey(opts: Partial<PipelineOptions>): string {
  const all = { ...DEFAULT_PIPELINE_OPTIONS, ...opts, side_px_max: IMAGE_SIDE_PX_MAX };
  return createHash('sha256').update(JSON.stringify(all)).digest('hex').slice(0, 16);
}

function readCache(path: string | undefined): CacheFile {
  if (!path || !existsSync(path)) return { version: CACHE_VERSION, entries: {} };
  const c = JSON.parse(readFileSync(path, 'utf8')) as CacheFile;
  return c.version === CACHE_VERSION ? c : { version: CACHE_VERSION, entries: {} };
}

function writeCache(path: string, c: CacheFile): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(c));
  renameSync(`${path}.tmp`, path);
}

/** A progress line on stderr, at most every PROGRESS_MS (a calibration pass takes minutes). */
export function progress(what: string): (done: number, total: number) => void {
  const PROGRESS_MS = 2_000;
  const start = performance.now();
  let last = 0;
  return (done, total) => {
    const now = performance.now();
    if (done < total && now - last < PROGRESS_MS) return;
    last = now;
    const rate = done / Math.max(1e-3, (now - start) / 1000);
    const eta = rate > 0 ? (total - done) / rate : 0;
    const line = `${what}: ${done} of ${total} (${rate.toFixed(1)}/s, ${eta.toFixed(0)} s left)`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${done >= total ? '\n' : ''}`);
    else process.stderr.write(`${line}\n`);
  };
}

/** Every photo of the folder through the pipeline (stills options unless given). */
export async function describeFolder(
  v: NodeVision,
  dir: string,
  opts: { pipeline?: Partial<PipelineOptions>; cache?: string; label?: string } = {},
): Promise<Photo[]> {
  const files = listFolder(dir);
  const pipeline = { ...STILL_OPTIONS, ...opts.pipeline };
  const variant = optionsKey(pipeline);
  const cache = readCache(opts.cache);
  const tick = progress(opts.label ?? 'photos');
  const out: Photo[] = [];
  let fresh = 0;
  for (const f of files) {
    const st = statSync(f.path);
    const key = `${variant}|${resolve(f.path)}|${st.size}|${st.mtimeMs}`;
    let entry = cache.entries[key];
    if (!entry) {
      entry = await describeOne(v, f.path, pipeline);
      cache.entries[key] = entry;
      fresh += 1;
      if (opts.cache && fresh % 200 === 0) writeCache(opts.cache, cache);
    }
    out.push({ person: f.person, file: f.file, ...entry });
    tick(out.length, files.length);
  }
  if (opts.cache && fresh > 0) writeCache(opts.cache, cache);
  if (!out.some((p) => p.status !== 'unreadable'))
    throw new FolderError(`${dir}: none of its ${out.length} files is a readable picture (${firstReasons(out)})`);
  return out;
}

const firstReasons = (photos: Photo[]): string =>
  photos
    .slice(0, 3)
    .map((p) => `${p.person}/${p.file}: ${p.reason}`)
    .join('; ');

async function describeOne(
  v: NodeVision,
  path: string,
  pipeline: Partial<PipelineOptions>,
): Promise<Omit<Photo, 'person' | 'file'>> {
  let img;
  try {
    img = await loadImageFile(path);
  } catch (err) {
    if (!(err instanceof ImageFileError)) throw err;
    return { status: 'unreadable', descriptor: null, reason: err.message, format: null };
  }
  const o = await new FacePipeline(v.faceapi, v.backend, pipeline).observe(img.frame, 0);
  if (!o.face) return { status: 'no_face', descriptor: null, reason: 'no_face', format: img.format };
  if (!o.face.descriptor)
    return { status: 'refused_quality', descriptor: null, reason: o.face.quality.reason, format: img.format };
  return { status: 'described', descriptor: o.face.descriptor, reason: null, format: img.format };
}
