import { describe, expect, it } from 'vitest';
import { fmix32, murmur3_32, murmur3_32String, murmur3_32Windows } from '../../../../../runner/stages/dedup/murmur3.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('murmur3_32 (MurmurHash3 x86_32)', () => {
  // Published x86_32 vectors (SMHasher's reference implementation; cross-checked with the mmh3 C extension).
  const vectors: Array<[Uint8Array, number, number]> = [
    [bytes(''), 0, 0],
    [bytes(''), 1, 0x514e28b7],
    [bytes(''), 0xffffffff, 0x81f16f39],
    [new Uint8Array([0, 0, 0, 0]), 0, 0x2362f9de],
    [new Uint8Array([0xff, 0xff, 0xff, 0xff]), 0, 0x76293b50],
    [new Uint8Array([0x21, 0x43, 0x65, 0x87]), 0, 0xf55b516b],
    [new Uint8Array([0x21, 0x43, 0x65]), 0, 0x7e4a8634],
    [new Uint8Array([0x21, 0x43]), 0, 0xa0f7b07a],
    [new Uint8Array([0x21]), 0, 0x72661cf4],
    [bytes('a'), 0x9747b28c, 0x7fa09ea6],
    [bytes('aaaa'), 0x9747b28c, 0x5a97808a],
    [bytes('abc'), 0, 0xb3dd93fa],
    [bytes('abcd'), 0, 0x43ed676a],
    [bytes('abcde'), 0, 0xe89b9af6],
    [bytes('hello'), 0, 0x248bfa47],
    [bytes('Hello, world!'), 0x9747b28c, 0x24884cba],
    [bytes('The quick brown fox jumps over the lazy dog'), 0, 0x2e4ff723],
    [bytes('The quick brown fox jumps over the lazy dog'), 0x9747b28c, 0x2fa826cd],
    [bytes('ππππ'), 0x9747b28c, 0x474dc9a8],
    [bytes('日本語のテキスト'), 42, 0x44098f9a],
  ];

  it.each(vectors.map(([b, seed, want]) => [new TextDecoder().decode(b), b, seed, want] as const))('%j with seed %#', (_label, b, seed, want) => {
    expect(murmur3_32(b, seed)).toBe(want);
  });

  it('hashes a sub-range of a buffer like the same bytes on their own', () => {
    const whole = bytes('xxThe quick brown fox jumps over the lazy dogyy');
    expect(murmur3_32(whole, 0, 2, whole.length - 2)).toBe(0x2e4ff723);
  });

  it('hashes the UTF-8 bytes of a string', () => {
    expect(murmur3_32String('hello')).toBe(0x248bfa47);
    expect(murmur3_32String('日本語のテキスト', 42)).toBe(0x44098f9a);
  });

  it('hashes sliding windows like murmur3_32 on each window, with and without code-point offsets', () => {
    const text = 'The quick brown fox jumps over the lazy dog, then naps.';
    const b = bytes(text);
    for (const width of [1, 3, 4, 5, 24]) {
      const n = b.length - width + 1;
      const out = new Int32Array(n);
      murmur3_32Windows(b, b.length, 0x9747b28c, n, null, width, new Int32Array(b.length), out);
      for (let w = 0; w < n; w++) expect((out[w] as number) >>> 0).toBe(murmur3_32(b, 0x9747b28c, w, w + width));
    }
    const uni = bytes('añb日c😀d');
    const starts = Int32Array.from([0, 1, 3, 4, 7, 8, 12, 13]);
    const out = new Int32Array(5);
    murmur3_32Windows(uni, uni.length, 7, 5, starts, 3, new Int32Array(uni.length), out);
    for (let w = 0; w < 5; w++) expect((out[w] as number) >>> 0).toBe(murmur3_32(uni, 7, starts[w], starts[w + 3]));
  });

  it('returns unsigned 32-bit values', () => {
    for (let i = 0; i < 1000; i++) {
      const h = murmur3_32String(`doc-${i}`, i);
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
    }
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBeGreaterThan(0);
  });
});
