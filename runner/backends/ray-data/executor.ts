import { totalmem } from 'node:os';
import type { ProcessingStage } from '../../pipeline/stage.js';
import { estimateBytes, type Task, type WireTask } from '../../pipeline/tasks.js';
import { PlanError } from '../../pipeline/errors.js';
import { parseExecutorConfig } from '../executor-config.js';
import type { Executor, ExecutionResult, RunOptions } from '../../engine/executor.js';
import { EngineRun } from '../../engine/run.js';
import type { SampleQueue } from '../../engine/sample-queue.js';
import type { StagePool } from '../../engine/pool.js';
import type { Batch } from '../../engine/pool.js';
import { refuseGangStages } from '../ray-actor-pool/gang.js';
import { RayDataConfigSchema, type RayDataConfig } from './config.js';
import { planRayData, RayDataPlanError, type RayDataOperator, type RayDataPlan } from './policy/plan.js';
import { decideActorPoolScaling } from './policy/autoscaler.js';
import { reservationBudgets, selectOperatorToRun, type OperatorState, type ResourceVector } from './policy/scheduling.js';

/** Ray Data's default object store is 30% of RAM, of which Ray Data budgets half. */
const DEFAULT_OBJECT_STORE_BYTES = Math.floor(totalmem() * 0.3 * 0.5);

/**
 * NeMo Curator's `RayDataExecutor` (experimental) on one machine: each stage becomes a map
 * operator, an actor pool for stateful stages or a task pool otherwise, with cheap task stages
 * fused into the following operator; Ray Data's streaming loop picks which operator gets the next
 * bundle (eligibility, concurrency-cap and resource-budget back-pressure with the reservation
 * allocator, liveness, least buffered bytes first), and actor pools autoscale on utilisation.
 */
export class RayDataExecutor implements Executor {
  readonly backend = 'ray_data' as const;
  readonly config: RayDataConfig;

  constructor(config: Partial<RayDataConfig> = {}) {
    this.config = parseExecutorConfig(RayDataConfigSchema, config, 'ray_data');
  }

  execute(stages: ProcessingStage[], initialTasks: Task[], options: RunOptions = {}): Promise<ExecutionResult> {
    const gang = refuseGangStages(stages, 'ray_data');
    if (gang.length) return Promise.reject(new PlanError(gang));
    let plan: RayDataPlan;
    try {
      plan = planRayData(stages.map((s) => ({
        name: s.name,
        cpus: s.resources.cpus,
        gpus: s.resources.gpus || (s.resources.gpu_memory_gb > 0 ? 1 : 0),
        overridesSetup: s.overridesSetup(),
        isFanout: s.ray_stage_spec.is_fanout_stage === true,
        numWorkers: s.num_workers(),
        batchSize: s.batch_size,
        rayStageSpec: s.ray_stage_spec,
      })));
    } catch (e: unknown) {
      if (e instanceof RayDataPlanError) return Promise.reject(new PlanError([e.message]));
      throw e;
    }
    return new RayDataRun(stages, initialTasks, options, this.config, plan).execute();
  }
}

class RayDataRun extends EngineRun {
  private readonly ops: RayDataOperator[];
  private readonly bundleBytes: number[];
  private readonly lastScaleUp: Array<number | null>;
  private readonly limits: ResourceVector;

  constructor(stages: ProcessingStage[], initial: Task[], options: RunOptions, private readonly cfg: RayDataConfig, plan: RayDataPlan) {
    super(
      stages,
      initial,
      options,
      { backend: 'ray_data', executionMode: null, ignoreFailures: false, slotsPerWorker: 1, loggingIntervalS: cfg.logging_interval, cpuFraction: 1, weighQueues: true },
      plan.operators.map((o) => o.stageIndices),
    );
    this.ops = plan.operators;
    this.bundleBytes = this.ops.map(() => 0);
    this.lastScaleUp = this.ops.map(() => null);
    this.limits = { cpu: 0, gpu: 0, objectStoreBytes: cfg.object_store_memory_bytes ?? DEFAULT_OBJECT_STORE_BYTES };
    this.warnings.push('RayDataExecutor is experimental: its scheduling follows Ray Data on one machine and may change');
    for (const w of plan.warnings) this.warnings.push(w);
  }

