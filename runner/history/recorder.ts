/**
 * Writes one run's event stream into the history. `record` only buffers (it runs on the engine's
 * loop, once per event); the buffer goes to the database in one transaction every ~250 ms or every
 * 500 buffered rows, so a fast run does not slow down on SQLite. Per-task events are not stored:
 * the funnel comes from the status rows, which also refresh the run's heartbeat.
 */
import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';
import type { HardwareSample, RunEvent, RunSummary, StageStatus } from '../engine/events.js';
import { HistoryError } from './errors.js';
import { documentCounts, funnelOfStatus, type StageFunnel } from './funnel.js';
import type { OutputFile, RemovalCount, RunError } from './types.js';

/** Tuning of a recorder; the defaults suit every host. */
export interface RecorderOptions {
  /** Seconds between metrics points: the status-log cadence (the run's `logging_interval`) by default. */
  metricsIntervalS?: number;
  /** Longest time a buffered row waits for its transaction. */
  flushIntervalMs?: number;
  /** Buffered rows that trigger a flush at once. */
  maxBuffered?: number;
  /** Log lines kept per run; later lines are counted, not stored. */
  maxLogLines?: number;
  /** Removed documents kept per stage and reason. */
  maxSamplesPerReason?: number;
  /** Told about a write that failed (the run goes on; the rows of that flush are lost). */
  onError?: (err: HistoryError) => void;
}

const DEFAULTS = { metricsIntervalS: 60, flushIntervalMs: 250, maxBuffered: 500, maxLogLines: 100_000, maxSamplesPerReason: 20 };

type LogRow = [t: string, level: string, source: string, message: string];
type MetricRow = [t: string, elapsed: number, stages: string, cpu: number | null, mem: number | null, gpus: string | null];

