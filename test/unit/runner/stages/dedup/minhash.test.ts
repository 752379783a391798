import { describe, expect, it } from 'vitest';
import { MINHASH_DEFAULTS, MinHasher, charNgramsWarning, estimatedJaccard, seededWords } from '../../../../../runner/stages/dedup/minhash.js';
import minhashTexts, { hasherFor } from '../../../../../runner/stages/dedup/minhash-thread.js';
import { bandKeys } from '../../../../../runner/stages/dedup/lsh.js';
import { jaccard } from '../../../../../runner/stages/dedup/jaccard.js';
import { mutateTo, prng, randomText } from './near-duplicates.js';

/** The element-wise minimum of the signatures of each window taken as a text of its own. */
function minOfWindows(h: MinHasher, text: string, width: number): Uint32Array {
  const cps = Array.from(text);
  const out = new Uint32Array(h.numHashes).fill(0xffffffff);
  for (let c = 0; c + width <= cps.length; c++) {
    const s = h.signature(cps.slice(c, c + width).join(''));
    for (let i = 0; i < out.length; i++) out[i] = Math.min(out[i] as number, s[i] as number);
  }
  return out;
}

describe('MinHasher', () => {
  const h = new MinHasher();
  const rand = prng(7);
  const text = randomText(rand, 2048);

  it("uses NeMo Curator's defaults: 24-character windows, 20 bands × 13 = 260 values, seed 42", () => {
    expect(MINHASH_DEFAULTS).toEqual({ char_ngrams: 24, num_bands: 20, minhashes_per_band: 13, seed: 42 });
    expect(h.numHashes).toBe(260);
    expect(h.signature(text)).toHaveLength(260);
    expect(new MinHasher({ num_bands: 3, minhashes_per_band: 5 }).signature(text)).toHaveLength(15);
  });

  it('is deterministic across calls and instances, and identical texts get identical signatures', () => {
    const a = h.signature(text);
    h.signature(randomText(rand, 5000));
    expect(h.signature(text)).toEqual(a);
    expect(new MinHasher({ seed: 42 }).signature(text.slice(0) + '')).toEqual(a);
  });

  it('depends on the seed', () => {
    const a = h.signature(text);
    const b = new MinHasher({ seed: 43 }).signature(text);
    expect(estimatedJaccard(a, b)).toBeLessThan(0.02);
    expect(seededWords(1)()).not.toBe(seededWords(2)());
  });

  it('takes the minimum over every 24-character window, across block boundaries', () => {
    // 4096 window hashes are scanned per block; 4200 characters make 4177 windows.
    const long = randomText(rand, 4200);
    expect(h.signature(long)).toEqual(minOfWindows(h, long, 24));
  });

  it('counts windows in Unicode code points, not UTF-16 units or bytes', () => {
    const t = 'Ünïcödé 日本語のテキスト 😀🎉 emoji and more text ✓ ' + 'ß'.repeat(30) + '𝄞 end';
    expect(h.signature(t)).toEqual(minOfWindows(h, t, 24));
    const small = new MinHasher({ char_ngrams: 3 });
    expect(small.signature('a😀b😀c')).toEqual(minOfWindows(small, 'a😀b😀c', 3));
  });

  it('treats a text shorter than the window, or empty, as one window', () => {
    const short = 'short text';
    const sig = h.signature(short);
    expect(h.signature(short)).toEqual(sig);
    expect(h.signature(short + '!')).not.toEqual(sig);
    expect(h.signature('')).toEqual(h.signature(''));
    expect(h.signature('')).not.toEqual(sig);
    // Exactly 24 characters: also one window, so 25 characters take the min of two such texts.
    const t25 = text.slice(0, 25);
    expect(h.signature(t25)).toEqual(minOfWindows(h, t25, 24));
  });

  it('writes into a shared row-major array', () => {
    const texts = [text, 'second', randomText(rand, 300)];
    const all = h.signatures(texts);
    expect(all).toHaveLength(3 * 260);
    for (let t = 0; t < 3; t++) expect(all.subarray(t * 260, (t + 1) * 260)).toEqual(h.signature(texts[t] as string));
    expect(() => h.signature(text, new Uint32Array(300), 100)).toThrow(RangeError);
  });

  it('gives identical values with the WebAssembly SIMD kernel and the JavaScript loop', () => {
    expect(h.usesSimd).toBe(true);
    const texts = ['', 'x', text, randomText(rand, 9000), 'Ünïcödé 日本語のテキスト 😀🎉 ' + randomText(rand, 300)];
    // 260 values: 16 groups of 16 and one vector of 4; 21 values pad to 24: one group, two vectors.
    for (const p of [{}, { num_bands: 7, minhashes_per_band: 3 }, { num_bands: 1, minhashes_per_band: 1, char_ngrams: 5 }]) {
      const simd = new MinHasher(p);
      const js = new MinHasher(p, { simd: false });
      expect(js.usesSimd).toBe(false);
      for (const t of texts) expect(simd.signature(t)).toEqual(js.signature(t));
    }
  });

  it('rejects bad parameters, naming them', () => {
    expect(() => new MinHasher({ char_ngrams: 0 })).toThrow(/char_ngrams/);
    expect(() => new MinHasher({ num_bands: 2.5 })).toThrow(/num_bands/);
    expect(() => new MinHasher({ minhashes_per_band: -1 })).toThrow(/minhashes_per_band/);
  });

  it('warns below 20 characters per window, as NeMo Curator does', () => {
    expect(charNgramsWarning(24)).toBeNull();
    expect(charNgramsWarning(20)).toBeNull();
    expect(charNgramsWarning(19)).toMatch(/char_ngrams=19.*at least 20/);
  });

  it('gives the same results on a piscina thread (signatures or band keys)', () => {
    const texts = [text, 'x', randomText(rand, 700)];
    const p = { ...MINHASH_DEFAULTS };
    const sigs = minhashTexts({ texts, params: p }) as Uint32Array;
    expect(sigs).toEqual(h.signatures(texts));
    const keys = minhashTexts({ texts, params: p, keysOnly: true }) as Float64Array;
    expect(keys).toHaveLength(3 * 20);
    expect(keys.subarray(20, 40)).toEqual(bandKeys(sigs, 20, 13, 260));
    expect(hasherFor(p)).toBe(hasherFor({ ...p }));
  });
});

