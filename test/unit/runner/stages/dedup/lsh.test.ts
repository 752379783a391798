import { describe, expect, it } from 'vitest';
import { LshIndex, bandKey, bandKeys, bucketEdges, edgeCount, lshBuckets, type Buckets } from '../../../../../runner/stages/dedup/lsh.js';
import { MinHasher } from '../../../../../runner/stages/dedup/minhash.js';
import { componentsFromBuckets, componentsFromEdges } from '../../../../../runner/stages/dedup/components.js';
import { jaccard } from '../../../../../runner/stages/dedup/jaccard.js';
import { lshProbability, mutateTo, prng, randomText } from './near-duplicates.js';

/** Buckets as arrays of ids, for readable assertions. */
function groups(b: Buckets): Array<{ band: number; ids: number[] }> {
  const out: Array<{ band: number; ids: number[] }> = [];
  for (let k = 0; k + 1 < b.offsets.length; k++) out.push({ band: b.bands[k] as number, ids: [...b.members.subarray(b.offsets[k], b.offsets[k + 1])] });
  return out;
}

/** A signature of `bands × rows` values, each band filled from `pattern[band]`. */
function sigOf(pattern: number[], rows: number): Uint32Array {
  const s = new Uint32Array(pattern.length * rows);
  pattern.forEach((v, band) => s.fill(v, band * rows, (band + 1) * rows));
  return s;
}

describe('band keys', () => {
  it('are integers below 2^53 that depend on every value of the band and on the band index', () => {
    const s = Uint32Array.from({ length: 26 }, (_, i) => i * 7919);
    const k0 = bandKey(s, 0, 0, 13);
    expect(Number.isSafeInteger(k0) && k0 >= 0).toBe(true);
    for (let i = 0; i < 13; i++) {
      const t = s.slice();
      t[i] = (t[i] as number) ^ 1;
      expect(bandKey(t, 0, 0, 13)).not.toBe(k0);
    }
    // Band 1 with the same values as band 0 still gets another key.
    const same = new Uint32Array(26);
    same.set(s.subarray(0, 13), 0);
    same.set(s.subarray(0, 13), 13);
    expect(bandKey(same, 0, 1, 13)).not.toBe(bandKey(same, 0, 0, 13));
    expect(bandKeys(s, 2, 13)).toEqual(Float64Array.from([k0, bandKey(s, 0, 1, 13)]));
  });
});

describe('LshIndex', () => {
  it('groups documents whose band values agree, band by band, with ids in order of addition', () => {
    const idx = new LshIndex(3, 4, 1);
    idx.add(10, sigOf([1, 2, 3], 4));
    idx.add(11, sigOf([1, 9, 3], 4));
    idx.add(12, sigOf([5, 9, 6], 4));
    idx.add(13, sigOf([7, 8, 3], 4));
    idx.add(14, sigOf([6, 1, 4], 4));
    expect(idx.size).toBe(5);
    expect(groups(idx.buckets())).toEqual([
      { band: 0, ids: [10, 11] },
      { band: 1, ids: [11, 12] },
      { band: 2, ids: [10, 11, 13] },
    ]);
  });

  it('never merges equal values of different bands', () => {
    const idx = new LshIndex(2, 3);
    idx.add(0, sigOf([4, 5], 3));
    idx.add(1, sigOf([5, 4], 3));
    expect(idx.buckets().offsets).toEqual(Int32Array.from([0]));
  });

  it('accepts precomputed band keys and rejects bad ids', () => {
    const a = sigOf([1, 2], 13);
    const idx = new LshIndex(2, 13);
    idx.addKeys(0, bandKeys(a, 2, 13));
    idx.add(1, a);
    expect(groups(idx.buckets())).toEqual([{ band: 0, ids: [0, 1] }, { band: 1, ids: [0, 1] }]);
    expect(() => idx.add(2 ** 31, a)).toThrow(/int32/);
    expect(() => idx.addKeys(3, [1])).toThrow(RangeError);
  });

  it('matches a plain Map grouping, with keys that share their low 32 bits and ids in any order', () => {
    const rand = prng(3);
    const bands = 4;
    const idx = new LshIndex(bands, 13, 2);
    const added: Array<{ id: number; keys: number[] }> = [];
    for (let d = 0; d < 5000; d++) {
      // Few distinct keys per band, many differing only above bit 32: long probe chains.
      const keys = Array.from({ length: bands }, () => Math.floor(rand() * 40) * 2 ** 32 + (rand() < 0.5 ? 7 : Math.floor(rand() * 3000)));
      const id = (d * 7919) % 5000;
      idx.addKeys(id, keys);
      added.push({ id, keys });
    }
    const want: Array<{ band: number; ids: number[] }> = [];
    for (let band = 0; band < bands; band++) {
      const byKey = new Map<number, number[]>();
      for (const { id, keys } of added) {
        const list = byKey.get(keys[band] as number) ?? [];
        list.push(id);
        byKey.set(keys[band] as number, list);
      }
      for (const ids of byKey.values()) if (ids.length >= 2) want.push({ band, ids });
    }
    expect(groups(idx.buckets())).toEqual(want);
  });

  it('makes consecutive-pair edges inside each bucket, as NeMo Curator does', () => {
    const b: Buckets = { bands: Int32Array.from([0, 1]), offsets: Int32Array.from([0, 4, 6]), members: Int32Array.from([3, 1, 7, 2, 5, 6]) };
    expect(edgeCount(b)).toBe(4);
    const e = bucketEdges(b);
    expect([...e.src]).toEqual([3, 1, 7, 5]);
    expect([...e.dst]).toEqual([1, 7, 2, 6]);
  });

  it('finds identical documents in every band and unrelated ones in none', () => {
    const rand = prng(11);
    const h = new MinHasher();
    const texts = Array.from({ length: 300 }, () => randomText(rand, 400));
    texts.push(texts[5] as string, texts[17] as string);
    const b = lshBuckets(h.signatures(texts), 20, 13);
    const g = groups(b);
    expect(g).toHaveLength(40);
    for (const { ids } of g) expect(ids.length === 2 && ((ids[0] === 5 && ids[1] === 300) || (ids[0] === 17 && ids[1] === 301))).toBe(true);
    const rep = componentsFromBuckets(302, b);
    expect(rep[300]).toBe(5);
    expect(rep[301]).toBe(17);
    expect(componentsFromEdges(302, bucketEdges(b))).toEqual(rep);
  });
});

