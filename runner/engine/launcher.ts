import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** How a worker process ended. `crashed` is false only for an exit the engine asked for. */
export interface WorkerExit {
  code: number | null;
  signal: string | null;
}

/** A started worker process, whatever started it (Node child process or Electron utility process). */
export interface WorkerProcess {
  readonly pid: number | undefined;
  send(message: unknown): void;
  onMessage(cb: (message: unknown) => void): void;
  /** Called once, when the process is gone. */
  onExit(cb: (exit: WorkerExit) => void): void;
  /** Lines the process wrote to stdout or stderr outside the message channel. */
  onOutput(cb: (stream: 'stdout' | 'stderr', line: string) => void): void;
  kill(signal?: NodeJS.Signals): void;
}

/** What to start. */
export interface LaunchOptions {
  /** For log lines and the process title, e.g. "curator-worker jsonl_writer#2". */
  serviceName: string;
  /** Absolute path of the worker entry module. */
  entry: string;
  /** The complete environment of the child; nothing is inherited implicitly. */
  env: Record<string, string>;
  execArgv?: string[];
}

/** Starts worker processes. The runner ships the Node launcher; the desktop shell supplies its own. */
export interface WorkerLauncher {
  readonly kind: string;
  launch(options: LaunchOptions): WorkerProcess;
}

/** Node `child_process.fork` with structured-clone ("advanced") serialization. */
export class NodeWorkerLauncher implements WorkerLauncher {
  readonly kind = 'node-child-process';
  launch(options: LaunchOptions): WorkerProcess {
    const child = fork(options.entry, [options.serviceName], {
      env: options.env,
      execArgv: options.execArgv ?? [],
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    return new ChildWorkerProcess(child);
  }
}

class ChildWorkerProcess implements WorkerProcess {
  private exitCbs: Array<(e: WorkerExit) => void> = [];
  private exited: WorkerExit | null = null;
  constructor(private readonly child: ChildProcess) {
    const done = (e: WorkerExit) => {
      if (this.exited) return;
      this.exited = e;
      for (const cb of this.exitCbs) cb(e);
    };
    child.once('exit', (code, signal) => done({ code, signal }));
    child.once('error', () => done({ code: null, signal: null }));
    // A broken IPC channel while writing (the child died) is reported through 'exit'.
    child.on('error', () => undefined);
  }
  get pid(): number | undefined {
    return this.child.pid;
  }
  send(message: unknown): void {
    if (this.exited || !this.child.connected) return;
    this.child.send(message as never, (err) => {
      if (err) this.child.kill('SIGKILL');
    });
  }
  onMessage(cb: (message: unknown) => void): void {
    this.child.on('message', cb);
  }
  onExit(cb: (exit: WorkerExit) => void): void {
    if (this.exited) cb(this.exited);
    else this.exitCbs.push(cb);
  }
  onOutput(cb: (stream: 'stdout' | 'stderr', line: string) => void): void {
    if (this.child.stdout) createInterface({ input: this.child.stdout }).on('line', (l) => cb('stdout', l));
    if (this.child.stderr) createInterface({ input: this.child.stderr }).on('line', (l) => cb('stderr', l));
  }
  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (!this.exited) this.child.kill(signal);
  }
}
