import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { loadPipelineFile, type LoadedPipeline } from '../pipeline/pipeline-file.js';
import { ValidationError, RunCancelledError } from '../pipeline/errors.js';
import { EmptyTask } from '../pipeline/tasks.js';
import { createExecutor } from '../backends/index.js';
import { summaryOf } from '../engine/run.js';
import type { RunEvent, RunSummary } from '../engine/events.js';
import { RunRenderer, type Sink } from './render.js';
import { EXIT } from './exit-codes.js';
import { formatSummary } from './format.js';
import { startRecording } from '../history/recording.js';
import { externalCommandLines } from '../stages/external/command-line.js';

/** Options of `curator run`. */
export interface RunCommandOptions {
  backend?: string;
  config?: string;
  cpus?: string;
  gpus?: string;
  json?: boolean;
  verbose?: boolean;
}

/** Parses the shared `--backend/--config/--cpus/--gpus` flags; problems name the flag. */
export function parseRunFlags(o: RunCommandOptions): { backend?: string; config?: Record<string, unknown>; cpus?: number; gpus?: string[]; problems: string[] } {
  const problems: string[] = [];
  let config: Record<string, unknown> | undefined;
  if (o.config !== undefined) {
    try {
      const v: unknown = JSON.parse(o.config);
      if (!v || typeof v !== 'object' || Array.isArray(v)) problems.push('--config must be a JSON object, e.g. \'{"execution_mode":"batch"}\'');
      else config = v as Record<string, unknown>;
    } catch (e: unknown) {
      problems.push(`--config is not valid JSON: ${(e as Error).message}`);
    }
  }
  let cpus: number | undefined;
  if (o.cpus !== undefined) {
    cpus = Number(o.cpus);
    if (!(cpus > 0)) problems.push(`--cpus must be a positive number, got "${o.cpus}"`);
  }
  const gpus = o.gpus === undefined ? undefined : o.gpus === '' || o.gpus === 'none' ? [] : o.gpus.split(',').map((s) => s.trim()).filter(Boolean);
  return { ...(o.backend !== undefined ? { backend: o.backend } : {}), ...(config ? { config } : {}), ...(cpus !== undefined ? { cpus } : {}), ...(gpus ? { gpus } : {}), problems };
}

/** Prints every problem on standard error (and a JSON line when asked); returns exit status 2. */
export function reportInvalid(problems: string[], json: boolean): number {
  for (const p of problems) process.stderr.write(`error: ${p}\n`);
  if (json) process.stdout.write(JSON.stringify({ status: 'invalid', problems }) + '\n');
  return EXIT.invalid;
}

/** `curator run`: validates, runs with live progress, prints the summary; returns the exit status. */
export async function runCommand(file: string, o: RunCommandOptions): Promise<number> {
  const json = Boolean(o.json);
  const sink: Sink = {
    out: (l) => (json ? process.stderr : process.stdout).write(l + '\n'),
    err: (l) => process.stderr.write(l + '\n'),
  };
  const flags = parseRunFlags(o);
  if (flags.problems.length) return reportInvalid(flags.problems, json);
  let loaded: LoadedPipeline;
  try {
    loaded = await loadPipelineFile(file, { backend: flags.backend, config: flags.config });
  } catch (e: unknown) {
    if (e instanceof ValidationError) return reportInvalid(e.problems, json);
    throw e;
  }
  const executor = createExecutor(loaded.backend, loaded.config);
  const stages = loaded.pipeline.build();
  // Running a pipeline file may run programs on this machine: say which before anything starts (stderr, also with --json).
  for (const l of externalCommandLines(stages)) sink.err(l);
  const runId = randomUUID();
  const history = await startRecording({ runId, loaded, stages, config: executor.config, source: 'cli', warn: (m) => sink.err(`warning: ${m}`) });
  const ac = new AbortController();
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) {
      sink.err(`\n${sig}: cancelling the run (stopping workers; press Ctrl-C again to quit at once)`);
      ac.abort();
    } else {
      history?.fail(new RunCancelledError(), 'cancelled');
      process.exit(EXIT.cancelled);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const renderer = new RunRenderer(sink, Boolean(process.stderr.isTTY) && !json, Boolean(o.verbose));
  let firstTaskS: number | null = null;
  const onEvent = (e: RunEvent) => {
    if (e.type === 'task_processed' && firstTaskS === null) firstTaskS = performance.now() / 1000;
    renderer.handle(e);
    history?.record(e);
  };
  let summary: RunSummary | null = null;
  let status: number = EXIT.ok;
  try {
    summary = (await executor.execute(stages, [new EmptyTask()], { runId, pipelineName: loaded.data.name, signal: ac.signal, onEvent, cpus: flags.cpus, gpus: flags.gpus })).summary;
  } catch (e: unknown) {
    renderer.stop();
    summary = summaryOf(e);
    if (summary) history?.finish(summary);
    else history?.fail(e);
    if (!summary || e instanceof ValidationError) await history?.close();
    if (e instanceof ValidationError) return reportInvalid(e.problems, json);
    status = e instanceof RunCancelledError ? EXIT.cancelled : EXIT.failed;
    if (!summary) throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (history) {
    history.finish(summary);
    await history.close();
  }
  for (const l of formatSummary(summary)) sink.out(l);
  if (history) sink.err(`run ${runId} recorded in history`);
  if (json) process.stdout.write(JSON.stringify({ ...summary, first_task_s: firstTaskS === null ? null : Math.round(firstTaskS * 1000) / 1000 }) + '\n');
  return status;
}