describe('the LSH curve', () => {
  it('detects planted near-duplicate pairs at the rate 1 − (1 − J^13)^20 in every similarity bin', () => {
    // 8 bins × 200 pairs of 1000-character texts; each pair's exact 24-gram Jaccard similarity is
    // measured, and the expected detections in a bin are the sum of each pair's own probability.
    const rand = prng(20240613);
    const h = new MinHasher();
    const bins = [0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9];
    const perBin = 200;
    const texts: string[] = [];
    const pairJ: number[] = [];
    for (const target of bins) {
      for (let p = 0; p < perBin; p++) {
        const base = randomText(rand, 1000);
        const other = mutateTo(rand, base, target, 24);
        texts.push(base, other);
        pairJ.push(jaccard(base, other, 24));
      }
    }
    const sigs = h.signatures(texts);
    const rep = componentsFromBuckets(texts.length, lshBuckets(sigs, 20, 13));
    const report: string[] = [];
    let allExpected = 0;
    let allVariance = 0;
    let allFound = 0;
    for (let b = 0; b < bins.length; b++) {
      let expected = 0;
      let variance = 0;
      let found = 0;
      let jMin = 1;
      let jMax = 0;
      // Finer: each of the 200 × 20 bands agrees with probability J^13, independently.
      let bandHits = 0;
      let bandExpected = 0;
      let bandVariance = 0;
      for (let p = b * perBin; p < (b + 1) * perBin; p++) {
        const j = pairJ[p] as number;
        const prob = lshProbability(j, 20, 13);
        expected += prob;
        variance += prob * (1 - prob);
        jMin = Math.min(jMin, j);
        jMax = Math.max(jMax, j);
        const q = j ** 13;
        bandExpected += 20 * q;
        bandVariance += 20 * q * (1 - q);
        for (let band = 0; band < 20; band++) {
          let same = true;
          for (let i = band * 13; i < (band + 1) * 13 && same; i++) same = sigs[2 * p * 260 + i] === sigs[(2 * p + 1) * 260 + i];
          if (same) bandHits++;
        }
        // Each pair is its own component when detected: random texts never meet another pair.
        if (rep[2 * p + 1] === 2 * p) found++;
        else expect(rep[2 * p + 1]).toBe(2 * p + 1);
      }
      allExpected += expected;
      allVariance += variance;
      allFound += found;
      const tolerance = 4 * Math.sqrt(variance) + 1;
      const bandTolerance = 4 * Math.sqrt(bandVariance) + 1;
      report.push(`J ${jMin.toFixed(3)}..${jMax.toFixed(3)}: found ${found}, expected ${expected.toFixed(1)} ± ${tolerance.toFixed(1)}; bands agreeing ${bandHits}, expected ${bandExpected.toFixed(1)} ± ${bandTolerance.toFixed(1)}`);
      expect(Math.abs(found - expected), report.join('\n')).toBeLessThanOrEqual(tolerance);
      expect(Math.abs(bandHits - bandExpected), report.join('\n')).toBeLessThanOrEqual(bandTolerance);
      if (process.env.SHOW_CURVE) console.log(report.at(-1));
    }
    expect(Math.abs(allFound - allExpected), report.join('\n')).toBeLessThanOrEqual(4 * Math.sqrt(allVariance) + 1);
    // The bins span the curve's rise: almost nothing at 0.5, almost everything at 0.9.
    expect(lshProbability(0.5, 20, 13)).toBeLessThan(0.01);
    expect(lshProbability(0.9, 20, 13)).toBeGreaterThan(0.99);
  });
});
