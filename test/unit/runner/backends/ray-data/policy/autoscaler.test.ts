import { describe, expect, it } from 'vitest';
import {
  DOWNSCALE_THRESHOLD,
  MAX_TASKS_IN_FLIGHT_PER_ACTOR,
  SCALE_DOWN_DEBOUNCE_S,
  UPSCALE_THRESHOLD,
  decideActorPoolScaling,
  poolUtilization,
  type ActorPoolScalingState,
} from '../../../../../../runner/backends/ray-data/policy/autoscaler.js';

/** 4 running actors, max_concurrency 1, 8 tasks in flight (util 2.0), 20 queued blocks, no free slot. */
function busyPool(extra: Partial<ActorPoolScalingState> = {}): ActorPoolScalingState {
  return {
    size: 4,
    pending: 0,
    min: 1,
    max: Infinity,
    tasksInFlight: 8,
    maxConcurrency: 1,
    enqueuedInputs: 20,
    freeSlots: 0,
    avgInputsPerTask: 1,
    inputsComplete: false,
    completed: false,
    overResourceLimits: false,
    budgetActors: Infinity,
    lastScaleUpAt: null,
    now: 0,
    ...extra,
  };
}

describe('constants', () => {
  it('are Ray’s current defaults', () => {
    expect([UPSCALE_THRESHOLD, DOWNSCALE_THRESHOLD, SCALE_DOWN_DEBOUNCE_S, MAX_TASKS_IN_FLIGHT_PER_ACTOR]).toEqual([1.75, 0.5, 10, 2]);
  });
});

describe('schedulers.md §4 item 5: upscale one actor per tick, none while pending, debounced scale-down', () => {
  it('adds +1 per tick, waits while the new actor is pending, then adds again', () => {
    // Tick 1 at t=0: util 8 / (1 × 4) = 2.0 >= 1.75 and 20 queued > 0 free slots.
    const first = decideActorPoolScaling(busyPool({ now: 0 }));
    expect(first).toEqual({ delta: 1, reason: 'utilization of 2 >= 1.75' });

    // Tick 2 at t=0.1: the fifth actor is pending; util stays 8 / (1 × 4) = 2.0.
    expect(decideActorPoolScaling(busyPool({ size: 5, pending: 1, lastScaleUpAt: 0, now: 0.1 }))).toEqual({
      delta: 0,
      reason: 'pending actors',
    });

    // Tick 3 at t=0.2: it is running and busy: 10 / (1 × 5) = 2.0 -> +1 again.
    expect(decideActorPoolScaling(busyPool({ size: 5, tasksInFlight: 10, lastScaleUpAt: 0, now: 0.2 })).delta).toBe(1);
  });

  it('ignores a scale-down at util 0.25 issued 5 s after the upscale, and applies it at 11 s', () => {
    // 1 task on 4 running actors: 1 / 4 = 0.25 <= 0.5.
    const idle = (now: number) => busyPool({ tasksInFlight: 1, enqueuedInputs: 0, lastScaleUpAt: 100, now });
    const at5 = decideActorPoolScaling(idle(105));
    expect(at5.delta).toBe(0);
    expect(at5.reason).toContain('utilization of 0.25 <= 0.5; ignored');
    expect(decideActorPoolScaling(idle(111))).toEqual({ delta: -1, reason: 'utilization of 0.25 <= 0.5' });
  });

  it('treats exactly 10 s after the upscale as still inside the debounce (Ray compares with <=)', () => {
    const at10 = busyPool({ tasksInFlight: 1, enqueuedInputs: 0, lastScaleUpAt: 100, now: 110 });
    expect(decideActorPoolScaling(at10).delta).toBe(0);
  });
});

