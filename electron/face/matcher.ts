// The 1:N matcher over the gallery (several descriptors per customer). Two searches that must
// agree: `searchExact` scans float32 rows (the reference), `search` is the fast path: an int8
// copy of every row scanned by a WASM SIMD kernel with a sound bound (the quantisation errors of
// the query and of the worst row are added to the radius, so no row within the radius in float
// can be skipped), then the survivors are re-ranked in float32. Both return the best distance per
// customer for the customers within `radius`, nearest first.
import { ScanKernel } from '../../native/match-kernel/kernel.js';
import { fuseDescriptors, TEMPLATE_RULE } from './fuse.js';

export const DESCRIPTOR_DIMS = 128;
// Face descriptors stay well inside +-0.6; the int8 step is 1/200 (range +-0.635). A value
// outside is clipped and the row's larger error is accounted for in the bound.
export const QUANT_STEP = 1 / 200;
export const GALLERY_ROWS_MAX = 16_000_000;

export interface CustomerMatch {
  customer_id: string;
  distance: number;
}

export interface SearchStats {
  rows_scanned: number;
  rows_reranked: number;
}

function quantise(v: ArrayLike<number>, out: Int8Array): number {
  let errSq = 0;
  for (let d = 0; d < DESCRIPTOR_DIMS; d++) {
    const x = v[d]!;
    let q = Math.round(x / QUANT_STEP);
    if (q > 127) q = 127;
    else if (q < -127) q = -127;
    out[d] = q;
    const e = x - q * QUANT_STEP;
    errSq += e * e;
  }
  return Math.sqrt(errSq);
}

function checkDescriptor(v: ArrayLike<number>, what: string): void {
  if (v.length !== DESCRIPTOR_DIMS) throw new Error(`${what}: expected ${DESCRIPTOR_DIMS} numbers, got ${v.length}`);
  for (let d = 0; d < DESCRIPTOR_DIMS; d++) {
    if (!Number.isFinite(v[d]!)) throw new Error(`${what}: dimension ${d} is ${v[d]}, expected a finite number`);
  }
}

export class DescriptorIndex {
  private floats: Float32Array;
  private rowCustomer: Int32Array;
  private readonly kernel: ScanKernel;
  private n = 0;
  private maxRowErr = 0;
  private readonly customerIds: string[] = [];
  private readonly customerIndex = new Map<string, number>();
  private readonly customerRows = new Map<number, number[]>();
  private readonly removed = new Set<number>();

  constructor(capacityRows = 1024) {
    this.floats = new Float32Array(capacityRows * DESCRIPTOR_DIMS);
    this.rowCustomer = new Int32Array(capacityRows);
    this.kernel = new ScanKernel(capacityRows);
  }

  get size(): number {
    return this.n;
  }

  get customers(): number {
    return this.customerRows.size;
  }

  private reserve(rows: number): void {
    if (rows > GALLERY_ROWS_MAX) throw new Error(`gallery: ${rows} rows, at most ${GALLERY_ROWS_MAX}`);
    if (rows * DESCRIPTOR_DIMS <= this.floats.length) return;
    const cap = Math.min(GALLERY_ROWS_MAX, Math.max(rows, (this.floats.length / DESCRIPTOR_DIMS) * 2));
    const f = new Float32Array(cap * DESCRIPTOR_DIMS);
    f.set(this.floats.subarray(0, this.n * DESCRIPTOR_DIMS));
    this.floats = f;
    const c = new Int32Array(cap);
    c.set(this.rowCustomer.subarray(0, this.n));
    this.rowCustomer = c;
    this.kernel.reserve(cap);
  }

  add(customerId: string, descriptor: ArrayLike<number>): number {
    checkDescriptor(descriptor, `descriptor of ${customerId}`);
    this.reserve(this.n + 1);
    let c = this.customerIndex.get(customerId);
    if (c === undefined) {
      c = this.customerIds.length;
      this.customerIds.push(customerId);
      this.customerIndex.set(customerId, c);
    }
    const row = this.n++;
    const base = row * DESCRIPTOR_DIMS;
    for (let d = 0; d < DESCRIPTOR_DIMS; d++) this.floats[base + d] = descriptor[d]!;
    this.rowCustomer[row] = c;
    const err = quantise(descriptor, this.kernel.rows().subarray(row * DESCRIPTOR_DIMS, (row + 1) * DESCRIPTOR_DIMS));
    if (err > this.maxRowErr) this.maxRowErr = err;
    const rows = this.customerRows.get(c) ?? [];
    rows.push(row);
    this.customerRows.set(c, rows);
    return row;
  }

