import { Resources, type ResourcesInit } from './resources.js';
import type { DocumentRecord, Task } from './tasks.js';
import { ValidationError } from './errors.js';

/** The machine a worker runs on; one node here. */
export interface NodeInfo {
  node_id: string;
}

/** What a worker knows about itself (NeMo Curator's `WorkerMetadata`), plus gang-stage fields. */
export interface WorkerMetadata {
  worker_id: string;
  stage_name: string;
  allocation: { cpus: number; gpu_devices: string[]; gpu_fraction: number };
  /** Rank, world size and rendezvous address for gang ("RAFT actor") stages. */
  rank?: number;
  world_size?: number;
  rendezvous?: string;
}

/** Log levels shared by workers, the engine and history. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** A document a stage removed, and why: the reason (a filter's class name, `exact_duplicate`...) and details such as its score. */
export interface RemovedDocument {
  reason: string;
  doc: DocumentRecord;
  detail?: Record<string, unknown>;
}

/** Hooks the engine gives a stage while it runs: logs, custom metrics, removed documents and counters. */
export interface StageRuntime {
  log(level: LogLevel, message: string): void;
  metric(name: string, value: number): void;
  removed(doc: DocumentRecord, reason: string, detail?: Record<string, unknown>): void;
  count(name: string, n: number): void;
}

/**
 * The runtime of a stage used outside a worker (programmatic use): logs go to the console; removals
 * and counters have no run summary to reach, so they are dropped (a test that wants them sets its
 * own runtime). Stateless, so stages copied with `with_()` may share it.
 */
const consoleRuntime: StageRuntime = {
  log: (level, message) => (level === 'error' || level === 'warn' ? console.error : console.log)(`[${level}] ${message}`),
  metric: () => undefined,
  removed: () => undefined,
  count: () => undefined,
};

/** Per-stage overrides accepted by `with_()` and by a stage entry of a pipeline file. */
export interface StageOverrides {
  name?: string;
  resources?: ResourcesInit | Resources;
  batch_size?: number;
  num_workers?: number | null;
  ray_stage_spec?: Record<string, unknown>;
  xenna_stage_spec?: Record<string, unknown>;
}

/** How a worker process re-creates a stage: its registered type, its parameters, and the overrides. */
export interface StageSpec {
  type: string;
  params: Record<string, unknown>;
  /** A module to import first when the type is not built in (it registers the type). */
  module?: string;
  overrides: {
    name: string;
    resources: ReturnType<Resources['toJSON']>;
    batch_size: number;
    num_workers: number | null;
    ray_stage_spec: Record<string, unknown>;
    xenna_stage_spec: Record<string, unknown>;
    is_source_stage: boolean;
    is_sink_stage: boolean;
  };
}

/**
 * The batch size of a stage that must see its whole input in one call (a global pass such as dedup
 * identification): every backend then holds its input until everything upstream is done, and
 * streaming back-pressure places no memory bound in front of it.
 */
export const WHOLE_INPUT = 2 ** 30;

/** What a stage's process() may return: one task, several (fan-out), or null to drop the input. */
export type ProcessResult<Out extends Task> = Out | Out[] | null;

/**
 * A step of a pipeline, NeMo Curator's `ProcessingStage`. Subclasses implement `process()`; the
 * engine calls `setup_on_node()` once per machine, `setup()` once per worker, then batches, then
 * `teardown()`. Every stage is created from a registered type and its parameters, so that a worker
 * process can re-create it (`toSpec()`).
 */
export abstract class ProcessingStage<In extends Task = Task, Out extends Task = Task> {
  /** The registered type name, e.g. "JsonlWriter". */
  abstract readonly type: string;
  name: string;
  resources: Resources = new Resources();
  batch_size = 1;
  is_source_stage = false;
  is_sink_stage = false;
  ray_stage_spec: Record<string, unknown> = {};
  xenna_stage_spec: Record<string, unknown> = {};
  /** Validated parameters, as given in a pipeline file. */
  readonly params: Record<string, unknown>;
  /** Module that registers this stage's type, for stages defined outside the built-in catalog. */
  module?: string;
  protected _num_workers: number | null = null;
  /** Set by the engine inside a worker; console outside one. */
  runtime: StageRuntime = consoleRuntime;
  /**
   * A folder where the engine writes every document this stage removes (JSON lines, one file per
   * input task, each document with a `_curator_removed` field giving the stage, reason and details);
   * null for none. Set from a filtering stage's `removed_path` parameter.
   */
  removed_path: string | null = null;

