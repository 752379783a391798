import type { Buckets, Edges } from './lsh.js';

/**
 * Connected components of the duplicate graph (NeMo Curator's ConnectedComponentsStage, semantics
 * §5.8): weakly connected components over documents numbered 0..n−1. Each component's
 * representative is its SMALLEST id; with ids assigned in input order that is the document kept
 * ("the first in input order"), where NeMo Curator keeps an effectively arbitrary row.
 */

/**
 * Union-find over 0..n−1 with union by size and path halving, in two Int32Arrays, plus the
 * smallest member of each set, kept at its root.
 */
export class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;
  private readonly smallest: Int32Array;

  constructor(readonly n: number) {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`UnionFind needs a whole number of elements, got ${n}`);
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    this.smallest = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      this.parent[i] = i;
      this.smallest[i] = i;
    }
  }

  /** The root of x's set (path halving: every other node on the way points to its grandparent). */
  find(x: number): number {
    const parent = this.parent;
    let p = parent[x] as number;
    while (p !== x) {
      const g = parent[p] as number;
      parent[x] = g;
      x = g;
      p = parent[x] as number;
    }
    return x;
  }

  /** Joins the sets of a and b; returns false when they were already one set. */
  union(a: number, b: number): boolean {
    this.check(a);
    this.check(b);
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    if ((this.size[ra] as number) < (this.size[rb] as number)) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] = (this.size[ra] as number) + (this.size[rb] as number);
    if ((this.smallest[rb] as number) < (this.smallest[ra] as number)) this.smallest[ra] = this.smallest[rb] as number;
    return true;
  }

  /** The smallest id in x's set. */
  representative(x: number): number {
    this.check(x);
    return this.smallest[this.find(x)] as number;
  }

  /** For every element, the smallest id of its set: `rep[i] === i` exactly for the kept documents. */
  representatives(): Int32Array {
    const rep = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) rep[i] = this.smallest[this.find(i)] as number;
    return rep;
  }

  private check(x: number): void {
    if (!Number.isInteger(x) || x < 0 || x >= this.n) throw new RangeError(`document id ${x} is outside 0..${this.n - 1}`);
  }
}

/** Representatives (smallest id of each component) of n documents joined by `edges`. */
export function componentsFromEdges(n: number, edges: Edges): Int32Array {
  const uf = new UnionFind(n);
  for (let e = 0; e < edges.src.length; e++) uf.union(edges.src[e] as number, edges.dst[e] as number);
  return uf.representatives();
}

/**
 * Representatives of n documents joined by LSH buckets: every bucket's members become one set.
 * The same components as `componentsFromEdges(n, bucketEdges(buckets))`, without the edge arrays.
 */
export function componentsFromBuckets(n: number, buckets: Buckets): Int32Array {
  const uf = new UnionFind(n);
  const { offsets, members } = buckets;
  for (let k = 0; k + 1 < offsets.length; k++) {
    const first = members[offsets[k] as number] as number;
    for (let i = (offsets[k] as number) + 1; i < (offsets[k + 1] as number); i++) uf.union(first, members[i] as number);
  }
  return uf.representatives();
}

/** The ids to remove: every document that is not its component's representative, ascending. */
export function duplicateIds(representatives: Int32Array): Int32Array {
  let count = 0;
  for (let i = 0; i < representatives.length; i++) if (representatives[i] !== i) count++;
  const out = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < representatives.length; i++) if (representatives[i] !== i) out[k++] = i;
  return out;
}

/** Components with two or more documents, each as its ids ascending (the kept one first), ordered by kept id. */
export function duplicateGroups(representatives: Int32Array): Int32Array[] {
  const sizes = new Map<number, number>();
  for (let i = 0; i < representatives.length; i++) {
    const r = representatives[i] as number;
    if (r !== i) sizes.set(r, (sizes.get(r) ?? 1) + 1);
  }
  const groups = new Map<number, { ids: Int32Array; at: number }>();
  for (const r of [...sizes.keys()].sort((a, b) => a - b)) groups.set(r, { ids: new Int32Array(sizes.get(r) as number), at: 0 });
  for (let i = 0; i < representatives.length; i++) {
    const g = groups.get(representatives[i] as number);
    if (g) g.ids[g.at++] = i;
  }
  return [...groups.values()].map((g) => g.ids);
}
