/**
 * Xenna's fragmentation-based autoscaler (`run_fragmentation_autoscaler`) for one machine: a pure
 * function from the pipeline's stages, their measurements and current worker counts to the
 * worker counts and slots per worker the engine should move to. Four phases, in Xenna's order:
 * pinned counts, one worker per stage, max-min balancing with donors, then headroom.
 */
import { MachinePlacement, describeRequest, seedRank, workerShape, type WorkerShape } from './placement.js';

/** Xenna phase 4's headroom: stages may grow to this multiple of the slowest throughput. */
export const OVERALLOCATION_TARGET = 1.5;

/** Xenna's floor on task slots per worker (`min_slots`), also the default `slots_per_actor`. */
export const MIN_SLOTS_PER_WORKER = 2;

/** Xenna's `min_scheduling_algorithm_rate_hz`: slots cover this long a gap between scheduler passes. */
const MIN_SCHEDULING_RATE_HZ = 1.0;

/** One stage as the autoscaler sees it: its shape, its measurements and what it has now. */
export interface AllocationStage {
  name: string;
  batch_size: number;
  /** CPUs per worker; for a whole-GPU worker, CPUs per GPU (Xenna's `Resources.to_shape`). */
  cpus: number;
  /** 0, a fraction in (0, 1) that packs onto a shared device, or a whole number of free devices. */
  gpus: number;
  /** NeMo Curator's `num_workers`: Xenna phase 1 keeps exactly this many. */
  requested_workers?: number;
  /** Measured batches per second per worker; undefined means unknown and counts as 1. */
  speed?: number;
  /** Measured outputs per batch; undefined or <= 0 counts as `batch_size`. */
  returns_per_batch?: number;
  current_workers?: number;
  current_slots?: number;
  /** Measured speed is divided by this before solving (> 1 gives the stage more workers). */
  over_provision_factor?: number;
  finished?: boolean;
}

/** The machine (CPUs, whole GPU devices) and the pipeline's stages in order. */
export interface AllocationProblem {
  cpus: number;
  gpus: number;
  stages: AllocationStage[];
}

/** Target worker count and slots per worker, one entry per stage, in stage order. */
export interface AllocationResult {
  workers: number[];
  slots_per_worker: number[];
}

/** Tuning that Xenna passes to the solver; batch mode runs it with `overallocationTarget` 1.0. */
export interface SolveOptions {
  overallocationTarget?: number;
}

/** Why a solve failed: bad input, current workers that no longer fit, phase 1 or phase 2. */
export type AllocationFailure = 'invalid' | 'current' | 'pinned' | 'minimum';

/**
 * The machine cannot host what a stage needs (Xenna phases 1 and 2 raise the same). The message
 * names the stage, what did not fit, the machine's usage and what would fix it.
 */
