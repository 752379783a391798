import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { ProcessingStage, type WorkerMetadata } from '../../pipeline/stage.js';
import type { DocumentBatch } from '../../pipeline/tasks.js';
import { registerStage } from '../registry.js';

const params = z
  .object({
    command: z
      .array(z.string())
      .min(1)
      .optional()
      .describe('A program and its arguments, run once in each worker\u2019s setup (no shell); its trimmed standard output is added to every record.'),
    command_timeout_s: z.number().positive().default(60).describe('Seconds the command may run before setup fails.'),
    field_prefix: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a field-name prefix such as "probe_"')
      .default('probe_')
      .describe('Prefix of the added fields, so that two probes in one pipeline keep their own (e.g. "cpu_probe_").'),
    sleep_ms_per_task: z.number().min(0).default(0).describe('Milliseconds to wait for each task, so that several workers of the stage all get work.'),
  })
  .strict();

/** Parameters of EnvProbe. */
export type EnvProbeParams = z.output<typeof params>;

/** What one worker saw, as added to every record (the keys without their prefix). */
export interface EnvProbeObservation {
  worker_id: string;
  pid: number;
  cuda_visible_devices: string | null;
  allocation: { gpu_devices: string[]; gpu_fraction: number };
  command_output?: string;
}

/** The error shape `execFile` hands its callback. */
interface ExecFailure extends Error {
  code?: string | number | null;
  killed?: boolean;
  signal?: NodeJS.Signals | null;
}

/** Quotes one argument for an error message, only when it needs it. */
function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg);
}

/**
 * Runs `command` once without a shell, in this process's environment (a worker's, so the child
 * sees the worker's CUDA_VISIBLE_DEVICES), and resolves to its trimmed standard output. Rejects
 * with an Error naming the command, how it ended and its standard error.
 */
export function runProbeCommand(command: readonly string[], timeoutS: number): Promise<string> {
  const [program, ...args] = command;
  const shown = command.map(quoteArg).join(' ');
  if (program === undefined) return Promise.reject(new Error('EnvProbe: command is empty'));
  const timeoutMs = Math.round(timeoutS * 1000);
  return new Promise((resolve, reject) => {
    execFile(program, args, { env: process.env, timeout: timeoutMs, windowsHide: true, encoding: 'utf8', maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout.trim());
      const e = err as ExecFailure;
      let how: string;
      if (e.code === 'ENOENT') how = `could not be started: "${program}" was not found`;
      else if (typeof e.code === 'string') how = `could not be started (${e.code})`;
      else if (e.killed && e.signal) how = `did not finish within ${timeoutS} s`;
      else if (typeof e.code === 'number') how = `exited with code ${e.code}`;
      else how = e.signal ? `was killed by ${e.signal}` : 'failed';
      const said = stderr.trim();
      reject(new Error(`EnvProbe: command \`${shown}\` ${how}${said ? `; stderr: ${said}` : '; stderr was empty'}`, { cause: err }));
    });
  });
}

/**
 * A diagnostic stage for checking worker placement: passes DocumentBatches through and adds to
 * every record what its worker saw — worker id, pid, `CUDA_VISIBLE_DEVICES` (null when unset),
 * the allocation the engine gave it and, with `command` set, the output of that command run
 * once in setup (e.g. a CUDA device count from the worker's point of view).
 */
export class EnvProbe extends ProcessingStage<DocumentBatch, DocumentBatch> {
  readonly type = 'EnvProbe';
  private readonly opts: EnvProbeParams;
  private seen: EnvProbeObservation | null = null;

  constructor(p: EnvProbeParams, name = 'env_probe') {
    super(p, name);
    this.opts = p;
  }

  override async setup(worker: WorkerMetadata): Promise<void> {
    const seen: EnvProbeObservation = {
      worker_id: worker.worker_id,
      pid: process.pid,
      cuda_visible_devices: process.env['CUDA_VISIBLE_DEVICES'] ?? null,
      allocation: { gpu_devices: [...worker.allocation.gpu_devices], gpu_fraction: worker.allocation.gpu_fraction },
    };
    if (this.opts.command) seen.command_output = await runProbeCommand(this.opts.command, this.opts.command_timeout_s);
    this.seen = seen;
  }

  /** What this worker saw in setup; null before setup. */
  observation(): EnvProbeObservation | null {
    return this.seen;
  }

  async process(task: DocumentBatch): Promise<DocumentBatch> {
    const seen = this.seen;
    if (!seen) throw new Error(`stage "${this.name}": process() before setup()`);
    if (task.kind !== 'DocumentBatch') throw new Error(`stage "${this.name}" takes DocumentBatch tasks, got ${String(task.kind)}`);
    if (this.opts.sleep_ms_per_task > 0) await sleep(this.opts.sleep_ms_per_task);
    const prefix = this.opts.field_prefix;
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(seen)) fields[prefix + key] = value;
    task.data = task.data.map((record) => ({ ...record, ...fields }));
    return task;
  }
}

registerStage({
  type: 'EnvProbe',
  category: 'diagnostic',
  description: 'Passes documents through, adding the worker id, pid, CUDA_VISIBLE_DEVICES and GPU allocation each worker saw (checks GPU placement).',
  params,
  create: (p) => new EnvProbe(p),
});
