import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { ProcessingStage, type WorkerMetadata } from '../../pipeline/stage.js';
import { DocumentBatch } from '../../pipeline/tasks.js';
import { CUDA_VISIBLE_DEVICES } from '../../hardware/visible-devices.js';
import { registerStage } from '../registry.js';
import { removedPathParam } from '../removed.js';
import { checkCommand, commandLabel, formatCommand, resolveArgv } from './command-line.js';
import { ExternalProgram } from './program.js';
import { batchMessage, encodeLine, ExternalCommandError, helloMessage, parseBatchReply, parseReady, ProtocolError } from './protocol.js';

/** Seconds a program gets to exit after its standard input closes at teardown, before SIGTERM. */
const STOP_GRACE_MS = 3000;

const envValue = z.union([z.string(), z.number(), z.boolean()]);

const params = z
  .object({
    command: z
      .union([z.array(z.string().min(1)).min(1), z.string().trim().min(1)])
      .describe(
        'The program and its arguments, e.g. ["python3", "embed.py", "--fp16"]; run without a shell. A string is split on whitespace (no quoting). ' +
          "A program path with a slash is relative to the pipeline file's folder; a bare name is looked up on PATH.",
      ),
    cwd: z.string().min(1).optional().describe("The program's working folder, relative to the pipeline file's folder (default: that folder)."),
    env: z
      .record(z.string().regex(/^[^=\0]+$/, 'an environment variable name'), envValue)
      .default({})
      .describe('Extra environment variables for the program, on top of the worker\u2019s (which sets CUDA_VISIBLE_DEVICES to its GPUs).'),
    params: z.record(z.string(), z.unknown()).default({}).describe('Anything the program needs (model name, thresholds); sent as "params" in the hello message.'),
    text_field: z.string().default('text').describe('The field holding the text; sent in the hello message for the program to use.'),
    timeout_s: z.number().positive().default(600).describe('Seconds the program may take to answer one batch; past that it is killed and the batch fails.'),
    startup_timeout_s: z.number().positive().default(120).describe('Seconds the program may take to answer hello (loading a model is slow); past that it is killed and setup fails.'),
    removed_path: removedPathParam,
  })
  .strict()
  .superRefine((p, ctx) => {
    for (const key of Object.keys(p.env)) {
      if (key.toUpperCase() === CUDA_VISIBLE_DEVICES) ctx.addIssue({ code: 'custom', path: ['env', key], message: `${CUDA_VISIBLE_DEVICES} is set by the engine from the stage's resources (e.g. resources: {gpus: 1}); remove it from env` });
    }
  });

/** Parameters of CommandStage. */
export type CommandStageParams = z.output<typeof params>;

/**
 * A stage whose work is done by an external program (any language), speaking JSON lines over its
 * standard input and output (protocol.ts). Each worker starts its own program in setup, so the
 * program inherits the worker's environment, including CUDA_VISIBLE_DEVICES of the worker's GPUs;
 * each DocumentBatch is one request, and the documents of the answer replace the batch. A program
 * that exits, breaks the protocol or times out fails the batch and is started again for the next
 * one; an "error" answer fails only that batch. Empty batches are passed on without a request.
 */
export class CommandStage extends ProcessingStage<DocumentBatch, DocumentBatch> {
  readonly type = 'CommandStage';
  private readonly opts: CommandStageParams;
  private readonly argv: string[];
  private readonly shown: string;
  private readonly label: string;
  private program: ExternalProgram | null = null;
  private worker: WorkerMetadata | null = null;
  private nextId = 0;
  private queue: Promise<unknown> = Promise.resolve();

  /** `p.command` and `p.cwd` should already be resolved (the definition's create does it). */
  constructor(p: CommandStageParams, name = 'command_stage') {
    super(p, name);
    this.opts = p;
    this.argv = resolveArgv(p.command, (x) => x);
    this.shown = formatCommand(this.argv);
    this.label = commandLabel(this.argv);
    this.removed_path = p.removed_path ?? null;
  }

  /** The command as shown in messages. */
  get command(): string {
    return this.shown;
  }

  /** The running program's process id (tests and diagnostics), or null. */
  get programPid(): number | null {
    return this.program?.pid ?? null;
  }

  override async setup(worker: WorkerMetadata): Promise<void> {
    this.worker = worker;
    await this.start();
  }

  override async teardown(): Promise<void> {
    const p = this.program;
    this.program = null;
    if (p) await p.stop(STOP_GRACE_MS);
  }

