// eval faces <dir> | eval spoof --attack <dir> | eval stream <file.mjpeg|dir> [...]: the face
// pipeline's honest numbers on anyone's data. Tables on stdout; --json adds one JSON line.
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FACE_CONFIG, timedReplayPassMax } from '../../electron/face/config.js';
import { DescriptorIndex } from '../../electron/face/matcher.js';
import { identify } from '../../electron/face/decision.js';
import { readImage } from '../../native/image.node.js';
import type { PipelineOptions } from '../../vision/pipeline.js';
import { observeIndices, timedReplayFor } from './scripted.js';
import { interval95, parseRule } from './folds.js';
import { facesCrossValidated, facesInSample, kiosk, readPeople } from './faces.js';
import { flipVariant, FolderError, listFolder } from './folder.js';
import { findSmileClip, live, observeFrames, readClip } from './live.js';
import { isImage, observeStill, observeStream, readStream, runSession, seeded, STREAM_FPS, vision } from './harness.js';

const USAGE = `usage:
  eval faces <dir> [--compare-alignment] [--cache FILE] [--flip | --no-flip]
                                   <dir>/<person>/<photo> (any format, sniffed by content):
                                   genuine/impostor pairs at the configured threshold, ROC
  eval faces <dir> --folds K [--rule far:RATE|zero-far] [--enrol K] [--seed N]
                                   cross-validated by person: threshold chosen by the rule
                                   (default far:0.001) on the other folds, FAR/FRR counted on each
                                   held-out fold; --enrol K: templates of K photos, rules min,
                                   mean and fused at FRR <= 3%
  eval kiosk <dir> --enrol K [--gallery 1,3,10,...] [--flip | --no-flip]
                                   the 1:N decision with margin and step-up: FPIR, FNIR and
                                   step-up rate by gallery size
  eval spoof --attack <dir>        <dir>/<attack type>/<image|.mjpeg>: APCER per attack type
  eval stream <file.mjpeg|dir> [--enrol <image>] [--prompt-at-ms N] [--rounds N] [--trials N] [--verbose]
  eval live <file.mjpeg|dir> [--trials N] [--reaction-ms N]
                                   BPCER on a clip of a live person going neutral -> smile ->
                                   neutral: a scripted customer reacting to N random prompts
  eval replay <file.mjpeg|dir> [--trials N] [settings]
                                   a timed replay made from a neutral -> smile -> neutral clip,
                                   against random prompts: pass rate vs the derived bound
settings (live, replay, stream; to compare with the configured ones): --rounds N, --reaction-min-ms N,
  --reaction-max-ms N, --delay-ms MIN..MAX, --neutral-hold-ms N, --no-relax-cue,
  --relax-cue [--relax-delay-min-ms N --relax-delay-max-ms N --relax-reaction-max-ms N]
options: --json (one JSON line at the end), --seed N, --cache FILE (descriptors, for reruns),
  --flip | --no-flip (faces, kiosk: every photo's descriptor averaged with its mirror image's, or
  not; enrolment photos and probes alike; neither: the product's pipeline)
exit status: 0 done, 2 bad usage or a folder that cannot be evaluated (the reason on stderr)`;

class UsageError extends Error {}
const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(name);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const num = (name: string, dflt: number): number => {
  const v = opt(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0)
    throw new UsageError(`${name}: expected a non-negative number, got ${JSON.stringify(v)}`);
  return n;
};
const variant = (): Partial<PipelineOptions> => {
  const v = flipVariant(args);
  if (typeof v === 'string') throw new UsageError(v);
  return v;
};
const SESSION_FRAMES = Math.ceil((FACE_CONFIG.liveness.session_ms_max / 1000) * STREAM_FPS) + 1;

const pct = (k: number, n: number): string => `${((100 * k) / Math.max(1, n)).toFixed(2)}%`;
const ci = (k: number, n: number): string => {
  const [lo, hi] = interval95(k, n);
  return `[95% CI ${(100 * lo).toFixed(2)}-${(100 * hi).toFixed(2)}%]`;
};

