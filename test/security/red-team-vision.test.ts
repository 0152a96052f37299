// Proves (red team, finding 6) that one paired screen cannot stall the host's vision worker for every screen with a JPEG that is cheap to send and slow to decode.
// A progressive JPEG may hold thousands of scans; each refinement scan makes the decoder visit
// all 63 coefficients of every block again. 128 KiB (the frame limit) of such scans over a
// 640 x 480 picture, all empty, cost jpeg-js about 14 s of synchronous work in the worker
// (a camera frame: 10-20 ms). The host gives up on a frame after 5 s and hands the worker the
// next, which queues behind: a screen sending these keeps the worker busy for ever, and the
// kiosk's own customer screen sees no face. A screen's canvas encodes baseline JPEG (one
// scan): anything else is refused before it is queued.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFrame } from '../../electron/contract/frames.js';
import { openAttackKiosk, type AttackKiosk } from './fixture.js';

let k: AttackKiosk;
before(async () => {
  k = await openAttackKiosk();
});
after(async () => {
  await k?.close();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A valid progressive greyscale 640 x 480 JPEG of `bytesMax` bytes: a DC scan, then as many
 * empty AC refinement scans (1..63, Ah 1) as fit, each one end-of-band run over all blocks. */
export function progressiveBomb(bytesMax: number): Uint8Array {
  const W = 640;
  const H = 480;
  const seg = (marker: number, payload: number[]): number[] => [
    0xff,
    marker,
    (payload.length + 2) >> 8,
    (payload.length + 2) & 0xff,
    ...payload,
  ];
  const out: number[] = [0xff, 0xd8];
  out.push(...seg(0xdb, [0, ...new Array<number>(64).fill(1)]));
  out.push(...seg(0xc2, [8, H >> 8, H & 0xff, W >> 8, W & 0xff, 1, 1, 0x11, 0]));
  out.push(...seg(0xc4, [0x00, 1, ...new Array<number>(15).fill(0), 0])); // DC: '0' = category 0
  out.push(...seg(0xc4, [0x10, 1, ...new Array<number>(15).fill(0), 0xe0])); // AC: '0' = EOB run 2^14
  const blocks = (W / 8) * (H / 8);
  out.push(...seg(0xda, [1, 1, 0x00, 0, 0, 0x00]));
  out.push(...new Array<number>(blocks / 8).fill(0)); // one '0' bit per block
  const scan = [...seg(0xda, [1, 1, 0x00, 1, 63, 0x10]), 0x00, 0x01];
  while (out.length + scan.length + 2 <= bytesMax) out.push(...scan);
  out.push(0xff, 0xd9);
  return Uint8Array.from(out);
}

test("a paired screen's slow-to-decode JPEGs are refused before the worker; another screen's frame is observed at once", async () => {
  const attacker = await k.screen();
  const till = await k.screen();
  try {
    const bomb = progressiveBomb(127 * 1024);
    const a = await attacker.ok('startPayment', {
      order_id: (await attacker.ok('createOrder', { lines: [{ item_id: 'tea', quantity: 1 }] })).order_id,
    });
    const b = await till.ok('startPayment', {
      order_id: (await till.ok('createOrder', { lines: [{ item_id: 'tea', quantity: 1 }] })).order_id,
    });
    for (let seq = 0; seq < 3; seq++) {
      attacker.send(encodeFrame({ tag: a.frame_tag, seq, captured_at_ms: Date.now(), jpeg: bomb }));
      await sleep(50);
    }
    await sleep(200);
    const sentAt = Date.now();
    till.send(encodeFrame({ tag: b.frame_tag, seq: 0, captured_at_ms: Date.now(), jpeg: k.d0[0]! }));
    const answered = await till.nextView((v) => v.session_id === b.session_id && v.frame?.seq === 0, 40_000);
    const waitedMs = Date.now() - sentAt;
    // Refused at the edge (pushed as frame refusals) or, before the fix, decided in the session.
    const bombs = [
      ...attacker.refusedFrames.map((f) => f.code),
      ...attacker.views.filter((v) => v.session_id === a.session_id && v.frame).map((v) => v.frame!.code),
    ];
    console.log(
      `# the till's frame: ${answered.frame!.outcome} ${answered.frame!.code ?? ''} after ${waitedMs} ms; the bombs: ${bombs.join(', ')}`,
    );
    assert.equal(answered.frame!.outcome, 'observed');
    assert.ok(waitedMs < 3_000, `the till's frame waited ${waitedMs} ms behind the attacker's`);
    assert.ok(
      bombs.length > 0 && bombs.every((c) => c === 'FRAME_MALFORMED'),
      `the bombs were refused before decoding: ${bombs.join(', ')}`,
    );
  } finally {
    attacker.close();
    till.close();
  }
});
