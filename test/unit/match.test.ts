// Proves the 1:N matcher's fast path (int8 WASM SIMD scan + float re-rank) returns exactly what
// the float32 reference search returns within the radius, for random galleries and queries; that
// step-up and templates behave: the false-identification rate grows with the gallery, a sealed
// template opens only with its key and its customer, and a flipped byte is refused; a customer's
// template of several descriptors is scored by its fused descriptor (TEMPLATE_RULE), not by the
// nearest one: a probe near one stray descriptor is not a match.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { DescriptorIndex } from '../../electron/face/matcher.js';
import { expectedFalseIdRate } from '../../electron/face/decision.js';
import { euclidean, fuseDescriptors, TEMPLATE_RULE } from '../../electron/face/fuse.js';
import { openTemplate, sealTemplate } from '../../electron/face/template-crypto.js';
import { seeded } from '../../bin/eval/harness.js';

function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

test('fast search equals exact search within the radius (property, random galleries)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 2 ** 31 }),
      fc.integer({ min: 1, max: 3000 }),
      fc.double({ min: 0.2, max: 1.2, noNaN: true }),
      (seed, n, radius) => {
        const r = seeded(seed);
        const index = new DescriptorIndex(16);
        const rows: number[][] = [];
        for (let i = 0; i < n; i++) {
          const d = Array.from({ length: 128 }, () => gaussian(r) * 0.056);
          rows.push(d);
          index.add(`c${i % Math.max(1, n >> 1)}`, d);
        }
        const base = rows[Math.floor(r() * n)]!;
        const q = base.map((x) => x + gaussian(r) * 0.03);
        const fast = index.search(q, radius, 3);
        const exact = index.searchExact(q, radius, 3);
        assert.deepEqual(
          fast.map((m) => m.customer_id),
          exact.map((m) => m.customer_id),
        );
        fast.forEach((m, i) => assert.ok(Math.abs(m.distance - exact[i]!.distance) < 1e-9));
      },
    ),
    { numRuns: 40 },
  );
});

test('removed customers are never matched; bad descriptors are refused with what arrived', () => {
  const index = new DescriptorIndex();
  const d = Array.from({ length: 128 }, (_, i) => Math.sin(i) * 0.1);
  index.add('alice', d);
  assert.equal(index.search(d, 0.5)[0]?.customer_id, 'alice');
  index.remove('alice');
  assert.deepEqual(index.search(d, 0.5), []);
  assert.throws(() => index.add('bob', d.slice(0, 127)), /expected 128 numbers, got 127/);
  assert.throws(() => index.add('bob', [...d.slice(0, 127), Number.NaN]), /dimension 127 is NaN/);
});

test("a customer's template is scored by its fused descriptor (the measured rule), one row per customer", () => {
  assert.equal(TEMPLATE_RULE, 'fused');
  const r = seeded(3);
  const centre = Array.from({ length: 128 }, () => (r() - 0.5) * 0.2);
  const near = (s: number) => centre.map((c) => c + (r() - 0.5) * s);
  // Four close captures and one stray (a blink, a landmark slip) far from them.
  const template = [near(0.02), near(0.02), near(0.02), near(0.02), near(0.2)];
  const index = new DescriptorIndex();
  assert.equal(index.addCustomer('amy', template), 1);
  assert.equal(index.size, 1);
  const fused = fuseDescriptors(template);
  const probe = template[4]!.map((x) => x + 0.001);
  const [m] = index.searchExact(probe, Number.POSITIVE_INFINITY, 1);
  assert.ok(Math.abs(m!.distance - euclidean(fused, probe)) < 1e-6, `scored ${m!.distance} by the fused descriptor`);
  assert.ok(m!.distance > 0.5, 'a probe beside the stray descriptor alone is far from the template');
  assert.ok(index.search(centre, 0.3, 1)[0]!.distance < 0.1, 'the person themself is near');
  assert.throws(() => index.addCustomer('bob', []), /no descriptors/);
  assert.throws(() => index.addCustomer('bob', [centre.slice(0, 12)]), /expected 128 numbers, got 12/);
});

test('expected false-identification rate grows with the gallery', () => {
  assert.equal(expectedFalseIdRate(0.001, 0), 0);
  assert.ok(Math.abs(expectedFalseIdRate(0.001, 10) - 0.00996) < 1e-4);
  assert.ok(expectedFalseIdRate(0.001, 10_000) > 0.99);
});

test('templates: AES-256-GCM opens with the right key and customer only; a flipped byte is refused', () => {
  const key = randomBytes(32);
  const ds = [Array.from({ length: 128 }, (_, i) => i / 1000), Array.from({ length: 128 }, (_, i) => -i / 1000)];
  const sealed = sealTemplate(key, 'cust-1', ds);
  const opened = openTemplate(key, 'cust-1', sealed);
  assert.equal(opened.length, 2);
  assert.ok(Math.abs(opened[1]![5]! - -0.005) < 1e-6);
  assert.throws(() => openTemplate(randomBytes(32), 'cust-1', sealed), /authentication failed/);
  assert.throws(() => openTemplate(key, 'cust-2', sealed), /authentication failed/);
  const raw = Buffer.from(sealed.slice(3), 'base64url');
  raw[20] = raw[20]! ^ 1;
  assert.throws(() => openTemplate(key, 'cust-1', `v1.${raw.toString('base64url')}`), /authentication failed/);
  assert.throws(() => sealTemplate(randomBytes(16), 'x', ds), /expected 32 bytes, got 16/);
});
