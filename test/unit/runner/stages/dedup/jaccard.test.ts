import { describe, expect, it } from 'vitest';
import { filterEdgesByJaccard, jaccard, ngramSet, setJaccard } from '../../../../../runner/stages/dedup/jaccard.js';

describe('jaccard', () => {
  it('is the exact Jaccard similarity of character n-gram sets', () => {
    // 'abcde' 3-grams {abc, bcd, cde}; 'abcdf' {abc, bcd, cdf}: 2 shared of 4.
    expect(jaccard('abcde', 'abcdf', 3)).toBe(0.5);
    expect(jaccard('abcabc', 'abcabc', 3)).toBe(1);
    // Sets, not multisets: 'aaaa' and 'aaaaaaa' both have the single 2-gram 'aa'.
    expect(jaccard('aaaa', 'aaaaaaa', 2)).toBe(1);
    expect(jaccard('abcd', 'wxyz', 2)).toBe(0);
  });

  it('treats a text shorter than the window, or empty, as one n-gram', () => {
    expect([...ngramSet('short', 24)]).toEqual(['short']);
    expect(jaccard('', '', 24)).toBe(1);
    expect(jaccard('short', 'short!', 24)).toBe(0);
  });

  it('counts windows in code points, never splitting a surrogate pair', () => {
    expect([...ngramSet('a😀b', 2)]).toEqual(['a😀', '😀b']);
    expect(ngramSet('😀😀😀', 2)).toEqual(new Set(['😀😀']));
    expect(setJaccard(new Set(), new Set())).toBe(1);
  });

  it('keeps the candidate edges at or above the threshold, with their similarity', () => {
    const texts = ['the same text here', 'the same text here', 'the same text there', 'something else entirely'];
    const got = filterEdgesByJaccard({ src: Int32Array.from([0, 1, 2]), dst: Int32Array.from([1, 2, 3]) }, (id) => texts[id] as string, 0.5, 5);
    expect([...got.src]).toEqual([0, 1]);
    expect([...got.dst]).toEqual([1, 2]);
    expect(got.jaccard[0]).toBe(1);
    expect(got.jaccard[1]).toBeCloseTo(jaccard(texts[1] as string, texts[2] as string, 5), 12);
    expect(got.jaccard[1]).toBeGreaterThanOrEqual(0.5);
    expect(() => filterEdgesByJaccard({ src: new Int32Array(), dst: new Int32Array() }, () => '', 1.5)).toThrow(/jaccard_threshold/);
  });
});
