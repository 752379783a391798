/**
 * MurmurHash3 x86_32 (Austin Appleby's public-domain algorithm, the hash cuDF's `str.minhash` applies
 * to every character window). 32-bit arithmetic only: `Math.imul` for products, `| 0` to stay in
 * int32, `>>> 0` once at the end to return an unsigned value.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** MurmurHash3's 32-bit finaliser: spreads every input bit over the whole word (result unsigned). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** MurmurHash3's mix of one 4-byte block `k` (read little-endian) before it enters the hash. */
function mixBlock(k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

/** MurmurHash3's step that folds one mixed block into the running hash `h`. */
function foldBlock(h: number, mixed: number): number {
  h ^= mixed;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's end: the `len & 3` tail bytes at `bytes[i]`, the length and fmix32 (result unsigned). */
function finish(h: number, bytes: Uint8Array, i: number, len: number): number {
  const tail = len & 3;
  if (tail > 0) {
    let k = bytes[i] as number;
    if (tail > 1) k |= (bytes[i + 1] as number) << 8;
    if (tail > 2) k |= (bytes[i + 2] as number) << 16;
    h ^= mixBlock(k);
  }
  return fmix32(h ^ len);
}

/** The little-endian 32-bit word at `bytes[i]`. */
function block(bytes: Uint8Array, i: number): number {
  return (bytes[i] as number) | ((bytes[i + 1] as number) << 8) | ((bytes[i + 2] as number) << 16) | ((bytes[i + 3] as number) << 24);
}

/**
 * MurmurHash3 x86_32 of `bytes[start, end)` with `seed`, as an unsigned 32-bit integer. Blocks are
 * read little-endian, as the reference implementation does on x86, so results match it everywhere.
 */
export function murmur3_32(bytes: Uint8Array, seed = 0, start = 0, end = bytes.length): number {
  let h = seed | 0;
  const len = end - start;
  const blockEnd = start + (len & ~3);
  let i = start;
  for (; i < blockEnd; i += 4) h = foldBlock(h, mixBlock(block(bytes, i)));
  return finish(h, bytes, i, len);
}

/**
 * MurmurHash3 x86_32 of the n windows of `width` characters of `bytes[0, len)`: window w spans bytes
 * `[starts[w], starts[w + width])`, or `[w, w + width)` when `starts` is null (one byte per
 * character); every window must lie inside `len`. A window's 4-byte blocks are mixed (the two multiplies and the
 * rotation) once per byte position into `mixed` and shared by every window that reads them: with
 * 24-byte windows sliding by one byte, each block is read by 6 windows. Results go to `out[0, n)`
 * as int32 bit patterns (`>>> 0` gives `murmur3_32`'s value). `mixed` needs `bytes` entries.
 */
export function murmur3_32Windows(bytes: Uint8Array, len: number, seed: number, n: number, starts: Int32Array | null, width: number, mixed: Int32Array, out: Int32Array): void {
  for (let p = 0; p + 4 <= len; p++) mixed[p] = mixBlock(block(bytes, p));
  // Two loops, not one with a test per window: V8 compiles the ASCII one about twice as fast.
  if (starts === null) {
    const blocks = width >> 2;
    for (let w = 0; w < n; w++) out[w] = finishWindow(bytes, mixed, w, blocks, width, seed);
  } else {
    for (let w = 0; w < n; w++) {
      const start = starts[w] as number;
      const wlen = (starts[w + width] as number) - start;
      out[w] = finishWindow(bytes, mixed, start, wlen >> 2, wlen, seed);
    }
  }
}

/** The rest of MurmurHash3 for the window at `start` of `wlen` bytes, its blocks already mixed. */
function finishWindow(bytes: Uint8Array, mixed: Int32Array, start: number, blocks: number, wlen: number, seed: number): number {
  let h = seed | 0;
  let i = start;
  for (let j = 0; j < blocks; j++, i += 4) h = foldBlock(h, mixed[i] as number);
  // Unsigned; stored in an Int32Array it becomes the same bit pattern.
  return finish(h, bytes, i, wlen);
}

const encoder = new TextEncoder();

/** MurmurHash3 x86_32 of the UTF-8 encoding of `text`. */
export function murmur3_32String(text: string, seed = 0): number {
  return murmur3_32(encoder.encode(text), seed);
}
