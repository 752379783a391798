/**
 * The run history: one SQLite database (better-sqlite3) in the Curator home folder, shared by the
 * CLI, `curator serve` and the desktop app. WAL with synchronous=NORMAL, foreign keys on, a busy
 * timeout so that a run writing and a window listing never fail on each other, numbered migrations
 * (see migrations/). Opening it marks runs whose process died as `interrupted`.
 */
import { existsSync, mkdirSync } from 'node:fs';
import nodePath from 'node:path';
import Database from 'better-sqlite3';
import { HistoryError } from './errors.js';
import { LATEST_VERSION, checkApplied, migrate } from './migrations/index.js';
import { currentOwner, ownerIsGone, systemProbe, type ProcessProbe } from './owner.js';
import { curatorHome, historyDbPath } from './paths.js';
import { RunRecorder, type RecorderOptions } from './recorder.js';
import { LIST_COLUMNS, buildListQuery, likeEscape } from './queries.js';
import { configDiff, pairStages } from './compare.js';
import type { InputFile, LogLine, MetricsPoint, RemovedSample, RunComparison, RunDetail, RunListItem, RunListQuery, RunStart, RunStatus, StageRow } from './types.js';

export { HistoryError } from './errors.js';
export { defaultCuratorHome, historyDbPath } from './paths.js';
export { RunRecorder } from './recorder.js';
export type { RecorderOptions } from './recorder.js';
export * from './types.js';

/** How long a write waits for another connection's transaction before failing. */
const BUSY_TIMEOUT_MS = 5_000;
/** Output ids listed per side when comparing two runs (the counts are exact). */
export const OUTPUT_DIFF_LIMIT = 1_000;

/** Options of HistoryStore.open. */
export interface OpenOptions {
  /** The Curator home folder; `defaultCuratorHome()` (CURATOR_HOME or the app-data folder) when absent. */
  home?: string;
  /** Reads only: no migration, no interrupted marking; the database must exist at the current version. */
  readonly?: boolean;
  /** How live processes are recognised; tests inject one. */
  probe?: () => ProcessProbe;
}

type RunRow = RunListItem & {
  pipeline_json: string;
  config_json: string;
  hardware_json: string | null;
  warnings_json: string;
  error_stage: string | null;
  error_task_id: string | null;
  error_stack: string | null;
};

/**
 * Creates a folder and its missing parents one level at a time. (Node 20's recursive mkdirSync
 * loops forever where a filesystem answers ENOENT under an existing parent, as /proc does.)
 */
