import { z } from 'zod';
import { ProcessingStage, type WorkerMetadata } from '../../pipeline/stage.js';
import { Resources } from '../../pipeline/resources.js';
import type { DocumentBatch, DocumentRecord } from '../../pipeline/tasks.js';
import { GangClient } from '../../engine/gang-client.js';
import { registerStage } from '../registry.js';
import { fmix32 } from './murmur3.js';

const params = z
  .object({
    n_clusters: z.number().int().min(1).default(8).describe('Number of clusters k. With fewer documents than k in the whole input, there are as many clusters as documents.'),
    max_iter: z.number().int().min(1).default(20).describe("Most Lloyd iterations (assign, then recompute centroids)."),
    tol: z.number().min(0).default(1e-4).describe('Stop once no assignment changes, or once no centroid moved farther than this (Euclidean) in an iteration.'),
    id_field: z.string().min(1).default('id').describe('Document id field (string or number); the initial centroids are the documents with the smallest (hash of the id, id).'),
    text_field: z.string().min(1).default('text').describe('Text field vectorised as hashed bag-of-words counts when embedding_field is not set.'),
    embedding_field: z.string().min(1).optional().describe('A field holding a numeric array per document, used as its vector instead of text features. All vectors must have the same length.'),
    cluster_field: z.string().min(1).default('cluster').describe('Output field: the cluster index, 0..k-1.'),
    distance_field: z.string().min(1).default('cluster_distance').describe("Output field: Euclidean distance from the document's vector to its cluster's centroid."),
    feature_dim: z.number().int().min(1).max(65536).default(64).describe('Dimension of the hashed bag-of-words text features.'),
  })
  .strict();

/** Parameters of KMeansStage. */
export type KMeansStageParams = z.output<typeof params>;

/** FNV-1a, 32 bits, over the UTF-8 bytes of `text`. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) h = Math.imul(h ^ byte, 0x01000193);
  return h >>> 0;
}

/**
 * The hash that orders documents for the initial centroids: FNV-1a of the id, finished with
 * MurmurHash3's fmix32 so that ids differing only in their last characters (doc-1, doc-2, ...) are
 * spread over the whole range instead of landing next to each other.
 */
export function idHash(id: string): number {
  return fmix32(fnv1a32(id));
}

/** Lower-cased word tokens (runs of letters, digits and underscores). */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
}

/** A hashed bag of words: entry `fnv1a32(token) % dim` counts the tokens hashing there. */
export function hashedBagOfWords(text: string, dim: number): number[] {
  const v = new Array<number>(dim).fill(0);
  for (const t of wordTokens(text)) {
    const i = fnv1a32(t) % dim;
    v[i] = (v[i] as number) + 1;
  }
  return v;
}

/**
 * Adds `x` to an exact running sum held as non-overlapping partials of increasing magnitude
 * (Shewchuk's algorithm, as in Python's `math.fsum`). No rounding error is lost.
 */
export function addExact(partials: number[], x: number): void {
  let i = 0;
  for (let j = 0; j < partials.length; j++) {
    let y = partials[j] as number;
    if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
    const hi = x + y;
    const lo = y - (hi - x);
    if (lo !== 0) partials[i++] = lo;
    x = hi;
  }
  partials.length = i;
  partials.push(x);
}

/** The exact sum held by `partials`, correctly rounded (round half to even) to a double. */
export function roundPartials(partials: readonly number[]): number {
  let n = partials.length;
  if (n === 0) return 0;
  let hi = partials[--n] as number;
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = partials[--n] as number;
    hi = x + y;
    lo = y - (hi - x);
    if (lo !== 0) break;
  }
  // Half-way cases: the partials below decide which way the exact sum rounds.
  if (n > 0) {
    const below = partials[n - 1] as number;
    if ((lo < 0 && below < 0) || (lo > 0 && below > 0)) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
  }
  return hi;
}

/** One rank's part of the initial-centroid choice. */
interface SeedReport {
  /** A problem with this rank's input; every rank then fails with it. */
  problem: string | null;
  /** Length of this rank's vectors (null: no documents). */
  dim: number | null;
  seeds: Array<{ h: number; id: string; v: number[] }>;
}

/** One rank's exact per-cluster sums: rounded values, plus the full partials where one double is not exact. */
interface SumReport {
  s: number[];
  x: Array<[number, number[]]>;
}

/**
 * Distributed k-means (Lloyd's algorithm) over the documents of all workers of the stage, a gang
 * ("RAFT actor") stage like NeMo Curator's multi-GPU stages: the engine starts N workers together,
 * splits the input tasks into N consecutive groups and calls `process_batch` once on each; the
 * workers cooperate through a GangClient (rank, world size, rendezvous from WorkerMetadata).
 */
export class KMeansStage extends ProcessingStage<DocumentBatch, DocumentBatch> {
  readonly type = 'KMeansStage';
  private readonly opts: KMeansStageParams;
  private gang: GangClient | null = null;

