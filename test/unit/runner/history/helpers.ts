import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunEvent, RunSummary, StageStatus, StageSummary } from '../../../../runner/engine/events.js';
import type { RunStart } from '../../../../runner/history/store.js';

/** A fresh Curator home under the OS temp folder; `cleanup()` removes it. */
export function tempHome(): { home: string; cleanup: () => void } {
  const home = mkdtempSync(path.join(tmpdir(), 'curator-history-'));
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

let seq = 0;

/** A run start with sensible defaults. */
export function runStart(over: Partial<RunStart> = {}): RunStart {
  seq++;
  return {
    run_id: `run-${String(seq).padStart(5, '0')}-${Math.random().toString(16).slice(2, 10)}`,
    name: 'pipeline',
    pipeline: { name: over.name ?? 'pipeline', stages: [{ stage: 'BusyStage', params: { sleep_ms_per_task: 1 } }] },
    backend: 'xenna',
    config: { execution_mode: 'streaming', logging_interval: 60 },
    hardware: { cpus: 2, cpu_model: 'test CPU', memory_total_bytes: 2 ** 30, gpus: [], platform: 'linux-x64' },
    inputs: [{ path: '/data/in/a.jsonl', size: 10, mtime: '2025-01-01T00:00:00.000Z' }],
    source: 'cli',
    ...over,
  };
}

/** A funnel row. */
export function stageRow(name: string, itemsIn: number, itemsOut: number, over: Partial<StageSummary> = {}): StageSummary {
  return { name, tasks_in: 1, tasks_out: 1, items_in: itemsIn, items_out: itemsOut, returned_none: 0, failed_batches: 0, process_time_s: 0.5, workers_max: 1, ...over };
}

/** A live status row with the funnel of `row`. */
export function statusRow(row: StageSummary): StageStatus {
  return {
    name: row.name,
    workers: { pending: 0, ready: 1, busy: 1, idle: 0, target: 1 },
    tasks: { completed: row.tasks_in, returned_none: row.returned_none, failed: row.failed_batches, in: row.tasks_in, out: row.tasks_out },
    items: { in: row.items_in, out: row.items_out },
    queue: { input: 0, output: 0 },
    slots: { used: 1, empty: 1 },
    tasks_per_worker_s: 10,
    process_time_s: row.process_time_s,
    workers_max: row.workers_max,
    done: false,
  };
}

/** Events of a run, stamped with its id. */
export const ev = {
  started: (runId: string, stages: Array<[string, string]>): RunEvent => ({
    type: 'run_started',
    run_id: runId,
    t: Date.now(),
    pipeline: 'pipeline',
    backend: 'xenna',
    execution_mode: 'streaming',
    stages: stages.map(([name, type]) => ({ name, type, resources: { cpus: 1, gpus: 0, gpu_memory_gb: 0 }, batch_size: 1 })),
  }),
  status: (runId: string, elapsed: number, rows: StageSummary[]): RunEvent => ({
    type: 'stage_status',
    run_id: runId,
    t: Date.now(),
    elapsed_s: elapsed,
    stages: rows.map(statusRow),
    cpus: { total: 2, used: 1 },
    gpus: { total: 0, used: 0 },
  }),
  log: (runId: string, message: string, level: 'debug' | 'info' | 'warn' | 'error' = 'info'): RunEvent => ({ type: 'log', run_id: runId, t: Date.now(), level, source: 'engine', message }),
  task: (runId: string): RunEvent => ({ type: 'task_processed', run_id: runId, t: Date.now(), stage: 'busy', items: 1 }),
  hardware: (runId: string, cpu: number): RunEvent => ({ type: 'hardware_sample', run_id: runId, t: Date.now(), sample: { t: Date.now(), cpu_pct: cpu, memory_used_bytes: 1000, memory_total_bytes: 4000, gpus: [] } }),
};

/** A run summary. */
export function summary(runId: string, stages: StageSummary[], over: Partial<RunSummary> = {}): RunSummary {
  return { run_id: runId, status: 'succeeded', backend: 'xenna', execution_mode: 'streaming', duration_s: 1.5, output_tasks: 1, stages, warnings: [], error: null, ...over };
}
