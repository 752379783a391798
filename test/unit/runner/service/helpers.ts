import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeWorkerLauncher, type WorkerLauncher } from '../../../../runner/engine/launcher.js';
import type { RunSummary } from '../../../../runner/engine/events.js';
import type { CuratorEvent } from '../../../../runner/service/contract.js';
import { CuratorApiError } from '../../../../runner/service/errors.js';
import type { CuratorService } from '../../../../runner/service/service.js';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

const BUILT_WORKER = path.join(ROOT, 'dist/runner/engine/worker-main.js');

/**
 * Starts workers from the build: these tests load the service from its TypeScript sources, which a
 * worker process cannot run, so the worker entry is swapped for the compiled one.
 */
export function builtWorkers(): WorkerLauncher {
  if (!existsSync(BUILT_WORKER)) throw new Error(`${BUILT_WORKER} is missing; run \`npm run build\` before these tests`);
  const inner = new NodeWorkerLauncher();
  return { kind: 'built-workers', launch: (o) => inner.launch({ ...o, entry: BUILT_WORKER }) };
}

/** A small pipeline object: synthetic documents, a sleeping stage, and optionally a writer. */
export function synthetic(name: string, o: { tasks?: number; docs?: number; sleepMs?: number; out?: string } = {}): Record<string, unknown> {
  return {
    name,
    stages: [
      { stage: 'SyntheticDocuments', params: { num_tasks: o.tasks ?? 2, docs_per_task: o.docs ?? 5, chars_per_doc: 40 } },
      { stage: 'BusyStage', name: 'wait', params: { sleep_ms_per_task: o.sleepMs ?? 0 } },
      ...(o.out ? [{ stage: 'JsonlWriter', params: { path: o.out, mode: 'overwrite' } }] : []),
    ],
    executor: { backend: 'xenna', config: { logging_interval: 1 } },
  };
}

/** Resolves with the run's summary once its run_finished event arrives (replayed when already past). */
export function finished(service: CuratorService, runId: string): Promise<RunSummary> {
  return new Promise((resolve) => {
    const off = service.subscribe(runId, (e: CuratorEvent) => {
      if (e.type !== 'run_finished') return;
      setImmediate(() => off());
      resolve(e.summary);
    });
  });
}

/** Resolves once the run has started in the engine. */
export function started(service: CuratorService, runId: string): Promise<void> {
  return new Promise((resolve) => {
    const off = service.subscribe(runId, (e: CuratorEvent) => {
      if (e.type !== 'run_started') return;
      setImmediate(() => off());
      resolve();
    });
  });
}

/** The typed error a call rejects with; fails the test when it resolves or throws something else. */
export async function apiError(call: Promise<unknown>): Promise<CuratorApiError> {
  const outcome = await call.then(
    (value) => ({ value }),
    (err: unknown) => ({ err }),
  );
  if ('value' in outcome) throw new Error(`expected the call to fail, it returned ${JSON.stringify(outcome.value)}`);
  if (!(outcome.err instanceof CuratorApiError)) throw new Error(`expected a CuratorApiError, got ${String(outcome.err)}`);
  return outcome.err;
}

/** A fresh temporary folder and its cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'curator-service-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
