/**
 * Ray Data's operator selection and back-pressure (schedulers.md §2.3, §2.4) as pure functions:
 * the `ReservationOpResourceAllocator` budgets (`execution/resource_manager.py`), the
 * `ConcurrencyCap` and `ResourceBudget` policies, and `select_operator_to_run` with its liveness
 * escape and `DefaultRanker`. The streaming loop builds one {@link OperatorState} per operator each
 * step, in topology order (upstream first), and dispatches to the operator chosen here.
 * "Object store" bytes are the in-memory sizes of buffered task data on this machine.
 */

/** CPUs, GPUs and object-store bytes (Ray's `ExecutionResources`, without heap memory). */
export interface ResourceVector {
  cpu: number;
  gpu: number;
  objectStoreBytes: number;
}

/** One operator as the scheduler sees it at this step. */
export interface OperatorState {
  /** Position in the topology; the lowest index wins ranking ties. */
  index: number;
  completed: boolean;
  /** An input bundle is queued for it. */
  hasInput: boolean;
  /** Actor pool: a task slot is free; task pool: always true (Ray's `should_add_input`). */
  canAcceptInput: boolean;
  runningTasks: number;
  /** A task pool's `concurrency`; null means no cap (actor pools, uncapped task pools). */
  concurrencyCap: number | null;
  /** What it holds now: running tasks' CPUs/GPUs, and pending outputs plus queued output bytes. */
  usage: ResourceVector;
  /** What one more task would add (`incremental_resource_usage`). */
  incremental: ResourceVector;
  /** Bytes of finished output still buffered (Ray's `_mem_op_outputs`), for the output-read limit. */
  outputBufferedBytes: number;
  /** Ray's `throttling_disabled()`: such operators rank first. */
  throttlingDisabled: boolean;
}

/** Ray's `op_resource_reservation_ratio` default: half of the limits are reserved, split evenly. */
export const DEFAULT_RESERVATION_RATIO = 0.5;

/** The allocator's state for one step; arrays are aligned with the `ops` passed in. */
export interface ReservationBudgets {
  /** What each operator may still use; null for completed operators (no limit). GPU is always Infinity. */
  budgets: (ResourceVector | null)[];
  /** Each operator's reservation, its output share excluded; null when completed. */
  reserved: (ResourceVector | null)[];
  /** Object-store bytes set aside for each operator's outputs; null when completed. */
  reservedForOutputs: (number | null)[];
  /** Whether the operator's minimum (one task) could be reserved. */
  reservedMinimum: boolean[];
  /** Limits left to share after all reservations. */
  shared: ResourceVector;
}

/** A back-pressure policy that can refuse new input (Ray's defaults, less `DownstreamCapacity`). */
export type BackpressurePolicy = 'ConcurrencyCap' | 'ResourceBudget';

/** The chosen operator, its position in `ops`, and whether it was picked only by the liveness rule. */
export interface OperatorSelection {
  index: number;
  position: number;
  liveness: boolean;
}

const ZERO: ResourceVector = { cpu: 0, gpu: 0, objectStoreBytes: 0 };
/** Tolerance for sums of fractional CPUs (Ray rounds `ExecutionResources` for the same reason). */
const EPSILON = 1e-9;

function combine(a: ResourceVector, b: ResourceVector, f: (x: number, y: number) => number): ResourceVector {
  return { cpu: f(a.cpu, b.cpu), gpu: f(a.gpu, b.gpu), objectStoreBytes: f(a.objectStoreBytes, b.objectStoreBytes) };
}
const add = (a: ResourceVector, b: ResourceVector) => combine(a, b, (x, y) => x + y);
const sub = (a: ResourceVector, b: ResourceVector) => combine(a, b, (x, y) => x - y);
const max = (a: ResourceVector, b: ResourceVector) => combine(a, b, Math.max);
const atLeastZero = (a: ResourceVector) => max(a, ZERO);
const scale = (a: ResourceVector, f: number): ResourceVector => combine(a, a, (x) => x * f);
const isZero = (a: ResourceVector) => a.cpu <= 0 && a.gpu <= 0 && a.objectStoreBytes <= 0;