  constructor(p: KMeansStageParams, name = 'kmeans') {
    super(p, name);
    this.opts = p;
    this.resources = new Resources({ cpus: 1 });
    this.ray_stage_spec = { is_raft_actor: true };
  }

  override inputs(): [string[], string[]] {
    return [[], [this.opts.id_field, this.opts.embedding_field ?? this.opts.text_field]];
  }

  override outputs(): [string[], string[]] {
    return [[], [this.opts.cluster_field, this.opts.distance_field]];
  }

  /** Joins the gang named by the worker's rank, world_size and rendezvous (world size 1 when absent). */
  override async setup(worker: WorkerMetadata): Promise<void> {
    this.gang?.close();
    this.gang = null;
    this.gang = await GangClient.connect({ rank: worker.rank ?? 0, world_size: worker.world_size ?? 1, rendezvous: worker.rendezvous });
  }

  override async teardown(): Promise<void> {
    this.gang?.close();
    this.gang = null;
  }

  /** One task on its own: k-means over that task's documents (world size 1). */
  async process(task: DocumentBatch): Promise<DocumentBatch | null> {
    const [out] = await this.process_batch([task]);
    return out ?? null;
  }

  /**
   * Clusters this rank's group together with the other ranks' groups. Every rank must call this
   * (with an empty group too) because the ranks meet in collectives; all of them fail together
   * when any rank's input is unusable.
   */
  override async process_batch(tasks: DocumentBatch[]): Promise<DocumentBatch[]> {
    const gang = (this.gang ??= await GangClient.connect({ rank: 0, world_size: 1 }));
    const o = this.opts;
    const where = `${this.name} (rank ${gang.rank} of ${gang.worldSize})`;

    // Local vectors, with the first problem found (reported collectively below).
    const ids: string[] = [];
    const vectors: number[][] = [];
    let problem: string | null = null;
    let dim: number | null = null;
    outer: for (const task of tasks) {
      if ((task as { kind?: unknown }).kind !== 'DocumentBatch' || !Array.isArray(task.data)) {
        problem = `task ${task.task_id || '(no id)'} is not a DocumentBatch`;
        break;
      }
      for (let j = 0; j < task.data.length; j++) {
        const row = task.data[j] as DocumentRecord;
        const at = `record ${j} of task ${task.task_id || '(no id)'}`;
        const id = row[o.id_field];
        if (typeof id !== 'string' && typeof id !== 'number') {
          problem = `${at} has no string or number "${o.id_field}"`;
          break outer;
        }
        let v: number[];
        if (o.embedding_field !== undefined) {
          const e = row[o.embedding_field];
          if (!Array.isArray(e) || e.length === 0 || !e.every((x) => typeof x === 'number' && Number.isFinite(x))) {
            problem = `${at}: "${o.embedding_field}" is not a non-empty array of finite numbers`;
            break outer;
          }
          v = e as number[];
        } else {
          const t = row[o.text_field];
          if (typeof t !== 'string') {
            problem = `${at} has no string "${o.text_field}"`;
            break outer;
          }
          v = hashedBagOfWords(t, o.feature_dim);
        }
        if (dim === null) dim = v.length;
        else if (v.length !== dim) {
          problem = `${at}: "${o.embedding_field}" has ${v.length} values, other documents ${dim}`;
          break outer;
        }
        ids.push(String(id));
        vectors.push(v);
      }
    }

    // Initial centroids: the k documents with the smallest (hash(id), id) over all ranks. Each rank
    // offers its own k smallest; ranks are concatenated in order, which is document order, and the
    // sort is stable, so the choice does not depend on how the input was split.
    const k = o.n_clusters;
    const local = ids.map((id, i) => ({ h: idHash(id), id, i }));
    local.sort((a, b) => a.h - b.h || compareStrings(a.id, b.id) || a.i - b.i);
    const report: SeedReport = { problem: problem && `rank ${gang.rank}: ${problem}`, dim: problem ? null : dim, seeds: problem ? [] : local.slice(0, k).map((s) => ({ h: s.h, id: s.id, v: vectors[s.i] as number[] })) };
    const reports = await gang.allgather(report);
    const failed = reports.find((r) => r.problem !== null);
    if (failed) throw new Error(`${this.name}: ${failed.problem}`);
    const dims = reports.map((r, rank) => [rank, r.dim] as const).filter((x): x is readonly [number, number] => x[1] !== null);
    const d = dims[0]?.[1] ?? 0;
    const other = dims.find((x) => x[1] !== d);
    if (other) throw new Error(`${this.name}: vectors differ in length across ranks (rank ${dims[0]?.[0]}: ${d}, rank ${other[0]}: ${other[1]})`);
    const seeds = reports.flatMap((r) => r.seeds);
    seeds.sort((a, b) => a.h - b.h || compareStrings(a.id, b.id));
    let centroids = seeds.slice(0, k).map((s) => s.v);
    const kk = centroids.length;
    if (kk === 0) return [];

    const labels = new Int32Array(vectors.length).fill(-1);
    let iterations = 0;
    let shift = 0;
    let changedTotal = 0;
    for (let iter = 1; iter <= o.max_iter; iter++) {
      iterations = iter;
      let changed = 0;
      const counts = new Array<number>(kk).fill(0);
      const partials: number[][] = Array.from({ length: kk * d }, () => []);
      vectors.forEach((v, i) => {
        const c = nearest(v, centroids)[0];
        if (labels[i] !== c) changed++;
        labels[i] = c;
        counts[c] = (counts[c] as number) + 1;
        for (let j = 0; j < d; j++) addExact(partials[c * d + j] as number[], v[j] as number);
      });
      // Counts are integers, so their sum is exact; the vector sums are merged exactly below.
      const reduced = await gang.allreduceSum([...counts, changed]);
      const sums = await this.reduceExact(gang, partials);
      changedTotal = reduced[kk] as number;
      const next = centroids.map((old, c) => {
        const n = reduced[c] as number;
        if (n === 0) return old;
        return old.map((_, j) => (sums[c * d + j] as number) / n);
      });
      shift = 0;
      next.forEach((v, c) => (shift = Math.max(shift, Math.sqrt(squaredDistance(v, centroids[c] as number[])))));
      centroids = next;
      if (changedTotal === 0 || shift <= o.tol) break;
    }
    if (gang.rank === 0) {
      this.log('info', `${where}: ${kk} clusters after ${iterations} iteration(s); last centroid shift ${shift}, ${changedTotal} assignment(s) changed`);
    }
    this.logMetric('kmeans_iterations', iterations);

    let i = 0;
    for (const task of tasks) {
      task.data = task.data.map((row) => {
        const [c, d2] = nearest(vectors[i++] as number[], centroids);
        return { ...row, [o.cluster_field]: c, [o.distance_field]: Math.sqrt(d2) };
      });
    }
    return tasks;
  }

