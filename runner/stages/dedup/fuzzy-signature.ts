import { MinHasher } from './minhash.js';
import { bandKeys } from './lsh.js';
import { jaccard } from './jaccard.js';

/** What fuzzy signatures depend on. */
export interface FuzzyOptions {
  char_ngrams: number;
  num_bands: number;
  minhashes_per_band: number;
  seed: number;
}

/** One MinHasher per parameter set per process (it holds the permutations and scratch buffers). */
const hashers = new Map<string, MinHasher>();
let scratch = new Uint32Array(0);

function hasherFor(p: FuzzyOptions): MinHasher {
  const key = `${p.char_ngrams}/${p.num_bands}/${p.minhashes_per_band}/${p.seed}`;
  let h = hashers.get(key);
  if (!h) hashers.set(key, (h = new MinHasher({ char_ngrams: p.char_ngrams, num_bands: p.num_bands, minhashes_per_band: p.minhashes_per_band, seed: p.seed })));
  return h;
}

/** A document's LSH bucket keys, one per band: its MinHash signature, banded and hashed. */
export function fuzzyBandKeys(text: string, p: FuzzyOptions): number[] {
  const h = hasherFor(p);
  if (scratch.length < h.numHashes) scratch = new Uint32Array(h.numHashes);
  h.signature(text, scratch, 0);
  return Array.from(bandKeys(scratch, p.num_bands, p.minhashes_per_band));
}

/** The Jaccard similarity of the sets of character n-grams (code points, as the MinHash windows) of two texts. */
export function candidateJaccard(a: string, b: string, n: number): number {
  return jaccard(a, b, n);
}
