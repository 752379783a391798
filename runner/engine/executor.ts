import type { ProcessingStage } from '../pipeline/stage.js';
import type { Task } from '../pipeline/tasks.js';
import type { BackendName, RunEventListener, RunSummary } from './events.js';
import type { WorkerLauncher } from './launcher.js';
import type { HardwareInventory } from '../hardware/types.js';

/** Per-run options shared by every backend. */
export interface RunOptions {
  /** Stable id for events and history; generated when absent. */
  runId?: string;
  pipelineName?: string;
  /** Aborting cancels the run: every worker is stopped and execute() rejects with RunCancelledError. */
  signal?: AbortSignal;
  onEvent?: RunEventListener;
  /** Caps the CPUs the run may schedule (before cpu_allocation_percentage). */
  cpus?: number;
  /** GPU allow-list: device indices or UUIDs the run may use. */
  gpus?: string[];
  /** How workers are started; the Node child-process launcher by default. */
  launcher?: WorkerLauncher;
  /** A detected inventory to plan with; detected when absent. */
  hardware?: HardwareInventory;
}

/** What execute() returns: the last stage's output tasks and the run summary. */
export interface ExecutionResult {
  tasks: Task[];
  summary: RunSummary;
}

/** A backend. Every backend is a scheduling policy over the same workers, pools and stage adapter. */
export interface Executor {
  readonly backend: BackendName;
  /** The backend's configuration after defaults, as recorded in history. */
  readonly config: Record<string, unknown>;
  /** Runs built stages on the initial tasks; rejects with a typed error when the run fails. */
  execute(stages: ProcessingStage[], initialTasks: Task[], options?: RunOptions): Promise<ExecutionResult>;
}
