/**
 * Leaving the app, as pure decisions over injected effects: with runs going, the user chooses
 * between keeping them running in the background (the window hides, a tray icon stays), cancelling
 * them and quitting, or going back; quitting closes the service (which cancels its runs), stops
 * every worker process (gracefully, then SIGKILL after 5 s), closes the history and exits. The
 * shutdown runs once, however many quit requests arrive, and a hung step cannot keep the app alive.
 */

/** What the user chose in the close-while-running prompt. */
export type LeaveChoice = 'background' | 'quit' | 'stay';

/** The effects the lifecycle needs; main.ts passes Electron's. */
export interface LifecycleEffects {
  /** Runs that are queued or running now. */
  activeRuns(): Promise<number>;
  /** Asks the user what to do with `count` active runs. */
  ask(count: number): Promise<LeaveChoice>;
  /** Hides the window and shows the tray icon. */
  toBackground(): void;
  closeService(): Promise<void>;
  killWorkers(graceMs: number): Promise<void>;
  closeHistory(): void;
  exit(code: number): void;
  log(message: string): void;
}

/** How long each shutdown step may take before the next one runs anyway. */
export const STEP_LIMIT_MS = 15_000;
/** How long workers get to stop before SIGKILL. */
export const WORKER_GRACE_MS = 5_000;

export class Lifecycle {
  private shutdownP: Promise<void> | null = null;
  private asking: Promise<void> | null = null;

  constructor(private readonly fx: LifecycleEffects) {}

  /** True once the shutdown began: windows may then close without asking. */
  get exiting(): boolean {
    return this.shutdownP !== null;
  }

  /**
   * A request to leave (the window's close button, Cmd+Q, the tray's Quit). With `ask` and
   * active runs, the user decides; otherwise the app shuts down.
   */
  requestQuit(ask: boolean): Promise<void> {
    if (this.shutdownP) return this.shutdownP;
    if (!ask) return this.shutdown();
    this.asking ??= (async () => {
      try {
        const count = await this.fx.activeRuns().catch(() => 0);
        const choice: LeaveChoice = count > 0 ? await this.fx.ask(count) : 'quit';
        if (choice === 'background') this.fx.toBackground();
        else if (choice === 'quit') await this.shutdown();
      } finally {
        this.asking = null;
      }
    })();
    return this.asking;
  }

  /** Closes everything once, then exits with 0. */
  shutdown(): Promise<void> {
    this.shutdownP ??= (async () => {
      await this.step('stopping the service', () => this.fx.closeService());
      await this.step('stopping worker processes', () => this.fx.killWorkers(WORKER_GRACE_MS));
      await this.step('closing the history', async () => this.fx.closeHistory());
      this.fx.exit(0);
    })();
    return this.shutdownP;
  }

  private async step(what: string, fn: () => Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), STEP_LIMIT_MS)));
    try {
      const r = await Promise.race([fn().then(() => 'ok' as const), limit]);
      if (r === 'late') this.fx.log(`${what} took longer than ${STEP_LIMIT_MS / 1000} s; going on`);
    } catch (e: unknown) {
      this.fx.log(`${what} failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      clearTimeout(timer);
    }
  }
}
