/**
 * The English heuristic chain (resources/templates/english-heuristics.yaml, NeMo Curator's 28
 * filters) in documents per second per core: the filter functions alone in a tight loop on one
 * core, against JsonlReader → ScoreFilter(chain) → JsonlWriter on Xenna with every core, over the
 * same generated corpus (the bundled sample documents combined and perturbed, about 32 MB).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { getFilter, type DocumentFilter } from '../../runner/stages/text/filters/document-filter.js';
import '../../runner/stages/text/filter-spec.js';
import { ROOT, sampleTexts, writeShards } from './corpus.js';
import { median, pipelineOf, timedRun, type BenchRow } from './harness.js';

type Spec = { type: string } & Record<string, unknown>;

/** The filter list of the template's ScoreFilter stage, so the bench measures the chain users run. */
async function englishChain(): Promise<Spec[]> {
  const file = path.join(ROOT, 'resources', 'templates', 'english-heuristics.yaml');
  const doc = parse(await readFile(file, 'utf8')) as { stages: Array<{ stage: string; params: { filter: Spec[] } }> };
  const stage = doc.stages.find((s) => s.stage === 'ScoreFilter');
  if (!stage) throw new Error(`${file}: no ScoreFilter stage`);
  return stage.params.filter;
}

/** A seeded generator (xorshift32), so every run measures the same corpus. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** About `bytes` of documents: one to four sample texts joined as paragraphs, one word changed in each. */
function corpus(texts: string[], bytes: number): string[] {
  const next = rng(42);
  const out: string[] = [];
  let size = 0;
  while (size < bytes) {
    const parts = Array.from({ length: 1 + Math.floor(next() * 4) }, () => texts[Math.floor(next() * texts.length)] as string);
    const words = parts.join('\n\n').split(' ');
    words[Math.floor(next() * words.length)] = `w${out.length}`;
    const text = words.join(' ');
    out.push(text);
    size += text.length + 40;
  }
  return out;
}

/** Documents per second through the chain, as ScoreFilter runs it (stop at the first rejection); median of 3 passes. */
function tightLoop(filters: DocumentFilter[], docs: string[]): { perSecond: number; kept: number } {
  let kept = 0;
  const pass = () => {
    kept = 0;
    const t0 = performance.now();
    for (const text of docs) {
      let keep = true;
      for (const f of filters) {
        if (!f.keep_document(f.score_document(text))) {
          keep = false;
          break;
        }
      }
      if (keep) kept++;
    }
    return docs.length / ((performance.now() - t0) / 1000);
  };
  pass(); // warm-up
  return { perSecond: median([pass(), pass(), pass()]), kept };
}

/** The `filters` row: engine docs/s/core against the tight loop's, side by side. */
export async function filterRows(corpusBytes = 32 * 2 ** 20): Promise<BenchRow[]> {
  const cores = availableParallelism();
  const chain = await englishChain();
  const filters = chain.map(({ type, ...rest }) => {
    const def = getFilter(type);
    return def.create(def.params.parse(rest));
  });
  for (const f of filters) await f.setup?.();
  const docs = corpus(await sampleTexts(), corpusBytes);
  const loop = tightLoop(filters, docs);

  const dir = await mkdtemp(path.join(tmpdir(), 'curator-bench-filters-'));
  try {
    const bytes = await writeShards(dir, docs, 4 * cores);
    const p = pipelineOf('bench-filters', [
      { type: 'JsonlReader', params: { file_paths: dir, files_per_partition: 1 } },
      { type: 'ScoreFilter', name: 'english_heuristics', params: { filter: chain } },
      { type: 'JsonlWriter', params: { path: path.join(dir, 'out'), mode: 'overwrite' } },
    ]);
    const { wall, result } = await timedRun(p, { cpu_allocation_percentage: 1 }, { cpus: cores });
    const stage = result.summary.stages.find((s) => s.name === 'english_heuristics');
    const enginePerCore = docs.length / wall / cores;
    const inWorker = stage && stage.process_time_s > 0 ? stage.items_in / stage.process_time_s : Number.NaN;
    return [
      {
        name: 'filters docs/s/core engine vs tight loop',
        ratio: enginePerCore / loop.perSecond,
        target: 'report',
        details: {
          cores,
          filters: filters.length,
          docs: docs.length,
          corpus_mib: bytes / 2 ** 20,
          loop_docs_per_s_per_core: loop.perSecond,
          loop_kept: loop.kept,
          engine_docs_per_s_per_core: enginePerCore,
          engine_wall_s: wall,
          engine_kept: stage?.items_out ?? 0,
          stage_docs_per_busy_s_per_worker: inWorker,
          stage_workers_max: stage?.workers_max ?? 0,
        },
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
