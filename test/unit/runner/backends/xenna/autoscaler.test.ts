import { describe, expect, it } from 'vitest';
import {
  AllocationError,
  solveAllocation,
  slotsPerWorker,
  type AllocationProblem,
  type AllocationStage,
} from '../../../../../runner/backends/xenna/autoscaler.js';
import { MachinePlacement, workerShape } from '../../../../../runner/backends/xenna/placement.js';

function stage(name: string, extra: Partial<AllocationStage> = {}): AllocationStage {
  return { name, batch_size: 1, cpus: 1, gpus: 0, ...extra };
}

function solve(problem: AllocationProblem): number[] {
  return solveAllocation(problem).workers;
}

function allocationError(fn: () => unknown): AllocationError {
  try {
    fn();
  } catch (err: unknown) {
    if (err instanceof AllocationError) return err;
    throw err;
  }
  throw new Error('expected an AllocationError, but the solve succeeded');
}

describe('first solve without measurements', () => {
  it('equalises workers x batch_size and fills the machine', () => {
    // Speeds default to 1 and returns to batch_size, so throughput = workers x batch_size.
    expect(solve({ cpus: 12, gpus: 0, stages: [stage('a'), stage('b', { batch_size: 2 })] })).toEqual([8, 4]);
  });

  it('balances three batch sizes greedily until no CPU is left', () => {
    const workers = solve({
      cpus: 12,
      gpus: 0,
      stages: [stage('a'), stage('b', { batch_size: 2 }), stage('c', { batch_size: 4 })],
    });
    expect(workers).toEqual([7, 3, 2]);
    expect(workers.reduce((a, b) => a + b, 0)).toBe(12);
  });
});

describe('chain normalisation', () => {
  it('gives a stage behind a 10x fan-out ten times the workers', () => {
    const workers = solve({
      cpus: 22,
      gpus: 0,
      stages: [stage('split', { returns_per_batch: 10 }), stage('embed')],
    });
    expect(workers).toEqual([2, 20]);
  });

  it('treats a non-positive returns_per_batch as batch_size', () => {
    const workers = solve({ cpus: 12, gpus: 0, stages: [stage('a', { returns_per_batch: 0 }), stage('b')] });
    expect(workers).toEqual([6, 6]);
  });
});

describe('Xenna phase 1: pinned counts', () => {
  it('keeps a pinned stage at exactly num_workers and lets the others fill the rest', () => {
    const stages = [stage('pinned', { cpus: 2, requested_workers: 3 }), stage('auto')];
    expect(solve({ cpus: 10, gpus: 0, stages })).toEqual([3, 4]);
  });

  it('removes workers above the pinned count', () => {
    const stages = [stage('pinned', { cpus: 2, requested_workers: 3, current_workers: 5 }), stage('auto')];
    expect(solve({ cpus: 10, gpus: 0, stages })).toEqual([3, 4]);
  });

  it('fails naming the stage when the pinned count does not fit', () => {
    const err = allocationError(() =>
      solveAllocation({ cpus: 10, gpus: 0, stages: [stage('embed', { cpus: 2, requested_workers: 6 }), stage('auto')] }),
    );
    expect(err.stage).toBe('embed');
    expect(err.failure).toBe('pinned');
    expect(err.message).toMatch(/"embed".*num_workers=6.*only 5 fit/);
  });
});

describe('Xenna phase 2: one worker per stage', () => {
  it('fails naming the stage that cannot get a single worker', () => {
    const err = allocationError(() =>
      solveAllocation({ cpus: 10, gpus: 0, stages: [stage('big', { cpus: 2, requested_workers: 5 }), stage('starved')] }),
    );
    expect(err.stage).toBe('starved');
    expect(err.failure).toBe('minimum');
  });

  it('fails for a GPU stage on a machine without GPUs', () => {
    const err = allocationError(() => solveAllocation({ cpus: 8, gpus: 0, stages: [stage('read'), stage('caption', { gpus: 1 })] }));
    expect(err.stage).toBe('caption');
    expect(err.message).toContain('1 whole GPU');
  });
});