async function facesCommand(dir: string, seed: number): Promise<object> {
  listFolder(dir); // a folder that cannot be evaluated says so before the models load
  const v = await vision();
  const cache = opt('--cache');
  const compare = flag('--compare-alignment');
  const variants: ('chip' | 'box')[] = compare ? ['chip', 'box'] : ['chip'];
  const out: Record<string, unknown> = { eval: 'faces', dir };
  for (const alignment of variants) {
    const { photos, summary, unusable } = await readPeople(v, dir, {
      cache,
      pipeline: { ...variant(), alignment },
      label: compare ? `alignment ${alignment}` : undefined,
    });
    const result: Record<string, unknown> = { alignment, ...summary, unusable };
    if (summary.described === 0)
      throw new FolderError(
        `${dir}: no photo gave a usable face (${unusable
          .slice(0, 3)
          .map((u) => `${u.file}: ${u.reason}`)
          .join('; ')})`,
      );
    if (opt('--folds') !== undefined) {
      const rule = parseRule(opt('--rule') ?? 'far:0.001');
      Object.assign(result, facesCrossValidated(photos, num('--folds', 0), seed, rule, num('--enrol', 0)));
    } else Object.assign(result, facesInSample(photos, FACE_CONFIG.match.accept_distance_max));
    out[alignment] = result;
  }
  return out;
}

async function kioskCommand(dir: string, seed: number): Promise<object> {
  listFolder(dir);
  const v = await vision();
  const { photos, summary, unusable } = await readPeople(v, dir, { cache: opt('--cache'), pipeline: variant() });
  if (summary.described === 0) throw new FolderError(`${dir}: no photo gave a usable face`);
  const k = num('--enrol', 3);
  if (!Number.isSafeInteger(k) || k < 1)
    throw new FolderError(`--enrol: expected a whole number of photos >= 1, got ${k}`);
  const sizes = (opt('--gallery') ?? '1,3,10,30,100,1000').split(',').map(Number);
  return { eval: 'kiosk', dir, ...summary, unusable, ...kiosk(photos, k, seed, sizes) };
}

