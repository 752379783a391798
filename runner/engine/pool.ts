import type { ProcessingStage, LogLevel } from '../pipeline/stage.js';
import type { WireTask } from '../pipeline/tasks.js';
import { StageSetupError } from '../pipeline/errors.js';
import type { WorkerLauncher } from './launcher.js';
import type { ProcessReply } from './protocol.js';
import { StageWorker, WorkerCallError, WorkerCrashedError, type WorkerTimeouts } from './worker-client.js';
import type { Placement } from '../hardware/allocator.js';
import { workerEnv } from '../hardware/allocator.js';

/** A group of tasks sent to one worker in one call. `attempts` counts worker deaths it survived. */
export interface Batch {
  id: number;
  tasks: WireTask[];
  attempts: number;
  /** Bytes of data in the batch, when it was taken from a weighed queue. */
  bytes?: number;
}

/** Lifecycle of a pool worker. */
export type WorkerState = 'pending' | 'ready' | 'draining';

/** The engine's view of one worker of a pool. */
export interface PoolWorker {
  id: string;
  worker: StageWorker;
  state: WorkerState;
  placement: Placement;
  inflight: Map<number, Batch>;
  readyAt: number | null;
  /** Extra init fields (gang rank, world size, rendezvous). */
  extra: Record<string, unknown>;
}

/** What a pool reports to the backend that drives it. */
export interface PoolEvents {
  onResult(batch: Batch, reply: ProcessReply, worker: PoolWorker): void;
  /** The stage threw on a batch; the backend decides (fail the run, or drop and count). */
  onBatchError(batch: Batch, error: WorkerCallError, worker: PoolWorker): void;
  /** A batch was in flight on workers that died more than the retry limit allows. */
  onBatchLost(batch: Batch, error: WorkerCrashedError): void;
  /** The stage can never run (setup failed, workers keep dying). */
  onFatal(error: Error): void;
  onLog(level: LogLevel, source: string, message: string): void;
  /** Released placement (worker exited) or a state change worth a scheduling pass. */
  onChange(): void;
}

/** Fixed knobs of a pool. */
export interface PoolOptions {
  runId: string;
  /** The stages every worker runs in order: one, or several fused. */
  stages: ProcessingStage[];
  launcher: WorkerLauncher;
  baseEnv: NodeJS.ProcessEnv;
  slotsPerWorker: number;
  /** Times one batch may be re-queued after its worker died (Xenna: 3). */
  maxCrashRetries: number;
  /** Consecutive worker deaths without a finished batch before the stage is abandoned (Xenna: 4). */
  maxConsecutiveDeaths: number;
  release(placement: Placement): void;
  timeouts?: WorkerTimeouts;
}

/**
 * The workers of one stage and their FIFO queue of batches. Shared by every backend: a backend
 * decides how many workers, which batches, and in what order; the pool starts and stops processes,
 * places batches on the least-busy ready worker with a free slot, and on a worker's death puts its
 * in-flight batches back at the front of the queue and starts a replacement on the same placement.
 */
export class StagePool {
  readonly stages: ProcessingStage[];
  /** The stage's name, or the fused stages' names joined by "->". */
  readonly name: string;
  /** What one worker needs: the largest request over the fused stages. */
  readonly resources: { cpus: number; gpus: number; gpu_memory_gb: number };
  readonly workers = new Map<string, PoolWorker>();
  readonly queue: Batch[] = [];
  slotsPerWorker: number;
  private nextWorker = 0;
  private nodeSetup: Promise<void> | null = null;
  private nodeSetupDone = false;
  private consecutiveDeaths = 0;
  private closed = false;
  /** Highest number of live workers seen. */
  workersMax = 0;
  /** Callers of runBatch waiting for their batch, by batch id. */
  private readonly waiters = new Map<number, { resolve: (r: ProcessReply) => void; reject: (e: Error) => void }>();

  constructor(private readonly o: PoolOptions, private readonly ev: PoolEvents) {
    this.stages = o.stages;
    this.name = o.stages.map((s) => s.name).join('->');
    this.resources = {
      cpus: Math.max(...o.stages.map((s) => s.resources.cpus)),
      gpus: Math.max(...o.stages.map((s) => s.resources.gpus)),
      gpu_memory_gb: Math.max(...o.stages.map((s) => s.resources.gpu_memory_gb)),
    };
    this.slotsPerWorker = o.slotsPerWorker;
  }

