import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { ProcessingStage, type WorkerMetadata } from '../../pipeline/stage.js';
import type { Task } from '../../pipeline/tasks.js';
import { registerStage } from '../registry.js';
import { workerThreads, workerThreadCount } from '../../engine/threads.js';
import spin from './busy-thread.js';

const THREAD_MODULE = new URL('./busy-thread.js', import.meta.url).href;

const params = z
  .object({
    sleep_ms_per_task: z.number().min(0).default(0).describe('Milliseconds to wait (idle, on a timer) for each task.'),
    spin_ms_per_task: z.number().min(0).default(0).describe("Milliseconds of this process's CPU time to burn for each task; on a busy machine the wall time grows accordingly."),
    setup_ms: z.number().min(0).default(0).describe('Milliseconds that setup() waits, to imitate a slow model load.'),
    spin_iterations_per_task: z.number().int().min(0).default(0).describe('A fixed amount of CPU work per task (loop iterations); a worker given 2 or more CPUs runs a batch of these on parallel threads.'),
    fail_every: z.number().int().min(0).default(0).describe('Fail every n-th batch that a worker processes (0: never).'),
  })
  .strict();

/** Parameters of BusyStage. */
export type BusyStageParams = z.output<typeof params>;

/** Written after each burn so that the arithmetic loop cannot be optimised away. */
let burnSink = 0;

/**
 * Burns `ms` milliseconds of this process's CPU time (user + system, from `process.cpuUsage()`),
 * not of wall time: a short arithmetic loop runs until the CPU clock has advanced that far, reading
 * the clock every few thousand iterations. On an oversubscribed machine the wall time it takes grows
 * honestly. The clock is process-wide, so other busy threads of the same process shorten the burn.
 */
export function burnCpuMs(ms: number): void {
  if (!(ms > 0)) return;
  const targetMicros = ms * 1000;
  const start = process.cpuUsage();
  let x = burnSink | 1;
  for (;;) {
    for (let i = 0; i < 4096; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
    const used = process.cpuUsage(start);
    if (used.user + used.system >= targetMicros) break;
  }
  burnSink = x;
}

/**
 * A diagnostic stage for tests and benchmarks: passes every task through unchanged (the same
 * object) after sleeping and/or burning CPU time, can make setup slow, and can fail every n-th
 * batch of a worker. It overrides process_batch so that batches, not tasks, are counted.
 */
export class BusyStage extends ProcessingStage<Task, Task> {
  readonly type = 'BusyStage';
  private readonly opts: BusyStageParams;
  /** Batches this worker has started, the failing one included. */
  private batches = 0;

  constructor(p: BusyStageParams, name = 'busy') {
    super(p, name);
    this.opts = p;
  }

  override async setup(_worker: WorkerMetadata): Promise<void> {
    if (this.opts.setup_ms > 0) await sleep(this.opts.setup_ms);
  }

  async process(task: Task): Promise<Task> {
    if (this.opts.sleep_ms_per_task > 0) await sleep(this.opts.sleep_ms_per_task);
    burnCpuMs(this.opts.spin_ms_per_task);
    return task;
  }

  override async process_batch(tasks: Task[]): Promise<Array<Task | null>> {
    const k = ++this.batches;
    if (this.opts.fail_every > 0 && k % this.opts.fail_every === 0) throw new Error(`BusyStage: planned failure on batch ${k} of this worker`);
    for (const t of tasks) this.validate_input(t);
    // Fixed-size work: a worker given several CPUs runs the batch's tasks on its piscina threads.
    const iterations = this.opts.spin_iterations_per_task;
    if (iterations > 0) {
      const pool = workerThreadCount() > 1 && tasks.length > 1 ? await workerThreads(THREAD_MODULE) : null;
      if (pool) await Promise.all(tasks.map(() => pool.run({ iterations })));
      else for (let i = 0; i < tasks.length; i++) burnSink ^= spin({ iterations });
    }
    const out: Task[] = [];
    for (const t of tasks) out.push(await this.process(t));
    return out;
  }
}

registerStage({
  type: 'BusyStage',
  category: 'diagnostic',
  description: 'Passes tasks through unchanged after waiting or burning CPU time; can fail on purpose (tests and benchmarks).',
  params,
  create: (p) => new BusyStage(p),
});
