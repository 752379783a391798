import type { Edges } from './lsh.js';

/**
 * Exact Jaccard similarity of character n-gram sets, for the optional false-positive check of
 * fuzzy deduplication. NeMo Curator no longer runs this check by default (removed in its PR #498);
 * here it is opt-in through `jaccard_threshold`. N-grams are windows of `charNgrams` Unicode code
 * points, as in the MinHash step, and a text shorter than the window is one n-gram.
 */

/** The set of `charNgrams`-code-point windows of `text`. */
export function ngramSet(text: string, charNgrams = 24): Set<string> {
  if (!Number.isInteger(charNgrams) || charNgrams < 1) throw new RangeError(`char_ngrams must be an integer >= 1, got ${charNgrams}`);
  const set = new Set<string>();
  // Code-unit offsets of each code point, so that windows never split a surrogate pair.
  const starts: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff || i === 0 || !isHigh(text.charCodeAt(i - 1))) starts.push(i);
  }
  const cps = starts.length;
  if (cps <= charNgrams) {
    set.add(text);
    return set;
  }
  starts.push(text.length);
  for (let c = 0; c + charNgrams <= cps; c++) set.add(text.slice(starts[c], starts[c + charNgrams]));
  return set;
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** |A ∩ B| / |A ∪ B| of two n-gram sets. */
export function setJaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let common = 0;
  for (const g of small) if (large.has(g)) common++;
  const union = a.size + b.size - common;
  return union === 0 ? 1 : common / union;
}

/** Exact Jaccard similarity of the `charNgrams`-character n-gram sets of two texts. */
export function jaccard(a: string, b: string, charNgrams = 24): number {
  return setJaccard(ngramSet(a, charNgrams), ngramSet(b, charNgrams));
}

/**
 * The candidate edges whose documents' exact Jaccard similarity is at least `threshold`; `textOf`
 * gives a document's text by id. Each document's n-gram set is built once and kept while later
 * edges still need it (edges from `bucketEdges` come bucket by bucket, so this stays small).
 */
export function filterEdgesByJaccard(edges: Edges, textOf: (id: number) => string, threshold: number, charNgrams = 24): Edges & { jaccard: Float64Array } {
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`jaccard_threshold must be between 0 and 1, got ${threshold}`);
  const m = edges.src.length;
  // The last edge index at which each document is needed, so its set can be dropped after it.
  const lastUse = new Map<number, number>();
  for (let e = 0; e < m; e++) {
    lastUse.set(edges.src[e] as number, e);
    lastUse.set(edges.dst[e] as number, e);
  }
  const sets = new Map<number, Set<string>>();
  const setOf = (id: number): Set<string> => {
    let s = sets.get(id);
    if (!s) {
      s = ngramSet(textOf(id), charNgrams);
      sets.set(id, s);
    }
    return s;
  };
  const keep: number[] = [];
  const scores: number[] = [];
  for (let e = 0; e < m; e++) {
    const a = edges.src[e] as number;
    const b = edges.dst[e] as number;
    const j = setJaccard(setOf(a), setOf(b));
    if (j >= threshold) {
      keep.push(e);
      scores.push(j);
    }
    if (lastUse.get(a) === e) sets.delete(a);
    if (lastUse.get(b) === e) sets.delete(b);
  }
  return {
    src: Int32Array.from(keep, (e) => edges.src[e] as number),
    dst: Int32Array.from(keep, (e) => edges.dst[e] as number),
    jaccard: Float64Array.from(scores),
  };
}
