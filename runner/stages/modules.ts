/**
 * Where each built-in stage type is defined. A worker process imports only the module of the
 * stage it runs (not the whole catalog), which keeps worker start-up short as the catalog grows.
 * A test checks that this list names every registered built-in type and its defining module.
 */
const MODULES: Record<string, string> = {
  FilePartitioningStage: './io/file-partitioning.js',
  JsonlReader: './io/jsonl-reader.js',
  JsonlReaderStage: './io/jsonl-reader.js',
  JsonlWriter: './io/jsonl-writer.js',
  JsonlFilePartitioningStage: './io/jsonl-reader.js',
  ParquetReader: './io/parquet-reader.js',
  ParquetReaderStage: './io/parquet-reader.js',
  ParquetFilePartitioningStage: './io/parquet-reader.js',
  ParquetWriter: './io/parquet-writer.js',
  SyntheticDocuments: './diagnostic/synthetic.js',
  BusyStage: './diagnostic/busy.js',
  EnvProbe: './diagnostic/env-probe.js',
  CommandStage: './external/command.js',
  KMeansStage: './dedup/kmeans.js',
  ScoreFilter: './text/score-filter.js',
  Score: './text/score.js',
  Filter: './text/filter.js',
  Modify: './text/modify.js',
  AddId: './text/add-id.js',
  ExactDuplicates: './dedup/duplicates.js',
  FuzzyDuplicates: './dedup/duplicates.js',
  DedupSignatureStage: './dedup/passes.js',
  DedupIdentifyStage: './dedup/passes.js',
  DedupRemoveStage: './dedup/passes.js',
};

/** The URL of the module that registers a built-in type, or null. */
export function builtinStageModule(type: string): string | null {
  const rel = MODULES[type];
  return rel ? new URL(rel, import.meta.url).href : null;
}

/** Every built-in type this list knows. */
export function builtinStageTypes(): string[] {
  return Object.keys(MODULES);
}
