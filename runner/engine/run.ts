import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { ProcessingStage, LogLevel } from '../pipeline/stage.js';
import { estimateBytes, fromWire, type Task, type WireTask } from '../pipeline/tasks.js';
import { RunCancelledError, StageFailedError } from '../pipeline/errors.js';
import { MachineAllocator, type Placement } from '../hardware/allocator.js';
import { HardwareSampler } from '../hardware/detect.js';
import type { BackendName, RunErrorInfo, RunEvent, RunSummary, StageStatus } from './events.js';
import type { ExecutionResult, RunOptions } from './executor.js';
import { NodeWorkerLauncher } from './launcher.js';
import { StagePool, type Batch, type PoolWorker } from './pool.js';
import { StageStats } from './stage-stats.js';
import { SampleQueue } from './sample-queue.js';
import { planMachine, type MachinePlan } from './run-plan.js';
import type { ProcessReply } from './protocol.js';
import type { WorkerCallError, WorkerCrashedError } from './worker-client.js';
import { formatStatusTable } from './status-log.js';

/** What a backend tells the shared run machinery about itself. */
export interface RunSettings {
  backend: BackendName;
  executionMode: string | null;
  ignoreFailures: boolean;
  slotsPerWorker: number;
  loggingIntervalS: number;
  /** Fraction of the machine's CPUs the scheduler may use (Xenna's cpu_allocation_percentage). */
  cpuFraction: number;
  /** Weigh inter-stage queues in bytes (for back-pressure that bounds memory); off where nothing reads it. */
  weighQueues?: boolean;
}

/**
 * One run of built stages: the state and effects every backend shares. It plans the machine,
 * owns one StagePool and one output queue per stage, counts the funnel, emits the typed event
 * stream (status, logs, hardware samples), handles failures, cancellation and the summary.
 * A backend subclasses it and implements `tick()`: its scheduling policy, called whenever
 * something changed.
 */
export abstract class EngineRun {
  readonly runId: string;
  /**
   * What each pool runs: a list of consecutive stage indices. One stage per unit, except where a
   * backend fuses stages (Ray Data). Pools, queues, targets and `done` are indexed by unit; the
   * funnel statistics stay per stage.
   */
  readonly units: number[][];
  readonly pools: StagePool[] = [];
  readonly stats: StageStats[];
  /** Output samples of each unit not yet taken by the next unit (the last unit's go to the results). */
  readonly queues: Array<SampleQueue<WireTask>>;
  /** Inputs of the first stage. */
  readonly input = new SampleQueue<WireTask>();
  readonly done: boolean[];
  /** Desired worker count per stage, as the policy last decided. */
  readonly targets: number[];
  readonly warnings: string[] = [];
  protected readonly results: WireTask[] = [];
  protected plan!: MachinePlan;
  protected allocator!: MachineAllocator;
  protected readonly t0 = Date.now();
  private batchSeq = 0;
  private readonly maxStarting = Math.max(2, availableParallelism());
  private tickQueued = false;
  private changeWaiters: Array<() => void> = [];
  private finished = false;
  private resolve!: (r: ExecutionResult) => void;
  private reject!: (e: unknown) => void;
  private timers: NodeJS.Timeout[] = [];
  private sampler: HardwareSampler | null = null;

  constructor(
    readonly stages: ProcessingStage[],
    initial: Task[],
    readonly options: RunOptions,
    readonly settings: RunSettings,
    units?: number[][],
  ) {
    this.runId = options.runId ?? randomUUID();
    this.units = units ?? stages.map((_, i) => [i]);
    this.stats = stages.map((s) => new StageStats(s.name));
    // Streaming backends weigh inter-stage queues (each task once, as it arrives), so that
    // back-pressure can bound memory as well as task counts.
    const weigh = settings.weighQueues ? (t: WireTask) => estimateBytes(t.data) : undefined;
    this.queues = this.units.map(() => new SampleQueue<WireTask>(weigh));
    this.input.push(...initial.map((t) => t.toWire()));
    this.done = this.units.map(() => false);
    this.targets = this.units.map(() => 0);
  }

  /** The stages a unit runs. */
  unitStages(u: number): ProcessingStage[] {
    return (this.units[u] as number[]).map((i) => this.stages[i] as ProcessingStage);
  }

  /** The policy's scheduling pass. */
  protected abstract tick(): void;

  /** Seconds since the run started. */
  now(): number {
    return (Date.now() - this.t0) / 1000;
  }