function makeFolder(dir: string): void {
  const missing: string[] = [];
  for (let d = nodePath.resolve(dir); !existsSync(d); d = nodePath.dirname(d)) {
    missing.unshift(d);
    if (nodePath.dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (e: unknown) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

function parseJson(text: string | null, fallback: unknown = null): unknown {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return fallback;
  }
}

function toJson(value: unknown, what: string): string {
  try {
    return JSON.stringify(value ?? null);
  } catch (e: unknown) {
    throw new HistoryError(`cannot store the run's ${what}: ${(e as Error).message}`);
  }
}

/** The run history database. Synchronous (better-sqlite3); every write is one short transaction. */
export class HistoryStore {
  private readonly recorders = new Set<RunRecorder>();
  private readonly probe: () => ProcessProbe;
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(
    private readonly db: Database.Database,
    /** The database file. */
    readonly path: string,
    readonly readonly: boolean,
    probe: () => ProcessProbe,
  ) {
    this.probe = probe;
  }

  /**
   * Opens (creating when needed) the history in `home`, applies pending migrations and marks runs
   * whose process is gone as interrupted. Throws a HistoryError naming the file and what to do when
   * the database cannot be used (newer version, edited migration, not a database, no permission).
   */
  static open(opts: OpenOptions = {}): HistoryStore {
    const home = opts.home ?? curatorHome();
    const file = historyDbPath(home);
    const readonly = Boolean(opts.readonly);
    if (!readonly) {
      try {
        makeFolder(home);
      } catch (e: unknown) {
        throw new HistoryError(`cannot create the Curator home folder ${home}: ${(e as Error).message}; set CURATOR_HOME to a writable folder`, { file, cause: e });
      }
    }
    let db: Database.Database;
    try {
      db = new Database(file, { readonly, fileMustExist: readonly });
    } catch (e: unknown) {
      const missing = readonly && /unable to open|does not exist/i.test((e as Error).message);
      throw new HistoryError(
        missing ? `there is no run history at ${file} yet (it is created by the first run)` : `cannot open the run history ${file}: ${(e as Error).message}; check the file's permissions or set CURATOR_HOME to another folder`,
        { file, cause: e },
      );
    }
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      if (!readonly) db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      if (readonly) {
        const applied = checkApplied(db, file);
        const version = applied.length ? Math.max(...applied.map((r) => r.version)) : 0;
        if (version < LATEST_VERSION) throw new HistoryError(`the run history ${file} is at schema version ${version}; open it once without read-only access to upgrade it to ${LATEST_VERSION}`, { file });
      } else migrate(db, file);
    } catch (e: unknown) {
      db.close();
      if (e instanceof HistoryError) throw e;
      throw new HistoryError(
        `cannot use the run history ${file}: ${(e as Error).message}. If the file is damaged, move it aside (with its -wal and -shm files) and a new history is created; the old one is kept for recovery`,
        { file, cause: e },
      );
    }
    const store = new HistoryStore(db, file, readonly, opts.probe ?? systemProbe);
    if (!readonly) store.markInterrupted();
    return store;
  }

  /** Records a new run (status `running` with the clock started, or `queued`), owned by this process. */
  createRun(start: RunStart): void {
    const now = new Date().toISOString();
    const owner = currentOwner();
    const status = start.status ?? 'running';
    this.db.transaction(() => {
      this
        .sql(
          `INSERT INTO runs (run_id, name, status, source, backend, pipeline_json, config_json, hardware_json, created_at, started_at, owner_pid, owner_host, owner_started_ms, heartbeat_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(start.run_id, start.name, status, start.source, start.backend, toJson(start.pipeline, 'pipeline'), toJson(start.config ?? {}, 'config'), start.hardware == null ? null : toJson(start.hardware, 'hardware'), now, status === 'running' ? now : null, owner.pid, owner.host, owner.startedMs, now);
      this.insertInputs(start.run_id, start.inputs ?? []);
    })();
  }

  /** A queued run starts: status `running`, its clock starts, and this process owns it. */
  markStarted(runId: string): void {
    const owner = currentOwner();
    const now = new Date().toISOString();
    this
      .sql(`UPDATE runs SET status = 'running', started_at = coalesce(started_at, ?), owner_pid = ?, owner_host = ?, owner_started_ms = ?, heartbeat_at = ? WHERE run_id = ? AND status IN ('queued', 'running')`)
      .run(now, owner.pid, owner.host, owner.startedMs, now, runId);
  }

  /** Stores the hardware snapshot of a run once it is known (detection runs beside the run's start). */
  setHardware(runId: string, hardware: unknown): void {
    this.sql('UPDATE runs SET hardware_json = ? WHERE run_id = ?').run(toJson(hardware, 'hardware'), runId);
  }

  /** Replaces a run's input manifest (listed beside the run's start). */
  setInputs(runId: string, inputs: readonly InputFile[]): void {
    this.db.transaction(() => {
      this.sql('DELETE FROM run_inputs WHERE run_id = ?').run(runId);
      this.insertInputs(runId, inputs);
    })();
  }

  /**
   * A recorder for a run's events. Metrics points follow the run's `logging_interval` (the status
   * log's cadence) unless `metricsIntervalS` says otherwise.
   */
  recorder(runId: string, options: RecorderOptions = {}): RunRecorder {
    const row = this.sql('SELECT config_json FROM runs WHERE run_id = ?').get(runId) as { config_json: string } | undefined;
    if (!row) throw new HistoryError(`run ${runId} is not in the run history ${this.path}; createRun() it first`, { file: this.path });
    const config = parseJson(row.config_json, {}) as Record<string, unknown>;
    const interval = typeof config.logging_interval === 'number' && config.logging_interval > 0 ? config.logging_interval : undefined;
    const rec = new RunRecorder(this.db, runId, { metricsIntervalS: interval, ...options }, (r) => this.recorders.delete(r));
    this.recorders.add(rec);
    return rec;
  }

  /** One page of runs matching the query, and how many match in all. */
  listRuns(q: RunListQuery = {}): { total: number; runs: RunListItem[] } {
    const { where, params, orderBy, limit, offset } = buildListQuery(q);
    const total = (this.sql(`SELECT count(*) AS n FROM runs ${where}`).get(...params) as { n: number }).n;
    const runs = this.sql(`SELECT ${LIST_COLUMNS} FROM runs ${where} ORDER BY ${orderBy} LIMIT ? OFFSET ?`).all(...params, limit, offset) as RunListItem[];
    return { total, runs };
  }

  /**
   * The full id of a run given its id or a unique prefix of it; null when nothing matches. An
   * ambiguous prefix is a HistoryError listing the candidates.
   */
  resolveRunId(idOrPrefix: string): string | null {
    if (!idOrPrefix) return null;
    if (this.sql('SELECT 1 FROM runs WHERE run_id = ?').get(idOrPrefix)) return idOrPrefix;
    const rows = this.sql("SELECT run_id FROM runs WHERE run_id LIKE ? ESCAPE '\\' ORDER BY created_at DESC LIMIT 6").all(`${likeEscape(idOrPrefix)}%`) as Array<{ run_id: string }>;
    if (rows.length > 1) throw new HistoryError(`run id prefix "${idOrPrefix}" matches several runs (${rows.slice(0, 5).map((r) => r.run_id).join(', ')}${rows.length > 5 ? ', ...' : ''}); give more of the id`);
    return rows[0]?.run_id ?? null;
  }

  /** Everything recorded about one run (by id or unique id prefix), or null. */
  getRun(runId: string): RunDetail | null {
    const id = this.resolveRunId(runId);
    if (id === null) return null;
    const r = this.sql(`SELECT ${LIST_COLUMNS}, pipeline_json, config_json, hardware_json, warnings_json, error_stage, error_task_id, error_stack FROM runs WHERE run_id = ?`).get(id) as RunRow | undefined;
    if (!r) return null;
    const stages = this
      .sql('SELECT name, tasks_in, tasks_out, items_in, items_out, returned_none, failed_batches, process_time_s, workers_max, counters_json FROM run_stages WHERE run_id = ? ORDER BY position')
      .all(id) as Array<StageRow & { counters_json: string | null }>;
    const { pipeline_json, config_json, hardware_json, warnings_json, error_stage, error_task_id, error_stack, ...item } = r;
    return {
      ...item,
      pipeline: parseJson(pipeline_json),
      config: parseJson(config_json, {}) as Record<string, unknown>,
      hardware: parseJson(hardware_json),
      error: item.error_message === null ? null : { stage: error_stage, task_id: error_task_id, message: item.error_message, stack: error_stack },
      stages: stages.map(({ counters_json, ...row }) => (counters_json ? { ...row, counters: parseJson(counters_json, {}) as Record<string, number> } : row)),
      warnings: parseJson(warnings_json, []) as string[],
      inputs: this.sql('SELECT path, size, mtime FROM run_inputs WHERE run_id = ? ORDER BY position').all(id) as InputFile[],
      outputs: this.sql('SELECT path, documents, bytes FROM run_outputs WHERE run_id = ? ORDER BY position').all(id) as RunDetail['outputs'],
      removals: this.sql('SELECT stage, reason, count FROM run_removals WHERE run_id = ? ORDER BY count DESC, stage, reason').all(id) as RunDetail['removals'],
      log_count: (this.sql('SELECT count(*) AS n FROM run_logs WHERE run_id = ?').get(id) as { n: number }).n,
    };
  }

  /** A page of a run's log lines in order (default 1000, at most 10 000), optionally of some levels only. */
  logs(runId: string, q: { offset?: number; limit?: number; level?: string[] } = {}): { total: number; lines: LogLine[] } {
    const id = this.resolveRunId(runId) ?? runId;
    const levels = (q.level ?? []).filter(Boolean);
    const where = `WHERE run_id = ?${levels.length ? ` AND level IN (${levels.map(() => '?').join(', ')})` : ''}`;
    const params = [id, ...levels];
    const limit = Math.min(10_000, Math.max(1, Math.floor(q.limit ?? 1_000)));
    const offset = Math.max(0, Math.floor(q.offset ?? 0));
    const total = (this.sql(`SELECT count(*) AS n FROM run_logs ${where}`).get(...params) as { n: number }).n;
    const lines = this.sql(`SELECT t, level, source, message FROM run_logs ${where} ORDER BY id LIMIT ? OFFSET ?`).all(...params, limit, offset) as LogLine[];
    return { total, lines };
  }

  /** A run's metrics series in time order. */
  metrics(runId: string): MetricsPoint[] {
    const id = this.resolveRunId(runId) ?? runId;
    const rows = this.sql('SELECT t, elapsed_s, stages_json, cpu_pct, memory_used_bytes, gpus_json FROM run_metrics WHERE run_id = ? ORDER BY id').all(id) as Array<{
      t: string;
      elapsed_s: number;
      stages_json: string;
      cpu_pct: number | null;
      memory_used_bytes: number | null;
      gpus_json: string | null;
    }>;
    return rows.map((r) => ({ t: r.t, elapsed_s: r.elapsed_s, stages: parseJson(r.stages_json, []), cpu_pct: r.cpu_pct, memory_used_bytes: r.memory_used_bytes, gpus: parseJson(r.gpus_json) }));
  }

  /** The kept examples of documents a run removed, optionally of one stage or reason. */
  removedSamples(runId: string, q: { stage?: string; reason?: string; limit?: number } = {}): RemovedSample[] {
    const id = this.resolveRunId(runId) ?? runId;
    const rows = this
      .sql('SELECT stage, reason, doc_id, document_json FROM run_removed_samples WHERE run_id = ? AND (? IS NULL OR stage = ?) AND (? IS NULL OR reason = ?) ORDER BY id LIMIT ?')
      .all(id, q.stage ?? null, q.stage ?? null, q.reason ?? null, q.reason ?? null, Math.max(1, q.limit ?? 100)) as Array<{ stage: string; reason: string; doc_id: string | null; document_json: string }>;
    return rows.map(({ document_json, ...r }) => ({ ...r, document: parseJson(document_json) }));
  }

  /**
   * Two runs side by side: configuration differences, the funnels paired by stage, and the output
   * documents added and removed by id when both runs recorded their output ids.
   * Throws a HistoryError naming a run that does not exist.
   */
  compareRuns(a: string, b: string): RunComparison {
    const ra = this.getRun(a);
    const rb = this.getRun(b);
    if (!ra || !rb) throw new HistoryError(`no run "${!ra ? a : b}" in the run history ${this.path}`, { file: this.path });
    const hasIds = this.sql('SELECT 1 FROM run_output_docs WHERE run_id = ? LIMIT 1');
    const compared = Boolean(hasIds.get(ra.run_id) && hasIds.get(rb.run_id));
    const diff = (x: string, y: string) => {
      const from = 'FROM run_output_docs d WHERE d.run_id = ? AND NOT EXISTS (SELECT 1 FROM run_output_docs e WHERE e.run_id = ? AND e.doc_id = d.doc_id)';
      const count = (this.sql(`SELECT count(*) AS n ${from}`).get(x, y) as { n: number }).n;
      const ids = (this.sql(`SELECT d.doc_id ${from} ORDER BY d.doc_id LIMIT ?`).all(x, y, OUTPUT_DIFF_LIMIT) as Array<{ doc_id: string }>).map((r) => r.doc_id);
      return { count, ids };
    };
    const added = compared ? diff(rb.run_id, ra.run_id) : { count: 0, ids: [] };
    const removed = compared ? diff(ra.run_id, rb.run_id) : { count: 0, ids: [] };
    return {
      a: ra,
      b: rb,
      config_diff: configDiff(ra, rb),
      stages: pairStages(ra.stages, rb.stages),
      outputs: { compared, added: added.ids, removed: removed.ids, added_count: added.count, removed_count: removed.count },
    };
  }

  /**
   * Deletes a run with everything recorded about it; false when there is no such run. A run still
   * queued or running (its process alive) is refused with a HistoryError: cancel it first.
   */
  deleteRun(runId: string): boolean {
    const id = this.resolveRunId(runId);
    if (id === null) return false;
    this.markInterrupted();
    const row = this.sql('SELECT status FROM runs WHERE run_id = ?').get(id) as { status: RunStatus } | undefined;
    if (row && (row.status === 'running' || row.status === 'queued')) throw new HistoryError(`run ${id} is still ${row.status}; cancel it before deleting it`, { file: this.path });
    return this.sql('DELETE FROM runs WHERE run_id = ?').run(id).changes > 0;
  }

  /**
   * Deletes finished runs created more than `olderThanDays` days ago, and/or all but the `keep` most
   * recent runs; queued and running runs are never pruned. Returns how many runs were deleted.
   */
  prune(opts: { olderThanDays?: number; keep?: number }): number {
    const { olderThanDays, keep } = opts;
    if (olderThanDays === undefined && keep === undefined) throw new HistoryError('prune needs an age (olderThanDays) or a number of runs to keep (keep)');
    if (olderThanDays !== undefined && !(olderThanDays >= 0)) throw new HistoryError(`olderThanDays must be 0 or more, got ${olderThanDays}`);
    if (keep !== undefined && !(Number.isInteger(keep) && keep >= 0)) throw new HistoryError(`keep must be a whole number, 0 or more, got ${keep}`);
    const finished = "status NOT IN ('queued', 'running')";
    let deleted = 0;
    this.db.transaction(() => {
      if (olderThanDays !== undefined) {
        const cutoff = new Date(Date.now() - olderThanDays * 86_400_000).toISOString();
        deleted += this.sql(`DELETE FROM runs WHERE ${finished} AND created_at < ?`).run(cutoff).changes;
      }
      if (keep !== undefined) {
        deleted += this
          .sql(`DELETE FROM runs WHERE ${finished} AND run_id NOT IN (SELECT run_id FROM runs ORDER BY created_at DESC, run_id DESC LIMIT ?)`)
          .run(keep).changes;
      }
    })();
    if (deleted) this.db.pragma('wal_checkpoint(PASSIVE)');
    return deleted;
  }

  /**
   * Marks queued and running runs whose owning process is gone as `interrupted`, ending them at their
   * last heartbeat. Runs on every open; returns how many were marked. A read-only store marks none.
   */
  markInterrupted(): number {
    if (this.readonly) return 0;
    const rows = this
      .sql("SELECT run_id, owner_pid, owner_host, owner_started_ms, heartbeat_at, created_at, started_at FROM runs WHERE status IN ('queued', 'running')")
      .all() as Array<{ run_id: string; owner_pid: number | null; owner_host: string | null; owner_started_ms: number | null; heartbeat_at: string | null; created_at: string; started_at: string | null }>;
    if (!rows.length) return 0;
    const probe = this.probe();
    const mark = this.sql(
      `UPDATE runs SET status = 'interrupted', ended_at = ?, duration_s = ?, error_message = coalesce(error_message, ?)
       WHERE run_id = ? AND status IN ('queued', 'running')`,
    );
    let marked = 0;
    this.db.transaction(() => {
      for (const r of rows) {
        if (this.hasRecorder(r.run_id)) continue;
        if (!ownerIsGone({ pid: r.owner_pid, host: r.owner_host, startedMs: r.owner_started_ms, heartbeatAt: r.heartbeat_at, createdAt: r.created_at }, probe)) continue;
        const ended = r.heartbeat_at ?? r.started_at ?? r.created_at;
        const duration = r.started_at ? Math.max(0, (Date.parse(ended) - Date.parse(r.started_at)) / 1000) : null;
        const who = r.owner_pid === null ? 'its process' : `the process that ran it (pid ${r.owner_pid}${r.owner_host ? ` on ${r.owner_host}` : ''})`;
        marked += mark.run(ended, duration, `interrupted: ${who} ended before the run finished`, r.run_id).changes;
      }
    })();
    return marked;
  }

  /** Flushes open recorders (their runs stay as they are) and closes the database. */
  close(): void {
    if (!this.db.open) return;
    for (const r of [...this.recorders]) r.close();
    if (!this.readonly) {
      try {
        this.db.pragma('optimize');
      } catch {
        // Only a hint to SQLite's planner; closing matters more.
      }
    }
    this.db.close();
  }

  /** A prepared statement, cached by its SQL. */
  private sql(text: string): Database.Statement {
    let st = this.statements.get(text);
    if (!st) this.statements.set(text, (st = this.db.prepare(text)));
    return st;
  }

  private hasRecorder(runId: string): boolean {
    for (const r of this.recorders) if (r.runId === runId && !r.closed) return true;
    return false;
  }

  private insertInputs(runId: string, inputs: readonly InputFile[]): void {
    const ins = this.sql('INSERT INTO run_inputs (run_id, position, path, size, mtime) VALUES (?, ?, ?, ?, ?)');
    inputs.forEach((f, i) => ins.run(runId, i, f.path, f.size, f.mtime));
  }
}
