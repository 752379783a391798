import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { getFilter, type DocumentFilter } from '../../runner/stages/text/filters/document-filter.js';
import { defaultLangIdModelPath, fastTextMemoryBytes, loadFastTextModel } from '../../runner/stages/text/filters/fasttext/model.js';
import '../../runner/stages/text/filters/fasttext/index.js';
import { sampleTexts, writeShards } from './corpus.js';
import { median, pipelineOf, timedRun, type BenchRow } from './harness.js';

/**
 * FastTextLangId (lid.176.ftz) throughput in documents per second per core: the filter alone in a
 * tight loop on one core over the sample documents repeated to `loopDocs` (median of 3 passes), against a pipeline
 * JsonlReader → ScoreFilter(FastTextLangId) → JsonlWriter on Xenna with every core, fed about
 * `secondsOfWork` seconds of work per core (worker start-up and model loads included), stages at
 * their default resources as a pipeline file would have them. The row also gives the filter stage's
 * rate per busy second inside its workers. A second row reports the model's load time and memory.
 */
export async function langIdRows(loopDocs = 3000, secondsOfWork = 6): Promise<BenchRow[]> {
  const texts = await sampleTexts();
  const cores = availableParallelism();

  // Load: the WebAssembly start-up plus the model file, as a worker pays once.
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const model = await loadFastTextModel(defaultLangIdModelPath(), 'FastTextLangId');
  const loadMs = performance.now() - t0;
  const wasmBytes = await fastTextMemoryBytes();
  const rssDelta = process.memoryUsage().rss - rss0;

  // Tight loop: score and decide, as ScoreFilter does per document.
  const def = getFilter('FastTextLangId');
  const filter = def.create(def.params.parse({ lang: 'en' })) as DocumentFilter<string>;
  await filter.setup?.();
  const docs = Array.from({ length: loopDocs }, (_, i) => texts[i % texts.length] as string);
  for (const d of docs.slice(0, 200)) filter.keep_document(filter.score_document(d));
  let kept = 0;
  const rates: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    kept = 0;
    const t1 = performance.now();
    for (const d of docs) if (filter.keep_document(filter.score_document(d))) kept++;
    rates.push(loopDocs / ((performance.now() - t1) / 1000));
  }
  const loopPerCore = median(rates);

  // Engine: the same work through a real pipeline, with reading and writing JSON lines.
  const engineDocs = Math.min(400_000, Math.round(secondsOfWork * cores * loopPerCore));
  const dir = await mkdtemp(path.join(tmpdir(), 'curator-bench-langid-'));
  try {
    const files = 4 * cores;
    const total = Math.ceil(engineDocs / files) * files;
    await writeShards(dir, Array.from({ length: total }, (_, i) => texts[i % texts.length] as string), files);
    const p = pipelineOf('bench-langid', [
      { type: 'JsonlReader', params: { file_paths: dir, files_per_partition: 1 } },
      { type: 'ScoreFilter', params: { filter: { type: 'FastTextLangId', lang: 'en' }, score_field: 'language' } },
      { type: 'JsonlWriter', params: { path: path.join(dir, 'out'), mode: 'overwrite' } },
    ]);
    const { wall, result } = await timedRun(p, { cpu_allocation_percentage: 1 }, { cpus: cores });
    const enginePerCore = total / wall / cores;
    // The filter stage's own rate inside its workers (busy time only), to separate the filter from reading, writing and scheduling.
    const stage = result.summary.stages.find((s) => s.name === 'lang_id');
    const inWorker = stage && stage.process_time_s > 0 ? stage.items_in / stage.process_time_s : Number.NaN;
    return [
      {
        name: 'langid docs/s/core engine vs tight loop',
        ratio: enginePerCore / loopPerCore,
        target: 'report',
        details: { cores, loop_docs: loopDocs, loop_docs_per_s_per_core: loopPerCore, loop_kept: kept, engine_docs: total, engine_docs_per_s_per_core: enginePerCore, engine_wall_s: wall, stage_docs_per_busy_s_per_worker: inWorker, stage_workers_max: stage?.workers_max ?? 0 },
      },
      {
        name: 'langid model load (ms), lid.176.ftz',
        ratio: loadMs,
        target: 'report',
        details: { model_file_bytes: model.fileBytes, model_load_ms: model.loadMs, wasm_memory_mib: wasmBytes / 2 ** 20, rss_delta_mib: rssDelta / 2 ** 20 },
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