async function spoof(dir: string, trials: number, seed: number): Promise<object> {
  const v = await vision();
  const rows: {
    attack: string;
    presentations: number;
    sessions: number;
    accepted: number;
    codes: Record<string, number>;
  }[] = [];
  for (const attack of readdirSync(dir).sort()) {
    const adir = join(dir, attack);
    if (!statSync(adir).isDirectory()) continue;
    const row = { attack, presentations: 0, sessions: 0, accepted: 0, codes: {} as Record<string, number> };
    for (const f of readdirSync(adir).sort()) {
      if (!isImage(f) && !f.endsWith('.mjpeg')) continue;
      row.presentations += 1;
      const obs = await observeStream(v, readStream(join(adir, f)), SESSION_FRAMES);
      const r = seeded(seed + row.presentations);
      for (let k = 0; k < trials; k++) {
        const run = runSession(obs, Math.floor(r() * obs.length) % Math.max(1, Math.min(obs.length, 120)), {
          random: r,
        });
        row.sessions += 1;
        const code = run.state.status === 'refused' ? run.state.code : run.state.status;
        row.codes[code] = (row.codes[code] ?? 0) + 1;
        if (run.state.status === 'accepted') row.accepted += 1;
      }
    }
    rows.push(row);
  }
  console.log('attack type | presentations | sessions | accepted | APCER | refusals');
  for (const r of rows) {
    console.log(
      `${r.attack} | ${r.presentations} | ${r.sessions} | ${r.accepted} | ${((100 * r.accepted) / Math.max(1, r.sessions)).toFixed(2)}% | ${Object.entries(
        r.codes,
      )
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
  }
  return { eval: 'spoof', rows: rows.map((r) => ({ ...r, apcer: r.accepted / Math.max(1, r.sessions) })) };
}

/** The liveness settings, with --rounds and --reaction-min-ms overriding (to compare settings). */
function livenessConfig(): typeof FACE_CONFIG.liveness {
  const c = { ...FACE_CONFIG.liveness };
  if (opt('--rounds') !== undefined) c.prompt_rounds = num('--rounds', c.prompt_rounds);
  if (opt('--reaction-min-ms') !== undefined) c.reaction_ms_min = num('--reaction-min-ms', c.reaction_ms_min);
  if (opt('--reaction-max-ms') !== undefined) c.reaction_ms_max = num('--reaction-max-ms', c.reaction_ms_max);
  if (opt('--delay-ms') !== undefined) {
    const [lo, hi] = opt('--delay-ms')!.split('..').map(Number);
    c.prompt_delay_ms_min = lo!;
    c.prompt_delay_ms_max = hi!;
  }
  if (opt('--neutral-hold-ms') !== undefined) c.neutral_hold_ms = num('--neutral-hold-ms', c.neutral_hold_ms);
  if (flag('--no-relax-cue')) c.relax_cue = false;
  if (flag('--relax-cue')) {
    // The relax cue (the configured default) with its own numbers; --delay-ms etc. still apply.
    c.relax_cue = true;
    c.relax_delay_ms_min = num('--relax-delay-min-ms', c.relax_delay_ms_min);
    c.relax_delay_ms_max = num('--relax-delay-max-ms', c.relax_delay_ms_max);
    c.relax_reaction_ms_max = num('--relax-reaction-max-ms', c.relax_reaction_ms_max);
  }
  return c;
}

async function replay(path: string, trials: number, seed: number): Promise<object> {
  const v = await vision();
  const cfg = livenessConfig();
  const frames = await readClip(path);
  const clip = findSmileClip(frames, await observeFrames(v, frames), cfg);
  const plan = timedReplayFor(clip, cfg);
  const obs = await observeIndices(v, clip, plan.indices);
  const r = seeded(seed);
  const counts: Record<string, number> = {};
  let passed = 0;
  for (let k = 0; k < trials; k++) {
    const run = runSession(obs, 0, { random: r, cfg });
    const key = run.state.status === 'refused' ? run.state.code : run.state.status;
    counts[key] = (counts[key] ?? 0) + 1;
    if (run.state.status === 'accepted') passed += 1;
  }
  const bound = timedReplayPassMax(cfg);
  console.log(
    `clip: neutral frames 0..${clip.onset - 1}, smile ${clip.onset}..${clip.offset - 1}, neutral ${clip.offset}..${clip.frames.length - 1}; replay smiles at frames ${plan.onsets.join(', ')}${plan.relax === null ? '' : `, relaxes at frame ${plan.relax}`} (${STREAM_FPS} fps)`,
  );
  console.log(
    `settings: ${cfg.prompt_rounds} round(s), prompt delay ${cfg.prompt_delay_ms_min}..${cfg.prompt_delay_ms_max} ms, reaction ${cfg.reaction_ms_min}..${cfg.reaction_ms_max} ms${cfg.relax_cue ? `; relax cue ${cfg.relax_delay_ms_min}..${cfg.relax_delay_ms_max} ms after the smile, relax within ${cfg.relax_reaction_ms_min}..${cfg.relax_reaction_ms_max} ms` : ''}`,
  );
  console.log(
    `timed replay passed ${passed} of ${trials} sessions = ${pct(passed, trials)} ${ci(passed, trials)}; derived bound ${(100 * bound).toFixed(2)}%; outcomes: ${Object.entries(
      counts,
    )
      .map(([k2, c]) => `${k2} ${c}`)
      .join(', ')}`,
  );
  return {
    eval: 'replay',
    file: path,
    rounds: cfg.prompt_rounds,
    reaction_ms_min: cfg.reaction_ms_min,
    reaction_ms_max: cfg.reaction_ms_max,
    sessions: trials,
    passed,
    derived_bound: bound,
    outcomes: counts,
  };
}

async function stream(path: string, trials: number, seed: number): Promise<object> {
  const v = await vision();
  const cfg = livenessConfig();
  const obs = await observeStream(v, readStream(path), SESSION_FRAMES);
  const enrolPath = opt('--enrol');
  let index: DescriptorIndex | null = null;
  if (enrolPath) {
    const o = await observeStill(v, readImage(enrolPath));
    if (!o.face?.descriptor)
      throw new Error(`--enrol ${enrolPath}: no usable face (${o.face?.quality.reason ?? 'no face'})`);
    index = new DescriptorIndex();
    index.add(basename(enrolPath), o.face.descriptor);
  }
  const promptAt = opt('--prompt-at-ms') === undefined ? undefined : num('--prompt-at-ms', 0);
  const r = seeded(seed);
  const counts: Record<string, number> = {};
  const n = promptAt === undefined ? trials : 1;
  for (let k = 0; k < n; k++) {
    const start =
      promptAt === undefined && k > 0
        ? Math.floor(r() * obs.length) % Math.min(obs.length, readStream(path).length)
        : 0;
    const run = runSession(obs, start, { prompt_after_ms: promptAt, random: r, cfg });
    const s = run.state;
    let line =
      s.status === 'refused'
        ? `refused ${s.code}: ${s.message} (${s.detail})`
        : s.status === 'accepted'
          ? `live: reaction ${s.reaction_ms.toFixed(0)} ms, decided ${(s.decided_at_ms - s.onset_at_ms).toFixed(0)} ms after onset`
          : `undecided (${s.status})`;
    if (s.status === 'accepted' && index) {
      const m = identify({ ...FACE_CONFIG.match, expected_false_id_rate_max: 1 }, index, s.descriptor, {
        amount_minor: 0,
        paymentsOf: () => Number.MAX_SAFE_INTEGER,
      });
      line +=
        m.outcome === 'accept'
          ? `; matched ${m.customer_id} at ${m.distance.toFixed(3)}`
          : `; match: ${m.outcome} ${'detail' in m ? m.detail : ''}`;
    }
    const key = s.status === 'refused' ? s.code : s.status;
    counts[key] = (counts[key] ?? 0) + 1;
    if (n <= 20 || flag('--verbose')) console.log(`session ${k + 1} (start frame ${start}): ${line}`);
    if (flag('--verbose')) console.log(run.log.map((l) => `    ${l}`).join('\n'));
  }
  if (flag('--verbose')) {
    for (const o of obs.slice(0, readStream(path).length)) {
      console.log(
        `  frame ${o.frame_seq} ${o.captured_at_ms.toFixed(0)} ms: ${o.face ? `smile ${o.face.smile.toFixed(3)} quality ${o.face.quality.good ? 'good' : o.face.quality.reason} ${o.face.tracked ? 'tracked' : 'detected'}` : 'no face'} faces_near ${o.faces_near}`,
      );
    }
  }
  console.log(
    `${n} sessions: ${Object.entries(counts)
      .map(([k2, c]) => `${k2} ${c}`)
      .join(', ')}`,
  );
  return { eval: 'stream', file: path, sessions: n, outcomes: counts };
}

async function liveCommand(path: string, trials: number, seed: number): Promise<object> {
  const frames = await readClip(path);
  const v = await vision();
  const cfg = livenessConfig();
  const res = await live(v, frames, cfg, trials, num('--reaction-ms', 450), seed);
  const line = (k: number, n: number): string => `${k} of ${n} = ${pct(k, n)} ${ci(k, n)}`;
  console.log(
    `clip: ${frames.length} frames; stretch used: ${res.clip.frames} frames, smile ${res.clip.onset}..${res.clip.offset - 1}`,
  );
  console.log(
    `${res.sessions} sessions of a customer reacting ${res.reaction_ms} ms after each prompt: accepted ${res.accepted}; BPCER ${line(res.sessions - res.accepted, res.sessions)}; refusals ${JSON.stringify(res.codes)}`,
  );
  if (res.decided_ms)
    console.log(
      `first frame to decision: median ${res.decided_ms.median.toFixed(0)} ms (p10 ${res.decided_ms.p10.toFixed(0)}, p90 ${res.decided_ms.p90.toFixed(0)})`,
    );
  return res;
}

async function main(): Promise<void> {
  const cmd = args[0];
  const seed = num('--seed', 1);
  let result: object;
  if (cmd === 'faces' && args[1]) result = await facesCommand(args[1], seed);
  else if (cmd === 'kiosk' && args[1]) result = await kioskCommand(args[1], seed);
  else if (cmd === 'spoof' && opt('--attack')) result = await spoof(opt('--attack')!, num('--trials', 20), seed);
  else if (cmd === 'stream' && args[1]) result = await stream(args[1], num('--trials', 100), seed);
  else if (cmd === 'live' && args[1]) result = await liveCommand(args[1], num('--trials', 20), seed);
  else if (cmd === 'replay' && args[1]) result = await replay(args[1], num('--trials', 2000), seed);
  else {
    console.error(USAGE);
    process.exit(2);
  }
  if (flag('--json')) console.log(JSON.stringify(result));
}

try {
  await main();
} catch (err) {
  if (err instanceof FolderError || err instanceof UsageError) {
    console.error(`eval: ${err.message}`);
    process.exit(2);
  }
  throw err;
}