  /** Starts the program and exchanges hello/ready. */
  private async start(): Promise<ExternalProgram> {
    const worker = this.worker ?? { worker_id: 'local', stage_name: this.name, allocation: { cpus: 1, gpu_devices: [], gpu_fraction: 0 } };
    const env: Record<string, string> = { PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8' };
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    for (const [k, v] of Object.entries(this.opts.env)) env[k] = String(v);
    const program = new ExternalProgram({
      argv: this.argv,
      cwd: this.opts.cwd ?? process.cwd(),
      env,
      shown: this.shown,
      onStderr: (line) => this.log(/^Traceback |\b(WARN|WARNING|ERROR|CRITICAL|FATAL)\b/.test(line) ? 'warn' : 'info', `[${this.label}] ${line}`),
    });
    this.program = program;
    const t0 = performance.now();
    const hello = helloMessage({
      stage: this.name,
      worker_id: worker.worker_id,
      text_field: this.opts.text_field,
      resources: this.resources.toJSON(),
      gpu_devices: [...worker.allocation.gpu_devices],
      gpu_fraction: worker.allocation.gpu_fraction,
      params: this.opts.params,
    });
    const line = await program.request(encodeLine(hello), this.opts.startup_timeout_s * 1000, 'hello');
    let ready;
    try {
      ready = parseReady(line);
    } catch (e: unknown) {
      throw e instanceof ProtocolError ? program.protocolFailure(e) : e;
    }
    const info = Object.keys(ready.info).length ? ` ${JSON.stringify(ready.info)}` : '';
    this.log('info', `[${this.label}] ready after ${((performance.now() - t0) / 1000).toFixed(1)} s (pid ${program.pid ?? '?'})${info}`);
    return program;
  }

  /** The running program, started again when the last one stopped or broke. */
  private async running(): Promise<ExternalProgram> {
    const p = this.program;
    if (p?.usable) return p;
    if (p) {
      this.log('warn', `[${this.label}] starting the command again (${p.lastFailure?.message.split('\n')[0] ?? 'it stopped'})`);
      void p.stop(0);
    }
    return this.start();
  }

  process(task: DocumentBatch): Promise<DocumentBatch> {
    // One request at a time per program, in arrival order.
    const next = this.queue.then(() => this.exchange(task));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async exchange(task: DocumentBatch): Promise<DocumentBatch> {
    if (task.kind !== 'DocumentBatch') throw new Error(`stage "${this.name}" takes DocumentBatch tasks, got ${String(task.kind)}`);
    if (task.data.length === 0) return task;
    const program = await this.running();
    const id = ++this.nextId;
    const t0 = performance.now();
    const line = await program.request(encodeLine(batchMessage(id, task.data)), this.opts.timeout_s * 1000, `batch ${id} (task ${task.task_id}, ${task.data.length} documents)`);
    this.logMetric('command_s', (performance.now() - t0) / 1000);
    let reply;
    try {
      reply = parseBatchReply(line, id);
    } catch (e: unknown) {
      throw e instanceof ProtocolError ? program.protocolFailure(e) : e;
    }
    if (reply.type === 'error') throw new ExternalCommandError(this.shown, 'program_error', `command \`${this.shown}\` could not process batch ${id} (task ${task.task_id}): ${reply.message}`);
    for (const r of reply.removed) this.recordRemoved(r.document, r.reason || this.name, r.detail);
    return new DocumentBatch({ task_id: task.task_id, dataset_name: task.dataset_name, data: reply.documents, _metadata: task._metadata, _stage_perf: task._stage_perf });
  }
}

registerStage({
  type: 'CommandStage',
  category: 'external',
  description: 'Runs an external program (Python, any language) on each batch over a JSON-lines protocol: the route for GPU models such as PyTorch or vLLM.',
  params,
  create: (p, ctx) =>
    new CommandStage({
      ...p,
      command: resolveArgv(p.command, (x) => ctx.resolvePath(x)),
      cwd: ctx.resolvePath(p.cwd ?? '.'),
      ...(p.removed_path ? { removed_path: ctx.resolvePath(p.removed_path) } : {}),
    }),
  check: (p, ctx) => checkCommand(resolveArgv(p.command, (x) => ctx.resolvePath(x)), ctx.resolvePath(p.cwd ?? '.'), p.env.PATH !== undefined ? String(p.env.PATH) : process.env.PATH),
});
