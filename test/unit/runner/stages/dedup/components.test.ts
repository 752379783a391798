import { describe, expect, it } from 'vitest';
import { UnionFind, componentsFromBuckets, componentsFromEdges, duplicateGroups, duplicateIds } from '../../../../../runner/stages/dedup/components.js';
import type { Buckets, Edges } from '../../../../../runner/stages/dedup/lsh.js';
import { prng } from './near-duplicates.js';

const edges = (pairs: Array<[number, number]>): Edges => ({ src: Int32Array.from(pairs, (p) => p[0]), dst: Int32Array.from(pairs, (p) => p[1]) });

describe('connected components', () => {
  it('joins a chain given in any order, represented by its smallest id', () => {
    const rep = componentsFromEdges(8, edges([[7, 6], [3, 4], [5, 6], [4, 5]]));
    expect([...rep]).toEqual([0, 1, 2, 3, 3, 3, 3, 3]);
    expect([...duplicateIds(rep)]).toEqual([4, 5, 6, 7]);
  });

  it('joins a star whose centre is not the smallest id', () => {
    const rep = componentsFromEdges(10, edges([[5, 9], [5, 2], [5, 7], [5, 8]]));
    expect([...rep]).toEqual([0, 1, 2, 3, 4, 2, 6, 2, 2, 2]);
  });

  it('keeps disjoint sets apart, singletons as themselves, and tolerates repeated and self edges', () => {
    const rep = componentsFromEdges(9, edges([[1, 2], [2, 1], [1, 2], [4, 4], [6, 8], [8, 7]]));
    expect([...rep]).toEqual([0, 1, 1, 3, 4, 5, 6, 6, 6]);
    expect(duplicateGroups(rep).map((g) => [...g])).toEqual([[1, 2], [6, 7, 8]]);
    expect([...componentsFromEdges(3, edges([]))]).toEqual([0, 1, 2]);
    expect(componentsFromEdges(0, edges([]))).toHaveLength(0);
  });

  it('merges components when a later edge bridges them, whatever the union order', () => {
    const uf = new UnionFind(6);
    expect(uf.union(4, 5)).toBe(true);
    expect(uf.union(2, 3)).toBe(true);
    expect(uf.representative(5)).toBe(4);
    expect(uf.union(5, 3)).toBe(true);
    expect(uf.union(4, 2)).toBe(false);
    expect(uf.representative(5)).toBe(2);
    expect([...uf.representatives()]).toEqual([0, 1, 2, 2, 2, 2]);
  });

  it('treats a bucket as one set, like its consecutive-pair edges', () => {
    const b: Buckets = { bands: Int32Array.from([0, 3]), offsets: Int32Array.from([0, 3, 5]), members: Int32Array.from([9, 4, 6, 6, 1]) };
    const rep = componentsFromBuckets(10, b);
    expect([...rep]).toEqual([0, 1, 2, 3, 1, 5, 1, 7, 8, 1]);
    expect(duplicateGroups(rep).map((g) => [...g])).toEqual([[1, 4, 6, 9]]);
  });

  it('agrees with a breadth-first search on a large random graph', () => {
    const n = 20_000;
    const rand = prng(5);
    const pairs: Array<[number, number]> = [];
    for (let i = 0; i < 12_000; i++) pairs.push([Math.floor(rand() * n), Math.floor(rand() * n)]);
    const rep = componentsFromEdges(n, edges(pairs));
    const adj: number[][] = Array.from({ length: n }, () => []);
    for (const [a, b] of pairs) {
      adj[a]?.push(b);
      adj[b]?.push(a);
    }
    const want = new Int32Array(n).fill(-1);
    for (let s = 0; s < n; s++) {
      if (want[s] !== -1) continue;
      const queue = [s];
      want[s] = s;
      for (let q = 0; q < queue.length; q++) for (const v of adj[queue[q] as number] ?? []) if (want[v] === -1) { want[v] = s; queue.push(v); }
    }
    expect(rep).toEqual(want);
  });

  it('rejects ids outside 0..n−1', () => {
    expect(() => componentsFromEdges(3, edges([[0, 3]]))).toThrow(/outside 0..2/);
    expect(() => new UnionFind(-1)).toThrow(RangeError);
  });
});
