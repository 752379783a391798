import { WHOLE_INPUT, type ProcessingStage } from '../../pipeline/stage.js';
import type { Task, WireTask } from '../../pipeline/tasks.js';
import { PlanError } from '../../pipeline/errors.js';
import { parseExecutorConfig } from '../executor-config.js';
import type { Executor, ExecutionResult, RunOptions } from '../../engine/executor.js';
import { EngineRun } from '../../engine/run.js';
import { type SampleQueue } from '../../engine/sample-queue.js';
import type { StagePool } from '../../engine/pool.js';
import { memoryFraction } from '../../hardware/allocator.js';
import { XennaConfigSchema, type XennaConfig } from './config.js';
import { solveAllocation, AllocationError, type AllocationStage } from './autoscaler.js';
import { maxQueued, canAdmit, MAX_QUEUED_OUTPUT_BYTES } from './backpressure.js';
import { refuseGangStages } from '../ray-actor-pool/gang.js';

/**
 * NeMo Curator's `XennaExecutor` on one machine. Streaming: every stage at once, per-stage pools
 * with slots, per-sample queues re-batched to each stage's batch size, the back-pressure bound,
 * the done cascade, and the max-min autoscaler re-solved every `autoscale_interval_s`. Batch:
 * one stage after another, each with the machine to itself, results materialised in between.
 */
export class XennaExecutor implements Executor {
  readonly backend = 'xenna' as const;
  readonly config: XennaConfig;

  constructor(config: Partial<XennaConfig> = {}) {
    this.config = parseExecutorConfig(XennaConfigSchema, config, 'xenna');
  }

  execute(stages: ProcessingStage[], initialTasks: Task[], options: RunOptions = {}): Promise<ExecutionResult> {
    const gang = refuseGangStages(stages, 'xenna');
    if (gang.length) return Promise.reject(new PlanError(gang));
    return new XennaRun(stages, initialTasks, options, this.config).execute();
  }
}

class XennaRun extends EngineRun {
  private nextAutoscale = 0;
  private batchStage = -1;
  private solveWarned = false;

  constructor(stages: ProcessingStage[], initial: Task[], options: RunOptions, private readonly cfg: XennaConfig) {
    super(stages, initial, options, {
      backend: 'xenna',
      executionMode: cfg.execution_mode,
      ignoreFailures: cfg.ignore_failures,
      slotsPerWorker: cfg.slots_per_actor,
      loggingIntervalS: cfg.logging_interval,
      cpuFraction: cfg.cpu_allocation_percentage,
      weighQueues: cfg.execution_mode === 'streaming',
    });
  }

  private get streaming(): boolean {
    return this.cfg.execution_mode === 'streaming';
  }

  protected tick(): void {
    const now = this.now();
    if (this.streaming) {
      if (now >= this.nextAutoscale) {
        this.autoscale(now);
        this.nextAutoscale = now + this.cfg.autoscale_interval_s;
      }
    } else this.planBatchStage();
    for (let i = 0; i < this.stages.length; i++) if (!this.done[i]) this.reconcile(i, now);
    for (let i = this.stages.length - 1; i >= 0; i--) if (!this.done[i]) this.feed(i);
    for (const p of this.pools) p.dispatch();
    this.cascade();
  }

  /** Xenna's solve: chain-normalised max-min over measured speeds, applied as worker targets. */
  private autoscale(now: number): void {
    const stages: AllocationStage[] = this.stages.map((s, i) => ({
      name: s.name,
      batch_size: s.batch_size,
      cpus: s.resources.cpus,
      gpus: this.gpuShare(s),
      requested_workers: s.num_workers() ?? undefined,
      speed: this.stats[i]?.estimator.speed(now),
      returns_per_batch: this.stats[i]?.estimator.returnsPerBatch(now),
      current_workers: (this.pools[i] as StagePool).activeCount,
      current_slots: (this.pools[i] as StagePool).slotsPerWorker,
      finished: this.done[i] as boolean,
    }));
    try {
      const res = solveAllocation({ cpus: this.plan.schedulableCpus, gpus: this.plan.gpus.length, stages });
      res.workers.forEach((w, i) => (this.targets[i] = this.done[i] ? 0 : w));
      res.slots_per_worker.forEach((s, i) => {
        const pool = this.pools[i] as StagePool;
        pool.slotsPerWorker = Math.max(pool.slotsPerWorker, s);
      });
    } catch (e: unknown) {
      if (!(e instanceof AllocationError)) throw e;
      if (now < 1e-9 || this.targets.every((t) => t === 0)) throw new PlanError([e.message]);
      if (!this.solveWarned) this.warn(`autoscaler: ${e.message}; keeping the current workers`);
      this.solveWarned = true;
    }
  }