describe('Xenna phase 3: max-min balancing', () => {
  it('breaks throughput ties in favour of the lowest stage index', () => {
    expect(solve({ cpus: 3, gpus: 0, stages: [stage('first'), stage('second')] })).toEqual([2, 1]);
  });

  it('moves workers from a fast stage (5 ms) to a slow one (50 ms) when the machine is full', () => {
    const stages = [stage('fast', { speed: 200, current_workers: 6 }), stage('slow', { speed: 20, current_workers: 6 })];
    expect(solve({ cpus: 12, gpus: 0, stages })).toEqual([2, 10]);
  });

  it('reaches the same split from an empty machine', () => {
    const stages = [stage('fast', { speed: 200 }), stage('slow', { speed: 20 })];
    expect(solve({ cpus: 12, gpus: 0, stages })).toEqual([2, 10]);
  });

  it('never takes a donor below one worker', () => {
    const stages = [stage('fast', { speed: 1000, current_workers: 3 }), stage('slow', { speed: 1, current_workers: 1 })];
    expect(solve({ cpus: 4, gpus: 0, stages })).toEqual([1, 3]);
  });

  it('takes from the donor with the highest throughput after removal', () => {
    // a would drop to 10 and b to 20: b gives first; then a (10) is no longer above c's 10.
    const stages = [
      stage('a', { speed: 10, current_workers: 2 }),
      stage('b', { speed: 20, current_workers: 2 }),
      stage('c', { speed: 5, current_workers: 1 }),
    ];
    expect(solve({ cpus: 5, gpus: 0, stages })).toEqual([2, 1, 2]);
  });

  it('breaks donor ties in favour of the lowest stage index', () => {
    const stages = [
      stage('a', { speed: 20, current_workers: 2 }),
      stage('b', { speed: 20, current_workers: 2 }),
      stage('c', { speed: 12, current_workers: 1 }),
    ];
    expect(solve({ cpus: 5, gpus: 0, stages })).toEqual([1, 2, 2]);
  });

  it('divides measured speed by over_provision_factor', () => {
    const stages = [stage('a', { speed: 2 }), stage('b', { speed: 2, over_provision_factor: 2 })];
    expect(solve({ cpus: 9, gpus: 0, stages })).toEqual([3, 6]);
  });
});

describe('Xenna phase 4: headroom', () => {
  it('grows a CPU stage to at most 1.5x the base once the GPU is taken', () => {
    const stages = [stage('gpu', { gpus: 1, speed: 4 }), stage('cpu', { speed: 1 })];
    // Phase 3 stops at cpu = 4 (throughput 4 = the GPU stage's); phase 4 adds up to 6 = 1.5 x 4.
    expect(solve({ cpus: 16, gpus: 1, stages })).toEqual([1, 6]);
  });

  it('honours a custom target such as batch mode’s 1.0', () => {
    const stages = [stage('gpu', { gpus: 1, speed: 4 }), stage('cpu', { speed: 1 })];
    expect(solveAllocation({ cpus: 16, gpus: 1, stages }, { overallocationTarget: 1 }).workers).toEqual([1, 4]);
  });
});

