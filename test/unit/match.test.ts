// Proves the 1:N matcher's fast path (int8 WASM SIMD scan + float re-rank) returns exactly what
// the float32 reference search returns within the radius, for random galleries and queries; that
// step-up and templates behave: the false-identification rate grows with the gallery, a sealed
// template opens only with its key and its customer, and a flipped byte is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { DescriptorIndex } from '../../electron/face/matcher.js';
import { expectedFalseIdRate } from '../../electron/face/decision.js';
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
