// Proves the host's side of the relax cue (electron/host/payment/face-challenge.ts): after the
// smile, the prompt stays on until the drawn cue, then the host takes it away (a 'relax' event,
// prompting false) and the end of the smile counts from the send time plus the display latency,
// never earlier than the drawn moment; a customer who relaxes when the prompt goes is live, one
// who keeps smiling is refused. Synthetic observations on a host clock the test moves (no models).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FACE_CONFIG } from '../../electron/face/config.js';
import { FaceChallenge, type FaceEvent } from '../../electron/host/payment/face-challenge.js';
import { stillFaceObservation } from '../helpers/still-face.js';

const CFG = {
  ...FACE_CONFIG.liveness,
  prompt_rounds: 1,
  relax_cue: true,
  neutral_hold_ms: 100,
  prompt_delay_ms_min: 300,
  prompt_delay_ms_max: 2_600,
  relax_delay_ms_min: 0,
  relax_delay_ms_max: 2_300,
};
const LATENCY_MS = 150;

/** A customer at 15 fps who smiles REACT_MS after the prompt is sent and, unless `keepSmiling`,
 * relaxes REACT_MS after the relax cue is sent (each counted from send + latency: 450 ms). */
const REACT_MS = 600;
function play(keepSmiling: boolean): { events: FaceEvent[]; state: FaceChallenge['state']; log: string } {
  let nowMs = 0;
  const events: FaceEvent[] = [];
  const ch = new FaceChallenge({ display_latency_ms: LATENCY_MS, now: () => nowMs }, (e) => events.push(e), CFG);
  let promptSentAt: number | null = null;
  let relaxSentAt: number | null = null;
  try {
    for (let i = 0; i < 15 * 12 && !ch.decided; i++) {
      nowMs = (i * 1000) / 15;
      const smiling = promptSentAt !== null && nowMs >= promptSentAt + REACT_MS;
      const relaxed = !keepSmiling && relaxSentAt !== null && nowMs >= relaxSentAt + REACT_MS;
      ch.push(stillFaceObservation(i, nowMs, smiling && !relaxed ? 0.99 : 0));
      for (const e of events) {
        if (e.kind === 'prompt') promptSentAt ??= e.sent_at_ms;
        if (e.kind === 'relax') relaxSentAt ??= e.sent_at_ms;
      }
      if (relaxSentAt !== null) assert.equal(ch.prompting, false, 'the prompt is off once the cue is sent');
    }
    return { events, state: ch.state, log: ch.liveness.log.join('\n') };
  } finally {
    ch.cancel();
  }
}

test('the relax cue takes the prompt away; relaxing then is live, with the end of the smile counted from the cue as shown', () => {
  const live = play(false);
  assert.deepEqual(
    live.events.map((e) => e.kind),
    ['prompt', 'relax'],
    live.log,
  );
  const relax = live.events[1] as { sent_at_ms: number; shown_at_ms: number };
  assert.ok(relax.shown_at_ms >= relax.sent_at_ms + LATENCY_MS, 'shown no earlier than sent + latency');
  assert.equal(live.state.status, 'accepted', live.log);
  if (live.state.status === 'accepted') {
    assert.equal(live.state.reactions_ms.length, 2);
    // Relaxed REACT_MS after the send: counted from send + latency, within a frame.
    const r = live.state.reactions_ms[1]!;
    assert.ok(r >= REACT_MS - LATENCY_MS && r < REACT_MS - LATENCY_MS + 1000 / 15 + 1, `relax reaction ${r}`);
  }
  assert.match(live.log, /relax cue shown \(drawn for \d+ ms\)/);
  const stubborn = play(true);
  assert.equal(stubborn.state.status === 'refused' && stubborn.state.code, 'FACE_NO_NEUTRAL', stubborn.log);
});
