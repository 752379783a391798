import type { RemovalReport } from './removals.js';
import type { LogLevel } from '../pipeline/stage.js';
import type { HardwareSample } from '../hardware/sampler.js';

export type { HardwareSample };

/** The backends a run can use. */
export type BackendName = 'xenna' | 'ray_data' | 'ray_actor_pool';

/** One stage's live state, as the status log, the CLI progress bars and the UI show it. */
export interface StageStatus {
  name: string;
  workers: { pending: number; ready: number; busy: number; idle: number; target: number };
  tasks: { completed: number; returned_none: number; failed: number; in: number; out: number };
  items: { in: number; out: number };
  queue: { input: number; output: number };
  slots: { used: number; empty: number };
  /** Median over ready workers of batches per worker per second; null before any measurement. */
  tasks_per_worker_s: number | null;
  process_time_s: number;
  workers_max: number;
  done: boolean;
}

/** The end-of-run row per stage of the CLI's `--json` summary. */
export interface StageSummary {
  name: string;
  tasks_in: number;
  tasks_out: number;
  items_in: number;
  items_out: number;
  returned_none: number;
  failed_batches: number;
  process_time_s: number;
  workers_max: number;
  /** Documents removed, by reason (a filter's class name, `exact_duplicate`...), with a bounded sample; absent when none. */
  removed?: RemovalReport;
  /** Named counters (skipped malformed lines, replaced invalid UTF-8...); absent when none. */
  counters?: Record<string, number>;
}

/** Where and why a run failed. */
export interface RunErrorInfo {
  stage: string | null;
  task_id: string | null;
  message: string;
  stack: string | null;
}

/** The result of a run, whatever its status. */
export interface RunSummary {
  run_id: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  backend: BackendName;
  execution_mode: string | null;
  duration_s: number;
  output_tasks: number;
  stages: StageSummary[];
  warnings: string[];
  error: RunErrorInfo | null;
}

/** The typed event stream of a run: the CLI renders it; history and the UI consume it. */
export type RunEvent =
  | { type: 'run_started'; run_id: string; t: number; pipeline: string; backend: BackendName; execution_mode: string | null; stages: Array<{ name: string; type: string; resources: { cpus: number; gpus: number; gpu_memory_gb: number }; batch_size: number }> }
  | { type: 'stage_status'; run_id: string; t: number; elapsed_s: number; stages: StageStatus[]; cpus: { total: number; used: number }; gpus: { total: number; used: number } }
  | { type: 'task_processed'; run_id: string; t: number; stage: string; items: number }
  | { type: 'log'; run_id: string; t: number; level: LogLevel; source: string; message: string }
  | { type: 'hardware_sample'; run_id: string; t: number; sample: HardwareSample }
  | { type: 'run_finished'; run_id: string; t: number; summary: RunSummary };

/** Listener for run events. A listener that throws is logged and ignored, never fails a run. */
export type RunEventListener = (event: RunEvent) => void;