  /** A customer's template as the kiosk matches it (TEMPLATE_RULE): one row, the fused
   * descriptor of the template's descriptors. Returns the rows added. */
  addCustomer(customerId: string, descriptors: ArrayLike<number>[]): number {
    if (TEMPLATE_RULE !== 'fused') throw new Error(`template rule ${TEMPLATE_RULE}: only 'fused' is built`);
    if (descriptors.length === 0) throw new Error(`template of ${customerId}: no descriptors`);
    descriptors.forEach((d, i) => checkDescriptor(d, `descriptor ${i} of ${customerId}`));
    this.add(customerId, fuseDescriptors(descriptors));
    return 1;
  }

  /** Deletion on request: the rows stay in the arrays but are never matched again. */
  remove(customerId: string): number {
    const c = this.customerIndex.get(customerId);
    const rows = c === undefined ? [] : (this.customerRows.get(c) ?? []);
    for (const r of rows) this.removed.add(r);
    if (c !== undefined) this.customerRows.delete(c);
    return rows.length;
  }

  has(customerId: string): boolean {
    const c = this.customerIndex.get(customerId);
    return c !== undefined && this.customerRows.has(c);
  }

  private rowDistance(q: ArrayLike<number>, row: number): number {
    const base = row * DESCRIPTOR_DIMS;
    let s = 0;
    for (let d = 0; d < DESCRIPTOR_DIMS; d++) {
      const t = q[d]! - this.floats[base + d]!;
      s += t * t;
    }
    return Math.sqrt(s);
  }

  private collect(q: ArrayLike<number>, rows: Iterable<number>, radius: number, limit: number): CustomerMatch[] {
    const best = new Map<number, number>();
    for (const r of rows) {
      if (this.removed.has(r)) continue;
      const dist = this.rowDistance(q, r);
      if (dist > radius) continue;
      const c = this.rowCustomer[r]!;
      const prev = best.get(c);
      if (prev === undefined || dist < prev) best.set(c, dist);
    }
    return [...best.entries()]
      .sort((a, b) => a[1] - b[1])
      .slice(0, limit)
      .map(([c, distance]) => ({ customer_id: this.customerIds[c]!, distance }));
  }

  /** Reference search: every row in float32. */
  searchExact(q: ArrayLike<number>, radius = Number.POSITIVE_INFINITY, limit = 2): CustomerMatch[] {
    checkDescriptor(q, 'query');
    return this.collect(q, range(this.n), radius, limit);
  }

  /** Fast search: int8 SIMD scan with a sound bound, then a float32 re-rank. */
  search(q: ArrayLike<number>, radius: number, limit = 2, stats?: SearchStats): CustomerMatch[] {
    checkDescriptor(q, 'query');
    if (!(radius > 0 && Number.isFinite(radius)))
      throw new Error(`search radius: expected a positive finite distance, got ${radius}`);
    const q8 = new Int8Array(DESCRIPTOR_DIMS);
    const qErr = quantise(q, q8);
    const r = (radius + qErr + this.maxRowErr) / QUANT_STEP;
    const survivors = this.kernel.scan(q8, this.n, Math.ceil(r * r));
    if (stats) {
      stats.rows_scanned = this.n;
      stats.rows_reranked = survivors.length;
    }
    return this.collect(q, survivors, radius, limit);
  }

  /** Step-up: match only among the given customers (e.g. those with these phone digits). */
  searchAmong(q: ArrayLike<number>, customerIds: Iterable<string>, radius: number, limit = 2): CustomerMatch[] {
    checkDescriptor(q, 'query');
    const rows: number[] = [];
    for (const id of customerIds) {
      const c = this.customerIndex.get(id);
      if (c !== undefined) rows.push(...(this.customerRows.get(c) ?? []));
    }
    return this.collect(q, rows, radius, limit);
  }
}

function* range(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}
