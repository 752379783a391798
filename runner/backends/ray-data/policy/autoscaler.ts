/**
 * Ray Data's actor-pool autoscaling decision (`DefaultActorAutoscaler._derive_target_scaling_config`
 * plus the pool's scale-down debounce, `actor_pool_map_operator.py`) as a pure function: the
 * scheduling loop passes one pool's counters and the clock each step and applies the delta it gets
 * back. Constants are those of recent Ray releases (schedulers.md §2.5).
 */

/** Scale up at or above this utilisation (Ray's `actor_pool_util_upscaling_threshold`, 1.75 since PR #59512). */
export const UPSCALE_THRESHOLD = 1.75;

/** Scale down at or below this utilisation (`actor_pool_util_downscaling_threshold`). */
export const DOWNSCALE_THRESHOLD = 0.5;

/** A non-forced scale-down this many seconds or less after a scale-up is ignored (`_ACTOR_POOL_SCALE_DOWN_DEBOUNCE_PERIOD_S`). */
export const SCALE_DOWN_DEBOUNCE_S = 10;

/**
 * Tasks an actor may hold at once per unit of `max_concurrency`: Ray's default
 * `max_tasks_in_flight_per_actor` is `2 × max_concurrency`, which lets utilisation reach 2.0 and so
 * cross {@link UPSCALE_THRESHOLD}.
 */
export const MAX_TASKS_IN_FLIGHT_PER_ACTOR = 2;

/** One actor pool's state at a scheduling step. Times are seconds on the caller's clock. */
export interface ActorPoolScalingState {
  /** Actors in the pool, pending (still starting) ones included (Ray's `current_size`). */
  size: number;
  /** Actors still starting. */
  pending: number;
  /** The pool's bounds (`min_size`, `max_size`; Infinity for no upper bound). */
  min: number;
  max: number;
  /** Tasks submitted to the pool's actors and not finished. */
  tasksInFlight: number;
  /** The actors' `max_concurrency` (1 unless set in the remote args). */
  maxConcurrency: number;
  /** Input blocks queued for the operator. */
  enqueuedInputs: number;
  /** Task slots free on running actors. */
  freeSlots: number;
  /** Average input blocks per task, so free slots × this is the work the pool can take now. */
  avgInputsPerTask: number;
  /** The upstream has finished: no more inputs will arrive. */
  inputsComplete: boolean;
  /** The operator has completed. */
  completed: boolean;
  /** The operator is over its resource allocation (Ray's `under_resource_limits` false). */
  overResourceLimits: boolean;
  /** How many more actors the resource budget allows (Infinity when unbounded). */
  budgetActors: number;
  /** When the pool last scaled up, or null if it never did. */
  lastScaleUpAt: number | null;
  now: number;
}

/**
 * What to do: `delta` actors to add (positive) or remove (negative; the caller removes pending
 * actors first, then idle ones, as Ray does), or 0, and Ray's reason wording.
 */
export interface ScalingDecision {
  delta: number;
  reason: string;
}

/**
 * Ray's pool utilisation: tasks in flight / (max_concurrency × running actors), where running
 * excludes pending actors. Infinity when no actor is running yet (the recent Ray choice; some
 * versions return 0 or divide by the size including pending actors).
 */
export function poolUtilization(s: Pick<ActorPoolScalingState, 'size' | 'pending' | 'tasksInFlight' | 'maxConcurrency'>): number {
  const running = Math.max(0, s.size - s.pending);
  if (running === 0) return Infinity;
  return s.tasksInFlight / (Math.max(1, s.maxConcurrency) * running);
}

function formatUtil(util: number): string {
  return Number.isFinite(util) ? String(Math.round(util * 1000) / 1000) : 'inf';
}

/**
 * Ray's actor-pool scaling decision, checked in Ray's order:
 * 1. completed, or inputs complete with nothing queued: forced scale-down to 0 (bypasses the debounce);
 * 2. below min: up to min; 3. above max: down to max;
 * 4. utilisation ≥ 1.75: +1, unless the queued inputs fit the free slots
 *    (enqueued ≤ freeSlots × avgInputsPerTask), an actor is pending, the pool is at max, the
 *    operator is over its resource limits or the budget allows no more actors;
 * 5. utilisation ≤ 0.5: −1 while above min;
 * otherwise no change. Every non-forced scale-down (3 and 5) within
 * {@link SCALE_DOWN_DEBOUNCE_S} seconds of the last scale-up, boundary included, becomes 0.
 */
export function decideActorPoolScaling(s: ActorPoolScalingState): ScalingDecision {
  if (s.completed || (s.inputsComplete && s.enqueuedInputs === 0)) {
    return { delta: 0 - s.size, reason: 'consumed all inputs' }; // 0 - 0 is +0, not -0
  }
  if (s.size < s.min) return { delta: s.min - s.size, reason: 'pool below min size' };
  if (s.size > s.max) return debounced(s, { delta: -(s.size - s.max), reason: 'pool exceeding max size' });

  const util = poolUtilization(s);
  if (util >= UPSCALE_THRESHOLD) {
    if (s.enqueuedInputs <= s.freeSlots * s.avgInputsPerTask) {
      return { delta: 0, reason: 'free task slots cover the queued inputs' };
    }
    if (s.pending > 0) return { delta: 0, reason: 'pending actors' };
    if (s.size >= s.max) return { delta: 0, reason: 'reached max size' };
    if (s.overResourceLimits) return { delta: 0, reason: 'operator exceeding resource quota' };
    if (!(s.budgetActors >= 1)) return { delta: 0, reason: 'exceeded resource limits' };
    return { delta: 1, reason: `utilization of ${formatUtil(util)} >= ${UPSCALE_THRESHOLD}` };
  }
  if (util <= DOWNSCALE_THRESHOLD) {
    if (s.size <= s.min) return { delta: 0, reason: 'reached min size' };
    return debounced(s, { delta: -1, reason: `utilization of ${formatUtil(util)} <= ${DOWNSCALE_THRESHOLD}` });
  }
  return {
    delta: 0,
    reason: `utilization of ${formatUtil(util)} w/in limits [${DOWNSCALE_THRESHOLD}, ${UPSCALE_THRESHOLD}]`,
  };
}

/** The pool's debounce (`_can_apply`): a scale-down at or before lastScaleUpAt + 10 s is dropped. */
function debounced(s: ActorPoolScalingState, decision: ScalingDecision): ScalingDecision {
  if (s.lastScaleUpAt !== null && s.now <= s.lastScaleUpAt + SCALE_DOWN_DEBOUNCE_S) {
    const since = Math.round((s.now - s.lastScaleUpAt) * 1000) / 1000;
    return {
      delta: 0,
      reason: `${decision.reason}; ignored: last scale-up was ${since} s ago (debounce ${SCALE_DOWN_DEBOUNCE_S} s)`,
    };
  }
  return decision;
}
