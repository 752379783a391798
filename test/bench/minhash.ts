/**
 * Fuzzy-deduplication kernels: MinHash signatures per CPU second (2 KB and 10 KB documents), with
 * the WebAssembly SIMD kernel, the JavaScript loop, and a straightforward implementation of the same
 * signatures, timed in the same run; the same
 * work on piscina threads (2 against 1); and the global pass (band keys, LSH buckets, connected
 * components) in documents per second.
 */
import { performance } from 'node:perf_hooks';
import { availableParallelism, tmpdir } from 'node:os';
import { Piscina } from 'piscina';
import { MINHASH_DEFAULTS, MinHasher, seededWords } from '../../runner/stages/dedup/minhash.js';
import { murmur3_32 } from '../../runner/stages/dedup/murmur3.js';
import { LshIndex, bandKeys } from '../../runner/stages/dedup/lsh.js';
import { componentsFromBuckets } from '../../runner/stages/dedup/components.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pipelineOf, timedRun, type BenchRow } from './harness.js';

const THREAD_MODULE = new URL('../../runner/stages/dedup/minhash-thread.js', import.meta.url).href;
const WORDS = 'the of and to in is that for it as was with be by on not he this are or his from at which but have an they you were her she there one all we their'.split(' ');

/** English-like text of about `chars` characters (words drawn from a fixed list, seeded). */
function textOf(next: () => number, chars: number): string {
  let t = '';
  while (t.length < chars) t += (WORDS[next() % WORDS.length] as string) + (next() % 11 === 0 ? '. ' : ' ');
  return t.slice(0, chars);
}

function corpus(count: number, chars: number, seed: number): string[] {
  const next = seededWords(seed);
  return Array.from({ length: count }, () => textOf(next, chars));
}

/** The same signatures written the obvious way: unsigned values, windows outer, permutations inner. */
function straightforward(text: string, a: Uint32Array, b: Uint32Array, seed: number, width: number): Uint32Array {
  const bytes = new TextEncoder().encode(text);
  const n = Math.max(1, bytes.length - width + 1);
  const sig = new Uint32Array(a.length).fill(0xffffffff);
  for (let w = 0; w < n; w++) {
    const h = murmur3_32(bytes, seed, w, Math.min(bytes.length, w + width));
    for (let i = 0; i < a.length; i++) {
      const v = (Math.imul(h, a[i] as number) + (b[i] as number)) >>> 0;
      if (v < (sig[i] as number)) sig[i] = v;
    }
  }
  return sig;
}

/** CPU seconds of this process so far (user + system): steadier than wall time on a shared machine. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Calls `fn` over `texts` repeatedly for at least `seconds` of CPU time; returns texts per CPU second. */
function rate(texts: string[], seconds: number, fn: (t: string) => unknown): number {
  for (const t of texts) fn(t);
  let done = 0;
  const t0 = cpuSeconds();
  while (cpuSeconds() - t0 < seconds) {
    for (const t of texts) fn(t);
    done += texts.length;
  }
  return done / (cpuSeconds() - t0);
}

/** Signatures per second on one core for documents of `chars` characters, and the speed-up over the obvious loop. */
export function signatureRate(chars: number, seconds = 3): BenchRow {
  const texts = corpus(200, chars, chars);
  const hasher = new MinHasher();
  const out = new Uint32Array(hasher.numHashes);
  const fast = rate(texts, seconds, (t) => hasher.signature(t, out));
  const jsHasher = new MinHasher({}, { simd: false });
  const js = rate(texts, seconds, (t) => jsHasher.signature(t, out));
  // The obvious loop with the same coefficients; checked to give the same signatures.
  const next = seededWords(MINHASH_DEFAULTS.seed);
  const a = new Uint32Array(hasher.numHashes);
  const b = new Uint32Array(hasher.numHashes);
  for (let i = 0; i < a.length; i++) {
    a[i] = next() | 1;
    b[i] = next();
  }
  const width = MINHASH_DEFAULTS.char_ngrams;
  const check = straightforward(texts[0] as string, a, b, hasher.windowSeed, width);
  if (check.some((v, i) => v !== hasher.signature(texts[0] as string)[i])) throw new Error('the reference loop disagrees with MinHasher');
  const slow = rate(texts, seconds, (t) => straightforward(t, a, b, hasher.windowSeed, width));
  return {
    name: `minhash ${chars / 1024} KB docs (signatures/CPU-s)`,
    ratio: fast,
    target: 'report',
    details: { ms_per_doc: 1000 / fast, simd: hasher.usesSimd ? 'yes' : 'no', js_loop_per_s: js, straightforward_per_s: slow, speedup: fast / slow, hashes: hasher.numHashes },
  };
}