  get pendingCount(): number {
    return this.count('pending');
  }
  get readyCount(): number {
    return this.count('ready');
  }
  /** Live workers that count towards the stage's size (draining ones do not). */
  get activeCount(): number {
    return this.pendingCount + this.readyCount;
  }
  get usedSlots(): number {
    let n = 0;
    for (const w of this.workers.values()) n += w.inflight.size;
    return n;
  }
  get emptySlots(): number {
    let n = 0;
    for (const w of this.workers.values()) if (w.state === 'ready') n += Math.max(0, this.slotsPerWorker - w.inflight.size);
    return n;
  }
  get busyCount(): number {
    return [...this.workers.values()].filter((w) => w.state !== 'pending' && w.inflight.size > 0).length;
  }
  get idleCount(): number {
    return [...this.workers.values()].filter((w) => w.state === 'ready' && w.inflight.size === 0).length;
  }
  /** Processes spawned that have not said hello yet (start-up costs CPU; the engine staggers it). */
  get startingCount(): number {
    let n = 0;
    for (const w of this.workers.values()) if (!w.worker.started && w.worker.alive) n++;
    return n;
  }
  /** Queued or in-flight work. */
  hasWork(): boolean {
    return this.queue.length > 0 || this.usedSlots > 0;
  }
  private count(s: WorkerState): number {
    let n = 0;
    for (const w of this.workers.values()) if (w.state === s) n++;
    return n;
  }

  /** Starts a worker on a placement the backend obtained from the allocator. */
  addWorker(placement: Placement, extra: Record<string, unknown> = {}): PoolWorker {
    const id = `${this.name}#${this.nextWorker++}`;
    const env = workerEnv(this.o.baseEnv, placement.devices, { CURATOR_RUN_ID: this.o.runId, CURATOR_WORKER_ID: id });
    const worker = new StageWorker(id, this.o.launcher, { serviceName: id, env }, (level, msg) => this.ev.onLog(level, id, msg), this.o.timeouts, () => this.ev.onChange());
    const pw: PoolWorker = { id, worker, state: 'pending', placement, inflight: new Map(), readyAt: null, extra };
    this.workers.set(id, pw);
    this.workersMax = Math.max(this.workersMax, this.activeCount);
    worker.onCrash((err) => this.handleCrash(pw, err));
    void this.initWorker(pw);
    return pw;
  }

  private async initWorker(pw: PoolWorker): Promise<void> {
    // setup_on_node runs once per machine and stage, on the first worker, while the others wait;
    // if that worker dies, the next waiting one takes it over.
    try {
      for (;;) {
        if (this.nodeSetupDone) return await this.initOne(pw, false);
        if (!this.nodeSetup) {
          const mine = this.initOne(pw, true);
          this.nodeSetup = mine.then(() => void (this.nodeSetupDone = true));
          this.nodeSetup.catch(() => (this.nodeSetup = null));
          return await mine;
        }
        try {
          await this.nodeSetup;
        } catch {
          if (this.closed || !pw.worker.alive) return;
        }
      }
    } catch (e: unknown) {
      this.initFailed(pw, e);
    }
  }

  private async initOne(pw: PoolWorker, runSetupOnNode: boolean): Promise<void> {
    const threads = Math.floor(this.resources.cpus);
    await pw.worker.init({
      specs: this.stages.map((s) => s.toSpec()),
      worker: {
        worker_id: pw.id,
        stage_name: this.name,
        allocation: { cpus: pw.placement.cpus, gpu_devices: pw.placement.devices.map((d) => d.uuid), gpu_fraction: pw.placement.gpu_fraction },
        ...pw.extra,
      },
      runSetupOnNode,
      threads: threads > 1 ? threads : 0,
    });
    if (this.closed || pw.state !== 'pending') return;
    pw.state = 'ready';
    pw.readyAt = Date.now();
    this.dispatch();
    this.ev.onChange();
  }

  private initFailed(pw: PoolWorker, e: unknown): void {
    if (e instanceof WorkerCrashedError) return; // handled by handleCrash
    if (this.closed) return;
    const remote = e instanceof WorkerCallError ? e.remote : null;
    const msg = e instanceof Error ? e.message : String(e);
    this.ev.onFatal(new StageSetupError(remote?.stage ?? this.name, msg, remote?.stack ?? null));
  }

  /** Adds a batch at the back of the queue (or the front, for retries). */
  submit(batch: Batch, front = false): void {
    if (front) this.queue.unshift(batch);
    else this.queue.push(batch);
  }

  /**
   * Queues a batch and resolves when it has been processed (after any retries on replacement
   * workers); rejects when the stage throws on it or it is lost. Results also reach the backend
   * through `onResult` as usual.
   */
  runBatch(batch: Batch): Promise<ProcessReply> {
    const p = new Promise<ProcessReply>((resolve, reject) => this.waiters.set(batch.id, { resolve, reject }));
    this.submit(batch);
    this.dispatch();
    return p;
  }

