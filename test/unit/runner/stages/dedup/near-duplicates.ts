/**
 * Test corpora for fuzzy deduplication: random texts, and near-duplicate pairs planted at a chosen
 * character-n-gram Jaccard similarity by substituting characters of a copy.
 */

/** A seeded PRNG (mulberry32) returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz      ';

/** A random text of `length` characters over lower-case letters and spaces. */
export function randomText(rand: () => number, length: number): string {
  let t = '';
  for (let i = 0; i < length; i++) t += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return t;
}

/**
 * A copy of `base` with random single-character substitutions, added until the share of
 * `ngram`-windows left intact puts the pair's Jaccard similarity at or just below `target`
 * (J = s / (2N − s) for N windows per text, s of them shared). The caller measures the exact value.
 */
export function mutateTo(rand: () => number, base: string, target: number, ngram: number): string {
  const chars = base.split('');
  const n = base.length - ngram + 1;
  const hit = new Uint8Array(n);
  let shared = n;
  const wanted = (2 * n * target) / (1 + target);
  while (shared > wanted) {
    const p = Math.floor(rand() * chars.length);
    let c = chars[p] as string;
    while (c === chars[p]) c = ALPHABET[Math.floor(rand() * ALPHABET.length)] as string;
    chars[p] = c;
    for (let w = Math.max(0, p - ngram + 1); w <= Math.min(n - 1, p); w++) {
      if (!hit[w]) {
        hit[w] = 1;
        shared--;
      }
    }
  }
  return chars.join('');
}

/** The probability that LSH with `bands` bands of `rows` values makes a pair of similarity j candidates. */
export function lshProbability(j: number, bands: number, rows: number): number {
  return 1 - (1 - j ** rows) ** bands;
}
