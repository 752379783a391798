import { fmix32, murmur3_32, murmur3_32Windows } from './murmur3.js';
import { SimdMinKernel } from './minhash-simd.js';

/**
 * MinHash signatures for fuzzy deduplication, with NeMo Curator's parameters (semantics §5.8).
 *
 * Every window of `char_ngrams` consecutive Unicode code points is hashed with MurmurHash3 x86_32
 * over its UTF-8 bytes, exactly as cuDF's `str.minhash` does (a text shorter than the window, the
 * empty text included, is one window). Permutation i then maps a window hash h to
 * `(a_i·h + b_i) mod 2^32` (a_i odd, so each map is a bijection of the 32-bit words), and signature
 * value i is the minimum over all windows. cuDF computes `((h·a + b) mod (2^61−1)) & 0xFFFFFFFF`
 * with NumPy-drawn coefficients instead, which needs 64-bit products; the window hashes here are
 * cuDF's, but the signatures are not bit-identical to NeMo Curator's. The multiply-add family
 * keeps the collision probability of each value at the Jaccard similarity and the values nearly
 * independent, which the LSH-curve test checks against 1 − (1 − J^r)^b.
 *
 * Speed: the minima are taken over blocks of window hashes that stay in L1 cache, 16 permutations
 * at a time in WebAssembly SIMD (minhash-simd.ts), or where that is missing 4 at a time in
 * JavaScript with the minima in registers and every value in int32 (the sign bit is flipped once,
 * folded into b, so a signed comparison orders the unsigned values). Both give identical values.
 * See `test/bench/minhash.ts` for the figures.
 */

/** Parameters of the MinHash step, with NeMo Curator's names and defaults. */
export interface MinHashParams {
  /** Characters (Unicode code points) per window. */
  char_ngrams: number;
  /** LSH bands. */
  num_bands: number;
  /** MinHash values per band. */
  minhashes_per_band: number;
  /** Seed of the permutation coefficients. */
  seed: number;
}

/** NeMo Curator's defaults: 24-character windows, 20 bands of 13 values (260 in all), seed 42. */
export const MINHASH_DEFAULTS: Readonly<MinHashParams> = Object.freeze({ char_ngrams: 24, num_bands: 20, minhashes_per_band: 13, seed: 42 });

/** Below this many characters per window NeMo Curator warns of false positives. */
export const MIN_RECOMMENDED_CHAR_NGRAMS = 20;

/** NeMo Curator's warning for short windows, or null when `charNgrams` is at least 20. */
export function charNgramsWarning(charNgrams: number): string | null {
  if (charNgrams >= MIN_RECOMMENDED_CHAR_NGRAMS) return null;
  return `char_ngrams=${charNgrams} is below ${MIN_RECOMMENDED_CHAR_NGRAMS}: short windows make many unrelated documents look alike (NeMo Curator reports about 5% false positives); use at least ${MIN_RECOMMENDED_CHAR_NGRAMS}.`;
}

/** A deterministic stream of 32-bit words from a seed (SplitMix32: a Weyl sequence through fmix32). */
export function seededWords(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    return fmix32(state);
  };
}

const SIGN = -0x80000000;
const MAX_I32 = 0x7fffffff;
/** Window hashes scanned per pass over the permutations: 16 KiB, so a block stays in L1 cache. */
const BLOCK = 4096;

const encoder = new TextEncoder();

function checkInt(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new RangeError(`MinHash parameter ${name} must be an integer >= ${min}, got ${v}`);
}

/**
 * Computes MinHash signatures. Holds the permutation coefficients and scratch buffers, so one
 * instance per thread signs any number of texts without allocating per window; not re-entrant.
 */
export class MinHasher {
  readonly params: Readonly<MinHashParams>;
  /** Values per signature: num_bands × minhashes_per_band. */
  readonly numHashes: number;
  /** MurmurHash3 seed of the window hashes (a₀, as NeMo Curator passes cuDF). */
  readonly windowSeed: number;
  /** Whether the minima run in WebAssembly SIMD (false: the JavaScript loop). */
  readonly usesSimd: boolean;
  private readonly simd: SimdMinKernel | null;
  private readonly a: Int32Array;
  /** b_i with the sign bit flipped: (a·h + b) ^ 2^31 = a·h + (b ^ 2^31) mod 2^32. */
  private readonly bFlipped: Int32Array;
  private readonly mins: Int32Array;
  private bytes = new Uint8Array(1 << 16);
  private starts = new Int32Array(1 << 14);
  private hashes = new Int32Array(0);
  private mixed = new Int32Array(1 << 14);

  /** `options.simd: false` forces the JavaScript loop (tests compare the two). */
  constructor(params: Partial<MinHashParams> = {}, options: { simd?: boolean } = {}) {
    const p = { ...MINHASH_DEFAULTS, ...params };
    checkInt('char_ngrams', p.char_ngrams, 1);
    checkInt('num_bands', p.num_bands, 1);
    checkInt('minhashes_per_band', p.minhashes_per_band, 1);
    checkInt('seed', p.seed, -(2 ** 31));
    this.params = Object.freeze(p);
    this.numHashes = p.num_bands * p.minhashes_per_band;
    const padded = (this.numHashes + 3) & ~3;
    this.a = new Int32Array(padded);
    this.bFlipped = new Int32Array(padded);
    this.mins = new Int32Array(padded);
    const next = seededWords(p.seed);
    for (let i = 0; i < this.numHashes; i++) {
      this.a[i] = next() | 1;
      this.bFlipped[i] = next() ^ SIGN;
    }
    this.windowSeed = (this.a[0] as number) >>> 0;
    const b = new Uint32Array(padded);
    for (let i = 0; i < padded; i++) b[i] = (this.bFlipped[i] as number) ^ SIGN;
    this.simd = options.simd === false ? null : SimdMinKernel.create(new Uint32Array(this.a.buffer), b);
    this.usesSimd = this.simd !== null;
  }

