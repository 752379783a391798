import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore, type HistoryError } from '../../../../runner/history/store.js';
import { ev, runStart, stageRow, summary, tempHome } from './helpers.js';

let tmp: ReturnType<typeof tempHome>;
let store: HistoryStore;
/** A second connection, as another process would see the file. */
let reader: Database.Database;
beforeEach(() => {
  tmp = tempHome();
  store = HistoryStore.open({ home: tmp.home });
  reader = new Database(store.path, { readonly: true });
});
afterEach(() => {
  reader.close();
  store.close();
  tmp.cleanup();
});

const countOf = (table: string, runId: string) => (reader.prepare(`SELECT count(*) AS n FROM ${table} WHERE run_id = ?`).get(runId) as { n: number }).n;
const runRow = (runId: string) => reader.prepare('SELECT * FROM runs WHERE run_id = ?').get(runId) as Record<string, unknown>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function started(over = {}) {
  const s = runStart(over);
  store.createRun(s);
  return s.run_id;
}

describe('RunRecorder', () => {
  it('buffers events and writes them in one transaction after the flush interval', async () => {
    const id = started();
    const rec = store.recorder(id, { flushIntervalMs: 100 });
    for (let i = 0; i < 20; i++) rec.record(ev.log(id, `line ${i}`));
    expect(countOf('run_logs', id)).toBe(0);
    await sleep(250);
    expect(countOf('run_logs', id)).toBe(20);
    rec.close();
  });

  it('flushes at once when the buffer reaches its size', () => {
    const id = started();
    const rec = store.recorder(id, { flushIntervalMs: 60_000, maxBuffered: 50 });
    for (let i = 0; i < 49; i++) rec.record(ev.log(id, `line ${i}`));
    expect(countOf('run_logs', id)).toBe(0);
    rec.record(ev.log(id, 'line 49'));
    expect(countOf('run_logs', id)).toBe(50);
    rec.close();
  });

  it('does not store per-task events and does not wake up for them', async () => {
    const id = started();
    const rec = store.recorder(id, { flushIntervalMs: 20 });
    for (let i = 0; i < 10_000; i++) rec.record(ev.task(id));
    const before = runRow(id).heartbeat_at;
    await sleep(60);
    expect(runRow(id).heartbeat_at).toBe(before);
    rec.close();
  });

  it('keeps the live funnel, documents and heartbeat of a running run', async () => {
    const id = started();
    const rec = store.recorder(id, { flushIntervalMs: 10 });
    rec.record(ev.started(id, [['file_partitioning', 'FilePartitioningStage'], ['jsonl_reader', 'JsonlReaderStage'], ['busy', 'BusyStage'], ['jsonl_writer', 'JsonlWriter']]));
    rec.record(ev.status(id, 0.5, [stageRow('file_partitioning', 0, 3), stageRow('jsonl_reader', 3, 30), stageRow('busy', 30, 20), stageRow('jsonl_writer', 20, 2)]));
    await sleep(50);
    const detail = store.getRun(id);
    expect(detail).toMatchObject({ status: 'running', execution_mode: 'streaming', docs_in: 30, docs_out: 20 });
    expect(detail?.stages.map((s) => [s.name, s.items_in, s.items_out])).toEqual([
      ['file_partitioning', 0, 3],
      ['jsonl_reader', 3, 30],
      ['busy', 30, 20],
      ['jsonl_writer', 20, 2],
    ]);
    const types = reader.prepare('SELECT type FROM run_stages WHERE run_id = ? ORDER BY position').all(id) as Array<{ type: string }>;
    expect(types.map((t) => t.type)).toEqual(['FilePartitioningStage', 'JsonlReaderStage', 'BusyStage', 'JsonlWriter']);
    rec.close();
  });

  it('writes the end state from the summary, with the error and warnings', () => {
    const id = started();
    const rec = store.recorder(id);
    rec.record(ev.started(id, [['synthetic_documents', 'SyntheticDocuments'], ['busy', 'BusyStage']]));
    rec.record(ev.log(id, 'about to fail', 'error'));
    rec.finish(
      summary(id, [stageRow('synthetic_documents', 0, 100), stageRow('busy', 100, 40, { failed_batches: 1 })], {
        status: 'failed',
        duration_s: 4.25,
        warnings: ['CPUs are oversubscribed'],
        error: { stage: 'busy', task_id: '0_abc_1', message: 'planned failure', stack: 'Error: planned failure\n    at x' },
      }),
    );
    expect(rec.closed).toBe(true);
    const r = store.getRun(id);
    expect(r).toMatchObject({
      status: 'failed',
      duration_s: 4.25,
      docs_in: 100,
      docs_out: 40,
      warnings: ['CPUs are oversubscribed'],
      error: { stage: 'busy', task_id: '0_abc_1', message: 'planned failure', stack: 'Error: planned failure\n    at x' },
      error_message: 'planned failure',
      log_count: 1,
    });
    expect(r?.stages[1]).toMatchObject({ name: 'busy', failed_batches: 1 });
    expect(Date.parse(r?.ended_at as string)).toBeGreaterThanOrEqual(Date.parse(r?.started_at as string));
    rec.record(ev.log(id, 'after the end'));
    rec.flush();
    expect(store.getRun(id)?.log_count).toBe(1);
  });

  it('ends the run on its run_finished event', () => {
    const id = started();
    const rec = store.recorder(id);
    rec.record({ type: 'run_finished', run_id: id, t: Date.now(), summary: summary(id, [stageRow('busy', 5, 5)], { status: 'cancelled' }) });
    expect(store.getRun(id)).toMatchObject({ status: 'cancelled', docs_out: 5 });
    rec.finish(summary(id, [], { status: 'succeeded' }));
    expect(store.getRun(id)?.status).toBe('cancelled');
  });

  it('ends a run without a summary as failed (message and stack) or cancelled', () => {
    const a = started();
    store.recorder(a).fail(new Error('could not plan'));
    expect(store.getRun(a)).toMatchObject({ status: 'failed', error: { stage: null, task_id: null, message: 'could not plan' } });
    expect(store.getRun(a)?.error?.stack).toContain('could not plan');
    expect(store.getRun(a)?.duration_s).toBeGreaterThanOrEqual(0);
    const b = started();
    store.recorder(b).fail(null, 'cancelled');
    expect(store.getRun(b)).toMatchObject({ status: 'cancelled', error: null });
  });

  it('takes metrics points at the status-log cadence, with the latest machine sample, and the last status at the end', () => {
    const id = started({ config: { logging_interval: 10 } });
    const rec = store.recorder(id);
    rec.record(ev.hardware(id, 42));
    for (const t of [0.5, 5, 10.6, 15, 21, 23]) rec.record(ev.status(id, t, [stageRow('busy', Math.round(t * 10), Math.round(t * 10))]));
    rec.finish(summary(id, [stageRow('busy', 230, 230)]));
    const points = store.metrics(id);
    expect(points.map((p) => p.elapsed_s)).toEqual([0.5, 10.6, 21, 23]);
    expect(points[0]).toMatchObject({ cpu_pct: 42, memory_used_bytes: 1000, gpus: [] });
    expect((points[3]?.stages as Array<{ name: string; items_out: number; workers: { ready: number } }>)[0]).toMatchObject({ name: 'busy', items_out: 230, workers: { ready: 1 } });
  });

  it('keeps at most maxLogLines log lines and says how many it left out', () => {
    const id = started();
    const rec = store.recorder(id, { maxLogLines: 5 });
    for (let i = 0; i < 12; i++) rec.record(ev.log(id, `line ${i}`));
    rec.finish(summary(id, []));
    const logs = store.logs(id);
    expect(logs.total).toBe(6);
    expect(logs.lines.at(-1)).toMatchObject({ level: 'warn', source: 'history' });
    expect(logs.lines.at(-1)?.message).toContain('7 later log line(s) were not stored');
  });

  it('counts removals and keeps a bounded sample of removed documents', () => {
    const id = started();
    const rec = store.recorder(id, { maxSamplesPerReason: 3 });
    const docs = (n: number, reason: string) => Array.from({ length: n }, (_, i) => ({ stage: 'filter', reason, doc_id: `${reason}-${i}`, document: { id: `${reason}-${i}`, text: 'x' } }));
    rec.recordRemovals([{ stage: 'filter', reason: 'too_short', count: 5 }], docs(5, 'too_short'));
    rec.recordRemovals([{ stage: 'filter', reason: 'too_short', count: 2 }, { stage: 'filter', reason: 'non_alpha', count: 9 }], [...docs(2, 'too_short'), ...docs(1, 'non_alpha')]);
    rec.finish(summary(id, []));
    expect(store.getRun(id)?.removals).toEqual([
      { stage: 'filter', reason: 'non_alpha', count: 9 },
      { stage: 'filter', reason: 'too_short', count: 7 },
    ]);
    expect(store.removedSamples(id, { reason: 'too_short' }).map((s) => s.doc_id)).toEqual(['too_short-0', 'too_short-1', 'too_short-2']);
    expect(store.removedSamples(id)[3]).toEqual({ stage: 'filter', reason: 'non_alpha', doc_id: 'non_alpha-0', document: { id: 'non_alpha-0', text: 'x' } });
  });

  it('reports a failed write once and never throws at the run', () => {
    const id = started();
    const errors: HistoryError[] = [];
    const rec = store.recorder(id, { onError: (e) => errors.push(e) });
    const other = new Database(store.path);
    other.pragma('foreign_keys = ON');
    other.prepare('DELETE FROM runs WHERE run_id = ?').run(id);
    other.close();
    rec.record(ev.log(id, 'one'));
    expect(() => rec.flush()).not.toThrow();
    rec.record(ev.log(id, 'two'));
    rec.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain(store.path);
    expect(errors[0]?.message).toContain(id);
    rec.close();
  });

  it('flushes open recorders when the store closes, leaving the run running', () => {
    const id = started();
    const rec = store.recorder(id, { flushIntervalMs: 60_000 });
    rec.record(ev.log(id, 'pending'));
    store.close();
    expect(countOf('run_logs', id)).toBe(1);
    expect(runRow(id).status).toBe('running');
    store = HistoryStore.open({ home: tmp.home });
  });

  it('stores what each stage removed and why, its samples and its counters, from the run summary', () => {
    const id = started();
    const rec = store.recorder(id);
    const removed = {
      reasons: { WordCountFilter: 7, UrlsFilter: 2 },
      samples: [
        { reason: 'WordCountFilter', detail: { score: 3 }, doc: { id: 'd1', text: 'too short', _curator_origin: '/in/a.jsonl:4' } },
        { reason: 'UrlsFilter', detail: { score: 0.5 }, doc: { text: 'http://x' } },
      ],
    };
    rec.finish(summary(id, [stageRow('reader', 10, 10, { counters: { invalid_json_lines_skipped: 2 } }), stageRow('filters', 10, 1, { removed })]));
    const detail = store.getRun(id)!;
    expect(detail.removals).toEqual([
      { stage: 'filters', reason: 'WordCountFilter', count: 7 },
      { stage: 'filters', reason: 'UrlsFilter', count: 2 },
    ]);
    expect(detail.stages[0]?.counters).toEqual({ invalid_json_lines_skipped: 2 });
    expect(detail.stages[1]?.counters).toBeUndefined();
    const samples = store.removedSamples(id, { reason: 'WordCountFilter' });
    expect(samples).toEqual([
      { stage: 'filters', reason: 'WordCountFilter', doc_id: 'd1', document: { id: 'd1', text: 'too short', _curator_origin: '/in/a.jsonl:4', _curator_removed: { stage: 'filters', reason: 'WordCountFilter', score: 3 } } },
    ]);
    expect(store.removedSamples(id, { reason: 'UrlsFilter' })[0]?.doc_id).toBeNull();
  });
});