/** Ray's `satisfies_limit`: every component of `a` is within `limit`. */
export function fitsWithin(a: ResourceVector, limit: ResourceVector): boolean {
  return (
    a.cpu <= limit.cpu + EPSILON &&
    a.gpu <= limit.gpu + EPSILON &&
    a.objectStoreBytes <= limit.objectStoreBytes + EPSILON
  );
}

/**
 * `ReservationOpResourceAllocator`'s arithmetic over the non-completed operators (N of them):
 * - default share = limits × ratio / N; half its object-store bytes (at least 1) go to outputs;
 * - reservation = max(default share, one task's incremental usage + the output share), taken from
 *   the shared pool in topology order; one that no longer fits reserves nothing (1 output byte);
 * - shared = limits − Σ reservations;
 * - budget = max(reserved − usage, 0), and usage above the reservation comes out of the shared
 *   pool, as does all usage of completed operators;
 * - the rest of the shared pool is dealt out downstream first, remaining / (N − i) each, and an
 *   operator short of one task borrows the difference if the pool still covers it;
 * - GPU budgets are Infinity.
 * Ray's extra "× min actors" reservation for GPU actor pools is left out: the state has no pool sizes.
 */
export function reservationBudgets(
  limits: ResourceVector,
  ops: readonly OperatorState[],
  ratio: number = DEFAULT_RESERVATION_RATIO,
): ReservationBudgets {
  const n = ops.length;
  const result: ReservationBudgets = {
    budgets: new Array<ResourceVector | null>(n).fill(null),
    reserved: new Array<ResourceVector | null>(n).fill(null),
    reservedForOutputs: new Array<number | null>(n).fill(null),
    reservedMinimum: new Array<boolean>(n).fill(false),
    shared: { ...limits },
  };
  const eligible = ops.flatMap((op, position) => (op.completed ? [] : [position]));
  if (eligible.length === 0) return result;

  const defaultShare = scale(limits, ratio / eligible.length);
  let shared: ResourceVector = { ...limits };
  for (const position of eligible) {
    const op = ops[position] as OperatorState;
    const forOutputs = Math.max(Math.floor(defaultShare.objectStoreBytes / 2), 1);
    const minimum = { ...op.incremental, objectStoreBytes: op.incremental.objectStoreBytes + forOutputs };
    const total = max(defaultShare, minimum);
    if (fitsWithin(total, shared)) {
      result.reservedMinimum[position] = true;
      shared = sub(shared, total);
      result.reserved[position] = { ...total, objectStoreBytes: total.objectStoreBytes - forOutputs };
      result.reservedForOutputs[position] = forOutputs;
    } else {
      result.reserved[position] = { ...ZERO };
      result.reservedForOutputs[position] = 1;
      shared = sub(shared, { ...ZERO, objectStoreBytes: 1 });
    }
    shared = atLeastZero(shared);
  }
  result.shared = shared;

  const budgets: ResourceVector[] = [];
  let remaining = shared;
  ops.forEach((op, position) => {
    const reserved = result.reserved[position];
    if (op.completed || reserved == null) {
      remaining = sub(remaining, op.usage);
      return;
    }
    budgets[position] = atLeastZero(sub(reserved, op.usage));
    remaining = sub(remaining, atLeastZero(sub(op.usage, reserved)));
  });
  remaining = atLeastZero(remaining);

  [...eligible].reverse().forEach((position, i) => {
    const op = ops[position] as OperatorState;
    const own = budgets[position] as ResourceVector;
    let share = scale(remaining, 1 / (eligible.length - i));
    const toBorrow = atLeastZero(sub(op.incremental, add(own, share)));
    if (!isZero(toBorrow) && fitsWithin(add(share, toBorrow), remaining)) share = add(share, toBorrow);
    remaining = atLeastZero(sub(remaining, share));
    result.budgets[position] = { ...add(own, share), gpu: Infinity };
  });
  return result;
}

