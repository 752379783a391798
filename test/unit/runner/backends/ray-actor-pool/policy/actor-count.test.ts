import { describe, expect, it } from 'vitest';
import {
  NoResourcesError,
  NoTasksError,
  UNLIMITED_ACTORS,
  calculateOptimalActorsForStage,
  noTasksError,
  pythonFloorDiv,
  type ActorCountProblem,
  type ActorCountStage,
} from '../../../../../../runner/backends/ray-actor-pool/policy/actor-count.js';

function problem(stage: Partial<ActorCountStage>, rest: Partial<Omit<ActorCountProblem, 'stage'>> = {}): ActorCountProblem {
  return {
    availableCpus: 8,
    availableGpus: 0,
    reservedCpus: 0,
    reservedGpus: 0,
    numTasks: 5,
    ...rest,
    stage: { name: 'score_filter', cpus: 1, gpus: 0, numWorkers: null, batchSize: 1, ...stage },
  };
}

function actors(p: ActorCountProblem): number {
  return calculateOptimalActorsForStage(p).actors;
}

function noResources(p: ActorCountProblem): NoResourcesError {
  try {
    calculateOptimalActorsForStage(p);
  } catch (err: unknown) {
    if (err instanceof NoResourcesError) return err;
    throw err;
  }
  throw new Error('expected NoResourcesError, but an actor count came back');
}

describe('batches of work bound the count', () => {
  it('one actor per task while tasks are fewer than the CPUs allow', () => {
    expect(calculateOptimalActorsForStage(problem({}))).toEqual({ actors: 5, warning: null });
  });

  it('the CPU cap wins when there are more tasks: floor(8 / 1) = 8', () => {
    expect(actors(problem({}, { numTasks: 20 }))).toBe(8);
  });

  it('counts batches, not tasks: ceil(10 / 4) = 3', () => {
    expect(actors(problem({ batchSize: 4 }, { numTasks: 10 }))).toBe(3);
  });

  it('a null or non-positive batch size counts each task as a batch', () => {
    expect(actors(problem({ batchSize: null }, { numTasks: 3 }))).toBe(3);
    expect(actors(problem({ batchSize: 0 }, { numTasks: 3 }))).toBe(3);
    expect(actors(problem({ batchSize: -2 }, { numTasks: 3 }))).toBe(3);
  });

  it('no tasks gives 0 actors; one task gives at least 1 even with a huge batch size', () => {
    expect(actors(problem({}, { numTasks: 0 }))).toBe(0);
    expect(actors(problem({ batchSize: 100 }, { numTasks: 1 }))).toBe(1);
  });
});

describe('resources and reservations', () => {
  it('reserved CPUs shrink the cap: floor((8 - 3) / 2) = 2 instead of floor(8 / 2) = 4', () => {
    expect(actors(problem({ cpus: 2 }, { numTasks: 10 }))).toBe(4);
    expect(actors(problem({ cpus: 2 }, { numTasks: 10, reservedCpus: 3 }))).toBe(2);
  });

  it('the GPU cap applies alongside the CPU cap, and reserved GPUs shrink it', () => {
    const gpuStage = { cpus: 1, gpus: 1 };
    expect(actors(problem(gpuStage, { availableCpus: 16, availableGpus: 2, numTasks: 10 }))).toBe(2);
    expect(actors(problem(gpuStage, { availableCpus: 16, availableGpus: 2, reservedGpus: 1, numTasks: 10 }))).toBe(1);
  });

  it('fractional GPUs pack: floor(1 / 0.5) = 2', () => {
    expect(actors(problem({ cpus: 1, gpus: 0.5 }, { availableGpus: 1, numTasks: 10 }))).toBe(2);
  });

  it('a resource the stage asks none of never limits it (2^31 - 1)', () => {
    expect(UNLIMITED_ACTORS).toBe(2147483647);
    expect(actors(problem({ cpus: 0, gpus: 0 }, { availableCpus: 0, numTasks: 40 }))).toBe(40);
    expect(actors(problem({ cpus: 0, gpus: 0, numWorkers: 3 }, { availableCpus: 0 }))).toBe(3);
  });

  it('divides like Python floats: 1 CPU at 0.1 per actor fits 9 actors, 16 CPUs fit 159', () => {
    expect(actors(problem({ cpus: 0.1 }, { availableCpus: 1, numTasks: 100 }))).toBe(9);
    expect(actors(problem({ cpus: 0.1 }, { availableCpus: 16, numTasks: 1000 }))).toBe(159);
  });

  it('no room for a single actor throws NoResourcesError naming the stage, the request and what is left', () => {
    const err = noResources(
      problem({ name: 'embed', cpus: 1, gpus: 1 }, { availableCpus: 16, availableGpus: 2, reservedGpus: 2 }),
    );
    expect(err.stage).toBe('embed');
    expect(err.message).toContain('No resources available for stage embed');
    expect(err.message).toContain('asks for 1 CPU and 1 GPU');
    expect(err.message).toContain('only 16 CPUs and 0 GPUs are left');
    expect(err.message).toContain('reserved_gpus=2');
  });

  it('reservations larger than what is available leave 0, not a negative amount', () => {
    const err = noResources(problem({ cpus: 2 }, { availableCpus: 4, reservedCpus: 6 }));
    expect(err.message).toContain('only 0 CPUs and 0 GPUs are left');
  });

  it('an actor larger than the machine also has no room: floor(3 / 4) = 0', () => {
    expect(noResources(problem({ cpus: 4 }, { availableCpus: 3 })).message).toContain('asks for 4 CPUs and 0 GPUs');
  });
});

describe('num_workers', () => {
  it('is used as asked when it fits, whatever the task count', () => {
    expect(calculateOptimalActorsForStage(problem({ numWorkers: 4 }, { numTasks: 100 }))).toEqual({ actors: 4, warning: null });
    expect(actors(problem({ numWorkers: 4 }, { numTasks: 0 }))).toBe(4);
  });

  it('is capped to what fits, with upstream’s warning', () => {
    const result = calculateOptimalActorsForStage(problem({ numWorkers: 12 }, { numTasks: 100 }));
    expect(result).toEqual({
      actors: 8,
      warning:
        'Stage score_filter requires 12 actors from num_workers(), but only 8 fit with available resources. ' +
        'Capping actor count to 8.',
    });
  });

  it('0 falls back to the batch formula', () => {
    expect(actors(problem({ numWorkers: 0 }, { numTasks: 3 }))).toBe(3);
  });
});

describe('noTasksError', () => {
  it('has NeMo Curator’s message shape', () => {
    const err = noTasksError('jsonl_reader');
    expect(err).toBeInstanceOf(NoTasksError);
    expect(err).toBeInstanceOf(Error);
    expect(err.stage).toBe('jsonl_reader');
    expect(err.message).toBe("jsonl_reader - No tasks to process, can't continue");
  });
});

describe('pythonFloorDiv', () => {
  it('matches CPython’s float // on hand-checked values', () => {
    expect(pythonFloorDiv(1, 0.1)).toBe(9);
    expect(pythonFloorDiv(16, 0.1)).toBe(159);
    expect(pythonFloorDiv(0.7, 0.1)).toBe(6);
    expect(pythonFloorDiv(7.5, 2.5)).toBe(3);
    expect(pythonFloorDiv(3, 0.5)).toBe(6);
    expect(pythonFloorDiv(5, 2)).toBe(2);
    expect(Object.is(pythonFloorDiv(0, 2), 0)).toBe(true);
  });
});
