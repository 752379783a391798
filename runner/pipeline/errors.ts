/** Typed errors shared by the model, the engine and the CLI. Each says what went wrong and where. */

/** A pipeline file, a stage's parameters or an API call was invalid. Exit status 2 in the CLI. */
export class ValidationError extends Error {
  override name = 'ValidationError';
  /** Every problem found, one human sentence each, naming the file, line, stage or parameter. */
  readonly problems: string[];
  constructor(problems: string[], options?: { cause?: unknown }) {
    super(problems.length === 1 ? (problems[0] ?? 'invalid input') : `${problems.length} problems:\n  - ${problems.join('\n  - ')}`, options);
    this.problems = problems;
  }
}

/** The machine cannot host what the pipeline asks for (GPU requests). Raised at plan time, before any worker starts. */
export class PlanError extends ValidationError {
  override name = 'PlanError';
}

/** A stage failed while processing a batch; carries the stage, the task id and the stage's own message. */
export class StageFailedError extends Error {
  override name = 'StageFailedError';
  constructor(
    readonly stage: string,
    readonly taskId: string | null,
    readonly stageMessage: string,
    readonly stageStack: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(`stage "${stage}" failed${taskId ? ` on task ${taskId}` : ''}: ${stageMessage}`, options);
  }
}

/** A stage's setup() failed in a worker, so the stage can never run. */
export class StageSetupError extends StageFailedError {
  override name = 'StageSetupError';
  constructor(stage: string, stageMessage: string, stageStack: string | null = null) {
    super(stage, null, stageMessage, stageStack);
    this.message = `stage "${stage}" failed in setup: ${stageMessage}`;
  }
}

/** The run was cancelled (SIGINT in the CLI, cancel() in the API). Exit status 130 in the CLI. */
export class RunCancelledError extends Error {
  override name = 'RunCancelledError';
  constructor(message = 'the run was cancelled') {
    super(message);
  }
}

/** An error as it crosses a process boundary. */
export interface WireError {
  name: string;
  message: string;
  stack: string | null;
  /** The stage that threw, when a worker runs several fused stages. */
  stage?: string;
  /** The first task that stage was given, when it is not the batch's first task. */
  task_id?: string | null;
}

/** Turns any thrown value into a WireError; `unknown`, never `any`. */
export function toWireError(err: unknown): WireError {
  if (err instanceof Error) {
    const { stage, task_id } = err as Error & { stage?: unknown; task_id?: unknown };
    return { name: err.name, message: err.message, stack: err.stack ?? null, ...(typeof stage === 'string' ? { stage } : {}), ...(typeof task_id === 'string' ? { task_id } : {}) };
  }
  return { name: 'Error', message: typeof err === 'string' ? err : JSON.stringify(err), stack: null };
}

/** Fails the build on a missing case of an exhaustive switch. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
