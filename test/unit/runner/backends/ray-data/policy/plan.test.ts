import { describe, expect, it } from 'vitest';
import {
  RayDataPlanError,
  parseRayStageSpec,
  planRayData,
  type RayDataStageDescription,
} from '../../../../../../runner/backends/ray-data/policy/plan.js';

function stage(name: string, extra: Partial<RayDataStageDescription> = {}): RayDataStageDescription {
  return { name, cpus: 1, gpus: 0, overridesSetup: false, isFanout: false, numWorkers: null, batchSize: 1, rayStageSpec: {}, ...extra };
}

function planError(stages: RayDataStageDescription[]): RayDataPlanError {
  try {
    planRayData(stages);
  } catch (err: unknown) {
    if (err instanceof RayDataPlanError) return err;
    throw err;
  }
  throw new Error('expected a RayDataPlanError, but planning succeeded');
}

const names = (stages: RayDataStageDescription[]) => planRayData(stages).operators.map((o) => o.name);

describe('the integration-test pipeline (nemo-curator-semantics.md §4.3)', () => {
  // FilePartitioningStageTask -> [JsonlReaderStageTask->AddLengthStageActor] -> SplitIntoRowsStageActor
  // -> AddLengthStageActor -> StageWithSetupActor -> JsonlWriterTask (repartitions after the fan-outs).
  const pipeline = [
    stage('file_partitioning', { isFanout: true }),
    stage('jsonl_reader'),
    stage('add_length', { rayStageSpec: { is_actor_stage: true } }),
    stage('split_into_rows', { rayStageSpec: { is_fanout_stage: true, is_actor_stage: true } }),
    stage('add_length', { rayStageSpec: { is_actor_stage: true } }),
    stage('stage_with_setup', { overridesSetup: true }),
    stage('jsonl_writer'),
  ];

  it('fuses only the reader into the first actor stage', () => {
    const plan = planRayData(pipeline);
    expect(plan.operators.map((o) => [o.name, o.kind, o.fanout, o.stageIndices])).toEqual([
      ['file_partitioning', 'task', true, [0]],
      ['jsonl_reader->add_length', 'actor', false, [1, 2]],
      ['split_into_rows', 'actor', true, [3]],
      ['add_length', 'actor', false, [4]],
      ['stage_with_setup', 'actor', false, [5]],
      ['jsonl_writer', 'task', false, [6]],
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('gives every actor operator an autoscaling pool from 1 with no upper bound', () => {
    const actors = planRayData(pipeline).operators.filter((o) => o.kind === 'actor');
    for (const o of actors) {
      expect([o.minActors, o.maxActors, o.initialActors, o.fixedSize]).toEqual([1, Infinity, 1, null]);
    }
  });
});

describe('actor or task', () => {
  it('a stage asking for CPUs and GPUs is an actor; GPUs alone, or an explicit false, is a task', () => {
    const kinds = planRayData([
      stage('embed', { gpus: 1 }),
      stage('gpu_only', { cpus: 0, gpus: 1 }),
      stage('forced', { overridesSetup: true, rayStageSpec: { is_actor_stage: false } }),
    ]).operators.map((o) => o.kind);
    expect(kinds).toEqual(['actor', 'task', 'task']);
  });

  it('is_fanout_stage overrides the stage’s own fan-out flag either way', () => {
    const plan = planRayData([
      stage('a', { isFanout: true, rayStageSpec: { is_fanout_stage: false } }),
      stage('b', { rayStageSpec: { is_fanout_stage: true } }),
    ]);
    expect(plan.operators.map((o) => [o.name, o.fanout])).toEqual([['a->b', true]]);
  });
});

describe('pool sizing', () => {
  it('num_workers > 0 gives a fixed pool and overrides the sizing keys with a warning', () => {
    const plan = planRayData([stage('embed', { gpus: 1, batchSize: 8, numWorkers: 3, rayStageSpec: { min_workers: 2 } })]);
    const [o] = plan.operators;
    expect([o?.minActors, o?.maxActors, o?.initialActors, o?.fixedSize]).toEqual([3, 3, 3, 3]);
    expect(plan.warnings).toEqual(["Stage embed uses num_workers=3; ignoring ray_stage_spec actor-pool sizing keys ['min_workers']."]);
  });

  it('min/max/initial_workers configure an autoscaling pool; initial defaults to min', () => {
    const plan = planRayData([
      stage('a', { overridesSetup: true, rayStageSpec: { min_workers: 2, max_workers: 6, initial_workers: 4 } }),
      stage('b', { overridesSetup: true, rayStageSpec: { max_workers: 4 } }),
      stage('c', { overridesSetup: true, numWorkers: 0, rayStageSpec: { min_workers: 3 } }),
    ]);
    expect(plan.operators.map((o) => [o.minActors, o.maxActors, o.initialActors, o.fixedSize])).toEqual([
      [2, 6, 4, null],
      [1, 4, 1, null],
      [3, Infinity, 3, null],
    ]);
  });

  it('rejects inconsistent bounds, naming the stage', () => {
    const s = (spec: Record<string, unknown>) => [stage('dedup', { overridesSetup: true, rayStageSpec: spec })];
    expect(planError(s({ min_workers: 5, max_workers: 2 })).message).toBe(
      'Invalid Ray Data actor pool sizing for stage dedup: min_workers (5) must be <= max_workers (2).',
    );
    expect(planError(s({ min_workers: 2, initial_workers: 1 })).message).toContain('initial_workers (1) must be >= min_workers (2)');
    expect(planError(s({ max_workers: 6, initial_workers: 8 })).message).toContain('initial_workers (8) must be <= max_workers (6)');
  });

  it('a task stage ignores sizing keys with NeMo Curator’s warning and uses num_workers as its concurrency cap', () => {
    const plan = planRayData([stage('clean', { numWorkers: 4, rayStageSpec: { min_workers: 1, initial_workers: 2 } })]);
    expect(plan.operators[0]).toMatchObject({ kind: 'task', fixedSize: 4, minActors: 0, maxActors: 0, initialActors: 0 });
    expect(plan.warnings).toEqual([
      "Ignoring ray_stage_spec worker sizing keys ['min_workers', 'initial_workers'] for Ray Data task stage clean; " +
        'these keys only apply to actor stages.',
    ]);
  });
});

describe('batch size and resources', () => {
  it('forces batch size 1 on a GPU stage without one, with a warning; a CPU stage without one also gets 1', () => {
    const plan = planRayData([stage('read', { batchSize: null, isFanout: true }), stage('embed', { gpus: 1, batchSize: null })]);
    expect(plan.operators.map((o) => o.batchSize)).toEqual([1, 1]);
    expect(plan.warnings).toEqual(['When using Ray Data, batch size is not set for GPU stage embed. Setting it to 1.']);
  });

  it('rejects a batch size below 1', () => {
    expect(planError([stage('x', { batchSize: 0 })]).message).toContain('batch_size of stage x must be a whole number >= 1');
  });

  it('ray_num_cpus replaces the stage’s CPUs, which can make it fuse', () => {
    const light = stage('light', { cpus: 0.5 });
    const heavy = stage('heavy', { overridesSetup: true });
    expect(names([light, heavy])).toEqual(['light', 'heavy']);
    const plan = planRayData([{ ...light, rayStageSpec: { ray_num_cpus: 1 } }, heavy]);
    expect(plan.operators.map((o) => [o.name, o.cpus])).toEqual([['light->heavy', 1]]);
  });

  it('a fused operator takes the largest batch size of its stages', () => {
    const plan = planRayData([stage('a', { batchSize: 4 }), stage('b', { batchSize: 2 }), stage('c', { batchSize: 3 })]);
    expect(plan.operators).toEqual([
      {
        name: 'a->b->c', stageIndices: [0, 1, 2], kind: 'task', minActors: 0, maxActors: 0, initialActors: 0,
        fixedSize: null, fanout: false, cpus: 1, gpus: 0, batchSize: 4,
      },
    ]);
  });
});

describe('fusion', () => {
  it('never fuses an actor into what follows', () => {
    expect(names([stage('a', { overridesSetup: true }), stage('b'), stage('c', { overridesSetup: true })])).toEqual(['a', 'b->c']);
  });

  it('a fan-out task ends its operator', () => {
    expect(names([stage('a'), stage('b', { isFanout: true }), stage('c')])).toEqual(['a->b', 'c']);
  });

  it('needs the same CPUs and GPUs on both sides', () => {
    expect(names([stage('a', { cpus: 2 }), stage('b')])).toEqual(['a', 'b']);
    expect(names([stage('a'), stage('b', { gpus: 1 })])).toEqual(['a', 'b']);
    expect(names([stage('a', { gpus: 0.5, rayStageSpec: { is_actor_stage: false } }), stage('b', { gpus: 0.5 })])).toEqual(['a->b']);
  });

  it('needs equal ray_remote_args and no max_calls on a task fusing into an actor', () => {
    const env = { runtime_env: { pip: ['x'] } };
    expect(names([stage('a', { rayStageSpec: { ray_remote_args: env } }), stage('b')])).toEqual(['a', 'b']);
    expect(
      names([stage('a', { rayStageSpec: { ray_remote_args: { b: 1, a: 2 } } }), stage('b', { rayStageSpec: { ray_remote_args: { a: 2, b: 1 } } })]),
    ).toEqual(['a->b']);
    expect(names([stage('a', { rayStageSpec: { max_calls_per_worker: 5 } }), stage('b', { overridesSetup: true })])).toEqual(['a', 'b']);
    expect(names([stage('a', { rayStageSpec: { max_calls_per_worker: 5 } }), stage('b', { rayStageSpec: { max_calls_per_worker: 5 } })])).toEqual(['a->b']);
  });

  it('needs compatible pool sizes: equal task caps, or a task cap equal to the actor pool’s max', () => {
    expect(names([stage('a', { numWorkers: 2 }), stage('b')])).toEqual(['a', 'b']);
    expect(names([stage('a', { numWorkers: 2 }), stage('b', { numWorkers: 2 })])).toEqual(['a->b']);
    expect(names([stage('a', { numWorkers: 4 }), stage('b', { overridesSetup: true, rayStageSpec: { max_workers: 4 } })])).toEqual(['a->b']);
    expect(names([stage('a', { numWorkers: 4 }), stage('b', { overridesSetup: true })])).toEqual(['a', 'b']);
  });

  it('plans nothing for no stages', () => {
    expect(planRayData([])).toEqual({ operators: [], warnings: [] });
  });
});

describe('ray_stage_spec validation', () => {
  it('rejects an unknown key, naming the stage and the key', () => {
    const err = planError([stage('ok'), stage('fuzzy_lsh', { rayStageSpec: { max_workers_per_stage: 4 } })]);
    expect(err.stage).toBe('fuzzy_lsh');
    expect(err.key).toBe('max_workers_per_stage');
    expect(err.message).toContain('Invalid key max_workers_per_stage in ray_stage_spec for stage fuzzy_lsh');
  });

  it('checks value types', () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ is_actor_stage: 'yes' }, 'ray_stage_spec.is_actor_stage of stage s must be true or false, got "yes".'],
      [{ min_workers: 0 }, 'ray_stage_spec.min_workers of stage s must be a whole number >= 1, got 0.'],
      [{ max_workers: 1.5 }, 'ray_stage_spec.max_workers of stage s must be a whole number >= 1, got 1.5.'],
      [{ ray_num_cpus: -1 }, 'ray_stage_spec.ray_num_cpus of stage s must be a number >= 0, got -1.'],
      [{ ray_remote_args: ['x'] }, 'ray_stage_spec.ray_remote_args of stage s must be an object of Ray remote arguments, got ["x"].'],
    ];
    for (const [spec, message] of bad) expect(() => parseRayStageSpec('s', spec)).toThrow(message);
  });

  it('rejects Curator-managed arguments inside ray_remote_args', () => {
    expect(() => parseRayStageSpec('s', { ray_remote_args: { num_gpus: 1, compute: 'x', max_concurrency: 2 } })).toThrow(
      'must not override Curator-managed map_batches arguments [compute, num_gpus]',
    );
  });

  it('accepts every allowed key and treats null as absent', () => {
    const spec = parseRayStageSpec('s', {
      is_actor_stage: true, is_fanout_stage: false, is_raft_actor: false, is_lsh_stage: false, is_shuffle_stage: false,
      max_calls_per_worker: 3, min_workers: 1, max_workers: 2, initial_workers: 2, ray_remote_args: { max_concurrency: 2 },
      ray_num_cpus: 0.5,
    });
    expect(spec.max_workers).toBe(2);
    expect(parseRayStageSpec('s', { min_workers: null })).toEqual({});
  });

  it('warns that max_calls_per_worker does nothing on an actor stage', () => {
    expect(planRayData([stage('a', { overridesSetup: true, rayStageSpec: { max_calls_per_worker: 2 } })]).warnings).toEqual([
      'Ignoring ray_stage_spec max_calls_per_worker for Ray Data actor stage a; it only applies to task stages.',
    ]);
  });
});