describe('placement on one machine', () => {
  it('packs two 0.5-GPU workers on one device so a whole-GPU stage still fits', () => {
    const stages = [stage('half', { gpus: 0.5, requested_workers: 2 }), stage('whole', { gpus: 1, requested_workers: 1 })];
    expect(solve({ cpus: 8, gpus: 2, stages })).toEqual([2, 1]);
  });

  it('fits ten 0.1-GPU workers (or twenty 0.05) on one device, not eleven', () => {
    const ten = [stage('tenth', { cpus: 0.1, gpus: 0.1, requested_workers: 10 })];
    expect(solve({ cpus: 8, gpus: 1, stages: ten })).toEqual([10]);
    // In plain floating point twenty 0.05 add up to just over 1.0.
    const twenty = [stage('twentieth', { cpus: 0.1, gpus: 0.05, requested_workers: 20 })];
    expect(solve({ cpus: 8, gpus: 1, stages: twenty })).toEqual([20]);
    const eleven = [stage('tenth', { cpus: 0.1, gpus: 0.1, requested_workers: 11 })];
    expect(allocationError(() => solveAllocation({ cpus: 8, gpus: 1, stages: eleven })).stage).toBe('tenth');
  });

  it('counts cpus per GPU for a whole-GPU worker', () => {
    const stages = [stage('tp2', { cpus: 3, gpus: 2, requested_workers: 2 })];
    expect(solve({ cpus: 12, gpus: 4, stages })).toEqual([2]);
    expect(allocationError(() => solveAllocation({ cpus: 11, gpus: 4, stages })).failure).toBe('pinned');
  });

  it('removes a fractional worker from the least-used device', () => {
    const m = new MachinePlacement(8, 2);
    const half = workerShape(1, 0.5);
    expect(m.tryAdd(1, half)).toBe(true); // device 0
    expect(m.tryAdd(0, half)).toBe(true); // device 0, now full
    expect(m.tryAdd(0, half)).toBe(true); // device 1
    m.removeOne(1); // device 0 back to 0.5
    expect(m.tryAdd(0, half)).toBe(true); // ties go to device 0, the most recent worker sits there
    expect(m.deviceUse()).toEqual([1, 0.5]);
    m.removeOne(0);
    expect(m.deviceUse()).toEqual([1, 0]);
    expect(m.tryAdd(2, workerShape(1, 1))).toBe(true);
  });

  it('rejects a stage that asks for nothing and a fractional count above one GPU', () => {
    expect(allocationError(() => solveAllocation({ cpus: 4, gpus: 1, stages: [stage('idle', { cpus: 0 })] })).failure).toBe('invalid');
    expect(allocationError(() => solveAllocation({ cpus: 4, gpus: 2, stages: [stage('odd', { gpus: 1.5 })] })).stage).toBe('odd');
  });

  it('fails with the stage name when the current workers no longer fit', () => {
    const err = allocationError(() => solveAllocation({ cpus: 2, gpus: 0, stages: [stage('old', { current_workers: 3 })] }));
    expect(err.failure).toBe('current');
    expect(err.stage).toBe('old');
  });
});

describe('slots per worker', () => {
  it('keeps every stage’s slots while any speed is unknown', () => {
    const stages = [stage('a', { speed: 2, current_workers: 2, current_slots: 3 }), stage('b', { current_workers: 1, current_slots: 5 })];
    expect(slotsPerWorker(stages)).toEqual([3, 5]);
  });

  it('sizes slots from the slowest stage’s batches per second', () => {
    // pipe = min(4 x 10, 2 x 5) = 10; need = ceil(2 x 10 / workers).
    const stages = [stage('a', { speed: 10, current_workers: 4 }), stage('b', { speed: 5, current_workers: 2 })];
    expect(slotsPerWorker(stages)).toEqual([5, 10]);
  });

  it('never lowers slots and never goes below 2', () => {
    const stages = [
      stage('a', { speed: 10, current_workers: 4, current_slots: 8 }),
      stage('b', { speed: 5, current_workers: 2 }),
    ];
    expect(slotsPerWorker(stages)).toEqual([8, 10]);
    const slow = [stage('a', { speed: 0.1, current_workers: 4 }), stage('b', { speed: 0.1, current_workers: 2 })];
    expect(slotsPerWorker(slow)).toEqual([2, 2]);
  });

  it('uses over-provisioned speeds and a zero-worker stage makes the pipeline speed 0', () => {
    const opf = [stage('a', { speed: 10, current_workers: 2, over_provision_factor: 2 }), stage('b', { speed: 20, current_workers: 2 })];
    expect(slotsPerWorker(opf)).toEqual([10, 10]);
    const idle = [stage('a', { speed: 10, current_workers: 4, current_slots: 3 }), stage('b', { speed: 5, current_workers: 0 })];
    expect(slotsPerWorker(idle)).toEqual([3, 2]);
  });

  it('is computed from the worker counts before the solve', () => {
    const stages = [stage('a', { speed: 10, current_workers: 1 }), stage('b', { speed: 1, current_workers: 1 })];
    const result = solveAllocation({ cpus: 11, gpus: 0, stages });
    expect(result.workers).toEqual([1, 10]);
    // From the new counts pipe would be 10 and stage a would need 20 slots.
    expect(result.slots_per_worker).toEqual([2, 2]);
  });
});

describe('finished stages', () => {
  it('end with no workers and free their resources for the others', () => {
    const stages = [stage('done', { finished: true, current_workers: 3 }), stage('live')];
    expect(solve({ cpus: 4, gpus: 0, stages })).toEqual([0, 4]);
  });

  it('are neither pinned nor given a minimum worker', () => {
    const stages = [stage('pinned', { finished: true, requested_workers: 2 }), stage('done', { finished: true }), stage('live')];
    expect(solve({ cpus: 4, gpus: 0, stages })).toEqual([0, 0, 4]);
  });
});