  /**
   * The signature of `text`, written to `out[offset, offset + numHashes)` (a new array by default),
   * so that a batch's signatures can share one row-major Uint32Array.
   */
  signature(text: string, out: Uint32Array = new Uint32Array(this.numHashes), offset = 0): Uint32Array {
    if (offset < 0 || offset + this.numHashes > out.length) throw new RangeError(`signature of ${this.numHashes} values does not fit at offset ${offset} of an array of ${out.length}`);
    const n = this.windowHashes(text);
    if (this.simd) {
      const m = this.simd.minima(n, BLOCK);
      out.set(m.subarray(0, this.numHashes), offset);
      return out;
    }
    const mins = this.mins;
    mins.fill(MAX_I32);
    const hashes = this.hashes;
    const a = this.a;
    const b = this.bFlipped;
    const k = mins.length;
    for (let start = 0; start < n; start += BLOCK) {
      const end = Math.min(n, start + BLOCK);
      for (let i = 0; i < k; i += 4) {
        const a0 = a[i] as number, a1 = a[i + 1] as number, a2 = a[i + 2] as number, a3 = a[i + 3] as number;
        const b0 = b[i] as number, b1 = b[i + 1] as number, b2 = b[i + 2] as number, b3 = b[i + 3] as number;
        let m0 = mins[i] as number, m1 = mins[i + 1] as number, m2 = mins[i + 2] as number, m3 = mins[i + 3] as number;
        for (let w = start; w < end; w++) {
          const h = hashes[w] as number;
          let v = (Math.imul(h, a0) + b0) | 0;
          if (v < m0) m0 = v;
          v = (Math.imul(h, a1) + b1) | 0;
          if (v < m1) m1 = v;
          v = (Math.imul(h, a2) + b2) | 0;
          if (v < m2) m2 = v;
          v = (Math.imul(h, a3) + b3) | 0;
          if (v < m3) m3 = v;
        }
        mins[i] = m0;
        mins[i + 1] = m1;
        mins[i + 2] = m2;
        mins[i + 3] = m3;
      }
    }
    // Undo the sign flip; a Uint32Array stores the int32 bit pattern as its unsigned value.
    for (let i = 0; i < this.numHashes; i++) out[offset + i] = (mins[i] as number) ^ SIGN;
    return out;
  }

  /** Signatures of many texts, row-major: text t's values are `[t·numHashes, (t+1)·numHashes)`. */
  signatures(texts: readonly string[]): Uint32Array {
    const out = new Uint32Array(texts.length * this.numHashes);
    for (let t = 0; t < texts.length; t++) this.signature(texts[t] as string, out, t * this.numHashes);
    return out;
  }

  /** Fills the window-hash array with the MurmurHash3 of every window of `text`; returns how many. */
  private windowHashes(text: string): number {
    if (this.bytes.length < text.length * 3) this.bytes = new Uint8Array(text.length * 3 + 1024);
    const bytes = this.bytes;
    const len = encoder.encodeInto(text, bytes).written;
    const width = this.params.char_ngrams;
    // ASCII (one byte per character) needs no code-point offsets.
    let starts: Int32Array | null = null;
    let chars = len;
    if (len !== text.length) {
      if (this.starts.length < len + 1) this.starts = new Int32Array(len + 1025);
      starts = this.starts;
      chars = 0;
      for (let i = 0; i < len; i++) if (((bytes[i] as number) & 0xc0) !== 0x80) starts[chars++] = i;
      starts[chars] = len;
    }
    if (chars <= width) {
      this.grow(1)[0] = murmur3_32(bytes, this.windowSeed, 0, len);
      return 1;
    }
    const n = chars - width + 1;
    if (this.mixed.length < len) this.mixed = new Int32Array(len + 1024);
    murmur3_32Windows(bytes, len, this.windowSeed, n, starts, width, this.mixed, this.grow(n));
    return n;
  }

  /** Room for n window hashes: in the SIMD kernel's memory, or a growing scratch array. */
  private grow(n: number): Int32Array {
    if (this.simd) return this.simd.hashes(n);
    if (this.hashes.length < n) this.hashes = new Int32Array(Math.max(n, this.hashes.length * 2));
    return this.hashes;
  }
}

/** How many of two signatures' values agree: the MinHash estimate of their Jaccard similarity. */
export function estimatedJaccard(a: Uint32Array, b: Uint32Array, aOffset = 0, bOffset = 0, length = Math.min(a.length - aOffset, b.length - bOffset)): number {
  let same = 0;
  for (let i = 0; i < length; i++) if (a[aOffset + i] === b[bOffset + i]) same++;
  return length === 0 ? 0 : same / length;
}
