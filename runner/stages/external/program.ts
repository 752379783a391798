/**
 * One running external program of a CommandStage worker: spawned without a shell, fed JSON lines
 * on standard input, answering one line per request on standard output, logging on standard
 * error. Separate ends for "it exited" and "it broke the protocol"; a timed stop (close standard
 * input, wait, SIGTERM, SIGKILL); every error names the command and quotes its last stderr lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { clip, ExternalCommandError, type ProtocolError, type CommandFailure } from './protocol.js';
import { guard, killGroup, USE_PROCESS_GROUP } from './guard.js';

/** How many stderr lines an error message quotes, and how long each may be. */
const TAIL_LINES = 12;
const TAIL_CHARS = 400;
/** After the program exits, how long to wait for the rest of its stderr before reporting. */
const DRAIN_MS = 250;
/** Lines a program may write ahead of the requests they answer before it is stopped. */
const MAX_UNASKED_LINES = 100;

/** What to start. */
export interface ProgramOptions {
  /** The program and its arguments; the program is looked up on PATH when it has no slash. */
  argv: readonly string[];
  cwd: string;
  /** The complete environment of the program. */
  env: Record<string, string>;
  /** The command as shown in messages, e.g. `python3 embed.py`. */
  shown: string;
  /** Called with every line the program writes to standard error. */
  onStderr(line: string): void;
}

interface Waiter {
  /** The request, for messages: "hello", "batch 3". */
  what: string;
  resolve(line: string): void;
  reject(err: ExternalCommandError): void;
}

/** How a program ended. */
export interface ProgramExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A started program. Requests must not overlap: send one, await its answer, then the next. */
export class ExternalProgram {
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private readonly tail: string[] = [];
  private waiter: Waiter | null = null;
  /** Why the program can no longer be used, once it cannot. */
  private failure: ExternalCommandError | null = null;
  private exitInfo: ProgramExit | null = null;
  private readonly exited: Promise<ProgramExit>;
  private readonly release: () => void;
  private stopping = false;

  constructor(private readonly o: ProgramOptions) {
    const [program, ...args] = o.argv;
    if (program === undefined) throw new ExternalCommandError(o.shown, 'not_found', 'the command is empty');
    this.child = spawn(program, args, { cwd: o.cwd, env: o.env, stdio: ['pipe', 'pipe', 'pipe'], detached: USE_PROCESS_GROUP, windowsHide: true });
    this.release = guard(this.child);
    let exitResolve: (e: ProgramExit) => void = () => undefined;
    this.exited = new Promise((r) => (exitResolve = r));
    this.child.stdin?.on('error', () => undefined); // EPIPE when it exits first: reported through 'exit'.
    if (this.child.stdout) createInterface({ input: this.child.stdout, crlfDelay: Infinity }).on('line', (l) => this.onLine(l));
    if (this.child.stderr) {
      createInterface({ input: this.child.stderr, crlfDelay: Infinity }).on('line', (l) => {
        this.tail.push(l.length > TAIL_CHARS ? `${l.slice(0, TAIL_CHARS)}…` : l);
        if (this.tail.length > TAIL_LINES) this.tail.shift();
        o.onStderr(l);
      });
    }
    this.child.once('error', (err: NodeJS.ErrnoException) => {
      // Spawn failures (no such program, not executable) come here instead of 'exit'.
      const kind: CommandFailure = err.code === 'ENOENT' ? 'not_found' : err.code === 'EACCES' ? 'not_executable' : 'exited';
      const how =
        kind === 'not_found'
          ? `could not be started: "${program}" was not found (${program.includes('/') ? 'check the path' : 'it is not on PATH'}; or the folder ${o.cwd} does not exist)`
          : kind === 'not_executable'
            ? `could not be started: "${program}" is not executable (chmod +x it, or name its interpreter first, e.g. ["python3", "${program}"])`
            : `could not be started (${err.code ?? err.message})`;
      this.end({ code: null, signal: null }, new ExternalCommandError(o.shown, kind, `command \`${o.shown}\` ${how}`, { cause: err }));
      exitResolve({ code: null, signal: null });
    });
    this.child.once('exit', (code, signal) => {
      const info = { code, signal };
      // Let the last stderr lines (a traceback) arrive before the message quotes them.
      const done = () => {
        const during = this.waiter ? ` before answering ${this.waiter.what}` : '';
        this.end(info, this.error('exited', `${this.stopping ? 'stopped' : 'exited'}${during} (${describeExit(info)})`));
        exitResolve(info);
      };
      const timer = setTimeout(done, DRAIN_MS);
      this.child.once('close', () => {
        clearTimeout(timer);
        done();
      });
    });
  }