  /**
   * Element-wise sums over all ranks, exact and then correctly rounded, so the result is the same
   * whatever the split of documents across ranks (plain floating-point sums would depend on it).
   */
  private async reduceExact(gang: GangClient, partials: number[][]): Promise<number[]> {
    const mine: SumReport = { s: [], x: [] };
    partials.forEach((p, j) => {
      mine.s.push(roundPartials(p));
      if (p.length > 1) mine.x.push([j, p]);
    });
    const all = await gang.allgather(mine);
    const acc: number[][] = Array.from({ length: partials.length }, () => []);
    for (const r of all) {
      const full = new Map(r.x);
      for (let j = 0; j < acc.length; j++) {
        const into = acc[j] as number[];
        for (const x of full.get(j) ?? [r.s[j] as number]) addExact(into, x);
      }
    }
    return acc.map(roundPartials);
  }
}

/** Index of the nearest centroid (ties: the lowest index) and the squared distance to it. */
function nearest(v: readonly number[], centroids: readonly number[][]): [number, number] {
  let best = 0;
  let bestD = Infinity;
  centroids.forEach((c, i) => {
    const dd = squaredDistance(v, c);
    if (dd < bestD) [best, bestD] = [i, dd];
  });
  return [best, bestD];
}

function squaredDistance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) {
    const t = (a[j] as number) - (b[j] as number);
    s += t * t;
  }
  return s;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

registerStage({
  type: 'KMeansStage',
  category: 'dedup',
  description:
    'Distributed k-means clustering of documents (Lloyd\'s algorithm), a gang ("RAFT actor") stage: the engine starts N workers together ' +
    '(rank, world size and a rendezvous in each WorkerMetadata), splits the input tasks into N consecutive groups and calls process_batch ' +
    'once on each; the workers cooperate through collectives. Vectors are the numeric array in embedding_field, or else a hashed ' +
    'bag of words of text_field (lower-cased word tokens, FNV-1a 32-bit hash modulo feature_dim, integer counts). The initial ' +
    'centroids are the n_clusters documents with the smallest (hash of the id, id) over all workers (FNV-1a finished with ' +
    'MurmurHash3\'s fmix32, so in effect a fixed random pick); with fewer documents ' +
    'than n_clusters there are that many clusters. Each iteration assigns every document to the nearest centroid by Euclidean ' +
    'distance (ties go to the lowest cluster index), sums vectors and counts per cluster across workers, and moves each centroid ' +
    'to its mean (an empty cluster keeps its centroid); it stops after max_iter iterations, when no assignment changes, or when no ' +
    'centroid moves farther than tol. The sums are exact (integer counts, and an exact, correctly rounded sum for embeddings), so ' +
    'every worker takes the same decisions and the result is identical whatever the number of workers. Output: the same tasks, ' +
    'each record with cluster_field (cluster index) and distance_field (distance to its centroid) added; a worker given no tasks ' +
    'returns none but still takes part. If any worker\'s input is unusable, or a worker dies, all of them fail.',
  params,
  create: (p) => new KMeansStage(p),
});