  constructor(params: Record<string, unknown> = {}, name?: string) {
    this.params = params;
    this.name = name ?? this.constructor.name;
  }

  /** A pinned worker count, or null to let the executor decide. */
  num_workers(): number | null {
    return this._num_workers;
  }

  /** Required task attributes and data columns: `[attrs, columns]`. */
  inputs(): [string[], string[]] {
    return [[], []];
  }
  outputs(): [string[], string[]] {
    return [[], []];
  }

  /** Once per machine, before any worker's setup (model downloads and similar). */
  async setup_on_node(_node: NodeInfo, _worker: WorkerMetadata): Promise<void> {}
  /** Once per worker, before its first batch. */
  async setup(_worker: WorkerMetadata): Promise<void> {}
  /** Once per worker, after its last batch. */
  async teardown(): Promise<void> {}

  /** Processes one task. Return null to drop it, or a list to fan out. */
  abstract process(task: In): ProcessResult<Out> | Promise<ProcessResult<Out>>;

  /**
   * Processes a batch. The default validates and processes each task in turn; a stage that
   * overrides this handles the whole batch at once (and then task ids follow NeMo Curator's
   * batch-shape rule).
   */
  async process_batch(tasks: In[]): Promise<Array<Out | null>> {
    const out: Array<Out | null> = [];
    for (const t of tasks) {
      this.validate_input(t);
      const r = await this.process(t);
      if (Array.isArray(r)) out.push(...r);
      else out.push(r);
    }
    return out;
  }

  /** True when the subclass overrides process_batch. */
  supportsBatchProcessing(): boolean {
    return findOwner(this, 'process_batch') !== ProcessingStage.prototype;
  }

  /** True when the subclass overrides setup (Ray Data then makes it an actor stage). */
  overridesSetup(): boolean {
    return findOwner(this, 'setup') !== ProcessingStage.prototype;
  }

  /** Checks required attributes and columns; throws a ValidationError naming the stage. */
  validate_input(task: In): void {
    const [attrs, cols] = this.inputs();
    const missing: string[] = [];
    for (const a of attrs) if (!(a in task)) missing.push(`attribute "${a}"`);
    if (cols.length && task.kind === 'DocumentBatch') {
      const rows = task.data as Array<Record<string, unknown>>;
      const first = rows[0];
      if (first) for (const c of cols) if (!(c in first)) missing.push(`column "${c}"`);
    }
    if (missing.length) throw new ValidationError([`stage "${this.name}": input task ${task.task_id} lacks ${missing.join(', ')}`]);
  }

  /** Records a custom metric for the current batch's perf stats. */
  protected logMetric(name: string, value: number): void {
    this.runtime.metric(name, value);
  }
  protected log(level: LogLevel, message: string): void {
    this.runtime.log(level, message);
  }
  /** Records that a document was removed and why; the counts per reason and a bounded sample reach the run summary. */
  protected recordRemoved(doc: DocumentRecord, reason: string, detail?: Record<string, unknown>): void {
    this.runtime.removed(doc, reason, detail);
  }
  /** Adds to a named counter that reaches the run summary (for example skipped malformed lines). */
  protected addCount(name: string, n = 1): void {
    this.runtime.count(name, n);
  }

