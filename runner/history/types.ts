/**
 * The shapes the run history stores and returns. Keys are snake_case like the rest of the stored
 * run data (the pipeline file, the summary), so the CLI's `--json`, the service and the UI share them.
 */
import type { StageSummary } from '../engine/events.js';

/** Statuses of a recorded run. `interrupted`: its process died before the run ended. */
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

/** Every status, in lifecycle order. */
export const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'];

/** Which host started a run. */
export type RunSource = 'cli' | 'serve' | 'app';

/** One input file as the run found it. `mtime` is ISO. */
export interface InputFile {
  path: string;
  size: number;
  mtime: string;
}

/** What is known about a run before it starts. */
export interface RunStart {
  run_id: string;
  name: string;
  /** The pipeline file object as run (after command-line overrides). */
  pipeline: unknown;
  backend: string;
  /** The backend configuration after defaults. */
  config: Record<string, unknown>;
  /** The hardware snapshot (a HardwareInventory), or null when it is not known yet. */
  hardware: unknown | null;
  inputs: InputFile[];
  source: RunSource;
  /** `running` (the default) starts the clock now; `queued` waits for markStarted. */
  status?: 'queued' | 'running';
}

/** Filters, order and page of the run list. Dates are ISO; `from`/`to` bound when the run started. */
export interface RunListQuery {
  status?: string[];
  backend?: string[];
  /** Case-insensitive substring of the run's name. */
  name?: string;
  /** Case-insensitive substring of the name or the error message, or a run id prefix. */
  text?: string;
  from?: string;
  to?: string;
  sort?: 'started_at' | 'duration' | 'name' | 'status';
  order?: 'asc' | 'desc';
  /** Default 50, at most 500. */
  limit?: number;
  offset?: number;
}

/** One row of the run list. */
export interface RunListItem {
  run_id: string;
  name: string;
  status: RunStatus;
  backend: string;
  execution_mode: string | null;
  source: RunSource;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  duration_s: number | null;
  docs_in: number | null;
  docs_out: number | null;
  error_message: string | null;
}

/** One stage's row of the funnel. */
export type StageRow = StageSummary;

/** A file the run wrote. */
export interface OutputFile {
  path: string;
  documents: number;
  bytes: number;
}

/** Documents a stage removed for one reason. */
export interface RemovalCount {
  stage: string;
  reason: string;
  count: number;
}

/** Where and why a run failed. */
export interface RunError {
  stage: string | null;
  task_id: string | null;
  message: string;
  stack: string | null;
}

/** Everything recorded about one run, except its logs and metrics (paged separately). */
export interface RunDetail extends RunListItem {
  pipeline: unknown;
  config: Record<string, unknown>;
  hardware: unknown | null;
  error: RunError | null;
  stages: StageRow[];
  warnings: string[];
  inputs: InputFile[];
  outputs: OutputFile[];
  removals: RemovalCount[];
  log_count: number;
}

/** One stored log line; `t` is ISO. */
export interface LogLine {
  t: string;
  level: string;
  source: string;
  message: string;
}

/** One point of the metrics series: per-stage state plus machine CPU, memory and GPUs. */
export interface MetricsPoint {
  t: string;
  elapsed_s: number;
  stages: unknown;
  cpu_pct: number | null;
  memory_used_bytes: number | null;
  gpus: unknown;
}

/** Two runs side by side. */
export interface RunComparison {
  a: RunDetail;
  b: RunDetail;
  /** Keys whose values differ: `backend`, `config.<key>`, `pipeline.<path>`. */
  config_diff: Array<{ key: string; a: unknown; b: unknown }>;
  stages: Array<{ name: string; a: StageRow | null; b: StageRow | null }>;
  /**
   * Documents added and removed by id, when both runs recorded their output ids (`compared`);
   * each list holds at most OUTPUT_DIFF_LIMIT ids, the counts are exact.
   */
  outputs: { compared: boolean; added: string[]; removed: string[]; added_count: number; removed_count: number };
}

/** A removed document kept as an example of why documents were removed. */
export interface RemovedSample {
  stage: string;
  reason: string;
  doc_id: string | null;
  document: unknown;
}