  /** The program's process id. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True until the program has exited or broke the protocol. */
  get usable(): boolean {
    return this.failure === null;
  }

  /** Why the program is not usable, or null. */
  get lastFailure(): ExternalCommandError | null {
    return this.failure;
  }

  /** Resolves when the program has exited. */
  whenExited(): Promise<ProgramExit> {
    return this.exited;
  }

  /** An error naming the command, with the last stderr lines. */
  error(kind: CommandFailure, what: string, cause?: unknown): ExternalCommandError {
    const said = this.tail.length ? `; its last standard error lines:\n    ${this.tail.join('\n    ')}` : '; its standard error was empty';
    return new ExternalCommandError(this.o.shown, kind, `command \`${this.o.shown}\` ${what}${said}`, cause === undefined ? undefined : { cause });
  }

  /**
   * Writes `line` and resolves with the next line the program writes. Rejects when the program
   * exits or does not answer within `timeoutMs` (it is then killed); `what` names the request.
   */
  request(line: string, timeoutMs: number, what: string): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.waiter) return Promise.reject(new Error('ExternalProgram: a request is already waiting for its answer'));
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        const err = this.error('timeout', `did not answer ${what} within ${timeoutMs / 1000} s and was stopped (raise the stage's timeout if it needs longer)`);
        this.fail(err);
        reject(err);
      }, timeoutMs);
      this.waiter = {
        what,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const queued = this.lines.shift();
      if (queued !== undefined) this.deliver(queued);
      this.child.stdin?.write(line);
    });
  }

  /** Marks the program as broken (a protocol violation): it is killed, and the error reported. */
  fail(err: ExternalCommandError): void {
    if (!this.failure) this.failure = err;
    killGroup(this.child, 'SIGKILL');
  }

  /** Wraps a ProtocolError from parsing an answer into a command error, and kills the program. */
  protocolFailure(err: ProtocolError): ExternalCommandError {
    const e = this.error('protocol', err.message, err);
    this.fail(e);
    return e;
  }

  /**
   * Stops the program: closes its standard input (a well-behaved program then exits), waits up to
   * `graceMs`, then SIGTERM, then SIGKILL one second later. Resolves when it has exited.
   */
  async stop(graceMs: number): Promise<ProgramExit> {
    this.stopping = true;
    if (this.exitInfo) return this.exitInfo;
    this.child.stdin?.end();
    const timers: NodeJS.Timeout[] = [];
    timers.push(setTimeout(() => killGroup(this.child, 'SIGTERM'), graceMs));
    timers.push(setTimeout(() => killGroup(this.child, 'SIGKILL'), graceMs + 1000));
    const exit = await this.exited;
    for (const t of timers) clearTimeout(t);
    return exit;
  }

  private onLine(line: string): void {
    if (this.waiter) return this.deliver(line);
    this.lines.push(line);
    // Answers are read one per request; a program that keeps writing unasked is not speaking the protocol.
    if (this.lines.length > MAX_UNASKED_LINES) this.fail(this.error('protocol', `wrote ${this.lines.length} lines nobody asked for (the first: ${JSON.stringify(clip(this.lines[0] ?? ''))}); write exactly one line per request`));
  }

  private deliver(line: string): void {
    const w = this.waiter;
    this.waiter = null;
    w?.resolve(line);
  }

  private end(info: ProgramExit, err: ExternalCommandError): void {
    if (this.exitInfo) return;
    this.exitInfo = info;
    if (!this.failure) this.failure = err;
    this.release();
    const w = this.waiter;
    this.waiter = null;
    w?.reject(this.failure);
  }
}

/** "exit code 1" or "killed by SIGKILL". */
export function describeExit(e: ProgramExit): string {
  if (e.signal) return `killed by ${e.signal}`;
  return e.code === null ? 'no exit status' : `exit code ${e.code}`;
}
