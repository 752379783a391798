/**
 * The built-in stage catalog. Importing this module registers every built-in stage type (each
 * stage module calls `registerStage` when it loads), so that pipeline files and worker processes
 * can build stages by type; it also re-exports the stage classes for programmatic use.
 */
import './io/file-partitioning.js';
import './io/jsonl-reader.js';
import './io/jsonl-writer.js';
import './diagnostic/synthetic.js';
import './diagnostic/busy.js';
import './diagnostic/env-probe.js';
import './dedup/kmeans.js';
import './text/score-filter.js';

export { FilePartitioningStage } from './io/file-partitioning.js';
export { JsonlReader, JsonlReaderStage } from './io/jsonl-reader.js';
export { JsonlWriter } from './io/jsonl-writer.js';
export { SyntheticDocuments } from './diagnostic/synthetic.js';
export { BusyStage, burnCpuMs } from './diagnostic/busy.js';
export { KMeansStage, type KMeansStageParams } from './dedup/kmeans.js';
export { EnvProbe, runProbeCommand, type EnvProbeParams, type EnvProbeObservation } from './diagnostic/env-probe.js';
export { ScoreFilter, type ScoreFilterParams } from './text/score-filter.js';
