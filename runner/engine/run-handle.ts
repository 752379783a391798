import { randomUUID } from 'node:crypto';
import type { Pipeline } from '../pipeline/pipeline.js';
import { EmptyTask, type Task } from '../pipeline/tasks.js';
import type { Executor, ExecutionResult, RunOptions } from './executor.js';

/** A run in progress: its id, its result, and a way to cancel it. */
export interface RunHandle {
  readonly runId: string;
  /** Resolves with the outputs and summary; rejects with StageFailedError, PlanError or RunCancelledError (each with `summary`). */
  readonly result: Promise<ExecutionResult>;
  /** Stops every worker process within a few seconds; `result` then rejects with RunCancelledError. */
  cancel(): void;
}

/** Starts a pipeline on an executor and returns at once with a handle to cancel or await it. */
export function startRun(pipeline: Pipeline, executor: Executor, options: Omit<RunOptions, 'signal'> & { initialTasks?: Task[] } = {}): RunHandle {
  const ac = new AbortController();
  const runId = options.runId ?? randomUUID();
  const { initialTasks, ...rest } = options;
  const stages = pipeline.build();
  const result = executor.execute(stages, initialTasks?.length ? initialTasks : [new EmptyTask()], { pipelineName: pipeline.name, ...rest, runId, signal: ac.signal });
  result.catch(() => undefined);
  return { runId, result, cancel: () => ac.abort() };
}
