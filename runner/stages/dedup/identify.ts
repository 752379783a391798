import { createHash } from 'node:crypto';
import { z } from 'zod';
import { comparePositions } from './doc-order.js';
import { fuzzyBandKeys, candidateJaccard } from './fuzzy-signature.js';

/** How documents are compared: the options both the signature and the identify pass read. */
export const signatureParams = z
  .object({
    method: z.enum(['exact', 'fuzzy']),
    normalize: z.boolean().default(false),
    char_ngrams: z.number().int().min(1).default(24),
    num_bands: z.number().int().min(1).default(20),
    minhashes_per_band: z.number().int().min(1).default(13),
    seed: z.number().int().default(42),
  })
  .strict();

export type SignatureParams = z.output<typeof signatureParams>;

/** One document as the identify pass sees it. */
export interface DocKey {
  task: number;
  row: number;
  path: string;
  position: number;
  label: string;
  id: unknown;
  /** Exact: the text's hash; fuzzy: one LSH bucket key per band. */
  sig: string | number[];
}

/** Keep (`dup` absent), or a duplicate of the document labelled `dup`. */
export interface Decision {
  dup?: string;
  dup_id?: unknown;
  jaccard?: number;
}

/**
 * The text exact dedup hashes: as is, or (normalize) NFKC, lower-cased, with every run of
 * whitespace made one space and the ends trimmed, so that copies differing only in case and
 * spacing count as duplicates.
 */
export function normalizeForExact(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** A document's signature: MD5 of the (normalised) text, as NeMo Curator hashes it, or its LSH band keys. */
export function signatureFor(p: SignatureParams, text: string): string | number[] {
  if (p.method === 'exact') return createHash('md5').update(p.normalize ? normalizeForExact(text) : text).digest('base64');
  return fuzzyBandKeys(text, p);
}

/** Union-find over document indices; each set's representative is its first member in input order. */
class Components {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(i: number): number {
    let r = i;
    while (this.parent[r] !== r) r = this.parent[r] as number;
    while (this.parent[i] !== r) {
      const next = this.parent[i] as number;
      this.parent[i] = r;
      i = next;
    }
    return r;
  }
  /** Joins two sets; the smaller index (earlier in input order) stays the root. */
  union(a: number, b: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    if (ra < rb) this.parent[rb] = ra;
    else this.parent[ra] = rb;
    return true;
  }
}

/**
 * Decides which documents duplicate an earlier one, the same way on every backend and in every
 * run: documents are put in input order (source path, then position) and in each group of
 * duplicates the first is kept. Exact: a group is one hash. Fuzzy: documents sharing an LSH bucket
 * in any band are joined (connected components); with `jaccard_threshold`, a candidate pair is
 * joined only if the Jaccard similarity of its character n-grams reaches the threshold (texts are
 * fetched through `textOf`).
 */
export async function identifyDuplicates(
  p: SignatureParams & { jaccard_threshold?: number | undefined },
  keys: DocKey[],
  textOf?: (k: DocKey) => Promise<string>,
): Promise<{ decisions: Decision[]; groups: number }> {
  const order = keys.map((_, i) => i).sort((a, b) => comparePositions(keys[a] as DocKey, keys[b] as DocKey));
  const rank = new Int32Array(keys.length);
  order.forEach((k, r) => (rank[k] = r));
  const decisions: Decision[] = keys.map(() => ({}));
  let groups = 0;
  if (p.method === 'exact') {
    const first = new Map<string, number>();
    for (const k of order) {
      const key = keys[k] as DocKey;
      const kept = first.get(key.sig as string);
      if (kept === undefined) first.set(key.sig as string, k);
      else mark(decisions, k, keys[kept] as DocKey, undefined, () => groups++);
    }
    return { decisions, groups: countGroups(decisions) };
  }
  // Fuzzy: components over ranks (rank order = input order, so a root is its set's first document).
  const sets = new Components(keys.length);
  const bands = p.num_bands;
  for (let b = 0; b < bands; b++) {
    const last = new Map<number, number>();
    for (let r = 0; r < order.length; r++) {
      const k = order[r] as number;
      const bucket = ((keys[k] as DocKey).sig as number[])[b] as number;
      const prev = last.get(bucket);
      last.set(bucket, r);
      if (prev === undefined) continue;
      if (p.jaccard_threshold && textOf) {
        if (sets.find(prev) === sets.find(r)) continue;
        const j = candidateJaccard(await textOf(keys[order[prev] as number] as DocKey), await textOf(keys[k] as DocKey), p.char_ngrams);
        if (j < p.jaccard_threshold) continue;
      }
      sets.union(prev, r);
    }
  }
  for (let r = 0; r < order.length; r++) {
    const root = sets.find(r);
    if (root === r) continue;
    const k = order[r] as number;
    const kept = keys[order[root] as number] as DocKey;
    let jaccard: number | undefined;
    if (p.jaccard_threshold && textOf) jaccard = round4(candidateJaccard(await textOf(kept), await textOf(keys[k] as DocKey), p.char_ngrams));
    mark(decisions, k, kept, jaccard);
  }
  groups = countGroups(decisions);
  return { decisions, groups };
}

function mark(decisions: Decision[], k: number, kept: DocKey, jaccard?: number, onMark?: () => void): void {
  const d: Decision = { dup: kept.label };
  if (kept.id !== undefined) d.dup_id = kept.id;
  if (jaccard !== undefined) d.jaccard = jaccard;
  decisions[k] = d;
  onMark?.();
}

/** Groups with at least one removed document: the distinct kept documents named. */
function countGroups(decisions: Decision[]): number {
  const kept = new Set<string>();
  for (const d of decisions) if (d.dup !== undefined) kept.add(d.dup);
  return kept.size;
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
