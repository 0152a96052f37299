// eval faces <dir> | eval spoof --attack <dir> | eval stream <file.mjpeg|dir> [...]: the face
// pipeline's honest numbers on anyone's data. Tables on stdout; --json adds one JSON line.
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FACE_CONFIG, timedReplayPassMax } from '../../electron/face/config.js';
import { euclidean } from '../../electron/face/fuse.js';
import { DescriptorIndex } from '../../electron/face/matcher.js';
import { identify } from '../../electron/face/decision.js';
import { decodeImage, readImage } from '../../native/image.node.js';
import { observeIndices, replayOnsetFrames, smileClip, timedReplayIndices } from './scripted.js';
import { assignFolds, crossValidate, describeRule, interval95, parseRule, type Counts } from './folds.js';
import {
  describeFolder,
  isImage,
  observeStill,
  observeStream,
  readStream,
  runSession,
  seeded,
  STREAM_FPS,
  vision,
} from './harness.js';

const USAGE = `usage:
  eval faces <dir>                 <dir>/<person>/<image>: genuine/impostor pairs, ROC, FAR/FRR
  eval faces <dir> --folds K [--rule zero-far|far:RATE] [--seed N]
                                   cross-validated by person: threshold chosen by the rule on the
                                   other folds, FAR/FRR counted on each held-out fold's pairs
  eval spoof --attack <dir>        <dir>/<attack type>/<image|.mjpeg>: APCER per attack type
  eval stream <file.mjpeg|dir> [--enrol <image>] [--prompt-at-ms N] [--rounds N] [--trials N] [--verbose]
  eval replay <file.mjpeg|dir> [--trials N] [--rounds N] [--reaction-min-ms N]
                                   a timed replay made from a neutral -> smile -> neutral clip,
                                   against random prompts: pass rate vs the derived bound
options: --json (one JSON line at the end), --seed N`;

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
    throw new Error(`${name}: expected a non-negative number, got ${JSON.stringify(v)}`);
  return n;
};
const SESSION_FRAMES = Math.ceil((FACE_CONFIG.liveness.session_ms_max / 1000) * STREAM_FPS) + 1;

const pct = (k: number, n: number): string => `${((100 * k) / Math.max(1, n)).toFixed(2)}%`;
const ci = (k: number, n: number): string => {
  const [lo, hi] = interval95(k, n);
  return `[95% CI ${(100 * lo).toFixed(2)}-${(100 * hi).toFixed(2)}%]`;
};

async function facesCrossValidated(dir: string, k: number, seed: number): Promise<object> {
  const v = await vision();
  const all = await describeFolder(v, dir);
  const rule = parseRule(opt('--rule') ?? 'zero-far');
  const folds = assignFolds(
    all.map((x) => x.person),
    k,
    seeded(seed),
  );
  const configured = FACE_CONFIG.match.accept_distance_max;
  const cv = crossValidate(all, folds, rule, { reference_threshold: configured });
  console.log(
    `images ${all.length} of ${folds.flat().length} people, without a usable face ${all.filter((x) => !x.descriptor).length} (their pairs count as refused)`,
  );
  console.log(`${k} folds by person (seed ${seed}); rule, fixed in advance: ${describeRule(rule)}`);
  console.log(
    'fold | held-out people | threshold | calibration pairs genuine/impostor | held-out genuine: refused | held-out impostor: accepted',
  );
  for (const f of cv.folds) {
    const c = f.held_out_pairs;
    console.log(
      `${f.fold} | ${f.held_out.join(', ')} | ${f.threshold.toFixed(3)} | ${f.calibration.genuine}/${f.calibration.impostor} | ${c.false_rejects}/${c.genuine} | ${c.false_accepts}/${c.impostor}`,
    );
  }
  const line = (label: string, c: Counts): void => {
    console.log(
      `${label}: FAR ${c.false_accepts}/${c.impostor} = ${pct(c.false_accepts, c.impostor)} ${ci(c.false_accepts, c.impostor)}, FRR ${c.false_rejects}/${c.genuine} = ${pct(c.false_rejects, c.genuine)} ${ci(c.false_rejects, c.genuine)}`,
    );
  };
  line('pooled over held-out folds', cv.pooled);
  if (cv.pooled_at_reference)
    line(
      `configured ${configured} on the same held-out pairs (chosen on all the data: for comparison, not a held-out figure)`,
      cv.pooled_at_reference,
    );
  const lonely = cv.folds.filter((f) => f.held_out.length < 2).length;
  if (lonely > 0)
    console.log(`note: ${lonely} fold(s) hold one person: no held-out impostor pairs there (use fewer folds)`);
  return {
    eval: 'faces',
    mode: 'cross-validated',
    folds: k,
    seed,
    rule: opt('--rule') ?? 'zero-far',
    configured_threshold: configured,
    per_fold: cv.folds,
    pooled: cv.pooled,
    pooled_at_configured: cv.pooled_at_reference,
  };
}