  /** A modified copy: NeMo Curator's `with_()`. Spec dicts are shallow-merged, the caller's keys winning. */
  with_(o: StageOverrides): this {
    const copy = Object.create(Object.getPrototypeOf(this)) as this;
    Object.assign(copy, this);
    (copy as { params: Record<string, unknown> }).params = structuredClone(this.params);
    if (o.name !== undefined) copy.name = o.name;
    if (o.resources !== undefined) copy.resources = o.resources instanceof Resources ? o.resources : new Resources(o.resources);
    if (o.batch_size !== undefined) {
      if (!Number.isInteger(o.batch_size) || o.batch_size < 1) throw new ValidationError([`stage "${this.name}": batch_size must be a whole number >= 1, got ${o.batch_size}`]);
      copy.batch_size = o.batch_size;
    }
    if (o.num_workers !== undefined) {
      if (o.num_workers !== null && (!Number.isInteger(o.num_workers) || o.num_workers < 1)) throw new ValidationError([`stage "${this.name}": num_workers must be a whole number >= 1, got ${o.num_workers}`]);
      copy._num_workers = o.num_workers;
    }
    if (o.xenna_stage_spec && 'num_workers' in o.xenna_stage_spec) throw new ValidationError([`stage "${this.name}": set num_workers on the stage, not inside xenna_stage_spec`]);
    if (o.ray_stage_spec) copy.ray_stage_spec = { ...this.ray_stage_spec, ...o.ray_stage_spec };
    if (o.xenna_stage_spec) copy.xenna_stage_spec = { ...this.xenna_stage_spec, ...o.xenna_stage_spec };
    return copy;
  }

  /** What a worker needs to re-create this stage. */
  toSpec(): StageSpec {
    return {
      type: this.type,
      params: this.params,
      ...(this.module ? { module: this.module } : {}),
      overrides: {
        name: this.name,
        resources: this.resources.toJSON(),
        batch_size: this.batch_size,
        num_workers: this._num_workers,
        ray_stage_spec: this.ray_stage_spec,
        xenna_stage_spec: this.xenna_stage_spec,
        is_source_stage: this.is_source_stage,
        is_sink_stage: this.is_sink_stage,
      },
    };
  }
}

function findOwner(obj: object, key: string): object | null {
  let p: object | null = Object.getPrototypeOf(obj);
  while (p && !Object.prototype.hasOwnProperty.call(p, key)) p = Object.getPrototypeOf(p);
  return p;
}

/**
 * A stage made of sub-stages, decomposed at build time (NeMo Curator's `CompositeStage`), e.g.
 * `JsonlReader` = `FilePartitioningStage` + `JsonlReaderStage`. Overrides given to a composite in a
 * pipeline file apply to its main sub-stage (`mainStageIndex`, the last by default).
 */
export abstract class CompositeStage {
  abstract readonly type: string;
  name: string;
  readonly params: Record<string, unknown>;
  private pending: Record<string, StageOverrides> = {};

  constructor(params: Record<string, unknown> = {}, name?: string) {
    this.params = params;
    this.name = name ?? this.constructor.name;
  }

  /** The flat list of processing stages this composite stands for. */
  abstract decompose(): ProcessingStage[];

  /** Index of the sub-stage that takes the composite's own overrides. */
  mainStageIndex(subs: ProcessingStage[]): number {
    return subs.length - 1;
  }

  /** Per-sub-stage overrides, `{sub_stage_name: overrides}`, applied at decomposition. */
  with_(perStage: Record<string, StageOverrides>): this {
    const copy = Object.create(Object.getPrototypeOf(this)) as this;
    Object.assign(copy, this);
    copy.pending = { ...this.pending, ...perStage };
    return copy;
  }

  /** Decomposes and applies the overrides of `with_()`; unknown or duplicate sub-stage names are errors. */
  decompose_and_apply_with(): ProcessingStage[] {
    const subs = this.decompose();
    const names = subs.map((s) => s.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw new ValidationError([`composite stage "${this.name}": sub-stage name "${dup}" is not unique`]);
    for (const key of Object.keys(this.pending)) {
      if (!names.includes(key)) throw new ValidationError([`composite stage "${this.name}": no sub-stage named "${key}" (it has ${names.join(', ')})`]);
    }
    return subs.map((s) => (this.pending[s.name] ? s.with_(this.pending[s.name] as StageOverrides) : s));
  }
}

/** Either kind of stage, as added to a Pipeline. */
export type AnyStage = ProcessingStage | CompositeStage;