  private started = false;

  protected tick(): void {
    if (!this.started) {
      this.started = true;
      this.limits.cpu = this.plan.schedulableCpus;
      this.limits.gpu = this.plan.gpus.length;
      this.ops.forEach((op, u) => {
        const pool = this.pools[u] as StagePool;
        pool.slotsPerWorker = op.kind === 'actor' ? this.cfg.max_tasks_in_flight_per_actor : 1;
        this.log('info', 'engine', `operator ${op.name}: ${op.kind} pool${op.kind === 'actor' ? ` (${op.fixedSize ?? `${op.minActors}..${op.maxActors}`} actors)` : ''}`);
      });
      for (const w of this.warnings) this.log('warn', 'engine', w);
    }
    const now = this.now();
    this.complete();
    if (this.ended) return;
    this.ops.forEach((op, u) => {
      if (this.done[u]) return;
      if (op.kind === 'actor') this.scaleActors(u, op, now);
      else this.scaleTasks(u, op);
    });
    this.dispatchBundles();
  }

  /** Bytes of an operator's outputs not yet taken by the next one (its weighed output queue). */
  private outBytesOf(u: number): number {
    return u < this.ops.length - 1 ? (this.queues[u] as SampleQueue<WireTask>).bytes : 0;
  }

  private inputOf(u: number): SampleQueue<WireTask> {
    return u === 0 ? this.input : (this.queues[u - 1] as SampleQueue<WireTask>);
  }

  private upstreamDone(u: number): boolean {
    return u === 0 || (this.done[u - 1] as boolean);
  }

  /** An operator completes when its upstream is done and drained and it has nothing in flight; its pool is released. */
  private complete(): void {
    for (let u = 0; u < this.ops.length; u++) {
      if (this.done[u]) continue;
      const pool = this.pools[u] as StagePool;
      if (!this.upstreamDone(u) || this.inputOf(u).length > 0 || pool.hasWork()) break;
      this.done[u] = true;
      this.targets[u] = 0;
      void pool.close().then(() => this.wake());
    }
    if (this.done.every(Boolean)) void this.succeed();
  }

  /** Ray Data's actor-pool autoscaler: grow on utilisation while input waits, shrink when idle, to zero when done. */
  private scaleActors(u: number, op: RayDataOperator, now: number): void {
    const pool = this.pools[u] as StagePool;
    const min = op.fixedSize ?? op.minActors;
    const max = op.fixedSize ?? op.maxActors;
    if (pool.activeCount === 0 && this.targets[u] === 0) this.targets[u] = op.fixedSize ?? op.initialActors;
    while (pool.activeCount < (this.targets[u] as number) && this.startWorker(u)) { /* initial actors */ }
    if (pool.activeCount < (this.targets[u] as number)) return;
    const queued = Math.ceil(this.inputOf(u).length / Math.max(1, op.batchSize)) + pool.queue.length;
    const d = decideActorPoolScaling({
      size: pool.activeCount,
      pending: pool.pendingCount,
      min,
      max,
      tasksInFlight: pool.usedSlots + pool.queue.length,
      maxConcurrency: 1,
      enqueuedInputs: queued,
      freeSlots: Math.max(0, pool.emptySlots - pool.queue.length),
      avgInputsPerTask: 1,
      inputsComplete: this.upstreamDone(u) && this.inputOf(u).length === 0,
      completed: this.done[u] as boolean,
      overResourceLimits: false,
      budgetActors: this.actorsThatFit(op),
      lastScaleUpAt: this.lastScaleUp[u] ?? null,
      now,
    });
    if (d.delta > 0) {
      if (this.startWorker(u)) {
        this.lastScaleUp[u] = now;
        this.targets[u] = pool.activeCount;
        this.log('info', 'engine', `operator ${op.name}: +1 actor (${d.reason})`);
      }
    } else if (d.delta < 0) {
      const victims = [...pool.workers.values()].filter((w) => w.state === 'pending').concat([...pool.workers.values()].filter((w) => w.state === 'ready' && w.inflight.size === 0));
      for (const w of victims.slice(0, -d.delta)) pool.removeWorker(w.id);
      this.targets[u] = pool.activeCount;
    }
  }