async function faces(dir: string): Promise<object> {
  const v = await vision();
  const all = await describeFolder(v, dir);
  const pairs: { a: string; b: string; genuine: boolean; d: number }[] = [];
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i]!;
      const b = all[j]!;
      const d = a.descriptor && b.descriptor ? euclidean(a.descriptor, b.descriptor) : Number.POSITIVE_INFINITY;
      pairs.push({ a: `${a.person}/${a.file}`, b: `${b.person}/${b.file}`, genuine: a.person === b.person, d });
    }
  }
  const gen = pairs.filter((p) => p.genuine);
  const imp = pairs.filter((p) => !p.genuine);
  const t = FACE_CONFIG.match.accept_distance_max;
  const fa = imp.filter((p) => p.d <= t).length;
  const fr = gen.filter((p) => p.d > t).length;
  console.log(
    `images ${all.length}, without a usable face ${all.filter((x) => !x.descriptor).length}: ${
      all
        .filter((x) => !x.descriptor)
        .map((x) => `${x.person}/${x.file} (${x.reason})`)
        .join(', ') || '-'
    }`,
  );
  console.log(
    `threshold ${t}: FAR ${fa}/${imp.length} = ${((100 * fa) / Math.max(1, imp.length)).toFixed(2)}%, FRR ${fr}/${gen.length} = ${((100 * fr) / Math.max(1, gen.length)).toFixed(2)}% (a pair with no usable face counts as refused)`,
  );
  console.log('ROC (threshold: FAR, FRR):');
  const roc = [0.4, 0.45, 0.5, 0.55, 0.57, 0.6, 0.65, 0.7].map((th) => {
    const a = imp.filter((p) => p.d <= th).length;
    const r = gen.filter((p) => p.d > th).length;
    console.log(`  ${th.toFixed(2)}: FAR ${a}/${imp.length}, FRR ${r}/${gen.length}`);
    return { threshold: th, far: a, frr: r };
  });
  const worstImp = [...imp].sort((x, y) => x.d - y.d).slice(0, 5);
  const worstGen = [...gen].sort((x, y) => y.d - x.d).slice(0, 5);
  console.log(`closest impostor pairs: ${worstImp.map((p) => `${p.a}~${p.b} ${p.d.toFixed(3)}`).join(', ')}`);
  console.log(`farthest genuine pairs: ${worstGen.map((p) => `${p.a}~${p.b} ${p.d.toFixed(3)}`).join(', ')}`);
  return {
    eval: 'faces',
    threshold: t,
    genuine_pairs: gen.length,
    impostor_pairs: imp.length,
    false_accepts: fa,
    false_rejects: fr,
    roc,
  };
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
  return c;
}

async function replay(path: string, trials: number, seed: number): Promise<object> {
  const v = await vision();
  const cfg = livenessConfig();
  const raw = readStream(path);
  const clip = smileClip(
    raw.map((f) => decodeImage(f)),
    await observeStream(v, raw, raw.length),
    cfg,
  );
  const onsets = replayOnsetFrames(clip, cfg, cfg.prompt_rounds);
  const obs = await observeIndices(
    v,
    clip,
    timedReplayIndices(clip, onsets, onsets[onsets.length - 1]! + (clip.offset - clip.onset) + 15),
  );
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
    `clip: neutral frames 0..${clip.onset - 1}, smile ${clip.onset}..${clip.offset - 1}, neutral ${clip.offset}..${clip.frames.length - 1}; replay smiles at frames ${onsets.join(', ')} (${STREAM_FPS} fps)`,
  );
  console.log(
    `settings: ${cfg.prompt_rounds} round(s), prompt delay ${cfg.prompt_delay_ms_min}..${cfg.prompt_delay_ms_max} ms, reaction ${cfg.reaction_ms_min}..${cfg.reaction_ms_max} ms`,
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

async function main(): Promise<void> {
  const cmd = args[0];
  const seed = num('--seed', 1);
  let result: object;
  if (cmd === 'faces' && args[1] && opt('--folds') !== undefined)
    result = await facesCrossValidated(args[1], num('--folds', 0), seed);
  else if (cmd === 'faces' && args[1]) result = await faces(args[1]);
  else if (cmd === 'spoof' && opt('--attack')) result = await spoof(opt('--attack')!, num('--trials', 20), seed);
  else if (cmd === 'stream' && args[1]) result = await stream(args[1], num('--trials', 100), seed);
  else if (cmd === 'replay' && args[1]) result = await replay(args[1], num('--trials', 2000), seed);
  else {
    console.error(USAGE);
    process.exit(2);
  }
  if (flag('--json')) console.log(JSON.stringify(result));
}

await main();