export class AllocationError extends Error {
  override name = 'AllocationError';
  constructor(
    readonly stage: string,
    readonly failure: AllocationFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

interface SolverStage {
  index: number;
  name: string;
  shape: WorkerShape;
  speed: number;
  batchSize: number;
  /** Samples reaching this stage per pipeline-input sample (the fan-out chain). */
  k: number;
  workers: number;
  pinned: number | undefined;
  finished: boolean;
}

/** Pipeline-input samples per second the stage would sustain with `workers` workers. */
function throughput(s: SolverStage, workers = s.workers): number {
  return ((workers * s.speed) / s.k) * s.batchSize;
}

function invalid(stage: AllocationStage, what: string): AllocationError {
  return new AllocationError(stage.name, 'invalid', `stage "${stage.name}": ${what}`);
}

/** Speed after Xenna's over-provision adjustment, which applies only to a measured speed. */
function adjustedSpeed(stage: AllocationStage): number | undefined {
  if (stage.speed === undefined) return undefined;
  return stage.speed / (stage.over_provision_factor ?? 1);
}

/**
 * Xenna's `calculate_num_slots_per_worker_for_all_stages`, on the worker counts before this solve:
 * if any stage's speed is unknown every stage keeps its slots as given (no floor of 2 on that
 * path, as in Xenna); otherwise, with `pipe` the smallest
 * `workers x speed` over all stages (finished and pinned included, so a stage with no workers
 * makes it 0), each stage with workers needs `ceil(2 x pipe / workers)` and gets at least that,
 * its current slots and 2 — so slots never go down.
 */
export function slotsPerWorker(stages: readonly AllocationStage[]): number[] {
  const current = stages.map((s) => s.current_slots ?? MIN_SLOTS_PER_WORKER);
  const speeds = stages.map(adjustedSpeed);
  if (speeds.some((v) => v === undefined)) return current;
  if (stages.length === 0) return [];
  let pipe = Infinity;
  stages.forEach((s, i) => {
    pipe = Math.min(pipe, (s.current_workers ?? 0) * (speeds[i] ?? 0));
  });
  if (!Number.isFinite(pipe)) pipe = 0;
  const tasksPerLoop = pipe / MIN_SCHEDULING_RATE_HZ;
  return stages.map((s, i) => {
    const workers = s.current_workers ?? 0;
    const now = current[i] ?? MIN_SLOTS_PER_WORKER;
    const need = workers > 0 ? Math.ceil((2 * tasksPerLoop) / workers) : now;
    return Math.max(need, now, MIN_SLOTS_PER_WORKER);
  });
}

function prepare(stages: readonly AllocationStage[]): SolverStage[] {
  let k = 1;
  return stages.map((stage, index) => {
    let shape: WorkerShape;
    try {
      shape = workerShape(stage.cpus, stage.gpus);
    } catch (err: unknown) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new AllocationError(stage.name, 'invalid', `stage "${stage.name}": ${reason}; fix its resources`, { cause: err });
    }
    if (!(stage.batch_size >= 1)) throw invalid(stage, `batch_size must be >= 1, got ${stage.batch_size}`);
    if (stage.speed !== undefined && !(stage.speed >= 0 && Number.isFinite(stage.speed))) {
      throw invalid(stage, `speed must be a finite number >= 0, got ${stage.speed}`);
    }
    const opf = stage.over_provision_factor ?? 1;
    if (!(opf > 0 && Number.isFinite(opf))) throw invalid(stage, `over_provision_factor must be > 0, got ${opf}`);
    const pinned = stage.requested_workers;
    if (pinned !== undefined && !(Number.isInteger(pinned) && pinned >= 0)) {
      throw invalid(stage, `num_workers must be a whole number >= 0, got ${pinned}`);
    }
    const current = stage.current_workers ?? 0;
    if (!(Number.isInteger(current) && current >= 0)) throw invalid(stage, `current_workers must be a whole number >= 0, got ${current}`);
    // Chain normalisation (Rust `calculate_input_samples_per_sample`): k[i] is the product of the
    // upstream returns-per-batch / batch-size ratios. The May-2025 Python multiplied throughput
    // by k; the Rust solver divides, which is what pipeline-input samples per second needs.
    const stageK = k;
    const returns = stage.returns_per_batch !== undefined && stage.returns_per_batch > 0 ? stage.returns_per_batch : stage.batch_size;
    k *= returns / stage.batch_size;
    return {
      index,
      name: stage.name,
      shape,
      speed: adjustedSpeed(stage) ?? 1,
      batchSize: stage.batch_size,
      k: stageK,
      workers: 0,
      pinned,
      finished: stage.finished === true,
    };
  });
}

/**
 * Solves Xenna's allocation problem on one machine.
 *
 * Seed: every unfinished stage's current workers are placed first. Xenna phase 1: a stage with
 * `requested_workers` gets exactly that many (AllocationError `pinned` if they do not fit).
 * Xenna phase 2: every other unfinished stage with no worker gets one (AllocationError `minimum`).
 * Xenna phase 3: repeatedly add a worker to the slowest autoscaled stage (ties: lowest index);
 * when it does not fit, take one from the donor with the highest throughput after losing it,
 * among stages with more than one worker that would stay faster than the slowest; stop when no
 * donor is left. Xenna phase 4: with the slowest throughput at the start as base, add workers,
 * slowest first, to stages whose next worker keeps them within `base x 1.5`, dropping stages
 * that no longer fit. Slots come from `slotsPerWorker` on the counts before the solve.
 *
 * Finished stages end with 0 workers and their resources are free for the others. Xenna's solver
 * leaves a finished stage untouched, but its main loop stops that stage's pool as soon as it is
 * done (`streaming.py`, `ActorPool.stop` releases the allocations), so every later solve sees it
 * with no workers; answering 0 here gives the engine that outcome from one source.
 */
export function solveAllocation(problem: AllocationProblem, options: SolveOptions = {}): AllocationResult {
  const target = options.overallocationTarget ?? OVERALLOCATION_TARGET;
  const inputs = problem.stages;
  const slots = slotsPerWorker(inputs);
  const stages = prepare(inputs);
  const machine = new MachinePlacement(problem.cpus, problem.gpus);

  const add = (s: SolverStage): boolean => {
    if (!machine.tryAdd(s.index, s.shape)) return false;
    s.workers += 1;
    return true;
  };
  const remove = (s: SolverStage): void => {
    machine.removeOne(s.index);
    s.workers -= 1;
  };
  const input = (s: SolverStage): AllocationStage => inputs[s.index] as AllocationStage;

  const seeding = stages.filter((s) => !s.finished).sort((a, b) => seedRank(a.shape) - seedRank(b.shape) || a.index - b.index);
  for (const s of seeding) {
    const current = input(s).current_workers ?? 0;
    while (s.workers < current) {
      if (!add(s)) {
        throw new AllocationError(
          s.name,
          'current',
          `stage "${s.name}": its ${current} current workers (${describeRequest(input(s).cpus, input(s).gpus)} each) do not fit on this machine ` +
            `(${machine.describe()} in use after ${s.workers}); report the workers that are really running`,
        );
      }
    }
  }

  // Xenna phase 1: pinned counts.
  for (const s of stages) {
    if (s.finished || s.pinned === undefined) continue;
    while (s.workers < s.pinned) {
      if (!add(s)) {
        throw new AllocationError(
          s.name,
          'pinned',
          `stage "${s.name}" asks for num_workers=${s.pinned} but only ${s.workers} fit on this machine ` +
            `(${machine.describe()} in use; each worker needs ${describeRequest(input(s).cpus, input(s).gpus)}); lower num_workers or the stage's resources`,
        );
      }
    }
    while (s.workers > s.pinned) remove(s);
  }

  // Xenna phase 2: one worker for every autoscaled stage.
  for (const s of stages) {
    if (s.finished || s.pinned !== undefined || s.workers >= 1) continue;
    if (!add(s)) {
      throw new AllocationError(
        s.name,
        'minimum',
        `stage "${s.name}" cannot get even one worker (${describeRequest(input(s).cpus, input(s).gpus)}) on this machine ` +
          `(${machine.describe()} in use); lower the stage's resources or num_workers on other stages`,
      );
    }
  }

  const active = stages.filter((s) => !s.finished && s.pinned === undefined);
  if (active.length === 0) return { workers: stages.map((s) => s.workers), slots_per_worker: slots };

  // Xenna phase 3: max-min balancing. Strict comparisons keep the first stage on ties, as Rust's
  // `min_by` and its stable descending sort of donors do.
  for (;;) {
    let slowest = active[0] as SolverStage;
    for (const s of active) if (throughput(s) < throughput(slowest)) slowest = s;
    const minThroughput = throughput(slowest);
    if (add(slowest)) continue;
    let donor: SolverStage | undefined;
    let donorThroughput = -Infinity;
    for (const d of active) {
      if (d === slowest || d.workers <= 1) continue;
      const after = throughput(d, d.workers - 1);
      if (after > minThroughput && after > donorThroughput) {
        donor = d;
        donorThroughput = after;
      }
    }
    if (donor === undefined) break;
    remove(donor);
  }

  // Xenna phase 4: headroom up to `target` times the slowest throughput at the start of the phase.
  const base = Math.min(...active.map((s) => throughput(s)));
  let open = active.slice();
  for (;;) {
    const candidates = open.filter((s) => throughput(s, s.workers + 1) <= base * target);
    if (candidates.length === 0) break;
    candidates.sort((a, b) => throughput(a) - throughput(b));
    const full = new Set<SolverStage>();
    let added = false;
    for (const s of candidates) {
      if (add(s)) {
        added = true;
        break;
      }
      full.add(s);
    }
    if (!added) break;
    open = open.filter((s) => !full.has(s));
  }

  return { workers: stages.map((s) => s.workers), slots_per_worker: slots };
}