/** The same 2 KB signatures on piscina threads: 2 threads against 1, batches of 64 texts per task. */
export async function threadRate(chars = 2048, tasks = 200, perTask = 64): Promise<BenchRow> {
  const texts = corpus(perTask, chars, 99);
  const run = async (threads: number): Promise<number> => {
    const pool = new Piscina({ filename: THREAD_MODULE, minThreads: threads, maxThreads: threads });
    await Promise.all(Array.from({ length: threads }, () => pool.run({ texts: texts.slice(0, 4), params: MINHASH_DEFAULTS })));
    const t0 = performance.now();
    await Promise.all(Array.from({ length: tasks }, () => pool.run({ texts, params: MINHASH_DEFAULTS, keysOnly: true })));
    const perS = (tasks * perTask) / ((performance.now() - t0) / 1000);
    await pool.destroy();
    return perS;
  };
  const one = await run(1);
  const two = await run(2);
  return { name: 'minhash on piscina threads (2 vs 1)', ratio: two / one, target: '> 1.5', details: { cores: availableParallelism(), one_thread_per_s: one, two_threads_per_s: two, doc_chars: chars } };
}

/**
 * The global pass for `docs` documents: band keys from signatures, LSH buckets, connected
 * components. Signatures are random except for planted groups of 3 identical documents (1 in 20).
 */
export function globalPassRate(docs = 200_000): BenchRow {
  const k = MINHASH_DEFAULTS.num_bands * MINHASH_DEFAULTS.minhashes_per_band;
  const sig = new Uint32Array(k);
  let x = 0x2545f491;
  const t0 = cpuSeconds();
  const index = new LshIndex(MINHASH_DEFAULTS.num_bands, MINHASH_DEFAULTS.minhashes_per_band, docs);
  let planted = 0;
  for (let d = 0; d < docs; d++) {
    // Documents 60m, 60m+1 and 60m+2 share one signature; every other document gets its own
    // (xorshift32: a few nanoseconds per value, so the timing is that of adding).
    if (d % 60 === 1 || d % 60 === 2) planted++;
    else
      for (let i = 0; i < k; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        sig[i] = x;
      }
    index.add(d, sig);
  }
  const t1 = cpuSeconds();
  const buckets = index.buckets();
  const t2 = cpuSeconds();
  const rep = componentsFromBuckets(docs, buckets);
  const t3 = cpuSeconds();
  let removed = 0;
  for (let i = 0; i < docs; i++) if (rep[i] !== i) removed++;
  if (removed !== planted) throw new Error(`the global pass found ${removed} duplicates, not the ${planted} planted`);
  return {
    name: 'fuzzy global pass (docs/CPU-s)',
    ratio: docs / (t3 - t0),
    target: 'report',
    details: { docs, band_keys_s: t1 - t0, buckets_s: t2 - t1, components_s: t3 - t2, buckets: buckets.offsets.length - 1, duplicates: removed },
  };
}

/** All rows of `node dist/test/bench/run-all.js minhash`. */
export async function minhashRows(): Promise<BenchRow[]> {
  const rows = [signatureRate(2048), signatureRate(10240), await threadRate(), globalPassRate()];
  rows.push(await engineRate());
  return rows;
}

/**
 * FuzzyDuplicates through the engine: JsonlReader → FuzzyDuplicates → JsonlWriter on Xenna over
 * 2 KB documents (with planted copies), in documents per second per core, against the tight loop
 * of the same per-document work (signature and band keys) timed in the same run.
 */
export async function engineRate(docs = 20_000, chars = 2048): Promise<BenchRow> {
  const dir = mkdtempSync(path.join(tmpdir(), 'curator-bench-fuzzy-'));
  try {
    const texts = corpus(docs, chars, 11);
    for (let i = 0; i < docs; i += 10) texts[i] = texts[(i * 7) % docs] as string; // planted copies
    const input = path.join(dir, 'in');
    mkdirSync(input);
    const perFile = 2000;
    for (let f = 0; f * perFile < docs; f++) {
      const lines = texts.slice(f * perFile, (f + 1) * perFile).map((text, i) => JSON.stringify({ id: `d${f * perFile + i}`, text }));
      writeFileSync(path.join(input, `part-${String(f).padStart(3, '0')}.jsonl`), lines.join('\n') + '\n');
    }
    const hasher = new MinHasher();
    const c0 = cpuSeconds();
    for (const t of texts) bandKeys(hasher.signature(t), MINHASH_DEFAULTS.num_bands, MINHASH_DEFAULTS.minhashes_per_band);
    const tight = docs / (cpuSeconds() - c0);
    const p = pipelineOf('bench-fuzzy', [
      { type: 'JsonlReader', params: { file_paths: input } },
      { type: 'FuzzyDuplicates', params: {} },
      { type: 'JsonlWriter', params: { path: path.join(dir, 'out') } },
    ]);
    const { wall, result } = await timedRun(p, { execution_mode: 'streaming' });
    const cores = availableParallelism();
    const perCore = docs / wall / cores;
    const removed = result.summary.stages.reduce((n, s) => n + (s.removed?.reasons['fuzzy_duplicate'] ?? 0), 0);
    return {
      name: 'fuzzy dedup through the engine / tight loop (docs/s/core)',
      ratio: perCore / tight,
      target: 'report',
      details: { engine_docs_per_s_per_core: Math.round(perCore), tight_loop_docs_per_cpu_s: Math.round(tight), docs, wall_s: wall, cores, removed },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
