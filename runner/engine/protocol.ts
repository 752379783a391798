import type { StageSpec, WorkerMetadata, LogLevel } from '../pipeline/stage.js';
import type { WireTask } from '../pipeline/tasks.js';
import type { WireError } from '../pipeline/errors.js';
import type { RemovalReport } from './removals.js';

/**
 * Messages between the engine and a stage worker process. Requests are envelopes
 * `{ seq, kind, payload }`; replies are `{ seq, ok, value | error }`; logs travel as messages,
 * never as stray stdout.
 */
export type WorkerRequest =
  | { seq: number; kind: 'init'; payload: InitPayload }
  | { seq: number; kind: 'process'; payload: { tasks: WireTask[] } }
  | { seq: number; kind: 'teardown'; payload: null };

/** What a worker needs to build and set up its stage. */
export interface InitPayload {
  /** The stages this worker runs, in order: one, or several fused into one process (Ray Data). */
  specs: StageSpec[];
  worker: WorkerMetadata;
  /** True for the one worker per stage and machine that runs setup_on_node. */
  runSetupOnNode: boolean;
  /** Threads for the worker's piscina pool (0 = none). */
  threads: number;
}

/** What one stage of a worker's chain did with one batch. */
export interface StepResult {
  stage: string;
  tasks_in: number;
  items_in: number;
  tasks_out: number;
  items_out: number;
  /** Outputs per input position that were dropped (process returned null). */
  returned_none: number;
  started_at: number;
  duration_s: number;
  /** Documents the stage removed, by reason, with a bounded sample; absent when none. */
  removed?: RemovalReport;
  /** Counters the stage added to (skipped lines and the like); absent when none. */
  counters?: Record<string, number>;
}

/** The result of one batch: the last stage's outputs and one step per stage of the chain. */
export interface ProcessReply {
  tasks: WireTask[];
  steps: StepResult[];
}

export type WorkerReply =
  | { seq: number; ok: true; value: unknown }
  | { seq: number; ok: false; error: WireError };

/** Unsolicited messages from a worker. */
export type WorkerNotice = { kind: 'log'; level: LogLevel; message: string } | { kind: 'hello'; pid: number };

export type WorkerMessage = WorkerReply | WorkerNotice;

/** Narrows a message to a reply. */
export function isReply(m: WorkerMessage): m is WorkerReply {
  return typeof (m as { seq?: unknown }).seq === 'number';
}
