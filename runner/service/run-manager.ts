/**
 * The runs of one service: a FIFO queue (the policy is run-queue.ts), the runs in the engine, their
 * live events, and their recording in the history. Every accepted run ends with exactly one
 * `run_finished`, published only after the history holds the run's end, so that a subscriber that
 * reacts to it by reading the run finds it complete.
 */
import { availableParallelism } from 'node:os';
import { createExecutor } from '../backends/index.js';
import type { RunEvent, RunSummary } from '../engine/events.js';
import type { WorkerLauncher } from '../engine/launcher.js';
import { startRun, type RunHandle } from '../engine/run-handle.js';
import { summaryOf } from '../engine/run.js';
import { RunCancelledError } from '../pipeline/errors.js';
import type { CuratorEventListener, HistoryPort, RecorderPort } from './contract.js';
import { RunEventHub } from './event-hub.js';
import { outputsOf } from './outputs.js';
import type { PreparedPipeline } from './pipeline-source.js';
import { mayStart, type QueueMachine, type RunClaim } from './run-queue.js';

/** How long `close()` waits for cancelled runs to stop. */
const CLOSE_TIMEOUT_MS = 15_000;

/** A run accepted but not started. */
export interface QueuedRun {
  runId: string;
  name: string;
  prepared: PreparedPipeline;
  cpus: number | undefined;
  gpus: string[] | undefined;
  claim: RunClaim;
}

/** A run in the engine. */
interface ActiveRun extends QueuedRun {
  handle: RunHandle;
  /** True once the engine reported run_started, and so listens for cancellation. */
  started: boolean;
  cancelRequested: boolean;
  done: Promise<void>;
}

/** What the manager needs. */
export interface RunManagerOptions {
  history: HistoryPort;
  maxConcurrentRuns: number;
  launcher: WorkerLauncher | undefined;
  log: (message: string) => void;
}

/** Queues, starts, cancels and records runs. */
export class RunManager {
  private readonly queue: QueuedRun[] = [];
  private readonly active = new Map<string, ActiveRun>();
  private readonly hub: RunEventHub;
  private machine: QueueMachine = { cpus: availableParallelism(), gpus: [] };
  private closed = false;
  private maxConcurrentRuns: number;

  constructor(private readonly opts: RunManagerOptions) {
    this.hub = new RunEventHub((err) => opts.log(`an event listener failed: ${errorText(err)}`));
    this.maxConcurrentRuns = opts.maxConcurrentRuns;
  }

  /** Changes how many runs may run at once; more room starts queued runs now (running ones go on). */
  setMaxConcurrentRuns(n: number): void {
    this.maxConcurrentRuns = Math.max(1, Math.floor(n));
    this.pump();
  }

  /** False once `close()` was called: no run is accepted any more. */
  get accepting(): boolean {
    return !this.closed;
  }

  /** The machine the queue policy fits runs into. */
  setMachine(machine: QueueMachine): void {
    this.machine = machine;
  }

  /** Queues a run already created in the history; it starts at once when the policy lets it. */
  enqueue(run: QueuedRun): { status: 'queued' | 'running'; position: number } {
    this.queue.push(run);
    this.hub.publish({ type: 'run_queued', run_id: run.runId, t: Date.now(), name: run.name, position: this.queue.length });
    this.pump();
    const at = this.queue.indexOf(run);
    return at < 0 ? { status: 'running', position: 0 } : { status: 'queued', position: at + 1 };
  }

  /** Cancels a queued run at once or asks a running one to stop; null when the run is neither. */
  cancel(runId: string): 'cancelled' | 'cancelling' | null {
    const at = this.queue.findIndex((q) => q.runId === runId);
    if (at >= 0) {
      const [run] = this.queue.splice(at, 1);
      if (run) this.finishUnstarted(run, 'cancelled', null);
      return 'cancelled';
    }
    const a = this.active.get(runId);
    if (!a) return null;
    this.requestCancel(a);
    return 'cancelling';
  }

  /** True while the run is queued or running here. */
  isActive(runId: string): boolean {
    return this.active.has(runId) || this.queue.some((q) => q.runId === runId);
  }

  subscribe(runId: string | null, listener: CuratorEventListener): () => void {
    return this.hub.subscribe(runId, listener);
  }