  /** Runs to completion. Rejects with PlanError, StageFailedError or RunCancelledError (each with `summary`). */
  async execute(): Promise<ExecutionResult> {
    const signal = this.options.signal;
    if (signal?.aborted) throw new RunCancelledError();
    const minimumCpus = this.stages.reduce((n, s) => n + s.resources.cpus * (s.num_workers() ?? 1) * Math.max(1, Math.floor(s.resources.gpus)), 0);
    this.plan = await planMachine(this.stages, { hardware: this.options.hardware, cpus: this.options.cpus, gpus: this.options.gpus, cpuFraction: this.settings.cpuFraction, minimumCpus });
    this.allocator = new MachineAllocator({ cpus: this.plan.schedulableCpus, gpus: this.plan.gpus });
    for (const w of this.plan.warnings) this.warn(w);
    const launcher = this.options.launcher ?? new NodeWorkerLauncher();
    for (let u = 0; u < this.units.length; u++) {
      const idx = u;
      this.pools.push(
        new StagePool(
          { runId: this.runId, stages: this.unitStages(u), launcher, baseEnv: process.env, slotsPerWorker: this.settings.slotsPerWorker, maxCrashRetries: 3, maxConsecutiveDeaths: 4, release: (p) => this.release(p) },
          {
            onResult: (b, r, w) => this.handleResult(idx, b, r, w),
            onBatchError: (b, e, w) => this.handleBatchError(idx, b, e, w),
            onBatchLost: (b, e) => this.handleBatchLost(idx, b, e),
            onFatal: (e) => this.fail(e),
            onLog: (level, source, msg) => this.log(level, source, msg),
            onChange: () => this.wake(),
          },
        ),
      );
    }
    const result = new Promise<ExecutionResult>((res, rej) => ((this.resolve = res), (this.reject = rej)));
    const onAbort = () => this.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.emit({
      type: 'run_started', run_id: this.runId, t: Date.now(), pipeline: this.options.pipelineName ?? 'pipeline', backend: this.settings.backend, execution_mode: this.settings.executionMode,
      stages: this.stages.map((s) => ({ name: s.name, type: s.type, resources: s.resources.toJSON(), batch_size: s.batch_size })),
    });
    // A cancel that arrived while the machine was being planned must not be lost.
    if (signal?.aborted) this.cancel();
    else {
      this.startTimers();
      this.wake();
    }
    try {
      return await result;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Resolves at the next change (a result, a worker ready or gone, a heartbeat). */
  protected nextChange(): Promise<void> {
    return new Promise((r) => this.changeWaiters.push(r));
  }

  /** Waits until a condition holds, re-checking on every change; rejects if the run ended. */
  protected async until(check: () => boolean): Promise<void> {
    while (!check()) {
      if (this.finished) throw new RunCancelledError('the run ended');
      await this.nextChange();
    }
  }

  /** True once the run has succeeded, failed or been cancelled. */
  get ended(): boolean {
    return this.finished;
  }

  /** Schedules one scheduling pass soon; many wake-ups coalesce into one pass. */
  wake(): void {
    const waiters = this.changeWaiters.splice(0);
    for (const w of waiters) w();
    if (this.tickQueued || this.finished) return;
    this.tickQueued = true;
    setImmediate(() => {
      this.tickQueued = false;
      if (this.finished) return;
      try {
        this.tick();
      } catch (e: unknown) {
        this.fail(e);
      }
    });
  }

  /** A new batch from samples. */
  makeBatch(tasks: WireTask[], bytes?: number): Batch {
    return bytes === undefined ? { id: ++this.batchSeq, tasks, attempts: 0 } : { id: ++this.batchSeq, tasks, attempts: 0, bytes };
  }

  /** A batch of up to `n` samples from a queue, carrying their weight when the queue is weighed. */
  takeBatch(src: SampleQueue<WireTask>, n: number): Batch {
    const before = src.bytes;
    const tasks = src.take(n);
    return this.makeBatch(tasks, this.settings.weighQueues && src !== this.input ? before - src.bytes : undefined);
  }

  /** Tries to start one worker for a unit; false when the CPUs or GPUs it needs are not free now. */
  startWorker(idx: number, extra: Record<string, unknown> = {}): boolean {
    // Stagger start-up: at most one starting process per core, stages in order, so that the
    // first stage's worker is not slowed down by all the others loading at once.
    const starting = this.pools.reduce((n, p) => n + p.startingCount, 0);
    if (starting >= this.maxStarting) return false;
    const shape = (this.pools[idx] as StagePool).resources;
    const cpus = shape.cpus * Math.max(1, Math.floor(shape.gpus));
    const u = this.allocator.usage();
    if (u.cpus_used + cpus > u.cpus_total + 1e-9 && u.cpus_used > 0) return false;
    const placement = this.allocator.tryAllocate({ ...shape, cpus });
    if (!placement) return false;
    (this.pools[idx] as StagePool).addWorker(placement, extra);
    return true;
  }

  private release(p: Placement): void {
    this.allocator.release(p);
    this.wake();
  }

  /** Records each stage's step and takes the unit's outputs into its queue (or the results, for the last unit). */
  protected handleResult(idx: number, batch: Batch, reply: ProcessReply, worker: PoolWorker): void {
    const unit = this.units[idx] as number[];
    reply.steps.forEach((step, j) => {
      const st = this.stats[unit[j] as number] as StageStats;
      st.record(worker.id, { tasksIn: step.tasks_in, itemsIn: step.items_in, tasksOut: step.tasks_out, itemsOut: step.items_out, none: step.returned_none, start: step.started_at - this.t0 / 1000, duration: step.duration_s, removed: step.removed, counters: step.counters });
      this.emit({ type: 'task_processed', run_id: this.runId, t: Date.now(), stage: st.name, items: step.items_in });
    });
    if (idx === this.units.length - 1) this.results.push(...reply.tasks);
    else (this.queues[idx] as SampleQueue<WireTask>).push(...reply.tasks);
    this.wake();
  }

  /** The stage a failure belongs to: the one named by the worker, else the unit's first. */
  private failedStage(idx: number, named?: string): number {
    const unit = this.units[idx] as number[];
    return unit.find((i) => this.stages[i]?.name === named) ?? (unit[0] as number);
  }

  private handleBatchError(idx: number, batch: Batch, err: WorkerCallError, worker: PoolWorker): void {
    const si = this.failedStage(idx, err.remote.stage);
    const stage = this.stages[si] as ProcessingStage;
    const taskId = err.remote.task_id ?? batch.tasks[0]?.task_id ?? null;
    if (this.settings.ignoreFailures) {
      (this.stats[si] as StageStats).failedBatches++;
      this.log('warn', worker.id, `ignoring a failed batch of ${batch.tasks.length} task(s) starting at ${taskId}: ${err.remote.message}`);
      this.wake();
      return;
    }
    this.fail(new StageFailedError(stage.name, taskId, err.remote.message, err.remote.stack));
  }

  private handleBatchLost(idx: number, batch: Batch, err: WorkerCrashedError): void {
    const si = this.failedStage(idx);
    const stage = this.stages[si] as ProcessingStage;
    const taskId = batch.tasks[0]?.task_id ?? null;
    const msg = `its worker died ${batch.attempts} times while processing it (last: ${err.message})`;
    if (this.settings.ignoreFailures) {
      (this.stats[si] as StageStats).failedBatches++;
      this.log('warn', stage.name, `dropping a batch starting at ${taskId}: ${msg}`);
      return;
    }
    this.fail(new StageFailedError(stage.name, taskId, msg));
  }

  /** Logs a line through the event stream. */
  log(level: LogLevel, source: string, message: string): void {
    this.emit({ type: 'log', run_id: this.runId, t: Date.now(), level, source, message });
  }

  /** Records a warning for the summary and logs it. */
  warn(message: string): void {
    this.warnings.push(message);
    this.log('warn', 'engine', message);
  }

  protected emit(e: RunEvent): void {
    try {
      this.options.onEvent?.(e);
    } catch (err: unknown) {
      if (e.type !== 'log') this.log('error', 'engine', `an event listener threw: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Live status of every stage. */
  statusRows(): StageStatus[] {
    const now = this.now();
    return this.stages.map((_, i) => {
      const u = this.unitOf(i);
      const unit = this.units[u] as number[];
      const first = unit[0] === i;
      const last = unit[unit.length - 1] === i;
      const inQ = first ? (u === 0 ? this.input : (this.queues[u - 1] as SampleQueue<WireTask>)).length : 0;
      const outQ = !last ? 0 : u === this.units.length - 1 ? this.results.length : (this.queues[u] as SampleQueue<WireTask>).length;
      return (this.stats[i] as StageStats).status(this.pools[u] as StagePool, inQ, outQ, this.targets[u] as number, this.done[u] as boolean, now);
    });
  }

  /** The unit that runs a stage. */
  unitOf(stageIndex: number): number {
    return this.units.findIndex((u) => u.includes(stageIndex));
  }

  private emitStatus(): void {
    const u = this.allocator.usage();
    this.emit({
      type: 'stage_status', run_id: this.runId, t: Date.now(), elapsed_s: this.now(), stages: this.statusRows(),
      cpus: { total: u.cpus_total, used: u.cpus_used }, gpus: { total: u.devices.length, used: u.devices.reduce((n, d) => n + d.used_fraction, 0) },
    });
  }

  private logStatus(): void {
    const u = this.allocator.usage();
    this.log('info', 'status', formatStatusTable(this.now(), this.statusRows(), u));
  }

  private startTimers(): void {
    this.timers.push(setInterval(() => this.emitStatus(), 500));
    this.timers.push(setInterval(() => this.logStatus(), Math.max(0.05, this.settings.loggingIntervalS) * 1000));
    // A slow heartbeat for time-based policy decisions (grace periods, autoscale intervals).
    this.timers.push(setInterval(() => this.wake(), 250));
    if (this.options.onEvent) {
      this.sampler = new HardwareSampler(this.plan.inventory);
      const sample = () =>
        void this.sampler?.sample().then(
          (s) => this.emit({ type: 'hardware_sample', run_id: this.runId, t: Date.now(), sample: s }),
          () => undefined,
        );
      this.timers.push(setInterval(sample, 2000));
    }
    for (const t of this.timers) t.unref();
  }

  /** Ends the run successfully: stops every pool gracefully and resolves with the outputs. */
  protected async succeed(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    for (const w of this.changeWaiters.splice(0)) w();
    await Promise.all(this.pools.map((p) => p.close()));
    const summary = this.finish('succeeded', null);
    this.resolve({ tasks: this.results.map(fromWire), summary });
  }

  /** Ends the run with an error: kills every worker, then rejects. */
  fail(err: unknown): void {
    if (this.finished) return;
    this.finished = true;
    for (const w of this.changeWaiters.splice(0)) w();
    void Promise.all(this.pools.map((p) => p.kill())).then(() => {
      const info: RunErrorInfo = err instanceof StageFailedError
        ? { stage: err.stage, task_id: err.taskId, message: err.stageMessage, stack: err.stageStack }
        : { stage: null, task_id: null, message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? (err.stack ?? null) : null };
      const summary = this.finish('failed', info);
      this.reject(withSummary(err, summary));
    });
  }

  /** Cancels: kills every worker within a few seconds and rejects with RunCancelledError. */
  cancel(): void {
    if (this.finished) return;
    this.finished = true;
    for (const w of this.changeWaiters.splice(0)) w();
    void Promise.all(this.pools.map((p) => p.kill())).then(() => {
      const summary = this.finish('cancelled', null);
      this.reject(withSummary(new RunCancelledError(), summary));
    });
  }

  private finish(status: RunSummary['status'], error: RunErrorInfo | null): RunSummary {
    for (const t of this.timers) clearInterval(t);
    // The final state always reaches listeners, however short the run was.
    if (this.allocator) this.emitStatus();
    if (status === 'succeeded') this.logStatus();
    // The log tells the whole story on its own: a failed run ends with its error.
    if (error) this.log('error', 'run', `failed${error.stage ? ` in stage ${error.stage}` : ''}${error.task_id ? ` at task ${error.task_id}` : ''}: ${error.message}`);
    const summary: RunSummary = {
      run_id: this.runId,
      status,
      backend: this.settings.backend,
      execution_mode: this.settings.executionMode,
      duration_s: Math.round(this.now() * 1000) / 1000,
      output_tasks: this.results.length,
      stages: this.stages.map((_, i) => (this.stats[i] as StageStats).summary(this.pools[this.unitOf(i)] as StagePool)),
      warnings: [...this.warnings],
      error,
    };
    this.emit({ type: 'run_finished', run_id: this.runId, t: Date.now(), summary });
    return summary;
  }
}

/** Attaches the run summary to the error a failed or cancelled run rejects with. */
export function withSummary<E>(err: E, summary: RunSummary): E {
  if (err instanceof Error) (err as Error & { summary?: RunSummary }).summary = summary;
  return err;
}

/** The summary attached to a run's error, if any. */
export function summaryOf(err: unknown): RunSummary | null {
  return err instanceof Error ? ((err as Error & { summary?: RunSummary }).summary ?? null) : null;
}
