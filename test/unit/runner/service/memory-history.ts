/**
 * A small in-memory run history for the service's unit tests: it keeps what the service records
 * (runs, events, outputs, summaries) so the tests can check it, and answers the queries simply.
 * The real SQLite store is exercised by the `curator serve` integration test.
 */
import type { HistoryPort, LogLine, OutputFile, RecorderPort, RunDetail, RunStart, RunSummary } from '../../../../runner/service/contract.js';
import type { RunEvent } from '../../../../runner/engine/events.js';

/** One recorded run and everything recorded about it. */
export interface MemoryRun {
  start: RunStart;
  status: RunDetail['status'];
  startedAt: string | null;
  events: RunEvent[];
  outputs: OutputFile[];
  docIds: string[];
  summary: RunSummary | null;
  closed: boolean;
}

/** The history port over plain maps. */
export class MemoryHistory implements HistoryPort {
  readonly runs = new Map<string, MemoryRun>();

  createRun(start: RunStart): void {
    if (this.runs.has(start.run_id)) throw new Error(`run ${start.run_id} exists`);
    this.runs.set(start.run_id, { start, status: start.status ?? 'running', startedAt: null, events: [], outputs: [], docIds: [], summary: null, closed: false });
  }

  markStarted(runId: string): void {
    const r = this.must(runId);
    r.status = 'running';
    r.startedAt = new Date().toISOString();
  }

  recorder(runId: string): RecorderPort {
    const r = this.must(runId);
    return {
      record: (e) => {
        r.events.push(e);
        if (e.type === 'run_finished') this.end(r, e.summary);
      },
      recordOutputs: (files, ids = []) => {
        r.outputs.push(...files);
        r.docIds.push(...ids);
      },
      finish: (s) => this.end(r, s),
      close: () => void (r.closed = true),
    };
  }

  listRuns(): { total: number; runs: RunDetail[] } {
    const runs = [...this.runs.keys()].map((id) => this.getRun(id) as RunDetail);
    return { total: runs.length, runs };
  }

  getRun(runId: string): RunDetail | null {
    const r = this.runs.get(runId);
    if (!r) return null;
    return {
      run_id: runId,
      name: r.start.name,
      status: r.status,
      backend: r.start.backend,
      execution_mode: null,
      source: r.start.source,
      created_at: new Date().toISOString(),
      started_at: r.startedAt,
      ended_at: null,
      duration_s: r.summary?.duration_s ?? null,
      docs_in: null,
      docs_out: null,
      error_message: r.summary?.error?.message ?? null,
      pipeline: r.start.pipeline,
      config: r.start.config,
      hardware: r.start.hardware,
      error: r.summary?.error ?? null,
      stages: r.summary?.stages ?? [],
      warnings: r.summary?.warnings ?? [],
      inputs: r.start.inputs,
      outputs: r.outputs,
      removals: [],
      log_count: this.logs(runId).total,
    };
  }

  logs(runId: string, q: { offset?: number; limit?: number } = {}): { total: number; lines: LogLine[] } {
    const lines = this.must(runId)
      .events.filter((e) => e.type === 'log')
      .map((e) => ({ t: new Date(e.t).toISOString(), level: e.level, source: e.source, message: e.message }));
    const offset = q.offset ?? 0;
    return { total: lines.length, lines: lines.slice(offset, offset + (q.limit ?? 1000)) };
  }

  metrics(): [] {
    return [];
  }

  removedSamples(): [] {
    return [];
  }

  compareRuns(a: string, b: string): { a: RunDetail; b: RunDetail; config_diff: []; stages: []; outputs: { compared: false; added: []; removed: []; added_count: 0; removed_count: 0 } } {
    return { a: this.getRun(a) as RunDetail, b: this.getRun(b) as RunDetail, config_diff: [], stages: [], outputs: { compared: false, added: [], removed: [], added_count: 0, removed_count: 0 } };
  }

  deleteRun(runId: string): boolean {
    return this.runs.delete(runId);
  }

  prune(): number {
    return 0;
  }

  private end(r: MemoryRun, s: RunSummary): void {
    r.summary ??= s;
    r.status = s.status;
  }

  private must(runId: string): MemoryRun {
    const r = this.runs.get(runId);
    if (!r) throw new Error(`no run ${runId}`);
    return r;
  }
}
