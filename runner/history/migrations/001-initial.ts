/**
 * Schema version 1: runs, their per-stage funnel, input manifest, log lines and metrics series.
 * Never edit an applied migration: its hash is stored with it and a changed one is refused.
 * Add a new numbered file instead.
 */
export const name = 'initial';

export const sql = `
CREATE TABLE runs (
  run_id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
  source TEXT NOT NULL CHECK (source IN ('cli', 'serve', 'app')),
  backend TEXT NOT NULL,
  execution_mode TEXT,
  pipeline_json TEXT NOT NULL,
  config_json TEXT NOT NULL,
  hardware_json TEXT,
  created_at TEXT NOT NULL,
  started_at TEXT,
  ended_at TEXT,
  duration_s REAL,
  docs_in INTEGER,
  docs_out INTEGER,
  output_tasks INTEGER,
  warnings_json TEXT NOT NULL DEFAULT '[]',
  error_stage TEXT,
  error_task_id TEXT,
  error_message TEXT,
  error_stack TEXT,
  owner_pid INTEGER,
  owner_host TEXT,
  owner_started_ms INTEGER,
  heartbeat_at TEXT
) STRICT;
CREATE INDEX runs_by_created ON runs (created_at);
CREATE INDEX runs_by_status ON runs (status, created_at);

CREATE TABLE run_stages (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  type TEXT,
  tasks_in INTEGER NOT NULL DEFAULT 0,
  tasks_out INTEGER NOT NULL DEFAULT 0,
  items_in INTEGER NOT NULL DEFAULT 0,
  items_out INTEGER NOT NULL DEFAULT 0,
  returned_none INTEGER NOT NULL DEFAULT 0,
  failed_batches INTEGER NOT NULL DEFAULT 0,
  process_time_s REAL NOT NULL DEFAULT 0,
  workers_max INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE run_inputs (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  path TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime TEXT NOT NULL,
  PRIMARY KEY (run_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE run_logs (
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  t TEXT NOT NULL,
  level TEXT NOT NULL,
  source TEXT NOT NULL,
  message TEXT NOT NULL
) STRICT;
CREATE INDEX run_logs_by_run ON run_logs (run_id, id);

CREATE TABLE run_metrics (
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  t TEXT NOT NULL,
  elapsed_s REAL NOT NULL,
  stages_json TEXT NOT NULL,
  cpu_pct REAL,
  memory_used_bytes INTEGER,
  gpus_json TEXT
) STRICT;
CREATE INDEX run_metrics_by_run ON run_metrics (run_id, id);
`;