  /** Batch mode: the first unfinished stage gets the whole machine (capped by the batches it has). */
  private planBatchStage(): void {
    const k = this.done.findIndex((d) => !d);
    if (k < 0 || k === this.batchStage) return;
    this.batchStage = k;
    const s = this.stages[k] as ProcessingStage;
    const res = solveAllocation({
      cpus: this.plan.schedulableCpus,
      gpus: this.plan.gpus.length,
      stages: [{ name: s.name, batch_size: s.batch_size, cpus: s.resources.cpus, gpus: this.gpuShare(s), requested_workers: s.num_workers() ?? undefined }],
    }, { overallocationTarget: 1.0 });
    const inputs = (k === 0 ? this.input : (this.queues[k - 1] as SampleQueue<WireTask>)).length;
    const batches = Math.max(1, Math.ceil(inputs / s.batch_size));
    this.targets.fill(0);
    this.targets[k] = s.num_workers() ?? Math.min(res.workers[0] ?? 1, batches);
  }

  /** GPU share per worker as the solver sees it: gpu_memory_gb against the smallest allowed device. */
  private gpuShare(s: ProcessingStage): number {
    if (s.resources.gpus > 0) return s.resources.gpus;
    if (s.resources.gpu_memory_gb > 0 && this.plan.gpus.length) return Math.min(1, Math.max(...this.plan.gpus.map((d) => memoryFraction(s.resources.gpu_memory_gb, d))));
    return 0;
  }

  /** Deletes before creates; never removes a worker that is pending or only just became ready. */
  private reconcile(i: number, now: number): void {
    const pool = this.pools[i] as StagePool;
    const target = this.targets[i] as number;
    let excess = pool.activeCount - target;
    if (excess > 0) {
      const graceMs = this.cfg.scale_down_grace_after_ready_s * 1000;
      const removable = [...pool.workers.values()]
        .filter((w) => w.state === 'ready' && (Date.now() - (w.readyAt ?? Date.now()) >= graceMs || this.done[i]))
        .sort((a, b) => a.inflight.size - b.inflight.size);
      for (const w of removable) {
        if (excess-- <= 0) break;
        pool.removeWorker(w.id);
      }
    }
    while (pool.activeCount < target && this.startWorker(i)) {
      /* start until the target or the machine's free capacity is reached */
    }
    void now;
  }

  /** Moves samples from the upstream queue into the pool as batches, within the back-pressure bound. */
  private feed(i: number): void {
    const pool = this.pools[i] as StagePool;
    const stage = this.stages[i] as ProcessingStage;
    const src = i === 0 ? this.input : (this.queues[i - 1] as SampleQueue<WireTask>);
    const upstreamDone = i === 0 || (this.done[i - 1] as boolean);
    if (!this.streaming && !upstreamDone) return;
    const isLast = i === this.stages.length - 1;
    const bound = this.streaming
      ? maxQueued({ readyWorkers: pool.readyCount, slotsPerWorker: pool.slotsPerWorker, lowerBound: this.cfg.max_queued_lower_bound, nextBatchSize: this.stages[i + 1]?.batch_size ?? 1 })
      : Number.POSITIVE_INFINITY;
    const out = isLast ? null : (this.queues[i] as SampleQueue<WireTask>);
    // No memory bound in front of a stage that takes its whole input at once (a dedup
    // identification pass): it consumes nothing until this stage is done.
    const byteBound = this.streaming && (this.stages[i + 1]?.batch_size ?? 1) < WHOLE_INPUT;
    const byteBoundIn = this.streaming && stage.batch_size < WHOLE_INPUT;
    while (src.length > 0) {
      if (!canAdmit({ usedSlots: pool.usedSlots, poolQueue: pool.queue.length, outputSamples: out?.length ?? 0, avgSamplesPerTask: this.stats[i]?.avgSamplesPerTask() ?? 1, isLast, bound, outputBytes: out?.bytes ?? 0, ...(byteBound ? { maxOutputBytes: MAX_QUEUED_OUTPUT_BYTES } : {}) })) break;
      if (src.length < stage.batch_size && !upstreamDone) break;
      // The stage's own waiting batches count against the same memory bound as its output.
      if (byteBoundIn && pool.queue.length > 0 && queuedBytes(pool) >= MAX_QUEUED_OUTPUT_BYTES) break;
      pool.submit(this.takeBatch(src, stage.batch_size));
    }
  }

  /** Xenna's done cascade: a stage is done when its upstream is done and drained and it has no work. */
  private cascade(): void {
    for (let i = 0; i < this.stages.length; i++) {
      if (this.done[i]) continue;
      const upstreamEmpty = i === 0 ? this.input.length === 0 : (this.done[i - 1] as boolean) && (this.queues[i - 1] as SampleQueue<WireTask>).length === 0;
      const pool = this.pools[i] as StagePool;
      if (!upstreamEmpty || pool.hasWork()) break;
      this.done[i] = true;
      this.targets[i] = 0;
      this.log('info', 'engine', `stage ${this.stages[i]?.name} is done`);
      void pool.close().then(() => this.wake());
    }
    if (this.done.every(Boolean)) void this.succeed();
  }
}

/** Bytes of data in a pool's waiting batches (weighed when they were taken from their queue). */
function queuedBytes(pool: StagePool): number {
  let n = 0;
  for (const b of pool.queue) n += b.bytes ?? 0;
  return n;
}
