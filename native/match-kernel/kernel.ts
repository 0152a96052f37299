// Loads the WASM SIMD scan kernel (match-kernel.wat) and owns its linear memory: an int8 row
// store for the 1:N matcher's fast path, a 16-byte-aligned query slot and an output buffer.
// Pure WebAssembly (no Node API), so the same kernel would run in a browser; it is used by the
// trusted host only. Memory grows in whole 64 KiB pages; views are re-made after a grow.
import { MATCH_KERNEL_WASM_BASE64 } from './kernel-wasm.js';

export const KERNEL_DIMS = 128;
const PAGE_BYTES = 65536;
// 4 GiB is the wasm32 ceiling; 16M rows of 128 B is 2 GiB, with room for the output buffer.
export const KERNEL_ROWS_MAX = 16_000_000;

// The Node tsconfig has no DOM lib, where the WebAssembly types live: the little we use, typed here.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type ScanFn = (rows: number, n: number, query: number, bound: number, out: number) => number;

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let compiled: object | undefined;

export class ScanKernel {
  private readonly memory: WasmMemory;
  private readonly scanFn: ScanFn;
  private rowsCapacity = 0;
  // Layout: [query 128 B][rows capacity x 128 B][out capacity x 4 B]
  private readonly queryPtr = 0;
  private readonly rowsPtr = KERNEL_DIMS;

  constructor(initialRows = 1024) {
    compiled ??= new WA.Module(decodeBase64(MATCH_KERNEL_WASM_BASE64));
    const instance = new WA.Instance(compiled, {});
    this.memory = instance.exports.memory as WasmMemory;
    this.scanFn = instance.exports.scan as ScanFn;
    this.reserve(initialRows);
  }

  get capacity(): number {
    return this.rowsCapacity;
  }

  private outPtr(): number {
    return this.rowsPtr + this.rowsCapacity * KERNEL_DIMS;
  }

  /** Makes room for `rows` rows (and an output buffer as long), keeping existing rows. */
  reserve(rows: number): void {
    if (rows <= this.rowsCapacity) return;
    if (rows > KERNEL_ROWS_MAX) throw new Error(`match kernel: ${rows} rows requested, at most ${KERNEL_ROWS_MAX}`);
    const newCap = Math.min(KERNEL_ROWS_MAX, Math.max(rows, this.rowsCapacity * 2));
    const needBytes = this.rowsPtr + newCap * KERNEL_DIMS + newCap * 4;
    const havePages = this.memory.buffer.byteLength / PAGE_BYTES;
    const needPages = Math.ceil(needBytes / PAGE_BYTES);
    if (needPages > havePages) this.memory.grow(needPages - havePages);
    this.rowsCapacity = newCap;
  }

  /** The int8 row store (a fresh view: take it again after reserve). */
  rows(): Int8Array {
    return new Int8Array(this.memory.buffer, this.rowsPtr, this.rowsCapacity * KERNEL_DIMS);
  }

  /** Indices of rows [0, n) whose squared int8 distance to `query` is <= bound. */
  scan(query: Int8Array, n: number, bound: number): Int32Array {
    if (query.length !== KERNEL_DIMS)
      throw new Error(`match kernel: query of ${KERNEL_DIMS} int8 expected, got ${query.length}`);
    if (n > this.rowsCapacity) throw new Error(`match kernel: scan of ${n} rows, capacity ${this.rowsCapacity}`);
    new Int8Array(this.memory.buffer, this.queryPtr, KERNEL_DIMS).set(query);
    const count = this.scanFn(this.rowsPtr, n, this.queryPtr, Math.min(bound, 0x7fffffff) | 0, this.outPtr());
    return new Int32Array(this.memory.buffer, this.outPtr(), count).slice();
  }
}