/**
 * One policy's `can_add_input`: ConcurrencyCap allows while running tasks < cap (no cap: always);
 * ResourceBudget allows while one more task's incremental usage fits the budget (null: no limit).
 */
export function canAddInput(policy: BackpressurePolicy, op: OperatorState, budget: ResourceVector | null): boolean {
  switch (policy) {
    case 'ConcurrencyCap':
      return op.concurrencyCap === null || op.runningTasks < op.concurrencyCap;
    case 'ResourceBudget':
      return budget === null || fitsWithin(op.incremental, budget);
    default:
      return assertNever(policy);
  }
}

/** The policies, in Ray's order, that refuse `op` new input; empty when it is not back-pressured. */
export function backpressuredBy(op: OperatorState, budget: ResourceVector | null): BackpressurePolicy[] {
  return (['ConcurrencyCap', 'ResourceBudget'] as const).filter((policy) => !canAddInput(policy, op, budget));
}

/**
 * The allocator's `max_task_output_bytes_to_read`: the operator's object-store budget plus what is
 * left of its output reservation, at least 1 byte when the next operator could not reserve its
 * minimum (so this one can finish a task and free room). Null: no limit (completed operator).
 */
export function maxTaskOutputBytesToRead(
  allocation: ReservationBudgets,
  ops: readonly OperatorState[],
  position: number,
): number | null {
  const budget = allocation.budgets[position];
  const op = ops[position];
  if (budget == null || op === undefined) return null;
  let outputsLeft = Math.max((allocation.reservedForOutputs[position] ?? 0) - op.outputBufferedBytes, 0);
  const next = ops[position + 1];
  if (next !== undefined && !next.completed && allocation.reservedMinimum[position + 1] === false) {
    outputsLeft = Math.max(outputsLeft, 1);
  }
  return budget.objectStoreBytes + outputsLeft;
}

/**
 * Ray's `select_operator_to_run`. Dispatchable: not completed, has input, can accept input.
 * Eligible: dispatchable and not back-pressured by any policy. If none is eligible, the consumer
 * is idle and no operator has a running task, the dispatchable-but-back-pressured operators are
 * candidates instead (liveness). The winner is the smallest (throttlingDisabled ? 0 : 1,
 * usage.objectStoreBytes), ties to the lowest index. `budgets` is aligned with `ops` (pass
 * `reservationBudgets(...).budgets`; null = unlimited). Returns null when nothing can run.
 */
export function selectOperatorToRun(
  ops: readonly OperatorState[],
  budgets: readonly (ResourceVector | null)[],
  options: { consumerIdle: boolean },
): OperatorSelection | null {
  const dispatchable = ops.flatMap((op, position) =>
    !op.completed && op.hasInput && op.canAcceptInput ? [position] : [],
  );
  let candidates = dispatchable.filter((position) => {
    const op = ops[position] as OperatorState;
    return backpressuredBy(op, budgets[position] ?? null).length === 0;
  });
  let liveness = false;
  if (candidates.length === 0 && options.consumerIdle && ops.every((op) => op.runningTasks === 0)) {
    candidates = dispatchable;
    liveness = true;
  }
  let best: number | undefined;
  for (const position of candidates) {
    if (best === undefined || ranksBefore(ops[position] as OperatorState, ops[best] as OperatorState)) best = position;
  }
  if (best === undefined) return null;
  return { index: (ops[best] as OperatorState).index, position: best, liveness };
}

/** `DefaultRanker`: throttling-disabled first, then least object-store usage, then lowest index. */
function ranksBefore(a: OperatorState, b: OperatorState): boolean {
  const ka = a.throttlingDisabled ? 0 : 1;
  const kb = b.throttlingDisabled ? 0 : 1;
  if (ka !== kb) return ka < kb;
  if (a.usage.objectStoreBytes !== b.usage.objectStoreBytes) return a.usage.objectStoreBytes < b.usage.objectStoreBytes;
  return a.index < b.index;
}

function assertNever(value: never): never {
  throw new Error(`unknown back-pressure policy: ${String(value)}`);
}
