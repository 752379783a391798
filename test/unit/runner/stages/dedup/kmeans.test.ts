import { describe, expect, it } from 'vitest';
import { type z } from 'zod';
import { Rendezvous } from '../../../../../runner/engine/rendezvous.js';
import { DocumentBatch, type DocumentRecord } from '../../../../../runner/pipeline/tasks.js';
import type { WorkerMetadata } from '../../../../../runner/pipeline/stage.js';
import { getStage } from '../../../../../runner/stages/registry.js';
import { addExact, fnv1a32, hashedBagOfWords, idHash, type KMeansStage, roundPartials, wordTokens } from '../../../../../runner/stages/dedup/kmeans.js';
import { mulberry32 } from '../../../../../runner/stages/diagnostic/synthetic.js';
import { buildProcessing, worker } from '../helpers.js';
import { arraySplit } from '../../../../../runner/backends/ray-actor-pool/gang.js';

const TOPICS = [
  'river water boat fish bridge stream bank flood current shore'.split(' '),
  'compiler function variable loop array pointer thread kernel syntax module'.split(' '),
  'oven flour sugar butter bake dough recipe cream spoon pastry'.split(' '),
];


/** Cuts records into DocumentBatches of the given sizes. */
function batches(records: DocumentRecord[], sizes: number[]): DocumentBatch[] {
  expect(sizes.reduce((a, b) => a + b, 0)).toBe(records.length);
  let at = 0;
  return sizes.map((n, i) => {
    const t = new DocumentBatch({ dataset_name: 'docs', data: records.slice(at, (at += n)).map((r) => ({ ...r })) });
    t.task_id = `0_${i}`;
    return t;
  });
}

/**
 * `n` documents; document i is about topic i % 3 (topics interleave, so every rank sees all three).
 * The id prefix is the first one for which the three smallest id hashes fall in different topics:
 * the stage seeds its centroids from those documents, and k-means from a seed pair inside one
 * well-separated topic converges to a split topic (a local optimum), not to the topics.
 */
function topicDocs(n: number): { records: DocumentRecord[]; topicOf: Map<string, number> } {
  for (let salt = 0; salt < 1000; salt++) {
    const ids = Array.from({ length: n }, (_, i) => `d${salt}-${i}`);
    const firstThree = ids
      .map((id, i) => ({ id, h: idHash(id), topic: i % 3 }))
      .sort((a, b) => a.h - b.h)
      .slice(0, 3);
    if (new Set(firstThree.map((x) => x.topic)).size !== 3) continue;
    const rand = mulberry32(7);
    const topicOf = new Map<string, number>();
    const records = ids.map((id, i) => {
      const words = TOPICS[i % 3] as string[];
      const len = 8 + Math.floor(rand() * 10);
      const text = Array.from({ length: len }, () => words[Math.floor(rand() * words.length)]).join(' ');
      topicOf.set(id, i % 3);
      return { id, text: `The ${text}.`, n: i };
    });
    return { records, topicOf };
  }
  throw new Error('no id prefix found');
}

function meta(rank: number, worldSize: number, rendezvous?: string): WorkerMetadata {
  return { ...worker, worker_id: `w${rank}`, stage_name: 'kmeans', rank, world_size: worldSize, ...(rendezvous ? { rendezvous } : {}) };
}

function stage(raw: Record<string, unknown>): KMeansStage {
  return buildProcessing<KMeansStage>('KMeansStage', raw, '/').stage;
}

/**
 * Runs the stage as the engine runs a gang stage: N instances, each set up with its rank, world
 * size and the rendezvous address, the tasks array-split into N groups, process_batch on every
 * instance at once. `local` runs world size 1 without a rendezvous.
 */
async function runGang(raw: Record<string, unknown>, tasks: DocumentBatch[], n: number, opts: { local?: boolean } = {}): Promise<{ perRank: DocumentBatch[][]; groups: DocumentBatch[][] }> {
  const rv = opts.local ? null : await Rendezvous.open(n);
  const stages = Array.from({ length: n }, () => stage(raw));
  try {
    await Promise.all(stages.map((s, rank) => s.setup(meta(rank, n, rv?.address))));
    const groups = arraySplit(tasks, n);
    const perRank = await Promise.all(stages.map((s, rank) => s.process_batch(groups[rank] as DocumentBatch[])));
    return { perRank, groups };
  } finally {
    await Promise.all(stages.map((s) => s.teardown()));
    await rv?.close();
  }
}

