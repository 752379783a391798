/**
 * The engine's `WorkerLauncher` on Electron's `utilityProcess`: each stage worker is a utility
 * process with its own service name, running the shim `utility-worker.js`, which gives the
 * runner's worker entry the `process.send` / `'message'` API it expects. A worker's end is
 * reported once, from its `exit` or from the app's `child-process-gone` (a crash, an OOM, a failed
 * launch, a kill); `killAll` stops every worker at quit, gracefully first, then with SIGKILL.
 * Electron is injected (type imports only), so the tests drive it with fakes.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { LaunchOptions, WorkerExit, WorkerLauncher, WorkerProcess } from '../runner/engine/launcher.js';
import { unpackedPath } from './app-paths.js';

/** The part of Electron's `UtilityProcess` the launcher uses. */
export interface UtilityChild {
  readonly pid: number | undefined;
  readonly stdout: Readable | NodeJS.ReadableStream | null;
  readonly stderr: Readable | NodeJS.ReadableStream | null;
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

/** The fields of the `child-process-gone` details the launcher reads. */
export interface GoneDetails {
  type: string;
  reason: string;
  exitCode: number;
  name?: string;
}

/** What the launcher is built on. */
export interface UtilityLauncherDeps {
  /** `utilityProcess.fork`. */
  fork(modulePath: string, args: string[], options: { serviceName: string; env: Record<string, string>; execArgv: string[]; stdio: 'pipe' }): UtilityChild;
  /** The compiled shim (`dist/electron/utility-worker.js`). */
  shimPath: string;
  /** Subscribes to the app's `child-process-gone`. */
  onChildGone(listener: (details: GoneDetails) => void): void;
  /** Sends a signal to a process id (default `process.kill`). */
  killPid?: (pid: number, signal: NodeJS.Signals) => void;
  /** Whether a file exists (for the unpacked twin of a packed worker entry). */
  exists?: (file: string) => boolean;
}

/** Environment names Electron accepts; others make `fork` throw. */
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The worker environment as Electron needs it: valid names, string values. */
export function utilityEnv(env: Record<string, string | undefined>, entry: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && ENV_KEY.test(k)) out[k] = String(v);
  out.CURATOR_WORKER_ENTRY = entry;
  return out;
}

/** How a `child-process-gone` reads as a worker exit. */
export function exitOfGone(details: GoneDetails): WorkerExit {
  return { code: details.exitCode, signal: details.reason === 'killed' ? 'SIGKILL' : null };
}

export class UtilityWorkerLauncher implements WorkerLauncher {
  readonly kind = 'electron-utility-process';
  private readonly live = new Map<string, UtilityWorker>();
  private seq = 0;

  constructor(private readonly deps: UtilityLauncherDeps) {
    deps.onChildGone((details) => {
      if (details.type !== 'Utility' || !details.name) return;
      this.live.get(details.name)?.gone(exitOfGone(details));
    });
  }

  launch(options: LaunchOptions): WorkerProcess {
    // Two runs may both have a "reader#0": the service name must name one process only.
    let name = `curator-worker ${options.serviceName}`;
    if (this.live.has(name)) name = `${name} (${++this.seq})`;
    const entry = unpackedPath(options.entry, this.deps.exists);
    const child = this.deps.fork(unpackedPath(this.deps.shimPath, this.deps.exists), [], {
      serviceName: name,
      env: utilityEnv(options.env, entry),
      execArgv: options.execArgv ?? [],
      stdio: 'pipe',
    });
    const worker = new UtilityWorker(child, this.deps.killPid ?? ((pid, sig) => process.kill(pid, sig)), () => this.live.delete(name));
    this.live.set(name, worker);
    return worker;
  }

  /** Workers still running. */
  get liveCount(): number {
    return this.live.size;
  }

  /** Stops every worker: a graceful kill, then SIGKILL after `graceMs`; resolves when all are gone or 1 s after that. */
  async killAll(graceMs = 5000): Promise<void> {
    const workers = [...this.live.values()];
    if (!workers.length) return;
    const allGone = Promise.all(workers.map((w) => w.exited));
    for (const w of workers) w.kill('SIGTERM');
    if (await within(allGone, graceMs)) return;
    for (const w of workers) w.kill('SIGKILL');
    await within(allGone, 1000);
  }
}

async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  const ok = await Promise.race([p.then(() => true as const), t]);
  clearTimeout(timer);
  return ok;
}

class UtilityWorker implements WorkerProcess {
  private done: WorkerExit | null = null;
  private exitCbs: Array<(e: WorkerExit) => void> = [];
  private killedWith: NodeJS.Signals | null = null;
  readonly exited: Promise<void>;
  private resolveExited: () => void = () => undefined;

  constructor(
    private readonly child: UtilityChild,
    private readonly killPid: (pid: number, signal: NodeJS.Signals) => void,
    private readonly forget: () => void,
  ) {
    this.exited = new Promise((r) => (this.resolveExited = r));
    child.on('exit', (code) => this.gone({ code, signal: this.killedWith }));
  }

  /** Reports the end once, whichever event comes first. */
  gone(exit: WorkerExit): void {
    if (this.done) return;
    this.done = exit;
    this.forget();
    this.resolveExited();
    for (const cb of this.exitCbs) cb(exit);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }
  send(message: unknown): void {
    if (this.done) return;
    try {
      this.child.postMessage(message);
    } catch {
      // The process is going away; its exit is reported by the events above.
      this.kill('SIGKILL');
    }
  }
  onMessage(cb: (message: unknown) => void): void {
    this.child.on('message', cb);
  }
  onExit(cb: (exit: WorkerExit) => void): void {
    if (this.done) cb(this.done);
    else this.exitCbs.push(cb);
  }
  onOutput(cb: (stream: 'stdout' | 'stderr', line: string) => void): void {
    if (this.child.stdout) createInterface({ input: this.child.stdout as Readable }).on('line', (l) => cb('stdout', l));
    if (this.child.stderr) createInterface({ input: this.child.stderr as Readable }).on('line', (l) => cb('stderr', l));
  }
  /** SIGKILL goes to the process id (`UtilityProcess.kill` takes no signal); anything else is `kill()`. */
  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.done) return;
    this.killedWith = signal;
    const pid = this.child.pid;
    if (signal === 'SIGKILL' && pid !== undefined) {
      try {
        this.killPid(pid, 'SIGKILL');
        return;
      } catch {
        // Already gone, or not ours to signal: fall back to Electron's own kill.
      }
    }
    this.child.kill();
  }
}
