/**
 * The MinHash inner loop in WebAssembly SIMD (128-bit, in Node since V8 9.1): for 4 permutations at
 * once, `min_u(m, a·h + b)` on 32-bit lanes, that is i32x4.mul, i32x4.add and i32x4.min_u, against
 * about four scalar operations per permutation in JavaScript. The module is a few hundred bytes,
 * assembled below from named opcodes (WebAssembly core spec §5 binary format, SIMD proposal
 * opcodes), so no build step or dependency is needed. When the engine lacks SIMD, `SimdMinKernel.
 * create()` returns null and MinHasher keeps its JavaScript loop; both give identical values.
 */

// ---- A tiny assembler: LEB128 numbers, sections, and the opcodes the kernel uses. ----

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)]));

const I32 = 0x7f;
const V128 = 0x7b;
const op = {
  loop: [0x03, 0x40],
  end: [0x0b],
  brIf: (label: number) => [0x0d, ...uleb(label)],
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32Load: [0x28, 2, 0],
  i32Const: (n: number) => [0x41, ...sleb(n)],
  i32LtU: [0x49],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Shl: [0x74],
  v128Load: (offset: number) => [0xfd, ...uleb(0x00), 4, ...uleb(offset)],
  v128Store: (offset: number) => [0xfd, ...uleb(0x0b), 4, ...uleb(offset)],
  i32x4Splat: [0xfd, ...uleb(0x11)],
  i32x4Add: [0xfd, ...uleb(0xae)],
  i32x4Mul: [0xfd, ...uleb(0xb5)],
  i32x4MinU: [0xfd, ...uleb(0xb7)],
};

/**
 * `(hashes, n, coef, mins, groups)`: for each of `groups` groups of `g` vectors (4 permutations per
 * vector; coefficients at `coef`, 32 bytes per vector: a then b), lowers the vector minima at
 * `mins` (16 bytes per vector) over the n window hashes at `hashes`. n and groups must be >= 1.
 */
function kernelBody(g: number): number[] {
  const [HASHES, N, COEF, MINS, GROUPS, P, END] = [0, 1, 2, 3, 4, 5, 6];
  const a = (j: number) => 7 + j;
  const b = (j: number) => 7 + g + j;
  const m = (j: number) => 7 + 2 * g + j;
  const h = 7 + 3 * g;
  const code: number[] = [];
  const emit = (...parts: number[][]) => parts.forEach((p) => code.push(...p));
  emit(op.get(HASHES), op.get(N), op.i32Const(2), op.i32Shl, op.i32Add, op.set(END));
  emit(op.loop);
  for (let j = 0; j < g; j++) {
    emit(op.get(COEF), op.v128Load(32 * j), op.set(a(j)));
    emit(op.get(COEF), op.v128Load(32 * j + 16), op.set(b(j)));
    emit(op.get(MINS), op.v128Load(16 * j), op.set(m(j)));
  }
  emit(op.get(HASHES), op.set(P));
  emit(op.loop);
  emit(op.get(P), op.i32Load, op.i32x4Splat, op.set(h));
  for (let j = 0; j < g; j++) emit(op.get(m(j)), op.get(h), op.get(a(j)), op.i32x4Mul, op.get(b(j)), op.i32x4Add, op.i32x4MinU, op.set(m(j)));
  emit(op.get(P), op.i32Const(4), op.i32Add, op.tee(P), op.get(END), op.i32LtU, op.brIf(0), op.end);
  for (let j = 0; j < g; j++) emit(op.get(MINS), op.get(m(j)), op.v128Store(16 * j));
  emit(op.get(COEF), op.i32Const(32 * g), op.i32Add, op.set(COEF));
  emit(op.get(MINS), op.i32Const(16 * g), op.i32Add, op.set(MINS));
  emit(op.get(GROUPS), op.i32Const(1), op.i32Sub, op.tee(GROUPS), op.brIf(0), op.end, op.end);
  const locals = vec([[...uleb(2), I32], [...uleb(3 * g + 1), V128]]);
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

/** Vectors per group in the main kernel: 4 × (a, b, min) + the hash = 13 of the 16 SIMD registers. */
const GROUP = 4;

function moduleBytes(): Uint8Array {
  const type = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), ...vec([])];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([type])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec([[0], [0]])),
    ...section(7, vec([[...name('minGroups'), 0x00, 0], [...name('minVectors'), 0x00, 1]])),
    ...section(10, vec([kernelBody(GROUP), kernelBody(1)])),
  ]);
}