describe('forced scale-down', () => {
  it('releases every actor when the operator completed, even right after an upscale', () => {
    expect(decideActorPoolScaling(busyPool({ completed: true, lastScaleUpAt: 0, now: 1 }))).toEqual({
      delta: -4,
      reason: 'consumed all inputs',
    });
  });

  it('releases every actor once inputs are complete and nothing is queued', () => {
    expect(decideActorPoolScaling(busyPool({ inputsComplete: true, enqueuedInputs: 0, lastScaleUpAt: 0, now: 1 })).delta).toBe(-4);
  });

  it('keeps going while queued inputs remain after the upstream finished', () => {
    expect(decideActorPoolScaling(busyPool({ inputsComplete: true, enqueuedInputs: 3 })).delta).toBe(1);
  });

  it('gives +0 for an already empty pool', () => {
    expect(Object.is(decideActorPoolScaling(busyPool({ size: 0, completed: true })).delta, 0)).toBe(true);
  });
});

describe('bounds', () => {
  it('scales straight up to min', () => {
    expect(decideActorPoolScaling(busyPool({ size: 1, min: 3, tasksInFlight: 0 }))).toEqual({
      delta: 2,
      reason: 'pool below min size',
    });
  });

  it('scales down to max, subject to the debounce', () => {
    expect(decideActorPoolScaling(busyPool({ size: 6, max: 4 }))).toEqual({ delta: -2, reason: 'pool exceeding max size' });
    expect(decideActorPoolScaling(busyPool({ size: 6, max: 4, lastScaleUpAt: 0, now: 3 })).delta).toBe(0);
  });

  it('does not grow past max', () => {
    expect(decideActorPoolScaling(busyPool({ max: 4 }))).toEqual({ delta: 0, reason: 'reached max size' });
  });

  it('does not shrink below min', () => {
    expect(decideActorPoolScaling(busyPool({ min: 4, tasksInFlight: 0 }))).toEqual({ delta: 0, reason: 'reached min size' });
  });
});

describe('upscale guards', () => {
  it('waits while free slots × avgInputsPerTask cover the queue: 4 <= 2 × 2, but 5 > 4', () => {
    expect(decideActorPoolScaling(busyPool({ enqueuedInputs: 4, freeSlots: 2, avgInputsPerTask: 2 })).delta).toBe(0);
    expect(decideActorPoolScaling(busyPool({ enqueuedInputs: 5, freeSlots: 2, avgInputsPerTask: 2 })).delta).toBe(1);
  });

  it('respects resource limits and the budget', () => {
    expect(decideActorPoolScaling(busyPool({ overResourceLimits: true })).reason).toBe('operator exceeding resource quota');
    expect(decideActorPoolScaling(busyPool({ budgetActors: 0 }))).toEqual({ delta: 0, reason: 'exceeded resource limits' });
    expect(decideActorPoolScaling(busyPool({ budgetActors: 1 })).delta).toBe(1);
  });

  it('scales up exactly at 1.75 and down exactly at 0.5', () => {
    // 7 / 4 = 1.75; 2 / 4 = 0.5.
    expect(decideActorPoolScaling(busyPool({ tasksInFlight: 7 })).delta).toBe(1);
    expect(decideActorPoolScaling(busyPool({ tasksInFlight: 2 })).delta).toBe(-1);
  });

  it('holds between the thresholds', () => {
    // 6 / 4 = 1.5.
    expect(decideActorPoolScaling(busyPool({ tasksInFlight: 6 }))).toEqual({
      delta: 0,
      reason: 'utilization of 1.5 w/in limits [0.5, 1.75]',
    });
  });

  it('divides by max_concurrency: 8 tasks on 4 actors of concurrency 2 is util 1.0', () => {
    expect(decideActorPoolScaling(busyPool({ maxConcurrency: 2 })).delta).toBe(0);
  });
});

describe('poolUtilization', () => {
  it('counts only running actors and is infinite when none runs', () => {
    expect(poolUtilization({ size: 5, pending: 1, tasksInFlight: 8, maxConcurrency: 1 })).toBe(2);
    expect(poolUtilization({ size: 2, pending: 2, tasksInFlight: 0, maxConcurrency: 1 })).toBe(Infinity);
  });

  it('an all-pending pool at infinite utilisation waits for its actors instead of adding more', () => {
    expect(decideActorPoolScaling(busyPool({ size: 2, pending: 2, tasksInFlight: 0 }))).toEqual({
      delta: 0,
      reason: 'pending actors',
    });
  });
});
