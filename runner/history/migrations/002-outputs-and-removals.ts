/**
 * Schema version 2: what a run wrote (files, and the document ids when the run kept them, for
 * comparing two runs), what its filters removed and why with a bounded sample of the removed
 * documents, and indexes for the run list's other sort orders.
 * Never edit an applied migration; add a new numbered file instead.
 */
export const name = 'outputs-and-removals';

export const sql = `
CREATE TABLE run_outputs (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  path TEXT NOT NULL,
  documents INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  PRIMARY KEY (run_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE run_output_docs (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  doc_id TEXT NOT NULL,
  PRIMARY KEY (run_id, doc_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE run_removals (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  stage TEXT NOT NULL,
  reason TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (run_id, stage, reason)
) STRICT, WITHOUT ROWID;

CREATE TABLE run_removed_samples (
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  stage TEXT NOT NULL,
  reason TEXT NOT NULL,
  doc_id TEXT,
  document_json TEXT NOT NULL
) STRICT;
CREATE INDEX run_removed_samples_by_run ON run_removed_samples (run_id, stage, reason);

CREATE INDEX runs_by_started ON runs (coalesce(started_at, created_at));
CREATE INDEX runs_by_duration ON runs (duration_s);
CREATE INDEX runs_by_name ON runs (name COLLATE NOCASE);
`;