  /** Cancels queued and running runs and waits (a bounded time) for the running ones to stop. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const run of this.queue.splice(0)) this.finishUnstarted(run, 'cancelled', null);
    const running = [...this.active.values()];
    for (const a of running) this.requestCancel(a);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
      timer.unref();
    });
    await Promise.race([Promise.all(running.map((a) => a.done)), timeout]);
    clearTimeout(timer);
  }

  /** Starts queued runs from the head while the policy lets them (never skipping ahead). */
  private pump(): void {
    while (!this.closed) {
      const head = this.queue[0];
      if (!head || !mayStart(head.claim, [...this.active.values()].map((r) => r.claim), this.maxConcurrentRuns, this.machine)) return;
      this.queue.shift();
      this.launch(head);
    }
  }

  private launch(run: QueuedRun): void {
    const { loaded } = run.prepared;
    const { history } = this.opts;
    this.safely(run.runId, 'mark the run started', () => history.markStarted(run.runId));
    const recorder = this.safely(run.runId, 'open its recorder', () => history.recorder(run.runId, { onError: (e) => this.opts.log(e.message) }));
    let finished: RunEvent | null = null;
    const onEvent = (e: RunEvent): void => {
      if (e.type === 'run_finished') {
        finished = e;
        return;
      }
      this.safely(run.runId, `record a ${e.type} event`, () => recorder?.record(e));
      if (e.type === 'run_started') {
        const a = this.active.get(run.runId);
        if (a) a.started = true;
        // The engine listens for cancellation from run_started on; a cancel that arrived while it
        // was still planning the run is applied now.
        if (a?.cancelRequested) setImmediate(() => a.handle.cancel());
      }
      this.hub.publish(e);
    };
    let handle: RunHandle;
    try {
      const executor = createExecutor(loaded.backend, loaded.config);
      handle = startRun(loaded.pipeline, executor, { runId: run.runId, pipelineName: loaded.data.name, onEvent, cpus: run.cpus, gpus: run.gpus, ...(this.opts.launcher ? { launcher: this.opts.launcher } : {}) });
    } catch (e: unknown) {
      this.finishUnstarted(run, 'failed', e, recorder);
      return;
    }
    const summary = handle.result.then(
      async (r) => {
        const out = await outputsOf(r.tasks).catch(() => null);
        if (out?.files.length) this.safely(run.runId, 'record its outputs', () => recorder?.recordOutputs(out.files, out.docIds));
        return r.summary;
      },
      (e: unknown) => summaryOf(e) ?? unstartedSummary(run, e instanceof RunCancelledError ? 'cancelled' : 'failed', e),
    );
    const done = summary.then((s) => {
      this.active.delete(run.runId);
      this.end(run, s, finished, recorder);
      this.pump();
    });
    this.active.set(run.runId, { ...run, handle, started: false, cancelRequested: false, done });
  }

  private requestCancel(a: ActiveRun): void {
    a.cancelRequested = true;
    if (a.started) a.handle.cancel();
  }

  /** Ends a run that never reached the engine (cancelled while queued, or refused at start). */
  private finishUnstarted(run: QueuedRun, status: 'cancelled' | 'failed', err: unknown, open?: RecorderPort | null): void {
    const recorder = open === undefined ? this.safely(run.runId, 'open its recorder', () => this.opts.history.recorder(run.runId)) : open;
    this.end(run, unstartedSummary(run, status, err), null, recorder);
  }

  /** Records the run's end, then tells the subscribers. */
  private end(run: QueuedRun, summary: RunSummary, finished: RunEvent | null, recorder: RecorderPort | null): void {
    const ev: RunEvent = finished ?? { type: 'run_finished', run_id: run.runId, t: Date.now(), summary };
    this.safely(run.runId, 'record its end', () => recorder?.record(ev));
    this.safely(run.runId, 'record its summary', () => recorder?.finish(summary));
    this.safely(run.runId, 'close its recorder', () => recorder?.close());
    this.hub.publish(ev);
  }

  /** Runs a history write; a failure is logged (the run goes on), never thrown at the engine. */
  private safely<T>(runId: string, what: string, fn: () => T): T | null {
    try {
      return fn();
    } catch (e: unknown) {
      this.opts.log(`run ${runId}: could not ${what} in the history: ${errorText(e)}`);
      return null;
    }
  }
}

/** The summary of a run that never reached the engine. */
function unstartedSummary(run: QueuedRun, status: 'cancelled' | 'failed', err: unknown): RunSummary {
  const { loaded } = run.prepared;
  const mode = loaded.config.execution_mode;
  return {
    run_id: run.runId,
    status,
    backend: loaded.backend,
    execution_mode: typeof mode === 'string' ? mode : null,
    duration_s: 0,
    output_tasks: 0,
    stages: [],
    warnings: [],
    error: status === 'failed' ? { stage: null, task_id: null, message: errorText(err), stack: err instanceof Error ? (err.stack ?? null) : null } : null,
  };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
