/**
 * The Ray Data backend's plan: which stages run as actor pools or task pools, how pools are sized,
 * and which stages fuse into one operator. Follows NeMo Curator's `RayDataStageAdapter` and
 * `backends/ray_data/utils.py` for each stage, and Ray Data's `FuseOperators` rule
 * (`logical/rules/operator_fusion.py`) for fusion. Pure: the caller builds and runs the operators.
 */

/** A pipeline stage as the planner needs it (NeMo Curator's resources, `num_workers()`, `batch_size`, `ray_stage_spec()`). */
export interface RayDataStageDescription {
  name: string;
  cpus: number;
  gpus: number;
  /** The stage defines its own `setup`, so it needs a long-lived worker. */
  overridesSetup: boolean;
  /** `process` returns a list (NeMo Curator's default `is_fanout_stage`). */
  isFanout: boolean;
  numWorkers: number | null;
  batchSize: number | null;
  rayStageSpec: Record<string, unknown>;
}

/** One physical operator: one stage, or a chain of fused stages. */
export interface RayDataOperator {
  /** Stage names joined by "->", as Ray names fused operators (e.g. "jsonl_reader->add_length"). */
  name: string;
  stageIndices: number[];
  kind: 'actor' | 'task';
  /** Actor-pool bounds; 0 for task operators. */
  minActors: number;
  /** Infinity when unbounded; 0 for task operators. */
  maxActors: number;
  initialActors: number;
  /** Actor operator: the fixed pool size from `num_workers`; task operator: its concurrency cap; else null. */
  fixedSize: number | null;
  /** The last stage fans out, so its output is split back to one task per block. */
  fanout: boolean;
  cpus: number;
  gpus: number;
  /** Tasks per bundle handed to the operator: the largest batch size of its stages (Ray's `min_rows_per_bundle`). */
  batchSize: number;
}

/** The operators in pipeline order, and the warnings NeMo Curator would log while building them. */
export interface RayDataPlan {
  operators: RayDataOperator[];
  warnings: string[];
}

/** NeMo Curator's `RayStageSpecKeys`: the only keys `ray_stage_spec` may hold. */
export const RAY_STAGE_SPEC_KEYS = [
  'is_actor_stage', 'is_fanout_stage', 'is_raft_actor', 'is_lsh_stage', 'is_shuffle_stage', 'max_calls_per_worker',
  'min_workers', 'max_workers', 'initial_workers', 'ray_remote_args', 'ray_num_cpus',
] as const;

/** Arguments NeMo Curator sets itself, so `ray_remote_args` may not (`CURATOR_MANAGED_MAP_BATCHES_KWARGS`). */
export const CURATOR_MANAGED_REMOTE_ARGS = ['compute', 'max_calls', 'num_cpus', 'num_gpus'] as const;

const BOOLEAN_KEYS = ['is_actor_stage', 'is_fanout_stage', 'is_raft_actor', 'is_lsh_stage', 'is_shuffle_stage'] as const;
const COUNT_KEYS = ['max_calls_per_worker', 'min_workers', 'max_workers', 'initial_workers'] as const;
const SIZING_KEYS = ['min_workers', 'max_workers', 'initial_workers'] as const;

/** A validated `ray_stage_spec`; a key set to null counts as absent. */
export interface RayStageSpec {
  is_actor_stage?: boolean;
  is_fanout_stage?: boolean;
  is_raft_actor?: boolean;
  is_lsh_stage?: boolean;
  is_shuffle_stage?: boolean;
  max_calls_per_worker?: number;
  min_workers?: number;
  max_workers?: number;
  initial_workers?: number;
  ray_remote_args?: Record<string, unknown>;
  ray_num_cpus?: number;
}