  /** Task pools: a worker per waiting bundle, up to the concurrency cap and what the machine has free. */
  private scaleTasks(u: number, op: RayDataOperator): void {
    const pool = this.pools[u] as StagePool;
    const cap = op.fixedSize ?? Number.POSITIVE_INFINITY;
    while (pool.queue.length > pool.emptySlots + pool.pendingCount && pool.activeCount < cap && this.startWorker(u)) { /* grow */ }
    this.targets[u] = pool.activeCount;
  }

  private actorsThatFit(op: RayDataOperator): number {
    const u = this.allocator.usage();
    const freeCpu = Math.max(0, u.cpus_total - u.cpus_used);
    return op.cpus > 0 ? Math.floor(freeCpu / op.cpus + 1e-9) : Number.POSITIVE_INFINITY;
  }

  private state(u: number): OperatorState {
    const op = this.ops[u] as RayDataOperator;
    const pool = this.pools[u] as StagePool;
    const inQ = this.inputOf(u);
    const running = pool.usedSlots + pool.queue.length;
    const inflightBytes = [...pool.workers.values()].reduce((n, w) => n + [...w.inflight.values()].reduce((m, b) => m + bytesOf(b), 0), 0) + pool.queue.reduce((n, b) => n + bytesOf(b), 0);
    return {
      index: u,
      completed: this.done[u] as boolean,
      hasInput: inQ.length >= op.batchSize || (this.upstreamDone(u) && inQ.length > 0),
      canAcceptInput: op.kind === 'actor' ? pool.emptySlots - pool.queue.length > 0 : true,
      runningTasks: running,
      concurrencyCap: op.kind === 'task' ? op.fixedSize : null,
      usage: { cpu: op.kind === 'task' ? running * op.cpus : pool.activeCount * op.cpus, gpu: pool.activeCount * op.gpus, objectStoreBytes: inflightBytes + this.outBytesOf(u) },
      incremental: { cpu: op.kind === 'task' ? op.cpus : 0, gpu: 0, objectStoreBytes: (this.bundleBytes[u] as number) || 1 },
      outputBufferedBytes: this.outBytesOf(u),
      throttlingDisabled: false,
    };
  }

  /** Ray Data's scheduling step: dispatch bundles to the selected operator until none is eligible. */
  private dispatchBundles(): void {
    for (let n = 0; n < 200; n++) {
      const states = this.ops.map((_, u) => this.state(u));
      const budgets = reservationBudgets(this.limits, states, this.cfg.op_resource_reservation_ratio).budgets;
      // The run's consumer (the last operator's outputs are collected at once) is never behind.
      const consumerIdle = true;
      const sel = selectOperatorToRun(states, budgets, { consumerIdle });
      if (!sel) break;
      const u = sel.index;
      const op = this.ops[u] as RayDataOperator;
      const batch = this.takeBatch(this.inputOf(u), op.batchSize);
      const bytes = bytesOf(batch);
      this.bundleBytes[u] = this.bundleBytes[u] ? 0.8 * (this.bundleBytes[u] as number) + 0.2 * bytes : bytes;
      const pool = this.pools[u] as StagePool;
      pool.submit(batch);
      pool.dispatch();
      if (op.kind === 'task') this.scaleTasks(u, op);
    }
  }
}

const sizes = new WeakMap<Batch, number>();
function bytesOf(b: Batch): number {
  let n = sizes.get(b);
  if (n === undefined) sizes.set(b, (n = b.bytes ?? b.tasks.reduce((m, t) => m + estimateBytes(t.data), 0)));
  return n;
}
