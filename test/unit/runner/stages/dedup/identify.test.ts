import { describe, it, expect } from 'vitest';
import { identifyDuplicates, normalizeForExact, signatureFor, type DocKey } from '../../../../../runner/stages/dedup/identify.js';
import { comparePositions, parseOriginString, positionOf } from '../../../../../runner/stages/dedup/doc-order.js';

const exact = { method: 'exact' as const, normalize: false, char_ngrams: 24, num_bands: 20, minhashes_per_band: 13, seed: 42 };

function key(path: string, position: number, sig: string | number[], task = 0, row = 0): DocKey {
  return { task, row, path, position, label: `${path}:${position}`, id: undefined, sig };
}

describe('document order', () => {
  it('parses origins and orders by path, then position', () => {
    expect(parseOriginString('/data/a.jsonl:12')).toEqual({ path: '/data/a.jsonl', position: 12 });
    expect(parseOriginString('C:\\data\\a.jsonl:3')).toEqual({ path: 'C:\\data\\a.jsonl', position: 3 });
    expect(parseOriginString('no number')).toBeNull();
    const a = { path: '/d/a.jsonl', position: 100 };
    const b = { path: '/d/b.jsonl', position: 1 };
    expect(comparePositions(a, b)).toBeLessThan(0);
    expect(comparePositions({ path: '/d/a.jsonl', position: 9 }, { path: '/d/a.jsonl', position: 10 })).toBeLessThan(0);
  });
  it('puts documents without an origin after every file, by task and row', () => {
    const p = positionOf({ text: 'x' }, 't7', 3);
    expect(p.label).toBe('task t7 #4');
    expect(comparePositions({ path: '/z/z.jsonl', position: 1 }, p)).toBeLessThan(0);
  });
});

describe('exact identification', () => {
  it('keeps the first copy in input order whatever order the batches arrived in', async () => {
    const keys = [key('/d/b.jsonl', 1, 'h1', 0, 0), key('/d/a.jsonl', 5, 'h1', 1, 0), key('/d/a.jsonl', 2, 'h2', 1, 1), key('/d/a.jsonl', 9, 'h2', 1, 2), key('/d/c.jsonl', 1, 'h3', 2, 0)];
    const { decisions, groups } = await identifyDuplicates(exact, keys);
    expect(decisions).toEqual([{ dup: '/d/a.jsonl:5' }, {}, {}, { dup: '/d/a.jsonl:2' }, {}]);
    expect(groups).toBe(2);
  });
  it('names the kept document by id when there is one', async () => {
    const keys = [{ ...key('/a', 1, 'h'), id: 'doc-1' }, { ...key('/a', 2, 'h'), id: 'doc-2' }];
    const { decisions } = await identifyDuplicates(exact, keys);
    expect(decisions[1]).toEqual({ dup: '/a:1', dup_id: 'doc-1' });
  });
  it('hashes raw or normalised text', () => {
    expect(signatureFor(exact, 'Hello  World')).not.toBe(signatureFor(exact, 'hello world'));
    const norm = { ...exact, normalize: true };
    expect(signatureFor(norm, 'Hello \n World ')).toBe(signatureFor(norm, 'hello world'));
    expect(normalizeForExact('ＡＢＣ\t x')).toBe('abc x');
  });
});

describe('fuzzy identification', () => {
  const fuzzy = { ...exact, method: 'fuzzy' as const, num_bands: 2 };
  it('joins documents sharing a bucket in any band, transitively, and keeps the first of each component', async () => {
    // a~b share band 0, b~c share band 1: one component {a, b, c}; d stands alone.
    const keys = [key('/f', 3, [1, 10]), key('/f', 1, [1, 20]), key('/f', 2, [2, 20]), key('/f', 4, [3, 30])];
    const { decisions, groups } = await identifyDuplicates(fuzzy, keys);
    expect(decisions).toEqual([{ dup: '/f:1' }, {}, { dup: '/f:1' }, {}]);
    expect(groups).toBe(1);
  });
  it('with a Jaccard threshold, drops candidate pairs that are not similar enough', async () => {
    const texts = new Map<string, string>([['/f:1', 'the quick brown fox jumps over the lazy dog'], ['/f:2', 'the quick brown fox jumps over the lazy dog!'], ['/f:3', 'completely different words here at all']]);
    const keys = [key('/f', 1, [1, 1]), key('/f', 2, [1, 2]), key('/f', 3, [1, 3])];
    const textOf = async (k: DocKey) => texts.get(k.label) ?? '';
    const { decisions } = await identifyDuplicates({ ...fuzzy, char_ngrams: 5, jaccard_threshold: 0.8 }, keys, textOf);
    expect(decisions[0]).toEqual({});
    expect(decisions[1]?.dup).toBe('/f:1');
    expect(decisions[1]?.jaccard).toBeGreaterThan(0.8);
    expect(decisions[2]).toEqual({});
  });
});