function sortedRecords(perRank: DocumentBatch[][]): DocumentRecord[] {
  return perRank
    .flat()
    .flatMap((t) => t.data)
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

/** A plain single-process Lloyd's k-means with the stage's documented rules, for comparison. */
function referenceKMeans(vectors: number[][], ids: string[], k: number, maxIter: number, tol: number): { labels: number[]; dist: number[] } {
  const order = ids.map((id, i) => ({ h: idHash(id), id, i })).sort((a, b) => a.h - b.h || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let cents = order.slice(0, k).map((o) => [...(vectors[o.i] as number[])]);
  const d2 = (a: number[], b: number[]) => a.reduce((s, x, j) => s + (x - (b[j] as number)) ** 2, 0);
  const assign = () =>
    vectors.map((v) => {
      let best = 0;
      for (let c = 1; c < cents.length; c++) if (d2(v, cents[c] as number[]) < d2(v, cents[best] as number[])) best = c;
      return best;
    });
  let labels: number[] = vectors.map(() => -1);
  for (let it = 0; it < maxIter; it++) {
    const next = assign();
    const changed = next.some((l, i) => l !== labels[i]);
    labels = next;
    const moved = cents.map((old, c) => {
      const members = vectors.filter((_, i) => labels[i] === c);
      return members.length ? old.map((_, j) => members.reduce((s, v) => s + (v[j] as number), 0) / members.length) : old;
    });
    const shift = Math.max(...moved.map((m, c) => Math.sqrt(d2(m, cents[c] as number[]))));
    cents = moved;
    if (!changed || shift <= tol) break;
  }
  labels = assign();
  return { labels, dist: vectors.map((v, i) => Math.sqrt(d2(v, cents[labels[i] as number] as number[]))) };
}

describe('KMeansStage helpers', () => {
  it('FNV-1a matches the published 32-bit test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('the id hash spreads sequential ids, where plain FNV-1a keeps them next to each other', () => {
    const ids = Array.from({ length: 100 }, (_, i) => `doc-${i}`);
    const smallest = (h: (s: string) => number) =>
      ids
        .map((id, i) => ({ h: h(id), i }))
        .sort((a, b) => a.h - b.h)
        .slice(0, 5)
        .map((x) => x.i);
    const span = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
    expect(span(smallest(fnv1a32))).toBeLessThan(10);
    expect(span(smallest(idHash))).toBeGreaterThan(30);
    expect(idHash('doc-1')).not.toBe(fnv1a32('doc-1'));
  });

  it('hashed bag of words counts lower-cased word tokens into feature_dim buckets', () => {
    expect(wordTokens("Hello, WORLD! it's 42")).toEqual(['hello', 'world', 'it', 's', '42']);
    const v = hashedBagOfWords('Fish fish FISH boat', 16);
    expect(v).toHaveLength(16);
    expect(v[fnv1a32('fish') % 16]).toBeGreaterThanOrEqual(3);
    expect(v.reduce((a, b) => a + b, 0)).toBe(4);
    expect(hashedBagOfWords('', 8)).toEqual(new Array(8).fill(0));
  });

  it('exact sums are correctly rounded and independent of order and grouping', () => {
    const sum = (xs: number[]) => {
      const p: number[] = [];
      for (const x of xs) addExact(p, x);
      return roundPartials(p);
    };
    expect(sum([1e16, 1, -1e16])).toBe(1);
    expect(sum(new Array(10).fill(0.1))).toBe(1);
    expect(sum([])).toBe(0);
    const rand = mulberry32(3);
    const xs = Array.from({ length: 500 }, () => (rand() - 0.5) * 10 ** Math.floor(rand() * 12));
    const naive = xs.reduce((a, b) => a + b, 0);
    const naiveReversed = [...xs].reverse().reduce((a, b) => a + b, 0);
    expect(naive).not.toBe(naiveReversed); // plain sums do depend on order here
    const merged: number[] = [];
    for (const part of [xs.slice(0, 123), xs.slice(123, 400), xs.slice(400)]) {
      const p: number[] = [];
      for (const x of [...part].reverse()) addExact(p, x);
      for (const x of p) addExact(merged, x);
    }
    expect(roundPartials(merged)).toBe(sum(xs));
    expect(sum([...xs].reverse())).toBe(sum(xs));
  });
});

describe('KMeansStage', () => {
  it('is a registered dedup gang stage with described, defaulted parameters', () => {
    const def = getStage('KMeansStage');
    expect(def.category).toBe('dedup');
    expect(def.description).toMatch(/identical whatever the number of workers/);
    expect(def.params.parse({})).toEqual({ n_clusters: 8, max_iter: 20, tol: 1e-4, id_field: 'id', text_field: 'text', cluster_field: 'cluster', distance_field: 'cluster_distance', feature_dim: 64 });
    for (const [key, field] of Object.entries(def.params.shape)) expect((field as z.ZodType).description, key).toBeTruthy();
    expect(def.params.safeParse({ n_clusters: 0 }).success).toBe(false);
    expect(def.params.safeParse({ k: 3 }).success).toBe(false);
    const s = stage({ n_clusters: 3 });
    expect(s.name).toBe('kmeans');
    expect(s.type).toBe('KMeansStage');
    expect(s.ray_stage_spec).toEqual({ is_raft_actor: true });
    expect(s.resources.cpus).toBe(1);
    expect(s.supportsBatchProcessing()).toBe(true);
    const spec = s.toSpec();
    expect(spec.overrides.ray_stage_spec).toEqual({ is_raft_actor: true });
    expect(def.create(def.params.parse(structuredClone(spec.params)), { resolvePath: (p) => p })).toBeInstanceOf(s.constructor);
  });

  it('gives identical ids, clusters and distances for world sizes 1, 2 and 3', async () => {
    const { records } = topicDocs(60);
    const sizes = [9, 9, 9, 9, 8, 8, 8];
    // Three clusters for three topics, and more clusters than topics (where the seeds matter most).
    for (const raw of [{ n_clusters: 3 }, { n_clusters: 7, feature_dim: 32 }]) {
      const runs: DocumentRecord[][] = [];
      for (const n of [1, 2, 3]) {
        const tasks = batches(records, sizes);
        const { perRank, groups } = await runGang(raw, tasks, n);
        // Each rank returns its own group's tasks, in order, with the same ids.
        perRank.forEach((out, rank) => expect(out.map((t) => t.task_id)).toEqual((groups[rank] as DocumentBatch[]).map((t) => t.task_id)));
        expect(perRank.map((g) => g.length)).toEqual(arraySplit(sizes, n).map((g) => g.length));
        runs.push(sortedRecords(perRank));
      }
      const local = sortedRecords((await runGang(raw, batches(records, sizes), 1, { local: true })).perRank);
      expect(runs[0]).toHaveLength(60);
      for (const r of runs[0]!) {
        expect(Object.keys(r)).toEqual(['id', 'text', 'n', 'cluster', 'cluster_distance']);
        expect(Number.isInteger(r.cluster) && (r.cluster as number) >= 0 && (r.cluster as number) < raw.n_clusters).toBe(true);
        expect(Number.isFinite(r.cluster_distance)).toBe(true);
      }
      expect(new Set(runs[0]!.map((r) => r.cluster)).size).toBeGreaterThanOrEqual(3);
      expect(runs[1]).toEqual(runs[0]);
      expect(runs[2]).toEqual(runs[0]);
      expect(local).toEqual(runs[0]);
    }
  });

  it('puts the documents of each topic in one cluster of their own', async () => {
    const { records, topicOf } = topicDocs(60);
    for (const n of [1, 3]) {
      const out = sortedRecords((await runGang({ n_clusters: 3 }, batches(records, [20, 20, 20]), n)).perRank);
      const clusterOfTopic = new Map<number, Set<unknown>>();
      for (const r of out) {
        const t = topicOf.get(r.id as string) as number;
        if (!clusterOfTopic.has(t)) clusterOfTopic.set(t, new Set());
        clusterOfTopic.get(t)!.add(r.cluster);
      }
      expect([...clusterOfTopic.values()].map((s) => s.size)).toEqual([1, 1, 1]);
      expect(new Set([...clusterOfTopic.values()].map((s) => [...s][0])).size).toBe(3);
    }
  });

  it('matches a plain single-process Lloyd iteration (full run, max_iter 1, a large tol)', async () => {
    const { records } = topicDocs(30);
    const ids = records.map((r) => r.id as string);
    const vectors = records.map((r) => hashedBagOfWords(r.text as string, 16));
    for (const [maxIter, k, tol] of [[20, 4, 1e-4], [1, 4, 1e-4], [20, 2, 1e-4], [20, 4, 1e6]] as const) {
      const ref = referenceKMeans(vectors, ids, k, maxIter, tol);
      const out = (await runGang({ n_clusters: k, max_iter: maxIter, tol, feature_dim: 16 }, batches(records, [10, 10, 10]), 2)).perRank.flat().flatMap((t) => t.data);
      expect(out.map((r) => r.id)).toEqual(ids);
      expect(out.map((r) => r.cluster)).toEqual(ref.labels);
      out.forEach((r, i) => expect(r.cluster_distance as number).toBeCloseTo(ref.dist[i] as number, 9));
    }
  });

  it('a rank given no tasks returns none but takes part, and the result does not change', async () => {
    const { records } = topicDocs(30);
    const one = sortedRecords((await runGang({ n_clusters: 3 }, batches(records, [30]), 1)).perRank);
    const { perRank } = await runGang({ n_clusters: 3 }, batches(records, [14, 16]), 3);
    expect(perRank[2]).toEqual([]);
    expect(sortedRecords(perRank)).toEqual(one);
    const none = await runGang({ n_clusters: 3 }, [], 2);
    expect(none.perRank).toEqual([[], []]);
  });

  it('a cluster left empty keeps its centroid', async () => {
    // The two seeds (smallest id hashes) are the same point, so every document ties to cluster 0
    // at first and cluster 1 is empty in the first iteration.
    const ids = Array.from({ length: 40 }, (_, i) => `p${i}`).sort((a, b) => idHash(a) - idHash(b));
    const records = [
      { id: ids[2], e: [15] },
      { id: ids[0], e: [5] },
      { id: ids[1], e: [5] },
    ];
    const out = sortedRecords((await runGang({ n_clusters: 2, max_iter: 2, embedding_field: 'e' }, batches(records, [1, 2]), 2)).perRank);
    const byId = new Map(out.map((r) => [r.id, r]));
    expect([ids[0], ids[1], ids[2]].map((id) => [byId.get(id)?.cluster, byId.get(id)?.cluster_distance])).toEqual([
      [1, 0],
      [1, 0],
      [0, 0],
    ]);
  });

  it('works alone without setup (world size 1), also through process()', async () => {
    const s = stage({ n_clusters: 2, feature_dim: 8 });
    const t = batches([{ id: 1, text: 'fish river' }, { id: 2, text: 'fish river' }, { id: 3, text: 'sugar flour' }], [3])[0] as DocumentBatch;
    const out = await s.process(t);
    expect(out).toBe(t);
    expect(out?.data.map((r) => r.cluster_distance)).toEqual([0, 0, 0]);
    const c = out?.data.map((r) => r.cluster) as number[];
    expect(c[0]).toBe(c[1]);
    expect(c[2]).not.toBe(c[0]);
  });

  it('with fewer documents than n_clusters, makes one cluster per document', async () => {
    const out = sortedRecords((await runGang({ n_clusters: 5 }, batches([{ id: 'a', text: 'fish river' }, { id: 'b', text: 'flour sugar' }], [1, 1]), 2)).perRank);
    expect(out.map((r) => r.cluster).sort()).toEqual([0, 1]);
    expect(out.map((r) => r.cluster_distance)).toEqual([0, 0]);
  });

  it('clusters float embeddings from embedding_field identically for world sizes 1, 2 and 3', async () => {
    const rand = mulberry32(11);
    const centers = [[10, 0, 0, 0.5], [0, 10, 0, -0.5], [0, 0, 10, 0.25]];
    const { records: base, topicOf } = topicDocs(45);
    const records = base.map((r) => {
      const c = centers[topicOf.get(r.id as string) as number] as number[];
      return { id: r.id, vec: c.map((x) => x + (rand() - 0.5) * 0.37), text: 42 };
    });
    const raw = { n_clusters: 3, embedding_field: 'vec', cluster_field: 'c', distance_field: 'dist' };
    const runs: DocumentRecord[][] = [];
    for (const n of [1, 2, 3]) runs.push(sortedRecords((await runGang(raw, batches(records, [7, 7, 7, 8, 8, 8]), n)).perRank));
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
    const byTopic = new Map<number, Set<unknown>>();
    for (const r of runs[0]!) {
      expect(Object.keys(r)).toEqual(['id', 'vec', 'text', 'c', 'dist']);
      const t = topicOf.get(r.id as string) as number;
      byTopic.set(t, (byTopic.get(t) ?? new Set()).add(r.c));
    }
    expect([...byTopic.values()].every((s) => s.size === 1)).toBe(true);
    expect(new Set([...byTopic.values()].map((s) => [...s][0])).size).toBe(3);
    // Each distance is to the mean of its cluster's vectors.
    for (const r of runs[0]!) {
      const members = runs[0]!.filter((m) => m.c === r.c).map((m) => m.vec as number[]);
      const mean = (r.vec as number[]).map((_, j) => members.reduce((s, v) => s + (v[j] as number), 0) / members.length);
      const d = Math.sqrt((r.vec as number[]).reduce((s, x, j) => s + (x - (mean[j] as number)) ** 2, 0));
      expect(r.dist as number).toBeCloseTo(d, 10);
      expect(r.dist as number).toBeLessThan(1);
    }
  });

  it("fails on every rank, naming the rank, when one rank's input is unusable", async () => {
    const { records } = topicDocs(12);
    const tasks = batches(records, [4, 4, 4]);
    (tasks[2] as DocumentBatch).data[1] = { id: 'broken' };
    const rv = await Rendezvous.open(3);
    const stages = [0, 1, 2].map(() => stage({ n_clusters: 2 }));
    await Promise.all(stages.map((s, r) => s.setup(meta(r, 3, rv.address))));
    const res = await Promise.allSettled(stages.map((s, r) => s.process_batch([tasks[r] as DocumentBatch])));
    await Promise.all(stages.map((s) => s.teardown()));
    await rv.close();
    expect(res.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const r of res) expect(String((r as PromiseRejectedResult).reason)).toMatch(/kmeans: rank 2: record 1 of task 0_2 has no string "text"/);
  });

  it('fails on every rank when embeddings differ in length across ranks', async () => {
    const tasks = batches([{ id: 'a', e: [1, 2] }, { id: 'b', e: [1, 2, 3] }], [1, 1]);
    const rv = await Rendezvous.open(2);
    const stages = [0, 1].map(() => stage({ n_clusters: 2, embedding_field: 'e' }));
    await Promise.all(stages.map((s, r) => s.setup(meta(r, 2, rv.address))));
    const res = await Promise.allSettled(stages.map((s, r) => s.process_batch([tasks[r] as DocumentBatch])));
    await Promise.all(stages.map((s) => s.teardown()));
    await rv.close();
    for (const r of res) expect(String((r as PromiseRejectedResult).reason)).toMatch(/vectors differ in length across ranks \(rank 0: 2, rank 1: 3\)/);
  });

  it('a gang member that dies fails the others instead of hanging them', async () => {
    const { records } = topicDocs(12);
    const tasks = batches(records, [4, 4, 4]);
    const rv = await Rendezvous.open(3);
    const stages = [0, 1, 2].map(() => stage({ n_clusters: 2 }));
    await Promise.all(stages.map((s, r) => s.setup(meta(r, 3, rv.address))));
    const running = [0, 1].map((r) => stages[r]!.process_batch([tasks[r] as DocumentBatch]));
    await stages[2]!.teardown();
    const res = await Promise.allSettled(running);
    await Promise.all(stages.map((s) => s.teardown()));
    await rv.close();
    for (const r of res) expect(String((r as PromiseRejectedResult).reason)).toMatch(/rank 2 disconnected/);
  });
});
