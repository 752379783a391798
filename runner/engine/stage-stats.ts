import type { StageStatus, StageSummary } from './events.js';
import type { StagePool } from './pool.js';
import { RateEstimator, median } from './estimator.js';
import { addCounters, emptyReport, mergeReports, type RemovalReport } from './removals.js';

/**
 * Counters and speed estimates of one stage during a run: the funnel (tasks and items in / out,
 * dropped, failed), process time, the stage-wide estimator the autoscaler reads, and per-worker
 * estimators for the status log's "tasks per worker per second".
 */
export class StageStats {
  tasksIn = 0;
  tasksOut = 0;
  itemsIn = 0;
  itemsOut = 0;
  returnedNone = 0;
  failedBatches = 0;
  batches = 0;
  processTimeS = 0;
  /** What the stage removed, by reason, with a bounded sample. */
  readonly removed: RemovalReport = emptyReport();
  /** Named counters the stage added to. */
  readonly counters: Record<string, number> = {};
  /** Stage-wide estimator over every worker's batches (Xenna §1.6, 180 s window, 5 events). */
  readonly estimator: RateEstimator;
  private readonly perWorker = new Map<string, RateEstimator>();
  /** Output samples per batch over the last 100 batches, for the back-pressure bound. */
  private readonly recentReturns: number[] = [];

  constructor(readonly name: string, windowS = 180) {
    this.estimator = new RateEstimator(windowS, 5);
  }

  /** Records one finished batch. Times are in seconds. */
  record(workerId: string, b: { tasksIn: number; itemsIn: number; tasksOut: number; itemsOut: number; none: number; start: number; duration: number; removed?: RemovalReport | undefined; counters?: Record<string, number> | undefined }): void {
    this.batches++;
    if (b.removed) mergeReports(this.removed, b.removed);
    addCounters(this.counters, b.counters);
    this.tasksIn += b.tasksIn;
    this.itemsIn += b.itemsIn;
    this.tasksOut += b.tasksOut;
    this.itemsOut += b.itemsOut;
    this.returnedNone += b.none;
    this.processTimeS += b.duration;
    const sample = { start: b.start, duration: b.duration, numReturns: b.tasksOut };
    this.estimator.add(sample);
    let w = this.perWorker.get(workerId);
    if (!w) this.perWorker.set(workerId, (w = new RateEstimator(600, 5)));
    w.add(sample);
    this.recentReturns.push(b.tasksOut);
    if (this.recentReturns.length > 100) this.recentReturns.shift();
  }

  /** Average output samples per batch (1 before any batch). */
  avgSamplesPerTask(): number {
    if (!this.recentReturns.length) return 1;
    const avg = this.recentReturns.reduce((a, b) => a + b, 0) / this.recentReturns.length;
    return avg > 0 ? avg : 1;
  }

  /** Median over the given workers of their batches per second. */
  tasksPerWorkerS(workerIds: string[], now: number): number | null {
    const speeds = workerIds.map((id) => this.perWorker.get(id)?.speed(now)).filter((v): v is number => v !== undefined);
    return median(speeds) ?? null;
  }

  /** The live status row. */
  status(pool: StagePool, inputQueue: number, outputQueue: number, target: number, done: boolean, now: number): StageStatus {
    const ready = [...pool.workers.values()].filter((w) => w.state === 'ready').map((w) => w.id);
    return {
      name: this.name,
      workers: { pending: pool.pendingCount, ready: pool.readyCount, busy: pool.busyCount, idle: pool.idleCount, target },
      tasks: { completed: this.batches, returned_none: this.returnedNone, failed: this.failedBatches, in: this.tasksIn, out: this.tasksOut },
      items: { in: this.itemsIn, out: this.itemsOut },
      queue: { input: inputQueue + pool.queue.length, output: outputQueue },
      slots: { used: pool.usedSlots, empty: pool.emptySlots },
      tasks_per_worker_s: this.tasksPerWorkerS(ready, now),
      process_time_s: this.processTimeS,
      workers_max: pool.workersMax,
      done,
    };
  }

  /** The end-of-run row. */
  summary(pool: StagePool): StageSummary {
    return {
      name: this.name,
      tasks_in: this.tasksIn,
      tasks_out: this.tasksOut,
      items_in: this.itemsIn,
      items_out: this.itemsOut,
      returned_none: this.returnedNone,
      failed_batches: this.failedBatches,
      process_time_s: round3(this.processTimeS),
      workers_max: pool.workersMax,
      ...(Object.keys(this.removed.reasons).length ? { removed: this.removed } : {}),
      ...(Object.keys(this.counters).length ? { counters: this.counters } : {}),
    };
  }
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