/** A stage that cannot be planned; names the stage and, where one is at fault, the `ray_stage_spec` key. */
export class RayDataPlanError extends Error {
  override name = 'RayDataPlanError';
  constructor(
    readonly stage: string,
    readonly key: string | null,
    message: string,
  ) {
    super(message);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks `ray_stage_spec` as NeMo Curator does (an unknown key is an error; so is a managed
 * argument inside `ray_remote_args`) and also checks each value's type: booleans for the `is_*`
 * flags, whole numbers >= 1 for worker counts and `max_calls_per_worker`, an object for
 * `ray_remote_args`, a number >= 0 for `ray_num_cpus`.
 */
export function parseRayStageSpec(stage: string, spec: Record<string, unknown>): RayStageSpec {
  const fail = (key: string, what: string, value: unknown): never => {
    throw new RayDataPlanError(stage, key, `ray_stage_spec.${key} of stage ${stage} must be ${what}, got ${JSON.stringify(value)}.`);
  };
  const out: RayStageSpec = {};
  for (const [key, value] of Object.entries(spec)) {
    if (!(RAY_STAGE_SPEC_KEYS as readonly string[]).includes(key)) {
      throw new RayDataPlanError(
        stage, key, `Invalid key ${key} in ray_stage_spec for stage ${stage}; allowed keys: ${RAY_STAGE_SPEC_KEYS.join(', ')}.`,
      );
    }
    if (value === null || value === undefined) continue;
    if ((BOOLEAN_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== 'boolean') fail(key, 'true or false', value);
      out[key as (typeof BOOLEAN_KEYS)[number]] = value as boolean;
    } else if ((COUNT_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) fail(key, 'a whole number >= 1', value);
      out[key as (typeof COUNT_KEYS)[number]] = value as number;
    } else if (key === 'ray_num_cpus') {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(key, 'a number >= 0', value);
      out.ray_num_cpus = value as number;
    } else {
      if (!isPlainObject(value)) return fail(key, 'an object of Ray remote arguments', value);
      const managed = CURATOR_MANAGED_REMOTE_ARGS.filter((name) => name in value);
      if (managed.length > 0) {
        throw new RayDataPlanError(
          stage, key,
          `ray_remote_args for Ray Data stage ${stage} must not override Curator-managed map_batches arguments ` +
            `[${managed.join(', ')}]; set them through the stage's resources, num_workers or ray_stage_spec instead.`,
        );
      }
      out.ray_remote_args = value;
    }
  }
  return out;
}

/** NeMo Curator's choice: `spec.is_actor_stage`, else actor if the stage overrides setup or asks for both CPUs and GPUs. */
export function isActorStage(stage: RayDataStageDescription, spec: RayStageSpec): boolean {
  return spec.is_actor_stage ?? (stage.overridesSetup || (stage.gpus > 0 && stage.cpus > 0));
}

interface PlannedStage {
  operator: RayDataOperator;
  /** What must match for fusion: Ray compares canonical remote args (CPUs, GPUs, the rest). */
  remoteArgs: string;
  /** An all-to-all stage (`is_shuffle_stage`): Ray runs shuffles as their own operators, never fused. */
  shuffle: boolean;
}

/** Key-order-independent JSON, so two equal argument objects compare equal. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function planStage(stage: RayDataStageDescription, index: number, warnings: string[]): PlannedStage {
  const spec = parseRayStageSpec(stage.name, stage.rayStageSpec);
  const actor = isActorStage(stage, spec);
  const numWorkers = stage.numWorkers !== null && stage.numWorkers > 0 ? stage.numWorkers : null;
  if (numWorkers !== null && !Number.isInteger(numWorkers)) {
    throw new RayDataPlanError(stage.name, null, `num_workers of stage ${stage.name} must be a whole number, got ${numWorkers}.`);
  }
  if (stage.batchSize !== null && (!Number.isInteger(stage.batchSize) || stage.batchSize < 1)) {
    throw new RayDataPlanError(stage.name, null, `batch_size of stage ${stage.name} must be a whole number >= 1 or null, got ${stage.batchSize}.`);
  }
  const batchSize = stage.batchSize ?? 1;
  if (stage.batchSize === null && stage.gpus > 0) {
    warnings.push(`When using Ray Data, batch size is not set for GPU stage ${stage.name}. Setting it to 1.`);
  }

  const sizingKeys = SIZING_KEYS.filter((key) => spec[key] !== undefined);
  const keyList = `[${sizingKeys.map((k) => `'${k}'`).join(', ')}]`;
  let minActors = 0;
  let maxActors = 0;
  let initialActors = 0;
  const fixedSize: number | null = numWorkers;
  if (actor) {
    if (numWorkers !== null) {
      if (sizingKeys.length > 0) {
        warnings.push(`Stage ${stage.name} uses num_workers=${numWorkers}; ignoring ray_stage_spec actor-pool sizing keys ${keyList}.`);
      }
      minActors = maxActors = initialActors = numWorkers;
    } else {
      minActors = spec.min_workers ?? 1;
      maxActors = spec.max_workers ?? Infinity;
      initialActors = spec.initial_workers ?? minActors;
      const bad = (detail: string) =>
        new RayDataPlanError(stage.name, null, `Invalid Ray Data actor pool sizing for stage ${stage.name}: ${detail}.`);
      if (minActors > maxActors) throw bad(`min_workers (${minActors}) must be <= max_workers (${maxActors})`);
      if (initialActors < minActors) throw bad(`initial_workers (${initialActors}) must be >= min_workers (${minActors})`);
      if (initialActors > maxActors) throw bad(`initial_workers (${initialActors}) must be <= max_workers (${maxActors})`);
    }
    if (spec.max_calls_per_worker !== undefined) {
      warnings.push(`Ignoring ray_stage_spec max_calls_per_worker for Ray Data actor stage ${stage.name}; it only applies to task stages.`);
    }
  } else if (sizingKeys.length > 0) {
    warnings.push(
      `Ignoring ray_stage_spec worker sizing keys ${keyList} for Ray Data task stage ${stage.name}; these keys only apply to actor stages.`,
    );
  }

  const cpus = spec.ray_num_cpus ?? stage.cpus;
  const args: Record<string, unknown> = { ...(spec.ray_remote_args ?? {}), num_cpus: cpus, num_gpus: stage.gpus };
  if (!actor && spec.max_calls_per_worker !== undefined) args.max_calls = spec.max_calls_per_worker;
  return {
    remoteArgs: stableJson(args),
    shuffle: spec.is_shuffle_stage === true,
    operator: {
      name: stage.name, stageIndices: [index], kind: actor ? 'actor' : 'task', minActors, maxActors, initialActors, fixedSize,
      fanout: spec.is_fanout_stage ?? stage.isFanout, cpus, gpus: stage.gpus, batchSize,
    },
  };
}

/**
 * Ray Data's fusion rule as it applies to NeMo Curator's `map_batches` chain: only a task
 * operator fuses into the following operator (task→task, task→actor; actor→anything never); a
 * shuffle (all-to-all) stage is never fused with either neighbour; a fan-out stage ends its operator, because the repartition after it is a separate operator; and
 * the remote arguments must be equal, which means the same CPUs (after `ray_num_cpus`), the same
 * GPUs, the same `ray_remote_args` and `max_calls`. Compute must be compatible as in
 * `_fuse_compute_strategy`: task→task needs equal task-pool sizes, task→actor needs an unsized
 * task pool or one equal to the actor pool's max.
 */
function canFuse(up: PlannedStage, down: PlannedStage): boolean {
  const u = up.operator;
  const d = down.operator;
  if (u.kind !== 'task' || u.fanout || up.remoteArgs !== down.remoteArgs || up.shuffle || down.shuffle) return false;
  if (d.kind === 'task') return u.fixedSize === d.fixedSize;
  return u.fixedSize === null || u.fixedSize === d.maxActors;
}

/**
 * Plans the stages in order: validates each `ray_stage_spec`, decides actor or task, sizes actor
 * pools (num_workers > 0: fixed; otherwise min_workers ?? 1, max_workers ?? Infinity,
 * initial_workers ?? min, checked min <= initial <= max), forces batch size 1 on GPU stages
 * without one (any other missing batch size is also 1: one block holds one task), and fuses as
 * {@link canFuse} allows. A fused operator takes its kind, pool sizing and fan-out from its last
 * stage and the largest CPUs, GPUs and batch size of its stages.
 */
export function planRayData(stages: readonly RayDataStageDescription[]): RayDataPlan {
  const warnings: string[] = [];
  const planned = stages.map((stage, index) => planStage(stage, index, warnings));
  const chains: PlannedStage[][] = [];
  for (const stage of planned) {
    const chain = chains[chains.length - 1];
    const last = chain?.[chain.length - 1];
    if (chain !== undefined && last !== undefined && canFuse(last, stage)) chain.push(stage);
    else chains.push([stage]);
  }
  const operators = chains.map((chain): RayDataOperator => {
    const ops = chain.map((s) => s.operator);
    const tail = ops[ops.length - 1] as RayDataOperator;
    return {
      ...tail,
      name: ops.map((o) => o.name).join('->'),
      stageIndices: ops.flatMap((o) => o.stageIndices),
      cpus: Math.max(...ops.map((o) => o.cpus)),
      gpus: Math.max(...ops.map((o) => o.gpus)),
      batchSize: Math.max(...ops.map((o) => o.batchSize)),
    };
  });
  return { operators, warnings };
}
