import { fmix32 } from './murmur3.js';

/**
 * Locality-sensitive hashing of MinHash signatures (NeMo Curator's LSHStage, semantics §5.8): band i
 * covers signature values [i·r, (i+1)·r) with r = minhashes_per_band, and documents whose band
 * values are all equal share that band's bucket. A bucket key is a 53-bit hash of the band's values
 * (exact in a double; two different bands of 1M documents collide by chance with probability about
 * 10⁻⁴), and buckets are grouped band by band, so equal keys of different bands never merge.
 * Candidate groups are the buckets with at least 2 documents.
 */

/** 2^32, to place the high 21 bits of a key above the low 32. */
const TWO_32 = 4294967296;

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/**
 * The bucket key of band `band` of the signature at `sig[offset, ...)`: two MurmurHash3-style
 * 32-bit hashes of the band's values with different seeds (each seeded with the band index),
 * joined into an integer below 2^53.
 */
export function bandKey(sig: Uint32Array, offset: number, band: number, minhashesPerBand: number): number {
  let h1 = 0x2545f491 ^ band;
  let h2 = 0x9e3779b9 ^ Math.imul(band + 1, 0x85ebca6b);
  const start = offset + band * minhashesPerBand;
  for (let i = start; i < start + minhashesPerBand; i++) {
    const v = (sig[i] as number) | 0;
    h1 = mix(h1, v);
    h2 = mix(h2, v ^ 0x5bd1e995);
  }
  const lo = fmix32(h1 ^ minhashesPerBand);
  const hi = fmix32(h2 ^ minhashesPerBand) >>> 11;
  return hi * TWO_32 + lo;
}

/**
 * The `numBands` bucket keys of one signature, written to `out[outOffset, outOffset + numBands)`.
 * 8 bytes per band instead of 4·r: a document needs only its keys once its signature is hashed.
 */
export function bandKeys(sig: Uint32Array, numBands: number, minhashesPerBand: number, sigOffset = 0, out: Float64Array = new Float64Array(numBands), outOffset = 0): Float64Array {
  if (sigOffset + numBands * minhashesPerBand > sig.length) throw new RangeError(`a signature of ${numBands}×${minhashesPerBand} values does not fit at offset ${sigOffset} of ${sig.length}`);
  for (let b = 0; b < numBands; b++) out[outOffset + b] = bandKey(sig, sigOffset, b, minhashesPerBand);
  return out;
}

/**
 * Candidate groups in compressed form: bucket k holds `members[offsets[k], offsets[k+1])` (document
 * ids, at least 2, in the order they were added) and came from band `bands[k]`. A document appears
 * in one bucket per band it shares with another document.
 */
export interface Buckets {
  bands: Int32Array;
  offsets: Int32Array;
  members: Int32Array;
}

/** Edges as two parallel arrays: edge e joins `src[e]` and `dst[e]`. */
export interface Edges {
  src: Int32Array;
  dst: Int32Array;
}

/**
 * Collects documents' band keys and groups them into buckets. Documents are added one at a time
 * (ids are the caller's numeric ids, e.g. input order); storage is growing typed arrays, 8 bytes per
 * band plus 4 per document. Grouping counts one band's keys at a time in an open-addressing table
 * of typed arrays (reused across bands), then places the documents whose key occurs twice or more:
 * no Map or object per document.
 */
export class LshIndex {
  readonly numBands: number;
  readonly minhashesPerBand: number;
  /** One growing column of keys per band (band-major, so grouping a band reads one array). */
  private keys: Float64Array[];
  private ids: Int32Array;
  private readonly scratch: Float64Array;
  private count = 0;

  constructor(numBands: number, minhashesPerBand: number, initialCapacity = 1024) {
    if (!Number.isInteger(numBands) || numBands < 1) throw new RangeError(`num_bands must be an integer >= 1, got ${numBands}`);
    if (!Number.isInteger(minhashesPerBand) || minhashesPerBand < 1) throw new RangeError(`minhashes_per_band must be an integer >= 1, got ${minhashesPerBand}`);
    this.numBands = numBands;
    this.minhashesPerBand = minhashesPerBand;
    const cap = Math.max(1, initialCapacity);
    this.keys = Array.from({ length: numBands }, () => new Float64Array(cap));
    this.ids = new Int32Array(cap);
    this.scratch = new Float64Array(numBands);
  }

  /** Documents added so far. */
  get size(): number {
    return this.count;
  }

  /** Adds document `id` (an int32) by its signature at `sig[offset, offset + numBands·r)`. */
  add(id: number, sig: Uint32Array, offset = 0): void {
    const row = this.reserve(id);
    bandKeys(sig, this.numBands, this.minhashesPerBand, offset, this.scratch, 0);
    for (let b = 0; b < this.numBands; b++) (this.keys[b] as Float64Array)[row] = this.scratch[b] as number;
  }