type Kernel = (hashes: number, n: number, coef: number, mins: number, groups: number) => void;

/** The part of the WebAssembly JavaScript API used here (the project's TypeScript libs omit it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (init: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** The compiled module, shared by every kernel of this thread; null once found unsupported. */
let compiled: object | null | undefined;

function compiledModule(): object | null {
  if (compiled === undefined) {
    const bytes = moduleBytes();
    // An engine without SIMD rejects the module; one without WebAssembly has no API at all.
    compiled = wasm?.validate(bytes) ? new wasm.Module(bytes) : null;
  }
  return compiled;
}

/**
 * The SIMD minima for one set of coefficients, with its own memory: coefficients, then the minima,
 * then room for the window hashes (grown on demand).
 */
export class SimdMinKernel {
  private readonly memory: WasmMemory;
  private readonly minGroups: Kernel;
  private readonly minVectors: Kernel;
  private readonly vectors: number;
  private readonly minsAt: number;
  private readonly hashesAt: number;
  private hashView: Int32Array;
  private minView: Uint32Array;

  private constructor(instance: { exports: Record<string, unknown> }, memory: WasmMemory, a: Uint32Array, b: Uint32Array) {
    this.memory = memory;
    this.minGroups = instance.exports['minGroups'] as Kernel;
    this.minVectors = instance.exports['minVectors'] as Kernel;
    this.vectors = a.length / 4;
    this.minsAt = this.vectors * 32;
    this.hashesAt = this.minsAt + this.vectors * 16;
    const coef = new Uint32Array(memory.buffer, 0, this.vectors * 8);
    for (let v = 0; v < this.vectors; v++) {
      coef.set(a.subarray(4 * v, 4 * v + 4), 8 * v);
      coef.set(b.subarray(4 * v, 4 * v + 4), 8 * v + 4);
    }
    this.hashView = new Int32Array(memory.buffer, this.hashesAt);
    this.minView = new Uint32Array(memory.buffer, this.minsAt, this.vectors * 4);
  }

  /** A kernel for coefficients a, b (lengths a multiple of 4), or null without WebAssembly SIMD. */
  static create(a: Uint32Array, b: Uint32Array): SimdMinKernel | null {
    if (a.length !== b.length || a.length % 4 !== 0 || a.length === 0) throw new RangeError('SIMD coefficients come in equal-length multiples of 4');
    const module = compiledModule();
    if (!module || !wasm) return null;
    const memory = new wasm.Memory({ initial: 2 });
    const instance = new wasm.Instance(module, { env: { memory } });
    return new SimdMinKernel(instance, memory, a, b);
  }

  /** Room for n window hashes, as a view to fill before `minima(n)`; valid until the next call. */
  hashes(n: number): Int32Array {
    const need = this.hashesAt + 4 * n;
    if (need > this.memory.buffer.byteLength) {
      this.memory.grow(Math.ceil((need - this.memory.buffer.byteLength) / 65536));
      this.hashView = new Int32Array(this.memory.buffer, this.hashesAt);
      this.minView = new Uint32Array(this.memory.buffer, this.minsAt, this.vectors * 4);
    }
    return this.hashView;
  }

  /** The minima of all permutations over hashes [0, n) (n >= 1), scanned in blocks of `block`. */
  minima(n: number, block: number): Uint32Array {
    this.minView.fill(0xffffffff);
    const groups = Math.floor(this.vectors / GROUP);
    const rest = this.vectors - groups * GROUP;
    const restCoef = groups * GROUP * 32;
    const restMins = this.minsAt + groups * GROUP * 16;
    for (let start = 0; start < n; start += block) {
      const len = Math.min(block, n - start);
      const at = this.hashesAt + 4 * start;
      if (groups > 0) this.minGroups(at, len, 0, this.minsAt, groups);
      if (rest > 0) this.minVectors(at, len, restCoef, restMins, rest);
    }
    return this.minView;
  }
}
