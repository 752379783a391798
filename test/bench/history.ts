/**
 * Run history benchmarks: (1) the cost of recording a fast run (100 000 tiny tasks) against the
 * same run with a listener that does nothing, alternated and compared by median; (2) listing the
 * first page of 10 000 recorded runs, cold and warm, with the filters and sorts the UI offers.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { EmptyTask, XennaExecutor, type RunEvent } from '../../runner/index.js';
import { HistoryStore } from '../../runner/history/store.js';
import { median, pipelineOf, type BenchRow } from './harness.js';

const CONFIG = { logging_interval: 5 };

/**
 * One run of `tasks` one-document tasks through a pass-through stage: wall seconds (including the
 * history's open, create and close) and, when recorded, the milliseconds the recorder spent writing.
 */
async function tinyTaskRun(tasks: number, home: string | null): Promise<{ wall: number; writeMs: number }> {
  const stages = pipelineOf('bench-history', [
    { type: 'SyntheticDocuments', params: { num_tasks: tasks, docs_per_task: 1, chars_per_doc: 10 } },
    { type: 'BusyStage', name: 'busy' },
  ]).build();
  const executor = new XennaExecutor(CONFIG);
  const runId = randomUUID();
  const t0 = performance.now();
  let onEvent: (e: RunEvent) => void = () => undefined;
  let store: HistoryStore | null = null;
  let stats = () => 0;
  if (home) {
    store = HistoryStore.open({ home });
    store.createRun({ run_id: runId, name: 'bench-history', pipeline: { name: 'bench-history' }, backend: 'xenna', config: executor.config, hardware: null, inputs: [], source: 'cli' });
    const recorder = store.recorder(runId);
    onEvent = (e) => recorder.record(e);
    stats = () => recorder.stats.write_ms;
  }
  const result = await executor.execute(stages, [new EmptyTask()], { runId, onEvent });
  store?.close();
  const wall = (performance.now() - t0) / 1000;
  if (result.summary.stages[1]?.items_out !== tasks) throw new Error(`bench run lost tasks: ${JSON.stringify(result.summary.stages)}`);
  if (store && home) {
    const check = HistoryStore.open({ home, readonly: true });
    const run = check.getRun(runId);
    check.close();
    if (run?.status !== 'succeeded' || run.docs_out !== tasks) throw new Error(`the recorded run is incomplete: ${JSON.stringify(run && { status: run.status, docs_out: run.docs_out })}`);
  }
  return { wall, writeMs: stats() };
}

/** (1) Wall time of a fast run with the recorder attached over the same run with a do-nothing listener. */
export async function recorderOverhead(tasks = 100_000, pairs = 5): Promise<BenchRow> {
  const home = mkdtempSync(path.join(tmpdir(), 'curator-bench-history-'));
  try {
    await tinyTaskRun(2_000, home); // warm-up: worker start-up paths and the native module
    const off: number[] = [];
    const on: number[] = [];
    const writeMs: number[] = [];
    const recorded = async () => {
      const r = await tinyTaskRun(tasks, home);
      on.push(r.wall);
      writeMs.push(r.writeMs);
    };
    const plain = async () => off.push((await tinyTaskRun(tasks, null)).wall);
    for (let i = 0; i < pairs; i++) {
      // Alternate the order so that drift on the machine falls on both sides.
      if (i % 2 === 0) {
        await plain();
        await recorded();
      } else {
        await recorded();
        await plain();
      }
    }
    const ratio = median(on) / median(off);
    return {
      name: 'history: tiny-task run, recorded / not recorded',
      ratio,
      target: '<= 1.05',
      details: {
        tasks,
        pairs,
        without_s: median(off),
        with_s: median(on),
        min_without_s: Math.min(...off),
        min_with_s: Math.min(...on),
        // The recorder's own time on the run's thread, a lower bound of its cost that machine noise does not blur.
        recorder_write_ms: median(writeMs),
        recorder_share: median(writeMs) / 1000 / median(on),
      },
    };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Milliseconds of `fn`, median of `n` calls. */
function timeMs(fn: () => unknown, n = 20): number {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

/** (2) The first page of the run list over `runs` recorded runs. */
export async function listFirstPage(runs = 10_000): Promise<BenchRow> {
  const home = mkdtempSync(path.join(tmpdir(), 'curator-bench-history-'));
  try {
    const store = HistoryStore.open({ home });
    const statuses = ['succeeded', 'succeeded', 'succeeded', 'failed', 'cancelled'] as const;
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) {
      const runId = randomUUID();
      store.createRun({ run_id: runId, name: `pipeline ${i % 37}`, pipeline: { name: `pipeline ${i % 37}`, stages: [{ stage: 'BusyStage', params: {} }] }, backend: i % 3 ? 'xenna' : 'ray_data', config: { logging_interval: 60 }, hardware: { cpus: 16 }, inputs: [], source: 'cli' });
      const rec = store.recorder(runId);
      rec.record({ type: 'log', run_id: runId, t: Date.now(), level: 'info', source: 'engine', message: `run ${i}` });
      const status = statuses[i % statuses.length] as (typeof statuses)[number];
      const stage = { name: 'busy', tasks_in: 10, tasks_out: 10, items_in: 1000 + i, items_out: 900 + i, returned_none: 0, failed_batches: 0, process_time_s: 1, workers_max: 4 };
      rec.finish({ run_id: runId, status, backend: 'xenna', execution_mode: 'streaming', duration_s: (i % 500) / 10, output_tasks: 10, stages: [stage], warnings: [], error: status === 'failed' ? { stage: 'busy', task_id: `t${i}`, message: `error number ${i}`, stack: null } : null });
    }
    const seedS = (performance.now() - t0) / 1000;
    store.close();

    const tCold = performance.now();
    const reader = HistoryStore.open({ home });
    const first = reader.listRuns();
    const coldMs = performance.now() - tCold;
    if (first.total !== runs || first.runs.length !== 50) throw new Error(`listed ${first.runs.length} of ${first.total}`);
    const warm = timeMs(() => reader.listRuns());
    const text = timeMs(() => reader.listRuns({ text: 'number 77' }));
    const status = timeMs(() => reader.listRuns({ status: ['failed'], backend: ['xenna'] }));
    const byDuration = timeMs(() => reader.listRuns({ sort: 'duration' }));
    const lastPage = timeMs(() => reader.listRuns({ offset: runs - 50 }));
    const detail = timeMs(() => reader.getRun(first.runs[0]?.run_id as string));
    reader.close();
    return {
      name: `history: list first page of ${runs} runs (ms)`,
      ratio: warm,
      target: '< 100',
      details: { open_and_first_list_ms: coldMs, text_search_ms: text, status_filter_ms: status, sort_duration_ms: byDuration, last_page_ms: lastPage, show_one_ms: detail, seed_runs_per_s: runs / seedS },
    };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Both history rows. */
export async function historyRows(): Promise<BenchRow[]> {
  return [await recorderOverhead(), await listFirstPage()];
}