  /** Sends a batch to one particular worker (gang stages) and resolves with its reply. */
  runOn(w: PoolWorker, batch: Batch): Promise<ProcessReply> {
    const p = new Promise<ProcessReply>((resolve, reject) => this.waiters.set(batch.id, { resolve, reject }));
    this.send(w, batch);
    return p;
  }

  private settle(batch: Batch, result: { reply: ProcessReply } | { error: Error }): void {
    const w = this.waiters.get(batch.id);
    if (!w) return;
    this.waiters.delete(batch.id);
    if ('reply' in result) w.resolve(result.reply);
    else w.reject(result.error);
  }

  /** Places queued batches FIFO on ready workers with a free slot, least used slots first. */
  dispatch(): void {
    while (this.queue.length) {
      let best: PoolWorker | null = null;
      for (const w of this.workers.values()) {
        if (w.state !== 'ready' || w.inflight.size >= this.slotsPerWorker) continue;
        if (!best || w.inflight.size < best.inflight.size) best = w;
      }
      if (!best) return;
      this.send(best, this.queue.shift() as Batch);
    }
  }

  /** Sends a batch to a specific worker (gang stages, ActorPool); the caller checks its slots. */
  send(w: PoolWorker, batch: Batch): void {
    w.inflight.set(batch.id, batch);
    w.worker.process(batch.tasks).then(
      (reply) => {
        if (!w.inflight.delete(batch.id)) return;
        this.consecutiveDeaths = 0;
        this.ev.onResult(batch, reply, w);
        this.settle(batch, { reply });
        this.afterBatch(w);
      },
      (err: unknown) => {
        if (err instanceof WorkerCrashedError || !w.inflight.delete(batch.id)) return;
        const e = err instanceof WorkerCallError ? err : new WorkerCallError({ name: 'Error', message: String(err), stack: null });
        this.ev.onBatchError(batch, e, w);
        this.settle(batch, { error: e });
        this.afterBatch(w);
      },
    );
  }

  private afterBatch(w: PoolWorker): void {
    if (w.state === 'draining' && w.inflight.size === 0) void this.stopWorker(w);
    else this.dispatch();
    this.ev.onChange();
  }

  private handleCrash(pw: PoolWorker, err: WorkerCrashedError): void {
    this.workers.delete(pw.id);
    if (this.closed) return this.o.release(pw.placement);
    this.consecutiveDeaths++;
    this.ev.onLog('warn', pw.id, `${err.message}; ${pw.inflight.size} batch(es) go back to the queue`);
    const back = [...pw.inflight.values()];
    pw.inflight.clear();
    for (let i = back.length - 1; i >= 0; i--) {
      const b = back[i] as Batch;
      b.attempts++;
      if (b.attempts > this.o.maxCrashRetries) {
        this.ev.onBatchLost(b, err);
        this.settle(b, { error: err });
      }
      else this.queue.unshift(b);
    }
    if (this.consecutiveDeaths >= this.o.maxConsecutiveDeaths) {
      this.o.release(pw.placement);
      this.ev.onFatal(new StageSetupError(this.name, `${this.consecutiveDeaths} workers died in a row without finishing a batch (last: ${err.message})`));
      return;
    }
    if (pw.state === 'draining') this.o.release(pw.placement);
    else this.addWorker(pw.placement, pw.extra); // the replacement keeps the same placement
    this.ev.onChange();
  }

  /**
   * Removes a worker: a pending one is stopped at once; a ready one stops taking batches and
   * stops when its in-flight batches finish (nothing is thrown away).
   */
  removeWorker(id: string): void {
    const w = this.workers.get(id);
    if (!w || w.state === 'draining') return;
    const wasPending = w.state === 'pending';
    w.state = 'draining';
    if (wasPending || w.inflight.size === 0) void this.stopWorker(w);
  }

  private async stopWorker(w: PoolWorker): Promise<void> {
    await w.worker.stop();
    if (this.workers.delete(w.id)) this.o.release(w.placement);
    this.ev.onChange();
  }

  /** Graceful stop of every worker (teardown); resolves when all processes are gone. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.workers.values()];
    await Promise.all(all.map((w) => w.worker.stop()));
    for (const w of all) if (this.workers.delete(w.id)) this.o.release(w.placement);
  }

  /** Immediate kill of every worker (cancel, failure); resolves when all processes are gone. */
  async kill(): Promise<void> {
    this.closed = true;
    const all = [...this.workers.values()];
    await Promise.all(all.map((w) => w.worker.kill()));
    for (const w of all) if (this.workers.delete(w.id)) this.o.release(w.placement);
  }
}