describe('MinHash estimate of Jaccard similarity', () => {
  it('is unbiased, with the variance of 260 independent values, over 400 pairs of known similarity', () => {
    const rand = prng(2024);
    const h = new MinHasher();
    let absErr = 0;
    let bias = 0;
    let varianceRatio = 0;
    const pairs = 400;
    for (let p = 0; p < pairs; p++) {
      const base = randomText(rand, 800);
      const other = mutateTo(rand, base, 0.2 + 0.75 * rand(), 24);
      const j = jaccard(base, other, 24);
      const est = estimatedJaccard(h.signature(base), h.signature(other));
      absErr += Math.abs(est - j);
      bias += est - j;
      varianceRatio += (est - j) ** 2 / ((j * (1 - j)) / 260);
    }
    absErr /= pairs;
    bias /= pairs;
    varianceRatio /= pairs;
    // Binomial(260, J): standard deviation at most 0.031, mean absolute error about 0.8 of it.
    expect(absErr).toBeLessThan(0.03);
    // Mean of 400 errors: standard error at most 0.0016; 4 of them.
    expect(Math.abs(bias)).toBeLessThan(0.0064);
    // Correlated permutations would inflate the variance; the mean of 400 squared standardised
    // errors has a standard error of about sqrt(2/400) = 0.07.
    expect(varianceRatio).toBeGreaterThan(0.7);
    expect(varianceRatio).toBeLessThan(1.3);
  });
});