/** The statements a recorder uses, prepared once per recorder. */
function statements(db: Database.Database) {
  return {
    log: db.prepare('INSERT INTO run_logs (run_id, t, level, source, message) VALUES (?, ?, ?, ?, ?)'),
    metric: db.prepare('INSERT INTO run_metrics (run_id, t, elapsed_s, stages_json, cpu_pct, memory_used_bytes, gpus_json) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    started: db.prepare(
      `UPDATE runs SET execution_mode = ?, status = CASE status WHEN 'queued' THEN 'running' ELSE status END,
       started_at = coalesce(started_at, ?), heartbeat_at = ? WHERE run_id = ?`,
    ),
    stageType: db.prepare(
      `INSERT INTO run_stages (run_id, position, name, type) VALUES (?, ?, ?, ?)
       ON CONFLICT (run_id, position) DO UPDATE SET name = excluded.name, type = excluded.type`,
    ),
    stageCounts: db.prepare(
      `INSERT INTO run_stages (run_id, position, name, tasks_in, tasks_out, items_in, items_out, returned_none, failed_batches, process_time_s, workers_max, counters_json)
       VALUES (@run_id, @position, @name, @tasks_in, @tasks_out, @items_in, @items_out, @returned_none, @failed_batches, @process_time_s, @workers_max, @counters_json)
       ON CONFLICT (run_id, position) DO UPDATE SET name = excluded.name, tasks_in = excluded.tasks_in, tasks_out = excluded.tasks_out,
       items_in = excluded.items_in, items_out = excluded.items_out, returned_none = excluded.returned_none,
       failed_batches = excluded.failed_batches, process_time_s = excluded.process_time_s, workers_max = excluded.workers_max,
       counters_json = coalesce(excluded.counters_json, counters_json)`,
    ),
    dropStagesFrom: db.prepare('DELETE FROM run_stages WHERE run_id = ? AND position >= ?'),
    stageTypes: db.prepare('SELECT type FROM run_stages WHERE run_id = ? ORDER BY position'),
    progress: db.prepare('UPDATE runs SET docs_in = ?, docs_out = ?, heartbeat_at = ? WHERE run_id = ?'),
    heartbeat: db.prepare('UPDATE runs SET heartbeat_at = ? WHERE run_id = ?'),
    end: db.prepare(
      `UPDATE runs SET status = @status, execution_mode = coalesce(@execution_mode, execution_mode), ended_at = @ended_at,
       started_at = coalesce(started_at, @started_at), duration_s = @duration_s, output_tasks = coalesce(@output_tasks, output_tasks),
       docs_in = coalesce(@docs_in, docs_in), docs_out = coalesce(@docs_out, docs_out), warnings_json = @warnings_json,
       error_stage = @error_stage, error_task_id = @error_task_id, error_message = @error_message, error_stack = @error_stack,
       heartbeat_at = @ended_at WHERE run_id = @run_id`,
    ),
    startedAt: db.prepare('SELECT started_at FROM runs WHERE run_id = ?'),
    output: db.prepare('INSERT INTO run_outputs (run_id, position, path, documents, bytes) VALUES (?, (SELECT count(*) FROM run_outputs WHERE run_id = ?), ?, ?, ?)'),
    outputDoc: db.prepare('INSERT OR IGNORE INTO run_output_docs (run_id, doc_id) VALUES (?, ?)'),
    removal: db.prepare(
      `INSERT INTO run_removals (run_id, stage, reason, count) VALUES (?, ?, ?, ?)
       ON CONFLICT (run_id, stage, reason) DO UPDATE SET count = count + excluded.count`,
    ),
    sampleCount: db.prepare('SELECT count(*) AS n FROM run_removed_samples WHERE run_id = ? AND stage = ? AND reason = ?'),
    sample: db.prepare('INSERT INTO run_removed_samples (run_id, stage, reason, doc_id, document_json) VALUES (?, ?, ?, ?, ?)'),
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Records one run. Obtain it from `HistoryStore.recorder(runId)`. */
export class RunRecorder {
  private readonly opts: typeof DEFAULTS & Pick<RecorderOptions, 'onError'>;
  private readonly st: ReturnType<typeof statements>;
  private logs: LogRow[] = [];
  private metrics: MetricRow[] = [];
  private startedEvent: Extract<RunEvent, { type: 'run_started' }> | null = null;
  private status: Extract<RunEvent, { type: 'stage_status' }> | null = null;
  private statusDirty = false;
  private hardware: HardwareSample | null = null;
  private types: Array<string | null> = [];
  private pending = 0;
  private nextMetricS = 0;
  private lastMetricStatus: object | null = null;
  private logLines = 0;
  private droppedLogs = 0;
  private failedWrites = 0;
  private timer: NodeJS.Timeout | null = null;
  private done = false;
  private writes = { transactions: 0, ms: 0 };

  constructor(
    private readonly db: Database.Database,
    readonly runId: string,
    options: RecorderOptions = {},
    private readonly onClose: (r: RunRecorder) => void = () => undefined,
  ) {
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.opts = { ...DEFAULTS, ...defined };
    this.st = statements(db);
    this.types = (this.st.stageTypes.all(runId) as Array<{ type: string | null }>).map((r) => r.type);
  }

  /** True once the run's end state was written or the recorder was closed. */
  get closed(): boolean {
    return this.done;
  }

  /** Transactions written so far and the milliseconds spent in them (the recorder's cost to the run's thread). */
  get stats(): { transactions: number; write_ms: number; log_lines_dropped: number } {
    return { transactions: this.writes.transactions, write_ms: this.writes.ms, log_lines_dropped: this.droppedLogs };
  }

  /** Takes one event; cheap enough to call for every event of the run. `run_finished` ends the run. */
  record(e: RunEvent): void {
    if (this.done) return;
    switch (e.type) {
      case 'task_processed':
        return;
      case 'log':
        if (this.logLines >= this.opts.maxLogLines) {
          this.droppedLogs++;
          return;
        }
        this.logLines++;
        this.logs.push([iso(e.t), e.level, e.source, e.message]);
        break;
      case 'stage_status':
        this.status = e;
        this.statusDirty = true;
        if (e.elapsed_s >= this.nextMetricS) {
          this.pushMetric(e);
          this.nextMetricS = e.elapsed_s + Math.max(0.5, this.opts.metricsIntervalS);
        }
        break;
      case 'hardware_sample':
        this.hardware = e.sample;
        return;
      case 'run_started':
        this.startedEvent = e;
        this.types = e.stages.map((s) => s.type);
        break;
      case 'run_finished':
        this.finish(e.summary);
        return;
      default: {
        // A new event type is a compile error here; at run time an unknown one is ignored.
        const unknown: never = e;
        return unknown;
      }
    }
    if (++this.pending >= this.opts.maxBuffered) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.opts.flushIntervalMs);
      this.timer.unref();
    }
  }

  /** Writes everything buffered in one transaction. A failed write is reported and the run goes on. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.logs.length && !this.metrics.length && !this.startedEvent && !this.statusDirty) return;
    const logs = this.logs;
    const metrics = this.metrics;
    const started = this.startedEvent;
    const status = this.statusDirty ? this.status : null;
    this.logs = [];
    this.metrics = [];
    this.startedEvent = null;
    this.statusDirty = false;
    this.pending = 0;
    this.write(() => {
      const now = new Date().toISOString();
      if (started) {
        this.st.started.run(started.execution_mode, iso(started.t), now, this.runId);
        started.stages.forEach((s, i) => this.st.stageType.run(this.runId, i, s.name, s.type));
      }
      for (const l of logs) this.st.log.run(this.runId, ...l);
      for (const m of metrics) this.st.metric.run(this.runId, ...m);
      if (status) {
        const funnel = status.stages.map(funnelOfStatus);
        this.writeStages(funnel);
        const { docs_in, docs_out } = documentCounts(funnel, this.types);
        this.st.progress.run(docs_in, docs_out, now, this.runId);
      } else this.st.heartbeat.run(now, this.runId);
    });
  }

  /** Writes the end state from the run summary (after flushing); later calls do nothing. */
  finish(summary: RunSummary): void {
    if (this.done) return;
    if (this.status && this.lastMetricStatus !== this.status) this.pushMetric(this.status);
    this.flush();
    const stages = summary.stages;
    const counts = documentCounts(stages, this.types);
    this.recordSummaryRemovals(stages);
    this.end(summary.status, summary.error, {
      execution_mode: summary.execution_mode,
      duration_s: summary.duration_s,
      output_tasks: summary.output_tasks,
      warnings: summary.warnings,
      stages,
      ...counts,
    });
  }

  /**
   * Ends a run that has no summary (it failed before planning, or the host is quitting): the error's
   * message and stack are kept. `cancelled` records a cancellation instead of a failure.
   */
  fail(err: unknown, status: 'failed' | 'cancelled' = 'failed'): void {
    if (this.done) return;
    this.flush();
    const error: RunError | null =
      status === 'cancelled' ? null : { stage: null, task_id: null, message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? (err.stack ?? null) : null };
    this.end(status, error, {});
  }

  /**
   * Records files the run wrote and, optionally, the ids of the documents in them (so that two runs
   * can be compared document by document).
   */
  recordOutputs(files: readonly OutputFile[], docIds: Iterable<string> = []): void {
    this.write(() => {
      for (const f of files) this.st.output.run(this.runId, this.runId, f.path, f.documents, f.bytes);
      for (const id of docIds) this.st.outputDoc.run(this.runId, id);
    });
  }

  /** Adds removal counts, and keeps up to `maxSamplesPerReason` removed documents per stage and reason. */
  recordRemovals(counts: readonly RemovalCount[], samples: ReadonlyArray<{ stage: string; reason: string; doc_id?: string | null; document: unknown }> = []): void {
    this.write(() => {
      for (const c of counts) this.st.removal.run(this.runId, c.stage, c.reason, c.count);
      const kept = new Map<string, number>();
      for (const s of samples) {
        const key = `${s.stage}\u0000${s.reason}`;
        const n = kept.get(key) ?? (this.st.sampleCount.get(this.runId, s.stage, s.reason) as { n: number }).n;
        if (n >= this.opts.maxSamplesPerReason) continue;
        kept.set(key, n + 1);
        this.st.sample.run(this.runId, s.stage, s.reason, s.doc_id ?? null, JSON.stringify(s.document) ?? 'null');
      }
    });
  }

  /** Records what each stage of a finished run removed and why, with its samples. */
  private recordSummaryRemovals(stages: readonly StageFunnel[]): void {
    const counts: RemovalCount[] = [];
    const samples: Array<{ stage: string; reason: string; doc_id: string | null; document: unknown }> = [];
    for (const st of stages) {
      if (!st.removed) continue;
      for (const [reason, count] of Object.entries(st.removed.reasons)) counts.push({ stage: st.name, reason, count });
      for (const smp of st.removed.samples) {
        const id = smp.doc['id'] ?? smp.doc['_curator_origin'] ?? null;
        samples.push({ stage: st.name, reason: smp.reason, doc_id: id === null ? null : String(id), document: { ...smp.doc, _curator_removed: { stage: st.name, reason: smp.reason, ...smp.detail } } });
      }
    }
    if (counts.length) this.recordRemovals(counts, samples);
  }

  /** Flushes and stops, leaving the run's status as it is (a host that quits mid-run; the next start marks it interrupted). */
  close(): void {
    if (this.done) return;
    this.flush();
    this.stop();
  }

  private end(
    status: 'succeeded' | 'failed' | 'cancelled',
    error: RunError | null,
    s: { execution_mode?: string | null; duration_s?: number; output_tasks?: number; warnings?: string[]; stages?: StageFunnel[]; docs_in?: number | null; docs_out?: number | null },
  ): void {
    this.write(() => {
      const endedMs = Date.now();
      const startedAt = (this.st.startedAt.get(this.runId) as { started_at: string | null } | undefined)?.started_at ?? null;
      const duration = s.duration_s ?? (startedAt ? Math.max(0, (endedMs - Date.parse(startedAt)) / 1000) : null);
      if (s.stages) this.writeStages(s.stages, true);
      if (this.droppedLogs) this.st.log.run(this.runId, iso(endedMs), 'warn', 'history', `${this.droppedLogs} later log line(s) were not stored (at most ${this.opts.maxLogLines} per run)`);
      this.st.end.run({
        run_id: this.runId,
        status,
        execution_mode: s.execution_mode ?? null,
        ended_at: iso(endedMs),
        started_at: duration === null ? null : iso(endedMs - duration * 1000),
        duration_s: duration,
        output_tasks: s.output_tasks ?? null,
        docs_in: s.docs_in ?? null,
        docs_out: s.docs_out ?? null,
        warnings_json: JSON.stringify(s.warnings ?? []),
        error_stage: error?.stage ?? null,
        error_task_id: error?.task_id ?? null,
        error_message: error?.message ?? null,
        error_stack: error?.stack ?? null,
      });
    });
    this.stop();
  }

  private writeStages(stages: readonly StageFunnel[], complete = false): void {
    stages.forEach((s, position) =>
      this.st.stageCounts.run({
        run_id: this.runId,
        position,
        name: s.name,
        tasks_in: s.tasks_in,
        tasks_out: s.tasks_out,
        items_in: s.items_in,
        items_out: s.items_out,
        returned_none: s.returned_none,
        failed_batches: s.failed_batches,
        process_time_s: s.process_time_s,
        workers_max: s.workers_max,
        counters_json: s.counters && Object.keys(s.counters).length ? JSON.stringify(s.counters) : null,
      }),
    );
    if (complete) this.st.dropStagesFrom.run(this.runId, stages.length);
  }

  private pushMetric(e: Extract<RunEvent, { type: 'stage_status' }>): void {
    this.lastMetricStatus = e;
    const hw = this.hardware;
    this.metrics.push([iso(e.t), e.elapsed_s, JSON.stringify(e.stages.map(metricStage)), hw?.cpu_pct ?? null, hw?.memory_used_bytes ?? null, hw ? JSON.stringify(hw.gpus) : null]);
  }

  private write(fn: () => void): void {
    const t0 = performance.now();
    try {
      this.db.transaction(fn)();
    } catch (e: unknown) {
      if (this.failedWrites++ === 0) {
        const file = this.db.name;
        this.opts.onError?.(new HistoryError(`could not write run ${this.runId} to the run history ${file}: ${(e as Error).message}; the run goes on, but its history may be incomplete`, { file, cause: e }));
      }
    } finally {
      this.writes.transactions++;
      this.writes.ms += performance.now() - t0;
    }
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.done = true;
    this.onClose(this);
  }
}

/** The per-stage part of a metrics point: the funnel plus workers, queues, slots and speed. */
function metricStage(s: StageStatus) {
  return { ...funnelOfStatus(s), workers: s.workers, queue: s.queue, slots: s.slots, tasks_per_worker_s: s.tasks_per_worker_s };
}
