import { fileURLToPath } from 'node:url';
import type { InitPayload, ProcessReply, WorkerMessage, WorkerRequest } from './protocol.js';
import { isReply } from './protocol.js';
import type { LaunchOptions, WorkerExit, WorkerLauncher, WorkerProcess } from './launcher.js';
import type { WireTask } from '../pipeline/tasks.js';
import type { WireError } from '../pipeline/errors.js';
import type { LogLevel } from '../pipeline/stage.js';

/** Absolute path of the compiled worker entry. */
export const WORKER_ENTRY = fileURLToPath(new URL('./worker-main.js', import.meta.url));

/** A worker process ended while the engine still needed it. */
export class WorkerCrashedError extends Error {
  override name = 'WorkerCrashedError';
  constructor(readonly workerId: string, readonly exit: WorkerExit) {
    super(`worker ${workerId} exited unexpectedly (${exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`})`);
  }
}

/** A worker's stage code threw; carries the error as it crossed the process boundary. */
export class WorkerCallError extends Error {
  override name = 'WorkerCallError';
  constructor(readonly remote: WireError) {
    super(remote.message);
  }
}

/** Timeouts of a worker's life, in milliseconds. */
export interface WorkerTimeouts {
  /** From spawn to the worker's hello. */
  start: number;
  /** For teardown before the process is killed. */
  stop: number;
}

const DEFAULT_TIMEOUTS: WorkerTimeouts = { start: 30_000, stop: 5_000 };

/**
 * The engine's handle on one stage worker process: starts it, sends envelopes and matches replies
 * by sequence number, forwards its logs, reports a crash separately from a requested exit, and
 * stops it gracefully (teardown, then SIGTERM, then SIGKILL).
 */
export class StageWorker {
  private proc: WorkerProcess;
  private seq = 0;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private stopping = false;
  private exitInfo: WorkerExit | null = null;
  private hello: Promise<void>;
  private crashCbs: Array<(err: WorkerCrashedError) => void> = [];
  private exitWaiters: Array<() => void> = [];
  private stopPromise: Promise<void> | null = null;
  private helloSeen = false;

  constructor(
    readonly id: string,
    launcher: WorkerLauncher,
    launch: Omit<LaunchOptions, 'entry'> & { entry?: string },
    private readonly onLog: (level: LogLevel, message: string) => void,
    private readonly timeouts: WorkerTimeouts = DEFAULT_TIMEOUTS,
    private readonly onStarted?: () => void,
  ) {
    this.proc = launcher.launch({ entry: WORKER_ENTRY, ...launch });
    let helloResolve: () => void = () => undefined;
    let helloReject: (e: Error) => void = () => undefined;
    this.hello = new Promise<void>((res, rej) => {
      helloResolve = res;
      helloReject = rej;
    });
    this.hello.catch(() => undefined);
    const timer = setTimeout(() => {
      helloReject(new Error(`worker ${id} did not start within ${this.timeouts.start / 1000} s`));
      this.proc.kill('SIGKILL');
    }, this.timeouts.start);
    this.proc.onMessage((raw) => {
      const m = raw as WorkerMessage;
      if (isReply(m)) {
        const p = this.pending.get(m.seq);
        if (!p) return;
        this.pending.delete(m.seq);
        if (m.ok) p.resolve(m.value);
        else p.reject(new WorkerCallError(m.error));
      } else if (m.kind === 'log') this.onLog(m.level, m.message);
      else if (m.kind === 'hello') {
        clearTimeout(timer);
        this.helloSeen = true;
        helloResolve();
        this.onStarted?.();
      }
    });
    this.proc.onOutput((stream, line) => this.onLog(stream === 'stderr' ? 'warn' : 'info', line));
    this.proc.onExit((exit) => {
      clearTimeout(timer);
      this.exitInfo = exit;
      const err = new WorkerCrashedError(id, exit);
      helloReject(err);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      if (!this.stopping) for (const cb of this.crashCbs) cb(err);
      for (const w of this.exitWaiters) w();
    });
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }
  /** True once the process has started and said hello (its setup may still be running). */
  get started(): boolean {
    return this.helloSeen;
  }
  get alive(): boolean {
    return this.exitInfo === null;
  }

  /** Registers a callback for an exit the engine did not ask for. */
  onCrash(cb: (err: WorkerCrashedError) => void): void {
    this.crashCbs.push(cb);
  }

  private call<T>(kind: WorkerRequest['kind'], payload: unknown): Promise<T> {
    if (this.exitInfo) return Promise.reject(new WorkerCrashedError(this.id, this.exitInfo));
    const seq = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(seq, { resolve: resolve as (v: unknown) => void, reject });
      this.proc.send({ seq, kind, payload } as WorkerRequest);
    });
  }

  /** Waits for the process, then builds the stage and runs its setup. */
  async init(payload: InitPayload): Promise<{ setup_ms: number }> {
    await this.hello;
    return this.call('init', payload);
  }

  /** Sends one batch; resolves with the outputs, rejects with WorkerCallError or WorkerCrashedError. */
  process(tasks: WireTask[]): Promise<ProcessReply> {
    return this.call('process', { tasks });
  }

  /** Teardown within the stop timeout, then SIGTERM, then SIGKILL. Resolves when the process is gone. */
  stop(): Promise<void> {
    this.stopPromise ??= this.doStop();
    return this.stopPromise;
  }

  private async doStop(): Promise<void> {
    if (!this.alive) return;
    this.stopping = true;
    const gone = new Promise<void>((r) => (this.alive ? this.exitWaiters.push(r) : r()));
    const deadline = new Promise((r) => setTimeout(r, this.timeouts.stop).unref());
    await Promise.race([this.call('teardown', null).catch(() => undefined), deadline]);
    this.proc.kill('SIGTERM');
    const killTimer = setTimeout(() => this.proc.kill('SIGKILL'), 2000);
    killTimer.unref();
    await gone;
    clearTimeout(killTimer);
  }

  /** Kills at once (cancel). Resolves when the process is gone. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    this.stopping = true;
    const gone = new Promise<void>((r) => (this.alive ? this.exitWaiters.push(r) : r()));
    this.proc.kill('SIGKILL');
    await gone;
  }
}
