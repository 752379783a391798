import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HistoryError, HistoryStore, type RunStart } from '../../../../runner/history/store.js';
import { ev, runStart, stageRow, summary, tempHome } from './helpers.js';

let tmp: ReturnType<typeof tempHome>;
let store: HistoryStore;
beforeEach(() => {
  tmp = tempHome();
  store = HistoryStore.open({ home: tmp.home });
});
afterEach(() => {
  vi.useRealTimers();
  store.close();
  tmp.cleanup();
});

/** Records a finished run at a given time. */
function finishedRun(at: string, over: Omit<Partial<RunStart>, 'status'> & { status?: 'succeeded' | 'failed' | 'cancelled'; duration?: number; error?: string } = {}): string {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(at));
  const { status = 'succeeded', duration = 1, error, ...start } = over;
  const s = runStart(start);
  store.createRun(s);
  const rec = store.recorder(s.run_id);
  rec.record(ev.log(s.run_id, 'hello'));
  rec.finish(summary(s.run_id, [stageRow('busy', 10, status === 'succeeded' ? 8 : 3)], { status, duration_s: duration, error: error ? { stage: 'busy', task_id: 't-1', message: error, stack: 'Error: ' + error } : null }));
  vi.useRealTimers();
  return s.run_id;
}

describe('HistoryStore queries', () => {
  let ids: Record<string, string>;
  beforeEach(() => {
    ids = {
      a: finishedRun('2025-03-01T10:00:00Z', { name: 'Web crawl dedup', duration: 30 }),
      b: finishedRun('2025-03-02T10:00:00Z', { name: 'books filter', backend: 'ray_data', status: 'failed', duration: 5, error: 'disk quota exceeded' }),
      c: finishedRun('2025-03-03T10:00:00Z', { name: 'web crawl v2', duration: 12 }),
      d: finishedRun('2025-03-04T10:00:00Z', { name: '100% sample', backend: 'ray_actor_pool', status: 'cancelled', duration: 2 }),
      e: finishedRun('2025-03-05T10:00:00Z', { name: 'nightly', source: 'serve', duration: 60 }),
    };
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-03-06T10:00:00Z'));
    const running = runStart({ name: 'still going' });
    store.createRun(running);
    ids.f = running.run_id;
    vi.useRealTimers();
  });

  const names = (q: Parameters<HistoryStore['listRuns']>[0]) => store.listRuns(q).runs.map((r) => r.name);

  it('lists newest first with the total and every list field', () => {
    const page = store.listRuns();
    expect(page.total).toBe(6);
    expect(page.runs.map((r) => r.run_id)).toEqual([ids.f, ids.e, ids.d, ids.c, ids.b, ids.a]);
    expect(page.runs[1]).toEqual({
      run_id: ids.e,
      name: 'nightly',
      status: 'succeeded',
      backend: 'xenna',
      execution_mode: 'streaming',
      source: 'serve',
      created_at: '2025-03-05T10:00:00.000Z',
      started_at: '2025-03-05T10:00:00.000Z',
      ended_at: '2025-03-05T10:00:00.000Z',
      duration_s: 60,
      docs_in: 10,
      docs_out: 8,
      error_message: null,
    });
    expect(page.runs[0]).toMatchObject({ status: 'running', ended_at: null, duration_s: null, docs_in: null });
  });

  it('filters by status, backend, name, text and date range', () => {
    expect(names({ status: ['failed', 'cancelled'] })).toEqual(['100% sample', 'books filter']);
    expect(names({ backend: ['ray_data'] })).toEqual(['books filter']);
    expect(names({ name: 'WEB CRAWL' })).toEqual(['web crawl v2', 'Web crawl dedup']);
    expect(names({ text: 'quota' })).toEqual(['books filter']);
    expect(names({ text: ids.c?.slice(0, 10) })).toEqual(['web crawl v2']);
    expect(names({ name: '%' })).toEqual(['100% sample']);
    expect(names({ name: '_' })).toEqual([]);
    expect(names({ from: '2025-03-02', to: '2025-03-04T23:59:59Z' })).toEqual(['100% sample', 'web crawl v2', 'books filter']);
    expect(names({ status: ['succeeded'], backend: ['xenna'], from: '2025-03-02T00:00:00+01:00' })).toEqual(['nightly', 'web crawl v2']);
    expect(store.listRuns({ status: ['succeeded'] }).total).toBe(3);
  });

  it('sorts by duration (unknown last), name and status, either way', () => {
    expect(names({ sort: 'duration', order: 'asc' })).toEqual(['100% sample', 'books filter', 'web crawl v2', 'Web crawl dedup', 'nightly', 'still going']);
    expect(names({ sort: 'duration' })).toEqual(['nightly', 'Web crawl dedup', 'web crawl v2', 'books filter', '100% sample', 'still going']);
    expect(names({ sort: 'name', order: 'asc' })).toEqual(['100% sample', 'books filter', 'nightly', 'still going', 'Web crawl dedup', 'web crawl v2']);
    expect(names({ sort: 'status', order: 'asc' })[0]).toBe('100% sample');
    expect(names({ order: 'asc' })[0]).toBe('Web crawl dedup');
  });

  it('pages with limit and offset, clamping the page size', () => {
    const p1 = store.listRuns({ limit: 2 });
    const p2 = store.listRuns({ limit: 2, offset: 2 });
    const p4 = store.listRuns({ limit: 2, offset: 6 });
    expect(p1.total).toBe(6);
    expect([...p1.runs, ...p2.runs].map((r) => r.run_id)).toEqual([ids.f, ids.e, ids.d, ids.c]);
    expect(p4.runs).toEqual([]);
    expect(store.listRuns({ limit: 100_000 }).runs).toHaveLength(6);
    expect(store.listRuns({ limit: 0 }).runs).toHaveLength(1);
  });

  it('rejects a bad date with a message naming the parameter', () => {
    expect(() => store.listRuns({ from: 'last tuesday' })).toThrow(/"from" must be a date/);
  });

  it('shows one run with everything, by id or unique prefix', () => {
    const r = store.getRun(ids.b as string);
    expect(r).toMatchObject({
      name: 'books filter',
      status: 'failed',
      backend: 'ray_data',
      config: { execution_mode: 'streaming', logging_interval: 60 },
      hardware: { cpus: 2, cpu_model: 'test CPU' },
      error: { stage: 'busy', task_id: 't-1', message: 'disk quota exceeded', stack: 'Error: disk quota exceeded' },
      error_message: 'disk quota exceeded',
      stages: [{ name: 'busy', tasks_in: 1, tasks_out: 1, items_in: 10, items_out: 3, returned_none: 0, failed_batches: 0, process_time_s: 0.5, workers_max: 1 }],
      warnings: [],
      inputs: [{ path: '/data/in/a.jsonl', size: 10, mtime: '2025-01-01T00:00:00.000Z' }],
      outputs: [],
      removals: [],
      log_count: 1,
    });
    expect((r?.pipeline as { name: string }).name).toBe('books filter');
    const unique = (ids.b as string).slice(0, 10);
    expect(store.getRun(unique)?.run_id).toBe(ids.b);
    expect(store.getRun('no-such-run')).toBeNull();
    expect(() => store.getRun('run-')).toThrow(HistoryError);
    expect(() => store.getRun('run-')).toThrow(/matches several runs/);
  });

  it('pages a run\u2019s logs and filters them by level', () => {
    const s = runStart();
    store.createRun(s);
    const rec = store.recorder(s.run_id);
    for (let i = 0; i < 30; i++) rec.record(ev.log(s.run_id, `line ${i}`, i % 10 === 0 ? 'warn' : 'info'));
    rec.finish(summary(s.run_id, []));
    const page = store.logs(s.run_id, { offset: 5, limit: 3 });
    expect(page.total).toBe(30);
    expect(page.lines.map((l) => l.message)).toEqual(['line 5', 'line 6', 'line 7']);
    expect(page.lines[0]).toMatchObject({ level: 'info', source: 'engine' });
    expect(store.logs(s.run_id, { level: ['warn'] }).lines.map((l) => l.message)).toEqual(['line 0', 'line 10', 'line 20']);
  });

  it('compares two runs: configuration, funnels side by side, outputs only when both kept ids', () => {
    const a = runStart({ name: 'p', config: { execution_mode: 'streaming', logging_interval: 60 }, pipeline: { name: 'p', stages: [{ stage: 'BusyStage', params: { sleep_ms_per_task: 1 } }] } });
    const b = runStart({ name: 'p', backend: 'ray_data', config: { logging_interval: 30 }, pipeline: { name: 'p', stages: [{ stage: 'BusyStage', params: { sleep_ms_per_task: 5 } }, { stage: 'JsonlWriter', params: { path: '/out' } }] } });
    for (const s of [a, b]) store.createRun(s);
    store.recorder(a.run_id).finish(summary(a.run_id, [stageRow('busy', 10, 10)]));
    const rb = store.recorder(b.run_id);
    rb.finish(summary(b.run_id, [stageRow('busy', 10, 9), stageRow('jsonl_writer', 9, 1)]));

    let c = store.compareRuns(a.run_id, b.run_id.slice(0, 12));
    expect(c.a.run_id).toBe(a.run_id);
    expect(c.b.run_id).toBe(b.run_id);
    expect(c.config_diff).toEqual([
      { key: 'backend', a: 'xenna', b: 'ray_data' },
      { key: 'config.execution_mode', a: 'streaming', b: undefined },
      { key: 'config.logging_interval', a: 60, b: 30 },
      { key: 'pipeline.stages[0].params.sleep_ms_per_task', a: 1, b: 5 },
      { key: 'pipeline.stages[1].stage', a: undefined, b: 'JsonlWriter' },
      { key: 'pipeline.stages[1].params.path', a: undefined, b: '/out' },
    ]);
    expect(c.stages.map((s) => [s.name, s.a?.items_out ?? null, s.b?.items_out ?? null])).toEqual([
      ['busy', 10, 9],
      ['jsonl_writer', null, 1],
    ]);
    expect(c.outputs).toEqual({ compared: false, added: [], removed: [], added_count: 0, removed_count: 0 });

    store.recorder(a.run_id).recordOutputs([{ path: '/out/a.jsonl', documents: 3, bytes: 30 }], ['d1', 'd2', 'd3']);
    c = store.compareRuns(a.run_id, b.run_id);
    expect(c.outputs.compared).toBe(false);
    store.recorder(b.run_id).recordOutputs([{ path: '/out/b.jsonl', documents: 3, bytes: 30 }], ['d2', 'd3', 'd4']);
    c = store.compareRuns(a.run_id, b.run_id);
    expect(c.outputs).toEqual({ compared: true, added: ['d4'], removed: ['d1'], added_count: 1, removed_count: 1 });
    expect(c.b.outputs).toEqual([{ path: '/out/b.jsonl', documents: 3, bytes: 30 }]);
    expect(() => store.compareRuns(a.run_id, 'missing')).toThrow(/no run "missing"/);
  });

  it('deletes a run with everything recorded about it', () => {
    const file = store.path;
    expect(store.deleteRun(ids.a as string)).toBe(true);
    expect(store.getRun(ids.a as string)).toBeNull();
    expect(store.deleteRun(ids.a as string)).toBe(false);
    const db = new Database(file, { readonly: true });
    for (const t of ['run_logs', 'run_stages', 'run_inputs']) expect((db.prepare(`SELECT count(*) AS n FROM ${t} WHERE run_id = ?`).get(ids.a) as { n: number }).n).toBe(0);
    db.close();
    expect(() => store.deleteRun(ids.f as string)).toThrow(/still running/);
    expect(store.listRuns().total).toBe(5);
  });

  it('prunes by count and by age, never a running run', () => {
    expect(() => store.prune({})).toThrow(HistoryError);
    expect(store.prune({ keep: 3 })).toBe(3);
    expect(store.listRuns().runs.map((r) => r.run_id)).toEqual([ids.f, ids.e, ids.d]);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-03-10T12:00:00Z'));
    expect(store.prune({ olderThanDays: 5.5 })).toBe(1);
    expect(store.listRuns().runs.map((r) => r.run_id)).toEqual([ids.f, ids.e]);
    expect(store.prune({ olderThanDays: 0, keep: 0 })).toBe(1);
    expect(store.listRuns().runs.map((r) => r.run_id)).toEqual([ids.f]);
  });
});

describe('HistoryStore runs', () => {
  it('starts a queued run when told, and takes the hardware and inputs later', () => {
    const s = runStart({ status: 'queued', hardware: null, inputs: [] });
    store.createRun(s);
    expect(store.getRun(s.run_id)).toMatchObject({ status: 'queued', started_at: null, hardware: null, inputs: [] });
    store.markStarted(s.run_id);
    store.setHardware(s.run_id, { cpus: 8 });
    store.setInputs(s.run_id, [{ path: '/x', size: 1, mtime: '2025-01-01T00:00:00.000Z' }]);
    const r = store.getRun(s.run_id);
    expect(r?.status).toBe('running');
    expect(r?.started_at).not.toBeNull();
    expect(r?.hardware).toEqual({ cpus: 8 });
    expect(r?.inputs.map((f) => f.path)).toEqual(['/x']);
  });

  it('refuses a recorder for a run it does not have', () => {
    expect(() => store.recorder('nope')).toThrow(/createRun/);
  });

  it('refuses a second run with the same id', () => {
    const s = runStart();
    store.createRun(s);
    expect(() => store.createRun(s)).toThrow();
  });
});
