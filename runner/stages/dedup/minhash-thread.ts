import { MinHasher, type MinHashParams } from './minhash.js';
import { bandKeys } from './lsh.js';

/**
 * The piscina task for MinHash in a worker given several CPUs (`workerThreads` in
 * runner/engine/threads.ts): signs a slice of a batch's texts on one thread. One MinHasher per
 * thread and parameter set, made on first use and kept.
 */

/** What a thread is sent: the texts and the MinHash parameters. */
export interface MinHashThreadInput {
  texts: string[];
  params: MinHashParams;
  /** Return band keys (8 bytes per band) instead of whole signatures (4 bytes per value). */
  keysOnly?: boolean;
}

const hashers = new Map<string, MinHasher>();

/** The hasher for `params`, cached by value. */
export function hasherFor(params: MinHashParams): MinHasher {
  const key = `${params.char_ngrams}/${params.num_bands}/${params.minhashes_per_band}/${params.seed}`;
  let h = hashers.get(key);
  if (!h) {
    h = new MinHasher(params);
    hashers.set(key, h);
  }
  return h;
}

/**
 * Row-major signatures (`texts.length × numHashes` values), or with `keysOnly` row-major band keys
 * (`texts.length × num_bands`).
 */
export default function minhashTexts({ texts, params, keysOnly = false }: MinHashThreadInput): Uint32Array | Float64Array {
  const hasher = hasherFor(params);
  const sigs = hasher.signatures(texts);
  if (!keysOnly) return sigs;
  const nb = params.num_bands;
  const keys = new Float64Array(texts.length * nb);
  for (let t = 0; t < texts.length; t++) bandKeys(sigs, nb, params.minhashes_per_band, t * hasher.numHashes, keys, t * nb);
  return keys;
}
