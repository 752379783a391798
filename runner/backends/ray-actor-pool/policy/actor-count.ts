/**
 * How many actors the RayActorPool backend starts for one stage: NeMo Curator's
 * `calculate_optimal_actors_for_stage` (`backends/ray_actor_pool/utils.py`) as a pure function of
 * what the machine has left, what the user reserved, the stage's request and the number of input
 * tasks. The caller measures the machine and logs the warning; nothing here reads the system.
 */

/**
 * The bound NeMo Curator uses when a stage asks for none of a resource (`_LARGE_INT = 2**31 - 1`):
 * that resource then never limits the actor count.
 */
export const UNLIMITED_ACTORS = 2 ** 31 - 1;

/** The stage fields the formula reads (NeMo Curator's `resources`, `num_workers()`, `batch_size`). */
export interface ActorCountStage {
  name: string;
  /** CPUs per actor; 0 means the CPU count does not limit the pool. */
  cpus: number;
  /** GPUs per actor; 0 means the GPU count does not limit the pool. */
  gpus: number;
  /** `num_workers()`: a positive value asks for exactly that many actors. */
  numWorkers: number | null;
  /** Tasks per actor call; null or <= 0 counts every task as its own batch. */
  batchSize: number | null;
}

/** Inputs of {@link calculateOptimalActorsForStage}; mirrors the upstream arguments. */
export interface ActorCountProblem {
  /** CPUs available now (Ray's `available_resources()`, head node already excluded if asked). */
  availableCpus: number;
  availableGpus: number;
  /** The executor's `reserved_cpus` / `reserved_gpus` config, held back for the system. */
  reservedCpus: number;
  reservedGpus: number;
  stage: ActorCountStage;
  /** Number of tasks the stage will receive. */
  numTasks: number;
}

/** The actor count and, when `num_workers` had to be capped, the warning upstream logs. */
export interface ActorCountResult {
  actors: number;
  warning: string | null;
}

/**
 * No actor of the stage fits in what is left of the machine (upstream raises
 * `ValueError("No resources available for stage <name>.")`). The message also says what the stage
 * asked for, what was left and how to fix it.
 */
export class NoResourcesError extends Error {
  override name = 'NoResourcesError';
  constructor(
    readonly stage: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A stage received no tasks, so the stage-by-stage RayActorPool loop stops (upstream raises
 * `ValueError("<stage> - No tasks to process, can't continue")` before sizing the pool).
 */
export class NoTasksError extends Error {
  override name = 'NoTasksError';
  constructor(readonly stage: string) {
    super(`${stage} - No tasks to process, can't continue`);
  }
}

/** NeMo Curator's message for a stage that gets no input tasks: "<stage> - No tasks to process, can't continue". */
export function noTasksError(stageName: string): NoTasksError {
  return new NoTasksError(stageName);
}

/**
 * Python's `a // b` for floats (CPython's `float_floor_div`), so fractional requests give the same
 * counts as NeMo Curator: `1.0 // 0.1` is 9 there (0.1 is stored slightly above a tenth), where
 * `Math.floor(1 / 0.1)` rounds to 10 first. `b` must be positive.
 */
export function pythonFloorDiv(a: number, b: number): number {
  const mod = a % b; // JavaScript's % on doubles is C's fmod: exact
  let div = (a - mod) / b;
  if (mod !== 0 && (b < 0) !== (mod < 0)) div -= 1;
  if (div === 0) return 0;
  let floored = Math.floor(div);
  if (div - floored > 0.5) floored += 1;
  return floored;
}

/** Actors the machine can hold for one resource: floor(available / per-actor), or unlimited when the stage asks none. */
function capFor(available: number, perActor: number): number {
  return perActor > 0 ? pythonFloorDiv(available, perActor) : UNLIMITED_ACTORS;
}

function formatAmount(value: number, unit: string): string {
  return `${value} ${unit}${value === 1 ? '' : 's'}`;
}

/**
 * NeMo Curator's `calculate_optimal_actors_for_stage`, step by step:
 * 1. left = max(0, available − reserved), per resource;
 * 2. cap = min(floor(leftCpus / cpus), floor(leftGpus / gpus)), a resource the stage asks 0 of
 *    counting as 2^31 − 1 (Python float floor division, see {@link pythonFloorDiv});
 * 3. cap 0 throws {@link NoResourcesError};
 * 4. num_workers > 0 gives min(num_workers, cap), with upstream's warning when capped;
 * 5. otherwise batches = ceil(numTasks / batchSize) (batchSize null or <= 0: numTasks) and the
 *    count is max(1, min(batches, cap)), or 0 when there are no tasks.
 */
export function calculateOptimalActorsForStage(p: ActorCountProblem): ActorCountResult {
  const { stage } = p;
  const cpusLeft = Math.max(0, p.availableCpus - p.reservedCpus);
  const gpusLeft = Math.max(0, p.availableGpus - p.reservedGpus);
  const maxByCpu = capFor(cpusLeft, stage.cpus);
  const maxByGpu = capFor(gpusLeft, stage.gpus);
  const cap = Math.min(maxByCpu, maxByGpu);

  if (cap <= 0) {
    throw new NoResourcesError(
      stage.name,
      `No resources available for stage ${stage.name}: each actor asks for ` +
        `${formatAmount(stage.cpus, 'CPU')} and ${formatAmount(stage.gpus, 'GPU')}, but only ` +
        `${formatAmount(cpusLeft, 'CPU')} and ${formatAmount(gpusLeft, 'GPU')} are left ` +
        `(${formatAmount(p.availableCpus, 'CPU')} and ${formatAmount(p.availableGpus, 'GPU')} available, ` +
        `reserved_cpus=${p.reservedCpus}, reserved_gpus=${p.reservedGpus}). ` +
        `Lower the stage's resources, lower reserved_cpus/reserved_gpus, or free the machine.`,
    );
  }

  const numWorkers = stage.numWorkers;
  if (numWorkers !== null && numWorkers > 0) {
    if (numWorkers > cap) {
      return {
        actors: cap,
        warning:
          `Stage ${stage.name} requires ${numWorkers} actors from num_workers(), ` +
          `but only ${cap} fit with available resources. Capping actor count to ${cap}.`,
      };
    }
    return { actors: numWorkers, warning: null };
  }

  if (p.numTasks <= 0) return { actors: 0, warning: null };
  const batchSize = stage.batchSize;
  const batches = batchSize !== null && batchSize > 0 ? Math.ceil(p.numTasks / batchSize) : p.numTasks;
  return { actors: Math.max(1, Math.min(batches, cap)), warning: null };
}
