/**
 * Makes sure an external program never outlives the worker process that started it.
 *
 * On POSIX the program runs in its own process group (spawned detached), so that it and anything
 * it starts (a model server's helper processes) can be killed together, and a Ctrl-C in the
 * terminal reaches the engine, which stops the run in order, rather than the program directly.
 * Three things end the group:
 * 1. the stage's own stop (teardown, timeouts), through `killGroup`;
 * 2. the worker's `exit` event (the worker exits when its engine disconnects), synchronously;
 * 3. a watchdog for deaths that run no code at all (SIGKILL, SIGTERM's default action): a tiny
 *    `sh` that blocks reading a pipe only this worker holds, and kills the group when the pipe
 *    closes, which the kernel does when the worker dies however it dies.
 * On Windows there are no process groups: the program is killed directly, and its standard input
 * closing when the worker dies is what tells it to stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const POSIX = process.platform !== 'win32';

/** Whether programs get their own process group (spawn them with `detached: true`). */
export const USE_PROCESS_GROUP = POSIX;

interface Guarded {
  child: ChildProcess;
  watchdog: ChildProcess | null;
}

const live = new Set<Guarded>();
let exitHooked = false;

/** Sends a signal to the program's whole group (POSIX) or to the program (Windows); never throws. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  const pid = child.pid;
  if (pid === undefined) return;
  try {
    if (POSIX) process.kill(-pid, signal);
    else child.kill(signal);
  } catch {
    // Already gone (ESRCH), or never started.
  }
}

function onWorkerExit(): void {
  for (const g of live) {
    killGroup(g.child, 'SIGKILL');
    g.watchdog?.kill('SIGKILL');
  }
  live.clear();
}

/** Starts the watchdog of a process group; null where none can run (it is a second line of defence). */
function startWatchdog(pgid: number): ChildProcess | null {
  try {
    // "$0" is the group id; `read` returns when the pipe reaches end of file, i.e. when this process is gone.
    const dog = spawn('/bin/sh', ['-c', 'read _x; kill -s KILL -- -"$0" 2>/dev/null', String(pgid)], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
      env: { PATH: '/usr/bin:/bin' },
    });
    dog.on('error', () => undefined);
    dog.stdin?.on('error', () => undefined);
    dog.unref();
    (dog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    return dog;
  } catch {
    return null;
  }
}

/**
 * Guards a freshly spawned program. Returns the function to call once the program has exited (it
 * kills whatever is left of its group and retires the watchdog).
 */
export function guard(child: ChildProcess): () => void {
  if (!exitHooked) {
    process.on('exit', onWorkerExit);
    exitHooked = true;
  }
  const pid = child.pid;
  const g: Guarded = { child, watchdog: POSIX && pid !== undefined ? startWatchdog(pid) : null };
  live.add(g);
  return () => {
    if (!live.delete(g)) return;
    // Helper processes the program left in its group go with it.
    killGroup(child, 'SIGKILL');
    g.watchdog?.kill('SIGKILL');
  };
}