  /** Adds document `id` by band keys already computed with `bandKeys` (e.g. in a worker). */
  addKeys(id: number, keys: ArrayLike<number>, offset = 0): void {
    if (offset + this.numBands > keys.length) throw new RangeError(`expected ${this.numBands} band keys at offset ${offset}, got ${keys.length - offset}`);
    const row = this.reserve(id);
    for (let b = 0; b < this.numBands; b++) (this.keys[b] as Float64Array)[row] = keys[offset + b] as number;
  }

  /** Buckets of two or more documents, band 0's first; within a band, in order of first member. */
  buckets(): Buckets {
    const n = this.count;
    const bands: number[] = [];
    const sizes: number[] = [];
    const parts: Int32Array[] = [];
    let total = 0;
    // An open-addressing table (linear probing) of one band's keys, reused for every band: slot s
    // holds a key at 2s and its count at 2s + 1 (0: empty), so a probe touches one cache line. The
    // low 32 bits of a key are already well mixed, so they index the table directly.
    let cap = 16;
    while (cap < 2 * n) cap *= 2;
    const mask = cap - 1;
    const table = new Float64Array(2 * cap);
    const slotOf = new Int32Array(n);
    for (let band = 0; band < this.numBands; band++) {
      const column = this.keys[band] as Float64Array;
      if (band > 0) table.fill(0);
      let shared = 0;
      for (let i = 0; i < n; i++) {
        const key = column[i] as number;
        let slot = (key >>> 0) & mask;
        while (table[2 * slot + 1] !== 0 && table[2 * slot] !== key) slot = (slot + 1) & mask;
        const c = table[2 * slot + 1] as number;
        if (c === 0) table[2 * slot] = key;
        else shared += c === 1 ? 2 : 1;
        table[2 * slot + 1] = c + 1;
        slotOf[i] = slot;
      }
      if (shared === 0) continue;
      // Buckets in order of their first member; members in order of addition. Once a bucket is
      // placed, its count field holds −(next free position + 1).
      const part = new Int32Array(shared);
      let used = 0;
      for (let i = 0; i < n; i++) {
        const at = 2 * (slotOf[i] as number) + 1;
        const c = table[at] as number;
        if (c === 1) continue;
        let next: number;
        if (c > 1) {
          next = used;
          used += c;
          bands.push(band);
          sizes.push(c);
        } else next = -c - 1;
        part[next] = this.ids[i] as number;
        table[at] = -(next + 2);
      }
      parts.push(part);
      total += part.length;
    }
    const offsets = new Int32Array(sizes.length + 1);
    for (let k = 0; k < sizes.length; k++) offsets[k + 1] = (offsets[k] as number) + (sizes[k] as number);
    const members = new Int32Array(total);
    let at = 0;
    for (const part of parts) {
      members.set(part, at);
      at += part.length;
    }
    return { bands: Int32Array.from(bands), offsets, members };
  }

  private reserve(id: number): number {
    if (!Number.isInteger(id) || id < -(2 ** 31) || id >= 2 ** 31) throw new RangeError(`document ids must be int32 integers, got ${id}`);
    if (this.count === this.ids.length) {
      const ids = new Int32Array(this.ids.length * 2);
      ids.set(this.ids);
      this.ids = ids;
      this.keys = this.keys.map((column) => {
        const grown = new Float64Array(column.length * 2);
        grown.set(column);
        return grown;
      });
    }
    this.ids[this.count] = id;
    return this.count++;
  }
}

/** Number of edges `bucketEdges` makes: the sum over buckets of (size − 1). */
export function edgeCount(buckets: Buckets): number {
  return buckets.members.length - (buckets.offsets.length - 1);
}

/**
 * NeMo Curator's BucketsToEdgesStage: consecutive pairs inside each bucket (`itertools.pairwise`),
 * not all pairs; enough to connect the bucket, with size − 1 edges instead of size·(size − 1)/2.
 */
export function bucketEdges(buckets: Buckets): Edges {
  const m = edgeCount(buckets);
  const src = new Int32Array(m);
  const dst = new Int32Array(m);
  let e = 0;
  const { offsets, members } = buckets;
  for (let k = 0; k + 1 < offsets.length; k++) {
    for (let i = (offsets[k] as number) + 1; i < (offsets[k + 1] as number); i++) {
      src[e] = members[i - 1] as number;
      dst[e] = members[i] as number;
      e++;
    }
  }
  return { src, dst };
}

/** LSH in one call: candidate buckets of row-major signatures, document t having id `ids[t]` (default t). */
export function lshBuckets(signatures: Uint32Array, numBands: number, minhashesPerBand: number, ids?: ArrayLike<number>): Buckets {
  const width = numBands * minhashesPerBand;
  if (signatures.length % width !== 0) throw new RangeError(`signatures hold ${signatures.length} values, not a multiple of ${numBands}×${minhashesPerBand}`);
  const n = signatures.length / width;
  const index = new LshIndex(numBands, minhashesPerBand, n);
  for (let t = 0; t < n; t++) index.add(ids ? (ids[t] as number) : t, signatures, t * width);
  return index.buckets();
}
