/**
 * The built-in stage catalog. Importing this module registers every built-in stage type (each
 * stage module calls `registerStage` when it loads), so that pipeline files and worker processes
 * can build stages by type; it also re-exports the stage classes for programmatic use.
 */
import './io/file-partitioning.js';
import './io/jsonl-reader.js';
import './io/jsonl-writer.js';
import './io/parquet-reader.js';
import './io/parquet-writer.js';
import './diagnostic/synthetic.js';
import './diagnostic/busy.js';
import './diagnostic/env-probe.js';
import './external/command.js';
import './dedup/kmeans.js';
import './text/score-filter.js';
import './text/score.js';
import './text/filter.js';
import './text/modify.js';
import './text/add-id.js';
import './dedup/passes.js';
import './dedup/duplicates.js';

export { FilePartitioningStage } from './io/file-partitioning.js';
export { JsonlReader, JsonlReaderStage } from './io/jsonl-reader.js';
export { JsonlWriter } from './io/jsonl-writer.js';
export { ParquetReader, ParquetReaderStage } from './io/parquet-reader.js';
export { ParquetWriter } from './io/parquet-writer.js';
export { parseOrigin } from './io/origin.js';
export { SyntheticDocuments } from './diagnostic/synthetic.js';
export { BusyStage, burnCpuMs } from './diagnostic/busy.js';
export { KMeansStage, type KMeansStageParams } from './dedup/kmeans.js';
export { EnvProbe, runProbeCommand, type EnvProbeParams, type EnvProbeObservation } from './diagnostic/env-probe.js';
export { CommandStage, type CommandStageParams } from './external/command.js';
export { ScoreFilter, type ScoreFilterParams } from './text/score-filter.js';
export { Score, type ScoreParams } from './text/score.js';
export { Filter, type FilterParams } from './text/filter.js';
export { Modify, type ModifyParams } from './text/modify.js';
export { AddId, type AddIdParams } from './text/add-id.js';
export { ExactDuplicates, FuzzyDuplicates } from './dedup/duplicates.js';
